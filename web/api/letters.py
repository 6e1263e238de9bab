"""Written appeals (59-ФЗ): the one extension of the answer's deadline, with notice to the author."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from web.api import bp
from web.api.params import json_body
from web.auth import api_may
from workflows.appeals.letters import extend_answer
from workflows.appeals.queries import appeal_to_dict


@bp.post("/appeals/<int:appeal_id>/extension")
@api_may("letters.extend")
def appeals_extend(appeal_id: int) -> Any:
    appeal = extend_answer(appeal_id, json_body(), g.user)
    return jsonify(appeal_to_dict(appeal, with_personal=False))
