"""record_injection, the write side's one-dose command, on each backend: where a dose lands,
that a dose is valid exactly when the same row of a file is (same reasons), who may record
where, the duplicate-dose rule, and rollups that equal a recomputation after any mix of
files and commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Forbidden, Grant, Principal, Role
from data.command_errors import OpsError
from data.ops.commands.injection import ALREADY_RECORDED, record_injection
from data.settings import Settings
from data.version import read_version
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, read_rejects, scalar, write_csv
from tests.integration.test_etl_injections_rejects import ALL_BAD
from tests.integration.test_rollups_recompute import (
    _assert_rollups_match,
    _doses,
    _random_injection,
)

STAFF = Principal(7, "staff", "Staff F00101",
                  (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001"),))


def _principal(role: Role, level: str, code: str | None, province: str | None,
               district: str | None) -> Principal:
    return Principal(8, f"{role}-{code}", "p", (Grant(role, level, code, province, district),))


@pytest.fixture
def facilities(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101 in Hà Nội, Ba Đình (001); F00201 in Hà Nội, Hoàn Kiếm (002)."""
    rows = [FACILITY, facility("F00201", district_code="002", ward_code="")]
    result = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows))
    assert result.loaded == 2


def _count(engine: Engine, sql: str, **params: Any) -> int:
    return int(scalar(engine, sql, **params))


@pytest.mark.usefixtures("facilities")
def test_a_recorded_dose_lands_in_every_table_with_audit_and_version(engine: Engine) -> None:
    before = _version(engine)
    done = record_injection(engine, STAFF, injection("FORM-1"), "vi", source="10.0.0.7")
    assert (done.record_id, done.outcome) == ("FORM-1", "loaded")
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id = 'FORM-1'") == 1
    assert _count(engine, "SELECT COUNT(*) FROM fct_injection WHERE record_id = 'FORM-1'") == 1
    assert _doses(engine) == 1
    assert _count(engine, "SELECT SUM(doses) FROM agg_doses_facility_daily") == 1
    _assert_rollups_match(engine)
    assert _version(engine) == before + 1
    with engine.connect() as conn:
        entry = conn.execute(text(
            "SELECT username, source, action, table_name, record_key, after FROM audit_log "
            "WHERE table_name = 'injection'")).one()
    assert entry[:5] == ("staff", "10.0.0.7", "CREATE", "injection", "FORM-1")
    after = entry[5] if isinstance(entry[5], dict) else json.loads(entry[5])
    assert after["facility_code"] == "F00101" and after["dose_number"] == 1
    assert "person_id" not in after and "full_name" not in after  # no personal data
    # The same form sent again stores nothing and moves nothing.
    again = record_injection(engine, STAFF, injection("FORM-1"), "vi")
    assert again.outcome == "unchanged"
    assert _version(engine) == before + 1 and _doses(engine) == 1
    # A correction through the command moves the dose between keys.
    fixed = record_injection(engine, STAFF, injection("FORM-1", vaccine_code="PFZ"), "vi")
    assert fixed.outcome == "updated"
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 1
    assert _count(engine, "SELECT SUM(doses) FROM agg_doses_lot") == 1
    _assert_rollups_match(engine)
    assert _version(engine) == before + 2


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


# -- a dose is valid exactly when the same row of a file is ----------------------------------

VALID = [
    {},
    {"sex": "nữ", "phone": "+84 912 345 678", "id_type": ""},
    {"birth_date": "02/01/1990", "ward_code": "", "priority_group": ""},
    {"person_id": "b1234567", "id_type": "PASSPORT", "vaccine_code": "jnj"},
    {"dose_kind": "booster", "dose_number": "2", "administered_at": "2021-12-01 08:30:00"},
]


@pytest.mark.usefixtures("facilities")
@pytest.mark.parametrize("over", VALID, ids=lambda o: ",".join(o) or "plain")
def test_a_valid_row_stores_the_same_canonical_row_from_a_form(
    settings: Settings, engine: Engine, tmp_path: Path, over: dict[str, str]
) -> None:
    row = injection("SAME", **over)
    loaded = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", [row]))
    assert (loaded.loaded, loaded.rejected) == (1, 0)
    # Same record_id, same content hash: the form's canonical row is the file's, to the byte.
    assert record_injection(engine, SYSTEM, row, "en").outcome == "unchanged"


