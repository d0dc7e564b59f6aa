"""The command center's health-declaration panel (data.mcc.declarations on each backend): the
counts per day and province equal the declarations made, and small cells are suppressed, with
a lone suppressed province cell taking its smallest neighbour along (the day's total is
published beside it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from callbacks.mcc.declarations import panel_body
from data.citizen.declaration import record_declaration
from data.mcc import declarations as md
from data.services import Services
from data.settings import Settings
from tests.integration.citizen_setup import TZ, dose_days_ago, facilities, today

HANOI = [f"0010900001{i:02d}" for i in range(7)]
HCM = [f"0790900002{i:02d}" for i in range(2)]


@pytest.fixture
def declared(settings: Settings, services: Services, tmp_path: Path) -> None:
    """7 people of Hà Nội (6 with symptoms, 2 with contact), 2 of TP.HCM (1 with symptoms)
    declared today; one Hà Nội person also yesterday."""
    engine = services.engine
    facilities(settings, engine, tmp_path)
    for i, person in enumerate(HANOI):
        dose_days_ago(engine, f"H{i}", 3, person=person)
    for i, person in enumerate(HCM):
        dose_days_ago(engine, f"S{i}", 3, person=person, province_code="79",
                      district_code="760", ward_code="26734")
    for i, person in enumerate(HANOI):
        record_declaration(services, person, ["FEVER"] if i < 6 else [], i < 2, False, tz=TZ)
    for i, person in enumerate(HCM):
        record_declaration(services, person, ["COUGH"] if i == 0 else [], False, True, "01",
                           tz=TZ)
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    record_declaration(services, HANOI[0], [], False, False, tz=TZ, now=yesterday)


def test_counts_by_day_and_province_with_small_cells_suppressed(services: Services,
                                                                 declared: None) -> None:
    assert md.last_day(services) == today()
    days = md.by_day(services)
    assert days["day"].tolist() == [today() - dt.timedelta(days=1), today()]
    assert days.iloc[1][md.MEASURES].tolist() == [9, 7, None, None]  # contact 2, travel 2
    assert days.iloc[0][md.MEASURES].tolist() == [None, 0, 0, 0]  # 1 declaration
    provinces = md.by_province(services).set_index("province_code")
    # TP.HCM's 2 declarations and 1 with symptoms are < 5; Hà Nội's 7 and 6 go with them,
    # or 9 - 7 and 7 - 6 would give them away. A lone cell with no non-zero neighbour stays.
    assert provinces.loc["79", md.MEASURES].tolist() == [None, None, 0, None]
    assert provinces.loc["01", md.MEASURES].tolist() == [None, None, None, 0]
    hanoi_only = md.by_day(services, province_code="01")
    assert hanoi_only.iloc[-1][md.MEASURES].tolist() == [7, 6, None, 0]


def test_the_panel_shows_the_suppressed_cells_as_such(services: Services,
                                                      declared: None) -> None:
    text = json.dumps([c.to_plotly_json() for c in panel_body(services, None, "en")],
                      default=lambda c: c.to_plotly_json(), ensure_ascii=False)
    assert "< 5" in text and "Hà Nội" in text and "By province" in text
    empty = panel_body(services, "02", "vi")
    assert "Chưa có khai báo y tế nào." in json.dumps(
        [c.to_plotly_json() for c in empty], default=lambda c: c.to_plotly_json(),
        ensure_ascii=False)


def test_secondary_suppression_takes_the_smallest_neighbour_only() -> None:
    day = dt.date(2026, 12, 5)
    raw = pd.DataFrame({"day": [day] * 3, "province_code": ["01", "48", "79"],
                        "declarations": [40, 12, 3], "with_symptoms": [9, 0, 0],
                        "with_contact": [2, 3, 20], "with_travel": [0, 0, 0]})
    shown = md._secondary(raw, md._primary(raw)).set_index("province_code")
    assert shown["declarations"].tolist() == [40, None, None]  # 3 hidden, then 12
    assert shown["with_symptoms"].tolist() == [9, 0, 0]
    assert shown["with_contact"].tolist() == [None, None, 20]  # two hidden already
    assert shown["with_travel"].tolist() == [0, 0, 0]
