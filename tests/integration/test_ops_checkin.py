"""Check-in on each backend: the desk finds a person by identity number, phone or code across
registrations, earlier doses and bookings (each search audited); a booked person, a registered
walk-in and an unknown walk-in are checked in; a CCCD that contradicts the form is refused
beside the birth date and the sex; scope comes first; a walk-in takes a place too."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, text

from data.auth.roles import Forbidden, Role
from data.command_errors import OpsError
from data.models.operational import Registration
from data.models.ops import VaxCheckin
from data.ops.commands import checkin, sessions
from data.ops.commands.checkin import PersonForm
from tests.integration.ops_setup import (
    PERSON,
    SOURCE,
    WOMAN,
    dose,
    plan,
    principal,
    registration,
    seed_places,
)

AN = PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "M")
WALK_IN = PersonForm("CCCD", WOMAN, dt.date(2001, 5, 6), "Nữ", full_name="Trần Thị Bình",
                     phone="+84 903 123 456", province_code="79", district_code="760")


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_the_desk_finds_a_person_by_number_phone_or_code(engine: Engine) -> None:
    seed_places(engine)
    desk = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    registration(engine, "REG000000001")
    dose(engine, "INJ-1")
    dose(engine, "INJ-2", dose_number=2, lot_number="AZ2109B",
         administered_at=dt.datetime(2021, 9, 1, 2, 0, tzinfo=dt.UTC))
    dose(engine, "INJ-3", person_id="001085000001", full_name="Lê Văn Cường",
         birth_date=dt.date(1985, 3, 4), phone="0987654321", ward_code=None)
    dose(engine, "INJ-4", person_id="001085000001", full_name="Lê Văn Cường",
         birth_date=dt.date(1985, 3, 4), phone="0977000111", dose_number=2,
         administered_at=dt.datetime(2021, 9, 5, 2, 0, tzinfo=dt.UTC))
    sid = sessions.create_session(engine, desk, SOURCE, plan())
    booking = sessions.book(engine, desk, SOURCE, sid, PERSON, "CCCD",
                            registration_id="REG000000001")

    found = checkin.find_person(engine, desk, SOURCE, "F00101", "id", " 0010-9001-2345 ")
    assert len(found) == 1
    an = found[0]
    assert (an.person_id, an.full_name, an.birth_date, an.sex, an.phone, an.registration_id,
            an.bookings) == (PERSON, "Nguyễn Văn An", dt.date(1990, 1, 2), "M", "0912345678",
                             "REG000000001", (booking,))
    assert [(d.vaccine_code, d.dose_number, d.facility_code) for d in an.doses] == [
        ("AZ", 1, "F00101"), ("AZ", 2, "F00101")]
    assert [m.person_id for m in checkin.find_person(
        engine, desk, SOURCE, "F00101", "phone", "+84 912 345 678")] == [PERSON]
    assert [m.person_id for m in checkin.find_person(
        engine, desk, SOURCE, "F00101", "code", "REG000000001")] == [PERSON]
    assert [m.person_id for m in checkin.find_person(
        engine, desk, SOURCE, "F00101", "code", booking)] == [PERSON]
    # Known only by earlier doses: described by the latest, with no registration.
    cuong = checkin.find_person(engine, desk, SOURCE, "F00101", "id", "001085000001")
    assert [(m.full_name, m.phone, m.registration_id, len(m.doses)) for m in cuong] == [
        ("Lê Văn Cường", "0977000111", None, 2)]
    assert checkin.find_person(engine, desk, SOURCE, "F00101", "id", WOMAN) == []
    with pytest.raises(OpsError) as err:
        checkin.find_person(engine, desk, SOURCE, "F00101", "phone", "12345")
    assert err.value.codes() == {"phone": "person.phone"}
    with pytest.raises(OpsError) as err:  # a booking names a registration of its person
        sessions.book(engine, desk, SOURCE, sid, WOMAN, "CCCD", registration_id="REG000000001")
    assert err.value.codes() == {"registration_id": "booking.registration"}
    # Each search is audited with its count; the number searched for is not written there.
    audits = _rows(engine, "SELECT action, table_name, record_key, detail FROM audit_log "
                           "WHERE action = 'VIEW_PERSONAL' ORDER BY id")
    assert [a[:3] for a in audits] == [("VIEW_PERSONAL", "registration", "F00101")] * 6
    assert all(PERSON not in str(a[3]) for a in audits)
    with pytest.raises(Forbidden):
        checkin.find_person(engine, principal(engine, "so.hcm", Role.PROVINCE_OFFICER, "79"),
                            SOURCE, "F00101", "id", PERSON)


def test_a_booked_person_is_checked_in_on_the_booking(engine: Engine) -> None:
    seed_places(engine)
    desk = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    registration(engine, "REG000000001")
    sid = sessions.create_session(engine, desk, SOURCE, plan(capacity=3))
    booking = sessions.book(engine, desk, SOURCE, sid, PERSON, "CCCD", "INVITED",
                            "REG000000001")
    done = checkin.record_checkin(engine, desk, SOURCE, sid, AN, booking)
    assert (done.booking_id, done.registration_id, done.walk_in, done.registered,
            done.identity_check) == (booking, "REG000000001", False, False, "CCCD_AGREES")
    with engine.connect() as conn:
        row = conn.execute(select(VaxCheckin.__table__)).mappings().one()
    assert (row["checkin_id"], row["session_id"], row["person_id"], row["birth_date"],
            row["sex"], row["by_user"]) == (done.checkin_id, sid, PERSON,
                                            dt.date(1990, 1, 2), "M", desk.user_id)
    assert _rows(engine, "SELECT status FROM vax_booking") == [("CHECKED_IN",)]
    assert _rows(engine, "SELECT booked FROM vax_session") == [(1,)]  # no second place
    with pytest.raises(OpsError) as err:
        checkin.record_checkin(engine, desk, SOURCE, sid, AN, booking)
    assert err.value.codes() == {"booking_id": "checkin.duplicate"}
    with pytest.raises(OpsError) as err:  # a checked-in booking is no longer cancellable
        sessions.cancel(engine, desk, SOURCE, booking)
    assert err.value.codes() == {"booking_id": "booking.not_cancellable"}
    assert _rows(engine, "SELECT action, record_key FROM audit_log WHERE action = 'CHECKIN'"
                 ) == [("CHECKIN", done.checkin_id)]


def test_walk_ins_take_a_place_and_unknown_ones_are_registered(engine: Engine) -> None:
    seed_places(engine)
    desk = principal(engine, "quan.1", Role.DISTRICT_OFFICER, "760")
    registration(engine, "REG000000001")  # Nguyễn Văn An is in the registry
    sid = sessions.create_session(engine, desk, SOURCE, plan("F76001", capacity=2))
    known = checkin.record_checkin(engine, desk, SOURCE, sid, AN)
    assert (known.walk_in, known.registered, known.registration_id) == (
        True, False, "REG000000001")
    new = checkin.record_checkin(engine, desk, SOURCE, sid, WALK_IN)
    assert (new.walk_in, new.registered, new.identity_check) == (True, True, "CCCD_AGREES")
    assert new.registration_id is not None and new.registration_id.startswith("WALKIN-")
    with engine.connect() as conn:
        reg = conn.execute(select(Registration.__table__).where(
            Registration.__table__.c.registration_id == new.registration_id)).mappings().one()
    assert (reg["person_id"], reg["full_name"], reg["birth_date"], reg["sex"], reg["phone"],
            reg["province_code"], reg["district_code"]) == (
        WOMAN, "Trần Thị Bình", dt.date(2001, 5, 6), "F", "0903123456", "79", "760")
    # Its fact row, as the registrations loader writes it: district row, group 0/18-64/F.
    assert _rows(engine, "SELECT geo_key, group_key FROM fct_registration") == [(100_760, 32)]
    assert sorted(_rows(engine, "SELECT source, status FROM vax_booking")) == [
        ("WALK_IN", "CHECKED_IN")] * 2
    # The session is full: a third walk-in is refused, and nothing of it is kept.
    third = PersonForm("PASSPORT", "C1234567", dt.date(1970, 1, 1), "M",
                       full_name="John Smith", phone="0911111111", province_code="79",
                       district_code="760")
    with pytest.raises(OpsError) as err:
        checkin.record_checkin(engine, desk, SOURCE, sid, third)
    assert err.value.codes() == {"session_id": "session.full"}
    assert _rows(engine, "SELECT COUNT(*) FROM registration") == [(2,)]
    assert _rows(engine, "SELECT booked, capacity FROM vax_session") == [(2, 2)]


def test_a_cccd_that_contradicts_the_form_is_refused_beside_each_field(
        engine: Engine) -> None:
    seed_places(engine)
    desk = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, desk, SOURCE, plan())
    # 001090012345 says: a man born in 1990. The form says a woman born in 1991.
    wrong = PersonForm("CCCD", PERSON, dt.date(1991, 1, 2), "F", full_name="Nguyễn Văn An",
                       phone="0912345678", province_code="01", district_code="001")
    with pytest.raises(OpsError) as err:
        checkin.record_checkin(engine, desk, SOURCE, sid, wrong)
    assert [(p.field, p.code, p.detail) for p in err.value.problems] == [
        ("birth_date", "cccd.year_mismatch", "1990 / 1991"),
        ("sex", "cccd.sex_mismatch", "M / F")]
    for form, codes in [
        (PersonForm("CCCD", "991090012345", dt.date(1990, 1, 2), "M"),
         {"person_id": "cccd.province"}),
        (PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "X"), {"sex": "person.sex"}),
        (PersonForm("CMND", "12345678", dt.date(1990, 1, 2), "?"),
         {"person_id": "cmnd.length", "sex": "person.sex"}),
        # A walk-in unknown to the registry must give a name, a phone and a district of
        # its province.
        (PersonForm("CMND", "123456789", dt.date(1990, 1, 2), "M", phone="12",
                    province_code="01", district_code="760"),
         {"full_name": "required", "phone": "bad_phone",
          "district_code": "district_not_in_province"}),
    ]:
        with pytest.raises(OpsError) as err:
            checkin.record_checkin(engine, desk, SOURCE, sid, form)
        assert err.value.codes() == codes
    assert _rows(engine, "SELECT COUNT(*), (SELECT booked FROM vax_session) FROM vax_checkin"
                 ) == [(0, 0)]


def test_check_in_checks_scope_first(engine: Engine) -> None:
    seed_places(engine)
    desk = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, desk, SOURCE, plan())
    booking = sessions.book(engine, desk, SOURCE, sid, PERSON, "CCCD")
    for other in [principal(engine, "tram.khac", Role.FACILITY_STAFF, "F00102"),
                  principal(engine, "so.hcm", Role.PROVINCE_OFFICER, "79"),
                  principal(engine, "bo.truong", Role.MINISTRY_LEADER, None)]:
        with pytest.raises(Forbidden):  # before the form, which is wrong as well
            checkin.record_checkin(engine, other, SOURCE, sid,
                                   PersonForm("CCCD", "1", dt.date(1990, 1, 2), "X"), booking)
    with pytest.raises(OpsError) as err:  # the booking is someone else's
        checkin.record_checkin(engine, desk, SOURCE, sid, WALK_IN, booking)
    assert err.value.codes() == {"person_id": "checkin.booking_person"}
    assert _rows(engine, "SELECT status FROM vax_booking") == [("BOOKED",)]
