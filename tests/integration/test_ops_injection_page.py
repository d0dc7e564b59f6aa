"""The injection page through the real Dash endpoint, signed in, on each backend: the person
screened today is waiting; choosing them opens the form with the first lot to expire and the
proposed dose preselected and a record_id made; another dose without a reason is refused
beside its fields; the dose is recorded once however often the form is sent; the list moves
on; a ministry leader is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.ops.injection import ERROR_FIELDS
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, write_csv
from tests.integration.injection_setup import (
    ITEMS_5785,
    open_session,
    screened,
    seed_current_lots,
    seed_stock,
)
from tests.integration.ops_setup import PASSWORD, principal, registration
from tests.integration.test_rollups_recompute import _assert_rollups_match
from tests.webcalls import log_in, nav_links, ops_nav_call, outputs_of, payload, post, text_of

PEOPLE_OUT = [(ids.OPS_INJECTION_PEOPLE, "options"), (ids.OPS_INJECTION_PEOPLE, "value"),
              (ids.field_error(ids.OPS_INJECTION_PEOPLE), "children"),
              (ids.OPS_INJECTION_SITE, "options")]
FORM_OUT = [(ids.OPS_INJECTION_FORM, "hidden"), (ids.OPS_INJECTION_PERSON, "children"),
            (ids.OPS_INJECTION_LOT, "options"), (ids.OPS_INJECTION_LOT, "value"),
            (ids.OPS_INJECTION_DOSE, "options"), (ids.OPS_INJECTION_DOSE, "value"),
            (ids.OPS_INJECTION_REASON, "value"), (ids.OPS_INJECTION_SITE, "value"),
            (ids.OPS_INJECTION_RECORD, "data"), (ids.OPS_INJECTION_VACCINATOR, "children"),
            (ids.OPS_INJECTION_STATUS, "children"),
            *[(ids.field_error(f), "children") for f in ERROR_FIELDS],
            (ids.OPS_INJECTION_DONE, "data")]


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    seed_stock(settings, engine, tmp_path)
    seed_current_lots(settings, engine, tmp_path)
    registration(engine, "REG000000001")
    assert load_file(settings, engine, "injections", write_csv(
        tmp_path / "first.csv", [injection("FILE-1")])).loaded == 1  # AZ on 2021-08-01
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()  # as data.clock reads it
    screened(engine, staff, open_session(engine, staff, day=today, vaccines=["AZ"]),
             items=ITEMS_5785)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _people(client: FlaskClient, token: str, lang: str, trigger: str = ids.SHELL_LANG
            ) -> dict[str, Any]:
    body = payload(PEOPLE_OUT, [(ids.SHELL_LANG, "data", lang),
                                (ids.OPS_INJECTION_REFRESH, "n_clicks", 0),
                                (ids.OPS_INJECTION_DONE, "data", "x")],
                   [], [f"{trigger}.data"])
    return outputs_of(post(client, body, token))


def _form(client: FlaskClient, token: str, lang: str, checkin: object, *,
          submit: bool = False, **values: Any) -> dict[str, Any]:
    trigger = f"{ids.OPS_INJECTION_SUBMIT}.n_clicks" if submit \
        else f"{ids.OPS_INJECTION_PEOPLE}.value"
    state = {"lot": None, "dose": None, "reason": "", "site": None, "record": None} | values
    body = payload(FORM_OUT, [(ids.OPS_INJECTION_PEOPLE, "value", checkin),
                              (ids.OPS_INJECTION_SUBMIT, "n_clicks", 1 if submit else 0)],
                   [(ids.OPS_INJECTION_LOT, "value", state["lot"]),
                    (ids.OPS_INJECTION_DOSE, "value", state["dose"]),
                    (ids.OPS_INJECTION_REASON, "value", state["reason"]),
                    (ids.OPS_INJECTION_SITE, "value", state["site"]),
                    (ids.OPS_INJECTION_RECORD, "data", state["record"]),
                    (ids.SHELL_LANG, "data", lang)], [trigger])
    return outputs_of(post(client, body, token))


def _errors(out: dict[str, Any]) -> dict[str, str]:
    return {f: text_of(out[ids.field_error(f)]["children"]) for f in ERROR_FIELDS
            if text_of(out[ids.field_error(f)]["children"])}


def _doses(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM vax_injection")).scalar_one())


def test_choose_the_person_and_record_the_dose_once(app: dash.Dash, engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    listed = _people(client, token, "en")
    options = listed[ids.OPS_INJECTION_PEOPLE]["options"]
    assert [o["label"] for o in options] == ["Nguyễn Văn An · 001090012345 · Eligible"]
    assert [o["label"] for o in listed[ids.OPS_INJECTION_SITE]["options"]] == [
        "Left arm", "Right arm", "Left thigh", "Right thigh"]
    checkin = options[0]["value"]

    opened = _form(client, token, "en", checkin)
    assert opened[ids.OPS_INJECTION_FORM]["hidden"] is False
    person = text_of(opened[ids.OPS_INJECTION_PERSON]["children"])
    assert "Nguyễn Văn An" in person and "1 Aug 2021 AZ Primary 1" in person
    assert "Proposed by the schedule: Primary 2; vaccines: AZ, MOD, PFZ" in person
    lots = opened[ids.OPS_INJECTION_LOT]["options"]
    assert [o["value"] for o in lots] == ["AZ|AZ2611E", "AZ|AZ2612F", "AZ|AZ2110B",
                                          "AZ|AZ2108A"][:len(lots)]
    assert lots[0]["label"] == "AZ · lot AZ2611E · expires 30 Jun 2099 · 40 doses on hand"
    assert opened[ids.OPS_INJECTION_LOT]["value"] == "AZ|AZ2611E"  # first to expire
    assert opened[ids.OPS_INJECTION_DOSE]["value"] == "PRIMARY:2"
    assert "Primary 2 · proposed" in [o["label"] for o in
                                      opened[ids.OPS_INJECTION_DOSE]["options"]]
    record = opened[ids.OPS_INJECTION_RECORD]["data"]
    assert record.startswith("F-") and len(record) == 34
    assert text_of(opened[ids.OPS_INJECTION_VACCINATOR]["children"]) == (
        "Vaccinator: tram.phucxa")

    chosen = {"lot": "AZ|AZ2611E", "site": "LEFT_ARM", "record": record}
    refused = _form(client, token, "en", checkin, submit=True, dose="BOOSTER:1", **chosen)
    assert _errors(refused) == {
        ids.OPS_INJECTION_REASON: "The schedule proposes Primary 2; give a reason to choose "
                                  "another dose.",
        ids.OPS_INJECTION_DOSE: "The schedule does not foresee Booster 1 now; give a reason."}
    assert refused[ids.OPS_INJECTION_STATUS]["children"] == "" and _doses(engine) == 0

    given = _form(client, token, "vi", checkin, submit=True, dose="PRIMARY:2", **chosen)
    assert _errors(given) == {}
    assert given[ids.OPS_INJECTION_STATUS]["children"] == (
        f"Đã ghi Cơ bản 2, AZ lô AZ2611E, Cánh tay trái (mã {record}).")
    assert given[ids.OPS_INJECTION_DONE]["data"] == record
    # Enter pressed twice: the same record, one dose.
    again = _form(client, token, "vi", checkin, submit=True, dose="PRIMARY:2", **chosen)
    assert again[ids.OPS_INJECTION_STATUS]["children"] == given[
        ids.OPS_INJECTION_STATUS]["children"]
    assert _doses(engine) == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT lot_number, dose_number, vaccinator FROM injection "
                                 "WHERE record_id = :r"), {"r": record}).one() == (
            "AZ2611E", 2, "tram.phucxa")
    _assert_rollups_match(engine)
    # The list moves on: nobody is chosen, nobody waits.
    after = _people(client, token, "en", trigger=ids.OPS_INJECTION_DONE)
    assert after[ids.OPS_INJECTION_PEOPLE] == {"options": [], "value": None} | {
        k: v for k, v in after[ids.OPS_INJECTION_PEOPLE].items() if k not in ("options",
                                                                              "value")}
    assert after[ids.field_error(ids.OPS_INJECTION_PEOPLE)]["children"] == (
        "Nobody is waiting for a dose.")
    closed = _form(client, token, "en", None)
    assert closed[ids.OPS_INJECTION_FORM]["hidden"] is True


def test_a_form_out_of_shape_or_a_forged_checkin_is_refused(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    out = _form(client, token, "en", 123, submit=True, lot="no-pipe", dose=7, site="NOSE",
                record=5)
    assert _errors(out) == {ids.OPS_INJECTION_LOT: "Choose a vaccine lot.",
                            ids.OPS_INJECTION_DOSE: "Choose the dose.",
                            ids.OPS_INJECTION_SITE: "Choose the injection site.",
                            ids.OPS_INJECTION_SUBMIT: "Choose the person to vaccinate."}
    forged = _form(client, token, "en", "nope", submit=True, lot="AZ|AZ2611E",
                   dose="PRIMARY:2", site="LEFT_ARM", record="F-x")
    assert _errors(forged) == {ids.OPS_INJECTION_SUBMIT: "Check-in nope was not found."}


def test_a_ministry_leader_is_refused_and_has_no_link(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "bo.yte", PASSWORD)
    listed = _people(client, token, "en")
    assert listed[ids.OPS_INJECTION_PEOPLE]["options"] == []
    assert listed[ids.field_error(ids.OPS_INJECTION_PEOPLE)]["children"] == (
        "Your role does not work vaccination sessions, so this page is not available to you.")
    body = ops_nav_call("en", "/ops/injection")
    assert nav_links(outputs_of(post(client, body, token)))[1] == []  # no day tab for them
    staff = app.server.test_client()
    tabs = nav_links(outputs_of(post(staff, body, log_in(staff, "tram.phucxa", PASSWORD))))[1]
    assert ("/ops/injection", "Injection") in tabs
