"""building coordinates may be approximate

Revision ID: i15_building_geo_approximate
Revises: i15_demo_history
"""
from alembic import op
import sqlalchemy as sa


revision = "i15_building_geo_approximate"
down_revision = "i15_demo_history"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("building") as batch_op:
        batch_op.add_column(sa.Column("geo_approximate", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("building") as batch_op:
        batch_op.drop_column("geo_approximate")
