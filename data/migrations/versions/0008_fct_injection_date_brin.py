"""fct_injection.date_key: a BRIN index on PostgreSQL

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 11:30:00.000000
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Doses are recorded day after day, so the fact table is laid out in date order: a BRIN
    # index (a few pages, whatever the size of the table) prunes as well as a B-tree there,
    # and a bulk load no longer feeds a B-tree in random date order (0.7 of the 5.8 s of
    # server time per million rows, BENCHMARKS.md section 1). SQLite keeps its B-tree.
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_fct_injection_date_key', table_name='fct_injection')
    op.create_index('ix_fct_injection_date_key', 'fct_injection', ['date_key'],
                    postgresql_using='brin')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_fct_injection_date_key', table_name='fct_injection')
    op.create_index('ix_fct_injection_date_key', 'fct_injection', ['date_key'])
