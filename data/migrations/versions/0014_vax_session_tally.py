"""vax_session_tally: a closed session's doses given, vials opened and open-vial wastage per lot

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 00:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vax_session_tally',
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('lot_number', sa.String(length=40), nullable=False),
        sa.Column('vaccine_code', sa.String(length=8), nullable=False),
        sa.Column('doses_per_vial', sa.Integer(), nullable=False),
        sa.Column('doses_given', sa.Integer(), nullable=False),
        sa.Column('vials_opened', sa.Integer(), nullable=False),
        sa.Column('doses_wasted', sa.Integer(), nullable=False),
        # The database itself holds the tally's arithmetic, whatever path writes it.
        sa.CheckConstraint('doses_given >= 0', name=op.f('ck_vax_session_tally_given_not_negative')),
        sa.CheckConstraint('vials_opened >= 0', name=op.f('ck_vax_session_tally_vials_not_negative')),
        sa.CheckConstraint('doses_wasted >= 0', name=op.f('ck_vax_session_tally_wasted_not_negative')),
        sa.CheckConstraint('doses_per_vial > 0', name=op.f('ck_vax_session_tally_per_vial_positive')),
        sa.CheckConstraint('doses_given + doses_wasted = vials_opened * doses_per_vial',
                           name=op.f('ck_vax_session_tally_vials_hold_given_and_wasted')),
        sa.ForeignKeyConstraint(['session_id'], ['vax_session.session_id'],
                                name=op.f('fk_vax_session_tally_session_id_vax_session')),
        sa.PrimaryKeyConstraint('session_id', 'lot_number', name=op.f('pk_vax_session_tally')),
    )


def downgrade() -> None:
    op.drop_table('vax_session_tally')
