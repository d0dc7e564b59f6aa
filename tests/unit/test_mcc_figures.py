"""Figure and table builders of the command-center pages: numbers land in the right traces."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import plotly
import pytest

from callbacks.mcc import figures_aefi as fa
from callbacks.mcc import figures_stock as fs
from callbacks.mcc.aefi import case_grid, signal_grid
from callbacks.shared import tables
from callbacks.shared.urlstate import Filters, parse, to_search
from data.mcc import stats

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {"name": name, "name_en": name},
     "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 1, lat],
                                                      [lon + 1, lat + 1], [lon, lat]]]}}
    for code, name, lon, lat in (("01", "Hà Nội", 105.0, 21.0), ("79", "TP HCM", 106.0, 10.0),
                                 ("48", "Đà Nẵng", 108.0, 16.0))]}
STOCK = pd.DataFrame({
    "province_code": ["01", "79"], "province_name": ["Hà Nội", "TP HCM"],
    "allocated": [3500, 2000], "received": [3500, 2000], "administered": [300, 60],
    "on_hand": [3400, 1980], "used_7d": [70, 14], "days_of_supply": [340.0, float("nan")]})


def _json(obj: object) -> str:
    if hasattr(obj, "to_plotly_json"):
        obj = obj.to_plotly_json()
    return json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder)


def test_stock_map_values_follow_the_geometry_order() -> None:
    values = fs.stock_map_values(STOCK, GEOJSON, "on_hand", "vi")
    assert values.z == [3400.0, 1980.0, None]
    assert values.zmax == 3400.0
    assert "3.400 liều" in values.customdata[0][1]
    days = fs.stock_map_values(STOCK, GEOJSON, "days_of_supply", "en")
    assert days.z == [fs.DAYS_CAP, None, None] and days.colorscale == fs.DAYS_SCALE
    assert "no use in 7 days" in days.customdata[1][1]


def test_full_map_has_the_geometry_once_and_an_empty_sites_trace() -> None:
    fig = fs.stock_map_figure(GEOJSON, fs.stock_map_values(STOCK, GEOJSON, None, "vi"), "©")
    assert [type(t).__name__ for t in fig.data] == ["Choroplethmap", "Scattermap", "Scattermap"]
    assert list(fig.data[0].locations) == ["01", "79", "48"]
    assert list(fig.data[0].z) == [3400.0, 1980.0, None]
    assert fig.data[2].lon is None or len(fig.data[2].lon) == 0


def test_drill_down_patch_carries_sites_and_view_but_no_geojson() -> None:
    points = pd.DataFrame({"name": ["Trạm Y tế A", "Không tọa độ"], "latitude": [21.03, None],
                           "longitude": [105.85, None], "on_hand": [300, 5],
                           "days_of_supply": [21.4, None]})
    view = fs.province_view(GEOJSON, "01")
    assert view[0] == {"lon": 105.5, "lat": 21.5} and view[1] > 6
    patch = fs.stock_map_patch(fs.stock_map_values(STOCK, GEOJSON, "received", "vi"), view,
                               fs.site_points(points, "vi"))
    body = _json(patch)
    assert "geojson" not in body and "coordinates" not in body and "FeatureCollection" not in body
    ops = {(tuple(op["location"])): op["params"]["value"] for op in
           patch.to_plotly_json()["operations"] if op["operation"] == "Assign"}
    assert ops[("data", 2, "lon")] == [105.85] and ops[("data", 2, "lat")] == [21.03]
    assert ops[("data", 0, "z")] == [3500.0, 2000.0, None]
    assert ops[("layout", "map", "center")] == {"lon": 105.5, "lat": 21.5}
    back = fs.stock_map_patch(fs.stock_map_values(STOCK, GEOJSON, "received", "vi"), None, None)
    ops = {tuple(op["location"]): op["params"]["value"]
           for op in back.to_plotly_json()["operations"]}
    assert ops[("data", 2, "lon")] == [] and ops[("layout", "map", "zoom")] == fs.VIETNAM_ZOOM


def test_ranking_puts_the_largest_first_and_days_shortest_first() -> None:
    fig = fs.ranking_figure(STOCK, "province_code", "province_name", "on_hand", "vi")
    assert list(fig.data[0].x) == [3400, 1980] and list(fig.data[0].meta) == ["01", "79"]
    days = fs.ranking_figure(STOCK, "province_code", "province_name", "days_of_supply", "vi")
    assert list(days.data[0].meta) == ["01", "79"]
    empty = fs.ranking_figure(STOCK.iloc[0:0], "province_code", "province_name", None, "en")
    assert empty.layout.annotations[0].text == "No data for these filters"


def test_decisions_are_cumulative_steps_per_vaccine() -> None:
    df = pd.DataFrame({"decided_on": [dt.date(2021, 7, 20)] * 2 + [dt.date(2021, 8, 18)],
                       "decision_no": ["100/QĐ-BYT", "100/QĐ-BYT", "120/QĐ-BYT"],
                       "batch": ["Đợt 1", "Đợt 1", "Đợt 2"], "vaccine_code": ["AZ", "PFZ", "AZ"],
                       "recipient_code": ["01", "79", "01"], "doses": [3000, 2000, 500],
                       "cumulative": [3000, 2000, 3500]})
    fig = fs.decisions_figure(df, "vi")
    assert [t.meta for t in fig.data] == ["AZ", "PFZ"]
    assert list(fig.data[0].y) == [3000, 3500]
    assert fig.data[0].customdata[1][0] == "120/QĐ-BYT"
    assert fig.data[0].customdata[1][2] == "500"


def test_rates_and_serious_months() -> None:
    rates = pd.DataFrame({"dose_kind": ["PRIMARY", "BOOSTER"], "dose_number": [1, 1],
                          "doses": [1000, 500], "cases": [3, 1], "serious": [1, 0],
                          "rate_per_100k": [300.0, 200.0], "serious_per_100k": [100.0, 0.0]})
    fig = fa.rates_figure(rates, "dose", "vi")
    assert list(fig.data[0].x) == ["Mũi cơ bản 1", "Mũi nhắc lại 1"]
    assert list(fig.data[0].y) == [300.0, 200.0] and list(fig.data[1].y) == [100.0, 0.0]
    months = pd.DataFrame({"month": pd.to_datetime(["2021-07-01", "2021-08-01"]),
                           "serious": [2, 3], "outcome_RECOVERED": [2, 1], "outcome_DIED": [0, 2],
                           "class_A": [1, 0], "class_NONE": [1, 3]})
    by_outcome = fa.serious_figure(months, "outcome", "en")
    assert {t.meta: list(t.y) for t in by_outcome.data} == {"RECOVERED": [2, 1], "DIED": [0, 2]}
    assert fa.serious_figure(months, "class", "vi").data[0].name.startswith("A ·")
    assert fa.serious_figure(months.iloc[0:0], "class", "vi").layout.annotations


def test_signal_table_marks_corrected_prr_and_never_shows_infinity() -> None:
    df = pd.DataFrame({"vaccine_code": ["PFZ", "AZ", "MOD"], "term": ["viêm cơ tim", "sốt", "x"],
                       "a": [4, 10, 0], "prr": [686.25, 1.2345, float("inf")],
                       "prr_corrected": [True, False, False], "chi2": [9.5, 0.1, 0.0],
                       "signal": [True, False, False]})
    cols, rows = signal_grid(df, "vi")
    assert rows[0]["prr"] == "≈ 686,25" and rows[0]["signal"].startswith("⚠")
    assert rows[1]["prr"] == "1,23" and rows[1]["signal"] == ""
    assert rows[2]["prr"] == "không tính được" and "∞" not in str(rows)
    assert "Haldane" in cols[4]["headerTooltip"]
    assert [c["field"] for c in cols][:3] == ["signal", "vaccine_code", "term"]


def test_prr_with_an_empty_cell_is_finite_and_haldane_corrected() -> None:
    # 3 reports of a term never seen with another vaccine (c = 0): PRR was ∞.
    prr, chi2 = stats.prr_chi2(np.array([3, 6]), np.array([97, 94]), np.array([0, 20]),
                               np.array([9900, 9880]))
    assert prr[0] == pytest.approx((3.5 / 101) / (0.5 / 9901))  # Haldane: +0.5 per cell
    assert prr[1] == pytest.approx((6 / 100) / (20 / 9900))  # no empty cell: uncorrected
    n, a, b, c, d = 10000, 3, 97, 0, 9900
    yates = n * (abs(a * d - b * c) - n / 2) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert chi2[0] == pytest.approx(yates)  # chi-squared on the counts as reported
    none, _ = stats.prr_chi2(np.array([0]), np.array([50]), np.array([5]), np.array([945]))
    assert none[0] == pytest.approx((0.5 / 51) / (5.5 / 951))


def test_grid_cells_keep_infinity_readable() -> None:
    assert tables.rows(pd.DataFrame({"x": [float("inf"), None]}), ["x"]) == [{"x": "∞"},
                                                                          {"x": None}]


def test_case_list_shows_personal_columns_only_when_filled() -> None:
    base = {"report_id": ["AE1"], "onset_date": [dt.date(2021, 8, 1)],
            "report_date": [dt.date(2021, 8, 2)], "vaccine_code": ["AZ"],
            "dose_kind": ["PRIMARY"], "dose_number": [1], "lot_number": ["A1"],
            "severity": ["SERIOUS"], "seriousness": ["DEATH"], "outcome": ["DIED"],
            "classification": [None], "province_code": ["01"], "district_code": ["001"],
            "facility_code": ["F1"], "full_name": [None], "person_id": [None], "phone": [None]}
    cols, rows = case_grid(pd.DataFrame(base), "vi")
    assert "full_name" not in {c["field"] for c in cols}
    assert rows[0]["onset_date"] == "2021-08-01" and rows[0]["outcome"] == "Tử vong"
    cols, rows = case_grid(pd.DataFrame(base | {"full_name": ["Nguyễn Văn A"]}), "en")
    assert [c["field"] for c in cols][:2] == ["report_id", "full_name"]
    assert rows[0]["full_name"] == "Nguyễn Văn A" and rows[0]["dose"] == "Primary 1"


@pytest.mark.parametrize(("query", "search"), [
    ({"as_of": "2021-08-20", "vaccine": "AZ", "province": "01"},
     "?as_of=2021-08-20&vaccine=AZ&province=01"),
    ({"as_of": "not-a-date", "vaccine": "<script>", "province": "7"}, ""),
    ({"province": "79"}, "?province=79"),
])
def test_url_filters_round_trip(query: dict[str, str], search: str) -> None:
    assert to_search(parse(query)) == search
    assert parse(query) == Filters(*(parse(query).__dict__.values()))
