"""The progress page's breakdown and target builders: numbers in the right traces (pure)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from callbacks.mcc import figures_progress as fp
from callbacks.mcc import progress_breakdowns as pb
from tests.webcalls import text_of


def groups(by: str, keys: list[object]) -> pd.DataFrame:
    n = len(keys)
    return pd.DataFrame({by: keys, "doses": [10 * (i + 1) for i in range(n)],
                         "dose1": [5 * (i + 1) for i in range(n)],
                         "fully": [3 * (i + 1) for i in range(n)],
                         "booster": [i for i in range(n)]})


def meta_y(fig: object) -> dict[str, list[object]]:
    return {tr.meta: list(tr.y) for tr in fig.data}  # type: ignore[attr-defined]


def test_people_by_priority_group_and_sex() -> None:
    fig = fp.people_figure(groups("priority_group", [0, 1, 7]), "priority_group", "vi")
    assert meta_y(fig) == {"dose1": [5, 10, 15], "fully": [3, 6, 9], "booster": [0, 1, 2]}
    assert list(fig.data[0].x) == ["Người dân", "Nhân viên y tế", "Người trên 65 tuổi"]
    assert fig.layout.separators == ",."
    sexes = fp.people_figure(groups("sex", ["M", "F"]), "sex", "en")
    assert list(sexes.data[1].x) == ["Male", "Female"] and sexes.layout.separators == ".,"


def test_age_bands_in_order_with_their_population() -> None:
    ages = groups("age_band", ["65+", "18-64"]).assign(population=[400.0, 1_234_567.0])
    ages["pct_dose1"] = [1.25, 50.0]
    ages["pct_fully"] = [0.75, 45.3]
    fig = fp.age_figure(ages, "vi")
    assert list(fig.data[0].x) == ["18-64<br>dân số 1.234.567", "65+<br>dân số 400"]
    assert meta_y(fig) == {"pct_dose1": [50.0, 1.25], "pct_fully": [45.3, 0.75]}
    assert list(fig.data[1].customdata[0]) == ["6", "1.234.567", ""]  # no '*': under 100%
    unknown = fp.age_figure(ages.assign(population=math.nan), "en")
    assert "no population data" in unknown.data[0].x[0]


def test_vaccine_share_and_dropout() -> None:
    vaccines = pd.DataFrame({"vaccine_code": ["AZ", "PFZ"], "doses": [700, 300]})
    pie = fp.vaccine_share_figure(vaccines, "vi").data[0]
    assert list(pie.labels) == ["AZ", "PFZ"] and list(pie.values) == [700, 300]
    drop = pd.DataFrame({"vaccine_code": ["AZ"], "series_doses": [2], "dose1": [1000],
                         "dose2": [600], "dropout_pct": [40.0]})
    bar = fp.dropout_figure(drop, "vi").data[0]
    assert list(bar.y) == [40.0] and list(bar.customdata[0]) == ["1.000", "600"]


def test_empty_data_is_said_not_drawn() -> None:
    empty = pd.DataFrame(columns=["priority_group", "doses", "dose1", "fully", "booster"])
    for fig in (fp.people_figure(empty, "priority_group", "vi"),
                fp.age_figure(empty.rename(columns={"priority_group": "age_band"}), "vi"),
                fp.vaccine_share_figure(pd.DataFrame(columns=["vaccine_code", "doses"]), "en"),
                fp.dropout_figure(pd.DataFrame(columns=["vaccine_code", "dose1"]), "vi")):
        assert fig.data == ()
        assert fig.layout.annotations[0].text in ("Chưa có dữ liệu", "No data yet")


def gap_table() -> pd.DataFrame:
    return pd.DataFrame({
        "province_code": ["01", "79", "02", "VN"],
        "province_name": ["Hà Nội", "Hồ Chí Minh", "Hà Giang", "Việt Nam"],
        "population": [700.0, 1500.0, math.nan, 2200.0], "vaccinated": [600, 300, 0, 900],
        "pct": [85.7, 20.0, math.nan, 40.9], "target_pct": 70.0,
        "target": [490.0, 1050.0, math.nan, 1540.0], "gap": [0.0, 750.0, math.nan, 640.0]})


def test_target_chart_and_national_gap_kpi() -> None:
    fig = fp.target_figure(gap_table(), 70.0, "vi")
    bars = fig.data[0]
    assert list(bars.x) == ["Hồ Chí Minh", "Hà Nội"]  # lowest first, no population: left out
    assert list(bars.y) == [20.0, 85.7]
    assert bars.customdata[0][2] == "750" and bars.customdata[1][2] == "đã đạt"
    assert fig.layout.shapes[0].y0 == 70.0
    kpis = text_of(pb.target_kpis(gap_table(), 70.0, "vi"))
    assert "40,9%" in kpis and "1.540 người" in kpis and "640" in kpis
    assert "2.200" in kpis


def test_target_input_and_trend_text() -> None:
    assert pb.target_of(80) == 80.0
    assert pb.target_of(None) == pb.target_of("x") == pb.target_of(0) == pb.DEFAULT_TARGET
    assert pb.target_of(150) == pb.DEFAULT_TARGET
    assert pb.trend_text("up", 12.5, "vi") == "▲ +12,5%"
    assert pb.trend_text("down", -3.0, "en") == "▼ -3.0%"
    assert pb.trend_text("up", math.nan, "vi") == "▲"
    assert pb.trend_text("up", math.nan, "vi", 5) == "▲ (từ 5 mũi)"
    assert pb.trend_text("few", math.nan, "en", 2) == "— few doses"
    trend = pb.ranking_grid(pd.DataFrame(columns=[*pb.RANK_FIELDS, "trend_pct", "prev_7d"]),
                            "en")[0][-1]
    assert "under 20 doses" in trend["headerTooltip"]


def test_ranking_rows_keep_numbers() -> None:
    df = pd.DataFrame({"rank": pd.array([1, None], dtype="Int64"),
                       "province_name": ["Hà Nội", "Hà Giang"], "pct_dose1": [50.0, math.nan],
                       "pct_fully": [40.0, math.nan], "doses": [1000, 0], "last_7d": [70, 0],
                       "trend": ["up", "few"], "trend_pct": [40.0, math.nan],
                       "prev_7d": [50, 0]})
    cols, rows = pb.ranking_grid(df, "vi")
    assert [c["field"] for c in cols] == pb.RANK_FIELDS
    assert rows[0] == pytest.approx({"rank": 1, "province_name": "Hà Nội", "pct_dose1": 50.0,
                                     "pct_fully": 40.0, "doses": 1000, "last_7d": 70,
                                     "trend": "▲ +40,0%"})
    assert rows[1]["rank"] is None and rows[1]["trend"] == "— ít mũi"
