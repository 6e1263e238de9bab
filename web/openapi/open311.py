"""Open311 GeoReport v2 (each method as .json and .xml; errors as the specification writes them)."""
from __future__ import annotations

from typing import Any

from web.openapi.common import BOOL, INT, NSTR, STR, query

FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
JURISDICTION = query("jurisdiction_id", STR, "только tambov (или не указывать)")
XML = {"text/xml": {"schema": {"type": "string"}}}
ERRORS = {"type": "array", "items": {"type": "object", "required": ["code", "description"],
                                     "properties": {"code": INT, "description": STR}}}
NUM = {"type": ["number", "null"]}
REQUEST = {"type": "object", "required": ["service_request_id", "status", "service_code"], "properties": {
    "service_request_id": STR, "status": {"enum": ["open", "closed"]}, "status_notes": NSTR, "service_name": NSTR,
    "service_code": STR, "description": NSTR, "agency_responsible": NSTR, "service_notice": NSTR,
    "requested_datetime": NSTR, "updated_datetime": NSTR, "expected_datetime": NSTR, "address": NSTR,
    "address_id": NSTR, "zipcode": NSTR, "lat": NUM, "long": NUM, "media_url": NSTR,
    "extensions": {"type": "object", "properties": {"number": STR, "status": STR, "emergency": BOOL,
                                                    "incident_id": NSTR, "channel": STR}}}}
SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type"], "properties": {
    "service_code": STR, "service_name": STR, "description": NSTR, "metadata": BOOL,
    "type": {"enum": ["realtime", "batch", "blackbox"]}, "keywords": NSTR, "group": NSTR}}
DEFINITION = {"type": "object", "required": ["service_code", "attributes"], "properties": {
    "service_code": STR, "attributes": {"type": "array", "items": {"type": "object", "required": ["code", "datatype"],
                                                                   "properties": {
        "variable": BOOL, "code": STR, "datatype": STR, "required": BOOL, "datatype_description": NSTR,
        "order": INT, "description": STR, "values": {"type": "array", "items": {"type": "object", "properties": {
            "key": STR, "name": STR}}}}}}}}
DISCOVERY = {"type": "object", "required": ["changeset", "endpoints"], "properties": {
    "changeset": STR, "contact": STR, "key_service": STR, "endpoints": {"type": "array", "items": {
        "type": "object", "properties": {"specification": STR, "url": STR, "changeset": STR, "type": STR,
                                         "formats": {"type": "array", "items": STR}}}}}}
# the request is created at once, so the answer carries service_request_id and never a token
CREATED = {"type": "array", "items": {"type": "object", "required": ["service_request_id"], "properties": {
    "service_request_id": STR, "service_notice": NSTR, "account_id": NSTR}, "not": {"required": ["token"]}}}
TOKEN = {"type": "array", "items": {"type": "object", "required": ["service_request_id", "token"],
                                    "properties": {"service_request_id": STR, "token": STR}}}


def ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "успешно", "content": {"application/json": {"schema": schema}, **XML}}}


# Any request may be refused by the input guard (400: NUL bytes, lone surrogates) or throttled (429).
ALWAYS = (400, 413, 429)


def fail(*codes: int) -> dict[str, Any]:
    return {str(code): {"description": "ошибки Open311", "content": {"application/json": {"schema": ERRORS},
                                                                     **XML}} for code in sorted({*codes, *ALWAYS})}


def get(operation_id: str, schema: dict[str, Any], *codes: int, params: tuple[dict[str, Any], ...] = ()) -> Any:
    return {"get": {"operationId": operation_id, "security": [], "tags": ["open311"],
                    "parameters": [FORMAT, JURISDICTION, *params], "responses": {**ok(schema), **fail(*codes)}}}


POST_FIELDS = {k: STR for k in ("api_key", "jurisdiction_id", "service_code", "address_string", "address_id",
                                "email", "device_id", "account_id", "first_name", "last_name", "phone",
                                "description", "media_url", "external_id",
                                "attribute[emergency]", "attribute[emergency_kind]", "attribute[flat]")}
POST_FIELDS.update({"lat": {"type": "number"}, "long": {"type": "number"}})
POST = {"post": {"operationId": "open311_requests_create", "security": [], "tags": ["open311"],
                 "summary": "Создать обращение (api_key — токен пользователя с ролью integration; повтор с тем же "
                            "external_id отвечает 200 с первым обращением)",
                 "parameters": [FORMAT],
                 "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "required": ["api_key", "service_code"], "properties": POST_FIELDS}}}},
                 "responses": {**ok(CREATED, "201"), **ok(CREATED), **fail(400, 403, 404)}}}
LIST_PARAMS = (query("service_request_id", STR), query("service_code", STR), query("start_date", STR),
               query("end_date", STR), query("status", STR),
               query("page", {"type": "integer", "minimum": 1, "maximum": 1000000}),
               query("page_size", {"type": "integer", "minimum": 1, "maximum": 500}))
ID = {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[^/]+$"}}

PATHS: dict[str, Any] = {
    "/open311/v2/discovery.{format}": {"get": {
        "operationId": "open311_discovery", "security": [], "tags": ["open311"], "parameters": [FORMAT],
        "responses": {**ok(DISCOVERY), **fail(404)}}},
    "/open311/v2/services.{format}": get("open311_services", {"type": "array", "items": SERVICE}, 404),
    "/open311/v2/services/{service_code}.{format}": get(
        "open311_service_definition", DEFINITION, 400, 404,
        params=({"name": "service_code", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[^/.]+$"}},)),
    "/open311/v2/requests.{format}": {**get("open311_requests_list", {"type": "array", "items": REQUEST}, 400, 404,
                                            params=LIST_PARAMS), **POST},
    "/open311/v2/requests/{service_request_id}.{format}": get(
        "open311_request_show", {"type": "array", "items": REQUEST}, 404, params=(ID,)),
    "/open311/v2/tokens/{token}.{format}": get(
        "open311_token_show", TOKEN, 404, params=({"name": "token", "in": "path", "required": True,
                                                   "schema": {"type": "string", "pattern": "^[^/.]+$"}},)),
}
