"""Pure builders of the facilities and daily report pages."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

import pandas as pd

from callbacks.mcc import facilities_tables as ft
from callbacks.mcc import figures_facilities as ff
from callbacks.mcc import reports as rp
from callbacks.shared.urlstate import Filters
from tests.integration.test_mcc_campaign import D001, D760, MINISTRY, P01
from tests.webcalls import text_of

DAY1, DAY2 = dt.date(2021, 8, 19), dt.date(2021, 8, 20)
DAILY = pd.DataFrame({
    "facility_code": ["F1", "F1", "F2", "F2", "F3", "F3"],
    "date": [DAY1, DAY2] * 3, "doses": [12, 4, 0, 7, 1, 0],
    "daily_capacity": [10.0, 10.0, 20.0, 20.0, None, None]})
UTIL = pd.DataFrame({"facility_code": ["F1", "F2", "F3"], "name": ["B", "A", "C"],
                     "daily_capacity": [10.0, 20.0, None], "doses": [16, 7, 1],
                     "over_capacity_days": [1, 0, 0]})


def test_daily_against_capacity_sums_known_capacities() -> None:
    all_ = ff.daily_against_capacity(DAILY, None)
    assert all_["doses"].tolist() == [13, 11] and all_["capacity"].tolist() == [30.0, 30.0]
    none = ff.daily_against_capacity(DAILY, "F3")
    assert none["capacity"].isna().all()
    assert ff.daily_against_capacity(DAILY, "F9").empty


def test_capacity_figure_marks_days_over_capacity() -> None:
    fig = ff.capacity_figure(DAILY, "F1", "vi")
    bars, line = fig.data
    assert list(bars.y) == [12, 4] and list(line.y) == [10.0, 10.0]
    assert list(bars.marker.color) == [ff.OVER_COLOUR, ff.DOSE_COLOUR]
    empty = ff.capacity_figure(DAILY.iloc[0:0], None, "en")
    assert empty.layout.annotations[0].text == "No data for these filters"


def test_scope_choices_and_defaults() -> None:
    names = {"79": "TP HCM", "01": "Hà Nội"}
    assert [o["value"] for o in ft.province_choices(names, MINISTRY)] == ["", "01", "79"]
    assert [o["value"] for o in ft.province_choices(names, P01)] == ["", "01"]
    assert ft.default_province(MINISTRY) is None and ft.default_province(D760) == "79"
    assert ft.area_state(P01, "79") == {"province": "79", "denied": True}
    assert ft.area_state(D001, "01") == {"province": "01", "denied": False}
    assert ft.area_state(P01, "") is None and ft.area_state(P01, "x") is None
    assert [ft.silent_days(v, 3) for v in (None, 0, 5.0, 500, True)] == [3, 3, 5, 90, 3]


def test_facility_kpis_and_grids() -> None:
    assert ft.overall_utilisation(UTIL, 2) == round(100 * 23 / 60, 2)
    assert ft.overall_utilisation(UTIL.iloc[0:0], 2) is None
    text = text_of(ft.kpis(UTIL, 14, DAY2, "en"))
    assert "24" in text and "14 days to 20 Aug 2021" in text and "5.5%" in text
    assert [o["value"] for o in ft.facility_choices(UTIL, "vi")] == ["", "F2", "F1", "F3"]
    cols, rows = ft.util_grid(UTIL.assign(utilisation_pct=[80.0, 17.5, None]), "vi")
    assert cols[-1]["sort"] == "desc" and rows[2]["utilisation_pct"] is None


def test_report_builders() -> None:
    summary = {"date": DAY2, "doses_day": 1234, "doses_cumulative": 99999, "population": 100,
               "dose1": 50, "fully": 25, "booster_doses": 5, "pct_dose1": 50.0,
               "pct_fully": 25.0, "on_hand": 7, "on_hand_central": 3, "aefi_day": 2,
               "aefi_serious_day": 1}
    text = text_of(rp.report_kpis(summary, "vi"))
    assert "1.234" in text and "99.999" in text and "50,0% dân số" in text and "1 ca nặng" in text
    assert "gồm 3 ở kho quốc gia và khu vực" in text
    cov = rp.coverage_table(summary)
    assert cov["count"].tolist() == [100, 50, 25, 5]
    cols, rows = rp.coverage_grid(cov, "en")
    assert rows[2] == {"metric": "Fully vaccinated", "count": 25, "unit": "people",
                       "pct_population": 25.0}
    # Boosters are doses: labelled so, and no share of the population.
    assert rows[3] == {"metric": "Booster doses (1st and 2nd)", "count": 5, "unit": "doses",
                       "pct_population": None}
    assert [c["headerName"] for c in cols][1:3] == ["Count", "Unit"]
    _, rows = rp.coverage_grid(cov, "vi")
    assert rows[3]["metric"].startswith("Số mũi") and rows[3]["unit"] == "mũi"
    sections = {"summary": pd.DataFrame([summary]),
                "doses": pd.DataFrame({"vaccine_code": ["AZ"], "dose_kind": ["BOOSTER"],
                                       "dose_number": [1], "doses_day": [3],
                                       "doses_cumulative": [9]})}
    _, rows = rp.doses_grid(sections["doses"], "vi")
    assert rows[0]["dose_kind"] == "Nhắc lại"
    f = Filters(province="01")
    assert rp.file_name(f, DAY2, "xlsx") == "bao-cao-ngay_01_2021-08-20.xlsx"
    sent = rp.download(sections, f, "csv")
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(sent["content"])))
    assert archive.namelist() == ["summary.csv", "doses.csv"]
    assert archive.read("doses.csv").startswith("\ufeff".encode())
    assert rp.download(sections, Filters(), "xlsx")["filename"].endswith("_VN_2021-08-20.xlsx")


def test_small_counts_get_whole_number_ticks() -> None:
    # F1 peaks at 12 doses: plotly picks its own steps; F3 at 1 dose (no capacity): steps of 1,
    # or ',.0f' would label 0.5-steps '0, 1, 1'.
    assert ff.capacity_figure(DAILY, "F1", "vi").layout.yaxis.dtick is None
    assert ff.capacity_figure(DAILY, "F3", "vi").layout.yaxis.dtick == 1
