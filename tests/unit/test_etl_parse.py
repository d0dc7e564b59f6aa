"""Pure tests of the normalisers (data/interchange/parse.py) and reader line numbering
(etl/readers.py)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from data.interchange import parse
from etl.readers import LINE, read_table
from tests.factories import write_xlsx_cells

TZ = "Asia/Ho_Chi_Minh"


def _s(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype="object")


def _list(s: pd.Series) -> list[object]:
    return [None if pd.isna(v) else v for v in s.tolist()]


# -- text --------------------------------------------------------------------------------------

def test_text_trims_blanks_to_na_and_stores_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    out = parse.text(_s("  Hà Nội ", "", "   ", None, nfd, "ASCII"))
    assert _list(out) == ["Hà Nội", None, None, None, "Nguyễn Thị Hằng", "ASCII"]
    assert unicodedata.is_normalized("NFC", out[4])


def test_upper() -> None:
    nfd = unicodedata.normalize("NFD", "nữ")
    assert _list(parse.upper(_s(" az ", nfd, None))) == ["AZ", "NỮ", None]


# -- codes -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("width", "given", "value", "ok"), [
    (2, "1", "01", True), (2, "01", "01", True), (2, "1.0", "01", True), (2, " 79 ", "79", True),
    (2, "001", None, False), (2, "HN", None, False), (2, "-1", None, False),
    (3, "1", "001", True), (3, "760", "760", True), (3, "760.0", "760", True),
    (3, "0001", None, False),
    (5, "1", "00001", True), (5, "26734", "26734", True), (5, "1.5", None, False),
])
def test_code_padding(width: int, given: str, value: str | None, ok: bool) -> None:
    got, good = parse.code(_s(given, "1"), width)
    assert (_list(got)[0], bool(good[0])) == (value, ok)
    assert got[1] == "1".zfill(width)


def test_code_blank_is_not_ok() -> None:
    got, ok = parse.code(_s(None, ""), 2)
    assert _list(got) == [None, None]
    assert not ok.any()


# -- dates -------------------------------------------------------------------------------------

def test_date_iso_and_day_first() -> None:
    out = parse.date(_s("2021-10-19", "19/10/2021", "1/2/1990", "2021-10-19T00:00:00",
                        "2021-10-19 00:00:00", "31/02/2021", "2021-13-01", "10/19/2021",
                        "hôm qua", None))
    assert [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in out] == [
        "2021-10-19", "2021-10-19", "1990-02-01", "2021-10-19", "2021-10-19",
        None, None, None, None, None]


def test_date_key() -> None:
    assert parse.date_key(parse.date(_s("2021-10-19", "01/01/2022"))).tolist() == [
        20211019, 20220101]


# -- timestamps --------------------------------------------------------------------------------

def _utc(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%S%z") for v in s]


def test_timestamp_naive_is_local_time() -> None:
    out = parse.timestamp(_s("2021-08-01T23:30:00", "2021-08-01 07:00", "2021-08-01"), TZ)
    assert _utc(out) == ["2021-08-01T16:30:00+0000", "2021-08-01T00:00:00+0000",
                         "2021-07-31T17:00:00+0000"]


def test_timestamp_with_offset_and_mixed() -> None:
    out = parse.timestamp(_s("2021-08-01T23:30:00", "2021-08-01T23:30:00+00:00",
                             "2021-08-01T23:30:00Z", "2021-08-01T23:30:00+0700",
                             "2021-08-01T23:30:00-05:00", None, "không rõ"), TZ)
    assert _utc(out) == ["2021-08-01T16:30:00+0000", "2021-08-01T23:30:00+0000",
                         "2021-08-01T23:30:00+0000", "2021-08-01T16:30:00+0000",
                         "2021-08-02T04:30:00+0000", None, None]
    assert parse.local_date_key(out, TZ).tolist()[:5] == [
        20210801, 20210802, 20210802, 20210801, 20210802]


def test_timestamp_all_blank() -> None:
    assert _utc(parse.timestamp(_s(None, ""), TZ)) == [None, None]


# -- numbers -----------------------------------------------------------------------------------

def test_integer() -> None:
    out = parse.integer(_s("1", "1.0", " 4 ", "-3", "1.5", "x", "", None, "007"))
    assert _list(out) == [1, 1, 4, -3, None, None, None, None, 7]
    assert str(out.dtype) == "Int64"


def test_integer_all_whole_fast_path() -> None:
    assert _list(parse.integer(_s("1", "22", "-3"))) == [1, 22, -3]


def test_number_decimal_comma() -> None:
    out = parse.number(_s("21.046", "21,046", "", "đông"))
    assert out.tolist()[:2] == [21.046, 21.046]
    assert out[2:].isna().all()


# -- formats for the database ------------------------------------------------------------------

def test_sql_date() -> None:
    out = parse.sql_date(parse.date(_s("2021-10-19", "02/01/1990", None)))
    assert _list(out) == ["2021-10-19", "1990-01-02", None]


def test_sql_timestamp_is_utc_with_offset() -> None:
    out = parse.sql_timestamp(parse.timestamp(_s("2021-08-01T23:30:00", None), TZ))
    assert _list(out) == ["2021-08-01 16:30:00+00:00", None]


# -- readers: line numbers as a clerk sees them ------------------------------------------------

def test_csv_line_numbers_and_unreadable_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("A, b \n1,2\n3,4,5\n6,7\n8\n9,10\n", encoding="utf-8-sig")
    table = read_table(path)
    assert list(table.frame.columns) == ["a", "b", LINE]
    assert table.frame[LINE].tolist() == [2, 4, 6]
    assert table.frame["a"].tolist() == ["1", "6", "9"]
    assert [u["line"] for u in table.unreadable] == [3, 5]


def test_csv_blank_line_counts(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
    assert read_table(path).frame[LINE].tolist() == [2, 4]


def test_jsonl_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([json.dumps({" A ": 1}), "", "{bad", json.dumps([1]),
                               json.dumps({"a": "x", "B": None})]) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.frame[LINE].tolist() == [1, 5]
    assert _list(table.frame["a"]) == ["1", "x"]
    assert _list(table.frame["b"]) == [None, None]
    assert [u["line"] for u in table.unreadable] == [3, 4]


def test_xlsx_line_numbers_skip_empty_rows(tmp_path: Path) -> None:
    path = write_xlsx_cells(tmp_path / "a.xlsx", [" Code ", "N"],
                            [["01", 1.0], [None, None], [1, 2.5]], extra_sheet=True)
    table = read_table(path)
    assert list(table.frame.columns) == ["code", "n", LINE]
    assert table.frame[LINE].tolist() == [2, 4]
    assert _list(table.frame["code"]) == ["01", "1"]
    assert _list(table.frame["n"]) == ["1", "2.5"]
