"""The screening page through the real Dash endpoint, signed in, on each backend: the queue of
today's check-ins not yet screened (oldest first, scoped: an officer's facility outside their
area is refused), the checklist of the rule set in force that day (4355 in October 2021, 5785
from 21 December 2021) saved with its version and outcome, an overruled outcome without a
reason refused beside its field, and hostile values told beside their field, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from app import create_app
from callbacks.ops import screening as page
from callbacks.shared import ids
from data.auth.roles import Role
from data.models.ops import VaxScreening
from data.ops.commands import checkin, sessions
from data.ops.commands.checkin import PersonForm
from data.settings import Settings
from tests.integration.ops_setup import (
    PASSWORD,
    PERSON,
    SOURCE,
    WOMAN,
    plan,
    principal,
    registration,
    seed_places,
)
from tests.webcalls import log_in, nav_links, ops_nav_call, outputs_of, post, text_of

AN = PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "M")
BINH = PersonForm("CCCD", WOMAN, dt.date(2001, 5, 6), "F", full_name="Trần Thị Bình",
                  phone="0903123456", province_code="79", district_code="760")
OCT_2021, JAN_2022 = dt.date(2021, 10, 15), dt.date(2022, 1, 10)
ITEMS_4355 = ["anaphylaxis_covid_vaccine", "covid_last_6_months", "acute_illness",
              "pregnant_under_13_weeks", "pregnant_13_weeks_or_more",
              "anaphylaxis_grade3_history", "severe_immunodeficiency", "allergy_history",
              "clotting_disorder", "impaired_consciousness"]
ITEMS_5785 = [i for i in ITEMS_4355 if i != "covid_last_6_months"] + [
    "manufacturer_contraindication"]
VITALS = ["temperature_c", "pulse_per_min", "bp_systolic_mmhg", "bp_systolic_mmhg_usual",
          "bp_diastolic_mmhg", "respiratory_rate_per_min"]
SCREENINGS = VaxScreening.__table__


OCTOBER = (OCT_2021, "screening-4355-adult", ITEMS_4355)
JANUARY = (JAN_2022, "screening-5785-adult", ITEMS_5785)
# Tests of scope and hostile input run on the current rule set only (they do not depend on it).
CURRENT_ONLY = pytest.mark.parametrize("day", [JANUARY], ids=["5785"], indirect=True)


@pytest.fixture(params=[OCTOBER, JANUARY], ids=["4355", "5785"])
def day(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
        ) -> tuple[dt.date, str, list[str]]:
    """The desk's today (the page's clock), the rule set in force then and its items."""
    monkeypatch.setattr(page, "local_today", lambda _services: request.param[0])
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def app(settings: Settings, engine: Engine, day: tuple[dt.date, str, list[str]]
        ) -> Iterator[dash.Dash]:
    seed_places(engine)
    registration(engine, "REG000000001")  # Nguyễn Văn An, booked by the registry
    desk = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    today = sessions.create_session(engine, desk, SOURCE, plan(day=day[0], capacity=9))
    checkin.record_checkin(engine, desk, SOURCE, today, AN)
    checkin.record_checkin(engine, desk, SOURCE, today, BINH)
    # Not in today's queue: another day at the same facility, another facility today.
    other_day = sessions.create_session(engine, desk, SOURCE,
                                        plan(day=day[0] - dt.timedelta(days=1)))
    checkin.record_checkin(engine, desk, SOURCE, other_day, AN)
    officer = principal(engine, "huyen.ops", Role.DISTRICT_OFFICER, "001")
    elsewhere = sessions.create_session(engine, officer, SOURCE, plan("F00102", day=day[0]))
    checkin.record_checkin(engine, officer, SOURCE, elsewhere, BINH)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _call(app: dash.Dash, client: FlaskClient, token: str, trigger: tuple[str, str],
          values: dict[str, Any], items: dict[str, Any] | None = None,
          vitals: dict[str, Any] | None = None) -> Any:
    """Post the callback `trigger` fires, as dash-renderer would: every input and state from
    `values` (by "id.property"), the form's radios and vital fields from `items`/`vitals`."""
    key, spec = next((k, v) for k, v in app.callback_map.items()
                     if {"id": trigger[0], "property": trigger[1]} in v["inputs"])
    pattern = {"ops-screening-item": ("item", items or {}),
               "ops-screening-item-error": ("item", items or {}),
               "ops-screening-vital": ("vital", vitals or {}),
               "ops-screening-vital-error": ("vital", vitals or {})}

    def expand(cid: str, prop: str, with_value: bool) -> Any:
        if not cid.startswith("{"):
            entry: dict[str, Any] = {"id": cid, "property": prop}
            if with_value:
                entry["value"] = values.get(f"{cid}.{prop}")
            return entry
        kind = json.loads(cid)["type"]
        name, given = pattern[kind]
        return [{"id": {"type": kind, name: k}, "property": prop,
                 **({"value": v} if with_value else {})} for k, v in given.items()]

    outputs = [expand(*part.rpartition(".")[::2], False)
               for part in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [expand(i["id"], i["property"], True) for i in spec["inputs"]],
            "state": [expand(s["id"], s["property"], True) for s in spec["state"]],
            "changedPropIds": [f"{trigger[0]}.{trigger[1]}"]}
    response = post(client, body, token)
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    return response.get_json()["response"] if response.status_code == 200 else {}


