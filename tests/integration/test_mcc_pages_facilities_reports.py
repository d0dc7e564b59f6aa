"""The facilities and daily report pages through the real web stack: forged callback POSTs
from signed-in users against the small campaign, on every backend."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from callbacks.shared import ids
from data.mcc import facilities, reports
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_campaign import MINISTRY
from tests.integration.test_mcc_pages import values
from tests.webcalls import payload, post, text_of

LIVE = [(ids.SHELL_VERSION, "data", "1@2021-08-20"), (ids.SHELL_LANG, "data", "vi")]
HANOI = {"province": "01", "denied": False}
FORGED = {"province": "79", "denied": False}
MAIN = [(ids.FAC_NOTICE, "children"), (ids.FAC_KPIS, "children"),
        (ids.FAC_UTIL, "columnDefs"), (ids.FAC_UTIL, "rowData"),
        (ids.FAC_UTIL, "dashGridOptions"), (ids.FAC_FACILITY, "options"),
        (ids.FAC_FACILITY, "value"), (ids.FAC_UPDATED, "children")]
SILENT = [(ids.FAC_SILENT, "columnDefs"), (ids.FAC_SILENT, "rowData"),
          (ids.FAC_SILENT, "dashGridOptions")]
GRIDS = [ids.REPORT_DOSES, ids.REPORT_COVERAGE, ids.REPORT_STOCK, ids.REPORT_AEFI]
REPORT = [(ids.REPORT_KPIS, "children"),
          *((g, p) for g in GRIDS for p in ("columnDefs", "rowData", "dashGridOptions")),
          (ids.REPORT_UPDATED, "children")]


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


def answer(client: FlaskClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = post(client, body, token)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]  # type: ignore[no-any-return]


def main_call(area: Any, chosen: str = "", since: str | None = None,
              lang: str = "vi") -> dict[str, Any]:
    live = [LIVE[0], (ids.SHELL_LANG, "data", lang)]
    return payload(MAIN, [*live, (ids.FAC_AS_OF, "date", None), (ids.FAC_FROM, "date", since),
                          (ids.FAC_AREA, "data", area)],
                   [(ids.FAC_FACILITY, "value", chosen)])


def daily_call(area: Any, facility: str = "", since: str | None = None) -> dict[str, Any]:
    return payload([(ids.FAC_DAILY, "figure")],
                   [*LIVE, (ids.FAC_AS_OF, "date", None), (ids.FAC_FROM, "date", since),
                    (ids.FAC_AREA, "data", area), (ids.FAC_FACILITY, "value", facility)])


def silent_call(area: Any, days: int = 3) -> dict[str, Any]:
    return payload(SILENT, [*LIVE, (ids.FAC_AS_OF, "date", None), (ids.FAC_AREA, "data", area),
                            (ids.FAC_SILENT_DAYS, "value", days)])


def download_call(button: str, province: str = "") -> dict[str, Any]:
    return payload([(ids.REPORT_DOWNLOAD, "data")],
                   [(ids.REPORT_XLSX, "n_clicks", int(button == ids.REPORT_XLSX)),
                    (ids.REPORT_CSV, "n_clicks", int(button == ids.REPORT_CSV))],
                   [(ids.REPORT_AS_OF, "date", None), (ids.REPORT_PROVINCE, "value", province)],
                   [f"{button}.n_clicks"])


def test_facilities_equal_the_data_layer(app: dash.Dash, services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/facilities")
    out = answer(client, token, main_call(HANOI, "F9"))
    util = facilities.utilisation(services, "01", MINISTRY)
    rows = {r["facility_code"]: r for r in out[ids.FAC_UTIL]["rowData"]}
    assert set(rows) == set(util["facility_code"]) == {"F1", "F2", "F4"}
    for r in util.itertuples():
        got = rows[r.facility_code]
        assert (got["doses"], got["peak_day"], got["over_capacity_days"]) == (
            r.doses, r.peak_day, r.over_capacity_days)
        assert got["avg_per_day"] == r.avg_per_day and got["utilisation_pct"] == r.utilisation_pct
    kpis = text_of(out[ids.FAC_KPIS]["children"])
    assert f"{int(util['doses'].sum())}" in kpis.replace(".", "")
    assert out[ids.FAC_FACILITY]["value"] == ""  # an unknown facility falls back to 'all'
    assert len(out[ids.FAC_FACILITY]["options"]) == 4
    daily = facilities.facility_daily(services, "01", MINISTRY)
    fig = answer(client, token, daily_call(HANOI))[ids.FAC_DAILY]["figure"]
    bars, line = fig["data"]
    assert sum(values(bars["y"])) == int(daily["doses"].sum())
    assert set(values(line["y"])) == {35.0}  # capacities 10 + 20 + 5
    one = answer(client, token, daily_call(HANOI, "F1"))[ids.FAC_DAILY]["figure"]["data"][0]
    assert sum(values(one["y"])) == int(daily.loc[daily["facility_code"] == "F1", "doses"].sum())
    silent = answer(client, token, silent_call(HANOI))[ids.FAC_SILENT]["rowData"]
    want = facilities.silent_facilities(services, MINISTRY, days=3, province_code="01")
    assert sorted(r["facility_code"] for r in silent) == sorted(want["facility_code"]) == [
        "F2", "F4"]
    assert {r["facility_code"]: r["on_hand"] for r in silent}["F2"] == 300
    longer = answer(client, token, silent_call(HANOI, 10))[ids.FAC_SILENT]["rowData"]
    assert [r["facility_code"] for r in longer] == ["F4"]


def test_facilities_follow_the_date_range_and_label_codes(app: dash.Dash,
                                                         services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/facilities")
    url = answer(client, token, payload([(ids.FAC_URL, "search")],
                                        [(ids.FAC_AS_OF, "date", "2021-08-20"),
                                         (ids.FAC_FROM, "date", "2021-08-01"),
                                         (ids.FAC_PROVINCE, "value", "01")]))
    assert url[ids.FAC_URL]["search"] == "?from=2021-08-01&as_of=2021-08-20&province=01"
    out = answer(client, token, main_call(HANOI, since="2021-08-01"))
    util = facilities.utilisation(services, "01", MINISTRY, start=dt.date(2021, 8, 1))
    rows = {r["facility_code"]: r for r in out[ids.FAC_UTIL]["rowData"]}
    assert {f: r["doses"] for f, r in rows.items()} == dict(
        zip(util["facility_code"], util["doses"], strict=True))
    assert "20 ngày" in text_of(out[ids.FAC_KPIS]["children"])
    fig = answer(client, token, daily_call(HANOI, since="2021-08-01"))[ids.FAC_DAILY]["figure"]
    assert len(values(fig["data"][0]["y"])) == 20
    # Kind and status in the UI language, never the raw codes.
    assert {r["kind"] for r in rows.values()} == {"Trạm y tế"}
    assert {r["status"] for r in rows.values()} == {"Đang hoạt động"}
    english = answer(client, token, main_call(HANOI, lang="en"))[ids.FAC_UTIL]["rowData"]
    assert {(r["kind"], r["status"]) for r in english} == {("Health station", "Active")}
    silent = answer(client, token, silent_call(HANOI))[ids.FAC_SILENT]["rowData"]
    assert {r["status"] for r in silent} == {"Đang hoạt động"}


def test_province_officer_sees_only_their_province(app: dash.Dash) -> None:
    client, token = client_for(app, "tinh01", "/facilities")
    opts = answer(client, token, payload(
        [(ids.FAC_PROVINCE, "options"), (ids.FAC_PROVINCE, "value")],
        [(ids.SHELL_LANG, "data", "vi")], [(ids.FAC_PROVINCE, "value", "")]))
    assert opts[ids.FAC_PROVINCE]["value"] == "01"
    assert [o["value"] for o in opts[ids.FAC_PROVINCE]["options"]] == ["", "01"]
    area = answer(client, token, payload([(ids.FAC_AREA, "data")],
                                         [(ids.FAC_PROVINCE, "value", "79")]))
    assert area[ids.FAC_AREA]["data"] == {"province": "79", "denied": True}
    # The page's own request shows the 'no permission' note, with no facility data.
    denied = answer(client, token, main_call({"province": "79", "denied": True}))
    assert "không có quyền" in text_of(denied[ids.FAC_NOTICE]["children"])
    assert denied[ids.FAC_UTIL]["rowData"] == []
    # Forged requests claiming permission: 403 and nothing else.
    button = {"type": ids.MCC_DOWNLOAD, "page": "facilities", "chart": "utilisation"}
    forged_download = payload(
        [(ids.FAC_DOWNLOAD, "data")], [],
        [(ids.FAC_AS_OF, "date", None), (ids.FAC_FROM, "date", None),
         (ids.FAC_AREA, "data", FORGED), (ids.FAC_SILENT_DAYS, "value", 3)],
        ['{"chart":"utilisation","page":"facilities","type":"mcc-download"}.n_clicks'])
    forged_download["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    for body in (main_call(FORGED), daily_call(FORGED), silent_call(FORGED), forged_download):
        response = post(client, body, token)
        assert response.status_code == 403 and response.get_json() == {"error": "forbidden"}
        assert "F3" not in response.get_data(as_text=True)
    own = answer(client, token, main_call(HANOI))
    assert {r["facility_code"] for r in own[ids.FAC_UTIL]["rowData"]} == {"F1", "F2", "F4"}


@pytest.mark.parametrize("province", ["", "79"])
def test_report_equals_the_data_layer(app: dash.Dash, services: Services, province: str) -> None:
    client, token = client_for(app, "tinh01", "/facilities")  # province-level figures: every role
    out = answer(client, token, payload(REPORT, [*LIVE, (ids.REPORT_AS_OF, "date", None),
                                                 (ids.REPORT_PROVINCE, "value", province)]))
    want = reports.daily_report(services, None, province or None)
    doses = out[ids.REPORT_DOSES]["rowData"]
    assert sum(r["doses_cumulative"] for r in doses) == int(want["doses"]["doses_cumulative"].sum())
    assert sum(r["doses_day"] for r in doses) == int(want["summary"]["doses_day"].iloc[0])
    stock = out[ids.REPORT_STOCK]["rowData"]
    assert sum(r["on_hand"] for r in stock) == (1980 if province else 12380)
    assert sum(r["cases"] for r in out[ids.REPORT_AEFI]["rowData"]) == int(
        want["summary"]["aefi_day"].iloc[0])
    coverage = {r["metric"]: (r["count"], r["unit"])
                for r in out[ids.REPORT_COVERAGE]["rowData"]}
    assert coverage["Tiêm đủ liều cơ bản"] == (int(want["summary"]["fully"].iloc[0]), "người")
    # Boosters are counted in doses, and said so.
    assert coverage["Số mũi nhắc lại (mũi 1 và 2)"] == (
        int(want["summary"]["booster_doses"].iloc[0]), "mũi")
    assert "Số mũi lũy kế" in text_of(out[ids.REPORT_KPIS]["children"])


def test_report_downloads(app: dash.Dash, services: Services) -> None:
    client, token = client_for(app, "bo.yte", "/facilities")
    sent = answer(client, token, download_call(ids.REPORT_XLSX, "79"))[ids.REPORT_DOWNLOAD]["data"]
    assert sent["filename"] == "bao-cao-ngay_79_2021-08-20.xlsx" and sent["base64"]
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert book.sheetnames == ["summary", "doses", "stock", "aefi"]
    want = reports.daily_report(services, None, "79")
    header = [c.value for c in book["summary"][1]]
    summary = dict(zip(header, [c.value for c in book["summary"][2]], strict=True))
    assert summary["doses_cumulative"] == int(want["summary"]["doses_cumulative"].iloc[0])
    assert summary["on_hand"] == 1980
    sheet = list(book["doses"].values)
    col = sheet[0].index("doses_cumulative")
    assert sum(row[col] for row in sheet[1:]) == want["doses"]["doses_cumulative"].sum() > 0
    sent = answer(client, token, download_call(ids.REPORT_CSV))[ids.REPORT_DOWNLOAD]["data"]
    assert sent["filename"] == "bao-cao-ngay_VN_2021-08-20.zip"
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(sent["content"])))
    assert archive.namelist() == ["summary.csv", "doses.csv", "stock.csv", "aefi.csv"]
    back = pd.read_csv(io.BytesIO(archive.read("summary.csv")), encoding="utf-8-sig")
    assert back["on_hand"].iloc[0] == 12380
