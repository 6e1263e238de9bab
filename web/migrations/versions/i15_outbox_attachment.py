"""delivery_outbox.attachment: a reference to a file made when the message is sent (the digest's workbook)

Revision ID: i15_outbox_attachment
Revises: i15_appeal_stat
"""
from alembic import op
import sqlalchemy as sa


revision = "i15_outbox_attachment"
down_revision = "i15_appeal_stat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("delivery_outbox") as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("delivery_outbox") as batch_op:
        batch_op.drop_column("attachment")
