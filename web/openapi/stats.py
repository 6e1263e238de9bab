"""Figures of the city's appeals and the map's GeoJSON layers."""
from __future__ import annotations

from typing import Any

from web.openapi.common import ANY_OBJ, OPTIONAL_ID, STR, errors, json_response, query

NUMBER_OR_NULL = {"type": ["number", "null"]}
FIGURES = {name: {"type": "integer"} for name in ("registered", "accepted", "resolved", "resolved_on_time",
                                                  "overdue_open", "reopened", "escalated")}
ROW = {"type": "object", "required": ["key", *FIGURES], "properties": {
    "key": {}, **FIGURES, "median_accept_minutes": NUMBER_OR_NULL, "median_resolve_hours": NUMBER_OR_NULL}}
STATS = {"type": "object", "required": ["items", "totals"], "properties": {
    "items": {"type": "array", "items": ROW}, "totals": ANY_OBJ}}
GEOJSON = {"type": "object", "required": ["type", "features"], "properties": {
    "type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": ANY_OBJ}}}
DATE = {"type": "string", "format": "date"}


def _layer(name: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {"operationId": f"map_{name}", "parameters": parameters, "responses": {
        "200": {"description": "слой карты", "content": {"application/geo+json": {"schema": GEOJSON}}},
        **errors(401, 422)}}}


PATHS: dict[str, Any] = {
    "/api/v1/stats": {"get": {
        "operationId": "stats_show",
        "parameters": [query("from", DATE), query("to", DATE),
                       query("group", {"enum": ["organization", "category", "district"]})],
        "responses": {"200": json_response(STATS), **errors(401, 403, 422)}}},
    "/api/v1/map/appeals": _layer("appeals", [query("category", STR), query("organization_id", OPTIONAL_ID)]),
    "/api/v1/map/incidents": _layer("incidents", []),
    "/api/v1/map/outages": _layer("outages", []),
    "/api/v1/map/buildings": _layer("buildings", []),
}