@pytest.mark.usefixtures("facilities")
@pytest.mark.parametrize("bad", ALL_BAD, ids=lambda b: f"{b.field}-{b.key}")
def test_an_invalid_row_is_refused_with_the_reject_reports_reasons(
    settings: Settings, engine: Engine, tmp_path: Path, bad: Any
) -> None:
    row = injection("BAD") | {k: str(v) for k, v in bad.over.items()}
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", [row]),
                       lang="en")
    assert result.rejected == 1
    report = {(r["field"], r["reason"]) for r in read_rejects(result.reject_path)}
    with pytest.raises(OpsError) as refused:
        record_injection(engine, SYSTEM, row, "en")
    assert {(e.field, e.detail) for e in refused.value.problems} == report
    assert (bad.field, bad.key) in {(e.field, e.code) for e in refused.value.problems}
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 0
    assert _count(engine, "SELECT COUNT(*) FROM audit_log WHERE table_name = 'injection'") == 0


class DoseForm(BaseModel):
    """A typed dose as a form or the API would send it."""

    record_id: str
    person_id: str
    id_type: str | None = None
    full_name: str
    birth_date: dt.date
    sex: str
    phone: str | None = None
    priority_group: int = 0
    province_code: str
    district_code: str
    ward_code: str | None = None
    facility_code: str
    vaccine_code: str
    lot_number: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    vaccinator: str | None = None


