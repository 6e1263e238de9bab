"""appeal_stat: covering indexes so a period's figures and the board are read from indexes alone

Revision ID: i15_stat_indexes
Revises: i15_outbox_attachment
"""
from alembic import op


revision = "i15_stat_indexes"
down_revision = "i15_outbox_attachment"
branch_labels = None
depends_on = None

PERIOD_COLUMNS = ["organization_id", "category", "district", "status", "due_at", "incident_id", "accepted_at",
                  "resolved_at", "reopened_at", "escalated", "deadline"]


def upgrade():
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.drop_index("ix_appeal_stat_created")
        batch_op.drop_index("ix_appeal_stat_status_due")
        batch_op.create_index("ix_appeal_stat_period", ["created_at"], unique=False,
                              postgresql_include=PERIOD_COLUMNS)
        batch_op.create_index("ix_appeal_stat_status_due", ["status", "due_at"], unique=False,
                              postgresql_include=["organization_id"])
        batch_op.create_index("ix_appeal_stat_emergency", ["emergency", "status", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("appeal_stat") as batch_op:
        batch_op.drop_index("ix_appeal_stat_emergency")
        batch_op.drop_index("ix_appeal_stat_status_due")
        batch_op.drop_index("ix_appeal_stat_period")
        batch_op.create_index("ix_appeal_stat_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_appeal_stat_created", ["created_at"], unique=False)
