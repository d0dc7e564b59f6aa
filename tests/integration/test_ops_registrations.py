"""The registry's data layer on each backend: the area each role reads (and the refusals),
the search by identity number, phone, registration id and a name's first letters, server-side
pages, duplicates merged with their history (bookings follow the kept registration, a merged
id sent again is refused), assignment to a session through the invitations (never over
capacity), and an organisation's file loaded through the ETL with the upload's scope check:
exact reject lines, valid rows loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from data.auth.roles import SYSTEM, Forbidden, Role
from data.command_errors import OpsError
from data.interchange.messages import message
from data.models import metadata
from data.ops.commands import sessions
from data.ops.commands.invitations import Invitee, invite
from data.ops.commands.registration_merge import merge_registrations
from data.ops.commands.registration_scope import upload_check
from data.ops.queries.registrations import (
    districts,
    duplicate_groups,
    merge_history,
    read_term,
    registrations_page,
)
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import read_rejects, scalar, write_csv
from tests.integration.ops_setup import PERSON, SOURCE, plan, principal, registration, seed_places

OTHER = "001085000002"


def _at(day: int) -> dt.datetime:
    return dt.datetime(2021, 7, day, 3, 0, tzinfo=dt.UTC)


def _seed(engine: Engine) -> None:
    seed_places(engine)
    registration(engine, "R1", PERSON, registered_at=_at(1), organisation="Công ty May 10")
    registration(engine, "R2", PERSON, registered_at=_at(5), ward_code=None,
                 phone="0987654321")
    registration(engine, "R3", OTHER, full_name="Trần Thị Bình", registered_at=_at(3),
                 phone="0911111111", birth_date=dt.date(1985, 3, 3))
    registration(engine, "R4", "001085000003", full_name="Lê Văn Cường", registered_at=_at(2),
                 district_code="002")
    registration(engine, "R5", "079301234567", full_name="Phạm Thị Dung",
                 registered_at=_at(4), province_code="79", district_code="760")


def _ids(page: object) -> list[str]:
    return [r.registration_id for r in page.rows]  # type: ignore[attr-defined]


def test_each_role_reads_its_area_only(engine: Engine) -> None:
    _seed(engine)
    district = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    province = principal(engine, "tinh.hanoi", Role.PROVINCE_OFFICER, "01")
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    ministry = principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    page = registrations_page(engine, district, SOURCE, "01", "001")
    assert _ids(page) == ["R2", "R3", "R1"] and page.total == 3 and not page.capped
    assert _ids(registrations_page(engine, staff, SOURCE, "01", "001")) == ["R2", "R3", "R1"]
    assert _ids(registrations_page(engine, province, SOURCE, "01", "002")) == ["R4"]
    with pytest.raises(Forbidden):
        registrations_page(engine, district, SOURCE, "01", "002")
    with pytest.raises(Forbidden):
        registrations_page(engine, province, SOURCE, "79", "760")
    with pytest.raises(Forbidden):
        registrations_page(engine, ministry, SOURCE, "01", "001")
    # A search reaches the whole area, never beyond it.
    assert _ids(registrations_page(engine, district, SOURCE, None, None, "079301234567")) == []
    assert _ids(registrations_page(engine, SYSTEM, SOURCE, None, None, "079301234567")) == ["R5"]
    assert [(d.province_code, d.district_code) for d in districts(engine, district)] == [
        ("01", "001")]
    assert ("01", "002") in {(d.province_code, d.district_code)
                            for d in districts(engine, province)}
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'VIEW_PERSONAL' "
                  "AND table_name = 'registration'") == 5


def test_search_by_identity_phone_code_and_name(engine: Engine) -> None:
    _seed(engine)
    who = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")

    def found(term: str) -> list[str]:
        return _ids(registrations_page(engine, who, SOURCE, "01", "001", term))

    assert found(PERSON) == ["R2", "R1"]
    assert found("0911 111 111") == ["R3"]
    assert found("+84911111111") == ["R3"]
    assert found("R1") == ["R1"]
    assert found("trần thị") == ["R3"]
    assert found("Nguyễn Văn") == ["R2", "R1"]
    assert found("Nguyễn%") == []          # a wildcard is a letter like any other
    assert found("r3") == ["R3"]
    assert found("x" * 500) == []
    assert read_term("   ") is None and read_term(["R1"]) is None


def test_pages_are_bounded_and_counted_server_side(engine: Engine) -> None:
    seed_places(engine)
    for n in range(1, 8):
        registration(engine, f"P{n}", f"00108500001{n}", registered_at=_at(n))
    who = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    first = registrations_page(engine, who, SOURCE, "01", "001", start=0, size=3)
    second = registrations_page(engine, who, SOURCE, "01", "001", start=3, size=3)
    last = registrations_page(engine, who, SOURCE, "01", "001", start=6, size=3)
    assert (_ids(first), _ids(second), _ids(last)) == (["P7", "P6", "P5"], ["P4", "P3", "P2"],
                                                       ["P1"])
    assert first.total == 7
    assert len(registrations_page(engine, who, SOURCE, "01", "001", size=10**9).rows) == 7


def test_the_indexes_of_0018_are_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "ix_registration_place" in repr(d)
            or "vax_registration_merge" in repr(d)] == []


def test_a_duplicate_is_merged_with_its_history_and_bookings_follow(engine: Engine) -> None:
    _seed(engine)
    officer = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    groups = duplicate_groups(engine, officer, SOURCE, "01", "001")
    assert [[r.registration_id for r in g] for g in groups] == [["R2", "R1"]]
    sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=2))
    invite(engine, staff, SOURCE, sid, [Invitee(PERSON, "CCCD", "R1")])
    with pytest.raises(Forbidden):  # facility staff list duplicates but do not merge
        merge_registrations(engine, staff, SOURCE, "R2", ["R1"])
    merge_id = merge_registrations(engine, officer, SOURCE, "R2", ["R1"])
    assert scalar(engine, "SELECT count(*) FROM registration WHERE person_id = :p",
                  p=PERSON) == 1
    assert scalar(engine, "SELECT registration_id FROM vax_booking") == "R2"
    assert scalar(engine, "SELECT booked FROM vax_session") == 1
    # R2 had no ward: it keeps R1's; the organisation comes from R1 too; the phone is R2's.
    assert scalar(engine, "SELECT ward_code FROM registration WHERE registration_id = 'R2'") \
        == "00001"
    [entry] = merge_history(engine, officer, "01", "001")
    assert (entry.merge_id, entry.kept_registration_id, entry.merged_ids,
            entry.bookings_moved, entry.merged_by_name) == (merge_id, "R2", ("R1",), 1,
                                                            "huyen.badinh")
    assert entry.kept_fields["organisation"] == {"value": "Công ty May 10", "from": "R1"}
    assert entry.kept_fields["phone"] == {"value": "0987654321", "from": "R2"}
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'MERGE'") == 1
    assert duplicate_groups(engine, officer, SOURCE, "01", "001") == []
    # The merged-away id finds the kept registration.
    assert _ids(registrations_page(engine, officer, SOURCE, "01", "001", "R1")) == ["R2"]
    # Nothing half-done: a second merge of the same id writes nothing.
    with pytest.raises(OpsError) as err:
        merge_registrations(engine, officer, SOURCE, "R2", ["R1"])
    assert err.value.codes() == {"merge": "merge.unknown"}


def test_a_merge_refuses_another_person_and_another_area(engine: Engine) -> None:
    _seed(engine)
    registration(engine, "R6", PERSON, district_code="002", registered_at=_at(9))
    district = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    province = principal(engine, "tinh.hanoi", Role.PROVINCE_OFFICER, "01")
    with pytest.raises(OpsError) as err:
        merge_registrations(engine, district, SOURCE, "R1", ["R3"])
    assert err.value.problems[0].code == "merge.not_same"
    with pytest.raises(OpsError) as err:
        merge_registrations(engine, district, SOURCE, "R1", ["R1"])
    assert err.value.problems[0].code == "merge.empty"
    with pytest.raises(Forbidden):
        merge_registrations(engine, district, SOURCE, "R1", ["R6"])
    assert scalar(engine, "SELECT count(*) FROM registration") == 6
    merge_registrations(engine, province, SOURCE, "R6", ["R1", "R2"])
    assert scalar(engine, "SELECT count(*) FROM registration WHERE person_id = :p",
                  p=PERSON) == 1
    assert scalar(engine, "SELECT count(*) FROM vax_registration_merged") == 2


def test_assignment_reuses_the_invitations_and_never_overbooks(engine: Engine) -> None:
    _seed(engine)
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=1))
    people = [Invitee(PERSON, "CCCD", "R2"), Invitee(OTHER, "CCCD", "R3")]
    with pytest.raises(OpsError) as err:
        invite(engine, staff, SOURCE, sid, people)
    assert err.value.problems[0].code == "invite.places_left"
    assert err.value.problems[0].detail == "1"
    assert scalar(engine, "SELECT count(*) FROM vax_booking") == 0
    invite(engine, staff, SOURCE, sid, people[:1])
    assert scalar(engine, "SELECT booked FROM vax_session") == 1
    officer = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    booked = registrations_page(engine, officer, SOURCE, "01", "001", facility_code="F00101")
    assert _ids(booked) == ["R2"]


def _org_row(rid: str, **over: str) -> dict[str, str]:
    row = {"registration_id": rid, "person_id": "001090099999", "id_type": "CCCD",
           "full_name": "Đỗ Văn Em", "birth_date": "1990-05-06", "sex": "M",
           "phone": "0912000000", "priority_group": "7", "province_code": "01",
           "district_code": "001", "ward_code": "", "address": "",
           "organisation": "Công ty Điện lực", "registered_at": "2021-07-10T08:00:00+07:00"}
    row.update(over)
    return row


def test_an_organisation_file_loads_its_valid_rows_and_reports_the_rest(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _seed(engine)
    merge_registrations(engine, SYSTEM, SOURCE, "R2", ["R1"])
    officer = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    path = write_csv(tmp_path / "org.csv", [
        _org_row("ORG-1"),
        _org_row("ORG-2", phone="12345"),                                   # line 3
        _org_row("ORG-3", person_id="001090099998", district_code="002"),  # line 4: elsewhere
        _org_row("R1", person_id=PERSON),                                  # line 5: merged
        _org_row("R4", person_id="001085000003"),                          # line 6: not theirs
        _org_row("ORG-6", person_id="001090099997", birth_date="31/02/1990"),  # line 7
    ])
    result = load_file(settings, engine, "registrations", path, tmp_path / "r.csv", "en",
                       row_check=upload_check(officer, "en"))
    assert (result.read, result.loaded, result.rejected) == (6, 1, 5)
    report = [(r["line"], r["field"], r["reason"]) for r in read_rejects(result.reject_path)]
    assert report == [
        ("3", "phone", message("bad_phone", "en")),
        ("4", "district_code", message("outside_scope", "en")),
        ("5", "registration_id", message("registration_merged", "en", kept="R2")),
        ("6", "registration_id", message("registration_elsewhere", "en")),
        ("7", "birth_date", message("bad_date", "en")),
    ]
    assert scalar(engine, "SELECT count(*) FROM registration WHERE registration_id LIKE "
                  "'ORG-%'") == 1
    assert scalar(engine, "SELECT district_code FROM registration WHERE registration_id = "
                  "'R4'") == "002"
    assert scalar(engine, "SELECT count(*) FROM fct_registration WHERE registration_id = "
                  "'ORG-1'") == 1


def _plan(engine: Engine, sql: str) -> str:
    from sqlalchemy import text
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            return "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        # Forbid the sequential scan, to see which index serves the read.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(conn.execute(text("EXPLAIN " + sql)).scalars())


def test_the_reads_are_served_by_indexes(engine: Engine) -> None:
    from sqlalchemy import insert, text

    from data.models.operational import Registration

    _seed(engine)
    with engine.begin() as conn:  # a district of 400 people, a few of them Nguyễn
        conn.execute(insert(Registration.__table__), [
            {"registration_id": f"B{n}", "person_id": f"0010850{n:05d}", "id_type": "CCCD",
             "full_name": ("Nguyễn Văn " if n % 100 == 0 else "Trần Thị ") + str(n),
             "birth_date": dt.date(1985, 1, 1), "sex": "F", "phone": "0912345678",
             "priority_group": 0, "province_code": "01", "district_code": "001",
             "ward_code": None, "address": None, "organisation": None,
             "registered_at": _at(1 + n % 28), "row_hash": n} for n in range(400)])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE registration"))
    where = "province_code = '01' AND district_code = '001'"
    listing = _plan(engine, f"SELECT registration_id FROM registration WHERE {where} "
                    "ORDER BY registered_at DESC, registration_id DESC LIMIT 50 OFFSET 100")
    assert "ix_registration_place_registered_at" in listing
    assert "Sort" not in listing and "TEMP B-TREE" not in listing
    dups = _plan(engine, f"SELECT person_id FROM registration WHERE {where} GROUP BY person_id "
                 "HAVING count(*) > 1 ORDER BY person_id LIMIT 50")
    # Person order comes from an index (here every row lies in the district, so PostgreSQL may
    # as well walk the plain person_id one); nothing is sorted.
    assert "ix_registration_place_person_id" in dups or "ix_registration_person_id" in dups
    assert "Sort" not in dups and "TEMP B-TREE" not in dups
    if engine.dialect.name == "postgresql":  # SQLite's LIKE ignores case: no index serves it
        name = _plan(engine, f"SELECT registration_id FROM registration WHERE {where} "
                     "AND full_name LIKE 'Nguy%'")
        assert "ix_registration_place_full_name" in name and "~>=~" in name


def test_a_clean_organisation_file_loads_whole(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    seed_places(engine)
    officer = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    path = write_csv(tmp_path / "org.csv", [_org_row("ORG-1"),
                                            _org_row("ORG-2", person_id="001090099998")])
    result = load_file(settings, engine, "registrations", path, tmp_path / "r.csv", "vi",
                       row_check=upload_check(officer, "vi"))
    assert (result.read, result.loaded, result.rejected, result.reject_path) == (2, 2, 0, None)
