"""Browser libraries of the city's picture (Chart.js, Leaflet and its clustering), served from node_modules.

Installed from the npm registry with exact versions (package.json, `npm ci`), never committed as built files.
Only the files in ALLOWED can be fetched; anything else under node_modules stays unreachable.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, redirect, send_from_directory, url_for

from web.designer.vendor import node_modules

bp = Blueprint("vendor", __name__)
LEAFLET_IMAGES = ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png", "layers.png", "layers-2x.png")
ALLOWED = frozenset({
    "chart.js/dist/chart.umd.min.js",
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.css",
    *(f"leaflet/dist/images/{name}" for name in LEAFLET_IMAGES),
    "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css",
})


def library_available(path: str) -> bool:
    return path in ALLOWED and (node_modules() / path).is_file()


@bp.route("/vendor/<path:path>")
def vendor_library(path: str) -> Any:
    if path not in ALLOWED:
        abort(404)
    response = send_from_directory(node_modules(), path, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/favicon.ico")
def favicon() -> Any:
    """Browsers that ask for /favicon.ico before reading the page's <link rel=icon> get the site's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(library_available, "library_available")
