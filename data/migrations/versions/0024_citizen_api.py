"""citizen health-book API: one-time sign-in codes (citizen_code), citizen bearer tokens
(citizen_token), registrations their owner cancelled (vax_registration_cancel)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 10:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'citizen_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('salt', sa.String(length=32), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_code')),
    )
    op.create_index(op.f('ix_citizen_code_person_id'), 'citizen_code', ['person_id'])
    op.create_table(
        'citizen_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_citizen_token_token_hash')),
    )
    op.create_index(op.f('ix_citizen_token_person_id'), 'citizen_token', ['person_id'])
    op.create_table(
        'vax_registration_cancel',
        sa.Column('registration_id', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('row', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_vax_registration_cancel')),
    )
    op.create_index(op.f('ix_vax_registration_cancel_person_id'), 'vax_registration_cancel',
                    ['person_id'])


def downgrade() -> None:
    op.drop_table('vax_registration_cancel')
    op.drop_table('citizen_token')
    op.drop_table('citizen_code')
