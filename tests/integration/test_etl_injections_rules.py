"""Every rule of the injections table in the interchange spec, one test each, on each backend.

Each test loads one small file where every invalid row sits between valid neighbours, and checks
the reject report (line, field, reason), that every neighbour loaded, and what was stored.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data.settings import Settings
from etl.messages import MESSAGES
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, read_rejects, rollup_totals, scalar, write_csv


class Bad(NamedTuple):
    """An invalid row: the field the report must name, the message key, the overrides."""

    field: str
    key: str
    over: dict[str, Any]


@pytest.fixture
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names."""
    result = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    assert result.loaded == 1


def _inj(record_id: str, /, **over: Any) -> dict[str, Any]:
    """injection() whose overrides may also blank the record_id."""
    return injection(record_id) | {k: str(v) for k, v in over.items()}


def _prefix(key: str, lang: str) -> str:
    """The fixed part of a message (before its first placeholder)."""
    return MESSAGES[key][lang].split("{")[0]


def _stored(engine: Engine, table: str = "injection") -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()
    return {r["record_id"]: dict(r) for r in rows}


def _run(
    settings: Settings, engine: Engine, tmp_path: Path,
    valid: dict[str, dict[str, Any]] | None = None, invalid: list[Bad] | None = None,
    lang: str | None = None, name: str = "i.csv",
) -> dict[str, dict[str, Any]]:
    """Load valid rows with each invalid row between two of them; check rejects; return rows."""
    valid, invalid = valid or {}, invalid or []
    good = [_inj(rid, **over) for rid, over in valid.items()]
    good += [injection(f"PAD{i}") for i in range(len(invalid) + 1 - len(good))]
    rows, expected = [good[0]], {}
    for i, bad in enumerate(invalid):
        rows.append(_inj(f"BAD{i}", **bad.over))
        expected[str(len(rows) + 1)] = bad  # line 1 is the header
        rows.append(good[i + 1])
    rows += good[len(invalid) + 1:]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / name, rows),
                       lang=lang)
    assert result.read == len(rows)
    assert result.rejected == len(invalid)
    if invalid:
        report = read_rejects(result.reject_path)
        assert {r["line"] for r in report} == set(expected), report
        for line, bad in expected.items():
            hits = [r for r in report if r["line"] == line and r["field"] == bad.field]
            assert hits, f"line {line}: no reject on {bad.field}: {report}"
            assert hits[0]["reason"].strip()
            assert hits[0]["reason"].startswith(_prefix(bad.key, lang or "vi")), hits[0]
    else:
        assert result.reject_path is None
    stored = _stored(engine)
    assert sorted(stored) == sorted(r["record_id"] for r in good)
    return stored


def _fact(engine: Engine, record_id: str, column: str) -> Any:
    return scalar(engine, f"SELECT {column} FROM fct_injection WHERE record_id = :r",
                  r=record_id)


pytestmark = pytest.mark.usefixtures("registered")

# -- required fields ---------------------------------------------------------------------------

REQUIRED = ["record_id", "person_id", "full_name", "birth_date", "sex", "province_code",
            "district_code", "facility_code", "vaccine_code", "lot_number", "dose_kind",
            "dose_number", "administered_at"]
REQUIRED_BAD = [Bad(f, "required", {f: " " if i % 2 else ""}) for i, f in enumerate(REQUIRED)]


