"""vax_injection: a dose given at a session, tied to its check-in and screening

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 00:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

COMPLETED = sa.text("status = 'COMPLETED'")


def upgrade() -> None:
    op.create_table(
        'vax_injection',
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('checkin_id', sa.String(length=32), nullable=False),
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('screening_id', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), server_default='COMPLETED', nullable=False),
        sa.Column('injection_site', sa.String(length=12), nullable=False),
        sa.Column('proposed_dose_kind', sa.String(length=12), nullable=True),
        sa.Column('proposed_dose_number', sa.Integer(), nullable=True),
        sa.Column('override_reason', sa.Text(), nullable=True),
        sa.Column('vaccinator_user_id', sa.Integer(), nullable=False),
        sa.Column('recorded_by', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "injection_site IN ('LEFT_ARM', 'RIGHT_ARM', 'LEFT_THIGH', 'RIGHT_THIGH')",
            name=op.f('ck_vax_injection_injection_site')),
        sa.CheckConstraint("status IN ('COMPLETED', 'ENTERED_IN_ERROR')",
                           name=op.f('ck_vax_injection_status')),
        sa.ForeignKeyConstraint(['checkin_id'], ['vax_checkin.checkin_id'],
                                name=op.f('fk_vax_injection_checkin_id_vax_checkin')),
        sa.ForeignKeyConstraint(['session_id'], ['vax_session.session_id'],
                                name=op.f('fk_vax_injection_session_id_vax_session')),
        sa.ForeignKeyConstraint(['screening_id'], ['vax_screening.screening_id'],
                                name=op.f('fk_vax_injection_screening_id_vax_screening')),
        sa.PrimaryKeyConstraint('record_id', name=op.f('pk_vax_injection')),
    )
    # One COMPLETED dose per check-in: two staff injecting the same arrival store one dose.
    op.create_index('uq_vax_injection_checkin_id', 'vax_injection', ['checkin_id'],
                    unique=True, sqlite_where=COMPLETED, postgresql_where=COMPLETED)
    op.create_index('ix_vax_injection_session_id', 'vax_injection', ['session_id'])


def downgrade() -> None:
    op.drop_index('ix_vax_injection_session_id', table_name='vax_injection')
    op.drop_index('uq_vax_injection_checkin_id', table_name='vax_injection')
    op.drop_table('vax_injection')
