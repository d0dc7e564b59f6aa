"""AEFI case management on each backend (issue 12): the staff form's report through the aefi
kind's rules and loader, its date checks, and a serious case's workflow, where each role can
do its step and only its step, in order, signed and audited; the council's classification
reaches the contract's column, and fct_aefi and the rollups still equal a recomputation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Forbidden, Grant, Principal, Role
from data.command_errors import OpsError
from data.interchange.messages import message
from data.ops.commands import aefi_case as ac
from data.ops.commands import aefi_report, aefi_staff
from data.ops.commands.aefi_case import classify, investigate
from data.ops.commands.aefi_staff import StaffReport, report
from data.ops.commands.injection import record_injection
from data.ops.commands.observation import Reaction, record_reaction
from data.ops.queries.aefi_cases import case_detail, case_list
from data.settings import Settings
from data.version import read_version
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, read_rejects, scalar, write_csv
from tests.integration.test_rollups_recompute import _assert_rollups_match

TZ = "Asia/Ho_Chi_Minh"
STAFF = Principal(7, "staff", "Nguyễn Thị Y tá",
                  (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001"),))
OTHER_STAFF = Principal(8, "other", "Staff F00201",
                        (Grant(Role.FACILITY_STAFF, "FACILITY", "F00201", "01", "002"),))
DISTRICT = Principal(10, "bd", "Ba Đình officer",
                     (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "001", "01", "001"),))
OTHER_DISTRICT = Principal(11, "hk", "Hoàn Kiếm officer",
                           (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "002", "01", "002"),))
PROVINCE = Principal(12, "hn", "Hà Nội council",
                     (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "01", "01"),))
OTHER_PROVINCE = Principal(13, "hcm", "TP.HCM council",
                           (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "79", "79"),))


@pytest.fixture
def dose(settings: Settings, engine: Engine, tmp_path: Path) -> dt.datetime:
    """F00101 (Hà Nội, Ba Đình), F00201 (Hoàn Kiếm); dose A given at F00101 90 minutes ago."""
    rows = [FACILITY, facility("F00201", district_code="002", ward_code="")]
    assert load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows)
                     ).loaded == 2
    at = _ago(90)
    row = injection("A", person_id="001090000001", administered_at=at.isoformat())
    assert record_injection(engine, STAFF, row, "en").outcome == "loaded"
    return at


def _ago(minutes: float) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TZ)).date()


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


def _count(engine: Engine, sql: str, **params: Any) -> int:
    return int(scalar(engine, sql, **params))


def _serious(**over: Any) -> StaffReport:
    fields: dict[str, Any] = {
        "record_id": "A", "onset_at": _ago(60), "symptom_codes": ("ANAPHYLAXIS", "DYSPNOEA"),
        "symptom_text": "tụt huyết áp", "seriousness": ("HOSPITALISATION",),
        "outcome": "RECOVERING", "reporter_title": "Điều dưỡng", "reporter_phone": "0912345678"}
    fields.update(over)
    return StaffReport(**fields)


def _audits(engine: Engine, table: str) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT username, action, record_key, after FROM audit_log "
                                 "WHERE table_name = :t ORDER BY id"), {"t": table}).all()
    return [(r[0], r[1], r[2], r[3] if isinstance(r[3], dict) else json.loads(r[3]))
            for r in rows]


def _assert_fct_aefi_matches(engine: Engine) -> None:
    """fct_aefi equals what the reports and their injections' facts give."""
    cols = ["report_id", "record_id", "severity", "outcome", "classification", "lot_number",
            "vaccine_key", "dose_key", "geo_key"]
    with engine.connect() as conn:
        stored = pd.read_sql(text(f"SELECT {', '.join(cols)} FROM fct_aefi"), conn)
        expected = pd.read_sql(text(
            "SELECT r.report_id, r.record_id, r.severity, r.outcome, r.classification, "
            "f.lot_number, f.vaccine_key, f.dose_key, f.geo_key FROM aefi_report r "
            "JOIN fct_injection f ON f.record_id = r.record_id"), conn)

    def canonical(df: pd.DataFrame) -> list:
        return sorted(tuple(str(v) for v in row) for row in df[cols].itertuples(index=False))

    assert canonical(stored) == canonical(expected)
    _assert_rollups_match(engine)


