"""weekly digest recipients and sent weeks

Revision ID: i15_digest
Revises: i15_building_geo_approximate
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i15_digest"
down_revision = "i15_building_geo_approximate"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "digest_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_digest_recipient_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_recipient")),
        sa.UniqueConstraint("user_id", "channel", name="uq_digest_recipient_user_id"),
    )
    with op.batch_alter_table("digest_recipient") as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_recipient_user_id"), ["user_id"], unique=False)
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("sent_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_run")),
        sa.UniqueConstraint("week_start", name=op.f("uq_digest_run_week_start")),
    )


def downgrade():
    op.drop_table("digest_run")
    with op.batch_alter_table("digest_recipient") as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_recipient_user_id"))
    op.drop_table("digest_recipient")
