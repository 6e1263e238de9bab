"""The Alembic migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

import logging
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from web.app import MIGRATIONS, create_app
from workflows.db import db


def test_migrations_match_the_models(any_empty_db_url: str, tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": any_empty_db_url, "QUEUE_URL": "memory://", "SECRET_KEY": "x", "TESTING": True})
    ours = logging.getLogger("workflows.demo")  # a logger of the application, made before the upgrade
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert not ours.disabled  # Alembic's logging set-up leaves the application's loggers on
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        db.session.remove()
        db.engine.dispose()
    assert differences == [], "run `otklik db migrate -m '...'`: the models changed without a migration"