def test_a_staff_report_goes_through_the_contracts_path(engine: Engine,
                                                        dose: dt.datetime) -> None:
    before = _version(engine)
    rid = report(engine, STAFF, "10.0.0.7", _serious(), "vi", TZ)
    with engine.connect() as conn:
        stored = conn.execute(text(
            "SELECT record_id, severity, seriousness, symptoms, outcome, facility_code "
            "FROM aefi_report WHERE report_id = :r"), {"r": rid}).one()
        form = conn.execute(text(
            "SELECT entered_by, entered_by_name, reporter_name, reporter_title, "
            "symptom_codes, symptom_text FROM vax_aefi_staff_report WHERE report_id = :r"),
            {"r": rid}).one()
        lot = conn.execute(text("SELECT lot_number, is_serious FROM fct_aefi "
                                "WHERE report_id = :r"), {"r": rid}).one()
    assert tuple(stored) == ("A", "SERIOUS", "HOSPITALISATION",
                             "sốc phản vệ; khó thở; tụt huyết áp", "RECOVERING", "F00101")
    assert tuple(form) == (7, "staff", "Nguyễn Thị Y tá", "Điều dưỡng",
                           "ANAPHYLAXIS;DYSPNOEA", "tụt huyết áp")
    assert tuple(lot) == ("AZ2108A", True)  # the dose's lot
    assert [a[:3] for a in _audits(engine, "aefi_report")] == [("staff", "CREATE", rid)]
    assert _version(engine) == before + 1
    _assert_fct_aefi_matches(engine)
    # A mild report: no seriousness criterion; the district officer may report too.
    mild = report(engine, DISTRICT, None, _serious(seriousness=(), symptom_codes=("FEVER",),
                                                   symptom_text=None), "en", TZ)
    assert scalar(engine, "SELECT severity FROM aefi_report WHERE report_id = :r",
                  r=mild) == "MILD"
    with pytest.raises(Forbidden):
        report(engine, OTHER_STAFF, None, _serious(), "vi", TZ)
    assert _count(engine, "SELECT COUNT(*) FROM aefi_report") == 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_date_checks_are_worded_and_write_nothing(engine: Engine, dose: dt.datetime,
                                                  lang: str) -> None:
    cases = [
        (_serious(onset_at=dose - dt.timedelta(minutes=5)),
         {"onset_at": "onset_before_injection"}),
        (_serious(reported_at=_ago(70)), {"reported_at": "reported_before_onset"}),
        (_serious(symptom_codes=("FEVER", "NOPE"), onset_at=dose - dt.timedelta(hours=1)),
         {"symptom_codes": aefi_staff.SYMPTOM_UNKNOWN, "onset_at": "onset_before_injection"}),
        (_serious(symptom_codes=(), symptom_text=" "), {"symptoms": "required"}),
        (_serious(reporter_name="x" * 201, symptom_text="a\x00b"),
         {"reporter_name": aefi_report.TEXT_INVALID, "symptom_text": aefi_report.TEXT_INVALID}),
    ]
    for form, codes in cases:
        with pytest.raises(OpsError) as err:
            report(engine, STAFF, None, form, lang, TZ)
        assert err.value.codes() == codes
        for p in err.value.problems:
            if p.worded:
                assert p.detail == message(p.code, lang)
    # The person's birth date corrected to after the dose: no report may follow it.
    with engine.begin() as conn:
        conn.execute(text("UPDATE injection SET birth_date = :d WHERE record_id = 'A'"),
                     {"d": _today() + dt.timedelta(days=1)})
    with pytest.raises(OpsError) as err:
        report(engine, STAFF, None, _serious(), lang, TZ)
    assert err.value.codes() == {"record_id": "birth_after_injection"}
    assert err.value.problems[0].detail == message("birth_after_injection", lang)
    for table in ("aefi_report", "fct_aefi", "vax_aefi_staff_report"):
        assert _count(engine, f"SELECT COUNT(*) FROM {table}") == 0, table


