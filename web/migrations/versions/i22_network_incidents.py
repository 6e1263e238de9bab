"""network incidents: kinds, covered buildings, absorption

Revision ID: i22_network_incidents
Revises: e52f53434dea
"""
import sqlalchemy as sa
from alembic import op

revision = "i22_network_incidents"
down_revision = "e52f53434dea"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="building"))
        batch.add_column(sa.Column("absorbed_into_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("instance_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("closing_note", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_incident_absorbed_into_id_incident", "incident", ["absorbed_into_id"], ["id"])
    op.create_table(
        "incident_building",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["building.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "building_id"),
    )
    op.create_index("ix_incident_building_building", "incident_building", ["building_id", "incident_id"])


def downgrade():
    op.drop_index("ix_incident_building_building", table_name="incident_building")
    op.drop_table("incident_building")
    with op.batch_alter_table("incident") as batch:
        batch.drop_constraint("fk_incident_absorbed_into_id_incident", type_="foreignkey")
        batch.drop_column("closing_note")
        batch.drop_column("instance_id")
        batch.drop_column("absorbed_into_id")
        batch.drop_column("kind")
