"""Issue 17: written appeals (59-ФЗ) and evidence of interruptions (limits' rule and source, confirmed restoration, indoor temperature)
and unknown power sources.

Revision ID: i17_evidence
Revises: i22_network_incidents
"""
from __future__ import annotations

import sqlalchemy as sa

import workflows.db
from alembic import op

revision = "i17_evidence"
down_revision = "i22_network_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outage") as batch:
        batch.add_column(sa.Column("indoor_temperature", sa.Float(), nullable=True))
        batch.add_column(sa.Column("indoor_temperature_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("network_accident", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("outage_building") as batch:
        batch.add_column(sa.Column("counts_monthly", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("limit_rule", sa.Text(), nullable=True))
        batch.add_column(sa.Column("limit_source", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("reduction_per_hour", sa.Float(), nullable=True))
        batch.add_column(sa.Column("indoor_temperature", sa.Float(), nullable=True))
        batch.add_column(sa.Column("indoor_temperature_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("confirmed_restored_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("restoration_disputed_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("building") as batch:
        batch.alter_column("power_sources", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("appeal") as batch:
        for name in ("received_at", "register_due_at", "extended_due_at"):
            batch.add_column(sa.Column(name, workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("extension_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appeal") as batch:
        for name in ("extension_reason", "extended_due_at", "register_due_at", "received_at"):
            batch.drop_column(name)
    with op.batch_alter_table("building") as batch:
        batch.alter_column("power_sources", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("outage_building") as batch:
        for name in ("restoration_disputed_at", "confirmed_restored_at", "indoor_temperature_at", "indoor_temperature",
                     "reduction_per_hour", "limit_source", "limit_rule",
                     "counts_monthly"):
            batch.drop_column(name)
    with op.batch_alter_table("outage") as batch:
        for name in ("network_accident", "indoor_temperature_at", "indoor_temperature"):
            batch.drop_column(name)
