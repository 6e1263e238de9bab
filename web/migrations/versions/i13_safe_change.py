"""safe change: failure alerts, alert contacts, version source and activation

Revision ID: i13_safe_change
Revises: i21_delivery_budget
"""
from alembic import op
import sqlalchemy as sa
import workflows.db


revision = "i13_safe_change"
down_revision = "i21_delivery_budget"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "failure_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind_key", sa.String(length=64), nullable=False),
        sa.Column("window_start", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("process_id", sa.String(length=200), nullable=False),
        sa.Column("element_id", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("created_at", workflows.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failure_alert")),
        sa.UniqueConstraint("kind_key", "window_start", name="uq_failure_alert_kind_window"),
    )
    op.create_table(
        "alert_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_alert_contact_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_contact")),
        sa.UniqueConstraint("user_id", "channel", name="uq_alert_contact_user_channel"),
    )
    with op.batch_alter_table("alert_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_contact_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=10), nullable=False, server_default="person"))
        batch_op.add_column(sa.Column("activation", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("activated_at", workflows.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("activated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_process_version_activated_by_id_user_account"), "user_account",
                                    ["activated_by_id"], ["id"])
    # Versions deployed before this revision without a person are the bundled files `demo load` deployed.
    op.execute("UPDATE process_version SET source = 'bundled' WHERE deployed_by_id IS NULL")


def downgrade():
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_process_version_activated_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("activated_by_id")
        batch_op.drop_column("activated_at")
        batch_op.drop_column("activation")
        batch_op.drop_column("source")
    with op.batch_alter_table("alert_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_contact_user_id"))
    op.drop_table("alert_contact")
    op.drop_table("failure_alert")
