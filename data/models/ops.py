"""The vaccination day: sessions, their staff, bookings, check-ins and screenings.

Operational tables: personal data (identity numbers, birth dates) is allowed here, as in
data/models/operational.py, and never copied into the star schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

SESSION_STATUSES = ("OPEN", "CLOSED")
BOOKING_SOURCES = ("INVITED", "WALK_IN", "REGISTERED")
BOOKING_STATUSES = ("BOOKED", "CHECKED_IN", "CANCELLED")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class VaxSession(Base):
    """One facility's vaccination session: a day, a time window, what it uses, its capacity.

    `booked` counts the bookings that are not cancelled; the CHECK keeps it within capacity
    whatever writes it, so no path (a bug, two workers, raw SQL) can overbook a session.
    """

    __tablename__ = "vax_session"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="window"),
        CheckConstraint(_one_of("status", SESSION_STATUSES), name="status"),
        Index("ix_vax_session_facility_code_day", "facility_code", "day"),
    )
    session_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # No foreign key to facility: the facilities loader replaces its rows wholesale.
    facility_code: Mapped[str] = mapped_column(String(32))
    day: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    vaccines: Mapped[list[str]] = mapped_column(JSON)  # ref_vaccine codes
    lots: Mapped[list[str]] = mapped_column(JSON)      # lot numbers of those vaccines
    status: Mapped[str] = mapped_column(String(8))
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VaxSessionStaff(Base):
    """Who works a session, and as what (CHECKIN, SCREENING, VACCINATOR, LEAD)."""

    __tablename__ = "vax_session_staff"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("vax_session.session_id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))


class VaxBooking(Base):
    """A person's place in a session."""

    __tablename__ = "vax_booking"
    __table_args__ = (
        CheckConstraint(_one_of("source", BOOKING_SOURCES), name="source"),
        CheckConstraint(_one_of("status", BOOKING_STATUSES), name="status"),
        # One live booking per person and session (a cancelled one may be booked again).
        Index("uq_vax_booking_session_id_person_id", "session_id", "person_id", unique=True,
              sqlite_where=text("status <> 'CANCELLED'"),
              postgresql_where=text("status <> 'CANCELLED'")),
        Index("ix_vax_booking_person_id", "person_id"),
    )
    booking_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("vax_session.session_id"))
    person_id: Mapped[str] = mapped_column(String(20))
    id_type: Mapped[str] = mapped_column(String(10))
    registration_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    booked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    booked_by: Mapped[int] = mapped_column(Integer)


class VaxCheckin(Base):
    """A person's arrival at a session, with the identity shown and what its check said.

    Birth date and sex are those confirmed at the desk: screening reads the age from them.
    """

    __tablename__ = "vax_checkin"
    checkin_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    booking_id: Mapped[str] = mapped_column(ForeignKey("vax_booking.booking_id"), unique=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("vax_session.session_id"), index=True)
    person_id: Mapped[str] = mapped_column(String(20))
    id_type: Mapped[str] = mapped_column(String(10))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    registration_id: Mapped[str | None] = mapped_column(String(64))
    # CCCD_AGREES: the number's birth year and sex match the form; SHAPE_ONLY: a CMND or
    # passport number, whose shape alone can be checked.
    identity_check: Mapped[str] = mapped_column(String(12))
    checked_in_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by_user: Mapped[int] = mapped_column(Integer)


class VaxScreening(Base):
    """One pre-vaccination screening under the rule set in force on the session's day."""

    __tablename__ = "vax_screening"
    __table_args__ = (
        # One screening per check-in and attempt: two clinicians (or a retry) saving the
        # first screening at once store one; a re-screen after a pause is the next attempt.
        # It also serves the look-ups by check-in (0015 dropped the plain checkin_id index).
        Index("uq_vax_screening_checkin_id_attempt", "checkin_id", "attempt", unique=True),
    )
    screening_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    checkin_id: Mapped[str] = mapped_column(ForeignKey("vax_checkin.checkin_id"))
    # 1 for the check-in's first screening; a re-screen (record_screening's rescreen_of) is
    # the screening it follows plus one.
    attempt: Mapped[int] = mapped_column(Integer, server_default="1")
    rule_set_id: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict[str, bool]] = mapped_column(JSON)   # item id -> Có (true) / Không
    vitals: Mapped[dict[str, float]] = mapped_column(JSON)   # vital id -> measured value
    computed_outcome: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    final_decision: Mapped[str] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    clinician_user_id: Mapped[int] = mapped_column(Integer)
    screened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


