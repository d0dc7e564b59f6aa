"""Invitation lists and invitations on each backend: who is listed for a session (first
doses from registrations, next doses due by the session's day under the schedule rules, for
a product the session uses), in which order, who is left out (booked, fully vaccinated, not
yet due, another district), the scope refusal, and inviting a selection all-or-nothing
within the places left; the list as a real .xlsx read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Forbidden, Role
from data.command_errors import OpsError
from data.ops.commands import sessions
from data.ops.commands.invitations import Invitee, invite
from data.ops.exports import table_xlsx
from data.ops.queries.invitations import FIRST, NEXT, invitation_candidates
from tests.integration.ops_setup import (
    PERSON,
    PFZ_LOT,
    SOURCE,
    dose,
    plan,
    principal,
    registration,
    seed_places,
)

# Men born in 1985 (CCCD century-and-sex digit 0), registered in Hà Nội.
B, C, E, F, G, H, M, K, X = (f"00108500000{n}" for n in range(1, 10))


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=2, tzinfo=dt.UTC)


def _seed(engine: Engine) -> tuple[str, object]:
    """A session of F00101 (Ba Đình) on 2021-10-15 using AZ and Pfizer, and its district."""
    seed_places(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan(
        capacity=3, vaccines=["AZ", "PFZ"], lots=[PFZ_LOT]))
    born = {"birth_date": dt.date(1985, 3, 3)}
    registration(engine, "R1", PERSON, priority_group=1)                     # first dose
    registration(engine, "R2", B, priority_group=7, full_name="Trần Thị Bình",
                 registered_at=_at("2021-07-01"), **born)                    # first dose
    registration(engine, "R3", C, full_name="Lê Văn Cường", **born)          # has a dose
    registration(engine, "R4", X, district_code="002", **born)               # other district
    registration(engine, "R5", E, priority_group=1, **born)                  # booked below
    registration(engine, "R6", K, priority_group=1, registered_at=_at("2021-10-20"),
                 **born)                                                     # after due-by
    dose(engine, "C1", C, full_name="Lê Văn Cường", **born)    # AZ 1 on 2021-08-01: AZ 2 due
    dose(engine, "F1", F, full_name="Phạm Văn Phúc", administered_at=_at("2021-10-01"),
         **born)                                              # AZ 2 not before 2021-10-29
    dose(engine, "G1", G, vaccine_code="JNJ", full_name="Hồ Văn Giang",
         **born)                                              # Janssen: done until boosters
    dose(engine, "H1", H, vaccine_code="PFZ", lot_number=PFZ_LOT, full_name="Đỗ Thị Hà",
         administered_at=_at("2021-09-01"), **born)           # Pfizer 2 from 2021-09-22
    dose(engine, "I1", M, vaccine_code="MOD", lot_number="MOD1", full_name="Vũ Văn Ích",
         administered_at=_at("2021-09-01"), priority_group=9, **born)  # Moderna: Pfizer next
    sessions.book(engine, staff, SOURCE, sid, E, "CCCD", registration_id="R5")
    return sid, staff


def test_the_list_holds_first_and_next_doses_by_group_then_due_date(engine: Engine) -> None:
    sid, staff = _seed(engine)
    found = invitation_candidates(engine, staff, SOURCE, sid)  # type: ignore[arg-type]
    assert [(c.full_name, c.priority_group, c.reason, c.dose_kind, c.dose_number, c.product,
             c.earliest, c.due) for c in found] == [
        ("Lê Văn Cường", 0, NEXT, "PRIMARY", 2, "AZ", dt.date(2021, 9, 20),
         dt.date(2021, 9, 20)),
        ("Đỗ Thị Hà", 0, NEXT, "PRIMARY", 2, "PFZ", dt.date(2021, 9, 22),
         dt.date(2021, 9, 22)),
        # First doses are due from the day the person registered.
        ("Nguyễn Văn An", 1, FIRST, "PRIMARY", 1, "AZ", dt.date(2021, 3, 8),
         dt.date(2021, 7, 20)),
        ("Trần Thị Bình", 7, FIRST, "PRIMARY", 1, "AZ", dt.date(2021, 3, 8),
         dt.date(2021, 7, 1)),
        ("Vũ Văn Ích", 9, NEXT, "PRIMARY", 2, "PFZ", dt.date(2021, 9, 29),
         dt.date(2021, 9, 29))]
    by_name = {c.full_name: c for c in found}
    assert set(by_name) == {"Lê Văn Cường", "Đỗ Thị Hà", "Nguyễn Văn An", "Trần Thị Bình",
                            "Vũ Văn Ích"}
    cuong, ha, an, ich = (by_name[n] for n in ("Lê Văn Cường", "Đỗ Thị Hà",
                                                 "Nguyễn Văn An", "Vũ Văn Ích"))
    # AZ 2 after AZ 1 of 2021-08-01: 4 weeks since the rule of 2021-09 (not 8 weeks).
    assert (cuong.reason, cuong.dose_kind, cuong.dose_number, cuong.product) == (
        NEXT, "PRIMARY", 2, "AZ")
    assert cuong.earliest < dt.date(2021, 9, 26)
    assert ha.product == "PFZ"
    # Moderna first: the session has no Moderna, Pfizer may follow it (mixed schedule).
    assert (ich.product, ich.earliest) == ("PFZ", dt.date(2021, 9, 29))
    assert (an.reason, an.dose_number, an.registration_id, an.phone, an.id_type) == (
        FIRST, 1, "R1", "0912345678", "CCCD")


def test_groups_and_the_due_by_date_narrow_the_list(engine: Engine) -> None:
    sid, staff = _seed(engine)
    only_1_7 = invitation_candidates(engine, staff, SOURCE, sid, groups=[7, 1])  # type: ignore[arg-type]
    assert [(c.full_name, c.priority_group) for c in only_1_7] == [
        ("Nguyễn Văn An", 1), ("Trần Thị Bình", 7)]
    # Due by 2021-09-21: Hà (from 09-22) and Ích (09-29) are not due yet.
    early = invitation_candidates(engine, staff, SOURCE, sid,  # type: ignore[arg-type]
                                  due_by=dt.date(2021, 9, 21))
    assert [c.full_name for c in early] == ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    # A due-by date after the session's day is the session's day; the limit caps the list.
    late = invitation_candidates(engine, staff, SOURCE, sid,  # type: ignore[arg-type]
                                 due_by=dt.date(2022, 1, 1), limit=2)
    assert [c.full_name for c in late] == ["Lê Văn Cường", "Đỗ Thị Hà"]
    with engine.connect() as conn:
        reads = conn.execute(text("SELECT username, action, record_key FROM audit_log "
                                  "WHERE action = 'VIEW_PERSONAL'")).all()
    assert [tuple(r) for r in reads] == [("tram.phucxa", "VIEW_PERSONAL", sid)] * 3


def test_an_officer_of_the_district_lists_and_others_are_refused(engine: Engine) -> None:
    sid, _ = _seed(engine)
    district = principal(engine, "ba.dinh", Role.DISTRICT_OFFICER, "001")
    assert len(invitation_candidates(engine, district, SOURCE, sid)) == 5  # type: ignore[arg-type]
    for name, role, scope in [("q1", Role.FACILITY_STAFF, "F76001"),
                              ("tay.ho", Role.DISTRICT_OFFICER, "003"),
                              ("hcm", Role.PROVINCE_OFFICER, "79")]:
        with pytest.raises(Forbidden):
            invitation_candidates(engine, principal(engine, name, role, scope), SOURCE, sid)  # type: ignore[arg-type]


def test_inviting_books_the_selection_or_nothing(engine: Engine) -> None:
    sid, staff = _seed(engine)
    found = invitation_candidates(engine, staff, SOURCE, sid)  # type: ignore[arg-type]
    people = [Invitee(c.person_id, c.id_type, c.registration_id) for c in found]
    # Three places, one taken: five selected is refused whole, saying two are left.
    with pytest.raises(OpsError) as err:
        invite(engine, staff, SOURCE, sid, people)  # type: ignore[arg-type]
    assert err.value.codes() == {"selection": "invite.places_left"}
    assert err.value.problems[0].detail == "2"
    # One already booked in the selection: nothing of the selection is booked.
    with pytest.raises(OpsError) as err:
        invite(engine, staff, SOURCE, sid, [people[0], Invitee(E, "CCCD")])  # type: ignore[arg-type]
    assert (err.value.codes(), err.value.problems[0].detail) == (
        {"selection": "invite.duplicate"}, E)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT booked FROM vax_session")).scalar() == 1
    ids = invite(engine, staff, SOURCE, sid, people[2:4])  # type: ignore[arg-type]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT person_id, source, registration_id, status "
                                 "FROM vax_booking WHERE source = 'INVITED' "
                                 "ORDER BY person_id")).all()
        booked = conn.execute(text("SELECT booked FROM vax_session")).scalar()
    assert len(ids) == 2 and booked == 3
    assert sorted(tuple(r) for r in rows) == sorted(
        (p.person_id, "INVITED", p.registration_id, "BOOKED") for p in people[2:4])
    # The invited are off the next list; the full session takes nobody more.
    assert {c.person_id for c in invitation_candidates(engine, staff, SOURCE, sid)} == {  # type: ignore[arg-type]
        p.person_id for p in people[:2] + people[4:]}
    with pytest.raises(OpsError) as err:
        invite(engine, staff, SOURCE, sid, people[:1])  # type: ignore[arg-type]
    assert (err.value.codes(), err.value.problems[0].detail) == (
        {"selection": "invite.places_left"}, "0")


def test_the_xlsx_holds_the_rows_as_text_and_dates(engine: Engine) -> None:
    data = table_xlsx("Danh sách mời", ["Họ và tên", "Số định danh", "Điện thoại", "Từ ngày"],
                      [["=HYPERLINK(\"http://x\")", PERSON, "0912345678", dt.date(2021, 9, 20)],
                       ["@SUM(A1)", "079301234567", None, dt.date(2021, 10, 1)]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.title == "Danh sách mời"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["Họ và tên", "Số định danh", "Điện thoại", "Từ ngày"],
        ["'=HYPERLINK(\"http://x\")", PERSON, "0912345678", dt.datetime(2021, 9, 20)],
        ["'@SUM(A1)", "079301234567", None, dt.datetime(2021, 10, 1)]]
    assert [c.data_type for c in sheet[2]][:3] == ["s", "s", "s"]
