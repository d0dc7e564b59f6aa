"""Issue 9's language defects, function by function: AG Grid's own texts, one label id per
download button, "doses/day", Vietnamese date axes."""

from __future__ import annotations

import re

import pandas as pd

from callbacks.mcc.allocation import area_kpis
from callbacks.mcc.figures import daily_doses_figure
from callbacks.mcc.figures_stock import decisions_figure
from callbacks.shared import ids, shell
from callbacks.shared.grid_locale import GRID_TEXT_KEYS, grid_locale_text, grid_options, grid_texts
from callbacks.shared.i18n import has_text
from pages._components.mcc import download_button, grid

ENGLISH_MONTH = re.compile(r"%b|%B")


def _texts(component: object) -> str:
    """Every string under a Dash component, joined."""
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(_texts(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _texts(children)


def test_grid_texts_are_vietnamese_with_vietnamese_separators() -> None:
    vi = grid_locale_text("vi")
    assert vi["pageSizeSelectorLabel"] == "Số dòng mỗi trang:"
    assert (vi["page"], vi["to"], vi["of"]) == ("Trang", "đến", "trên")
    assert vi["noRowsToShow"] == "Không có dòng nào"
    assert vi["contains"] == "Có chứa"
    assert (vi["thousandSeparator"], vi["decimalSeparator"]) == (".", ",")
    en = grid_locale_text("en")
    assert en["pageSizeSelectorLabel"] == "Page Size:"
    assert (en["thousandSeparator"], en["decimalSeparator"]) == (",", ".")
    assert grid_texts() == {"vi": vi, "en": en}


def test_every_grid_text_has_a_catalog_entry_in_both_languages() -> None:
    for key, message in GRID_TEXT_KEYS.items():
        assert has_text(message), key
    vi, en = grid_locale_text("vi"), grid_locale_text("en")
    # Same text in both languages would mean a Vietnamese text is missing (AND/OR aside).
    same = {k for k in GRID_TEXT_KEYS if vi[k] == en[k]}
    assert same == set()


def test_a_new_grid_starts_in_vietnamese_inside_its_language_box() -> None:
    box = grid(ids.ALLOC_EXPIRY)
    assert box.id == {"type": ids.GRID_BOX, "grid": ids.ALLOC_EXPIRY}
    inner = box.children[0]
    assert inner.id == {"type": ids.GRID_LANG, "grid": ids.ALLOC_EXPIRY, "lang": "vi"}
    table = inner.children
    assert table.id == ids.ALLOC_EXPIRY
    assert table.dashGridOptions == grid_options("vi")
    assert table.dashGridOptions["localeText"]["next"] == "Sau"


def test_each_download_button_label_has_its_own_id_and_is_translated() -> None:
    buttons = [download_button("allocation", chart) for chart in ("map", "rank", "decisions")]
    label_ids = [b.children.id for b in buttons]
    assert len({str(sorted(i.items())) for i in label_ids}) == 3
    assert all(i["key"] == "download" for i in label_ids)
    assert shell.translate("en", label_ids) == ["Download CSV"] * 3
    assert shell.translate("vi", label_ids) == ["Tải CSV"] * 3


def test_days_of_supply_reads_doses_per_day() -> None:
    row = {"allocated": 1000, "received": 900, "administered": 500, "on_hand": 400,
           "used_7d": 140, "days_of_supply": 20.0}
    assert "20.0 doses/day" in _texts(area_kpis(row, "en"))
    assert "doses/days" not in _texts(area_kpis(row, "en"))
    assert "20,0 liều/ngày" in _texts(area_kpis(row, "vi"))


def _decisions() -> pd.DataFrame:
    return pd.DataFrame({
        "vaccine_code": ["AZ", "AZ"], "decided_on": ["2021-07-20", "2021-09-02"],
        "cumulative": [3000, 5000], "decision_no": ["100/QĐ-BYT", "200/QĐ-BYT"],
        "batch": ["Đợt 1", None], "doses": [3000, 2000], "recipient_code": ["01", "01"],
        "recipient_name": ["Hà Nội", "Hà Nội"]})


def test_allocation_decisions_axis_has_no_month_names_in_vietnamese() -> None:
    axis = decisions_figure(_decisions(), "vi").layout.xaxis
    assert axis.type == "date"
    formats = [stop.value for stop in axis.tickformatstops]
    assert formats and not any(ENGLISH_MONTH.search(f) for f in formats)
    assert "%m/%Y" in formats and "%d/%m" in formats
    assert axis.hoverformat == "%d/%m/%Y"
    english = decisions_figure(_decisions(), "en").layout.xaxis
    assert not english.tickformatstops and english.hoverformat == "%d %b %Y"


def test_daily_doses_axis_has_no_month_names_in_vietnamese() -> None:
    daily = pd.DataFrame({"date": pd.to_datetime(["2021-10-01", "2021-10-02"]),
                          "dose_kind": ["PRIMARY", "PRIMARY"], "doses": [10, 12]})
    axis = daily_doses_figure(daily, {"PRIMARY": "Cơ bản"}, "vi").layout.xaxis
    assert not any(ENGLISH_MONTH.search(stop.value) for stop in axis.tickformatstops)
    assert not ENGLISH_MONTH.search(axis.hoverformat)
