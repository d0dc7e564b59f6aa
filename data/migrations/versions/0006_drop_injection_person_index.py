"""drop the person_id index of injection

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 08:55:00.000000
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No query reads injection by person_id, and keeping this random-order index up to date
    # was about 40% of the server time of a bulk load (bench.ingest, BENCHMARKS.md section 1).
    # A look-up of one person's doses would bring it back.
    with op.batch_alter_table('injection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_injection_person_id'))


def downgrade() -> None:
    with op.batch_alter_table('injection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_injection_person_id'), ['person_id'], unique=False)
