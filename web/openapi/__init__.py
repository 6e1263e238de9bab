"""The OpenAPI 3.1 document, assembled from one small dict of paths per API module."""
from __future__ import annotations

from typing import Any

from web.openapi import appeals, open311, outages, registry, stats, tasks, webhooks
from web.openapi.common import COMPONENTS

MODULES = (appeals, tasks, registry, outages, webhooks, open311, stats)


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for module in MODULES:
        paths.update(module.PATHS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Otklik API", "version": "1.0.0",
                 "description": "Обращения ЖКХ г. Тамбова: JSON API (/api/v1) и Open311 GeoReport v2 (/open311/v2)."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": COMPONENTS,
    }
