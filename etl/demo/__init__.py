"""A seeded synthetic vaccination campaign written as interchange files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.aefi import aefi_frame
from etl.demo.allocations import allocations
from etl.demo.curve import day_index
from etl.demo.denominators import fit_population
from etl.demo.injections import Placed, injection_frame, place_doses
from etl.demo.people import Identities, make_identities
from etl.demo.places import (
    Geography,
    build_facilities,
    build_warehouses,
    load_geography,
    population_table,
)
from etl.demo.registrations import registration_frame
from etl.demo.schedule import make_doses, make_persons
from etl.demo.stock import assign_lots, stock_flow
from etl.demo.writer import month_spans, write_csv, write_jsonl, write_monthly, write_xlsx

__all__ = ["generate_campaign"]

DAY = 86_400


def generate_campaign(out_dir: Path, scale: float = 0.001, seed: int = 2021,
                      today: dt.date | None = None) -> list[tuple[str, Path]]:
    """Write the campaign's interchange files; return (kind, file) pairs in load order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    last_day = day_index(today or dt.date.today())
    # Independent streams, so a change in one part does not reshuffle the others.
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(10)]
    geo = load_geography(rng[0])
    population = population_table(geo, rng[0], scale)
    facilities = build_facilities(geo, scale, rng[0])
    warehouses = build_warehouses(geo, facilities)
    persons, first_vaccine = make_persons(scale, rng[1])
    doses = make_doses(persons, first_vaccine, scale, rng[1])
    ids = make_identities(persons, geo, rng[2])
    placed = place_doses(doses, ids, facilities, last_day, rng[3])
    population = fit_population(population, geo, placed, ids, rng[9])
    lots, dose_lot = assign_lots(placed.seconds, placed.vaccine, placed.facility, facilities,
                                 geo, rng[4])
    flow = stock_flow(placed.seconds, placed.facility, dose_lot, lots, facilities, geo,
                      last_day, rng[4])
    files: list[tuple[str, Path]] = [
        ("facilities", write_csv(facilities, out_dir / "facilities.csv")),
        ("warehouses", write_csv(warehouses, out_dir / "warehouses.csv")),
        ("population", write_csv(population, out_dir / "population.csv")),
        ("allocations", write_xlsx(allocations(flow, lots, geo, last_day, rng[5]),
                                   out_dir / "allocations.xlsx", "allocations")),
    ]
    files += write_monthly(flow.movements, flow.movements["_sec"].to_numpy(), "stock_movements",
                           out_dir)
    vaccinated, first = np.unique(placed.person, return_index=True)
    regs = registration_frame(vaccinated, placed.seconds[first], ids, persons.priority,
                              persons.band, geo, rng[6])
    files += write_monthly(regs, regs["_sec"].to_numpy(), "registrations", out_dir)
    files += _write_injections(placed, ids, persons.priority, geo, facilities,
                               lots.number[dose_lot], out_dir, rng[7])
    f_codes = facilities["facility_code"].to_numpy()[placed.facility]
    events = aefi_frame(placed.seconds, f_codes, (last_day + 1) * DAY - 1, rng[8])
    files.append(("aefi", write_jsonl(events, out_dir / "aefi.jsonl")))
    return files


def _write_injections(placed: Placed, ids: Identities, priority: np.ndarray, geo: Geography,
                      facilities: pd.DataFrame, lot_numbers: np.ndarray, out_dir: Path,
                      rng: np.random.Generator) -> list[tuple[str, Path]]:
    """Injection files, one per month, each built on its own to keep memory flat."""
    out = []
    for month, lo, hi in month_spans(placed.seconds):
        rows = np.arange(lo, hi)
        frame = injection_frame(placed, rows, ids, priority, geo, facilities, lot_numbers[rows],
                                rng)
        out.append(("injections", write_csv(frame, out_dir / f"injections_{month}.csv")))
    return out
