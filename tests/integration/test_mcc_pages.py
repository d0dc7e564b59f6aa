"""The command-center pages through the real web stack: forged callback POSTs from signed-in
users (Flask test client, CSRF header) against the small campaign, on every backend."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import numpy as np
import pandas as pd
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from callbacks.shared import ids
from data.geo.provinces import load_provinces_geojson
from data.mcc import aefi, stock
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_campaign import MINISTRY, P01
from tests.webcalls import decoded

VERSION = {"id": ids.SHELL_VERSION, "property": "data", "value": "1@2021-08-20"}
LANG = {"id": ids.SHELL_LANG, "property": "data", "value": "vi"}


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


def call(client: FlaskClient, token: str, outputs: list[tuple[str, str]],
         inputs: list[Any], state: list[dict[str, Any]] | None = None,
         changed: list[str] | None = None) -> Any:
    specs = [{"id": i, "property": p} for i, p in outputs]
    single = len(outputs) == 1
    body = {"output": (f"{outputs[0][0]}.{outputs[0][1]}" if single else
                       "..." .join(f"{i}.{p}" for i, p in outputs).join(["..", ".."])),
            "outputs": specs[0] if single else specs,
            "inputs": inputs, "state": state or [], "changedPropIds": changed or []}
    return client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})


def values(array: Any) -> list[Any]:
    """A trace array as sent to the browser (plain list or plotly's typed-array encoding)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _in(cid: str, prop: str, value: Any) -> dict[str, Any]:
    return {"id": cid, "property": prop, "value": value}


def map_call(client: FlaskClient, token: str, drill: Any, built: bool = False,
             vaccine: str = "") -> Any:
    return call(client, token, [(ids.ALLOC_MAP, "figure"), (ids.ALLOC_MAP_BUILT, "data")],
                [VERSION, LANG, _in(ids.ALLOC_MAP_METRIC, "value", "on_hand"),
                 _in(ids.ALLOC_DRILL, "data", drill), _in(ids.ALLOC_AS_OF, "date", None),
                 _in(ids.ALLOC_VACCINE, "value", vaccine)],
                [_in(ids.ALLOC_MAP_BUILT, "data", built)])


def rank_call(client: FlaskClient, token: str, drill: Any, vaccine: str = "") -> Any:
    outs = [(ids.ALLOC_RANK, "figure"), (ids.ALLOC_RANK_TITLE, "children"),
            (ids.ALLOC_NOTICE, "children"), (ids.ALLOC_KPIS, "children"),
            (ids.ALLOC_UPDATED, "children")]
    return call(client, token, outs, [VERSION, LANG, _in(ids.ALLOC_MAP_METRIC, "value", "on_hand"),
                                      _in(ids.ALLOC_DRILL, "data", drill),
                                      _in(ids.ALLOC_AS_OF, "date", None),
                                      _in(ids.ALLOC_VACCINE, "value", vaccine)])


def test_map_and_ranking_equal_the_data_layer(app: dash.Dash, services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/allocation")
    response = map_call(client, token, None)
    assert response.status_code == 200
    fig = response.get_json()["response"][ids.ALLOC_MAP]["figure"]
    want = stock.stock_by_province(services).set_index("province_code")["on_hand"]
    codes = [str(f["id"]) for f in load_provinces_geojson()["features"]]
    assert fig["data"][0]["z"] == [float(want[c]) for c in codes]
    assert fig["data"][0]["geojson"]["type"] == "FeatureCollection"
    # Drilling into Hà Nội: a patch without geometry, the province's sites on the map.
    patch = map_call(client, token, {"province": "01", "denied": False}, built=True)
    body = decoded(patch)
    assert patch.status_code == 200 and "geojson" not in body and "coordinates" not in body
    sites = stock.facility_points(services, "01", MINISTRY)
    assert body.count('"lon"') >= 1 and str(float(sites["longitude"].iloc[0])) in body
    rank = rank_call(client, token, {"province": "01", "denied": False}).get_json()["response"]
    bars = rank[ids.ALLOC_RANK]["figure"]["data"][0]
    districts = stock.stock_by_district(services, "01", MINISTRY)
    assert sum(values(bars["x"])) == int(districts["on_hand"].sum()) == 1250
    assert "Hà Nội" in rank[ids.ALLOC_RANK_TITLE]["children"]


def test_province_officer_drilling_elsewhere(app: dash.Dash) -> None:
    client, token = client_for(app, "tinh01", "/allocation")
    drill = call(client, token, [(ids.ALLOC_DRILL, "data"), (ids.ALLOC_BACK, "hidden")],
                 [_in(ids.ALLOC_PROVINCE, "value", "79")]).get_json()["response"]
    assert drill[ids.ALLOC_DRILL]["data"] == {"province": "79", "denied": True}
    # The page's own request shows the 'no permission' state, with no district data.
    rank = rank_call(client, token, {"province": "79", "denied": True})
    assert rank.status_code == 200 and "không có quyền" in decoded(rank)
    assert "760" not in str(rank.get_json()["response"][ids.ALLOC_RANK]["figure"]["data"])
    # A forged request that claims permission: 403 and nothing else.
    for forged in (map_call(client, token, {"province": "79", "denied": False}, built=True),
                   rank_call(client, token, {"province": "79", "denied": False})):
        assert forged.status_code == 403 and forged.get_json() == {"error": "forbidden"}
    own = rank_call(client, token, {"province": "01", "denied": False})
    assert own.status_code == 200 and "Ba Đình" in decoded(own)


def test_aefi_rates_and_case_list(app: dash.Dash, services: Services) -> None:
    filters = [_in(ids.AEFI_AS_OF, "date", None), _in(ids.AEFI_VACCINE, "value", ""),
               _in(ids.AEFI_PROVINCE, "value", "")]
    outs = [(ids.AEFI_KPIS, "children"), (ids.AEFI_RATES, "figure"),
            (ids.AEFI_RATES_NOTE, "children"), (ids.AEFI_SERIOUS, "figure"),
            (ids.AEFI_UPDATED, "children")]
    client, token = client_for(app, "bo.yte", "/allocation")
    res = call(client, token, outs, [VERSION, LANG, *filters, _in(ids.AEFI_RATES_BY, "value",
                                                                  "vaccine"),
                                     _in(ids.AEFI_SERIOUS_BY, "value", "outcome")])
    fig = res.get_json()["response"][ids.AEFI_RATES]["figure"]
    want = aefi.rates(services, "vaccine")
    assert values(fig["data"][0]["y"]) == want["rate_per_100k"].tolist()
    serious = res.get_json()["response"][ids.AEFI_SERIOUS]["figure"]["data"]
    total = int(aefi.serious_by_month(services)["serious"].sum())
    assert total > 0 and sum(sum(values(t["y"])) for t in serious) == total
    case_outs = [(ids.AEFI_CASES, "columnDefs"), (ids.AEFI_CASES, "rowData"),
                 (ids.AEFI_CASES, "dashGridOptions"), (ids.AEFI_CASES_NOTE, "children")]
    national = call(client, token, case_outs, [VERSION, LANG, *filters]).get_json()["response"]
    assert "full_name" not in str(national[ids.AEFI_CASES]["columnDefs"])
    client, token = client_for(app, "tinh01", "/allocation")
    mine = call(client, token, case_outs, [VERSION, LANG, *filters]).get_json()["response"]
    rows = mine[ids.AEFI_CASES]["rowData"]
    assert rows and {r["province_code"] for r in rows} == {"01"}
    assert all(r["full_name"] for r in rows)
    assert len(rows) == len(aefi.case_list(services, P01))
    other = [*filters[:2], _in(ids.AEFI_PROVINCE, "value", "79")]
    denied = call(client, token, case_outs, [VERSION, LANG, *other]).get_json()["response"]
    assert denied[ids.AEFI_CASES]["rowData"] == []


def test_download_is_the_chart_data(app: dash.Dash, services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/allocation")
    res = call(client, token, [(ids.ALLOC_DOWNLOAD, "data")],
               [[{"id": {"type": ids.MCC_DOWNLOAD, "page": "allocation", "chart": chart},
                  "property": "n_clicks", "value": int(chart == "decisions")}
                 for chart in ("map", "rank", "decisions", "expiry", "risk")]],
               [_in(ids.ALLOC_AS_OF, "date", None), _in(ids.ALLOC_VACCINE, "value", "AZ"),
                _in(ids.ALLOC_DRILL, "data", None), _in(ids.ALLOC_EXPIRY_BAND, "value", 90),
                _in(ids.ALLOC_RISK_DAYS, "value", 7)],
               ['{"chart":"decisions","page":"allocation","type":"mcc-download"}.n_clicks'])
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    sent = res.get_json()["response"][ids.ALLOC_DOWNLOAD]["data"]
    df = pd.read_csv(io.StringIO(sent["content"]), dtype={"recipient_code": str})
    assert sent["filename"] == "decisions_VN_AZ.csv"
    assert df["doses"].tolist() == [3000]


def test_the_vaccine_filter_reaches_every_stock_and_aefi_panel(app: dash.Dash,
                                                               services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/allocation")
    fig = map_call(client, token, None, vaccine="PFZ").get_json()["response"][ids.ALLOC_MAP]
    want = stock.stock_by_province(services, vaccine="PFZ").set_index("province_code")
    codes = [str(f["id"]) for f in load_provinces_geojson()["features"]]
    assert fig["figure"]["data"][0]["z"] == [float(want.loc[c, "on_hand"]) for c in codes]
    assert want.loc["01", "on_hand"] == 0 and want.loc["79", "on_hand"] == 1980
    rank = rank_call(client, token, {"province": "01", "denied": False}, vaccine="AZ")
    bars = rank.get_json()["response"][ids.ALLOC_RANK]["figure"]["data"][0]
    districts = stock.stock_by_district(services, "01", MINISTRY, vaccine="AZ")
    assert sum(values(bars["x"])) == int(districts["on_hand"].sum()) == 900 + 350
    # The province store holds all of Hà Nội's Vero Cell: its districts have none to rank.
    none = rank_call(client, token, {"province": "01", "denied": False}, vaccine="VRC")
    assert not none.get_json()["response"][ids.ALLOC_RANK]["figure"]["data"]
    risk_outs = [(ids.ALLOC_RISK, "columnDefs"), (ids.ALLOC_RISK, "rowData"),
                 (ids.ALLOC_RISK, "dashGridOptions")]
    rows = call(client, token, risk_outs,
                [VERSION, LANG, _in(ids.ALLOC_AS_OF, "date", None),
                 _in(ids.ALLOC_VACCINE, "value", "AZ"), _in(ids.ALLOC_DRILL, "data", None),
                 _in(ids.ALLOC_RISK_DAYS, "value", 1000)]).get_json()["response"][
        ids.ALLOC_RISK]["rowData"]
    risk = stock.stockout_risk(services, MINISTRY, 1000, vaccine="AZ")
    assert [r["days_of_supply"] for r in rows] == risk["days_of_supply"].tolist()
    assert risk["days_of_supply"].tolist() != stock.stockout_risk(
        services, MINISTRY, 1000)["days_of_supply"].tolist()
    filters = [_in(ids.AEFI_AS_OF, "date", None), _in(ids.AEFI_VACCINE, "value", "PFZ"),
               _in(ids.AEFI_PROVINCE, "value", "79")]
    outs = [(ids.AEFI_KPIS, "children"), (ids.AEFI_RATES, "figure"),
            (ids.AEFI_RATES_NOTE, "children"), (ids.AEFI_SERIOUS, "figure"),
            (ids.AEFI_UPDATED, "children")]
    res = call(client, token, outs, [VERSION, LANG, *filters,
                                     _in(ids.AEFI_RATES_BY, "value", "sex"),
                                     _in(ids.AEFI_SERIOUS_BY, "value", "outcome")])
    got = res.get_json()["response"]
    sexes = aefi.rates(services, "sex", None, "79", "PFZ")
    assert values(got[ids.AEFI_RATES]["figure"]["data"][0]["y"]) == sexes[
        "rate_per_100k"].tolist()
    assert "PFZ" in got[ids.AEFI_RATES_NOTE]["children"]
    serious = got[ids.AEFI_SERIOUS]["figure"]["data"]
    total = int(aefi.serious_by_month(services, None, "79", "PFZ")["serious"].sum())
    assert sum(sum(values(t["y"])) for t in serious) == total
    safety = [(ids.AEFI_SIGNALS, "columnDefs"), (ids.AEFI_SIGNALS, "rowData"),
              (ids.AEFI_SIGNALS, "dashGridOptions"), (ids.AEFI_LOTS, "columnDefs"),
              (ids.AEFI_LOTS, "rowData"), (ids.AEFI_LOTS, "dashGridOptions")]
    got = call(client, token, safety, [VERSION, LANG, *filters]).get_json()["response"]
    signals = aefi.signals(services, province_code="79", vaccine="PFZ")
    assert len(got[ids.AEFI_SIGNALS]["rowData"]) == len(signals)
    assert [r["lot_number"] for r in got[ids.AEFI_LOTS]["rowData"]] == aefi.unusual_lots(
        services, province_code="79", vaccine="PFZ")["lot_number"].tolist()
