"""record_screening under real concurrency on PostgreSQL: two clinicians saving the same
check-in's screening at the same moment store one screening, and the other hears
"screening.done" (the command's check, or the unique index when both read "not screened yet");
through the API the loser gets a 422 in the API's error shape, never a 500.

PostgreSQL only (SQLite has one writer): defined only when the suite runs on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from callbacks.shared.i18n import t
from data.auth.roles import Role
from data.command_errors import OpsError
from data.ops.commands import checkin, sessions
from data.ops.commands.checkin import PersonForm
from data.ops.commands.screening import latest_attempt, record_screening
from data.ops.rules.screening import rule_set_for
from data.settings import Settings
from tests.conftest import backends
from tests.integration.api_app import api_app, bearer, token_for
from tests.integration.ops_setup import SOURCE, WOMAN, plan, principal, seed_places
from tests.integration.test_ops_record_injection_pg import _in_threads

ROUNDS = 6  # arrivals, each screened by two clinicians at once
DAY = dt.date(2021, 10, 15)
BINH = PersonForm("CCCD", WOMAN, dt.date(2001, 3, 4), "F", full_name="Trần Thị Bình",
                  phone="0987654321", province_code="79", district_code="760")
RULES = rule_set_for(DAY, 20)
ANSWERS = {i.id: False for i in RULES.items}


def _screenings(engine: Engine, cid: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT screening_id FROM vax_screening "
                                      "WHERE checkin_id = :c"), {"c": cid}).scalars())


def _arrival(engine: Engine, session_id: str, r: int) -> str:
    person = replace(BINH, person_id=f"0793012345{r:02d}")
    who = principal(engine, f"le.tan.{r}", Role.FACILITY_STAFF, "F760001")
    return checkin.record_checkin(engine, who, SOURCE, session_id, person).checkin_id


if "postgresql" in backends():

    @pytest.fixture
    def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
        for application in api_app(settings, engine, tmp_path):
            seed_places(engine)  # the lots a session may use
            yield application

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_clinicians_screening_one_checkin_at_once_store_one(
        settings: Settings, engine: Engine, app: dash.Dash
    ) -> None:
        doctors = [principal(engine, f"bac.si.{i}", Role.FACILITY_STAFF, "F760001")
                   for i in (1, 2)]
        sid = sessions.create_session(engine, doctors[0], SOURCE,
                                      plan(facility="F760001", capacity=ROUNDS))
        for r in range(ROUNDS):
            cid = _arrival(engine, sid, r)
            got = _in_threads([
                lambda cid=cid, who=who, decision=decision: record_screening(
                    engine, who, SOURCE, cid, ANSWERS, {"temperature_c": 36.6}, decision,
                    "" if decision == "ELIGIBLE" else "theo dõi thêm")
                for who, decision in zip(doctors, ["ELIGIBLE", "CAUTION"], strict=True)])
            refused = [g for g in got if isinstance(g, OpsError)]
            stored = [g for g in got if not isinstance(g, Exception)]
            assert len(stored) == 1 and len(refused) == 1, got
            assert [(p.field, p.code) for p in refused[0].problems] == [
                ("checkin_id", "screening.done")]
            assert _screenings(engine, cid) == [stored[0].screening_id]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'SCREEN'")
                                ).scalar_one() == ROUNDS

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_the_api_answers_the_loser_with_a_422_not_a_500(
        settings: Settings, engine: Engine, app: dash.Dash, client: FlaskClient, lang: str
    ) -> None:
        tokens = [token_for(client, "coso.760"), token_for(client, "huyen.760")]
        desk = principal(engine, "dieu.phoi", Role.FACILITY_STAFF, "F760001")
        sid = sessions.create_session(engine, desk, SOURCE,
                                      plan(facility="F760001", capacity=ROUNDS))
        for r in range(ROUNDS):
            cid = _arrival(engine, sid, r)
            body = {"checkin_id": cid, "answers": ANSWERS, "vitals": {"temperature_c": 36.6},
                    "final_decision": "ELIGIBLE"}
            clients = [app.server.test_client() for _ in tokens]
            got = _in_threads([
                lambda c=c, token=token, body=body: c.post("/api/v1/screenings", json=body,
                                                headers=bearer(token, lang))
                for c, token in zip(clients, tokens, strict=True)])
            assert sorted(g.status_code for g in got) == [201, 422], [
                g.get_data(as_text=True) for g in got]
            won = next(g for g in got if g.status_code == 201).get_json()
            lost = next(g for g in got if g.status_code == 422).get_json()
            with engine.connect() as conn:
                latest = latest_attempt(conn, cid)
            assert latest is not None and latest["screening_id"] == won["screening_id"]
            local = latest["screened_at"].astimezone(checkin.CAMPAIGN_TZ)
            assert lost == {"errors": [{
                "field": "checkin_id", "code": "screening.done",
                "message": t("screening.done", lang, detail=local.strftime("%H:%M"))}]}
            assert _screenings(engine, cid) == [won["screening_id"]]
