"""Item 3 of issue 14: nothing is granted that was not given."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.registering import register_appeal
from tests.web.helpers import PASSWORD, csrf_token, login, user_with_token
from tests.web.screen_helpers import ScreenClient
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.integrations.models import WebhookSubscription
from workflows.outages.models import InvitationToken
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task


def _subscription(**extra: object) -> dict[str, object]:
    return {"url": "https://93.184.216.34/otklik", "events": ["appeal.assigned"], **extra}


def test_an_integration_account_without_an_organisation_cannot_subscribe_for_any(
        client: FlaskClient, city: City) -> None:
    orphan = user_with_token("telephony", "integration")
    answer = client.post("/api/v1/webhooks", json=_subscription(organization_id=city.uk1.id), headers=orphan)
    assert answer.status_code == 403 and answer.get_json()["error"] == "forbidden"
    assert client.post("/api/v1/webhooks", json=_subscription(), headers=orphan).status_code == 403
    assert db.session.scalar(select(func.count(WebhookSubscription.id))) == 0


def test_staff_subscribe_only_for_their_own_organisation(client: FlaskClient, city: City) -> None:
    staff = user_with_token("uk2-staff", "org_staff", city.uk2)
    answer = client.post("/api/v1/webhooks", json=_subscription(organization_id=city.uk1.id), headers=staff)
    assert answer.status_code == 403
    own = client.post("/api/v1/webhooks", json=_subscription(), headers=staff)
    assert own.status_code == 201 and own.get_json()["organization_id"] == city.uk2.id


def test_invitations_only_for_buildings_of_ones_own_organisation(client: FlaskClient, city: City) -> None:
    other = user_with_token("uk2-staff", "org_staff", city.uk2)
    answer = client.get(f"/api/v1/buildings/{city.sovetskaya_45.id}/invitation", headers=other)
    assert answer.status_code == 403
    assert db.session.scalar(select(func.count(InvitationToken.id))) == 0
    own = user_with_token("uk1-staff", "org_staff", city.uk1)
    answer = client.get(f"/api/v1/buildings/{city.sovetskaya_45.id}/invitation", headers=own)
    assert answer.status_code == 200 and answer.get_json()["token"]


def test_integration_accounts_cannot_log_into_screens_or_export(app: Flask, city: City) -> None:
    create_user("crm", "integration", city.uk1.id, PASSWORD)
    client = ScreenClient(app, app.response_class, use_cookies=True)
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"login": "crm", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert answer.status_code == 403 and "только через API" in answer.get_data(as_text=True)
    assert client.get("/appeals/export.xlsx").status_code == 302  # still anonymous: to the login page
    assert client.get("/inbox").status_code == 302


def _png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header says width × height (a decompression bomb's calling card)."""
    data = bytearray(_png())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def _resolve_task(city: City) -> tuple[int, int]:
    staff = create_user("uk1", "org_staff", city.uk1.id, PASSWORD)
    appeal = register_appeal({"text": "Течёт крыша", "channel": "phone", "building_id": city.sovetskaya_45.id,
                              "category": "roof"}).appeal
    accept = db.session.query(HumanTask).filter_by(instance_id=appeal.instance_id, name="accept").one()
    complete_task(accept.id, staff, {"decision": "accept"})
    task = db.session.query(HumanTask).filter_by(instance_id=appeal.instance_id, name="resolve").one()
    return appeal.id, task.id


def _uploads(app: Flask) -> list[str]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _post_photo(screen: FlaskClient, task_id: int, content: bytes, **fields: str) -> int:
    page = screen.get(f"/tasks/{task_id}").get_data(as_text=True)
    data: dict[str, object] = {"csrf_token": csrf_token(page), "result": "resolved", **fields,
                               "photo": (io.BytesIO(content), "photo.png")}
    return screen.post(f"/tasks/{task_id}", data=data, content_type="multipart/form-data").status_code


def test_uploads_are_checked_in_full_and_written_only_after_the_form_validates(app: Flask, city: City) -> None:
    _, task_id = _resolve_task(city)
    screen = ScreenClient(app, app.response_class, use_cookies=True)
    login(screen, "uk1")
    before = _uploads(app)
    polyglot_head = b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"
    assert _post_photo(screen, task_id, polyglot_head) == 422
    assert _post_photo(screen, task_id, _png_claiming(20000, 20000)) == 422
    assert _post_photo(screen, task_id, _png(), result="no-such-result") == 422  # the form itself is bad
    assert _uploads(app) == before  # nothing written for any refusal


def test_a_polyglot_is_stored_as_a_clean_image_served_privately_to_those_who_may_read_the_appeal(
        app: Flask, city: City) -> None:
    appeal_id, task_id = _resolve_task(city)
    screen = ScreenClient(app, app.response_class, use_cookies=True)
    login(screen, "uk1")
    polyglot = _jpeg() + b"<html><script>alert(document.cookie)</script></html>"
    before = set(_uploads(app))
    assert _post_photo(screen, task_id, polyglot) == 302
    [name] = set(_uploads(app)) - before
    assert name.startswith(f"a{appeal_id}-") and name.endswith(".jpg")
    served = screen.get(f"/uploads/{name}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"<script>" not in served.data
    assert "private" in served.headers["Cache-Control"] and "public" not in served.headers["Cache-Control"]
    create_user("uk2", "org_staff", city.uk2.id, PASSWORD)
    stranger = ScreenClient(app, app.response_class, use_cookies=True)
    login(stranger, "uk2")
    assert stranger.get(f"/uploads/{name}").status_code == 404
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    dispatcher = ScreenClient(app, app.response_class, use_cookies=True)
    login(dispatcher, "disp")
    assert dispatcher.get(f"/uploads/{name}").status_code == 200
