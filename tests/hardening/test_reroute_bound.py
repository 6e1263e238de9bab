"""Item 2 of issue 14: the reroute loop is bounded by the diagram — after two refusals the coordinator's
choice is final, so an appeal cannot be passed back and forth without end."""
from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.appeals.test_lifecycle import _appeal, _complete, _register, _task
from tests.web.helpers import user_with_token
from workflows.db import db
from workflows.runtime.models import ProcessInstance


def test_after_two_refusals_the_coordinators_choice_is_final(app: Flask, client: FlaskClient, city: City) -> None:
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    coordinator = user_with_token("coord", "coordinator", city.cgds)
    uk1 = user_with_token("uk1", "org_staff", city.uk1)
    uk2 = user_with_token("uk2", "org_staff", city.uk2)
    appeal = _register(client, dispatcher, city.sovetskaya_45.id)
    _complete(client, uk1, _task(client, uk1, appeal["id"], "accept")["id"], decision="misrouted")
    _complete(client, dispatcher, _task(client, dispatcher, appeal["id"], "reroute")["id"],
              organization_id=city.uk2.id)
    _complete(client, uk2, _task(client, uk2, appeal["id"], "accept")["id"], decision="misrouted")
    _complete(client, coordinator, _task(client, coordinator, appeal["id"], "reroute")["id"],
              organization_id=city.uk1.id, comment="решение координатора")
    card = _appeal(client, dispatcher, appeal["id"])
    assert card["organization"]["id"] == city.uk1.id and card["status"] == "accepted"
    for who in (uk1, coordinator, dispatcher):
        items = client.get(f"/api/v1/tasks?appeal_id={appeal['id']}", headers=who).get_json()["items"]
        assert [t["name"] for t in items] in ([], ["resolve"])
        assert all(t["name"] != "accept" for t in items)  # it cannot be refused a third time
    assert _task(client, uk1, appeal["id"], "resolve")["name"] == "resolve"
    instance = db.session.query(ProcessInstance).filter_by(business_key=f"appeal:{appeal['id']}").one_or_none() \
        or db.session.query(ProcessInstance).filter_by(process_id="appeal").one()
    assert instance.status == "waiting" and len(json.dumps(instance.state)) < 200_000