def _queue(app: dash.Dash, client: FlaskClient, token: str, lang: str = "en",
           facility: str | None = None) -> dict[str, Any]:
    return _call(app, client, token, (ids.OPS_SCREENING_FACILITY, "value"),
                 {"shell-lang.data": lang, f"{ids.OPS_SCREENING_FACILITY}.value": facility,
                  f"{ids.OPS_SCREENING_SAVED}.data": 0})


def _labels(out: dict[str, Any]) -> list[str]:
    return [text_of(o["label"]) for o in out[ids.OPS_SCREENING_QUEUE]["options"]]


def _open(app: dash.Dash, client: FlaskClient, token: str, checkin_id: object,
          lang: str = "en", facility: str | None = None) -> dict[str, Any]:
    return _call(app, client, token, (ids.OPS_SCREENING_OPEN, "n_clicks"),
                 {f"{ids.OPS_SCREENING_OPEN}.n_clicks": 1,
                  f"{ids.OPS_SCREENING_QUEUE}.value": checkin_id,
                  f"{ids.OPS_SCREENING_FACILITY}.value": facility, "shell-lang.data": lang})


def _save(app: dash.Dash, client: FlaskClient, token: str, subject: object,
          items: dict[str, Any], vitals: dict[str, Any], decision: object,
          reason: object = "", lang: str = "en") -> dict[str, Any]:
    return _call(app, client, token, (ids.OPS_SCREENING_SAVE, "n_clicks"),
                 {f"{ids.OPS_SCREENING_SAVE}.n_clicks": 1,
                  f"{ids.OPS_SCREENING_DECISION}.value": decision,
                  f"{ids.OPS_SCREENING_REASON}.value": reason,
                  f"{ids.OPS_SCREENING_SUBJECT}.data": subject,
                  f"{ids.OPS_SCREENING_SAVED}.data": 0, "shell-lang.data": lang},
                 items, vitals)


def _pattern_out(out: dict[str, Any], kind: str, name: str) -> dict[str, str]:
    """{key: message} of the pattern-matching outputs of `kind` (the response names each
    matched component by its id as JSON)."""
    found = {}
    for key, value in out.items():
        cid = json.loads(key) if key.startswith("{") else {}
        if cid.get("type") == kind:
            found[cid[name]] = value["children"]
    return found


def _stored(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(SCREENINGS)).mappings()]


def _vitals(**given: Any) -> dict[str, Any]:
    return {v: given.get(v, "") for v in VITALS}


