"""human_task.priority: emergencies first in every inbox

Revision ID: i12_task_priority
Revises: i13_safe_change
"""
from alembic import op
import sqlalchemy as sa

revision = "i12_task_priority"
down_revision = "i13_safe_change"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_index("ix_human_task_inbox")
        batch_op.drop_index("ix_human_task_org_inbox")
        batch_op.create_index("ix_human_task_inbox", ["status", "priority", "sort_key", "id"], unique=False)
        batch_op.create_index("ix_human_task_org_inbox", ["organization_id", "status", "priority", "sort_key", "id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_human_task_org_inbox")
        batch_op.drop_index("ix_human_task_inbox")
        batch_op.create_index("ix_human_task_org_inbox", ["organization_id", "status", "sort_key", "id"], unique=False)
        batch_op.create_index("ix_human_task_inbox", ["status", "sort_key", "id"], unique=False)
        batch_op.drop_column("priority")
