"""demo history mark

Revision ID: i15_demo_history
Revises: i14_web_sessions
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i15_demo_history"
down_revision = "i14_web_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "demo_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("written_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("starts_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("appeals", sa.Integer(), nullable=False),
        sa.Column("outages", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_history")),
    )


def downgrade():
    op.drop_table("demo_history")
