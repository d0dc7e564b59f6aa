"""Figure and text builders that say what a number counts (pure): coverage above 100%, the
target chart and cards, the vaccine donut, the islands, the day card, booster doses."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

from callbacks.mcc import coverage_marks as cm
from callbacks.mcc import figures
from callbacks.mcc import figures_progress as fp
from callbacks.mcc import progress_breakdowns as pb
from callbacks.mcc.progress import _pct_line, day_kpi
from callbacks.shared import ids
from data.geo.provinces import load_provinces_geojson
from tests.webcalls import text_of

NOTE_VI = "Trên 100%: số dân ước tính cũ hơn số mũi tiêm"


@pytest.fixture(scope="module")
def geojson() -> dict[str, Any]:
    return load_provinces_geojson()


def notes(fig: Any) -> list[str]:
    return [a.text for a in fig.layout.annotations if "100%" in (a.text or "")]


def ages(pct_dose1: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"age_band": ["12-17", "65+"], "doses": [300, 200], "dose1": [120, 90],
                         "fully": [100, 80], "booster": [0, 10], "population": [100.0, 100.0],
                         "pct_dose1": pct_dose1, "pct_fully": [100.0, 80.0]})


def test_age_bands_above_100_are_hatched_and_explained() -> None:
    fig = fp.age_figure(ages([120.0, 90.0]), "vi")
    dose1 = fig.data[0]
    assert list(dose1.marker.pattern.shape) == ["/", ""]  # 12-17 over, 65+ not
    # Hatching over the bar's colour: plotly's default fill mode left the bar invisible.
    assert dose1.marker.pattern.fillmode == "overlay"
    assert list(fig.data[1].marker.pattern.shape) == ["", ""]  # exactly 100% is not over
    assert dose1.customdata[0][2] == "*" and dose1.customdata[1][2] == ""
    assert notes(fig) == [f"* {NOTE_VI}"]
    assert any(s.y0 == 100.0 for s in fig.layout.shapes)
    plain = fp.age_figure(ages([95.0, 90.0]), "en")
    assert notes(plain) == [] and not plain.layout.shapes


def test_districts_and_provinces_above_100_are_marked() -> None:
    df = pd.DataFrame({"district_code": ["440", "441"], "district_name": ["Kỳ Sơn", "Vinh"],
                       "population": [100, 200], "dose1": [115, 150], "pct_dose1": [115.0, 75.0]})
    fig = fp.district_figure(df, "pct_dose1", "en")
    assert list(fig.data[0].marker.pattern.shape) == ["", "/"]  # lowest first: Vinh, Kỳ Sơn
    assert notes(fig) == ["* Above 100%: population estimate older than the doses"]
    assert fig.layout.shapes[0].x0 == 100.0  # the 100% line, vertical on a horizontal chart


def gap_table(pct_01: float = 85.7, nation_gap: float = 640.0) -> pd.DataFrame:
    return pd.DataFrame({
        "province_code": ["01", "79", "VN"], "province_name": ["Hà Nội", "Hồ Chí Minh", "VN"],
        "population": [700.0, 1500.0, 2200.0], "vaccinated": [600, 300, 900],
        "pct": [pct_01, 20.0, 40.9], "target_pct": 70.0, "target": [490.0, 1050.0, 1540.0],
        "gap": [0.0, 750.0, nation_gap]})


def test_the_target_line_is_named_in_the_legend_not_over_the_bars() -> None:
    fig = fp.target_figure(gap_table(), 70.0, "vi")
    assert not [a for a in fig.layout.annotations if "Mục tiêu" in (a.text or "")]
    legend = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert legend == ["Đã đạt mục tiêu", "Chưa đạt", "Mục tiêu 70%"]
    assert fig.data[0].showlegend is False and fig.layout.showlegend is True
    assert fig.layout.shapes[0].y0 == 70.0 and notes(fig) == []
    over = fp.target_figure(gap_table(104.2), 70.0, "en")
    assert list(over.data[0].marker.pattern.shape) == ["", "/"]
    assert notes(over) and over.data[0].customdata[1][3] == "*"


def accents(children: list[Any]) -> list[str]:
    return [c.className.split()[-1] for c in children]


def test_the_gap_card_is_green_once_the_target_is_reached() -> None:
    open_gap = pb.target_kpis(gap_table(), 70.0, "vi")
    assert accents(open_gap)[2] == "kpi-red" and "640" in text_of(open_gap[2])
    reached = pb.target_kpis(gap_table(nation_gap=0.0), 70.0, "vi")
    assert accents(reached)[2] == "kpi-green" and "đã đạt" in text_of(reached[2])
    table = gap_table(nation_gap=0.0)
    table.loc[table["province_code"] == "VN", "pct"] = 100.5
    over = text_of(pb.target_kpis(table, 70.0, "vi")[0])
    assert "100,5%*" in over and NOTE_VI in over


def test_kpi_coverage_lines_mark_figures_above_100() -> None:
    assert _pct_line(87.2, "vi") == "87,2% dân số"
    assert _pct_line(100.5, "vi") == f"100,5%* dân số · * {NOTE_VI}"
    assert cm.fmt_coverage(120.0, "en") == "120.0%*" and cm.fmt_coverage(None, "en") == "—"
    col = cm.mark_column({"field": "pct", "valueFormatter": {"function": "x"}}, "en")
    assert col["valueFormatter"]["function"] == "(x) + (params.value > 100 ? '*' : '')"
    assert col["cellClassRules"] == {"coverage-over": "params.value > 100"}
    ranking = pb.ranking_grid(pd.DataFrame(columns=[*pb.RANK_FIELDS, "trend_pct", "prev_7d"]),
                              "vi")[0]
    assert [c["field"] for c in ranking if "cellClassRules" in c] == ["pct_dose1", "pct_fully"]


def test_map_hover_marks_provinces_above_100(geojson: dict[str, Any]) -> None:
    coverage = pd.DataFrame({"province_code": ["01", "79"], "doses": [10, 20],
                             "pct_dose1": [103.0, 80.0], "pct_fully": [95.0, 60.0]})
    values = figures.coverage_map_values(coverage, geojson, "pct_dose1", "vi")
    hover = dict(zip(values.locations, values.customdata, strict=True))
    assert hover["01"][1] == "≥ 1 mũi: 103,0%*" and hover["01"][4] == f"<br>* {NOTE_VI}"
    assert hover["79"][1] == "≥ 1 mũi: 80,0%" and hover["79"][4] == ""


def test_islands_are_grey_with_no_population(geojson: dict[str, Any]) -> None:
    values = figures.coverage_map_values(pd.DataFrame(), geojson, "pct_dose1", "en")
    dots = figures.coverage_map_figure(geojson, values, "©").data[1]
    scale = {c for _, c in figures.COVERAGE_SCALE}
    assert dots.marker.color == figures.ISLAND_COLOUR == "#9aa5b1"
    assert dots.marker.color not in scale
    assert all("No population figure" in text for text in dots.text)


def test_small_vaccine_slices_join_other_and_the_legend_names_every_slice() -> None:
    vaccines = pd.DataFrame({"vaccine_code": ["AZ", "PFZ", "MOD", "JNJ", "ABD", "CVX"],
                             "doses": [6900, 2500, 400, 100, 60, 40]})
    pie = fp.vaccine_share_figure(vaccines, "vi")
    slices = pie.data[0]
    assert list(slices.labels) == ["AZ", "PFZ", "MOD", "Khác"]
    assert list(slices.values) == [6900, 2500, 400, 200]
    assert "JNJ · Janssen" in slices.customdata[3] and "CVX" in slices.customdata[3]
    # Text only on slices of 5% and more, inside the ring; the legend names all of them.
    assert list(slices.texttemplate) == ["%{percent}", "%{percent}", "", ""]
    assert slices.textposition == "inside" and pie.layout.showlegend is True
    one_small = fp.vaccine_slices(vaccines.iloc[:4], "en")
    assert one_small["code"].tolist() == ["AZ", "PFZ", "MOD", "JNJ"]  # no 'other' of one


def test_booster_doses_are_named_as_doses_beside_people() -> None:
    df = pd.DataFrame({"priority_group": [0], "doses": [10], "dose1": [5], "fully": [4],
                       "booster": [3]})
    fig = fp.people_figure(df, "priority_group", "en")
    assert [tr.name for tr in fig.data] == ["≥ 1 dose", "Fully vaccinated", "Booster doses"]
    assert fig.layout.yaxis.title.text == "People · booster doses"


def kpis(last: dt.date | None, today_doses: int = 0) -> dict[str, Any]:
    key = last.year * 10000 + last.month * 100 + last.day if last else 0
    return {"today": today_doses, "last_date_key": key, "last_day_doses": 8}


def test_the_day_card_names_the_last_day_with_data() -> None:
    today = dt.date(2026, 12, 4)
    old = day_kpi(kpis(dt.date(2022, 12, 31)), today, "vi")
    assert old[ids.PROGRESS_KPI_TODAY_LABEL] == "Số mũi ngày 31/12/2022"
    assert old[ids.PROGRESS_KPI_TODAY] == "8"
    assert old[ids.PROGRESS_KPI_TODAY_DATE] == "ngày cuối có số liệu · hôm nay: 0"
    en = day_kpi(kpis(dt.date(2022, 12, 31)), today, "en")
    assert en[ids.PROGRESS_KPI_TODAY_LABEL] == "Doses on 31 Dec 2022"
    live = day_kpi(kpis(today, 1234), today, "vi")
    assert live[ids.PROGRESS_KPI_TODAY_LABEL] == "Số mũi tiêm hôm nay"
    assert live[ids.PROGRESS_KPI_TODAY] == "1.234"
    assert live[ids.PROGRESS_KPI_TODAY_DATE] == "ngày 04/12/2026"
    empty = day_kpi(kpis(None), today, "en")  # nothing recorded yet: '0 today' is true
    assert empty[ids.PROGRESS_KPI_TODAY_LABEL] == "Doses today"


def test_missing_coverage_is_never_over() -> None:
    assert not cm.is_over(None) and not cm.is_over(math.nan) and not cm.is_over("x")
    assert cm.is_over(100.01) and not cm.is_over(100.0)
