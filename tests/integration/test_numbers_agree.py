"""Figures that two pages show agree: national stock on /allocation and /reports, through the
real web stack (forged callback POSTs), and the 7-day trend's minimum count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from sqlalchemy import Engine

from callbacks.shared import ids
from data.mcc import progress, stock
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_pages import rank_call
from tests.integration.test_mcc_pages_facilities_reports import REPORT, answer
from tests.webcalls import payload

LIVE = [(ids.SHELL_VERSION, "data", "1@2021-08-20"), (ids.SHELL_LANG, "data", "vi")]
NATIONAL_STORE = 7000  # KQG: 10,000 received, 3,000 sent to Hà Nội's store


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


def cards(children: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """KPI cards as label -> (value, context line)."""
    out = {}
    for card in children:
        label, value, sub = (c["props"]["children"] for c in card["props"]["children"])
        out[label] = (value, sub)
    return out


def report_cards(app: dash.Dash, province: str) -> dict[str, tuple[str, str]]:
    client, token = client_for(app, "bo.yte", "/reports")
    got = answer(client, token, payload(REPORT, [*LIVE, (ids.REPORT_AS_OF, "date", None),
                                                 (ids.REPORT_PROVINCE, "value", province)]))
    return cards(got[ids.REPORT_KPIS]["children"])


def allocation_cards(app: dash.Dash, drill: Any) -> dict[str, tuple[str, str]]:
    client, token = client_for(app, "bo.yte", "/allocation")
    response = rank_call(client, token, drill)
    assert response.status_code == 200
    return cards(response.get_json()["response"][ids.ALLOC_KPIS]["children"])


def test_national_stock_is_the_same_figure_on_both_pages(app: dash.Dash,
                                                         services: Services) -> None:
    provinces = int(stock.stock_by_province(services)["on_hand"].sum())
    split = stock.national_on_hand(services)
    assert split == {"provinces": provinces, "central": NATIONAL_STORE,
                     "total": provinces + NATIONAL_STORE}
    on_alloc = allocation_cards(app, None)["Tồn kho"]
    on_report = report_cards(app, "")["Tồn kho"]
    # Same number, same words: every store, the national and regional ones named.
    assert on_alloc == on_report
    assert on_alloc[0] == f"{provinces + NATIONAL_STORE:,}".replace(",", ".") == "12.380"
    assert on_alloc[1] == "liều ở mọi kho, gồm 7.000 ở kho quốc gia và khu vực"


def test_a_provinces_stock_is_the_same_figure_on_both_pages(app: dash.Dash) -> None:
    on_alloc = allocation_cards(app, {"province": "79", "denied": False})["Tồn kho"]
    on_report = report_cards(app, "79")["Tồn kho"]
    assert on_alloc == on_report == ("1.980", "liều ở kho tỉnh, huyện và điểm tiêm")


def test_no_trend_percentage_below_the_minimum_count(services: Services,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    got = progress.province_ranking(services).set_index("province_code")
    busy = got.loc[["01", "79"]]
    assert (busy[["last_7d", "prev_7d"]].min(axis=1) >= progress.MIN_TREND_DOSES).all()
    assert busy["trend_pct"].notna().all() and busy["trend"].isin(["up", "down", "flat"]).all()
    quiet = got.drop(index=["01", "79"])  # provinces without doses: no arrow, no ±100%
    assert (quiet["trend"] == "few").all() and quiet["trend_pct"].isna().all()
    services.cache.expire_version()
    monkeypatch.setattr(progress, "MIN_TREND_DOSES", int(busy["prev_7d"].max()) + 1)
    again = progress.province_ranking(services).set_index("province_code")
    assert again.loc[["01", "79"], "trend_pct"].isna().all()
