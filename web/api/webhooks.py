"""Outgoing webhooks of an organisation: subscribe, list, unsubscribe, deliveries with attempts."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_may
from workflows.integrations import subscriptions


@bp.post("/webhooks")
@api_may("webhooks.manage")
def webhooks_create() -> Any:
    subscription, created = subscriptions.subscribe(g.user, json_body())
    body = {**subscription.to_dict(), "secret": subscription.secret}
    return jsonify(body), 201 if created else 200


@bp.get("/webhooks")
@api_may("webhooks.manage")
def webhooks_list() -> Any:
    return jsonify({"items": [s.to_dict() for s in subscriptions.list_subscriptions(g.user)]})


@bp.get("/webhooks/<int:subscription_id>")
@api_may("webhooks.manage")
def webhooks_show(subscription_id: int) -> Any:
    return jsonify(subscriptions.get_subscription(g.user, subscription_id).to_dict())


@bp.delete("/webhooks/<int:subscription_id>")
@api_may("webhooks.manage")
def webhooks_delete(subscription_id: int) -> Any:
    subscriptions.unsubscribe(g.user, subscription_id)
    return "", 204


@bp.get("/webhooks/<int:subscription_id>/deliveries")
@api_may("webhooks.manage")
def webhooks_deliveries(subscription_id: int) -> Any:
    page = int_arg("page", 1) or 1
    per_page = int_arg("per_page", 50, maximum=500) or 50
    items, total = subscriptions.deliveries(g.user, subscription_id, page, per_page)
    return jsonify({"items": items, "total": total, "page": page, "per_page": per_page})
