"""One validation layer: the schema a service checks input with is the request body the OpenAPI document shows."""
from __future__ import annotations

import pytest

from web.openapi import document
from workflows.errors import ValidationFailed
from workflows.outages.representatives import REPRESENTATIVE_INPUT, _validated
from workflows.validation import checked, errors_of, openapi_schema


def test_the_documented_body_is_the_checked_schema() -> None:
    operation = document()["paths"]["/api/v1/buildings/{building_id}/representatives"]["post"]
    documented = operation["requestBody"]["content"]["application/json"]["schema"]
    assert documented == openapi_schema(REPRESENTATIVE_INPUT)
    assert "x-message" not in str(documented) and documented["required"] == REPRESENTATIVE_INPUT["required"]


def test_errors_come_by_field_in_russian() -> None:
    errors = errors_of(REPRESENTATIVE_INPUT, {"name": "x" * 201, "role": "boss", "address": "   ", "consent": False})
    assert errors == {"name": "строка до 200 символов", "role": "одно из: chair, active_resident",
                      "channel": "одно из: telegram, max, vk, sms, email",
                      "address": "chat id, телефон или e-mail (до 200 символов)",
                      "consent": "нужно согласие представителя: consent: true"}
    assert errors_of({"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}}, {"n": 5}) == \
        {"n": "не больше 3"}  # without an own message: the forms' words


def test_checks_the_schema_cannot_express_join_the_same_errors() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _validated({"role": "chair", "channel": "sms", "address": "12-34", "consent": True})
    assert caught.value.details == {"address": "номер телефона, например +7 915 123-45-67"}
    fields = _validated({"role": "chair", "channel": "sms", "address": "8 900 123-45-67", "consent": True})
    assert fields == {"name": "", "role": "chair", "channel": "sms", "address": "+79001234567"}
    assert checked({"type": "object"}, {"a": 1}, "ошибка") == {"a": 1}
