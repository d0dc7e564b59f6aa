"""The daily health declaration (data.citizen.declaration) on each backend: stored in the
operational table, one per person per day (a second one replaces the first), and its rollup
per day and province of residence always equals a recount of the declarations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.citizen import declaration as dc
from data.citizen.declaration import declaration_of, record_declaration
from data.command_errors import OpsError
from data.settings import Settings
from tests.factories import scalar
from tests.integration.citizen_setup import PERSON, TZ, dose_days_ago, facilities, today

RECOUNT = """
    SELECT day, province_code, COUNT(*) AS declarations,
           SUM(CASE WHEN symptom_codes IS NOT NULL THEN 1 ELSE 0 END) AS with_symptoms,
           SUM(CASE WHEN contact THEN 1 ELSE 0 END) AS with_contact,
           SUM(CASE WHEN travel THEN 1 ELSE 0 END) AS with_travel
    FROM vax_health_declaration GROUP BY day, province_code"""
OTHER = "079090000003"  # lives in TP.HCM


@pytest.fixture
def people(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    facilities(settings, engine, tmp_path)
    dose_days_ago(engine, "A", 3)
    dose_days_ago(engine, "B", 3, person="001090000002")
    dose_days_ago(engine, "C", 3, person=OTHER, province_code="79", district_code="760",
                  ward_code="26734")


def _rollup(engine: Engine) -> set[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT day, province_code, declarations, with_symptoms, with_contact, with_travel "
            "FROM agg_health_declaration_daily WHERE declarations <> 0")).all()
    return {(str(r[0]), *r[1:]) for r in rows}


def _recount(engine: Engine) -> set[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(text(RECOUNT)).all()
    return {(str(r[0]), r[1], *(int(v) for v in r[2:])) for r in rows}


def test_declarations_are_stored_and_counted(engine: Engine, people: None) -> None:
    got = record_declaration(engine, PERSON, ["fever", "COUGH"], True, True, "79",
                             source="10.0.0.9", tz=TZ)
    assert got == dc.Declaration(PERSON, today(), "01", False)
    record_declaration(engine, "001090000002", [], False, False, tz=TZ, channel="app")
    record_declaration(engine, OTHER, ["DIARRHOEA"], False, False, tz=TZ)
    stored = declaration_of(engine, PERSON, today())
    assert stored is not None
    assert (stored["symptoms"], stored["contact"], stored["travel"], stored["travel_province"],
            stored["channel"]) == (["FEVER", "COUGH"], True, True, "79", "PORTAL")
    day = today().isoformat()
    assert _rollup(engine) == {(day, "01", 2, 1, 1, 1), (day, "79", 1, 1, 0, 0)}
    assert _rollup(engine) == _recount(engine)
    # The audit names the declaration's day and cell, never the answers nor the person.
    after = scalar(engine, "SELECT record_key FROM audit_log "
                           "WHERE table_name = 'vax_health_declaration' ORDER BY id LIMIT 1")
    assert after == f"{day}:01"


def test_a_second_declaration_the_same_day_replaces_the_first(engine: Engine,
                                                              people: None) -> None:
    record_declaration(engine, PERSON, ["FEVER"], True, True, "79", tz=TZ)
    again = record_declaration(engine, PERSON, [], False, False, tz=TZ)
    assert again.replaced
    assert scalar(engine, "SELECT COUNT(*) FROM vax_health_declaration") == 1
    assert _rollup(engine) == {(today().isoformat(), "01", 1, 0, 0, 0)}
    assert _rollup(engine) == _recount(engine)
    # Another day is another declaration (the `now` of the health-book app).
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    later = record_declaration(engine, PERSON, ["COUGH"], False, False, tz=TZ, now=tomorrow)
    assert not later.replaced and later.day == today() + dt.timedelta(days=1)
    assert scalar(engine, "SELECT COUNT(*) FROM vax_health_declaration") == 2
    assert _rollup(engine) == _recount(engine)


def test_bad_answers_are_refused_and_nothing_is_counted(engine: Engine, people: None) -> None:
    cases = [
        (dict(symptoms=["FEVER", "SNEEZING"]), {"symptoms": dc.SYMPTOM_UNKNOWN}),
        (dict(symptoms="FEVER"), {"symptoms": dc.SYMPTOM_UNKNOWN}),
        (dict(contact=None), {"contact": dc.ANSWER_REQUIRED}),
        (dict(travel="yes"), {"travel": dc.ANSWER_REQUIRED}),
        (dict(travel=True), {"travel_province": dc.PROVINCE_REQUIRED}),
        (dict(travel=True, where="99"), {"travel_province": dc.PROVINCE_UNKNOWN}),
        (dict(travel=True, where="7" * 40), {"travel_province": dc.PROVINCE_UNKNOWN}),
        (dict(person="001090000099"), {"person_id": dc.UNKNOWN_PERSON}),
    ]
    for over, expected in cases:
        args = {"symptoms": [], "contact": False, "travel": False, "where": None,
                "person": PERSON} | over
        with pytest.raises(OpsError) as err:
            record_declaration(engine, args["person"], args["symptoms"], args["contact"],
                               args["travel"], args["where"], tz=TZ)
        assert err.value.codes() == expected, over
    assert scalar(engine, "SELECT COUNT(*) FROM vax_health_declaration") == 0
    assert _rollup(engine) == set()
