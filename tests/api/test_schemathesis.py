"""Schemathesis against /api/v1/openapi.json: bounded, deterministic examples for every documented
operation; no answer may be a 5xx, and every answer must match the document (status, type, schema)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.appeals.city import build_city
from tests.conftest import make_app
from workflows.accounts.service import create_token, create_user
from workflows.db import db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The small demo-ish city deployed, and an admin's bearer token (one app for every operation)."""
    app = make_app(tmp_path_factory.mktemp("fuzz"), DELIVERY_QUIET_HOURS="off")
    with app.app_context():
        build_city()
        create_user("fuzz-admin", "admin")
        token = create_token("fuzz-admin")
        db.session.remove()
        yield app, token
        db.session.remove()


@pytest.fixture
def api_schema(fuzzed_app: tuple[Flask, str]) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app[0])


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_document(case: Any, fuzzed_app: tuple[Flask, str]) -> None:
    app, token = fuzzed_app
    with app.app_context():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        db.session.remove()
