"""The injections rules about the dose, one test each, on each backend: status (and
ENTERED_IN_ERROR), facility and vaccine, dose kind and number per product, and
administered_at in local time (interchange spec, injections table)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, rollup_totals, scalar, write_csv
from tests.integration.injection_rejects import (  # noqa: F401 - registered is a fixture
    Bad,
    fact,
    registered,
    run_file,
    stored_rows,
)

pytestmark = pytest.mark.usefixtures("registered")

# -- status ------------------------------------------------------------------------------------

STATUS_BAD = [Bad("status", "bad_choice", {"status": "DELETED"})]


def test_status_default_and_values(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    stored = run_file(settings, engine, tmp_path,
                      {"R1": {"status": ""}, "R2": {"status": "completed"}}, STATUS_BAD)
    assert stored["R1"]["status"] == stored["R2"]["status"] == "COMPLETED"


def test_entered_in_error_removes_the_dose_from_every_count(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [injection("R1"), injection("R2", status="entered_in_error"),
            injection("R3", dose_number=2, administered_at="2021-10-01T09:00:00+07:00")]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows))
    assert (result.loaded, result.rejected) == (3, 0)
    assert stored_rows(engine)["R2"]["status"] == "ENTERED_IN_ERROR"
    assert sorted(stored_rows(engine, "fct_injection")) == ["R1", "R3"]
    assert set(rollup_totals(engine).values()) == {2}
    # Marking a counted dose as entered in error later takes it out of every count too.
    result = load_file(settings, engine, "injections", write_csv(
        tmp_path / "c.csv", [injection("R1", status="ENTERED_IN_ERROR")]))
    assert (result.loaded, result.updated) == (0, 1)
    assert sorted(stored_rows(engine, "fct_injection")) == ["R3"]
    assert set(rollup_totals(engine).values()) == {1}
    assert scalar(engine, "SELECT SUM(doses) FROM agg_doses_daily WHERE date_key = 20210801") == 0


# -- facility and vaccine ----------------------------------------------------------------------

CATALOGUE_BAD = [
    Bad("facility_code", "unknown_facility", {"facility_code": "F99999"}),
    Bad("vaccine_code", "unknown_vaccine", {"vaccine_code": "SINOVAC"}),
]


def test_facility_registered_and_vaccine_in_catalogue(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    stored = run_file(settings, engine, tmp_path, {"PFZ": {"vaccine_code": "pfz"}}, CATALOGUE_BAD)
    assert stored["PFZ"]["vaccine_code"] == "PFZ"
    assert fact(engine, "PFZ", "vaccine_key") == 4
    facility_key = scalar(engine, "SELECT facility_key FROM dim_facility")
    assert fact(engine, "PFZ", "facility_key") == facility_key


# -- dose kind and number ----------------------------------------------------------------------

DOSE_BAD = [
    Bad("dose_number", "bad_dose_number", {"vaccine_code": v, "dose_kind": k, "dose_number": n})
    for v, k, n in (
        ("JNJ", "PRIMARY", 2),      # Janssen: one primary dose
        ("AZ", "PRIMARY", 3),       # two-dose products
        ("ABD", "PRIMARY", 4),      # Abdala: three primary doses
        ("AZ", "PRIMARY", 0),
        ("PFZ", "BOOSTER", 3),      # booster 1 or 2
        ("PFZ", "BOOSTER", 0),
        ("PFZ", "ADDITIONAL", 2),
    )
] + [Bad("dose_number", "bad_int", {"dose_number": "hai"}),
     Bad("dose_kind", "bad_choice", {"dose_kind": "THIRD"})]


def test_dose_kind_and_number_per_product(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    # record_id -> (vaccine, kind, number, dose_key, is_first, is_full, is_booster)
    cases = {
        "AZ1": ("AZ", "PRIMARY", 1, 1, True, False, False),
        "AZ2": ("AZ", "primary", 2, 2, False, True, False),
        "JNJ1": ("JNJ", "PRIMARY", 1, 1, True, True, False),
        "ABD2": ("ABD", "PRIMARY", 2, 2, False, False, False),
        "ABD3": ("ABD", "PRIMARY", 3, 3, False, True, False),
        "ADD1": ("PFZ", "ADDITIONAL", 1, 4, False, False, False),
        "B1": ("MOD", "booster", 1, 5, False, False, True),
        "B2": ("PFZ", "BOOSTER", 2, 6, False, False, True),
        "JNJB": ("JNJ", "BOOSTER", 1, 5, False, False, True),
    }
    valid = {rid: {"vaccine_code": c[0], "dose_kind": c[1], "dose_number": c[2]}
             for rid, c in cases.items()}
    run_file(settings, engine, tmp_path, valid, DOSE_BAD)
    facts = stored_rows(engine, "fct_injection")
    got = {rid: (facts[rid]["dose_key"], bool(facts[rid]["is_first"]),
                 bool(facts[rid]["is_full"]), bool(facts[rid]["is_booster"])) for rid in cases}
    assert got == {rid: c[3:] for rid, c in cases.items()}


# -- administered_at ---------------------------------------------------------------------------

ADMIN_BAD = [
    Bad("administered_at", "future", {"administered_at": "2099-08-01T08:30:00+07:00"}),
    Bad("administered_at", "bad_timestamp", {"administered_at": "sáng 01/08"}),
]


def test_administered_at_not_in_future_and_local_time(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    # record_id -> (given, UTC instant, local date_key)
    cases = {
        "NAIVE": ("2021-08-01T23:30:00", "2021-08-01T16:30:00", 20210801),
        "NAIVE-SPACE": ("2021-08-01 23:30:00", "2021-08-01T16:30:00", 20210801),
        "UTC": ("2021-08-01T23:30:00+00:00", "2021-08-01T23:30:00", 20210802),
        "ZULU": ("2021-08-01T23:30:00Z", "2021-08-01T23:30:00", 20210802),
        "ICT": ("2021-08-02T00:30:00+07:00", "2021-08-01T17:30:00", 20210802),
    }
    stored = run_file(settings, engine, tmp_path,
                      {rid: {"administered_at": c[0]} for rid, c in cases.items()}, ADMIN_BAD)
    for rid, (_, utc, key) in cases.items():
        at = pd.Timestamp(stored[rid]["administered_at"]).tz_convert("UTC")
        assert at == pd.Timestamp(utc, tz="UTC"), rid
        assert fact(engine, rid, "date_key") == key, rid
    with engine.connect() as conn:
        daily = dict(conn.execute(text(
            "SELECT date_key, SUM(doses) FROM agg_doses_daily GROUP BY date_key")).all())
    pads = len(ADMIN_BAD) + 1 - len(cases)
    assert daily == {20210801: 2 + max(pads, 0), 20210802: 3}


def test_naive_timestamp_alone_is_local_time(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """A file whose timestamps all lack an offset (the common case from Excel)."""
    run_file(settings, engine, tmp_path, {"R1": {"administered_at": "2021-08-01T23:30:00"}})
    assert fact(engine, "R1", "date_key") == 20210801
    assert scalar(engine, "SELECT date_key FROM agg_doses_daily_province") == 20210801
