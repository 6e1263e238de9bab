"""wave_schedule: a rollout wave may be scheduled to switch on at a given time

Revision ID: i16_wave_schedule
Revises: i15_appeal_stat
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i16_wave_schedule"
down_revision = "i15_stat_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rollout_wave") as batch:
        batch.add_column(sa.Column("switch_on_at", workflows.db.UtcDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("rollout_wave") as batch:
        batch.drop_column("switch_on_at")
