"""The organisation reports the result with an optional photo, checked by its bytes and served to logged-in users."""
from __future__ import annotations

import io

from flask import Flask

from tests.appeals.city import City
from tests.registering import register_appeal
from tests.web.helpers import PASSWORD, csrf_token, login
from tests.web.screen_helpers import ScreenClient
from workflows.accounts.service import create_user
from workflows.appeals.models import AppealEvent
from workflows.db import db
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def _resolve_task(city: City) -> tuple[int, int]:
    staff = create_user("uk1", "org_staff", city.uk1.id, PASSWORD)
    appeal = register_appeal({"text": "Течёт крыша", "channel": "phone", "building_id": city.sovetskaya_45.id,
                              "category": "roof"}).appeal
    accept = db.session.query(HumanTask).filter_by(instance_id=appeal.instance_id, name="accept").one()
    complete_task(accept.id, staff, {"decision": "accept"})
    task = db.session.query(HumanTask).filter_by(instance_id=appeal.instance_id, name="resolve").one()
    return appeal.id, task.id


def test_a_result_photo_is_stored_shown_in_history_and_served_only_after_login(app: Flask, city: City) -> None:
    appeal_id, task_id = _resolve_task(city)
    screen = ScreenClient(app, app.response_class, use_cookies=True)
    login(screen, "uk1")
    page = screen.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert 'type="file" name="photo"' in page and 'enctype="multipart/form-data"' in page
    bad = screen.post(f"/tasks/{task_id}", data={"csrf_token": csrf_token(page), "result": "resolved",
                                                 "photo": (io.BytesIO(b"<svg>not a photo</svg>"), "x.svg")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "JPEG, PNG или WebP" in bad.get_data(as_text=True)
    done = screen.post(f"/tasks/{task_id}", data={"csrf_token": csrf_token(page), "result": "resolved",
                                                  "comment": "заменили", "photo": (io.BytesIO(PNG), "r.png")},
                       content_type="multipart/form-data")
    assert done.status_code == 302
    event = db.session.query(AppealEvent).filter_by(appeal_id=appeal_id, kind="resolved").one()
    url = event.data["photo"]
    assert url.startswith(f"/uploads/a{appeal_id}-") and url.endswith(".png")
    assert screen.get(url).data.startswith(b"\x89PNG")  # re-encoded: the same picture, fresh bytes
    anonymous = ScreenClient(app, app.response_class, use_cookies=True)
    assert anonymous.get(url).status_code == 302  # not logged in: to the login page
    assert screen.get("/uploads/..%2Fsecret_key").status_code == 404