def test_each_role_does_its_step_and_only_its_step(engine: Engine, dose: dt.datetime) -> None:
    rid = report(engine, STAFF, None, _serious(), "vi", TZ)
    today = _today()
    # Classification before the investigation: refused, whoever asks.
    with pytest.raises(OpsError) as err:
        classify(engine, PROVINCE, None, rid, "A1", today, None, "vi", TZ)
    assert err.value.codes() == {"report_id": ac.NOT_INVESTIGATED}
    # Only the district officer of the dose's facility's district investigates.
    for who in (STAFF, OTHER_DISTRICT, PROVINCE, OTHER_PROVINCE, SYSTEM):
        with pytest.raises(Forbidden):
            investigate(engine, who, None, rid, today, "Đã điều tra", TZ)
    assert _count(engine, "SELECT COUNT(*) FROM vax_aefi_case") == 0
    before = _version(engine)
    step = investigate(engine, DISTRICT, "10.0.0.8", rid, today,
                       " Phản vệ độ II, xử trí theo phác đồ ", TZ)
    assert (step.status, step.signed_by, step.signed_by_name) == ("INVESTIGATED", 10, "bd")
    assert _version(engine) == before  # no fact changed
    with pytest.raises(OpsError) as err:
        investigate(engine, DISTRICT, None, rid, today, "again", TZ)
    assert err.value.codes() == {"report_id": ac.ALREADY_INVESTIGATED}
    # Only a provincial officer of that province classifies.
    for who in (STAFF, DISTRICT, OTHER_DISTRICT, OTHER_PROVINCE, SYSTEM):
        with pytest.raises(Forbidden):
            classify(engine, who, None, rid, "A1", today, None, "vi", TZ)
    step = classify(engine, PROVINCE, "10.0.0.9", rid, "a1", today, "Hội đồng họp", "vi", TZ)
    assert (step.status, step.signed_by_name) == ("CLASSIFIED", "hn")
    assert _version(engine) == before + 1
    with pytest.raises(OpsError) as err:
        classify(engine, PROVINCE, None, rid, "C", today, None, "vi", TZ)
    assert err.value.codes() == {"report_id": ac.ALREADY_CLASSIFIED}
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT status, findings, investigated_by, investigated_by_name, causality, "
            "classified_by, classified_by_name, council_decided_on FROM vax_aefi_case")).one()
        classes = conn.execute(text(
            "SELECT r.classification, f.classification FROM aefi_report r "
            "JOIN fct_aefi f ON f.report_id = r.report_id WHERE r.report_id = :r"),
            {"r": rid}).one()
    assert tuple(row)[:7] == ("CLASSIFIED", "Phản vệ độ II, xử trí theo phác đồ", 10, "bd",
                              "A1", 12, "hn")
    assert str(row[7])[:10] == today.isoformat()
    assert tuple(classes) == ("A", "A")  # the contract's column and its fact agree
    assert [a[:3] for a in _audits(engine, "vax_aefi_case")] == [
        ("bd", "CREATE", rid), ("hn", "UPDATE", rid)]
    assert _audits(engine, "vax_aefi_case")[1][3]["causality"] == "A1"
    assert [(a[0], a[1], a[3]) for a in _audits(engine, "aefi_report")][1:] == [
        ("hn", "UPDATE", {"classification": "A"})]
    _assert_fct_aefi_matches(engine)


def test_out_of_order_and_bad_input_on_the_steps(engine: Engine, dose: dt.datetime) -> None:
    mild = report(engine, STAFF, None, _serious(seriousness=()), "vi", TZ)
    for call in (lambda: investigate(engine, DISTRICT, None, mild, _today(), "x", TZ),
                 lambda: classify(engine, PROVINCE, None, mild, "C", _today(), None, "vi",
                                  TZ)):
        with pytest.raises(OpsError) as err:
            call()
        assert err.value.codes() == {"report_id": ac.NOT_SERIOUS}
    with pytest.raises(OpsError) as err:
        investigate(engine, DISTRICT, None, "NOPE", _today(), "x", TZ)
    assert err.value.codes() == {"report_id": ac.UNKNOWN_REPORT}
    rid = report(engine, STAFF, None, _serious(), "vi", TZ)
    tomorrow = _today() + dt.timedelta(days=1)
    with pytest.raises(OpsError) as err:
        investigate(engine, DISTRICT, None, rid, tomorrow, "  ", TZ)
    assert err.value.codes() == {"findings": ac.FINDINGS_REQUIRED,
                                 "investigated_on": ac.DATE_FUTURE}
    with pytest.raises(OpsError) as err:
        investigate(engine, DISTRICT, None, rid, _today() - dt.timedelta(days=3), "x", TZ)
    assert err.value.codes() == {"investigated_on": ac.DATE_BEFORE_ONSET}
    with pytest.raises(OpsError) as err:
        investigate(engine, DISTRICT, None, rid, None, "x" * (ac.MAX_TEXT + 1), TZ)  # type: ignore[arg-type]
    assert err.value.codes() == {"findings": aefi_report.TEXT_INVALID,
                                 "investigated_on": ac.DATE_REQUIRED}
    investigate(engine, DISTRICT, None, rid, _today(), "x", TZ)
    with pytest.raises(OpsError) as err:
        classify(engine, PROVINCE, None, rid, "D", _today() - dt.timedelta(days=1), None,
                 "vi", TZ)
    assert err.value.codes() == {"causality": ac.CAUSALITY_UNKNOWN,
                                 "council_decided_on": ac.DATE_BEFORE_INVESTIGATION}
    assert scalar(engine, "SELECT status FROM vax_aefi_case") == "INVESTIGATED"
    assert scalar(engine, "SELECT classification FROM aefi_report WHERE report_id = :r",
                  r=rid) is None


