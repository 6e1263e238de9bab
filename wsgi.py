"""Composition root: the WSGI app and the huey instance its workers consume."""
from web.app import create_app
from web.runner import settle_heap
from workflows.services import services_of

app = create_app()
huey = services_of(app).huey
settle_heap()
