"""The progress page's district coverage through the real web stack: the figures equal the
data layer, scope is applied on the server, and districts with no population say so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.auth.roles import Grant, Principal, Role
from data.mcc import aggregates
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_pages import call, values
from tests.webcalls import outputs_of, page_call, payload, post, text_of

VERSION = {"id": ids.SHELL_VERSION, "property": "data", "value": "1@2021-08-20"}
OUTS = [(ids.PROGRESS_DISTRICT_CHART, "figure"), (ids.PROGRESS_DISTRICT_NOTICE, "children")]
NATIONAL = Principal(0, "t", "t", (Grant(Role.MINISTRY_LEADER, "NATIONAL", None),))


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


def districts(client: tuple[FlaskClient, str], province: str, lang: str = "vi",
              metric: str = "pct_dose1") -> dict[str, Any]:
    res = call(*client, OUTS, [
        VERSION, {"id": ids.SHELL_LANG, "property": "data", "value": lang},
        {"id": ids.PROGRESS_DISTRICT_PROVINCE, "property": "value", "value": province},
        {"id": ids.PROGRESS_MAP_METRIC, "property": "value", "value": metric}])
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return res.get_json()["response"]  # type: ignore[no-any-return]


def test_district_bars_equal_the_data_layer(app: dash.Dash) -> None:
    services: Services = app.server.extensions["vx_services"]
    client = client_for(app, "bo.yte", "/")
    for metric in ("pct_dose1", "pct_fully"):
        bars = districts(client, "01", metric=metric)[ids.PROGRESS_DISTRICT_CHART]["figure"]
        want = aggregates.coverage_by_district(services, "01", NATIONAL)
        want = want[want[metric].notna()].sort_values(metric)
        assert bars["data"][0]["meta"] == want["district_code"].tolist()
        assert values(bars["data"][0]["x"]) == pytest.approx(want[metric].tolist())
        assert len(want) >= 1


def test_no_province_asks_for_one_and_an_officer_starts_on_theirs(app: dash.Dash) -> None:
    leader = districts(client_for(app, "bo.yte", "/"), "")
    assert "Chọn một tỉnh" in str(leader[ids.PROGRESS_DISTRICT_CHART]["figure"]["layout"])
    officer = districts(client_for(app, "tinh01", "/"), "")
    assert officer[ids.PROGRESS_DISTRICT_CHART]["figure"]["data"], "province 01 by default"


def test_another_province_is_refused_on_the_server(app: dash.Dash) -> None:
    out = districts(client_for(app, "tinh01", "/"), "79", lang="en")
    assert out[ids.PROGRESS_DISTRICT_CHART]["figure"]["data"] == []
    assert "permission" in text_of(out[ids.PROGRESS_DISTRICT_NOTICE]["children"]).lower()


def test_a_district_without_population_says_so(app: dash.Dash, engine: Engine) -> None:
    services: Services = app.server.extensions["vx_services"]
    df = aggregates.coverage_by_district(services, "01", NATIONAL)
    code = df[df["doses"] > 0]["district_code"].iloc[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE dim_geography SET district_population = NULL "
                          "WHERE district_code = :c"), {"c": code})
    services.cache.clear()
    out = districts(client_for(app, "bo.yte", "/"), "01")
    note = text_of(out[ids.PROGRESS_DISTRICT_NOTICE]["children"])
    assert "Chưa có số dân" in note and f"({code})" in note
    assert code not in out[ids.PROGRESS_DISTRICT_CHART]["figure"]["data"][0]["meta"]


def _find(page: Any, cid: str) -> dict[str, Any]:
    if isinstance(page, dict):
        props = page.get("props", {})
        if props.get("id") == cid:
            return props  # type: ignore[no-any-return]
        children = [v for v in props.values() if isinstance(v, dict | list)]
        return next((f for f in (_find(c, cid) for c in children) if f), {})
    if isinstance(page, list):
        return next((f for f in (_find(c, cid) for c in page) if f), {})
    return {}


def _page(client: tuple[FlaskClient, str], search: str) -> Any:
    res = post(client[0], page_call("/", search), client[1])
    return outputs_of(res)["_pages_content"]["children"]


def test_url_and_district_panel_agree(app: dash.Dash) -> None:
    leader = client_for(app, "bo.yte", "/")
    # /?province=79 picks Hồ Chí Minh on load; nothing picked without it (or with junk).
    assert _find(_page(leader, "?province=79"), ids.PROGRESS_DISTRICT_PROVINCE)["value"] == "79"
    assert _find(_page(leader, "?province=79"), ids.PROGRESS_URL)["search"] == "?province=79"
    assert _find(_page(leader, ""), ids.PROGRESS_DISTRICT_PROVINCE)["value"] == ""
    assert _find(_page(leader, "?province=7x"), ids.PROGRESS_DISTRICT_PROVINCE)["value"] == ""
    # A pick (map click or list) writes the URL; "whole country" clears it.
    for picked, search in (("01", "?province=01"), ("", ""), ("bad", "")):
        out = outputs_of(post(leader[0], payload(
            [(ids.PROGRESS_URL, "search")],
            [(ids.PROGRESS_DISTRICT_PROVINCE, "value", picked)]), leader[1]))
        assert out[ids.PROGRESS_URL]["search"] == search
    options = outputs_of(post(leader[0], payload([(ids.PROGRESS_DISTRICT_PROVINCE, "options")],
                                                 [(ids.SHELL_LANG, "data", "vi")]), leader[1]))
    assert options[ids.PROGRESS_DISTRICT_PROVINCE]["options"][0] == {"label": "Toàn quốc",
                                                                   "value": ""}
    # A province officer starts on their province, and the selector offers no "whole country".
    officer = client_for(app, "tinh01", "/")
    page = _page(officer, "")
    assert _find(page, ids.PROGRESS_DISTRICT_PROVINCE)["value"] == "01"
    assert _find(page, ids.PROGRESS_URL)["search"] == ""  # the callback writes ?province=01
    assert _find(_page(officer, "?province=79"), ids.PROGRESS_DISTRICT_PROVINCE)["value"] == "79"
    mine = outputs_of(post(officer[0], payload([(ids.PROGRESS_DISTRICT_PROVINCE, "options")],
                                               [(ids.SHELL_LANG, "data", "en")]), officer[1]))
    values_ = [o["value"] for o in mine[ids.PROGRESS_DISTRICT_PROVINCE]["options"]]
    assert "" not in values_ and "01" in values_ and len(values_) == 63
