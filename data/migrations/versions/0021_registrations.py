"""registrations page: indexes for a district's list, duplicates and name search; the merge
history (vax_registration_merge, vax_registration_merged)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 06:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_registration_place_registered_at', 'registration',
                    ['province_code', 'district_code', 'registered_at', 'registration_id'])
    op.create_index('ix_registration_place_person_id', 'registration',
                    ['province_code', 'district_code', 'person_id'])
    op.create_index('ix_registration_place_full_name', 'registration',
                    ['province_code', 'district_code', 'full_name'],
                    postgresql_ops={'full_name': 'varchar_pattern_ops'})
    op.create_table(
        'vax_registration_merge',
        sa.Column('merge_id', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('kept_registration_id', sa.String(length=64), nullable=False),
        sa.Column('merged_ids', sa.JSON(), nullable=False),
        sa.Column('kept_fields', sa.JSON(), nullable=False),
        sa.Column('merged_rows', sa.JSON(), nullable=False),
        sa.Column('bookings_moved', sa.Integer(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('district_code', sa.String(length=3), nullable=False),
        sa.Column('merged_by', sa.Integer(), nullable=False),
        sa.Column('merged_by_name', sa.String(length=64), nullable=False),
        sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('merge_id', name=op.f('pk_vax_registration_merge')),
    )
    op.create_index(op.f('ix_vax_registration_merge_person_id'), 'vax_registration_merge',
                    ['person_id'])
    op.create_index(op.f('ix_vax_registration_merge_kept_registration_id'),
                    'vax_registration_merge', ['kept_registration_id'])
    op.create_table(
        'vax_registration_merged',
        sa.Column('registration_id', sa.String(length=64), nullable=False),
        sa.Column('merge_id', sa.String(length=32), nullable=False),
        sa.Column('kept_registration_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['merge_id'], ['vax_registration_merge.merge_id'],
                                name=op.f('fk_vax_registration_merged_merge_id_vax_registration_merge'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_vax_registration_merged')),
    )
    op.create_index(op.f('ix_vax_registration_merged_merge_id'), 'vax_registration_merged',
                    ['merge_id'])


def downgrade() -> None:
    op.drop_table('vax_registration_merged')
    op.drop_table('vax_registration_merge')
    op.drop_index('ix_registration_place_full_name', table_name='registration')
    op.drop_index('ix_registration_place_person_id', table_name='registration')
    op.drop_index('ix_registration_place_registered_at', table_name='registration')
