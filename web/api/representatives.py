"""Building representatives: staff enrol them (with consent), list them, remove them; invitation links."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from web.api import bp
from web.api.params import json_body
from web.auth import api_may
from workflows.delivery import history
from workflows.outages import representatives as reps


def _with_consent(rep: Any) -> dict[str, Any]:
    data: dict[str, Any] = rep.to_dict()
    consents = reps.consents_of(rep.id)
    data["consent"] = consents[-1].to_dict() if consents else None
    # what delivery recorded about them, e.g. switched off because they stopped the bot
    data["history"] = [{"at": e.at.isoformat(), "kind": e.kind, "text": e.text}
                       for e in history(recipient_key=f"rep:{rep.id}")]
    return data


@bp.post("/buildings/<int:building_id>/representatives")
@api_may("representatives.manage")
def representatives_create(building_id: int) -> Any:
    rep = reps.add_representative(building_id, json_body(), g.user)
    return jsonify(_with_consent(rep)), 201


@bp.get("/buildings/<int:building_id>/representatives")
@api_may("representatives.manage")
def representatives_list(building_id: int) -> Any:
    return jsonify({"items": [_with_consent(r) for r in reps.building_representatives(building_id, g.user)]})


@bp.delete("/buildings/<int:building_id>/representatives/<int:rep_id>")
@api_may("representatives.manage")
def representatives_remove(building_id: int, rep_id: int) -> Any:
    return jsonify(_with_consent(reps.remove_representative(building_id, rep_id, g.user)))


@bp.get("/buildings/<int:building_id>/invitation")
@api_may("representatives.manage")
def representatives_invitation(building_id: int) -> Any:
    return jsonify(reps.invitation_links(reps.invitation(building_id, g.user).token))
