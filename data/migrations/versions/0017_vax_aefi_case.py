"""vax_aefi_staff_report and vax_aefi_case: the staff AEFI form's reporter and coded symptoms,
and a serious case's investigation and causality classification

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 03:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vax_aefi_staff_report',
        sa.Column('report_id', sa.String(length=64), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('entered_by', sa.Integer(), nullable=False),
        sa.Column('entered_by_name', sa.String(length=64), nullable=False),
        sa.Column('reporter_name', sa.String(length=200), nullable=False),
        sa.Column('reporter_title', sa.String(length=120), nullable=True),
        sa.Column('reporter_phone', sa.String(length=15), nullable=True),
        sa.Column('symptom_codes', sa.String(length=600), nullable=True),
        sa.Column('symptom_text', sa.Text(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('report_id', name=op.f('pk_vax_aefi_staff_report')),
    )
    op.create_table(
        'vax_aefi_case',
        sa.Column('report_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('facility_code', sa.String(length=32), nullable=False),
        sa.Column('province_code', sa.String(length=2), nullable=False),
        sa.Column('district_code', sa.String(length=3), nullable=False),
        sa.Column('investigated_on', sa.Date(), nullable=False),
        sa.Column('findings', sa.Text(), nullable=False),
        sa.Column('investigated_by', sa.Integer(), nullable=False),
        sa.Column('investigated_by_name', sa.String(length=64), nullable=False),
        sa.Column('investigation_signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('causality', sa.String(length=16), nullable=True),
        sa.Column('council_decided_on', sa.Date(), nullable=True),
        sa.Column('council_note', sa.Text(), nullable=True),
        sa.Column('classified_by', sa.Integer(), nullable=True),
        sa.Column('classified_by_name', sa.String(length=64), nullable=True),
        sa.Column('classification_signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('INVESTIGATED', 'CLASSIFIED')",
                           name=op.f('ck_vax_aefi_case_status')),
        sa.CheckConstraint("status <> 'CLASSIFIED' OR (causality IS NOT NULL AND classified_by "
                           "IS NOT NULL AND council_decided_on IS NOT NULL)",
                           name=op.f('ck_vax_aefi_case_classified')),
        sa.PrimaryKeyConstraint('report_id', name=op.f('pk_vax_aefi_case')),
    )


def downgrade() -> None:
    op.drop_table('vax_aefi_case')
    op.drop_table('vax_aefi_staff_report')
