"""vax_stock_transfer.allocation_id: the allocation decision row a transfer delivers, so an
allocation is followed to what was dispatched and received against it

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 06:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('vax_stock_transfer',
                  sa.Column('allocation_id', sa.String(length=64), nullable=True))
    op.create_index('ix_vax_stock_transfer_allocation_id', 'vax_stock_transfer',
                    ['allocation_id'])


def downgrade() -> None:
    op.drop_index('ix_vax_stock_transfer_allocation_id', table_name='vax_stock_transfer')
    # SQLite (3.35 and later) drops a column in place, keeping the table's checks.
    op.drop_column('vax_stock_transfer', 'allocation_id')
