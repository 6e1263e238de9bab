"""Open311 tokens without a table: "<appeal id>-<MAC>", signed with the app's secret key, so a token
can be looked up (GET tokens/{token}) but neither guessed nor forged from an id."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

MAC_CHARS = 20


def _mac(appeal_id: int) -> str:
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, f"open311-token:{appeal_id}".encode(), hashlib.sha256).hexdigest()[:MAC_CHARS]


def token_for(appeal_id: int) -> str:
    return f"{appeal_id}-{_mac(appeal_id)}"


def appeal_for_token(token: str) -> int | None:
    raw_id, _, mac = token.partition("-")
    if not raw_id.isdigit() or len(raw_id) > 9 or len(mac) != MAC_CHARS:
        return None
    return int(raw_id) if hmac.compare_digest(mac, _mac(int(raw_id))) else None
