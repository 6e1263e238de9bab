"""Composition root: the WSGI app and the huey instance its workers consume."""
from web.app import create_app
from web.runner import settle_heap

app = create_app()
huey = app.extensions["otklik.huey"]
settle_heap()
