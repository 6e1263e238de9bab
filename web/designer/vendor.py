"""The browser modelers, served from node_modules (installed by `npm ci`, never committed as built files).

Only the files in ALLOWED can be fetched; anything else under node_modules stays unreachable.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import abort, send_from_directory

from web.designer.blueprint import bp

ROOT = Path(__file__).resolve().parents[2]
BPMN_ASSETS = "bpmn-js/dist/assets/"
DMN_ASSETS = "dmn-js/dist/assets/"
FONT_FILES = ("eot", "svg", "ttf", "woff", "woff2")
ALLOWED = frozenset({
    "bpmn-js/dist/bpmn-modeler.production.min.js",
    "bpmn-js/dist/bpmn-navigated-viewer.production.min.js",
    BPMN_ASSETS + "diagram-js.css",
    BPMN_ASSETS + "bpmn-js.css",
    BPMN_ASSETS + "bpmn-font/css/bpmn.css",
    BPMN_ASSETS + "bpmn-font/css/bpmn-embedded.css",
    *(BPMN_ASSETS + f"bpmn-font/font/bpmn.{ext}" for ext in FONT_FILES),
    "dmn-js/dist/dmn-modeler.production.min.js",
    *(DMN_ASSETS + name for name in (
        "diagram-js.css", "dmn-js-shared.css", "dmn-js-drd.css", "dmn-js-decision-table.css",
        "dmn-js-decision-table-controls.css", "dmn-js-literal-expression.css", "dmn-js-boxed-expression.css",
        "dmn-js-boxed-expression-controls.css", "dmn-font/css/dmn.css", "dmn-font/css/dmn-embedded.css")),
    *(DMN_ASSETS + f"dmn-font/font/dmn.{ext}" for ext in FONT_FILES),
})


def node_modules() -> Path:
    """OTKLIK_NODE_MODULES, else node_modules at the repository root (where package.json is)."""
    configured = os.environ.get("OTKLIK_NODE_MODULES")
    return Path(configured) if configured else ROOT / "node_modules"


def vendor_available() -> bool:
    return (node_modules() / "bpmn-js/dist/bpmn-modeler.production.min.js").is_file()


@bp.route("/vendor/<path:path>")
def vendor_file(path: str) -> Any:
    if path not in ALLOWED:
        abort(404)
    response = send_from_directory(node_modules(), path, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
