"""Facility kind and status codes in the UI language; the AEFI rates note; ranking of zeros."""

from __future__ import annotations

import pandas as pd
import pytest

from callbacks.mcc import facilities_tables as ft
from callbacks.mcc import figures_stock as fs
from callbacks.mcc.aefi import rates_note
from callbacks.shared import tables
from callbacks.shared.urlstate import Filters, parse, to_search
from data import catalog


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_facility_code_has_a_label(lang: str) -> None:
    for prefix, codes in (("facility.kind", catalog.FACILITY_KINDS),
                          ("facility.status", catalog.FACILITY_STATUSES)):
        labels = tables.coded(prefix, codes, lang)
        assert all(labels[c] and labels[c] != c and "." not in labels[c] for c in codes)
        assert len(set(labels.values())) == len(codes)


def test_grids_show_labels_and_keep_unknown_codes() -> None:
    util = pd.DataFrame({"facility_code": ["F1", "F2"], "name": ["A", "B"],
                         "district_code": ["001", "002"], "kind": ["HOSPITAL", "NEW_KIND"],
                         "status": ["SUSPENDED", None], "daily_capacity": [10, None],
                         "doses": [5, 0], "active_days": [1, 0], "avg_per_day": [0.4, 0.0],
                         "peak_day": [5, 0], "over_capacity_days": [0, 0],
                         "utilisation_pct": [3.6, None]})
    _, rows = ft.util_grid(util, "vi")
    assert [(r["kind"], r["status"]) for r in rows] == [("Bệnh viện", "Tạm dừng"),
                                                        ("NEW_KIND", None)]
    _, rows = ft.silent_grid(util.assign(on_hand=1, last_dose_date=None, days_silent=None), "en")
    assert rows[0]["status"] == "Suspended"


def test_site_hover_names_kind_and_status() -> None:
    points = pd.DataFrame({"name": ["Trạm Y tế"], "kind": ["HEALTH_STATION"],
                           "status": ["ACTIVE"], "latitude": [21.0], "longitude": [105.8],
                           "on_hand": [10], "days_of_supply": [float("nan")]})
    assert "Trạm y tế · Đang hoạt động" in fs.site_points(points, "vi")["customdata"][0][1]
    assert "Health station · Active" in fs.site_points(points, "en")["customdata"][0][1]


def test_ranking_of_nothing_but_zeros_is_an_empty_state() -> None:
    table = pd.DataFrame({"province_code": ["01", "79"], "province_name": ["A", "B"],
                          "on_hand": [0, 0], "days_of_supply": [float("nan")] * 2})
    for metric in ("on_hand", "days_of_supply"):
        fig = fs.ranking_figure(table, "province_code", "province_name", metric, "en")
        assert not fig.data and fig.layout.annotations[0].text == "No data for these filters"
    fig = fs.ranking_figure(table.assign(on_hand=[0, 5]), "province_code", "province_name",
                            "on_hand", "en")
    assert list(fig.data[0].x) == [5, 0]


def test_rates_note_and_range_in_the_url() -> None:
    assert "PFZ" in rates_note(Filters(vaccine="PFZ"), "en") and rates_note(Filters(), "vi") == ""
    f = parse({"from": "01/08/2021", "as_of": "2021-08-20", "province": "01"})
    assert f.date_from is None  # ISO dates only, as for as_of
    f = parse({"from": "2021-08-01", "as_of": "2021-08-20"})
    assert to_search(f) == "?from=2021-08-01&as_of=2021-08-20" and f.since.day == 1
