"""The write-path bench's forms mode against the real app, served on a loopback port, on each
backend: a desk set up as bench.ops_write sets it up (account, token, today's session through
the API, the bench lot stocked through load_file) records one walk-in's dose through the
check-in, screening and injection pages' callbacks only, and the dose is in the database as
those pages write it; a desk whose facility holds no lot is refused with the page's words."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import Engine, text

from bench.appserver import DashClient, serve_in_thread
from bench.ops_desks import (
    LOT,
    PASSWORD,
    Desk,
    add_desks,
    open_session,
    person,
    sign_in,
    stock_desks,
)
from bench.ops_drive import DeskClient
from bench.ops_forms import FORM_STEPS
from callbacks.shared.i18n import t
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, write_csv

K = 12_345  # the walk-in's number: picks the CCCD, sex and birth year


@pytest.fixture
def served(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Desk]]:
    """The app on a free port and a signed-in desk at F00101 with today's session."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1
    (desk,) = add_desks(engine, [("F00101", "01", "001")])
    server, url = serve_in_thread(settings)
    try:
        http = requests.Session()
        sign_in(http, url, desk)
        open_session(http, url, desk, dt.datetime.now(ZoneInfo(settings.timezone)).date())
        yield url, desk
    finally:
        server.shutdown()


def _one_dose(url: str, desk: Desk, settings: Settings) -> DeskClient:
    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
    client = DeskClient(desk, url, "forms", "skip", range(K, K + 1), time.monotonic() + 120,
                        0.0, today, DashClient(url, (desk.username, PASSWORD)))
    client.run()  # in this thread: one walk-in, then the people run out
    return client


def test_one_walk_in_through_the_forms_is_a_recorded_first_dose(
        served: tuple[str, Desk], settings: Settings, engine: Engine) -> None:
    url, desk = served
    assert stock_desks(settings, engine, [desk]) == 1
    assert stock_desks(settings, engine, [desk]) == 0  # held already: nothing loaded again

    client = _one_dose(url, desk, settings)

    assert dict(client.tally.errors) == {}, client.tally.samples
    assert [s for s, _ in client.plan] == ["search", "checkin", "screening", "injection"]
    assert {transport for _, transport in client.plan} == {"dash"}
    names = [c.name for f in FORM_STEPS.values() for c in f.calls]
    assert sorted(client.tally.ms) == sorted(f"{n} (dash)" for n in names)
    assert all(len(v) == 1 for v in client.tally.ms.values())
    assert len(client.tally.doses) == 1 and len(client.tally.flows) == 1
    assert desk.places_left == 4999
    walk_in = person(K, desk.province_code, random.Random(K))
    with engine.connect() as conn:
        given = conn.execute(text(
            "SELECT i.facility_code, i.vaccine_code, i.lot_number, i.dose_kind, "
            "i.dose_number, i.full_name, v.injection_site, s.final_decision, c.session_id "
            "FROM injection i JOIN vax_injection v ON v.record_id = i.record_id "
            "JOIN vax_screening s ON s.screening_id = v.screening_id "
            "JOIN vax_checkin c ON c.checkin_id = v.checkin_id "
            "WHERE i.person_id = :p"), {"p": walk_in.person_id}).all()
        registered = conn.execute(text(
            "SELECT full_name, phone, birth_date FROM registration WHERE person_id = :p"),
            {"p": walk_in.person_id}).all()
    assert given == [("F00101", "AZ", LOT, "PRIMARY", 1, walk_in.full_name, "LEFT_ARM",
                      "ELIGIBLE", desk.session_id)]
    assert [(n, p, str(b)[:10]) for n, p, b in registered] == [
        (walk_in.full_name, walk_in.phone, walk_in.birth_date.isoformat())]


def test_a_facility_holding_no_lot_is_refused_in_the_pages_words(
        served: tuple[str, Desk], settings: Settings, engine: Engine) -> None:
    url, desk = served

    client = _one_dose(url, desk, settings)

    assert dict(client.tally.errors) == {"injection: form refused": 1}
    assert client.tally.samples["injection: form refused"] == t("ops.injection.no_lots", "vi")
    assert client.tally.doses == [] and client.tally.flows == []
    with engine.connect() as conn:  # checked in and screened, no dose
        assert conn.execute(text("SELECT COUNT(*) FROM vax_screening")).scalar_one() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM vax_injection")).scalar_one() == 0
