"""Spreadsheet formula injection: every text cell the platform exports is opened as text."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from data.mcc import reports
from data.safe_cells import safe_frame, safe_text

ATTACK = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("value", [
    ATTACK, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1", "\r=1+1", "=HYPERLINK(\"https://evil.example\",\"x\")", "-", "+", "=",
])
def test_formula_starts_get_an_apostrophe(value: str) -> None:
    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", [
    "Trạm Y tế Phường Phúc Xá", "-5", "+84", "-1.5", "-1,234.5", "12%", "-0.5e3", "", "'=x",
    " =1+1", "a=b",
])
def test_harmless_text_is_kept(value: str) -> None:
    assert safe_text(value) == value


def test_only_text_cells_change_and_numbers_stay_numbers() -> None:
    df = pd.DataFrame({
        "name": [ATTACK, "Trạm Y tế", None, "-7"],
        "doses": [-5, 3, 0, -1],
        "ratio": [-0.5, 1.0, float("nan"), -2.25],
        "on": pd.to_datetime(["2021-08-01"] * 4),
        "kind": pd.Categorical(["@x", "A", "A", "@x"]),
        "mixed": ["-x", -3, None, 2.5],
    })
    out = safe_frame(df)
    assert out["name"].tolist()[:2] == ["'" + ATTACK, "Trạm Y tế"]
    assert pd.isna(out["name"].iloc[2]) and out["name"].iloc[3] == "-7"
    assert out["doses"].tolist() == [-5, 3, 0, -1] and out["doses"].dtype == "int64"
    assert out["ratio"].dtype == "float64" and out["ratio"].iloc[3] == -2.25
    assert out["on"].equals(df["on"])
    assert out["kind"].tolist() == ["'@x", "A", "A", "'@x"]
    assert out["mixed"].tolist()[:2] == ["'-x", -3] and out["mixed"].iloc[3] == 2.5
    assert df["name"].iloc[0] == ATTACK  # the caller's frame is left as it was
    text = out.to_csv(index=False)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == ["'" + ATTACK, "-5", "-0.5"]


def test_header_cells_are_neutralised_too() -> None:
    out = safe_frame(pd.DataFrame({"=1+1": ["a"], "ok": ["b"]}))
    assert list(out.columns) == ["'=1+1", "ok"]


def _sections() -> dict[str, pd.DataFrame]:
    return {"summary": pd.DataFrame({"area_name": [ATTACK], "doses_day": [-4],
                                     "pct_fully": [-1.5]}),
            "stock": pd.DataFrame({"vaccine_code": ["@AZ", "PFZ"], "on_hand": [10, -2]})}


def test_daily_report_csv_files_hold_no_formula() -> None:
    files = reports.to_csv(_sections())
    summary = list(csv.reader(io.StringIO(files["summary.csv"].decode("utf-8-sig"))))
    assert summary == [["area_name", "doses_day", "pct_fully"], ["'" + ATTACK, "-4", "-1.5"]]
    stock = list(csv.reader(io.StringIO(files["stock.csv"].decode("utf-8-sig"))))
    assert stock[1:] == [["'@AZ", "10"], ["PFZ", "-2"]]


def test_daily_report_workbook_holds_no_formula() -> None:
    book = load_workbook(io.BytesIO(reports.to_xlsx(_sections())))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    summary = [c.value for c in book["summary"][2]]
    assert summary == ["'" + ATTACK, -4, -1.5]  # numbers stay numbers in Excel
    assert [c.value for c in book["stock"]["A"]] == ["vaccine_code", "'@AZ", "PFZ"]
    assert [c.value for c in book["stock"]["B"]][1:] == [10, -2]
