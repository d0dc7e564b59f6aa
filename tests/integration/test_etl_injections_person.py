"""The injections rules about the person, one test each, on each backend: identity,
birth date, sex, phone, priority group, residence (province, district, ward) and the date
formats (interchange spec, injections table)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.settings import Settings
from tests.integration.injection_rejects import (  # noqa: F401 - registered is a fixture
    Bad,
    fact,
    registered,
    run_file,
)

pytestmark = pytest.mark.usefixtures("registered")

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
    stored = run_file(settings, engine, tmp_path, valid, PERSON_BAD)
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
    stored = run_file(settings, engine, tmp_path, valid, BIRTH_BAD)
    assert str(stored["SAME-DAY"]["birth_date"])[:10] == "2021-08-01"
    assert str(stored["LOCAL-DAY"]["birth_date"])[:10] == "2021-08-02"


# -- sex ---------------------------------------------------------------------------------------

SEX_BAD = [Bad("sex", "bad_choice", {"sex": "X"}), Bad("sex", "bad_choice", {"sex": "Nữa"})]


def test_sex_m_f_nam_nu(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nữ")
    assert nfd != "Nữ"
    given = {"M": "M", "f": "F", "Nam": "M", "nam": "M", "Nữ": "F", "NỮ": "F", "nfd": nfd}
    stored = run_file(settings, engine, tmp_path, {k: {"sex": v} for k, v in given.items()},
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
    stored = run_file(settings, engine, tmp_path, {k: {"phone": v} for k, v in given.items()},
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
    stored = run_file(settings, engine, tmp_path,
                      {k: {"priority_group": v} for k, v in given.items()}, PRIORITY_BAD)
    assert {k: stored[k]["priority_group"] for k in given} == {
        "blank": 0, "zero": 0, "seven": 7, "eleven": 11, "sixteen": 16}
    # The fact's population group carries it (group_key = priority * 100 + band * 10 + sex),
    # and the dimension has that group.
    assert fact(engine, "eleven", "group_key") // 100 == 11
    key = fact(engine, "sixteen", "group_key")
    assert key // 100 == 16
    with engine.connect() as conn:
        assert conn.execute(text("SELECT priority_group FROM dim_population_group "
                                 "WHERE group_key = :k"), {"k": key}).scalar_one() == 16


def test_priority_group_not_a_number_is_rejected(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """'một' (one) is not a group: it must be rejected, not silently loaded as group 0."""
    run_file(settings, engine, tmp_path,
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
    stored = run_file(settings, engine, tmp_path, valid, GEO_BAD)
    codes = {k: (stored[k]["province_code"], stored[k]["district_code"], stored[k]["ward_code"])
             for k in valid}
    assert codes == {"PADDED": ("01", "001", "00001"), "NO-ZEROS": ("01", "001", "00001"),
                     "NO-WARD": ("01", "001", None), "HCM": ("79", "760", "26734")}
    assert [fact(engine, k, "geo_key") for k in valid] == [1, 1, 100_001, 26734]
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


# -- dates -------------------------------------------------------------------------------------

def test_dates_iso_and_day_first(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    given = {"ISO": "1990-01-02", "VN": "02/01/1990", "VN-SHORT": "2/1/1990",
             "VN-DEC": "31/12/1990"}
    stored = run_file(settings, engine, tmp_path, {k: {"birth_date": v} for k, v in given.items()})
    assert {k: str(stored[k]["birth_date"])[:10] for k in given} == {
        "ISO": "1990-01-02", "VN": "1990-01-02", "VN-SHORT": "1990-01-02",
        "VN-DEC": "1990-12-31"}
