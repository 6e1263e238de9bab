"""Organisations and buildings."""
from __future__ import annotations

from typing import Any

from web.openapi.common import INT, NSTR, STR, errors, json_response, path_id, query, ref

KINDS = ["uk", "tsj", "rso", "gas_emergency", "cgds", "city"]
ORG = {"type": "object", "required": ["id", "name", "kind"], "properties": {
    "id": INT, "name": STR, "kind": STR, "resources": {"type": "array", "items": STR}}}

PATHS: dict[str, Any] = {
    "/api/v1/organizations": {
        "get": {"operationId": "organizations_list", "parameters": [query("kind", {"enum": KINDS})],
                "responses": {"200": json_response({"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "items": ORG}}}), **errors(401, 422)}},
    },
    "/api/v1/buildings": {
        "get": {"operationId": "buildings_list", "summary": "Поиск домов по адресу, лучшие совпадения первыми",
                "parameters": [query("q", NSTR | {"type": "string", "maxLength": 300}),
                               query("page", {"type": "integer", "minimum": 1, "maximum": 1000000})],
                "responses": {"200": json_response({"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "items": ref("Building")}, "page": INT}}), **errors(401, 422)}},
    },
    "/api/v1/buildings/{building_id}": {
        "get": {"operationId": "buildings_show", "parameters": [path_id("building_id")],
                "responses": {"200": json_response(ref("Building")), **errors(401, 404)}},
    },
}
