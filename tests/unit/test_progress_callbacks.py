"""Progress and shell callbacks called directly against a real SQLite database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dash
import plotly.graph_objects as go
import pytest
from sqlalchemy import text

from callbacks.mcc import progress
from callbacks.shared import ids, shell
from data.clock import local_today
from data.migrate import upgrade
from data.services import Services, build_services
from data.settings import load_settings
from data.version import bump_version
from tests.figdata import values


def key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


@pytest.fixture()
def svc(tmp_path: Path) -> Iterator[Services]:
    services = build_services(load_settings(database_url=f"sqlite:///{tmp_path}/t.db"))
    upgrade(services.engine)
    today = local_today(services)
    with services.engine.begin() as conn:
        conn.execute(text(
            "UPDATE dim_geography SET province_population = CASE province_code "
            "WHEN '01' THEN 1000000 WHEN '79' THEN 2000000 END "
            "WHERE province_code IN ('01', '79')"
        ))
        conn.execute(text("INSERT INTO agg_doses_district VALUES (:d, :v, :k, :p, :n)"), [
            {"d": "001", "v": 1, "k": 1, "p": "01", "n": 600_000},  # AZ dose 1
            {"d": "001", "v": 1, "k": 2, "p": "01", "n": 400_000},  # AZ dose 2: fully
            {"d": "001", "v": 6, "k": 1, "p": "01", "n": 50_000},   # Janssen: first and fully
            {"d": "760", "v": 1, "k": 5, "p": "79", "n": 123_456},  # booster
        ])
        conn.execute(text("INSERT INTO agg_doses_daily VALUES (:dk, 1, :k, :n)"), [
            {"dk": key(today), "k": 1, "n": 1000},
            {"dk": key(today), "k": 5, "n": 234},
            {"dk": key(today - dt.timedelta(days=1)), "k": 2, "n": 5000},
        ])
    yield services
    services.engine.dispose()


def overview(svc: Services, lang: str) -> dict[str, object]:
    values = progress.update_overview(svc, lang)
    names = [*progress.KPI_OUTPUTS, ids.PROGRESS_DAILY, ids.PROGRESS_UPDATED]
    return dict(zip(names, values, strict=True))


def test_kpis_in_vietnamese(svc: Services) -> None:
    out = overview(svc, "vi")
    assert out[ids.PROGRESS_KPI_DOSES] == "1.173.456"
    assert out[ids.PROGRESS_KPI_DOSE1] == "650.000"
    assert out[ids.PROGRESS_KPI_DOSE1_PCT] == "21,7% dân số"
    assert out[ids.PROGRESS_KPI_FULLY] == "450.000"
    assert out[ids.PROGRESS_KPI_FULLY_PCT] == "15,0% dân số"
    assert out[ids.PROGRESS_KPI_BOOSTER] == "123.456"
    assert out[ids.PROGRESS_KPI_TODAY] == "1.234"
    today = local_today(svc)
    assert out[ids.PROGRESS_KPI_TODAY_DATE] == f"ngày {today:%d/%m/%Y}"
    assert f"dữ liệu đến ngày {today:%d/%m/%Y}" in str(out[ids.PROGRESS_UPDATED])


def test_kpis_in_english_and_daily_chart(svc: Services) -> None:
    out = overview(svc, "en")
    assert out[ids.PROGRESS_KPI_DOSES] == "1,173,456"
    assert out[ids.PROGRESS_KPI_DOSE1_PCT] == "21.7% of the population"
    assert out[ids.PROGRESS_KPI_TODAY] == "1,234"
    assert isinstance(out[ids.PROGRESS_DAILY], dict)  # kept as the dict Dash sends
    fig = go.Figure(out[ids.PROGRESS_DAILY])
    by_meta = {tr.meta: values(tr.y) for tr in fig.data}
    assert by_meta["PRIMARY"] == [5000, 1000] and by_meta["BOOSTER"] == [0, 234]
    assert {tr.name for tr in fig.data} >= {"Primary", "Booster", "7-day average"}


def test_map_is_full_once_then_patched(svc: Services) -> None:
    sent, built = progress.update_map(svc, "vi", "pct_dose1", False)
    assert built is True and isinstance(sent, dict)
    fig = go.Figure(sent)
    z = dict(zip(fig.data[0].locations, values(fig.data[0].z), strict=True))
    assert z["01"] == pytest.approx(65.0) and z["79"] == 0.0
    patch, built = progress.update_map(svc, "en", "pct_fully", True)
    assert isinstance(patch, dash.Patch) and built is True
    ops = {tuple(op["location"]): op["params"]["value"]
           for op in patch.to_plotly_json()["operations"]}
    assert "geojson" not in str(ops)
    locations = list(fig.data[0].locations)
    assert ops[("data", 0, "z")][locations.index("01")] == pytest.approx(45.0)


def test_version_poll_reports_only_changes(svc: Services) -> None:
    first = shell.poll_version(svc, None)
    version, day = first.split("@")
    assert day == local_today(svc).isoformat()
    assert shell.poll_version(svc, first) is dash.no_update
    with svc.engine.begin() as conn:
        conn.execute(text("INSERT INTO agg_doses_daily VALUES (:dk, 1, 4, 66)"),
                     {"dk": key(local_today(svc))})
        bump_version(conn)
    svc.cache.expire_version()
    assert shell.poll_version(svc, first) == f"{int(version) + 1}@{day}"
    # New version, new cache keys: the page shows the new rows.
    assert overview(svc, "vi")[ids.PROGRESS_KPI_TODAY] == "1.300"


def test_language_sync_and_translation() -> None:
    # First load: nothing stored -> default everywhere.
    assert shell.sync_lang(None, None, None, "vi") == ("vi", "vi")
    # Stored English wins over the default and moves the switch.
    assert shell.sync_lang(ids.SHELL_LANG, None, "en", "vi") == (dash.no_update, "en")
    # The user flips the switch: store it.
    assert shell.sync_lang(ids.SHELL_LANG_SWITCH, "en", "vi", "vi") == ("en", dash.no_update)
    labels = [ids.text("kpi.today"), ids.text("live")]
    assert shell.translate("en", labels) == ["Doses today", "Live"]
    assert shell.translate(None, labels) == ["Số mũi tiêm hôm nay", "Trực tiếp"]


def test_app_builds_twice_with_its_own_callbacks(tmp_path: Path) -> None:
    from app import create_app

    settings = load_settings(database_url=f"sqlite:///{tmp_path}/twice.db", refresh_ms=500)
    first, second = create_app(settings), create_app(settings)
    for app in (first, second):
        assert any(ids.PROGRESS_KPI_TODAY in key for key in app.callback_map)
        client = app.server.test_client()
        assert client.get("/login").status_code == 200
        assert client.get("/").status_code == 302  # each app gates its own pages
        app.server.extensions["vx_services"].engine.dispose()
    assert first.server is not second.server


def test_a_worker_behind_the_page_never_serves_older_data(svc: Services) -> None:
    # Worker B re-reads the version only hourly here, so without the page's version it would
    # keep serving what it read before the load.
    other = build_services(svc.settings.with_(version_poll_s=3600.0))
    try:
        assert overview(other, "vi")[ids.PROGRESS_KPI_TODAY] == "1.234"
        with svc.engine.begin() as conn:
            conn.execute(text("INSERT INTO agg_doses_daily VALUES (:dk, 1, 4, 66)"),
                         {"dk": key(local_today(svc))})
            bump_version(conn)
        svc.cache.expire_version()
        stamp = shell.poll_version(svc, None)  # worker A tells the page of the new version
        assert overview(other, "vi")[ids.PROGRESS_KPI_TODAY] == "1.234"  # B: still behind
        # B is never made to announce an older version than the page holds...
        assert shell.poll_version(other, stamp) is dash.no_update
        # ...and, told the page's version, it serves the new figures.
        assert overview(other, "vi")[ids.PROGRESS_KPI_TODAY] == "1.300"
    finally:
        other.engine.dispose()


def test_client_version_is_read_from_the_callback_body() -> None:
    body = {"inputs": [{"id": ids.SHELL_LANG, "property": "data", "value": "vi"}],
            "state": [{"id": ids.SHELL_VERSION, "property": "data", "value": "42@2021-10-01"}]}
    assert shell.client_version(body) == 42
    assert shell.client_version({"inputs": [{"id": ids.SHELL_VERSION, "value": None}]}) is None
    assert shell.client_version({"inputs": [{"id": ids.SHELL_VERSION, "value": "x@y"}]}) is None
    assert shell.client_version(["not", "a", "dict"]) is None


def test_the_day_card_names_the_last_day_when_none_is_today(svc: Services) -> None:
    today = local_today(svc)
    with svc.engine.begin() as conn:
        conn.execute(text("DELETE FROM agg_doses_daily WHERE date_key = :k"), {"k": key(today)})
        bump_version(conn)
    svc.cache.expire_version()
    yesterday = today - dt.timedelta(days=1)
    out = overview(svc, "vi")
    # A campaign whose data end yesterday does not read '0 doses today'.
    assert out[ids.PROGRESS_KPI_TODAY_LABEL] == f"Số mũi ngày {yesterday:%d/%m/%Y}"
    assert out[ids.PROGRESS_KPI_TODAY] == "5.000"
    assert out[ids.PROGRESS_KPI_TODAY_DATE] == "ngày cuối có số liệu · hôm nay: 0"
    assert overview(svc, "en")[ids.PROGRESS_KPI_TODAY_LABEL].startswith("Doses on ")


def test_the_day_card_says_today_when_doses_arrive_today(svc: Services) -> None:
    out = overview(svc, "en")
    assert out[ids.PROGRESS_KPI_TODAY_LABEL] == "Doses today"
    assert out[ids.PROGRESS_KPI_TODAY] == "1,234"
