"""The portal's public figures against the command center on the same data (the small MCC
campaign, both backends): the JSON, the CSV and the page's callback, anonymously; small cells
suppressed everywhere; cache headers; hostile parameters never a 500."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from callbacks.api.schemas_public import PublicFigures
from callbacks.shared import ids
from callbacks.shared.ids_portal import (
    FIG_AEFI,
    FIG_CSV,
    FIG_KPIS,
    FIG_PROVINCES,
    FIG_SORT,
    FIG_STAMP,
    FIG_SUPPLY,
    FIG_VERSION,
    PORTAL_REFRESH,
)
from callbacks.shared.portal_paths import FIGURES, PUBLIC_FIGURES_CSV, PUBLIC_FIGURES_JSON
from callbacks.shared.public_figures import cell
from data.mcc import aefi, aggregates, stock
from data.services import Services
from data.settings import Settings
from tests.integration.mcc_app import campaign_app
from tests.integration.test_portal_shell import PORTAL_CALLBACKS, portal_token, route_call
from tests.webcalls import decoded, payload

OUTPUTS = [(FIG_KPIS, "children"), (FIG_PROVINCES, "children"), (FIG_SUPPLY, "children"),
           (FIG_AEFI, "children"), (FIG_STAMP, "children"), (FIG_SORT, "options"),
           (FIG_CSV, "href"), (FIG_VERSION, "data")]


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    return app.server.test_client()  # anonymous: nobody signs in here


def figures_call(lang: Any = "vi", sort: Any = "coverage", seen: Any = None,
                 changed: str = f"{ids.SHELL_LANG}.data") -> dict[str, Any]:
    return payload(OUTPUTS, [(PORTAL_REFRESH, "n_intervals", 3), (ids.SHELL_LANG, "data", lang),
                             (FIG_SORT, "value", sort)],
                   [(FIG_VERSION, "data", seen)], [changed])


def by_code(rows: list[dict[str, Any]], key: str, code: str) -> dict[str, Any]:
    return next(r for r in rows if r[key] == code)


def test_the_json_figures_are_the_command_centers(client: FlaskClient,
                                                  services: Services) -> None:
    got = client.get(PUBLIC_FIGURES_JSON)
    assert got.status_code == 200
    figs = got.get_json()
    PublicFigures.model_validate(figs)  # the documented shape (not validated per request)
    kpis = aggregates.national_kpis(services)
    assert figs["national"]["doses"] == kpis["doses"] == 360
    assert figs["national"]["dose1"] == kpis["dose1"]
    assert figs["national"]["fully"] == kpis["fully"]
    assert figs["national"]["booster"] == kpis["booster"]
    assert figs["as_of"] == "2021-08-20"
    cov = aggregates.coverage_by_province(services).set_index("province_code")
    for code in ("01", "79"):
        row = by_code(figs["provinces"], "province_code", code)
        assert row["pct_fully"] == cov.at[code, "pct_fully"]
        assert row["pct_dose1"] == cov.at[code, "pct_dose1"]
        assert row["doses"] == cov.at[code, "doses"]
    # Supply: the allocation page's sums of one product.
    az = stock.stock_by_province(services, vaccine="AZ")
    vaccine = by_code(figs["vaccines"], "vaccine_code", "AZ")
    assert vaccine["allocated"] == int(az["allocated"].sum()) == 3000
    assert vaccine["received"] == int(az["received"].sum()) == 3000
    # AEFI: the safety page's cases and doses, nationally and for a province.
    rates = aefi.rates(services, "vaccine")
    cases, doses = int(rates["cases"].sum()), int(rates["doses"].sum())
    assert figs["aefi"]["national"]["cases"] == cases
    assert figs["aefi"]["national"]["rate_per_100k"] == round(1e5 * cases / doses, 2)
    hanoi = aefi.rates(services, "vaccine", province_code="01")
    row = by_code(figs["aefi"]["provinces"], "province_code", "01")
    assert row["cases"] == int(hanoi["cases"].sum())
    assert row["doses"] == int(hanoi["doses"].sum())


def test_small_cells_are_suppressed_in_the_json(client: FlaskClient,
                                                services: Services) -> None:
    figs = client.get(PUBLIC_FIGURES_JSON).get_json()
    assert figs["min_cell"] == 10
    # No registrations in the campaign, no doses 'today' (2021 data): fewer than 10.
    assert figs["national"]["registrations"] is None
    assert "registrations" in figs["national"]["suppressed"]
    # Every AEFI cell follows the rule against the safety page's own counts.
    for code in ("01", "79"):
        r = aefi.rates(services, "vaccine", province_code=code)
        cases, serious = int(r["cases"].sum()), int(r["serious"].sum())
        row = by_code(figs["aefi"]["provinces"], "province_code", code)
        assert row["cases"] == (cases if cases >= 10 else None)
        assert row["serious"] == (serious if serious >= 10 else None)
        assert (row["serious_per_100k"] is None) == (serious < 10)
    suppressed = [r for r in figs["aefi"]["provinces"] if r["serious"] is None]
    assert suppressed, "the campaign has a province with fewer than 10 serious cases"
    assert all({"serious", "serious_per_100k"} <= set(r["suppressed"]) for r in suppressed)
    # A product allocated in one decision of 500 doses is shown; nothing personal anywhere.
    text = client.get(PUBLIC_FIGURES_JSON).get_data(as_text=True)
    assert "Nguyễn Văn" not in text and "0912300" not in text and "AE0" not in text


def test_the_csv_has_its_licence_line_and_shows_suppression(client: FlaskClient) -> None:
    for lang, words in (("vi", "Giấy phép: CC BY 4.0"), ("en", "Licence: CC BY 4.0")):
        got = client.get(f"{PUBLIC_FIGURES_CSV}?lang={lang}")
        assert got.status_code == 200
        assert got.mimetype == "text/csv"
        lines = list(csv.reader(io.StringIO(got.get_data(as_text=True).lstrip("\ufeff"))))
        assert words in lines[0][0]
        assert len(lines[1]) == 6
        national = {r[3]: r[5] for r in lines[2:] if r[1] == "VN" and r[0] == lines[2][0]}
        assert national["doses"] == "360"
        assert national["registrations"] == "< 10"


def test_cache_headers_etag_and_revalidation(client: FlaskClient) -> None:
    got = client.get(PUBLIC_FIGURES_JSON)
    assert got.headers["Cache-Control"] in ("public, max-age=30", "max-age=30, public")
    etag = got.headers["ETag"]
    again = client.get(PUBLIC_FIGURES_JSON, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    refused = client.get(f"{PUBLIC_FIGURES_CSV}?lang=xx")
    assert refused.status_code == 400
    assert refused.headers["Cache-Control"] == "no-store"  # errors never sit in a cache
    # Every other path keeps no-store.
    assert client.get("/portal/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", [
    "?lang=<script>", "?lang=" + "x" * 5000, "?lang=vi&lang=en", "?lang[]=vi", "?utm=1&lang=en",
    "?lang=%00", "?lang=%ff%fe", "?" + "&".join(f"k{i}=v" for i in range(300)),
])
def test_hostile_query_params_never_fail(client: FlaskClient, query: str) -> None:
    for path in (PUBLIC_FIGURES_JSON, PUBLIC_FIGURES_CSV):
        got = client.get(path + query, headers={"If-None-Match": '"x", W/"\x7f"'})
        assert got.status_code in (200, 400), (path, query, got.status_code)
    assert client.post(PUBLIC_FIGURES_JSON).status_code == 405


def test_the_page_and_its_callback_work_anonymously(client: FlaskClient,
                                                    services: Services) -> None:
    token = portal_token(client)
    page = client.post(PORTAL_CALLBACKS, json=route_call(FIGURES, "en"),
                       headers={"X-CSRFToken": token})
    assert page.status_code == 200
    assert "COVID-19 vaccination figures" in decoded(page)
    got = client.post(PORTAL_CALLBACKS, json=figures_call("vi"), headers={"X-CSRFToken": token})
    assert got.status_code == 200, got.get_data(as_text=True)
    text = decoded(got)
    assert "Tổng số liều đã tiêm" in text and '"360"' in text
    assert "< 10" in text  # registrations and small AEFI cells
    assert "Nguyễn Văn" not in text
    version = got.get_json()["response"][FIG_VERSION]["data"]
    assert version == services.cache.version()
    english = decoded(client.post(PORTAL_CALLBACKS, json=figures_call("en", "name"),
                                  headers={"X-CSRFToken": token}))
    assert "Doses given" in english and f"{PUBLIC_FIGURES_CSV}?lang=en" in english
    # A tick of the timer with nothing loaded since: no update, no figures resent.
    idle = client.post(PORTAL_CALLBACKS, json=figures_call(
        "vi", seen=version, changed=f"{PORTAL_REFRESH}.n_intervals"),
        headers={"X-CSRFToken": token})
    assert idle.status_code == 204


@pytest.mark.parametrize("lang,sort,seen", [
    (12345, {"a": 1}, "x"), (None, None, None), ("<b>", "x" * 5000, [1, 2]), ("en", 7, -1)])
def test_hostile_callback_values_never_fail(client: FlaskClient, lang: Any, sort: Any,
                                            seen: Any) -> None:
    token = portal_token(client)
    got = client.post(PORTAL_CALLBACKS, json=figures_call(lang, sort, seen),
                      headers={"X-CSRFToken": token})
    assert got.status_code in (200, 204, 400), got.get_data(as_text=True)


def test_a_suppressed_rate_is_not_written_as_a_small_rate() -> None:
    assert cell(None, "serious_per_100k") == ""
    assert cell(None, "serious") == "< 10"
    assert cell(12.5, "rate_per_100k") == 12.5
