"""Figure builders on hand-made DataFrames: traces, 7-day average, the map and its patch."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from callbacks.mcc import figures
from data.geo.provinces import load_provinces_geojson

LABELS = {"PRIMARY": "Mũi cơ bản", "ADDITIONAL": "Mũi bổ sung", "BOOSTER": "Mũi nhắc lại"}


def daily_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """Rows of (date, dose_kind, doses) as daily_doses_by_kind returns them."""
    df = pd.DataFrame(rows, columns=["date", "dose_kind", "doses"])
    df["date"] = pd.to_datetime(df["date"])
    return df


@pytest.fixture(scope="module")
def geojson() -> dict[str, Any]:
    return load_provinces_geojson()


def test_daily_series_fills_missing_days_and_averages_seven_days() -> None:
    rows = [(f"2021-10-{d:02d}", "PRIMARY", 10 * d) for d in range(1, 10) if d != 5]
    rows.append(("2021-10-07", "BOOSTER", 30))
    wide = figures.daily_series(daily_frame(rows))
    assert len(wide) == 9  # 1..9 October, the 5th filled with zero
    fifth = wide.loc[wide["date"] == "2021-10-05"].iloc[0]
    assert fifth["total"] == 0
    assert wide["avg7"].iloc[:6].isna().all()
    # 7th: (10+20+30+40+0+60+70 primary + 30 booster) / 7
    assert wide["avg7"].iloc[6] == pytest.approx((10 + 20 + 30 + 40 + 0 + 60 + 70 + 30) / 7)
    # 9th: days 3..9
    assert wide["avg7"].iloc[8] == pytest.approx((30 + 40 + 0 + 60 + 70 + 30 + 80 + 90) / 7)


def test_daily_figure_puts_each_kind_in_its_own_stacked_trace() -> None:
    df = daily_frame([
        ("2021-10-01", "PRIMARY", 100), ("2021-10-01", "BOOSTER", 7),
        ("2021-10-02", "PRIMARY", 50), ("2021-10-02", "ADDITIONAL", 3),
    ])
    fig = figures.daily_doses_figure(df, LABELS, "vi")
    by_meta = {tr.meta: tr for tr in fig.data}
    assert list(by_meta["PRIMARY"].y) == [100, 50]
    assert list(by_meta["BOOSTER"].y) == [7, 0]
    assert list(by_meta["ADDITIONAL"].y) == [0, 3]
    assert by_meta["PRIMARY"].name == "Mũi cơ bản"
    assert by_meta["avg7"].type == "scatter"
    assert fig.layout.barmode == "stack"
    assert fig.layout.separators == ",."


def test_daily_figure_without_data_says_so() -> None:
    fig = figures.daily_doses_figure(daily_frame([]), LABELS, "en")
    assert not fig.data
    assert fig.layout.annotations[0].text == "No data yet"


def coverage_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "province_code": ["01", "79"], "province_name": ["Hà Nội", "Hồ Chí Minh"],
        "population": [1000, 2000], "doses": [1500, 1234567],
        "dose1": [800, 1000], "fully": [600, 500], "booster": [100, 0],
        "pct_dose1": [80.0, 50.0], "pct_fully": [60.0, 25.0], "pct_booster": [10.0, 0.0],
    })


def test_map_values_cover_all_63_provinces(geojson: dict[str, Any]) -> None:
    values = figures.coverage_map_values(coverage_frame(), geojson, "pct_fully", "vi")
    assert len(values.locations) == 63 == len(set(values.locations))
    z = dict(zip(values.locations, values.z, strict=True))
    assert z["01"] == 60.0 and z["79"] == 25.0 and z["02"] is None
    hover = dict(zip(values.locations, values.customdata, strict=True))
    assert hover["79"][0] == "Hồ Chí Minh"
    assert hover["79"][3] == "Số mũi đã tiêm: 1.234.567"
    assert hover["01"][1] == "≥ 1 mũi: 80,0%"
    en = figures.coverage_map_values(coverage_frame(), geojson, "pct_dose1", "en")
    assert dict(zip(en.locations, en.z, strict=True))["79"] == 50.0
    assert dict(zip(en.locations, en.customdata, strict=True))["01"][0] == "Hanoi"


def test_map_figure_has_63_locations_geometry_and_islands(geojson: dict[str, Any]) -> None:
    values = figures.coverage_map_values(coverage_frame(), geojson, "pct_dose1", "vi")
    fig = figures.coverage_map_figure(geojson, values, "© OSM")
    choropleth, islands = fig.data
    assert choropleth.type == "choroplethmap" and len(choropleth.locations) == 63
    assert choropleth.featureidkey == "id" and choropleth.geojson is not None
    assert fig.layout.annotations[0].text == "© OSM"
    assert 15 <= fig.layout.map.center.lat <= 17
    # Dots for the Hoàng Sa (Đà Nẵng, 48) and Trường Sa (Khánh Hòa, 56) islands.
    codes = set(figures.island_points(geojson)["code"])
    assert codes == {"48", "56"}
    assert max(islands.lon) > 114 and "Hoàng Sa" in " ".join(islands.text)
    # The blank style must fetch nothing.
    assert "http" not in json.dumps(fig.layout.map.style)


def test_map_patch_updates_values_but_never_sends_geometry(geojson: dict[str, Any]) -> None:
    values = figures.coverage_map_values(coverage_frame(), geojson, "pct_fully", "en")
    patch = figures.coverage_map_patch(values)
    payload = json.dumps(patch.to_plotly_json())
    assert "geojson" not in payload and "coordinates" not in payload
    assert len(payload) < 20_000
    ops = {
        tuple(op["location"]): op["params"]["value"]
        for op in patch.to_plotly_json()["operations"]
    }
    assert ops[("data", 0, "z")] == values.z
    assert ops[("layout", "separators")] == ".,"
