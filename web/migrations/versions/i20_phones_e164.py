"""phones stored as E.164: the spellings the old normalisers left («9001234567», «79001234567») rewritten

Revision ID: i20_phones_e164
Revises: i15_appeal_stat

A data migration only. Every stored phone that is a number becomes its E.164 form through
`connectors.phones` (the one normaliser); text that is not a number stays as it was. An SMS
representative whose rewritten address would repeat another on the same building keeps its spelling.
Downgrade leaves the numbers in E.164 (the old spellings cannot be told apart and were all read as one).
"""
from alembic import op
import sqlalchemy as sa

from connectors import phones


revision = "i20_phones_e164"
down_revision = "i16_wave_schedule"
branch_labels = None
depends_on = None

COLUMNS = (("appeal", "applicant_phone"), ("resident_chat", "phone"), ("resident_consent", "phone"),
           ("outage", "contact_phone"), ("organization", "phone"))


def _normalise_column(connection: sa.Connection, table: str, column: str) -> None:
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
    for row_id, value in rows:
        normal = phones.stored(value)
        if normal and normal != value:
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                               {"value": normal, "id": row_id})


def _normalise_sms_representatives(connection: sa.Connection) -> None:
    rows = connection.execute(sa.text(
        "SELECT id, building_id, address FROM representative WHERE channel = 'sms'")).all()
    taken = {(building_id, address) for _, building_id, address in rows}
    for row_id, building_id, address in rows:
        normal = phones.e164(address)
        if normal is None or normal == address or (building_id, normal) in taken:
            continue
        connection.execute(sa.text("UPDATE representative SET address = :value WHERE id = :id"),
                           {"value": normal, "id": row_id})
        taken.discard((building_id, address))
        taken.add((building_id, normal))


def upgrade():
    connection = op.get_bind()
    for table, column in COLUMNS:
        _normalise_column(connection, table, column)
    _normalise_sms_representatives(connection)


def downgrade():
    pass
