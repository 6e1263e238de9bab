"""appeal_stat: one row per appeal with what the figures read, kept current after every flush

Revision ID: i15_appeal_stat
Revises: i15_digest

Existing appeals are counted after `otklik stats rebuild` (run once after this upgrade).
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i15_appeal_stat"
down_revision = "i15_digest"
branch_labels = None
depends_on = None


def upgrade():
    moment = workflows.db.UtcDateTime(timezone=True)
    op.create_table(
        "appeal_stat",
        sa.Column("appeal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("due_at", moment, nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", moment, nullable=True),
        sa.Column("resolved_at", moment, nullable=True),
        sa.Column("reopened_at", moment, nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("deadline", moment, nullable=True),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeal.id"], name=op.f("fk_appeal_stat_appeal_id_appeal"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("appeal_id", name=op.f("pk_appeal_stat")),
    )
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.create_index("ix_appeal_stat_created", ["created_at"], unique=False)
        batch_op.create_index("ix_appeal_stat_org_created", ["organization_id", "created_at"], unique=False)
        batch_op.create_index("ix_appeal_stat_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_appeal_stat_resolved", ["resolved_at"], unique=False)


def downgrade():
    op.drop_table("appeal_stat")
