"""The registration look-up (waiting, invited, vaccinated; one "not found" for every wrong
pair) and one registration per identity under concurrent submissions (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, insert, text

from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import t
from data.clock import local_today
from data.models.ops import VaxBooking, VaxSession
from data.portal.registration import AlreadyRegistered, SelfRegistration, register_self
from data.portal.registration_status import INVITED, VACCINATED, WAITING, look_up
from data.services import Services
from tests.conftest import backends
from tests.integration.ops_setup import AZ_LOT, dose, seed_places
from tests.integration.portal_calls import PORTAL_CALLBACKS, portal_of, token_of
from tests.webcalls import decoded, payload_in

FORM = SelfRegistration(person_id="001090012345", id_type="CCCD", full_name="Nguyễn Văn An",
                        birth_date="1990-01-02", sex="M", phone="0912345678",
                        priority_group="0", province_code="01", district_code="001")
BIRTH = dt.date(1990, 1, 2)


def _register(services: Services, form: SelfRegistration = FORM) -> str:
    return register_self(services.engine, form, "vi", services.settings.timezone, "10.0.0.9")


def _invite(engine: Engine, person: str, code: str, day: dt.date) -> None:
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        conn.execute(insert(VaxSession.__table__).values(
            session_id="S1", facility_code="F00101", day=day, starts_at=dt.time(7, 30),
            ends_at=dt.time(11, 0), capacity=10, booked=1, vaccines=["AZ"], lots=[AZ_LOT],
            status="OPEN", created_by=0, created_at=now))
        conn.execute(insert(VaxBooking.__table__).values(
            booking_id="B1", session_id="S1", person_id=person, id_type="CCCD",
            registration_id=code, source="INVITED", status="BOOKED", booked_at=now,
            booked_by=0))


def test_the_state_moves_from_waiting_to_invited_to_vaccinated(services: Services) -> None:
    seed_places(services.engine)
    code = _register(services)
    today = local_today(services)
    waiting = look_up(services.engine, code, BIRTH, today)
    assert waiting is not None and (waiting.state, waiting.doses) == (WAITING, 0)
    by_number = look_up(services.engine, " 001 090 012 345 ", BIRTH, today)
    assert by_number == waiting
    day = today + dt.timedelta(days=3)
    _invite(services.engine, "001090012345", code, day)
    invited = look_up(services.engine, code.lower(), BIRTH, today)
    assert invited is not None and invited.state == INVITED
    assert invited.invitation is not None
    assert (invited.invitation.facility_name, invited.invitation.day,
            invited.invitation.starts_at) == ("Cơ sở F00101", day, dt.time(7, 30))
    # The session has passed: the dose recorded makes the person vaccinated.
    with services.engine.begin() as conn:
        conn.execute(text("UPDATE vax_session SET day = :d"), {"d": today - dt.timedelta(1)})
    dose(services.engine, "R1")
    done = look_up(services.engine, code, BIRTH, today)
    assert done is not None and (done.state, done.doses, done.last_dose) == (
        VACCINATED, 1, dt.date(2021, 8, 1))


def test_a_wrong_birth_date_reads_as_no_registration(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    code = _register(services)
    assert look_up(services.engine, code, dt.date(1990, 1, 3), local_today(services)) is None
    csrf = token_of(client)

    def ask(key: str, birth: str, lang: str = "en") -> str:
        body = payload_in(portal_of(app), [(pid.REGST_RESULT, "children")],
                          [(pid.REGST_SUBMIT, "n_clicks", 1),
                           (pid.REGST_BIRTH_DATE, "n_submit", 0)],
                          [(pid.REGST_KEY, "value", key), (pid.REGST_BIRTH_DATE, "value", birth),
                           (ids.SHELL_LANG, "data", lang)])
        answer = client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 200
        return decoded(answer)

    found = ask(code, "02/01/1990")
    assert t("portal.regst.state.WAITING", "en") in found
    wrong_birth, no_such, junk = (ask(code, "03/01/1990"), ask("DK00000000", "02/01/1990"),
                                  ask("x" * 500, "not a date"))
    not_found = t("portal.regst.not_found", "en")
    assert not_found in wrong_birth and not_found in no_such and not_found in junk
    assert wrong_birth == no_such == junk  # the very same answer


# Concurrent writers need PostgreSQL (SQLite has one writer): defined where it runs, never
# skipped (as test_ops_capacity_pg does).
if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_concurrent_submissions_of_one_identity_make_one_registration(
            services: Services) -> None:
        n = 8
        barrier = threading.Barrier(n)
        outcomes: list[Any] = []
        lock = threading.Lock()

        def one(i: int) -> None:
            form = SelfRegistration(**{**FORM.__dict__, "full_name": f"Nguyễn Văn An {i}"})
            barrier.wait()
            try:
                result: Any = _register(services, form)
            except AlreadyRegistered as refused:
                result = refused
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        codes = [o for o in outcomes if isinstance(o, str)]
        assert len(outcomes) == n and len(codes) == 1
        assert all(isinstance(o, AlreadyRegistered) for o in outcomes if not isinstance(o, str))
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM registration WHERE person_id = "
                                     "'001090012345'")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM fct_registration")).scalar_one() == 1


def test_the_last_dose_is_counted_once_on_its_day_in_vietnam(services: Services) -> None:
    seed_places(services.engine)
    code = _register(services)
    # 20:00 UTC on 1 August is 03:00 on 2 August in Hà Nội.
    dose(services.engine, "R-LATE", administered_at=dt.datetime(2021, 8, 1, 20, 0, tzinfo=dt.UTC))
    found = look_up(services.engine, code, BIRTH, local_today(services),
                    services.settings.timezone)
    assert found is not None
    assert (found.state, found.doses, found.last_dose) == (VACCINATED, 1, dt.date(2021, 8, 2))
