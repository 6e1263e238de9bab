"""appeal_stat: stored durations (accept_seconds, resolve_seconds) in the period's covering index

The medians of `GET /api/v1/stats` sort these instead of computing a numeric EXTRACT per appeal and request.

Revision ID: i15_stat_seconds
Revises: i20_phones_e164
"""
import sqlalchemy as sa
from alembic import op

revision = "i15_stat_seconds"
down_revision = "i20_phones_e164"
branch_labels = None
depends_on = None

OLD_PERIOD_COLUMNS = ["organization_id", "category", "district", "status", "due_at", "incident_id", "accepted_at",
                      "resolved_at", "reopened_at", "escalated", "deadline"]
PERIOD_COLUMNS = [*OLD_PERIOD_COLUMNS, "accept_seconds", "resolve_seconds"]


def _seconds(later):
    if op.get_bind().dialect.name == "postgresql":
        return f"EXTRACT(epoch FROM {later} - created_at)::float8"
    return f"(julianday({later}) - julianday(created_at)) * 86400.0"


def upgrade():
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.add_column(sa.Column("accept_seconds", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("resolve_seconds", sa.Double(), nullable=True))
    op.execute(f"UPDATE appeal_stat SET accept_seconds = {_seconds('accepted_at')}, "
               f"resolve_seconds = {_seconds('resolved_at')}")
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.drop_index("ix_appeal_stat_period")
        batch_op.create_index("ix_appeal_stat_period", ["created_at"], unique=False,
                              postgresql_include=PERIOD_COLUMNS)


def downgrade():
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.drop_index("ix_appeal_stat_period")
        batch_op.create_index("ix_appeal_stat_period", ["created_at"], unique=False,
                              postgresql_include=OLD_PERIOD_COLUMNS)
        batch_op.drop_column("resolve_seconds")
        batch_op.drop_column("accept_seconds")
