"""one screening per check-in and attempt; the invitation list's district indexes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 00:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Screenings stored before 0015 are numbered by their order within the check-in, so a
# check-in screened again after a pause (give_dose reads the latest) keeps every row.
NUMBER_ATTEMPTS = sa.text("""
    UPDATE vax_screening SET attempt = (
        SELECT COUNT(*) FROM vax_screening earlier
        WHERE earlier.checkin_id = vax_screening.checkin_id
          AND (earlier.screened_at < vax_screening.screened_at
               OR (earlier.screened_at = vax_screening.screened_at
                   AND earlier.screening_id <= vax_screening.screening_id)))""")


def upgrade() -> None:
    op.add_column('vax_screening', sa.Column('attempt', sa.Integer(), server_default='1',
                                             nullable=False))
    op.execute(NUMBER_ATTEMPTS)
    # Two clinicians (or a retry) saving one check-in's screening at once store one.
    op.create_index('uq_vax_screening_checkin_id_attempt', 'vax_screening',
                    ['checkin_id', 'attempt'], unique=True)
    # Its leading column serves every look-up by check-in: the plain index is redundant.
    op.drop_index('ix_vax_screening_checkin_id', table_name='vax_screening')
    # data.ops.queries.invitations reads a district's registrations (by priority group) and
    # a district's doses; without these, a scan of every row at national scale.
    op.create_index('ix_registration_province_code_district_code_priority_group',
                    'registration', ['province_code', 'district_code', 'priority_group'])
    op.create_index('ix_injection_province_code_district_code', 'injection',
                    ['province_code', 'district_code'])


def downgrade() -> None:
    op.drop_index('ix_injection_province_code_district_code', table_name='injection')
    op.drop_index('ix_registration_province_code_district_code_priority_group',
                  table_name='registration')
    op.create_index('ix_vax_screening_checkin_id', 'vax_screening', ['checkin_id'])
    op.drop_index('uq_vax_screening_checkin_id_attempt', table_name='vax_screening')
    with op.batch_alter_table('vax_screening') as batch_op:
        batch_op.drop_column('attempt')
