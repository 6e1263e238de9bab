"""The i20 data migration rewrites the phones earlier normalisers stored into E.164, and keeps non-numbers."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from web.app import MIGRATIONS, create_app
from workflows.db import db

BEFORE = "i15_appeal_stat"


def test_stored_phones_become_e164(any_empty_db_url: str, tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": any_empty_db_url, "QUEUE_URL": "memory://", "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision=BEFORE)
        moment = "2026-12-01 10:00:00+00:00"
        with db.engine.begin() as connection:
            for name, phone in (("УК 1", "84752723475"), ("УК 2", "+74752723475"), ("УК 3", "по договору"),
                                ("УК 4", None)):
                connection.execute(sa.text("INSERT INTO organization (name, kind, resources, phone, created_at) "
                                           "VALUES (:n, 'uk', '[]', :p, :c)"), {"n": name, "p": phone, "c": moment})
            for chat, phone in (("1", "9001234567"), ("2", "79001234567"), ("3", "+79001234567")):
                connection.execute(sa.text(
                    "INSERT INTO resident_consent (channel, chat_id, user_id, phone, purpose, text_version, text, "
                    "given_at) VALUES ('telegram', :chat, '', :p, 'appeal_contact', 'v1', 'согласие', :c)"),
                    {"chat": chat, "p": phone, "c": moment})
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            organizations = dict(connection.execute(sa.text("SELECT name, phone FROM organization")).all())
            consents = {row[0] for row in connection.execute(sa.text("SELECT phone FROM resident_consent"))}
        db.session.remove()
        db.engine.dispose()
    assert organizations == {"УК 1": "+74752723475", "УК 2": "+74752723475", "УК 3": "по договору", "УК 4": None}
    assert consents == {"+79001234567"}
