"""a lot's trace: indexes by vaccine and lot

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 07:10:00.000000
"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# data.ops.queries.lot_trace reads one lot across every warehouse, session and dose; without
# these, each trace is a scan of the national stock ledger, session tallies and doses.
INDEXES = (
    ('ix_injection_vaccine_code_lot_number', 'injection'),
    ('ix_stock_movement_vaccine_code_lot_number', 'stock_movement'),
    ('ix_vax_session_tally_vaccine_code_lot_number', 'vax_session_tally'),
)


def upgrade() -> None:
    for name, table in INDEXES:
        op.create_index(name, table, ['vaccine_code', 'lot_number'])


def downgrade() -> None:
    for name, table in reversed(INDEXES):
        op.drop_index(name, table_name=table)
