"""Sessions and bookings on each backend: a session is planned with real values and audited,
bad plans are refused field by field, scope is checked before anything else, and a session's
capacity is never exceeded (sequentially here; concurrently in test_ops_capacity_pg.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text, update
from sqlalchemy.exc import IntegrityError

from data.auth.roles import Forbidden, Role
from data.command_errors import OpsError
from data.db import unit_of_work
from data.models.ops import VaxSession
from data.ops.commands import sessions
from tests.integration.ops_setup import (
    AZ_LOT,
    OLD_LOT,
    PERSON,
    PFZ_LOT,
    SOURCE,
    WOMAN,
    plan,
    principal,
    seed_places,
)


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_a_session_is_planned_with_its_staff_and_audited(engine: Engine) -> None:
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    nurse = principal(engine, "dieu.duong", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan(
        capacity=120, vaccines=["AZ", "PFZ"], lots=[AZ_LOT, PFZ_LOT],
        staff=[(staff.user_id, "LEAD"), (nurse.user_id, "SCREENING")]))
    with engine.connect() as conn:
        row = conn.execute(VaxSession.__table__.select()).mappings().one()
    assert (row["session_id"], row["facility_code"], row["day"], row["capacity"],
            row["booked"], row["status"], row["created_by"]) == (
        sid, "F00101", dt.date(2021, 10, 15), 120, 0, "OPEN", staff.user_id)
    assert (row["starts_at"], row["ends_at"]) == (dt.time(7, 30), dt.time(11, 30))
    assert (row["vaccines"], row["lots"]) == (["AZ", "PFZ"], [AZ_LOT, PFZ_LOT])
    assert sorted(_rows(engine, "SELECT user_id, role FROM vax_session_staff")) == sorted(
        [(staff.user_id, "LEAD"), (nurse.user_id, "SCREENING")])
    assert _rows(engine, "SELECT username, source, action, record_key FROM audit_log "
                         "WHERE table_name = 'vax_session'") == [
        ("tram.phucxa", SOURCE, "CREATE", sid)]


def test_a_bad_plan_is_refused_beside_each_field(engine: Engine) -> None:
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    with pytest.raises(OpsError) as err:
        sessions.create_session(engine, staff, SOURCE, plan(
            capacity=0, ends_at=dt.time(7, 0), vaccines=["AZ", "XYZ"], lots=[AZ_LOT],
            staff=[(999_999, "LEAD")]))
    assert err.value.codes() == {
        "ends_at": "session.window", "capacity": "session.capacity",
        "vaccines": "session.vaccine_unknown", "staff": "session.staff_unknown"}
    # A Pfizer lot in an AZ-only session; an AZ lot that expires before the session's day.
    for lots, code in [([PFZ_LOT], "session.lot_unknown"), ([OLD_LOT], "session.lot_expired")]:
        with pytest.raises(OpsError) as err:
            sessions.create_session(engine, staff, SOURCE, plan(lots=lots))
        assert err.value.codes() == {"lots": code}
    with pytest.raises(OpsError) as err:
        sessions.create_session(engine, staff, SOURCE, plan(facility="F99999"))
    assert err.value.codes() == {"facility_code": "session.facility_unknown"}
    assert _rows(engine, "SELECT COUNT(*) FROM vax_session") == [(0,)]


def test_scope_is_checked_first(engine: Engine) -> None:
    seed_places(engine)
    own = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    district = principal(engine, "quan.badinh", Role.DISTRICT_OFFICER, "001")
    province = principal(engine, "so.hanoi", Role.PROVINCE_OFFICER, "01")
    refused = [principal(engine, "tram.khac", Role.FACILITY_STAFF, "F00102"),
               principal(engine, "quan.1", Role.DISTRICT_OFFICER, "760"),
               principal(engine, "so.hcm", Role.PROVINCE_OFFICER, "79"),
               principal(engine, "bo.truong", Role.MINISTRY_LEADER, None),
               principal(engine, "quan.tri", Role.SYSTEM_ADMIN, None)]
    for p in refused:
        # Even a plan with errors gets Forbidden: the scope is checked before the fields.
        with pytest.raises(Forbidden):
            sessions.create_session(engine, p, SOURCE, plan(capacity=0))
    sid = sessions.create_session(engine, own, SOURCE, plan())
    for p in (district, province):
        sessions.create_session(engine, p, SOURCE, plan(facility="F00102"))
    for p in refused:
        with pytest.raises(Forbidden):
            sessions.book(engine, p, SOURCE, sid, PERSON, "CCCD")
    booking = sessions.book(engine, district, SOURCE, sid, PERSON, "CCCD")
    with pytest.raises(Forbidden):
        sessions.cancel(engine, refused[0], SOURCE, booking)
    with pytest.raises(Forbidden):
        sessions.close_session(engine, refused[1], SOURCE, sid)
    assert _rows(engine, "SELECT COUNT(*), SUM(booked) FROM vax_session") == [(3, 1)]
    assert _rows(engine, "SELECT status FROM vax_booking") == [("BOOKED",)]


def test_bookings_stop_at_capacity_and_a_cancellation_frees_a_place(engine: Engine) -> None:
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=2))
    first = sessions.book(engine, staff, SOURCE, sid, PERSON, "CCCD", "INVITED")
    sessions.book(engine, staff, SOURCE, sid, WOMAN, "CCCD")
    with pytest.raises(OpsError) as err:
        sessions.book(engine, staff, SOURCE, sid, "B1234567", "PASSPORT")
    assert err.value.codes() == {"session_id": "session.full"}
    assert _rows(engine, "SELECT booked FROM vax_session") == [(2,)]
    sessions.cancel(engine, staff, SOURCE, first)
    assert _rows(engine, "SELECT booked FROM vax_session") == [(1,)]
    sessions.book(engine, staff, SOURCE, sid, " b1234567 ", "PASSPORT")
    assert sorted(_rows(engine, "SELECT person_id, id_type, source, status FROM vax_booking")) \
        == [("001090012345", "CCCD", "INVITED", "CANCELLED"),
            ("079301234567", "CCCD", "REGISTERED", "BOOKED"),
            ("B1234567", "PASSPORT", "REGISTERED", "BOOKED")]
    with pytest.raises(OpsError) as err:  # only a booking not yet checked in is cancelled
        sessions.cancel(engine, staff, SOURCE, first)
    assert err.value.codes() == {"booking_id": "booking.not_cancellable"}
    assert [a for (a,) in _rows(engine, "SELECT action FROM audit_log WHERE table_name = "
                                        "'vax_booking' ORDER BY id")] == [
        "BOOK", "BOOK", "CANCEL", "BOOK"]


def test_the_database_refuses_an_overbooked_session_whatever_writes_it(engine: Engine) -> None:
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=3))
    t = VaxSession.__table__
    with pytest.raises(IntegrityError), unit_of_work(engine) as conn:
        conn.execute(update(t).where(t.c.session_id == sid).values(booked=4))
    assert _rows(engine, "SELECT booked FROM vax_session") == [(0,)]


def test_a_person_books_once_a_closed_session_takes_nobody(engine: Engine) -> None:
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan())
    sessions.book(engine, staff, SOURCE, sid, PERSON, "CCCD")
    with pytest.raises(OpsError) as err:
        sessions.book(engine, staff, SOURCE, sid, "001090012345", "CCCD")
    assert err.value.codes() == {"person_id": "booking.duplicate"}
    for number, id_type, code in [("00109001234", "CCCD", "cccd.length"),
                                  ("12345", "CMND", "cmnd.length"),
                                  ("ABCDEFG", "PASSPORT", "passport.shape")]:
        with pytest.raises(OpsError) as err:
            sessions.book(engine, staff, SOURCE, sid, number, id_type)
        assert err.value.codes() == {"person_id": code}
    sessions.close_session(engine, staff, SOURCE, sid)
    with pytest.raises(OpsError) as err:
        sessions.book(engine, staff, SOURCE, sid, WOMAN, "CCCD")
    assert err.value.codes() == {"session_id": "session.closed"}
    assert _rows(engine, "SELECT status, booked FROM vax_session") == [("CLOSED", 1)]
