"""certificate_issue: the registry of issued COVID certificates (UVCI, person id, dose, signer
kid, issued and expiry times), so a certificate is re-issued and audited

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 10:05:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'certificate_issue',
        sa.Column('uvci', sa.String(length=80), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('kid', sa.String(length=16), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('uvci', name=op.f('pk_certificate_issue')),
    )
    op.create_index('ix_certificate_issue_person_id_issued_at', 'certificate_issue',
                    ['person_id', 'issued_at'])


def downgrade() -> None:
    op.drop_index('ix_certificate_issue_person_id_issued_at', table_name='certificate_issue')
    op.drop_table('certificate_issue')
