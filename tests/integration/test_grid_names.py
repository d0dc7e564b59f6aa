"""Grids show the names people know places and facilities by, with the code kept in the row
for the tooltip: expiring lots, stock-out risk, the AEFI case list and the facility tables,
through the real callbacks (Flask test client) on the small campaign, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_pages_facilities_reports import (
    HANOI,
    answer,
    main_call,
    silent_call,
)
from tests.webcalls import payload

LIVE = [(ids.SHELL_VERSION, "data", "1@2021-08-20"), (ids.SHELL_LANG, "data", "vi")]
PLACES = ("province", "district", "facility")


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


def _names(engine: Engine) -> dict[str, dict[str, str]]:
    """Code -> name per level, read straight from the dimension tables."""
    with engine.connect() as conn:
        geo = conn.execute(text("SELECT DISTINCT province_code, province_name, district_code, "
                                "district_name FROM dim_geography")).all()
        fac = conn.execute(text("SELECT facility_code, name FROM dim_facility")).all()
    return {"province": {p: pn for p, pn, _, _ in geo},
            "district": {d: dn for _, _, d, dn in geo}, "facility": dict(fac)}


def _grid(out: dict[str, Any], grid: str) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    cols = {c["headerName"]: c for c in out[grid]["columnDefs"]}
    return cols, out[grid]["rowData"]


def _assert_named(cols: dict[str, dict[str, Any]], rows: list[dict[str, Any]], header: str,
                  level: str, names: dict[str, dict[str, str]]) -> None:
    """The column `header` shows `<level>_name` (the code in its tooltip) and every row's
    name is the dimension's name of the row's code."""
    col = cols[header]
    assert col["field"] == f"{level}_name"
    assert f"params.data.{level}_code" in col["tooltipValueGetter"]["function"]
    assert "Mã: " in col["tooltipValueGetter"]["function"]
    assert rows and all(r[f"{level}_name"] == names[level][r[f"{level}_code"]] for r in rows)


def test_stock_grids_name_provinces_and_districts(app: dash.Dash, engine: Engine) -> None:
    names = _names(engine)
    client, token = client_for(app, "bo.yte", "/allocation")
    where = [(ids.ALLOC_VACCINE, "value", ""), (ids.ALLOC_DRILL, "data", None)]
    expiry = answer(client, token, payload(
        [(ids.ALLOC_EXPIRY, p) for p in ("columnDefs", "rowData", "dashGridOptions")],
        [*LIVE, (ids.ALLOC_AS_OF, "date", None), *where, (ids.ALLOC_EXPIRY_BAND, "value", 90)]))
    cols, rows = _grid(expiry, ids.ALLOC_EXPIRY)
    _assert_named(cols, rows, "Tỉnh", "province", names)
    assert {r["province_name"] for r in rows} == {names["province"]["01"],
                                                  names["province"]["79"]}
    districts = [r for r in rows if r["district_code"]]
    assert districts and all(r["district_name"] == names["district"][r["district_code"]]
                             for r in districts)
    assert "Ba Đình" in {r["district_name"] for r in districts}
    assert all(r["district_name"] is None for r in rows if not r["district_code"])

    risk = answer(client, token, payload(
        [(ids.ALLOC_RISK, p) for p in ("columnDefs", "rowData", "dashGridOptions")],
        [*LIVE, (ids.ALLOC_AS_OF, "date", None), *where, (ids.ALLOC_RISK_DAYS, "value", 1000)]))
    cols, rows = _grid(risk, ids.ALLOC_RISK)
    _assert_named(cols, rows, "Tỉnh", "province", names)
    _assert_named(cols, rows, "Huyện", "district", names)
    assert cols["Mã"]["maxWidth"] <= 130  # the code stays, in a narrow column


def test_aefi_cases_name_province_district_and_facility(app: dash.Dash,
                                                        engine: Engine) -> None:
    names = _names(engine)
    client, token = client_for(app, "bo.yte", "/aefi")
    out = answer(client, token, payload(
        [(ids.AEFI_CASES, p) for p in ("columnDefs", "rowData", "dashGridOptions")]
        + [(ids.AEFI_CASES_NOTE, "children")],
        [*LIVE, (ids.AEFI_AS_OF, "date", None), (ids.AEFI_VACCINE, "value", ""),
         (ids.AEFI_PROVINCE, "value", "")]))
    cols, rows = _grid(out, ids.AEFI_CASES)
    for header, level in (("Tỉnh", "province"), ("Huyện", "district"), ("Cơ sở", "facility")):
        _assert_named(cols, rows, header, level, names)
    assert not {c["field"] for c in cols.values()} & {f"{p}_code" for p in PLACES}


def test_facility_tables_name_districts(app: dash.Dash, engine: Engine) -> None:
    names = _names(engine)
    client, token = client_for(app, "tinh01", "/facilities")
    cols, rows = _grid(answer(client, token, main_call(HANOI)), ids.FAC_UTIL)
    _assert_named(cols, rows, "Huyện", "district", names)
    hanoi = {names["district"]["001"], names["district"]["002"]}
    assert {r["district_name"] for r in rows} == hanoi
    cols, rows = _grid(answer(client, token, silent_call(HANOI)), ids.FAC_SILENT)
    _assert_named(cols, rows, "Huyện", "district", names)
