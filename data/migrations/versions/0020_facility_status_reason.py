"""facility.status_reason: why a facility was refused or suspended (/ops/facilities)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 06:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.drop_column('status_reason')
