"""Empty and partial data look deliberate: the allocation, AEFI and facilities pages over an
empty database, and over the campaign with a vaccine nobody received, answer with 'no data'
figures and empty tables, never an error or a chart of zeros."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.shared import ids
from data.mcc import progress
from data.services import Services, build_services
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import population, write_csv
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_campaign import MINISTRY
from tests.integration.test_web_security import add_user
from tests.webcalls import payload, post

LIVE = [(ids.SHELL_VERSION, "data", "1@x"), (ids.SHELL_LANG, "data", "vi")]
EMPTY_VI = "Không có dữ liệu cho bộ lọc này"


def _answer(client: FlaskClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = post(client, body, token)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]  # type: ignore[no-any-return]


def _is_empty_state(figure: dict[str, Any]) -> bool:
    """A figure without traces carrying the 'no data' message."""
    notes = [a.get("text") for a in figure.get("layout", {}).get("annotations", [])]
    return not figure.get("data") and EMPTY_VI in notes


def _pages(client: FlaskClient, token: str, vaccine: str, province: str) -> dict[str, Any]:
    """Every figure and grid of the three pages for the filters."""
    drill = {"province": province, "denied": False} if province else None
    out: dict[str, Any] = {}
    out |= _answer(client, token, payload(
        [(ids.ALLOC_RANK, "figure"), (ids.ALLOC_RANK_TITLE, "children"),
         (ids.ALLOC_NOTICE, "children"), (ids.ALLOC_KPIS, "children"),
         (ids.ALLOC_UPDATED, "children")],
        [*LIVE, (ids.ALLOC_MAP_METRIC, "value", "on_hand"), (ids.ALLOC_DRILL, "data", drill),
         (ids.ALLOC_AS_OF, "date", None), (ids.ALLOC_VACCINE, "value", vaccine)]))
    out |= _answer(client, token, payload(
        [(ids.ALLOC_MAP, "figure"), (ids.ALLOC_MAP_BUILT, "data")],
        [*LIVE, (ids.ALLOC_MAP_METRIC, "value", "days_of_supply"),
         (ids.ALLOC_DRILL, "data", drill), (ids.ALLOC_AS_OF, "date", None),
         (ids.ALLOC_VACCINE, "value", vaccine)], [(ids.ALLOC_MAP_BUILT, "data", False)]))
    filters = [(ids.ALLOC_AS_OF, "date", None), (ids.ALLOC_VACCINE, "value", vaccine),
               (ids.ALLOC_DRILL, "data", drill)]
    out |= _answer(client, token, payload([(ids.ALLOC_DECISIONS, "figure")], [*LIVE, *filters]))
    out |= _answer(client, token, payload(
        [(ids.ALLOC_CARRIED, "columnDefs"), (ids.ALLOC_CARRIED, "rowData"),
         (ids.ALLOC_CARRIED, "dashGridOptions")], [*LIVE, *filters]))
    for grid, extra in ((ids.ALLOC_EXPIRY, (ids.ALLOC_EXPIRY_BAND, "value", 90)),
                        (ids.ALLOC_RISK, (ids.ALLOC_RISK_DAYS, "value", 7))):
        out |= _answer(client, token, payload(
            [(grid, "columnDefs"), (grid, "rowData"), (grid, "dashGridOptions")],
            [*LIVE, *filters, extra]))
    aefi = [(ids.AEFI_AS_OF, "date", None), (ids.AEFI_VACCINE, "value", vaccine),
            (ids.AEFI_PROVINCE, "value", province)]
    out |= _answer(client, token, payload(
        [(ids.AEFI_KPIS, "children"), (ids.AEFI_RATES, "figure"),
         (ids.AEFI_RATES_NOTE, "children"), (ids.AEFI_SERIOUS, "figure"),
         (ids.AEFI_UPDATED, "children")],
        [*LIVE, *aefi, (ids.AEFI_RATES_BY, "value", "age_band"),
         (ids.AEFI_SERIOUS_BY, "value", "class")]))
    out |= _answer(client, token, payload(
        [(g, p) for g in (ids.AEFI_SIGNALS, ids.AEFI_LOTS)
         for p in ("columnDefs", "rowData", "dashGridOptions")], [*LIVE, *aefi]))
    out |= _answer(client, token, payload(
        [(ids.AEFI_CASES, "columnDefs"), (ids.AEFI_CASES, "rowData"),
         (ids.AEFI_CASES, "dashGridOptions"), (ids.AEFI_CASES_NOTE, "children")],
        [*LIVE, *aefi]))
    return out


def _facilities(client: FlaskClient, token: str, province: str) -> dict[str, Any]:
    area = {"province": province, "denied": False}
    where = [(ids.FAC_AS_OF, "date", None), (ids.FAC_FROM, "date", None),
             (ids.FAC_AREA, "data", area)]
    out = _answer(client, token, payload(
        [(ids.FAC_NOTICE, "children"), (ids.FAC_KPIS, "children"),
         (ids.FAC_UTIL, "columnDefs"), (ids.FAC_UTIL, "rowData"),
         (ids.FAC_UTIL, "dashGridOptions"), (ids.FAC_FACILITY, "options"),
         (ids.FAC_FACILITY, "value"), (ids.FAC_UPDATED, "children")],
        [*LIVE, *where], [(ids.FAC_FACILITY, "value", "")]))
    out |= _answer(client, token, payload([(ids.FAC_DAILY, "figure")],
                                          [*LIVE, *where, (ids.FAC_FACILITY, "value", "")]))
    out |= _answer(client, token, payload(
        [(ids.FAC_SILENT, "columnDefs"), (ids.FAC_SILENT, "rowData"),
         (ids.FAC_SILENT, "dashGridOptions")],
        [*LIVE, (ids.FAC_AS_OF, "date", None), (ids.FAC_AREA, "data", area),
         (ids.FAC_SILENT_DAYS, "value", 3)]))
    return out


def _assert_empty(out: dict[str, Any]) -> None:
    for fig in (ids.ALLOC_RANK, ids.ALLOC_DECISIONS, ids.AEFI_RATES, ids.AEFI_SERIOUS):
        assert _is_empty_state(out[fig]["figure"]), fig
    for grid in (ids.ALLOC_EXPIRY, ids.ALLOC_RISK, ids.AEFI_SIGNALS, ids.AEFI_LOTS,
                 ids.AEFI_CASES):
        assert out[grid]["rowData"] == [], grid
        assert out[grid]["dashGridOptions"]["localeText"]["noRowsToShow"] == "Không có dòng nào"
    # The map still draws the country, with no province coloured as if it held 0 days.
    assert all(z is None for z in out[ids.ALLOC_MAP]["figure"]["data"][0]["z"])


@pytest.fixture
def empty_app(settings: Settings, engine: Engine) -> Iterator[dash.Dash]:
    application = create_app(settings)
    add_user(application.server.extensions["vx_services"], "bo.yte")
    yield application
    application.server.extensions["vx_services"].engine.dispose()


@pytest.mark.parametrize("province", ["", "01"])
def test_an_empty_database(empty_app: dash.Dash, province: str) -> None:
    client, token = client_for(empty_app, "bo.yte", "/allocation")
    _assert_empty(_pages(client, token, "", province))
    fac = _facilities(client, token, "01")
    assert fac[ids.FAC_UTIL]["rowData"] == [] and fac[ids.FAC_SILENT]["rowData"] == []
    assert _is_empty_state(fac[ids.FAC_DAILY]["figure"])


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


@pytest.mark.parametrize("province", ["", "79"])
def test_a_vaccine_nobody_received(app: dash.Dash, province: str) -> None:
    client, token = client_for(app, "bo.yte", "/allocation")
    _assert_empty(_pages(client, token, "CVX", province))


def test_a_district_without_population_has_no_coverage(settings: Settings, engine: Engine,
                                                       tmp_path: Path) -> None:
    load_file(settings, engine, "population",
              write_csv(tmp_path / "population.csv",
                        [population("01", 1000), population("001", 600)]))
    svc: Services = build_services(settings, Flask("empty"))
    got = progress.coverage_by_district(svc, "01", MINISTRY).set_index("district_code")
    assert got.loc["001", "population"] == 600 and got.loc["001", "pct_dose1"] == 0
    assert math.isnan(got.loc["002", "population"]) and math.isnan(got.loc["002", "pct_dose1"])