def test_reads_list_cases_in_scope_by_status(engine: Engine, dose: dt.datetime) -> None:
    # A serious reaction on the observation board is a case too.
    obs = record_reaction(engine, STAFF, None, "A", Reaction(
        "SERIOUS", "ngất", "RECOVERED", "MEDICALLY_IMPORTANT", _ago(70)), "vi", TZ)
    rid = report(engine, STAFF, None, _serious(), "vi", TZ)
    report(engine, STAFF, None, _serious(seriousness=()), "vi", TZ)  # mild: no case
    investigate(engine, DISTRICT, None, rid, _today(), "x", TZ)
    assert {c.report_id: c.status for c in case_list(engine, PROVINCE)} == {
        obs.aefi_report_id: "REPORTED", rid: "INVESTIGATED"}
    assert [c.report_id for c in case_list(engine, DISTRICT, "REPORTED")] == [
        obs.aefi_report_id]
    assert case_list(engine, OTHER_DISTRICT) == []
    assert case_list(engine, OTHER_PROVINCE) == []
    detail = case_detail(engine, STAFF, rid)
    assert detail is not None
    assert (detail.row.lot_number, detail.row.vaccine_code, detail.row.status) == (
        "AZ2108A", "AZ", "INVESTIGATED")
    assert detail.reporter is not None and detail.reporter["reporter_name"] == "Nguyễn Thị Y tá"
    assert detail.investigation is not None and detail.investigation["investigated_by"] == 10
    assert detail.council is None
    with pytest.raises(Forbidden):
        case_detail(engine, OTHER_PROVINCE, rid)
    assert case_detail(engine, STAFF, "NOPE") is None


def test_a_re_sent_report_keeps_the_councils_classification(
        settings: Settings, engine: Engine, dose: dt.datetime, tmp_path: Path) -> None:
    rid = report(engine, STAFF, None, _serious(), "vi", TZ)
    investigate(engine, DISTRICT, None, rid, _today(), "Đã điều tra", TZ)
    classify(engine, PROVINCE, None, rid, "B1", _today(), None, "vi", TZ)
    with engine.connect() as conn:
        stored = dict(conn.execute(text(
            "SELECT report_id, record_id, onset_at, reported_at, severity, seriousness, "
            "symptoms, outcome, classification, facility_code FROM aefi_report")).mappings()
            .one())
    assert stored["classification"] == "B"
    sent = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in stored.items()}

    def load(name: str, **over: str) -> Any:
        return load_file(settings, engine, "aefi", write_csv(tmp_path / name, [sent | over]))

    # The facility's file re-sent with the classification blank: the council's stays.
    blank = load("blank.csv", classification="", outcome="RECOVERED")
    assert (blank.updated, blank.rejected) == (1, 0)
    # Another classification: refused, with what the council decided and when.
    other = load("other.csv", classification="C")
    assert (other.loaded, other.updated, other.rejected) == (0, 0, 1)
    reasons = [r["reason"] for r in read_rejects(other.reject_path)]
    assert reasons == [message("classified_by_council", settings.reject_lang,
                               classification="B", day=_today().isoformat())]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT r.classification, f.classification, r.outcome "
                                 "FROM aefi_report r JOIN fct_aefi f ON f.report_id = "
                                 "r.report_id")).one() == ("B", "B", "RECOVERED")
    # Before a classification, a file may set one (the contract's column is optional).
    other_rid = report(engine, STAFF, None, _serious(), "vi", TZ)
    free = load("free.csv", report_id=other_rid, classification="C")
    assert (free.updated, free.rejected) == (1, 0)
    _assert_fct_aefi_matches(engine)
