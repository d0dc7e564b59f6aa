"""Who waits at the injection desk (data.ops.queries.injection_desk.waiting), on each backend:
the people of the facility's open sessions of the day whose screening allows the dose and who
have no dose yet, earliest screened first; people postponed earlier in the day never push the
waiting ones off a full list; a dose recorded without the desk (the API's POST /injections)
ends the wait too; a walk-in is named from the registration the check-in made."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Role
from data.ops.commands import screening
from data.ops.commands.give_dose import give_dose
from data.ops.commands.injection import record_injection
from data.ops.queries import injection_desk
from data.settings import Settings
from tests.factories import injection
from tests.integration.injection_setup import (
    AN,
    ITEMS_4355,
    choice,
    open_session,
    screened,
    seed_stock,
)
from tests.integration.ops_setup import SOURCE, WOMAN, principal, registration

BINH = dataclasses.replace(AN, person_id=WOMAN, birth_date=dt.date(2001, 5, 6), sex="F",
                           full_name="Trần Thị Bình", province_code="79",
                           district_code="760")
CUONG = dataclasses.replace(AN, person_id="001090054321", full_name="Lê Văn Cường")


@pytest.fixture
def desk(settings: Settings, engine: Engine, tmp_path: Path) -> tuple[object, str]:
    seed_stock(settings, engine, tmp_path)
    registration(engine, "REG000000001")  # An is registered; Bình and Cường walk in
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    return staff, open_session(engine, staff, vaccines=["AZ"])


def _waiting(engine: Engine, staff: object) -> list[tuple[str, str]]:
    found = injection_desk.waiting(engine, staff, SOURCE, "F00101",  # type: ignore[arg-type]
                                   dt.date(2021, 10, 15))
    return [(w.full_name, w.final_decision) for w in found]


def test_eligible_people_wait_in_screening_order_until_their_dose(
        engine: Engine, desk: tuple[object, str]) -> None:
    staff, session = desk
    postponed = screened(engine, staff, session, "POSTPONE", form=CUONG)  # type: ignore[arg-type]
    binh = screened(engine, staff, session, form=BINH, items=ITEMS_4355)  # type: ignore[arg-type]
    screened(engine, staff, session, "", form=AN)  # type: ignore[arg-type]  # not screened yet
    assert postponed and binh
    assert _waiting(engine, staff) == [("Trần Thị Bình", "ELIGIBLE")]
    # Given her dose, she waits no more.
    given = give_dose(engine, staff, choice(binh, dose_number=1), "vi")  # type: ignore[arg-type]
    assert given.outcome == "loaded"
    assert _waiting(engine, staff) == []


def test_a_full_list_is_filled_with_waiting_people_not_postponed_ones(
        engine: Engine, desk: tuple[object, str], monkeypatch: pytest.MonkeyPatch) -> None:
    staff, session = desk
    monkeypatch.setattr(injection_desk, "MAX_WAITING", 1)
    screened(engine, staff, session, "POSTPONE", form=CUONG)  # type: ignore[arg-type]
    screened(engine, staff, session, form=AN)  # type: ignore[arg-type]
    assert _waiting(engine, staff) == [("Nguyễn Văn An", "ELIGIBLE")]


def test_the_latest_screening_decides_who_waits(engine: Engine,
                                               desk: tuple[object, str]) -> None:
    staff, session = desk
    cid = screened(engine, staff, session, "POSTPONE", form=AN)  # type: ignore[arg-type]
    assert _waiting(engine, staff) == []
    with engine.connect() as conn:
        first = conn.execute(text("SELECT screening_id FROM vax_screening")).scalar_one()
    # Screened again after the pause: eligible now, so waiting.
    screening.record_screening(engine, staff, SOURCE, cid,  # type: ignore[arg-type]
                               dict.fromkeys(ITEMS_4355, False), {"temperature_c": 36.6},
                               "ELIGIBLE", rescreen_of=first)
    assert _waiting(engine, staff) == [("Nguyễn Văn An", "ELIGIBLE")]


def test_a_dose_recorded_without_the_desk_ends_the_wait(engine: Engine,
                                                       desk: tuple[object, str]) -> None:
    staff, session = desk
    screened(engine, staff, session, form=AN)  # type: ignore[arg-type]
    screened(engine, staff, session, form=BINH)  # type: ignore[arg-type]
    # An's dose comes through the JSON API's POST /injections (no check-in named); a dose of
    # his on another day, or Bình's at another facility, ends nobody's wait.
    for row in (injection("API-1", administered_at="2021-10-15T09:30:00+07:00"),
                injection("API-2", person_id=WOMAN, full_name="Trần Thị Bình", sex="F",
                          birth_date="2001-05-06", facility_code="F00102",
                          administered_at="2021-10-15T09:30:00+07:00")):
        assert record_injection(engine, SYSTEM, row, "vi").outcome == "loaded"
    assert _waiting(engine, staff) == [("Trần Thị Bình", "ELIGIBLE")]
