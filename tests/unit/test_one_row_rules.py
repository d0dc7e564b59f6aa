"""The one-row path of the contract's rules (data/interchange/row_cells.py, kinds/*_row.py)
against the column path (kinds/*.transform), on generated cells.

Whenever the one-row path answers, the column path accepts the same cells and gives the very
same frame (values and dtypes, row hash and fact keys included); when it answers None the
command runs the column path, so its answer does not matter there. The usual cells a form or
the API sends must be answered by the one-row path (else it would be correct and useless)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from data.few_rows import FewRows, frame_records
from data.interchange import parse, row_cells
from data.interchange.kinds import injections, injections_row, registrations, registrations_row
from data.interchange.validate import LINE, Validator
from data.lookups import RefContext

TZ = "Asia/Ho_Chi_Minh"
CTX = RefContext(
    provinces=frozenset({"01", "79", "48"}),
    district_province={"001": "01", "002": "01", "760": "79", "490": "48"},
    ward_district={"00001": "001", "00004": "001", "26734": "760"},
    facility_keys={"F00100": 5, "F79001": 7, "f-lower": 9}, warehouse_keys={})
FUZZ = fuzz_settings(max_examples=400, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


def _column_path(kind: Callable, cells: dict[str, str | None], fields: list[str]
                 ) -> tuple[pd.DataFrame, int]:
    raw = pd.DataFrame({f: pd.Series([cells.get(f)], dtype="str") for f in fields})
    raw[LINE] = 1
    v = Validator(raw, "vi", TZ)
    result = kind(v, CTX)
    return result.rows, len(v.problems())


def _spaced(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u3000"]), s,
                     st.sampled_from(["", " ", "\n", "\u2003"])).map("".join)


_ODD = st.one_of(st.none(), st.just(""), st.text(max_size=6),
                 st.text(alphabet="0123456789.-/ +:TZ٣", max_size=12))


class _Cell(NamedTuple):
    usual: st.SearchStrategy  # usual values, sometimes spaced, cased or decomposed
    broken: st.SearchStrategy  # refused or odd values
    refused: tuple[str, ...]  # the listed refused values


def _cell(*good: str, bad: tuple[str, ...] = ()) -> _Cell:
    base = st.sampled_from(good)
    varied = st.one_of(_spaced(base), base.map(str.lower),
                       base.map(lambda s: unicodedata.normalize("NFD", s)))
    usual = st.integers(0, 9).flatmap(lambda i: base if i < 7 else varied)
    broken = st.one_of(st.sampled_from(bad), st.sampled_from(bad), _ODD) if bad else _ODD
    return _Cell(usual, broken, bad)


_NOW = dt.datetime.now(dt.UTC)
_TIMES = [
    "2021-08-01T08:30:00+07:00", "2021-08-01 08:30:00Z", "2021-08-01T01:30:00.250+00:00",
    "2021-08-01T08:30:00", "2021-08-01 23:59:59.999999", "2021-12-31T23:30:00-05:00",
    "2021-02-29T08:00:00+07:00", "2021-08-01T08:30", "01/08/2021 08:30",
    "1975-06-13T00:30:00", "1969-12-31T23:59:59Z", "2021-08-01T08:30:00+0700",
    "2021-08-01T08:30:00+07:00:00", "2021-08-01T24:00:00Z",
    (_NOW + dt.timedelta(seconds=30)).isoformat(), (_NOW + dt.timedelta(minutes=3)).isoformat(),
    (_NOW.astimezone(dt.timezone(dt.timedelta(hours=7)))).strftime("%Y-%m-%dT%H:%M:%S"),
]
_BIRTHS = ["1990-01-02", "2021-08-01", "2021-08-02", "1960-02-29", "02/01/1990", "1990-1-2",
           "1990-02-30", "1677-12-31", "2003-08-01 00:00:00", "2999-01-01",
           dt.date.today().isoformat(), "19900102"]
_PERSON = {
    "person_id": _cell("001090000001", "079203001234", "123456789", "B1234567",
                       "001 090 000 001", "001.090-000.001", "b1234567",
                       bad=("12345678", "A12", "1B234567", "0010900000011", "ab12345",
                            "００１０９００００００１", "00109000000١")),
    "id_type": _cell("CCCD", "CMND", "PASSPORT", "cccd", "", bad=("OTHER",)),
    "full_name": _cell("Nguyễn Văn An", "Trần Thị Bé", "A"),
    "birth_date": _cell(*_BIRTHS[:4], bad=tuple(_BIRTHS[4:])),
    "sex": _cell("M", "F", "Nam", "Nữ", "nu", "MALE", "female", bad=("X", "NỮ ")),
    "phone": _cell("0912345678", "+84912345678", "84912345678", "091 234 5678",
                   "(091) 234-5678", "091.234.5678",
                   bad=("0212345678", "091234567", "+840912345678", "０９１２３４５６７８",
                        "84 912345678", "+84-912-345-678", "0912345678x")),
    "priority_group": _cell("0", "1", "16", "07", "", bad=("17", "2.0", "-1", "1e1", "٣")),
    "province_code": _cell("01", "1", bad=("79", "48", "99", "1.0", "001", "01x", "١")),
    "district_code": _cell("001", "1", "002", bad=("760", "490", "999", "1.0", "")),
    "ward_code": _cell("00001", "1", "4", "", bad=("26734", "99999", "00001.0")),
}
_DOSE = _PERSON | {
    "record_id": _cell("R-1", "F-abc", "x"),
    "status": _cell("COMPLETED", "ENTERED_IN_ERROR", "", bad=("done",)),
    "facility_code": _cell("F00100", "F79001", "f-lower", bad=("F99999", "F-LOWER")),
    "vaccine_code": _cell("AZ", "PFZ", "MOD", "VRC", "JNJ", "ABD", bad=("XX",)),
    "lot_number": _cell("AZ2108A", "L-1"),
    "dose_kind": _cell("PRIMARY", "BOOSTER", "ADDITIONAL", bad=("OTHER",)),
    "dose_number": _cell("1", "2", "01", bad=("3", "0", "4", "2.0", "-1")),
    "administered_at": _cell(*_TIMES[:6], bad=tuple(_TIMES[6:])),
    "vaccinator": _cell("Lê Văn Tiêm", ""),
}
_REGISTRATION = _PERSON | {
    "registration_id": _cell("REG-1", "P-abc"),
    "address": _cell("12 Phố Huế", ""),
    "organisation": _cell("Công ty A", ""),
    "registered_at": _cell(*_TIMES[:6], bad=tuple(_TIMES[6:])),
}


@st.composite
def _row(draw: st.DrawFn, fields: dict[str, _Cell]) -> dict[str, str | None]:
    """A usual row with up to two fields broken: the edge the one-row path must not cross."""
    cells = {f: draw(c.usual) for f, c in fields.items()}
    for f in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
        cells[f] = draw(fields[f].broken)
    return cells


def _assert_same(fast: FewRows | None, slow: pd.DataFrame, problems: int) -> None:
    if fast is None:
        return
    assert problems == 0, "the one-row path accepted cells the column path refuses"
    # The records the writes take, and the frame the bulk path takes, are the column path's.
    assert fast.records == frame_records(slow)
    assert [type(v) for v in fast.first.values()] == [
        type(v) for v in frame_records(slow)[0].values()]
    pd.testing.assert_frame_equal(fast.frame, slow.reset_index(drop=True), check_exact=True)


@FUZZ
@given(_row(_DOSE))
def test_a_dose_row_equals_the_column_path(cells: dict[str, str | None]) -> None:
    slow, problems = _column_path(injections.transform, cells, injections.OPERATIONAL)
    _assert_same(injections_row.transform(cells, CTX, TZ), slow, problems)


@FUZZ
@given(_row(_REGISTRATION))
def test_a_registration_row_equals_the_column_path(cells: dict[str, str | None]) -> None:
    slow, problems = _column_path(registrations.transform, cells, registrations.OPERATIONAL)
    _assert_same(registrations_row.transform(cells, CTX, TZ), slow, problems)


_USUAL_PERSON = {
    "person_id": "001090000001", "id_type": "CCCD", "full_name": "Nguyễn Văn An",
    "birth_date": "1990-01-02", "sex": "M", "phone": "0912345678", "priority_group": "3",
    "province_code": "01", "district_code": "001", "ward_code": "00004",
}
_USUAL_DOSE = _USUAL_PERSON | {
    "record_id": "F-1", "status": "COMPLETED", "facility_code": "F00100",
    "vaccine_code": "PFZ", "lot_number": "FE1234", "dose_kind": "PRIMARY",
    "dose_number": "2", "administered_at": "2021-09-01T09:15:30.123456+07:00",
    "vaccinator": "Lê Văn Tiêm",
}
_USUAL_REGISTRATION = _USUAL_PERSON | {
    "registration_id": "P-1", "address": "12 Phố Huế", "organisation": None,
    "registered_at": "2021-07-01T10:00:00",
}


@pytest.mark.parametrize("change", [
    {}, {"id_type": None}, {"ward_code": None}, {"phone": None}, {"vaccinator": None},
    {"sex": "nữ"}, {"priority_group": None}, {"dose_kind": "BOOSTER", "dose_number": "1"},
    {"administered_at": "2021-09-01 09:15:30"}, {"person_id": "B1234567", "id_type": None},
])
def test_the_usual_dose_takes_the_one_row_path(change: dict[str, str | None]) -> None:
    cells = _USUAL_DOSE | change
    fast = injections_row.transform(cells, CTX, TZ)
    assert fast is not None
    slow, problems = _column_path(injections.transform, cells, injections.OPERATIONAL)
    _assert_same(fast, slow, problems)
    assert fast.first["dose_key"] == slow.loc[0, "dose_key"]


@pytest.mark.parametrize("change", [
    {}, {"organisation": "Công ty A"}, {"ward_code": None}, {"registered_at": "2021-07-01Z"},
])
def test_the_usual_registration_takes_the_one_row_path(change: dict[str, str | None]) -> None:
    cells = _USUAL_REGISTRATION | change
    fast = registrations_row.transform(cells, CTX, TZ)
    slow, problems = _column_path(registrations.transform, cells, registrations.OPERATIONAL)
    if change.get("registered_at") == "2021-07-01Z":  # no time: not a timestamp shape
        assert fast is None and problems
        return
    assert fast is not None
    _assert_same(fast, slow, problems)


def test_a_refused_cell_is_left_to_the_column_path() -> None:
    for change in ({"dose_number": "3"}, {"birth_date": "2022-01-01"}, {"phone": "12345"},
                   {"facility_code": "F99999"}, {"district_code": "760"}):
        assert injections_row.transform(_USUAL_DOSE | change, CTX, TZ) is None, change


def _single_breaks(fields: dict[str, _Cell]) -> list[tuple[str, int]]:
    """Every listed refused value of every field, one at a time, by its place in the list
    (some values are made from the clock: test ids must be the same in every process)."""
    return [(f, i) for f, c in fields.items() for i in range(len(c.refused))]


@pytest.mark.parametrize(("field", "i"), _single_breaks(_DOSE))
def test_each_refused_dose_cell_alone(field: str, i: int) -> None:
    cells = _USUAL_DOSE | {field: _DOSE[field].refused[i]}
    slow, problems = _column_path(injections.transform, cells, injections.OPERATIONAL)
    _assert_same(injections_row.transform(cells, CTX, TZ), slow, problems)


@pytest.mark.parametrize(("field", "i"), _single_breaks(_REGISTRATION))
def test_each_refused_registration_cell_alone(field: str, i: int) -> None:
    cells = _USUAL_REGISTRATION | {field: _REGISTRATION[field].refused[i]}
    slow, problems = _column_path(registrations.transform, cells, registrations.OPERATIONAL)
    _assert_same(registrations_row.transform(cells, CTX, TZ), slow, problems)


_NAMES = st.sampled_from(["Nguyễn Thị Hồng Nhung", "Đặng Văn Ân", "Phường Bến Nghé, Quận 1",
                          "Ngô Thì Nhậm", "Hà Nội"])


@FUZZ
@given(st.one_of(st.text(), _spaced(_NAMES), _spaced(_NAMES.map(
    lambda s: unicodedata.normalize("NFD", s)))))
def test_one_cell_of_text_reads_as_the_column_path_reads_it(cell: str) -> None:
    # Python's trim and NFC for letters beyond ASCII, Arrow's kernels for anything odder.
    column = parse.text_arrow(pa.array([cell], type=pa.large_string()))[0].as_py()
    assert row_cells.text(cell) == column
