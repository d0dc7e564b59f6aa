"""The portal's self-report and health declaration pages, called as an anonymous visitor with
the CSRF token (dash-renderer's posts, built by hand): identification answers a wrong
combination as an unknown person, only the last 28 days' doses are offered, the report and the
declaration are recorded, errors sit beside their fields in the page's language, and the
buttons are rate-limited per client address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from callbacks.portal import citizen
from callbacks.portal import declaration as dc_page
from callbacks.portal import self_report as sr_page
from callbacks.shared import ids, portal_paths
from callbacks.shared.ids_portal import (
    DC_CONTACT,
    DC_DOB,
    DC_ID,
    DC_NAME,
    DC_PROVINCE,
    DC_STATUS,
    DC_SUBMIT,
    DC_SYMPTOMS,
    DC_TRAVEL,
    SR_DOB,
    SR_DOSE,
    SR_FIND,
    SR_FORM,
    SR_HOSPITAL,
    SR_ID,
    SR_NAME,
    SR_ONSET,
    SR_REACTIONS,
    SR_STATUS,
    SR_SUBMIT,
    SR_TEXT,
)
from data.settings import Settings
from tests.factories import scalar
from tests.integration.citizen_setup import PERSON, dose_days_ago, facilities, today
from tests.integration.test_portal_shell import PORTAL_CALLBACKS, portal_token, route_call
from tests.webcalls import decoded, outputs_of, payload_in

WHO = (PERSON, "nguyễn văn an", "02/01/1990")


@pytest.fixture
def doses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    facilities(settings, engine, tmp_path)
    dose_days_ago(engine, "R29", 29)
    dose_days_ago(engine, "R3", 3, dose_number=2)


def _portal(app: dash.Dash) -> dash.Dash:
    return app.server.extensions["vx_portal"]  # type: ignore[no-any-return]


def _find_call(portal: dash.Dash, who: tuple[str, str, str], lang: str = "vi") -> dict:
    outs = [(ids.field_error(f), "children") for f in sr_page.FIND_ERRORS]
    outs += [(SR_DOSE, "options"), (SR_DOSE, "value"), (SR_FORM, "hidden"),
             (SR_ONSET, "value"), (SR_STATUS, "children")]
    state = [(f, "value", v) for f, v in zip((SR_ID, SR_NAME, SR_DOB), who, strict=True)]
    return payload_in(portal, outs, [(SR_FIND, "n_clicks", 1), (SR_DOB, "n_submit", 0)],
                      [*state, (ids.SHELL_LANG, "data", lang)], [f"{SR_FIND}.n_clicks"])


def _submit_call(portal: dash.Dash, values: dict[str, Any], lang: str = "vi") -> dict:
    outs = [(ids.field_error(f), "children") for f in sr_page.SUBMIT_ERRORS]
    outs += [(SR_STATUS, "children"), (SR_REACTIONS, "value"), (SR_TEXT, "value")]
    fields = (SR_ID, SR_NAME, SR_DOB, SR_DOSE, SR_ONSET, SR_REACTIONS, SR_TEXT, SR_HOSPITAL)
    state = [(f, "value", values.get(f)) for f in fields]
    return payload_in(portal, outs, [(SR_SUBMIT, "n_clicks", 1)],
                      [*state, (ids.SHELL_LANG, "data", lang)], [f"{SR_SUBMIT}.n_clicks"])


def _dc_call(portal: dash.Dash, values: dict[str, Any], lang: str = "vi") -> dict:
    outs = [(ids.field_error(f), "children") for f in dc_page.ERRORS]
    outs.append((DC_STATUS, "children"))
    state = [(f, "value", values.get(f)) for f in dc_page.FIELDS]
    return payload_in(portal, outs, [(DC_SUBMIT, "n_clicks", 1)],
                      [*state, (ids.SHELL_LANG, "data", lang)], [f"{DC_SUBMIT}.n_clicks"])


def _post(client: FlaskClient, body: dict, token: str) -> dict[str, dict[str, Any]]:
    return outputs_of(client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": token}))


def test_both_pages_open_for_anyone_in_either_language(client: FlaskClient) -> None:
    token = portal_token(client)
    for path, vi, en in ((portal_paths.SELF_REPORT, "Báo phản ứng sau tiêm",
                          "Report a reaction after vaccination"),
                         (portal_paths.DECLARATION, "Khai báo y tế", "Health declaration")):
        text = decoded(client.post(PORTAL_CALLBACKS, json=route_call(path),
                                   headers={"X-CSRFToken": token}))
        assert vi in text and "Số CCCD / CMND / hộ chiếu" in text
        english = decoded(client.post(PORTAL_CALLBACKS, json=route_call(path, "en"),
                                      headers={"X-CSRFToken": token}))
        assert en in english and "Identity card or passport number" in english


def test_a_self_report_from_the_portal(client: FlaskClient, app: dash.Dash,
                                       doses: None) -> None:
    portal, token = _portal(app), portal_token(client)
    # No CSRF token: refused before the callback runs.
    refused = client.post(PORTAL_CALLBACKS, json=_find_call(portal, WHO))
    assert refused.status_code in (400, 403)
    wrong = _post(client, _find_call(portal, (PERSON, "Nguyễn Văn Ân", WHO[2])), token)
    unknown = _post(client, _find_call(portal, ("001090000099", *WHO[1:])), token)
    not_found = "Không tìm thấy người có số giấy tờ, họ tên và ngày sinh này"
    assert not_found in wrong[ids.field_error(SR_FIND)]["children"]
    assert wrong == unknown  # the same answer, every output
    assert wrong[SR_FORM]["hidden"] is True
    found = _post(client, _find_call(portal, WHO, "en"), token)
    assert [o["value"] for o in found[SR_DOSE]["options"]] == ["R3"]  # not the 29-day-old
    assert found[SR_DOSE]["value"] == "R3" and found[SR_FORM]["hidden"] is False
    assert "AZ" in found[SR_DOSE]["options"][0]["label"]
    assert found[SR_ONSET]["value"] == f"{today():%d/%m/%Y}"
    values = {SR_ID: WHO[0], SR_NAME: WHO[1], SR_DOB: WHO[2], SR_DOSE: "R3",
              SR_ONSET: "31/02/2021", SR_REACTIONS: ["FEVER"], SR_TEXT: "", SR_HOSPITAL: []}
    bad = _post(client, _submit_call(portal, values, "en"), token)
    assert bad[ids.field_error(SR_ONSET)]["children"] == "Enter the date as dd/mm/yyyy."
    before = f"{today().replace(year=today().year - 1):%d/%m/%Y}"
    bad = _post(client, _submit_call(portal, values | {SR_ONSET: before}, "en"), token)
    assert "cannot begin before the dose" in bad[ids.field_error(SR_ONSET)]["children"]
    assert scalar(client.application.extensions["vx_services"].engine,
                  "SELECT COUNT(*) FROM aefi_report") == 0
    ok = _post(client, _submit_call(portal, values | {
        SR_ONSET: f"{today():%d/%m/%Y}", SR_REACTIONS: ["FEVER", "MYALGIA"],
        SR_TEXT: "đau tay"}), token)
    assert "Đã ghi nhận báo cáo" in ok[SR_STATUS]["children"]
    assert ok[SR_REACTIONS]["value"] == [] and ok[SR_TEXT]["value"] == ""
    engine = client.application.extensions["vx_services"].engine
    assert scalar(engine, "SELECT symptoms FROM aefi_report") == "sốt; đau cơ; đau tay"
    assert scalar(engine, "SELECT channel FROM vax_aefi_self_report") == "PORTAL"
    # The 29-day-old dose, forged into the post: refused by the command.
    late = _post(client, _submit_call(portal, values | {SR_DOSE: "R29",
                                                        SR_ONSET: f"{today():%d/%m/%Y}"}),
                 token)
    assert "28 ngày" in late[ids.field_error(SR_DOSE)]["children"]
    # Hostile values: refused beside the fields, never a 500.
    hostile = _post(client, _submit_call(portal, {SR_ID: 5, SR_NAME: True, SR_DOB: 5,
                                                  SR_DOSE: 7, SR_ONSET: None,
                                                  SR_REACTIONS: "FEVER", SR_TEXT: 3,
                                                  SR_HOSPITAL: "YES"}), token)
    assert hostile[ids.field_error(SR_ID)]["children"] == "Hãy nhập số giấy tờ."
    codes = _post(client, _submit_call(portal, values | {
        SR_ONSET: f"{today():%d/%m/%Y}", SR_REACTIONS: ["x" * 60, "FEVER"], SR_TEXT: 3}),
        token)
    assert "Phản ứng không có trong danh sách" in \
        codes[ids.field_error(SR_REACTIONS)]["children"]
    assert scalar(engine, "SELECT COUNT(*) FROM aefi_report") == 1


def test_the_declaration_from_the_portal(client: FlaskClient, app: dash.Dash,
                                         doses: None) -> None:
    portal, token = _portal(app), portal_token(client)
    values = {DC_ID: WHO[0], DC_NAME: WHO[1], DC_DOB: WHO[2], DC_SYMPTOMS: ["COUGH"],
              DC_CONTACT: None, DC_TRAVEL: "YES", DC_PROVINCE: None}
    bad = _post(client, _dc_call(portal, values, "en"), token)
    assert bad[ids.field_error(DC_CONTACT)]["children"] == "Choose Yes or No."
    bad = _post(client, _dc_call(portal, values | {DC_CONTACT: "NO"}, "en"), token)
    assert bad[ids.field_error(DC_PROVINCE)]["children"] == \
        "Choose the province you travelled to."
    ok = _post(client, _dc_call(portal, values | {DC_CONTACT: "NO", DC_PROVINCE: "79"}), token)
    assert f"Đã ghi nhận khai báo ngày {today():%d/%m/%Y}" in ok[DC_STATUS]["children"]
    again = _post(client, _dc_call(portal, values | {DC_CONTACT: "YES", DC_TRAVEL: "NO"},
                                   "en"), token)
    assert "replaces the earlier one" in again[DC_STATUS]["children"]
    engine = client.application.extensions["vx_services"].engine
    assert scalar(engine, "SELECT COUNT(*) FROM vax_health_declaration") == 1
    assert scalar(engine, "SELECT with_contact FROM agg_health_declaration_daily") == 1
    assert scalar(engine, "SELECT with_travel FROM agg_health_declaration_daily") == 0
    wrong = _post(client, _dc_call(portal, values | {DC_NAME: "Lê Văn B", DC_CONTACT: "NO"}),
                  token)
    assert "Không tìm thấy người" in wrong[ids.field_error(DC_SUBMIT)]["children"]


def test_identification_is_rate_limited_per_address(client: FlaskClient, app: dash.Dash,
                                                    doses: None) -> None:
    portal, token = _portal(app), portal_token(client)
    per_minute = int(citizen.FIND_LIMITS[0].split()[0])
    answers = [_post(client, _find_call(portal, ("001090000099", *WHO[1:])), token)
               for _ in range(per_minute + 1)]
    assert all("Không tìm thấy" in a[ids.field_error(SR_FIND)]["children"]
               for a in answers[:per_minute])
    assert "Quá nhiều lần thử" in answers[-1][ids.field_error(SR_FIND)]["children"]
    # Even the right combination waits now.
    right = _post(client, _find_call(portal, WHO), token)
    assert right[SR_FORM]["hidden"] is True
