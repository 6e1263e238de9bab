"""The GeoReport v2 methods; each parses, calls one service, renders JSON or XML."""
from __future__ import annotations

from typing import Any

from flask import current_app, request

from web.open311 import bp
from web.open311.formats import render
from workflows.accounts.service import user_for_token
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.ids import digits
from workflows.open311 import create, requests, services

FMT = "<any(json, xml):fmt>"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-01T00:00:00+03:00"


def _jurisdiction() -> None:
    wanted = request.values.get("jurisdiction_id")
    ours = str(current_app.config.get("OPEN311_JURISDICTION", "tambov"))
    if wanted not in (None, "", ours):
        raise NotFound(f"jurisdiction_id {wanted} not found")


def _int(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not digits(raw) or not 1 <= int(raw) <= maximum:
        raise ValidationFailed(f"{name} must be a whole number 1..{maximum}", {name: f"1..{maximum}"})
    return int(raw)


@bp.get(f"/discovery.{FMT}")
def discovery_show(fmt: str) -> Any:
    # The configured public address, never the request's Host header (which any client can set).
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    endpoint = {"specification": SPECIFICATION, "url": base + "/open311/v2",
                "changeset": CHANGESET, "type": "production", "formats": ["text/xml", "application/json"]}
    body = {"changeset": CHANGESET, "contact": "ЦГДС г. Тамбова, единый номер 112 (аварийные случаи)",
            "key_service": "api_key выдаёт ЦГДС: учётная запись с ролью integration", "endpoints": [endpoint]}
    return render(fmt, "discovery", body)


@bp.get(f"/services.{FMT}")
def services_list(fmt: str) -> Any:
    _jurisdiction()
    return render(fmt, "services", services.service_list())


@bp.get(f"/services/<code>.{FMT}")
def services_show(code: str, fmt: str) -> Any:
    _jurisdiction()
    return render(fmt, "service_definition", services.service_definition(code))


@bp.get(f"/requests.{FMT}")
def requests_list(fmt: str) -> Any:
    _jurisdiction()
    names = ("service_request_id", "service_code", "start_date", "end_date", "status")
    query = requests.build_query({n: request.args.get(n) for n in names}, _int("page", 1, 10**6),
                                 _int("page_size", 100, 500))
    return render(fmt, "service_requests", requests.list_requests(query))


@bp.post(f"/requests.{FMT}")
def requests_create(fmt: str) -> Any:
    _jurisdiction()
    client = create.require_client(user_for_token(str(request.values.get("api_key") or "").strip()))
    params = {key: str(value) for key, value in request.values.items() if not key.startswith("attribute[")}
    attributes = {key[len("attribute["):-1]: str(value) for key, value in request.values.items()
                  if key.startswith("attribute[") and key.endswith("]")}
    answer, created = create.create_request(params, attributes, client)
    db.session.commit()  # the request owns the transaction: create_request only flushes
    return render(fmt, "service_requests", [answer], 201 if created else 200)


@bp.get(f"/requests/<request_id>.{FMT}")
def requests_show(request_id: str, fmt: str) -> Any:
    _jurisdiction()
    return render(fmt, "service_requests", [requests.get_request(request_id)])


@bp.get(f"/tokens/<token>.{FMT}")
def tokens_show(token: str, fmt: str) -> Any:
    _jurisdiction()
    return render(fmt, "service_requests", [requests.request_for_token(token)])