def test_required_fields_each(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _run(settings, engine, tmp_path, invalid=REQUIRED_BAD)
    report = read_rejects(Path(f"{tmp_path / 'i.csv'}.rejects.csv"))
    # A blank required field is reported once, on that field alone.
    assert [r["field"] for r in report] == REQUIRED
    assert [r["line"] for r in report] == [str(2 * i + 3) for i in range(len(REQUIRED))]


# -- status ------------------------------------------------------------------------------------

STATUS_BAD = [Bad("status", "bad_choice", {"status": "DELETED"})]


def test_status_default_and_values(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    stored = _run(settings, engine, tmp_path, {"R1": {"status": ""}, "R2": {"status": "completed"}},
                  STATUS_BAD)
    assert stored["R1"]["status"] == stored["R2"]["status"] == "COMPLETED"


def test_entered_in_error_removes_the_dose_from_every_count(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [injection("R1"), injection("R2", status="entered_in_error"),
            injection("R3", dose_number=2, administered_at="2021-10-01T09:00:00+07:00")]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows))
    assert (result.loaded, result.rejected) == (3, 0)
    assert _stored(engine)["R2"]["status"] == "ENTERED_IN_ERROR"
    assert sorted(_stored(engine, "fct_injection")) == ["R1", "R3"]
    assert set(rollup_totals(engine).values()) == {2}
    # Marking a counted dose as entered in error later takes it out of every count too.
    result = load_file(settings, engine, "injections", write_csv(
        tmp_path / "c.csv", [injection("R1", status="ENTERED_IN_ERROR")]))
    assert (result.loaded, result.updated) == (0, 1)
    assert sorted(_stored(engine, "fct_injection")) == ["R3"]
    assert set(rollup_totals(engine).values()) == {1}
    assert scalar(engine, "SELECT SUM(doses) FROM agg_doses_daily WHERE date_key = 20210801") == 0


# -- identity ----------------------------------------------------------------------------------

PERSON_BAD = [
    Bad("person_id", "bad_person_id", {"person_id": "001090012", "id_type": "CCCD"}),
    Bad("person_id", "bad_person_id", {"person_id": "0010900123", "id_type": "CMND"}),
    Bad("person_id", "bad_person_id", {"person_id": "12345678X", "id_type": "CMND"}),
    Bad("person_id", "bad_person_id", {"person_id": "B12", "id_type": "PASSPORT"}),
    Bad("person_id", "bad_person_id", {"person_id": "B12345678901", "id_type": "PASSPORT"}),
    # Eight digits say nothing about the document: id_type cannot be inferred.
    Bad("person_id", "bad_person_id", {"person_id": "12345678", "id_type": ""}),
    Bad("id_type", "bad_choice", {"id_type": "GPLX"}),
]


def test_person_id_shapes_and_id_type_inference(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    valid = {
        "CCCD": {"person_id": "001090012345", "id_type": "CCCD"},
        "CCCD-SEP": {"person_id": "001 090.012-345", "id_type": "cccd"},
        "CMND9": {"person_id": "012345678", "id_type": "CMND"},
        "CMND12": {"person_id": "001090012345", "id_type": "CMND"},
        "PASS": {"person_id": "b1234567", "id_type": "PASSPORT"},
        "INF-CCCD": {"person_id": "001090012345", "id_type": ""},
        "INF-CMND": {"person_id": "012345678", "id_type": ""},
        "INF-PASS": {"person_id": "C7654321", "id_type": ""},
    }
    stored = _run(settings, engine, tmp_path, valid, PERSON_BAD)
    got = {rid: (stored[rid]["person_id"], stored[rid]["id_type"]) for rid in valid}
    assert got == {
        "CCCD": ("001090012345", "CCCD"), "CCCD-SEP": ("001090012345", "CCCD"),
        "CMND9": ("012345678", "CMND"), "CMND12": ("001090012345", "CMND"),
        "PASS": ("B1234567", "PASSPORT"), "INF-CCCD": ("001090012345", "CCCD"),
        "INF-CMND": ("012345678", "CMND"), "INF-PASS": ("C7654321", "PASSPORT"),
    }


# -- birth date --------------------------------------------------------------------------------

BIRTH_BAD = [
    Bad("birth_date", "future", {"birth_date": "2099-01-01"}),
    Bad("birth_date", "birth_after_injection",
        {"birth_date": "02/08/2021", "administered_at": "2021-08-01T08:30:00+07:00"}),
    # Naive = Hà Nội time: 23:30 on 2 August is before a birth on the 3rd (in UTC it would not
    # be: read as UTC it is 06:30 on the 3rd locally).
    Bad("birth_date", "birth_after_injection",
        {"birth_date": "2021-08-03", "administered_at": "2021-08-02T23:30:00"}),
    Bad("birth_date", "bad_date", {"birth_date": "31/02/1990"}),
]


def test_birth_date_not_in_future_not_after_injection(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    valid = {
        "SAME-DAY": {"birth_date": "2021-08-01", "administered_at": "2021-08-01T07:30:00+07:00"},
        # 2021-08-01T23:30Z is 2 August locally: born that local day is fine.
        "LOCAL-DAY": {"birth_date": "2021-08-02", "administered_at": "2021-08-01T23:30:00Z"},
        "LOCAL-DAY2": {"birth_date": "2021-08-03",
                       "administered_at": "2021-08-02T17:30:00+00:00"},
    }
    stored = _run(settings, engine, tmp_path, valid, BIRTH_BAD)
    assert str(stored["SAME-DAY"]["birth_date"])[:10] == "2021-08-01"
    assert str(stored["LOCAL-DAY"]["birth_date"])[:10] == "2021-08-02"


# -- sex ---------------------------------------------------------------------------------------

SEX_BAD = [Bad("sex", "bad_choice", {"sex": "X"}), Bad("sex", "bad_choice", {"sex": "Nữa"})]


def test_sex_m_f_nam_nu(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nữ")
    assert nfd != "Nữ"
    given = {"M": "M", "f": "F", "Nam": "M", "nam": "M", "Nữ": "F", "NỮ": "F", "nfd": nfd}
    stored = _run(settings, engine, tmp_path, {k: {"sex": v} for k, v in given.items()},
                  SEX_BAD)
    assert {k: stored[k]["sex"] for k in given} == {
        "M": "M", "f": "F", "Nam": "M", "nam": "M", "Nữ": "F", "NỮ": "F", "nfd": "F"}


# -- phone -------------------------------------------------------------------------------------

PHONE_BAD = [Bad("phone", "bad_phone", {"phone": p})
             for p in ("0243825555", "091234567", "09123456789", "+14155550100", "hotline")]


def test_phone_vietnamese_mobile(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    given = {"national": "0912345678", "plus84": "+84912345678", "spaced": "+84 91 234 5678",
             "84": "84912345678", "dots": "0912.345.678", "viettel03": "0387654321",
             "blank": ""}
    stored = _run(settings, engine, tmp_path, {k: {"phone": v} for k, v in given.items()},
                  PHONE_BAD)
    assert {k: stored[k]["phone"] for k in given} == {
        "national": "0912345678", "plus84": "0912345678", "spaced": "0912345678",
        "84": "0912345678", "dots": "0912345678", "viettel03": "0387654321", "blank": None}


# -- priority group ----------------------------------------------------------------------------

PRIORITY_BAD = [Bad("priority_group", "int_range", {"priority_group": g}) for g in ("17", "-1")]


def test_priority_group_0_to_16_default_0(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """0-11 from the first list, 12-16 from the 16-group list (docs/interchange.md)."""
    given = {"blank": "", "zero": "0", "seven": "7", "eleven": "11", "sixteen": "16"}
    stored = _run(settings, engine, tmp_path,
                  {k: {"priority_group": v} for k, v in given.items()}, PRIORITY_BAD)
    assert {k: stored[k]["priority_group"] for k in given} == {
        "blank": 0, "zero": 0, "seven": 7, "eleven": 11, "sixteen": 16}
    # The fact's population group carries it (group_key = priority * 100 + band * 10 + sex),
    # and the dimension has that group.
    assert _fact(engine, "eleven", "group_key") // 100 == 11
    key = _fact(engine, "sixteen", "group_key")
    assert key // 100 == 16
    with engine.connect() as conn:
        assert conn.execute(text("SELECT priority_group FROM dim_population_group "
                                 "WHERE group_key = :k"), {"k": key}).scalar_one() == 16


def test_priority_group_not_a_number_is_rejected(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """'một' (one) is not a group: it must be rejected, not silently loaded as group 0."""
    _run(settings, engine, tmp_path,
         invalid=[Bad("priority_group", "int_range", {"priority_group": "một"})])


# -- administrative units ----------------------------------------------------------------------

GEO_BAD = [
    *(Bad("province_code", "unknown_province", {"province_code": c})
      for c in ("00", "99", "100", "HN")),
    *(Bad("district_code", "unknown_district", {"district_code": c})
      for c in ("999", "0001", "BD")),
    Bad("district_code", "district_not_in_province",
        {"province_code": "01", "district_code": "760", "ward_code": ""}),
    Bad("ward_code", "unknown_ward", {"ward_code": "99999"}),
    # 00037 Phúc Tân lies in 002 Hoàn Kiếm, not in 001 Ba Đình.
    Bad("ward_code", "ward_not_in_district", {"district_code": "001", "ward_code": "37"}),
]


def test_province_district_ward_codes(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    valid = {
        "PADDED": {},
        "NO-ZEROS": {"province_code": "1", "district_code": "1", "ward_code": "1"},
        "NO-WARD": {"ward_code": ""},
        # Coverage counts residence (Quận 1, TP Hồ Chí Minh), not where the dose was given.
        "HCM": {"province_code": "79", "district_code": "760", "ward_code": "26734"},
    }
    stored = _run(settings, engine, tmp_path, valid, GEO_BAD)
    codes = {k: (stored[k]["province_code"], stored[k]["district_code"], stored[k]["ward_code"])
             for k in valid}
    assert codes == {"PADDED": ("01", "001", "00001"), "NO-ZEROS": ("01", "001", "00001"),
                     "NO-WARD": ("01", "001", None), "HCM": ("79", "760", "26734")}
    assert [_fact(engine, k, "geo_key") for k in valid] == [1, 1, 100_001, 26734]
    with engine.connect() as conn:
        by_district = dict(conn.execute(text(
            "SELECT district_code, SUM(doses) FROM agg_doses_district GROUP BY district_code"
        )).all())
        by_province = dict(conn.execute(text(
            "SELECT province_code, SUM(doses) FROM agg_doses_daily_province "
            "GROUP BY province_code")).all())
    pads = len(GEO_BAD) + 1 - len(valid)
    assert by_district == {"001": 3 + pads, "760": 1}
    assert by_province == {"01": 3 + pads, "79": 1}


# -- facility and vaccine ----------------------------------------------------------------------

CATALOGUE_BAD = [
    Bad("facility_code", "unknown_facility", {"facility_code": "F99999"}),
    Bad("vaccine_code", "unknown_vaccine", {"vaccine_code": "SINOVAC"}),
]


def test_facility_registered_and_vaccine_in_catalogue(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    stored = _run(settings, engine, tmp_path, {"PFZ": {"vaccine_code": "pfz"}}, CATALOGUE_BAD)
    assert stored["PFZ"]["vaccine_code"] == "PFZ"
    assert _fact(engine, "PFZ", "vaccine_key") == 4
    facility_key = scalar(engine, "SELECT facility_key FROM dim_facility")
    assert _fact(engine, "PFZ", "facility_key") == facility_key


# -- dose kind and number ----------------------------------------------------------------------

DOSE_BAD = [
    Bad("dose_number", "bad_dose_number", {"vaccine_code": v, "dose_kind": k, "dose_number": n})
    for v, k, n in (
        ("JNJ", "PRIMARY", 2),      # Janssen: one primary dose
        ("AZ", "PRIMARY", 3),       # two-dose products
        ("ABD", "PRIMARY", 4),      # Abdala: three primary doses
        ("AZ", "PRIMARY", 0),
        ("PFZ", "BOOSTER", 3),      # booster 1 or 2
        ("PFZ", "BOOSTER", 0),
        ("PFZ", "ADDITIONAL", 2),
    )
] + [Bad("dose_number", "bad_int", {"dose_number": "hai"}),
     Bad("dose_kind", "bad_choice", {"dose_kind": "THIRD"})]


def test_dose_kind_and_number_per_product(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    # record_id -> (vaccine, kind, number, dose_key, is_first, is_full, is_booster)
    cases = {
        "AZ1": ("AZ", "PRIMARY", 1, 1, True, False, False),
        "AZ2": ("AZ", "primary", 2, 2, False, True, False),
        "JNJ1": ("JNJ", "PRIMARY", 1, 1, True, True, False),
        "ABD2": ("ABD", "PRIMARY", 2, 2, False, False, False),
        "ABD3": ("ABD", "PRIMARY", 3, 3, False, True, False),
        "ADD1": ("PFZ", "ADDITIONAL", 1, 4, False, False, False),
        "B1": ("MOD", "booster", 1, 5, False, False, True),
        "B2": ("PFZ", "BOOSTER", 2, 6, False, False, True),
        "JNJB": ("JNJ", "BOOSTER", 1, 5, False, False, True),
    }
    valid = {rid: {"vaccine_code": c[0], "dose_kind": c[1], "dose_number": c[2]}
             for rid, c in cases.items()}
    _run(settings, engine, tmp_path, valid, DOSE_BAD)
    facts = _stored(engine, "fct_injection")
    got = {rid: (facts[rid]["dose_key"], bool(facts[rid]["is_first"]),
                 bool(facts[rid]["is_full"]), bool(facts[rid]["is_booster"])) for rid in cases}
    assert got == {rid: c[3:] for rid, c in cases.items()}


# -- administered_at ---------------------------------------------------------------------------

ADMIN_BAD = [
    Bad("administered_at", "future", {"administered_at": "2099-08-01T08:30:00+07:00"}),
    Bad("administered_at", "bad_timestamp", {"administered_at": "sáng 01/08"}),
]


def test_administered_at_not_in_future_and_local_time(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    # record_id -> (given, UTC instant, local date_key)
    cases = {
        "NAIVE": ("2021-08-01T23:30:00", "2021-08-01T16:30:00", 20210801),
        "NAIVE-SPACE": ("2021-08-01 23:30:00", "2021-08-01T16:30:00", 20210801),
        "UTC": ("2021-08-01T23:30:00+00:00", "2021-08-01T23:30:00", 20210802),
        "ZULU": ("2021-08-01T23:30:00Z", "2021-08-01T23:30:00", 20210802),
        "ICT": ("2021-08-02T00:30:00+07:00", "2021-08-01T17:30:00", 20210802),
    }
    stored = _run(settings, engine, tmp_path,
                  {rid: {"administered_at": c[0]} for rid, c in cases.items()}, ADMIN_BAD)
    for rid, (_, utc, key) in cases.items():
        at = pd.Timestamp(stored[rid]["administered_at"]).tz_convert("UTC")
        assert at == pd.Timestamp(utc, tz="UTC"), rid
        assert _fact(engine, rid, "date_key") == key, rid
    with engine.connect() as conn:
        daily = dict(conn.execute(text(
            "SELECT date_key, SUM(doses) FROM agg_doses_daily GROUP BY date_key")).all())
    pads = len(ADMIN_BAD) + 1 - len(cases)
    assert daily == {20210801: 2 + max(pads, 0), 20210802: 3}


def test_naive_timestamp_alone_is_local_time(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """A file whose timestamps all lack an offset (the common case from Excel)."""
    _run(settings, engine, tmp_path, {"R1": {"administered_at": "2021-08-01T23:30:00"}})
    assert _fact(engine, "R1", "date_key") == 20210801
    assert scalar(engine, "SELECT date_key FROM agg_doses_daily_province") == 20210801


# -- dates -------------------------------------------------------------------------------------

def test_dates_iso_and_day_first(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    given = {"ISO": "1990-01-02", "VN": "02/01/1990", "VN-SHORT": "2/1/1990",
             "VN-DEC": "31/12/1990"}
    stored = _run(settings, engine, tmp_path, {k: {"birth_date": v} for k, v in given.items()})
    assert {k: str(stored[k]["birth_date"])[:10] for k in given} == {
        "ISO": "1990-01-02", "VN": "1990-01-02", "VN-SHORT": "1990-01-02",
        "VN-DEC": "1990-12-31"}


# -- language of the reasons -------------------------------------------------------------------

ALL_BAD = (REQUIRED_BAD + STATUS_BAD + PERSON_BAD + BIRTH_BAD + SEX_BAD + PHONE_BAD
           + PRIORITY_BAD + GEO_BAD + CATALOGUE_BAD + DOSE_BAD + ADMIN_BAD)


@pytest.mark.parametrize("lang", [None, "vi", "en"])
def test_every_reason_in_the_requested_language(
    settings: Settings, engine: Engine, tmp_path: Path, lang: str | None
) -> None:
    """Vietnamese by default (the clerks' language), English on request; checked in _run."""
    _run(settings, engine, tmp_path, invalid=ALL_BAD, lang=lang)


def test_reasons_exact_text(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [injection("A", sex="X"), injection("B", facility_code="F404"),
            injection("C", phone="123"),
            injection("D", district_code="760", ward_code="")]
    path = write_csv(tmp_path / "i.csv", rows)
    vi = read_rejects(load_file(settings, engine, "injections", path).reject_path)
    en = read_rejects(load_file(settings, engine, "injections", path, lang="en").reject_path)
    assert [(r["line"], r["field"], r["value"]) for r in vi] == [
        ("2", "sex", "X"), ("3", "facility_code", "F404"), ("4", "phone", "123"),
        ("5", "district_code", "760")]
    assert [r["reason"] for r in vi] == [
        "Giá trị không hợp lệ; chỉ nhận: M, F",
        "Cơ sở tiêm chưa được đăng ký; nạp danh sách cơ sở trước",
        "Số điện thoại di động Việt Nam không hợp lệ (10 số, ví dụ 0912345678)",
        "Huyện 760 không thuộc tỉnh 01"]
    assert [r["reason"] for r in en] == [
        "Invalid value; allowed: M, F",
        "Facility is not registered; load the facilities file first",
        "Not a Vietnamese mobile number (10 digits, e.g. 0912345678)",
        "District 760 is not in province 01"]
