"""vax_stock_request: a client's request id on the stock ledger's commands and the answer it
got, so a retried receive, issue, adjust, transfer, confirmation or count writes once

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 06:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vax_stock_request',
        sa.Column('request_id', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('requested_by', sa.String(length=100), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('RECEIVE', 'ISSUE', 'ADJUST', 'SEND', 'CONFIRM', 'COUNT')",
            name=op.f('ck_vax_stock_request_action_known')),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_vax_stock_request')),
    )


def downgrade() -> None:
    op.drop_table('vax_stock_request')