@pytest.mark.usefixtures("facilities")
def test_a_typed_model_reads_as_the_file_row_it_equals(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    row = injection("TYPED")
    load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", [row]))
    form = DoseForm(
        record_id="TYPED", person_id="001090012345", id_type="CCCD", full_name="Nguyễn Văn An",
        birth_date=dt.date(1990, 1, 2), sex="M", phone="0912345678", province_code="01",
        district_code="001", ward_code="00001", facility_code="F00101", vaccine_code="AZ",
        lot_number="AZ2108A", dose_kind="PRIMARY", dose_number=1,
        administered_at=dt.datetime(2021, 8, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    assert record_injection(engine, STAFF, form, "vi").outcome == "unchanged"
    with pytest.raises(OpsError) as refused:
        record_injection(engine, STAFF, form.model_copy(update={"dose_number": 4}), "en")
    assert refused.value.codes() == {"dose_number": "bad_dose_number"}


# -- scope -----------------------------------------------------------------------------------

@pytest.mark.usefixtures("facilities")
@pytest.mark.parametrize(("who", "allowed"), [
    (STAFF, True),
    (_principal(Role.FACILITY_STAFF, "FACILITY", "F00201", "01", "002"), False),
    (_principal(Role.DISTRICT_OFFICER, "DISTRICT", "001", "01", "001"), True),
    (_principal(Role.DISTRICT_OFFICER, "DISTRICT", "002", "01", "002"), False),
    (_principal(Role.PROVINCE_OFFICER, "PROVINCE", "01", "01", None), True),
    (_principal(Role.PROVINCE_OFFICER, "PROVINCE", "79", "79", None), False),
    (_principal(Role.MINISTRY_LEADER, "NATIONAL", None, None, None), False),
    (SYSTEM, True),
], ids=["own-facility", "other-facility", "own-district", "other-district",
        "own-province", "other-province", "ministry-reads-only", "system"])
def test_only_a_grant_covering_the_facility_may_record(
    engine: Engine, who: Principal, allowed: bool
) -> None:
    before = _version(engine)
    if allowed:
        assert record_injection(engine, who, injection("S1"), "vi").outcome == "loaded"
    else:
        with pytest.raises(Forbidden):
            record_injection(engine, who, injection("S1"), "vi")
    assert _count(engine, "SELECT COUNT(*) FROM injection") == int(allowed)
    assert _version(engine) == before + int(allowed)


@pytest.mark.usefixtures("facilities")
def test_scope_is_checked_before_the_rules(engine: Engine) -> None:
    """An invalid dose at another facility is refused for scope, not explained field by field."""
    other = _principal(Role.FACILITY_STAFF, "FACILITY", "F00201", "01", "002")
    with pytest.raises(Forbidden):
        record_injection(engine, other, injection("S2", sex="X"), "vi")


# -- the same dose twice ---------------------------------------------------------------------

@pytest.mark.usefixtures("facilities")
def test_the_same_dose_under_another_record_is_refused_until_the_first_is_in_error(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    record_injection(engine, STAFF, injection("A-1"), "vi")
    # Spelled another way (spaces, lower case kind), at another time: still the same dose.
    twin = injection("B-1", person_id="0010 9001 2345", dose_kind="primary",
                     administered_at="2021-08-01T09:00:00+07:00")
    with pytest.raises(OpsError) as refused:
        record_injection(engine, STAFF, twin, "en")
    (error,) = refused.value.problems
    assert (error.field, error.code) == ("dose_number", ALREADY_RECORDED)
    assert error.detail == ("This person's PRIMARY dose 1 was already recorded at "
                             "08:30 01/08/2021 at facility F00101; it was not recorded again")
    # Another dose of the same person is no duplicate.
    assert record_injection(engine, STAFF, injection("A-2", dose_number=2,
                            administered_at="2021-09-01T08:30:00+07:00"), "vi").outcome == "loaded"
    # Once the first record is marked an error (by file), the dose may be recorded again.
    load_file(settings, engine, "injections", write_csv(
        tmp_path / "e.csv", [injection("A-1", status="ENTERED_IN_ERROR")]))
    assert record_injection(engine, STAFF, twin, "vi").outcome == "loaded"
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE status = 'COMPLETED'") == 2
    _assert_rollups_match(engine)
    assert _doses(engine) == 2


# -- rollups after any mix of files and commands ---------------------------------------------

@pytest.mark.usefixtures("facilities")
@pytest.mark.parametrize("seed", [4, 5])
def test_files_and_commands_mixed_keep_rollups_exact(
    settings: Settings, engine: Engine, tmp_path: Path, seed: int
) -> None:
    rng = np.random.default_rng(seed)

    def person(row: dict[str, str], i: int) -> dict[str, str]:
        return row | {"person_id": f"0010900{i:05d}"}  # one person per record

    rows = [person(_random_injection(rng, i), i) for i in range(120)]
    by_form = [i for i in range(120) if i % 3 == 0]
    load_file(settings, engine, "injections", write_csv(
        tmp_path / "a.csv", [r for i, r in enumerate(rows) if i % 3 and i < 80]))
    for i in by_form:
        assert record_injection(engine, SYSTEM, rows[i], "vi").outcome == "loaded"
    load_file(settings, engine, "injections", write_csv(
        tmp_path / "b.csv", [r for i, r in enumerate(rows) if i % 3 and i >= 80]))
    _assert_rollups_match(engine)
    assert _doses(engine) == 120

    # Corrections by form of file records and by file of form records; errors both ways.
    fixes = rng.choice(120, 30, replace=False)
    for i in fixes[:15]:
        fix = person(_random_injection(rng, int(i)), int(i))
        assert record_injection(engine, SYSTEM, fix, "vi").outcome in ("updated", "unchanged")
    load_file(settings, engine, "injections", write_csv(
        tmp_path / "c.csv", [person(_random_injection(rng, int(i)), int(i)) for i in fixes[15:]]))
    errors = [int(i) for i in rng.choice(120, 20, replace=False)]
    for i in errors[:10]:
        record_injection(engine, SYSTEM, rows[i] | {"status": "ENTERED_IN_ERROR"}, "vi")
    load_file(settings, engine, "injections", write_csv(
        tmp_path / "d.csv", [rows[i] | {"status": "ENTERED_IN_ERROR"} for i in errors[10:]]))
    _assert_rollups_match(engine)
    completed = _count(engine, "SELECT COUNT(*) FROM injection WHERE status = 'COMPLETED'")
    assert completed == 100
    assert _doses(engine) == completed
