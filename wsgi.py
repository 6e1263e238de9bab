"""Composition root: the WSGI app and the huey instance its workers consume."""
from web.app import create_app

app = create_app()
huey = app.extensions["otklik.huey"]
