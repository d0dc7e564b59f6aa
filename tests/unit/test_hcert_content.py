"""A certificate's content: ICAO 9303 names, the catalogue's vaccines in the EU value sets,
dose numbering, UVCIs, and the 12 months of validity."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from data.catalog import VACCINES
from data.certificates.dcc import (
    Dose,
    add_months,
    dose_numbers,
    new_uvci,
    vaccination_dcc,
)
from data.certificates.icao import icao_transliterate, split_vietnamese_name
from data.certificates.schema import dcc_schema_valid
from data.certificates.valuesets import EU_CODES, TARGET_COVID19

SETS = Path(__file__).resolve().parents[1] / "fixtures" / "dcc" / "valuesets"


def _values(name: str) -> dict:
    return json.loads((SETS / f"{name}.json").read_text(encoding="utf-8"))["valueSetValues"]


@pytest.mark.parametrize(("name", "icao"), [
    ("Nguyễn Văn Đức", "NGUYEN<VAN<DUC"),
    ("Nguyễn Văn An", "NGUYEN<VAN<AN"),
    ("đặng thị ngọc ánh", "DANG<THI<NGOC<ANH"),
    ("Trương  Mỹ   Lan ", "TRUONG<MY<LAN"),
    ("Hồ Ngọc Hà-Phương", "HO<NGOC<HA<PHUONG"),
    ("Musterfrau-Gößinger", "MUSTERFRAU<GOESSINGER"),  # the EU vectors' forms
    ("Lövström", "LOEVSTROEM"),
    ("d'Červenková Panklová", "DCERVENKOVA<PANKLOVA"),
    ("Ngô 123 Quyền!", "NGO<QUYEN"),
    ("", ""),
])
def test_icao_transliteration(name: str, icao: str) -> None:
    assert icao_transliterate(name) == icao
    assert re.fullmatch(r"[A-Z<]*", icao_transliterate(name))


def test_long_names_are_cut_to_the_schema_limit() -> None:
    assert len(icao_transliterate("Nguyễn " * 30)) == 80


def test_vietnamese_name_order() -> None:
    assert split_vietnamese_name("Nguyễn Văn Đức") == ("Nguyễn", "Văn Đức")
    assert split_vietnamese_name("  Lê ") == ("Lê", "")


def test_every_catalogue_vaccine_has_codes_in_the_value_sets() -> None:
    mp, ma, vp = (_values(n) for n in ("vaccine-medicinal-product", "vaccine-mah-manf",
                                       "vaccine-prophylaxis"))
    instructions = {v["vaccine-code"]: v for v in
                    _values("vaccine-encoding-instructions").values()}
    assert {v.code for v in VACCINES} == set(EU_CODES)
    for code, eu in EU_CODES.items():
        assert eu.mp in mp and eu.ma in ma and eu.vp in vp, code
        # The encoding instructions name this holder and allow this vaccine type.
        assert instructions[eu.mp]["vaccine-manufacturer"] == eu.ma, code
        assert eu.vp in instructions[eu.mp]["sct-codes"], code
    assert TARGET_COVID19 in _values("disease-agent-targeted")


def test_readme_mp_codes() -> None:
    assert {c: e.mp for c, e in EU_CODES.items()} == {
        "AZ": "EU/1/21/1529", "PFZ": "EU/1/20/1528", "MOD": "EU/1/20/1507",
        "JNJ": "EU/1/20/1525", "SPV": "Sputnik-V", "VRC": "BBIBP-CorV", "HYT": "Hayat-Vax",
        "ABD": "Abdala", "CVX": "Covaxin"}


@pytest.mark.parametrize(("kind", "number", "so_far", "series", "expected"), [
    ("PRIMARY", 1, 1, 2, (1, 2)),
    ("PRIMARY", 2, 2, 2, (2, 2)),
    ("PRIMARY", 1, 1, 1, (1, 1)),  # Janssen complete
    ("BOOSTER", 1, 3, 2, (3, 2)),  # booster after two doses: dn > sd
    ("BOOSTER", 1, 2, 1, (2, 1)),  # booster after Janssen
    ("ADDITIONAL", 1, 3, 2, (3, 2)),
    ("BOOSTER", 2, 4, 2, (4, 2)),
    ("BOOSTER", 1, 1, 2, (3, 2)),  # earlier doses not on record: still past the series
    ("BOOSTER", 2, 15, 2, (9, 2)),  # the schema's limit
])
def test_dose_numbers(kind: str, number: int, so_far: int, series: int,
                      expected: tuple[int, int]) -> None:
    assert dose_numbers(kind, number, so_far, series) == expected


def test_vaccination_dcc_is_schema_valid() -> None:
    uvci = new_uvci()
    dcc = vaccination_dcc("Nguyễn Văn Đức", dt.date(1990, 5, 17),
                          Dose("ABD", 3, 3, dt.date(2021, 11, 2)), uvci)
    assert dcc == {
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn Đức", "gnt": "VAN<DUC"},
        "dob": "1990-05-17",
        "v": [{"tg": "840539006", "vp": "28531000087107", "mp": "Abdala", "ma": "CIGB",
               "dn": 3, "sd": 3, "dt": "2021-11-02", "co": "VN",
               "is": "Ministry of Health of Viet Nam", "ci": uvci}],
    }
    assert dcc_schema_valid(dcc)
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads((SETS.parent / "DCC.combined-schema.json").read_text(encoding="utf-8"))
    assert jsonschema_rs.validator_for(schema).is_valid(dcc)


def test_uvci_shape_and_uniqueness() -> None:
    ids = {new_uvci() for _ in range(500)}
    assert len(ids) == 500
    assert all(re.fullmatch(r"URN:UVCI:01:VN:[A-Z2-7]{26}", u) for u in ids)


@pytest.mark.parametrize(("start", "end"), [
    (dt.datetime(2021, 10, 1, 9, 30), dt.datetime(2022, 10, 1, 9, 30)),
    (dt.datetime(2020, 2, 29), dt.datetime(2021, 2, 28)),
    (dt.datetime(2021, 12, 31, 23, 59), dt.datetime(2022, 12, 31, 23, 59)),
])
def test_twelve_months(start: dt.datetime, end: dt.datetime) -> None:
    assert add_months(start, 12) == end
    assert add_months(dt.datetime(2021, 1, 31), 1) == dt.datetime(2021, 2, 28)
