"""allocations, aefi and registrations: the rules of their tables in the interchange spec."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import FACILITY, injection, read_rejects, write_csv


def _load(settings: Settings, engine: Engine, tmp_path: Path, kind: str,
          rows: list[dict[str, Any]]) -> LoadResult:
    return load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))


def _report(result: LoadResult) -> list[tuple[str, str]]:
    return [(r["line"], r["field"]) for r in read_rejects(result.reject_path)]


def _rows(engine: Engine, sql: str) -> dict[Any, tuple[Any, ...]]:
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(text(sql))}


def _over(row: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    return row | {k: str(v) for k, v in over.items()}


# -- allocations -------------------------------------------------------------------------------

def allocation(aid: str, **over: Any) -> dict[str, Any]:
    return _over({"allocation_id": aid, "decision_no": "3355/QĐ-BYT", "decided_on": "2021-08-20",
                  "vaccine_code": "AZ", "recipient_code": "01", "doses": "500000",
                  "batch": "Đợt 45"}, over)


def test_allocations_recipient_and_doses(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [allocation("A1"), allocation("A2", recipient_code="1", decided_on="20/08/2021"),
            allocation("A3", recipient_code="760", decision_no="512/QĐ-SYT", batch=""),
            allocation("A4", recipient_code="79"),
            allocation("B1", recipient_code="99"),           # line 6
            allocation("B2", recipient_code="999"),          # line 7
            allocation("B3", recipient_code="7601"),         # line 8
            allocation("B4", doses="0"),                     # line 9
            allocation("B5", doses="-100"),                  # line 10
            allocation("B6", vaccine_code="SINOVAC"),        # line 11
            allocation("B7", decided_on="2099-01-01"),       # line 12
            allocation("B8", decision_no="")]                # line 13
    result = _load(settings, engine, tmp_path, "allocations", rows)
    assert (result.loaded, result.rejected) == (4, 8)
    assert _report(result) == [
        ("6", "recipient_code"), ("7", "recipient_code"), ("8", "recipient_code"),
        ("9", "doses"), ("10", "doses"), ("11", "vaccine_code"), ("12", "decided_on"),
        ("13", "decision_no")]
    assert read_rejects(result.reject_path)[0]["reason"] == MESSAGES["unknown_area"]["vi"]
    facts = _rows(engine, "SELECT allocation_id, recipient_code, recipient_level, "
                          "province_code, date_key, doses FROM fct_allocation")
    assert facts == {
        "A1": ("01", "PROVINCE", "01", 20210820, 500000),
        "A2": ("01", "PROVINCE", "01", 20210820, 500000),
        "A3": ("760", "DISTRICT", "79", 20210820, 500000),
        "A4": ("79", "PROVINCE", "79", 20210820, 500000)}
    assert _rows(engine, "SELECT allocation_id, batch FROM allocation")["A3"] == (None,)


# -- aefi --------------------------------------------------------------------------------------

def aefi(rid: str, record_id: str = "R1", **over: Any) -> dict[str, Any]:
    return _over({"report_id": rid, "record_id": record_id,
                  "onset_at": "2021-08-01T20:00:00+07:00", "reported_at": "2021-08-02T09:00:00",
                  "severity": "MILD", "seriousness": "", "symptoms": "sốt; đau chỗ tiêm",
                  "outcome": "RECOVERED", "classification": "", "facility_code": "F00101"},
                 over)


def test_aefi_rules(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _load(settings, engine, tmp_path, "facilities", [FACILITY])
    # The dose was given at 08:30 Hà Nội time (01:30 UTC).
    _load(settings, engine, tmp_path, "injections", [
        injection("R1", vaccine_code="PFZ", administered_at="2021-08-01T08:30:00+07:00")])
    rows = [
        aefi("OK"),
        aefi("SERIOUS", severity="SERIOUS", seriousness="hospitalisation; LIFE_THREATENING",
             outcome="RECOVERING", classification="A"),
        aefi("NAIVE-OK", onset_at="2021-08-01T08:45:00"),                    # local, after
        aefi("NO-INJ", record_id="R404"),                                   # line 5
        aefi("EARLY", onset_at="2021-08-01T08:00:00+07:00"),                # line 6
        aefi("EARLY-NAIVE", onset_at="2021-08-01T08:29:00"),                # line 7
        aefi("EARLY-UTC", onset_at="2021-08-01T01:00:00Z"),                 # line 8
        aefi("REPORTED-EARLY", reported_at="2021-08-01T19:00:00+07:00"),    # line 9
        aefi("NO-SERIOUSNESS", severity="SERIOUS"),                         # line 10
        aefi("BAD-TERM", severity="SERIOUS", seriousness="SCARY"),          # line 11
        aefi("BAD-SEVERITY", severity="MODERATE"),                          # line 12
        aefi("BAD-OUTCOME", outcome="FINE"),                                # line 13
        aefi("BAD-CLASS", classification="D"),                              # line 14
        aefi("NO-SYMPTOMS", symptoms=""),                                   # line 15
        aefi("BAD-FACILITY", facility_code="F404"),                         # line 16
    ]
    result = _load(settings, engine, tmp_path, "aefi", rows)
    assert (result.loaded, result.rejected) == (3, 12)
    assert _report(result) == [
        ("5", "record_id"), ("6", "onset_at"), ("7", "onset_at"), ("8", "onset_at"),
        ("9", "reported_at"), ("10", "seriousness"), ("11", "seriousness"), ("12", "severity"),
        ("13", "outcome"), ("14", "classification"), ("15", "symptoms"),
        ("16", "facility_code")]
    reasons = {r["line"]: r["reason"] for r in read_rejects(result.reject_path)}
    assert reasons["5"] == MESSAGES["unknown_injection"]["vi"]
    assert reasons["6"] == MESSAGES["onset_before_injection"]["vi"]
    assert reasons["9"] == MESSAGES["reported_before_onset"]["vi"]
    assert reasons["10"].startswith(MESSAGES["seriousness_required"]["vi"].split("{")[0])
    facts = _rows(engine, "SELECT report_id, vaccine_key, dose_key, geo_key, is_serious, "
                          "onset_date_key, report_date_key FROM fct_aefi")
    assert {k: (v[0], v[1], v[2], bool(v[3]), v[4], v[5]) for k, v in facts.items()} == {
        "OK": (4, 1, 1, False, 20210801, 20210802),
        "SERIOUS": (4, 1, 1, True, 20210801, 20210802),
        "NAIVE-OK": (4, 1, 1, False, 20210801, 20210802)}
    assert _rows(engine, "SELECT report_id, seriousness FROM aefi_report")["SERIOUS"] == (
        "HOSPITALISATION;LIFE_THREATENING",)


def test_aefi_refuses_a_dose_given_before_the_persons_birth(settings: Settings, engine: Engine,
                                                            tmp_path: Path) -> None:
    """A stored dose whose person's birth date was corrected to after it takes no report; a
    person born on the dose's day (Hà Nội time) does."""
    _load(settings, engine, tmp_path, "facilities", [FACILITY])
    _load(settings, engine, tmp_path, "injections", [
        injection(r, administered_at="2021-08-01T08:30:00+07:00") for r in ("R1", "R2")])
    with engine.begin() as conn:
        conn.execute(text("UPDATE injection SET birth_date = :d WHERE record_id = :r"),
                     [{"d": dt.date(2021, 8, 2), "r": "R1"}, {"d": dt.date(2021, 8, 1), "r": "R2"}])
    result = _load(settings, engine, tmp_path, "aefi", [aefi("LATE-BIRTH"),
                                                        aefi("SAME-DAY", record_id="R2")])
    assert (result.loaded, result.rejected) == (1, 1)
    assert _report(result) == [("2", "record_id")]
    assert read_rejects(result.reject_path)[0]["reason"] == \
        MESSAGES["birth_after_injection"]["vi"]


