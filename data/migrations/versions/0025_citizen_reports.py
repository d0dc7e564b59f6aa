"""vax_aefi_self_report, vax_health_declaration and agg_health_declaration_daily: a
citizen's self-reported reactions after a dose (the marker of the AEFI report they land as)
and the daily health declaration with its counts per day and province

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 10:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vax_aefi_self_report',
        sa.Column('report_id', sa.String(length=64), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('reaction_codes', sa.String(length=600), nullable=True),
        sa.Column('reaction_text', sa.Text(), nullable=True),
        sa.Column('hospitalised', sa.Boolean(), nullable=False),
        sa.Column('onset_date', sa.Date(), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('PORTAL', 'APP')",
                           name=op.f('ck_vax_aefi_self_report_channel')),
        sa.PrimaryKeyConstraint('report_id', name=op.f('pk_vax_aefi_self_report')),
    )
    op.create_index('ix_vax_aefi_self_report_record_id', 'vax_aefi_self_report',
                    ['record_id'])
    op.create_table(
        'vax_health_declaration',
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('symptom_codes', sa.String(length=300), nullable=True),
        sa.Column('contact', sa.Boolean(), nullable=False),
        sa.Column('travel', sa.Boolean(), nullable=False),
        sa.Column('travel_province', sa.String(length=2), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('PORTAL', 'APP')",
                           name=op.f('ck_vax_health_declaration_channel')),
        sa.CheckConstraint("travel OR travel_province IS NULL",
                           name=op.f('ck_vax_health_declaration_travel_province')),
        sa.PrimaryKeyConstraint('person_id', 'day', name=op.f('pk_vax_health_declaration')),
    )
    op.create_index('ix_vax_health_declaration_day_province', 'vax_health_declaration',
                    ['day', 'province_code'])
    op.create_table(
        'agg_health_declaration_daily',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('declarations', sa.Integer(), nullable=False),
        sa.Column('with_symptoms', sa.Integer(), nullable=False),
        sa.Column('with_contact', sa.Integer(), nullable=False),
        sa.Column('with_travel', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'province_code',
                                name=op.f('pk_agg_health_declaration_daily')),
    )


def downgrade() -> None:
    op.drop_table('agg_health_declaration_daily')
    op.drop_index('ix_vax_health_declaration_day_province',
                  table_name='vax_health_declaration')
    op.drop_table('vax_health_declaration')
    op.drop_index('ix_vax_aefi_self_report_record_id', table_name='vax_aefi_self_report')
    op.drop_table('vax_aefi_self_report')
