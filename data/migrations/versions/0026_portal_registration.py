"""portal_registration and portal_challenge_used: the public portal's self-registrations (one
per identity number, enforced by the primary key) and the challenges already answered

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 10:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'portal_registration',
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('registration_id', sa.String(length=64), nullable=False),
        sa.Column('facility_code', sa.String(length=32), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_portal_registration')),
        sa.UniqueConstraint('registration_id',
                            name=op.f('uq_portal_registration_registration_id')),
    )
    op.create_table(
        'portal_challenge_used',
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('nonce', name=op.f('pk_portal_challenge_used')),
    )
    op.create_index(op.f('ix_portal_challenge_used_used_at'), 'portal_challenge_used',
                    ['used_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_portal_challenge_used_used_at'), table_name='portal_challenge_used')
    op.drop_table('portal_challenge_used')
    op.drop_table('portal_registration')
