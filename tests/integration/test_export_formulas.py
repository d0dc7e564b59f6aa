"""Formula injection through the platform's own files: a hostile facility name loaded by the
ETL reaches the facilities page's CSV downloads and the reject report only as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callbacks.mcc import facilities as fac_page
from callbacks.mcc import mcc_common
from data.safe_cells import FORMULA_START
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import facility, read_rejects, scalar, write_csv
from tests.integration.test_mcc_campaign import MINISTRY, Campaign, load_campaign

ATTACK = "=cmd|' /C calc'!A0"
HOSTILE = {"F1": ATTACK, "F2": "@SUM(1+1)*cmd|' /C calc'!A0", "F4": "-2+3+cmd|' /C calc'!A0"}


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    """The small campaign, its Hà Nội facilities renamed to formulas by a correction file."""
    loaded = load_campaign(settings, engine, tmp_path)
    renamed = [facility(code, name=name, daily_capacity=cap)
               for (code, name), cap in zip(HOSTILE.items(), (10, 20, 5), strict=True)]
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "renamed.csv", renamed)).updated == 3
    return loaded


def _cells(sent: dict[str, object]) -> list[list[str]]:
    assert isinstance(sent["content"], str) and not sent["base64"]
    return list(csv.reader(io.StringIO(sent["content"])))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: a formula start that is not a plain number."""
    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True
    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not number(c)]


@pytest.mark.parametrize("chart", ["utilisation", "daily", "silent"])
def test_facilities_csv_downloads_hold_names_as_text(campaign: Campaign, engine: Engine,
                                                     chart: str) -> None:
    # The database keeps what the province sent; only the exported cell is neutralised.
    assert scalar(engine, "SELECT name FROM facility WHERE code = 'F1'") == ATTACK
    area = {"province": "01", "denied": False}
    f = fac_page.page_filters(None, None, "01")
    df = fac_page.chart_data(campaign.svc, MINISTRY, chart, area, f, 3)
    rows = _cells(mcc_common.csv_download(df, chart, f))
    assert _formula_cells(rows) == []
    names = {c for row in rows[1:] for c in row if "cmd|" in c}
    if chart == "utilisation":  # the panel lists every Hà Nội facility by name
        assert names == {"'" + n for n in HOSTILE.values()}
    else:
        assert names <= {"'" + n for n in HOSTILE.values()}


def test_reject_report_echoes_values_as_text(settings: Settings, engine: Engine,
                                             tmp_path: Path) -> None:
    rows = [facility("F7", status=ATTACK), facility("F8", kind="@SUM(1)", daily_capacity="-5"),
            facility("F9", name="-1+cmd|' /C calc'!A0")]
    result = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows))
    assert (result.loaded, result.rejected) == (1, 2)
    report = {(r["line"], r["field"]): r["value"] for r in read_rejects(result.reject_path)}
    assert report[("2", "status")] == "'" + ATTACK
    assert report[("3", "kind")] == "'@SUM(1)"
    assert report.get(("3", "daily_capacity"), "-5") == "-5"  # a number stays a number
    raw = result.reject_path.read_text(encoding="utf-8-sig") if result.reject_path else ""
    assert _formula_cells(list(csv.reader(io.StringIO(raw)))) == []
    assert scalar(engine, "SELECT name FROM facility WHERE code = 'F9'") == \
        "-1+cmd|' /C calc'!A0"
