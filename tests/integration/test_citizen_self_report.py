"""A citizen's self-report of reactions after a dose (data.citizen.self_report) on each
backend: within 28 days it lands in the AEFI intake as a self-reported report that the
operations' case list shows with its dose, and the district can follow it up; day 29, another
person's dose, unknown codes and empty reports are refused; identification by number, name and
date of birth answers a wrong combination as it answers an unknown person."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Grant, Principal, Role
from data.citizen import self_report as sr
from data.citizen.identify import find_person
from data.citizen.self_report import recent_doses, record_self_report
from data.command_errors import OpsError
from data.mcc import aefi as mcc_aefi
from data.ops.commands import aefi_case
from data.ops.queries.aefi_cases import case_detail, case_list
from data.services import Services
from data.settings import Settings
from data.version import read_version
from tests.factories import scalar
from tests.integration.citizen_setup import DOB, NAME, PERSON, TZ, dose_days_ago, facilities, today

DISTRICT = Principal(10, "bd", "Ba Đình officer",
                     (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "001", "01", "001"),))


@pytest.fixture
def doses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """PERSON's dose R28 28 days ago and R29 29 days ago; someone else's dose X today."""
    facilities(settings, engine, tmp_path)
    dose_days_ago(engine, "R29", 29)
    dose_days_ago(engine, "R28", 28, dose_number=2)
    dose_days_ago(engine, "X", 0, person="001090000002")


def _codes(err: pytest.ExceptionInfo[OpsError]) -> dict[str, str]:
    return err.value.codes()


def test_a_self_report_within_28_days_lands_in_the_aefi_intake(engine: Engine,
                                                               doses: None) -> None:
    with engine.connect() as conn:
        before = read_version(conn)
    onset = today() - dt.timedelta(days=27)
    got = record_self_report(engine, PERSON, "R28", onset, ["fever", "HEADACHE", "FEVER"],
                             "  đau tay trái  ", channel="portal", source="10.0.0.9", tz=TZ)
    assert got.severity == "MILD" and got.record_id == "R28"
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT record_id, severity, seriousness, symptoms, outcome, classification, "
            "facility_code FROM aefi_report WHERE report_id = :r"), {"r": got.report_id}).one()
        marker = conn.execute(text(
            "SELECT channel, reaction_codes, reaction_text, hospitalised, onset_date, person_id "
            "FROM vax_aefi_self_report WHERE report_id = :r"), {"r": got.report_id}).one()
        assert read_version(conn) == before + 1
    assert tuple(row) == ("R28", "MILD", None, "sốt; đau đầu; đau tay trái", "UNKNOWN", None,
                          "F00101")
    assert marker[0] == "PORTAL" and marker[1] == "FEVER;HEADACHE"
    assert marker[2] == "đau tay trái" and not marker[3] and marker[5] == PERSON
    assert scalar(engine, "SELECT COUNT(*) FROM fct_aefi WHERE report_id = :r",
                  r=got.report_id) == 1
    assert scalar(engine, "SELECT username FROM audit_log WHERE table_name = 'aefi_report' "
                          "AND record_key = :r", r=got.report_id) == "citizen:portal"
    # The district's list shows it, marked, with the dose it concerns; mild as it is.
    rows = [c for c in case_list(engine, DISTRICT, "REPORTED") if c.report_id == got.report_id]
    assert len(rows) == 1 and rows[0].self_reported and rows[0].record_id == "R28"
    assert rows[0].lot_number == "AZ2108A" and rows[0].vaccine_code == "AZ"
    detail = case_detail(engine, DISTRICT, got.report_id)
    assert detail is not None and detail.self_report is not None
    assert detail.self_report["channel"] == "PORTAL" and detail.row.self_reported
    # ... and the district follows it up as it does a serious report.
    step = aefi_case.investigate(engine, DISTRICT, "10.0.0.1", got.report_id, today(),
                                 "Gọi điện: đã hết sốt", tz=TZ)
    assert step.status == "INVESTIGATED"


def test_a_hospitalised_self_report_is_a_serious_case(engine: Engine, doses: None) -> None:
    got = record_self_report(engine, PERSON, "R28", today(), ["ANAPHYLAXIS"], None,
                             hospitalised=True, channel="app", tz=TZ)
    assert got.severity == "SERIOUS"
    assert scalar(engine, "SELECT seriousness FROM aefi_report WHERE report_id = :r",
                  r=got.report_id) == "HOSPITALISATION"
    assert scalar(engine, "SELECT is_serious FROM fct_aefi WHERE report_id = :r",
                  r=got.report_id) in (True, 1)


def test_day_29_is_refused_and_not_offered(engine: Engine, doses: None) -> None:
    offered = [d.record_id for d in recent_doses(engine, PERSON, tz=TZ)]
    assert offered == ["R28"]
    assert recent_doses(engine, PERSON, tz=TZ)[0].days_since == 28
    with pytest.raises(OpsError) as err:
        record_self_report(engine, PERSON, "R29", today(), ["FEVER"], tz=TZ)
    assert _codes(err) == {"record_id": sr.TOO_LATE}
    assert scalar(engine, "SELECT COUNT(*) FROM aefi_report") == 0


def test_someone_elses_dose_is_refused_as_an_unknown_one(engine: Engine, doses: None) -> None:
    for record in ("X", "NOPE", "", "R" * 80):
        with pytest.raises(OpsError) as err:
            record_self_report(engine, PERSON, record, today(), ["FEVER"], tz=TZ)
        assert _codes(err) == {"record_id": sr.UNKNOWN_DOSE}
    assert scalar(engine, "SELECT COUNT(*) FROM vax_aefi_self_report") == 0


def test_coded_list_onset_and_text_are_validated(engine: Engine, doses: None) -> None:
    cases = [
        (dict(reactions=["FEVER", "ZOMBIE"]), {"reactions": sr.REACTION_UNKNOWN}),
        (dict(reactions=[1, 2]), {"reactions": sr.REACTION_UNKNOWN}),
        (dict(reactions="FEVER"), {"reactions": sr.REACTION_UNKNOWN}),
        (dict(reactions=[], text="  "), {"reactions": sr.REACTION_REQUIRED}),
        (dict(text="x" * (sr.MAX_TEXT + 1)), {"text": "aefi_case.text_invalid"}),
        (dict(onset_date=today() + dt.timedelta(days=1)), {"onset_date": sr.ONSET_FUTURE}),
        (dict(onset_date=today() - dt.timedelta(days=29)),
         {"onset_date": sr.ONSET_BEFORE_DOSE}),
        (dict(onset_date=None), {"onset_date": sr.ONSET_REQUIRED}),
        (dict(channel="fax"), {"channel": "citizen.channel_unknown"}),
    ]
    for over, expected in cases:
        args = {"reactions": ["FEVER"], "text": None, "onset_date": today(),
                "channel": "portal"} | over
        with pytest.raises(OpsError) as err:
            record_self_report(engine, PERSON, "R28", args["onset_date"], args["reactions"],
                               args["text"], channel=args["channel"], tz=TZ)
        assert _codes(err) == expected, over
    assert scalar(engine, "SELECT COUNT(*) FROM aefi_report") == 0


def test_a_dose_takes_a_few_self_reports_only(engine: Engine, doses: None) -> None:
    for _ in range(sr.MAX_PER_DOSE):
        record_self_report(engine, PERSON, "R28", today(), ["FATIGUE"], tz=TZ)
    with pytest.raises(OpsError) as err:
        record_self_report(engine, PERSON, "R28", today(), ["FATIGUE"], tz=TZ)
    assert _codes(err) == {"record_id": sr.TOO_MANY}


def test_self_reports_count_in_the_command_centre_as_awaiting_classification(
        services: Services, doses: None) -> None:
    got = record_self_report(services, PERSON, "R28", today(), ["MYALGIA"], tz=TZ)
    df = mcc_aefi.reported_between(services, today(), today())
    mine = df[df["report_id"] == got.report_id]
    assert len(mine) == 1
    assert mine["classification"].isna().all() and not mine["is_serious"].any()
    assert mine["severity"].tolist() == ["MILD"]


def test_identification_needs_number_name_and_birth_date_together(engine: Engine,
                                                                  doses: None) -> None:
    with engine.connect() as conn:
        assert find_person(conn, PERSON, NAME, DOB) == PERSON
        nfd = unicodedata.normalize("NFD", "  nguyễn   VĂN an ")
        assert find_person(conn, f" {PERSON} ", nfd, DOB) == PERSON
        assert find_person(conn, PERSON, "Nguyễn Văn Ân", DOB) is None
        assert find_person(conn, PERSON, NAME, DOB + dt.timedelta(days=1)) is None
        assert find_person(conn, "001090000099", NAME, DOB) is None
        assert find_person(conn, "'; DROP TABLE x", NAME, DOB) is None
        assert find_person(conn, PERSON, "", DOB) is None
        assert find_person(conn, PERSON, NAME, "1990-01-02") is None
        assert find_person(conn, None, None, None) is None
