"""delivery: retry budget start per channel, and the delivery history

Revision ID: i21_delivery_budget
Revises: i18_social_answer
Create Date: 2026-12-05 06:40:00

"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i21_delivery_budget"
down_revision = "i18_social_answer"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("delivery_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_attempt_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
    op.create_table(
        "delivery_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("notice_key", sa.String(length=200), nullable=True),
        sa.Column("recipient_key", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_event")),
    )
    with op.batch_alter_table("delivery_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_event_outbox_id"), ["outbox_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_event_recipient_key"), ["recipient_key"], unique=False)


def downgrade():
    with op.batch_alter_table("delivery_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_event_recipient_key"))
        batch_op.drop_index(batch_op.f("ix_delivery_event_outbox_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_event_at"))
    op.drop_table("delivery_event")
    with op.batch_alter_table("delivery_outbox", schema=None) as batch_op:
        batch_op.drop_column("first_attempt_at")
