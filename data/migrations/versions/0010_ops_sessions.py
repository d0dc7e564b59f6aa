"""ops sessions: vaccination sessions, their staff, bookings, check-ins and screenings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

LIVE = sa.text("status <> 'CANCELLED'")


def upgrade() -> None:
    op.create_table(
        'vax_session',
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('facility_code', sa.String(length=32), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.Time(), nullable=False),
        sa.Column('ends_at', sa.Time(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('booked', sa.Integer(), server_default='0', nullable=False),
        sa.Column('vaccines', sa.JSON(), nullable=False),
        sa.Column('lots', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        # The database itself refuses an overbooked session, whatever path writes it.
        sa.CheckConstraint('capacity > 0', name=op.f('ck_vax_session_capacity_positive')),
        sa.CheckConstraint('booked >= 0 AND booked <= capacity',
                           name=op.f('ck_vax_session_booked_within_capacity')),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_vax_session_window')),
        sa.CheckConstraint("status IN ('OPEN', 'CLOSED')", name=op.f('ck_vax_session_status')),
        sa.PrimaryKeyConstraint('session_id', name=op.f('pk_vax_session')),
    )
    op.create_index('ix_vax_session_facility_code_day', 'vax_session', ['facility_code', 'day'])
    op.create_table(
        'vax_session_staff',
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['vax_session.session_id'],
                                name=op.f('fk_vax_session_staff_session_id_vax_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                                name=op.f('fk_vax_session_staff_user_id_app_user')),
        sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_vax_session_staff')),
    )
    op.create_table(
        'vax_booking',
        sa.Column('booking_id', sa.String(length=32), nullable=False),
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('id_type', sa.String(length=10), nullable=False),
        sa.Column('registration_id', sa.String(length=64), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('booked_by', sa.Integer(), nullable=False),
        sa.CheckConstraint("source IN ('INVITED', 'WALK_IN', 'REGISTERED')",
                           name=op.f('ck_vax_booking_source')),
        sa.CheckConstraint("status IN ('BOOKED', 'CHECKED_IN', 'CANCELLED')",
                           name=op.f('ck_vax_booking_status')),
        sa.ForeignKeyConstraint(['session_id'], ['vax_session.session_id'],
                                name=op.f('fk_vax_booking_session_id_vax_session')),
        sa.PrimaryKeyConstraint('booking_id', name=op.f('pk_vax_booking')),
    )
    op.create_index('ix_vax_booking_person_id', 'vax_booking', ['person_id'])
    op.create_index('uq_vax_booking_session_id_person_id', 'vax_booking',
                    ['session_id', 'person_id'], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_table(
        'vax_checkin',
        sa.Column('checkin_id', sa.String(length=32), nullable=False),
        sa.Column('booking_id', sa.String(length=32), nullable=False),
        sa.Column('session_id', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.String(length=20), nullable=False),
        sa.Column('id_type', sa.String(length=10), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('sex', sa.String(length=1), nullable=False),
        sa.Column('registration_id', sa.String(length=64), nullable=True),
        sa.Column('identity_check', sa.String(length=12), nullable=False),
        sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_user', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['vax_booking.booking_id'],
                                name=op.f('fk_vax_checkin_booking_id_vax_booking')),
        sa.ForeignKeyConstraint(['session_id'], ['vax_session.session_id'],
                                name=op.f('fk_vax_checkin_session_id_vax_session')),
        sa.PrimaryKeyConstraint('checkin_id', name=op.f('pk_vax_checkin')),
        sa.UniqueConstraint('booking_id', name=op.f('uq_vax_checkin_booking_id')),
    )
    op.create_index(op.f('ix_vax_checkin_session_id'), 'vax_checkin', ['session_id'])
    op.create_table(
        'vax_screening',
        sa.Column('screening_id', sa.String(length=32), nullable=False),
        sa.Column('checkin_id', sa.String(length=32), nullable=False),
        sa.Column('rule_set_id', sa.String(length=40), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('vitals', sa.JSON(), nullable=False),
        sa.Column('computed_outcome', sa.String(length=20), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('final_decision', sa.String(length=20), nullable=False),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.Column('clinician_user_id', sa.Integer(), nullable=False),
        sa.Column('screened_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['checkin_id'], ['vax_checkin.checkin_id'],
                                name=op.f('fk_vax_screening_checkin_id_vax_checkin')),
        sa.PrimaryKeyConstraint('screening_id', name=op.f('pk_vax_screening')),
    )
    op.create_index(op.f('ix_vax_screening_checkin_id'), 'vax_screening', ['checkin_id'])
    # Check-in finds a person by identity number among earlier doses and by phone among
    # registrations. 0006 dropped the injection index for load speed ("a look-up of one
    # person's doses would bring it back"): this is that look-up, and loads pay for it again.
    op.create_index(op.f('ix_injection_person_id'), 'injection', ['person_id'])
    op.create_index(op.f('ix_registration_phone'), 'registration', ['phone'])


def downgrade() -> None:
    op.drop_index(op.f('ix_registration_phone'), table_name='registration')
    op.drop_index(op.f('ix_injection_person_id'), table_name='injection')
    op.drop_table('vax_screening')
    op.drop_table('vax_checkin')
    op.drop_table('vax_booking')
    op.drop_table('vax_session_staff')
    op.drop_table('vax_session')