# -- registrations -----------------------------------------------------------------------------

def registration(rid: str, **over: Any) -> dict[str, Any]:
    return _over({"registration_id": rid, "person_id": "001090012345", "id_type": "",
                  "full_name": "Trần Thị Bình", "birth_date": "15/03/1985", "sex": "Nữ",
                  "phone": "+84 912 345 678", "priority_group": "", "province_code": "1",
                  "district_code": "1", "ward_code": "", "address": "12 Phúc Xá",
                  "organisation": "", "registered_at": "2021-07-20T09:00:00"}, over)


def test_registrations_rules(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [
        registration("OK"),
        registration("PASS", person_id="B1234567", id_type="PASSPORT", sex="M", priority_group=6,
                     ward_code="1", organisation="Trường THCS Phúc Xá"),
        registration("NO-PHONE", phone=""),                       # line 4
        registration("BAD-PHONE", phone="0243825555"),            # line 5
        registration("BAD-ID", person_id="0010900", id_type="CCCD"),  # line 6
        registration("BAD-SEX", sex="X"),                         # line 7
        registration("BAD-GROUP", priority_group="17"),           # line 8
        registration("OUT", province_code="79", district_code="1"),  # line 9
        registration("FUTURE", registered_at="2099-01-01T09:00:00"),  # line 10
        registration("NO-NAME", full_name=""),                    # line 11
        registration("BAD-BIRTH", birth_date="2099-01-01"),       # line 12
    ]
    result = _load(settings, engine, tmp_path, "registrations", rows)
    assert (result.loaded, result.rejected) == (2, 9)
    assert _report(result) == [
        ("4", "phone"), ("5", "phone"), ("6", "person_id"), ("7", "sex"),
        ("8", "priority_group"), ("9", "district_code"), ("10", "registered_at"),
        ("11", "full_name"), ("12", "birth_date")]
    assert read_rejects(result.reject_path)[0]["reason"] == MESSAGES["required"]["vi"]
    stored = _rows(engine, "SELECT registration_id, id_type, sex, phone, priority_group, "
                           "province_code, district_code, ward_code FROM registration")
    assert stored == {
        "OK": ("CCCD", "F", "0912345678", 0, "01", "001", None),
        "PASS": ("PASSPORT", "M", "0912345678", 6, "01", "001", "00001")}
    facts = _rows(engine, "SELECT registration_id, date_key, geo_key, group_key "
                          "FROM fct_registration")
    # 36 years old on 2021-07-20 -> band 3 (18-64); female -> 2; teacher -> group 6.
    assert facts == {"OK": (20210720, 100_001, 32), "PASS": (20210720, 1, 631)}


def test_registration_priority_group_not_a_number_is_rejected(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    result = _load(settings, engine, tmp_path, "registrations",
                   [registration("OK"), registration("WORD", priority_group="giáo viên")])
    assert (result.loaded, result.rejected) == (1, 1)
    assert _report(result) == [("3", "priority_group")]