OBSERVATION_OUTCOMES = ("RELEASED", "REACTION")


class VaxObservation(Base):
    """The end of a dose's time under observation after the injection: the person released,
    or a reaction recorded (with the AEFI report it opened). One row per dose at most; a dose
    with no row is still under observation on its day's board.
    """

    __tablename__ = "vax_observation"
    __table_args__ = (CheckConstraint(_one_of("outcome", OBSERVATION_OUTCOMES), name="outcome"),)
    # The dose's injection.record_id. No foreign key: injections are replaced wholesale by
    # their loader, as facilities are.
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    facility_code: Mapped[str] = mapped_column(String(32))
    released_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(8))
    aefi_report_id: Mapped[str | None] = mapped_column(String(64))
    # Why a person left before the 30 minutes, or what the staff noted.
    note: Mapped[str | None] = mapped_column(Text)
class VaxSessionTally(Base):
    """A closed session's count per lot: doses given, vials opened, open-vial wastage.

    Written once, when the session closes (data.ops.commands.closing), in the same transaction
    as its stock movements; the CHECKs hold the arithmetic whatever path writes a row.
    """

    __tablename__ = "vax_session_tally"
    __table_args__ = (
        CheckConstraint("doses_given >= 0", name="given_not_negative"),
        CheckConstraint("vials_opened >= 0", name="vials_not_negative"),
        CheckConstraint("doses_wasted >= 0", name="wasted_not_negative"),
        CheckConstraint("doses_per_vial > 0", name="per_vial_positive"),
        CheckConstraint("doses_given + doses_wasted = vials_opened * doses_per_vial",
                        name="vials_hold_given_and_wasted"),
        # The sessions that used a lot (data.ops.queries.lot_trace, 0018).
        Index("ix_vax_session_tally_vaccine_code_lot_number", "vaccine_code", "lot_number"),
    )
    session_id: Mapped[str] = mapped_column(
        ForeignKey("vax_session.session_id"), primary_key=True)
    lot_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    vaccine_code: Mapped[str] = mapped_column(String(8))
    doses_per_vial: Mapped[int] = mapped_column(Integer)
    doses_given: Mapped[int] = mapped_column(Integer)
    vials_opened: Mapped[int] = mapped_column(Integer)
    doses_wasted: Mapped[int] = mapped_column(Integer)
INJECTION_SITES = ("LEFT_ARM", "RIGHT_ARM", "LEFT_THIGH", "RIGHT_THIGH")
VAX_INJECTION_STATUSES = ("COMPLETED", "ENTERED_IN_ERROR")


class VaxInjection(Base):
    """A dose given at a session: the injection's record (injection.record_id, no foreign key:
    the injections loader rewrites its rows) tied to the check-in and screening it followed,
    with what the schedule proposed, the reason when staff chose otherwise, who injected and
    where on the body.

    One COMPLETED dose per check-in (partial unique index): a second injection at the same
    arrival is a duplicate, whatever path writes it.
    """

    __tablename__ = "vax_injection"
    __table_args__ = (
        CheckConstraint(_one_of("injection_site", INJECTION_SITES), name="injection_site"),
        CheckConstraint(_one_of("status", VAX_INJECTION_STATUSES), name="status"),
        Index("uq_vax_injection_checkin_id", "checkin_id", unique=True,
              sqlite_where=text("status = 'COMPLETED'"),
              postgresql_where=text("status = 'COMPLETED'")),
        Index("ix_vax_injection_session_id", "session_id"),
    )
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    checkin_id: Mapped[str] = mapped_column(ForeignKey("vax_checkin.checkin_id"))
    session_id: Mapped[str] = mapped_column(ForeignKey("vax_session.session_id"))
    screening_id: Mapped[str] = mapped_column(ForeignKey("vax_screening.screening_id"))
    status: Mapped[str] = mapped_column(String(16), default="COMPLETED",
                                        server_default="COMPLETED")
    injection_site: Mapped[str] = mapped_column(String(12))
    # What the schedule proposed (None: the history allowed no proposal).
    proposed_dose_kind: Mapped[str | None] = mapped_column(String(12))
    proposed_dose_number: Mapped[int | None] = mapped_column(Integer)
    override_reason: Mapped[str | None] = mapped_column(Text)
    vaccinator_user_id: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


TRANSFER_STATUSES = ("IN_TRANSIT", "RECEIVED")


