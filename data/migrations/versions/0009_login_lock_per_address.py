"""login_lock: failed sign-ins counted per account and client address

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A lock on the account alone let anyone lock the administrator out with five requests;
    # the count now lives per (account, client address), so a stranger locks only himself.
    op.create_table(
        'login_lock',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                                name=op.f('fk_login_lock_user_id_app_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'source', name=op.f('pk_login_lock')),
    )
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of
    # app_user would trip the foreign keys of user_role on SQLite.
    op.execute('ALTER TABLE app_user DROP COLUMN failed_logins')
    op.execute('ALTER TABLE app_user DROP COLUMN locked_until')


def downgrade() -> None:
    op.add_column('app_user', sa.Column('locked_until', sa.DateTime(timezone=True),
                                        nullable=True))
    op.add_column('app_user', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                        server_default='0'))
    op.drop_table('login_lock')
