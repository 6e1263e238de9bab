"""social posts: the first public answer deadline (ЦУР pace)

Revision ID: i18_social_answer
Revises: i17_evidence
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i18_social_answer"
down_revision = "i17_evidence"
branch_labels = None
depends_on = None

_TIMES = ("taken_at", "answer_due_at", "answer_remind_at", "answer_reminded_at", "answer_escalated_at",
          "first_answer_at", "final_answer_at")


def upgrade():
    with op.batch_alter_table("social_post", schema=None) as batch_op:
        for name in _TIMES:
            batch_op.add_column(sa.Column(name, workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("first_answer_kind", sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f("ix_social_post_answer_due_at"), ["answer_due_at"], unique=False)


def downgrade():
    with op.batch_alter_table("social_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_social_post_answer_due_at"))
        batch_op.drop_column("first_answer_kind")
        for name in reversed(_TIMES):
            batch_op.drop_column(name)