class VaxStockEntry(Base):
    """What the stock ledger's commands know of a movement beyond the contract's row: the
    order it was entered in (the ledger's tie-break among movements of one instant), who
    entered it, the VVM stage seen, and a reason finer than the contract's (cold-chain failure,
    lost, stolen are filed as OTHER in stock_movement; see data.ops.commands.stock).

    No foreign key to stock_movement: the stock loader deletes and re-inserts a re-sent id.
    """

    __tablename__ = "vax_stock_entry"
    __table_args__ = (
        CheckConstraint("vvm_stage BETWEEN 1 AND 4", name="vvm_stage_1_to_4"),
        {"sqlite_autoincrement": True},
    )
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    movement_id: Mapped[str] = mapped_column(String(64), unique=True)
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    entered_by: Mapped[str] = mapped_column(String(100))
    reason_detail: Mapped[str | None] = mapped_column(String(24))
    vvm_stage: Mapped[int | None] = mapped_column(Integer)


class VaxStockTransfer(Base):
    """A two-sided transfer: the sender's TRANSFER_OUT puts the doses in transit until the
    receiver confirms what arrived (its TRANSFER_IN). A shortfall stays here as the
    discrepancy; in transit, the doses are on hand at neither warehouse."""

    __tablename__ = "vax_stock_transfer"
    __table_args__ = (
        CheckConstraint("sent > 0", name="sent_positive"),
        CheckConstraint("received IS NULL OR (received >= 0 AND received <= sent)",
                        name="received_within_sent"),
        CheckConstraint("status IN ('IN_TRANSIT', 'RECEIVED')", name="status_known"),
        CheckConstraint("(status = 'IN_TRANSIT') = (received IS NULL)",
                        name="received_iff_confirmed"),
        CheckConstraint("from_warehouse <> to_warehouse", name="two_warehouses"),
        Index("ix_vax_stock_transfer_to_warehouse_status", "to_warehouse", "status"),
        Index("ix_vax_stock_transfer_allocation_id", "allocation_id"),
    )
    transfer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_warehouse: Mapped[str] = mapped_column(String(40))
    to_warehouse: Mapped[str] = mapped_column(String(40))
    vaccine_code: Mapped[str] = mapped_column(String(8))
    lot_number: Mapped[str] = mapped_column(String(40))
    expiry_date: Mapped[dt.date] = mapped_column(Date)
    sent: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    out_movement_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    received: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    in_movement_id: Mapped[str | None] = mapped_column(String(64))
    discrepancy: Mapped[int | None] = mapped_column(Integer)
    # The allocation decision row this transfer delivers (0018), None for any other transfer.
    allocation_id: Mapped[str | None] = mapped_column(String(64))


class VaxStockCount(Base):
    """A physical count of one lot at one warehouse: the quantity counted and the ledger's
    balance at that moment; the difference is the COUNT adjustment (movement_id), none when
    they agree. Kept even then: the last count is what reconciliation compares against."""

    __tablename__ = "vax_stock_count"
    __table_args__ = (
        CheckConstraint("counted >= 0", name="counted_not_negative"),
        CheckConstraint("vvm_stage BETWEEN 1 AND 4", name="vvm_stage_1_to_4"),
        Index("ix_vax_stock_count_warehouse_code_lot_number", "warehouse_code", "lot_number"),
    )
    count_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    warehouse_code: Mapped[str] = mapped_column(String(40))
    vaccine_code: Mapped[str] = mapped_column(String(8))
    lot_number: Mapped[str] = mapped_column(String(40))
    counted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    counted: Mapped[int] = mapped_column(Integer)
    ledger_balance: Mapped[int] = mapped_column(Integer)
    movement_id: Mapped[str | None] = mapped_column(String(64))
    vvm_stage: Mapped[int | None] = mapped_column(Integer)
    counted_by: Mapped[str] = mapped_column(String(100))


STOCK_REQUEST_ACTIONS = ("RECEIVE", "ISSUE", "ADJUST", "SEND", "CONFIRM", "COUNT")


class VaxStockRequest(Base):
    """A client's request id on a stock ledger command and what the command answered: the
    same request sent again (a retry after a lost answer) gets that answer and writes nothing
    (data.ops.commands.stock_requests). `fingerprint` is the request's content, so the same
    id with other content is refused rather than taken for a retry."""

    __tablename__ = "vax_stock_request"
    __table_args__ = (
        CheckConstraint("action IN ('RECEIVE', 'ISSUE', 'ADJUST', 'SEND', 'CONFIRM', 'COUNT')",
                        name="action_known"),
    )
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(8))
    fingerprint: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[str] = mapped_column(Text)  # JSON: the command's return value
