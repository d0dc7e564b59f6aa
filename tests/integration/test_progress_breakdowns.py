"""The progress page's breakdowns, ranking and target through the real web stack: forged
callback POSTs from a signed-in user against the small campaign, on every backend; the figures
must carry exactly what data.mcc.progress computes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.mcc.progress_breakdowns import BREAKDOWN_OUTPUTS
from callbacks.shared import ids
from data.mcc import progress
from data.services import Services
from data.settings import Settings
from tests.integration.test_mcc_campaign import load_campaign
from tests.integration.test_mcc_pages import call, values
from tests.integration.test_web_security import add_user, csrf_cookie, log_in

VERSION = {"id": ids.SHELL_VERSION, "property": "data", "value": "1@2021-08-20"}


def lang_in(lang: str) -> dict[str, Any]:
    return {"id": ids.SHELL_LANG, "property": "data", "value": lang}


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    load_campaign(settings, engine, tmp_path)
    application = create_app(settings)
    services: Services = application.server.extensions["vx_services"]
    add_user(services, "bo.yte")
    yield application
    services.engine.dispose()


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


@pytest.fixture
def client(app: dash.Dash) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    assert log_in(client, "bo.yte").status_code == 302
    client.get("/")
    return client, csrf_cookie(client)


def figures(client: tuple[FlaskClient, str], lang: str = "vi") -> dict[str, Any]:
    res = call(*client, [(i, "figure") for i in BREAKDOWN_OUTPUTS], [VERSION, lang_in(lang)])
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return {i: res.get_json()["response"][i]["figure"] for i in BREAKDOWN_OUTPUTS}


def by_meta(fig: dict[str, Any], key: str = "y") -> dict[str, list[Any]]:
    return {tr["meta"]: values(tr[key]) for tr in fig["data"]}


def test_breakdowns_equal_the_data_layer(client: tuple[FlaskClient, str],
                                         services: Services) -> None:
    figs = figures(client)
    for fig_id, by in ((ids.PROGRESS_BY_GROUP, "priority_group"), (ids.PROGRESS_BY_SEX, "sex")):
        want = progress.coverage_by_group(services, by)  # type: ignore[arg-type]
        got = by_meta(figs[fig_id])
        for col in ("dose1", "fully", "booster"):
            assert got[col] == want[col].tolist(), (fig_id, col)
        assert sum(got["dose1"]) > 0
    sexes = figs[ids.PROGRESS_BY_SEX]["data"][0]["x"]
    assert set(sexes) <= {"Nam", "Nữ"}
    ages = progress.coverage_by_group(services, "age_band").set_index("age_band")
    for trace in figs[ids.PROGRESS_BY_AGE]["data"]:
        bands = [lbl.split("<br>")[0] for lbl in trace["x"]]
        assert bands == sorted(bands, key=["0-4", "5-11", "12-17", "18-64", "65+"].index)
        assert values(trace["y"]) == pytest.approx(ages.loc[bands, trace["meta"]].tolist())
    # The denominators are in the category labels, in Vietnamese number format (1.800).
    labels = figs[ids.PROGRESS_BY_AGE]["data"][0]["x"]
    assert "18-64<br>dân số 1.800" in labels and "65+<br>dân số 400" in labels, labels
    pie = figs[ids.PROGRESS_BY_VACCINE]["data"][0]
    vaccines = progress.coverage_by_vaccine(services)
    assert pie["labels"] == vaccines["vaccine_code"].tolist()
    assert values(pie["values"]) == vaccines["doses"].tolist()
    drop = progress.dropout_by_vaccine(services)
    bars = figs[ids.PROGRESS_DROPOUT]["data"][0]
    assert bars["x"] == drop["vaccine_code"].tolist() and len(bars["x"]) >= 1
    assert values(bars["y"]) == pytest.approx(drop["dropout_pct"].tolist())
    assert figs[ids.PROGRESS_BY_GROUP]["layout"]["separators"] == ",."


def test_ranking_with_trend_arrows(client: tuple[FlaskClient, str], services: Services) -> None:
    outs = [(ids.PROGRESS_RANKING, "columnDefs"), (ids.PROGRESS_RANKING, "rowData"),
            (ids.PROGRESS_RANKING, "dashGridOptions")]
    res = call(*client, outs, [VERSION, lang_in("en")]).get_json()["response"]
    rows = res[ids.PROGRESS_RANKING]["rowData"]
    want = progress.province_ranking(services)
    assert [r["province_name"] for r in rows] == want["province_name"].tolist()
    assert [r["rank"] for r in rows] == [None if pd.isna(r) else int(r) for r in want["rank"]]
    assert rows[0]["rank"] == 1  # provinces without a population come last, unranked
    first = want.iloc[0]
    assert rows[0]["last_7d"] == int(first["last_7d"])
    arrow = {"up": "▲", "down": "▼", "flat": "▶"}[first["trend"]]
    assert rows[0]["trend"].startswith(arrow)
    headers = [c["headerName"] for c in res[ids.PROGRESS_RANKING]["columnDefs"]]
    assert "7-day trend" in headers


def target_call(client: tuple[FlaskClient, str], value: Any, lang: str = "vi") -> Any:
    outs = [(ids.PROGRESS_TARGET_KPIS, "children"), (ids.PROGRESS_TARGET_CHART, "figure")]
    res = call(*client, outs, [VERSION, lang_in(lang),
                               {"id": ids.PROGRESS_TARGET, "property": "value", "value": value}])
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    return res.get_json()["response"]


def test_target_gap_kpi_and_chart(client: tuple[FlaskClient, str], services: Services) -> None:
    from tests.webcalls import text_of
    res = target_call(client, 70)
    gap = progress.target_gap(services, 70.0, "fully", "18+").set_index("province_code")
    kpis = text_of(res[ids.PROGRESS_TARGET_KPIS]["children"])
    nation = gap.loc["VN"]
    assert int(nation["population"]) == 2200  # 700 + 1500 people aged 18+
    gap_text = f"{int(nation['gap']):,}".replace(",", ".")
    assert gap_text in kpis and "70%" in kpis and "Còn thiếu" in kpis
    bars = res[ids.PROGRESS_TARGET_CHART]["figure"]["data"][0]
    shown = dict(zip(bars["x"], values(bars["y"]), strict=True))
    for code in ("01", "79"):
        assert shown[gap.loc[code, "province_name"]] == pytest.approx(gap.loc[code, "pct"])
    # Another target moves the gap; nonsense falls back to the default.
    higher = progress.target_gap(services, 90.0, "fully", "18+").set_index("province_code")
    assert f"{int(higher.loc['VN', 'gap']):,}" in text_of(
        target_call(client, 90, "en")[ids.PROGRESS_TARGET_KPIS]["children"])
    assert gap_text in text_of(target_call(client, "abc")[ids.PROGRESS_TARGET_KPIS]["children"])


def test_breakdowns_need_a_session(app: dash.Dash) -> None:
    anonymous = app.server.test_client()
    res = call(anonymous, "x", [(i, "figure") for i in BREAKDOWN_OUTPUTS], [VERSION,
                                                                             lang_in("vi")])
    assert res.status_code == 401


def test_a_page_ahead_of_this_worker_gets_the_new_figures(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Another worker told the page of a load; this one (re-reading the version only hourly
    here) must not answer with the figures of the version before."""
    from sqlalchemy import text

    from data.clock import local_today
    from data.version import bump_version
    from tests.webcalls import outputs_of, overview_call, post

    load_campaign(settings, engine, tmp_path)
    application = create_app(settings.with_(version_poll_s=3600.0))
    services: Services = application.server.extensions["vx_services"]
    add_user(services, "bo.yte")
    client = application.server.test_client()
    assert log_in(client, "bo.yte").status_code == 302
    client.get("/")
    token = csrf_cookie(client)

    def today_kpi(version: int) -> tuple[str, str]:
        body = overview_call()
        body["inputs"][0]["value"] = f"{version}@{local_today(services).isoformat()}"
        out = outputs_of(post(client, body, token))
        return (str(out[ids.PROGRESS_KPI_TODAY_LABEL]["children"]),
                str(out[ids.PROGRESS_KPI_TODAY]["children"]))

    before = services.cache.version()
    # The campaign lies in 2021: the card shows its last day, not '0 today'.
    last_day = ("Số mũi ngày 20/08/2021", "14")
    assert today_kpi(before) == last_day
    day = local_today(services)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agg_doses_daily VALUES (:dk, 1, 1, 66)"),
                     {"dk": day.year * 10000 + day.month * 100 + day.day})
        bump_version(conn)
    assert today_kpi(before) == last_day  # a page still on the old version: this worker too
    assert today_kpi(before + 1) == ("Số mũi tiêm hôm nay", "66")
    services.engine.dispose()
