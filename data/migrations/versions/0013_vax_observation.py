"""vax_observation: how each dose's 30 minutes of observation ended (released, or a reaction
with the AEFI report it opened)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 00:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vax_observation',
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('facility_code', sa.String(length=32), nullable=False),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('released_by', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=8), nullable=False),
        sa.Column('aefi_report_id', sa.String(length=64), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.CheckConstraint("outcome IN ('RELEASED', 'REACTION')",
                           name=op.f('ck_vax_observation_outcome')),
        sa.PrimaryKeyConstraint('record_id', name=op.f('pk_vax_observation')),
    )


def downgrade() -> None:
    op.drop_table('vax_observation')
