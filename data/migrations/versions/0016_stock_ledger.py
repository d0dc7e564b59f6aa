"""The stock ledger's commands: entry order and detail of a movement (vax_stock_entry),
two-sided transfers (vax_stock_transfer), physical counts (vax_stock_count), and the index of
one lot's movements at one warehouse in time order

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 03:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_stock_movement_lot_at', 'stock_movement',
                    ['warehouse_code', 'vaccine_code', 'lot_number', 'occurred_at'])
    op.create_table(
        'vax_stock_entry',
        sa.Column('entry_id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('movement_id', sa.String(length=64), nullable=False),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('entered_by', sa.String(length=100), nullable=False),
        sa.Column('reason_detail', sa.String(length=24), nullable=True),
        sa.Column('vvm_stage', sa.Integer(), nullable=True),
        sa.CheckConstraint('vvm_stage BETWEEN 1 AND 4',
                           name=op.f('ck_vax_stock_entry_vvm_stage_1_to_4')),
        sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_vax_stock_entry')),
        sa.UniqueConstraint('movement_id', name=op.f('uq_vax_stock_entry_movement_id')),
        sqlite_autoincrement=True,
    )
    op.create_table(
        'vax_stock_transfer',
        sa.Column('transfer_id', sa.String(length=32), nullable=False),
        sa.Column('from_warehouse', sa.String(length=40), nullable=False),
        sa.Column('to_warehouse', sa.String(length=40), nullable=False),
        sa.Column('vaccine_code', sa.String(length=8), nullable=False),
        sa.Column('lot_number', sa.String(length=40), nullable=False),
        sa.Column('expiry_date', sa.Date(), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('out_movement_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('received', sa.Integer(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('in_movement_id', sa.String(length=64), nullable=True),
        sa.Column('discrepancy', sa.Integer(), nullable=True),
        sa.CheckConstraint('sent > 0', name=op.f('ck_vax_stock_transfer_sent_positive')),
        sa.CheckConstraint('received IS NULL OR (received >= 0 AND received <= sent)',
                           name=op.f('ck_vax_stock_transfer_received_within_sent')),
        sa.CheckConstraint("status IN ('IN_TRANSIT', 'RECEIVED')",
                           name=op.f('ck_vax_stock_transfer_status_known')),
        sa.CheckConstraint("(status = 'IN_TRANSIT') = (received IS NULL)",
                           name=op.f('ck_vax_stock_transfer_received_iff_confirmed')),
        sa.CheckConstraint('from_warehouse <> to_warehouse',
                           name=op.f('ck_vax_stock_transfer_two_warehouses')),
        sa.PrimaryKeyConstraint('transfer_id', name=op.f('pk_vax_stock_transfer')),
    )
    op.create_index('ix_vax_stock_transfer_to_warehouse_status', 'vax_stock_transfer',
                    ['to_warehouse', 'status'])
    op.create_table(
        'vax_stock_count',
        sa.Column('count_id', sa.String(length=32), nullable=False),
        sa.Column('warehouse_code', sa.String(length=40), nullable=False),
        sa.Column('vaccine_code', sa.String(length=8), nullable=False),
        sa.Column('lot_number', sa.String(length=40), nullable=False),
        sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('counted', sa.Integer(), nullable=False),
        sa.Column('ledger_balance', sa.Integer(), nullable=False),
        sa.Column('movement_id', sa.String(length=64), nullable=True),
        sa.Column('vvm_stage', sa.Integer(), nullable=True),
        sa.Column('counted_by', sa.String(length=100), nullable=False),
        sa.CheckConstraint('counted >= 0', name=op.f('ck_vax_stock_count_counted_not_negative')),
        sa.CheckConstraint('vvm_stage BETWEEN 1 AND 4',
                           name=op.f('ck_vax_stock_count_vvm_stage_1_to_4')),
        sa.PrimaryKeyConstraint('count_id', name=op.f('pk_vax_stock_count')),
    )
    op.create_index('ix_vax_stock_count_warehouse_code_lot_number', 'vax_stock_count',
                    ['warehouse_code', 'lot_number'])


def downgrade() -> None:
    op.drop_index('ix_vax_stock_count_warehouse_code_lot_number', table_name='vax_stock_count')
    op.drop_table('vax_stock_count')
    op.drop_index('ix_vax_stock_transfer_to_warehouse_status', table_name='vax_stock_transfer')
    op.drop_table('vax_stock_transfer')
    op.drop_table('vax_stock_entry')
    op.drop_index('ix_stock_movement_lot_at', table_name='stock_movement')