def _open_first(app: dash.Dash, client: FlaskClient, token: str
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    first = _queue(app, client, token)[ids.OPS_SCREENING_QUEUE]["value"]
    opened = _open(app, client, token, first)
    return opened, opened[ids.OPS_SCREENING_SUBJECT]["data"]


def test_the_queue_lists_todays_check_ins_not_yet_screened_oldest_first(
        app: dash.Dash, day: tuple[dt.date, str, list[str]]) -> None:
    client = app.server.test_client()
    token = log_in(client, "bac.si", PASSWORD)
    out = _queue(app, client, token)
    labels = _labels(out)
    assert len(labels) == 2
    assert labels[0].startswith(f"1 Nguyễn Văn An CCCD {PERSON} · aged ")
    assert " · Male · " in labels[0]
    assert labels[1].startswith(f"2 Trần Thị Bình CCCD {WOMAN} · aged 20 · Female · ")
    assert out[ids.OPS_SCREENING_QUEUE_INFO]["children"] == "2 waiting at F00101"
    assert out[page.FACILITY_ERROR]["children"] == ""
    first = out[ids.OPS_SCREENING_QUEUE]["value"]
    assert first == out[ids.OPS_SCREENING_QUEUE]["options"][0]["value"]
    vi = _queue(app, client, token, "vi")
    assert _labels(vi)[1].startswith(f"2 Trần Thị Bình CCCD {WOMAN} · 20 tuổi · Nữ · ")
    assert vi[ids.OPS_SCREENING_QUEUE_INFO]["children"] == "2 người đang chờ tại F00101"


@CURRENT_ONLY
def test_an_officer_names_a_facility_of_their_area_and_is_refused_one_outside_it(
        app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "huyen.badinh", PASSWORD)
    assert _queue(app, client, token)[page.FACILITY_ERROR]["children"] == (
        "Type the code of a vaccination facility in your area.")
    assert len(_labels(_queue(app, client, token, facility=" f00101 "))) == 2
    assert [text_of(o["label"]).split(" · ")[0] for o in _queue(
        app, client, token, facility="F00102")[ids.OPS_SCREENING_QUEUE]["options"]] == [
        f"1 Trần Thị Bình CCCD {WOMAN}"]
    outside = _queue(app, client, token, facility="F76001")
    assert outside[ids.OPS_SCREENING_QUEUE]["options"] == []
    assert outside[page.FACILITY_ERROR]["children"] == "Facility F76001 is not in your area."
    assert _queue(app, client, token, "vi", "F76001")[page.FACILITY_ERROR]["children"] == (
        "Cơ sở F76001 không thuộc địa bàn của bạn.")
    assert _queue(app, client, token, facility="F99999")[page.FACILITY_ERROR]["children"] == (
        "There is no facility with code F99999.")
    # Staff of F00101 may not read F00102's queue, nor open its people from their own desk.
    desk = app.server.test_client()
    desk_token = log_in(desk, "bac.si", PASSWORD)
    assert _queue(app, desk, desk_token, facility="F00102")[page.FACILITY_ERROR]["children"] \
        == "Facility F00102 is not in your area."
    f00102 = _queue(app, client, token, facility="F00102")[ids.OPS_SCREENING_QUEUE]["value"]
    refused = _open(app, desk, desk_token, f00102)
    assert refused[ids.OPS_SCREENING_SUBJECT]["data"] is None
    assert refused[page.QUEUE_ERROR]["children"] == (
        "This person is no longer waiting for screening here today (already screened, or at "
        "another facility).")


@CURRENT_ONLY
def test_a_ministry_leader_is_refused_and_gets_no_nav_link(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "bo.yte", PASSWORD)
    denied = ("Your role does not work vaccination sessions, so this page is not available "
              "to you.")
    out = _queue(app, client, token, facility="F00101")
    assert (out[ids.OPS_SCREENING_QUEUE]["options"], out[page.FACILITY_ERROR]["children"]) == (
        [], denied)
    assert _open(app, client, token, "x" * 32)[page.QUEUE_ERROR]["children"] == denied
    desk = app.server.test_client()
    tabs = nav_links(outputs_of(post(desk, ops_nav_call("en", "/ops/screening"),
                                     log_in(desk, "bac.si", PASSWORD))))[1]
    assert ("/ops/screening", "Screening") in tabs


def test_the_checklist_of_the_day_is_saved_with_its_version_and_outcome(
        app: dash.Dash, engine: Engine, day: tuple[dt.date, str, list[str]]) -> None:
    _today, rule_set_id, items = day
    client = app.server.test_client()
    token = log_in(client, "bac.si", PASSWORD)
    opened, subject = _open_first(app, client, token)
    assert subject["rule_set_id"] == rule_set_id
    form = opened[ids.OPS_SCREENING_FORM]["children"]
    text = text_of(form)
    assert text.startswith("1 Nguyễn Văn An")
    assert ("COVID-19 within the last 6 months" in text) == (rule_set_id.startswith(
        "screening-4355"))
    assert "Normal: 35.5–37.5 °C; outside: Postpone. Measured for: Everyone" in json.dumps(
        form, ensure_ascii=False)
    # Live: allergy history (item 7) is caution; nothing else answered yet.
    answers = dict.fromkeys(items, "no") | {"allergy_history": "yes"}
    live = _call(app, client, token, ('{"item":["ALL"],"type":"ops-screening-item"}', "value"),
                 {f"{ids.OPS_SCREENING_SUBJECT}.data": subject, "shell-lang.data": "en"},
                 {"allergy_history": "yes"}, _vitals())
    shown = " ".join(text_of(live[ids.OPS_SCREENING_OUTCOME]["children"]).split())
    assert shown.startswith("Checklist outcome: Vaccinate with caution Because of: 7 History")
    assert f"Provisional: {len(items) - 1} questions not answered yet" in shown
    assert "not measured yet: Temperature" in shown
    assert live[ids.OPS_SCREENING_DECISION]["value"] == "CAUTION"
    out = _save(app, client, token, subject, answers, _vitals(temperature_c="36,6"), "CAUTION")
    assert out[ids.OPS_SCREENING_STATUS]["children"] == (
        "Saved: Nguyễn Văn An — Vaccinate with caution.")
    assert out[ids.OPS_SCREENING_SAVED]["data"] == 1
    assert out[ids.OPS_SCREENING_SUBJECT]["data"] is None
    [row] = _stored(engine)
    assert (row["checkin_id"], row["rule_set_id"], row["computed_outcome"],
            row["final_decision"], row["decision_reason"], row["vitals"]) == (
        subject["checkin_id"], rule_set_id, "CAUTION", "CAUTION", None, {"temperature_c": 36.6})
    assert row["answers"] == {i: i == "allergy_history" for i in items}
    # The queue moves on: Bình keeps her arrival number.
    after = _queue(app, client, token)
    assert [label.split(" · ")[0] for label in _labels(after)] == [
        f"2 Trần Thị Bình CCCD {WOMAN}"]
    # Saving the same person again (a second desk, a double Enter) is refused.
    again = _save(app, client, token, subject, answers, _vitals(temperature_c="36.6"),
                  "CAUTION")
    assert "no longer waiting" in again[ids.OPS_SCREENING_STATUS]["children"]
    assert len(_stored(engine)) == 1


def test_a_decision_other_than_the_outcome_needs_a_reason_beside_its_field(
        app: dash.Dash, engine: Engine, day: tuple[dt.date, str, list[str]]) -> None:
    items = day[2]
    client = app.server.test_client()
    token = log_in(client, "bac.si", PASSWORD)
    _opened, subject = _open_first(app, client, token)
    answers = dict.fromkeys(items, "no")
    fever = _vitals(temperature_c="38.2")  # above 37.5: postpone
    out = _save(app, client, token, subject, answers, fever, "ELIGIBLE", "  ")
    assert out[page.REASON_ERROR]["children"] == (
        "A reason is required when the decision differs from the checklist's outcome.")
    assert out[ids.OPS_SCREENING_STATUS]["children"] == (
        "Not saved: see the message beside each field.")
    assert _stored(engine) == []
    vi = _save(app, client, token, subject, answers, fever, "ELIGIBLE", "", "vi")
    assert vi[page.REASON_ERROR]["children"] == (
        "Cần ghi lý do khi kết luận khác với kết quả bảng kiểm.")
    done = _save(app, client, token, subject, answers, fever, "ELIGIBLE",
                 "Sốt do vận động, đo lại 37,0")
    assert done[ids.OPS_SCREENING_STATUS]["children"] == (
        "Saved: Nguyễn Văn An — Eligible: vaccinate now.")
    [row] = _stored(engine)
    assert (row["computed_outcome"], row["final_decision"], row["decision_reason"]) == (
        "POSTPONE", "ELIGIBLE", "Sốt do vận động, đo lại 37,0")


@CURRENT_ONLY
@pytest.mark.parametrize(("items", "vitals", "decision", "reason", "where", "message"), [
    ({"acute_illness": 5}, {}, "ELIGIBLE", "", "item:acute_illness",
     "The answer must be yes or no."),
    ({"acute_illness": "maybe"}, {}, "ELIGIBLE", "", "item:acute_illness",
     "The answer must be yes or no."),
    ({"acute_illness": None}, {}, "ELIGIBLE", "", "item:acute_illness",
     "This checklist question needs an answer."),
    # A forged radio of an item the checklist does not ask: told beside it.
    ({"made_up_item": "yes"}, {}, "ELIGIBLE", "", "item:made_up_item",
     "The checklist has no such question."),
    ({}, {"temperature_c": "abc"}, "ELIGIBLE", "", "vital:temperature_c",
     "The vital sign's value is not valid."),
    ({}, {"temperature_c": "500"}, "POSTPONE", "", "vital:temperature_c",
     "Not a plausible value (allowed 30–45); check the measurement."),
    ({}, {"temperature_c": "36.6", "pulse_per_min": "-70"}, "ELIGIBLE", "",
     "vital:pulse_per_min", "The vital sign's value is not valid."),
    ({}, {"temperature_c": ""}, "ELIGIBLE", "", "vital:temperature_c",
     "This vital sign is required."),
    ({}, {"temperature_c": True}, "ELIGIBLE", "", "vital:temperature_c",
     "The vital sign's value is not valid."),
    ({}, {"made_up_vital": "36"}, "ELIGIBLE", "", "vital:made_up_vital",
     "The checklist has no such vital sign."),
    ({}, {}, "MAYBE", "", "decision", "Screening decision MAYBE is not valid."),
    ({}, {}, None, "", "decision", "Choose a decision."),
    ({}, {}, 7, "", "decision", "Screening decision 7 is not valid."),
    ({}, {}, "ELIGIBLE", 12, "reason", "The reason must be text."),
    ({}, {}, "ELIGIBLE", "x" * 501, "reason", "The reason may be at most 500 characters."),
])
def test_hostile_values_are_told_beside_their_field_and_nothing_is_saved(
        app: dash.Dash, engine: Engine, day: tuple[dt.date, str, list[str]],
        items: dict[str, Any], vitals: dict[str, Any], decision: object, reason: object,
        where: str, message: str) -> None:
    client = app.server.test_client()
    token = log_in(client, "bac.si", PASSWORD)
    _opened, subject = _open_first(app, client, token)
    answers = dict.fromkeys(day[2], "no") | items
    measured = _vitals(temperature_c="36.6") | vitals
    out = _save(app, client, token, subject, answers, measured, decision, reason)
    items_out = _pattern_out(out, ids.OPS_SCREENING_ITEM_ERROR, "item")
    vitals_out = _pattern_out(out, ids.OPS_SCREENING_VITAL_ERROR, "vital")
    assert (set(items_out), set(vitals_out)) == (set(answers), set(measured))
    beside = {f"item:{k}": v for k, v in items_out.items() if v}
    beside |= {f"vital:{k}": v for k, v in vitals_out.items() if v}
    if out[page.DECISION_ERROR]["children"]:
        beside["decision"] = out[page.DECISION_ERROR]["children"]
    if out[page.REASON_ERROR]["children"]:
        beside["reason"] = out[page.REASON_ERROR]["children"]
    status = out[ids.OPS_SCREENING_STATUS]["children"]
    assert beside == {where: message}
    assert status == "Not saved: see the message beside each field."
    assert ids.OPS_SCREENING_SAVED not in out  # no_update: the queue does not move
    assert _stored(engine) == []


@CURRENT_ONLY
def test_forged_requests_are_refused_without_a_500(app: dash.Dash, engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "bac.si", PASSWORD)
    _opened, subject = _open_first(app, client, token)
    # A subject that is no check-in, or none at all.
    for forged in ({"checkin_id": "nope", "facility": "F00101"}, None, "text",
                   {"checkin_id": 5, "facility": "F00101"}):
        out = _save(app, client, token, forged, {}, {}, "ELIGIBLE")
        assert out[ids.OPS_SCREENING_STATUS]["children"] in (
            "Choose a person in the queue first.",
            "This person is no longer waiting for screening here today (already screened, "
            "or at another facility).")
    # Another facility's check-in through a subject naming it.
    elsewhere = dict(subject, facility="F00102")
    out = _save(app, client, token, elsewhere, {}, _vitals(temperature_c="36.6"), "ELIGIBLE")
    assert out[ids.OPS_SCREENING_STATUS]["children"] == "Facility F00102 is not in your area."
    # Open: a queue value of the wrong type, an unknown id, an overlong facility.
    for value in (5, None, "", "x" * 65, "unknown-checkin"):
        refused = _open(app, client, token, value)
        assert refused[ids.OPS_SCREENING_SUBJECT]["data"] is None
        assert refused[page.QUEUE_ERROR]["children"]
    long = _queue(app, client, token, facility="F" * 40)
    assert long[page.FACILITY_ERROR]["children"].startswith("There is no facility with code")
    # A list where one value is expected: the request gate answers 400, not 500.
    body = {"output": "x.children", "outputs": {"id": "x", "property": "children"},
            "inputs": [{"id": ids.OPS_SCREENING_DECISION, "property": "value",
                        "value": ["ELIGIBLE", "POSTPONE"]}], "state": [],
            "changedPropIds": []}
    assert post(client, body, token).status_code == 400
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SCREENINGS)).scalar() == 0
