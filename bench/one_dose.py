"""CPU cost of recording one dose through the write side's command, in-process.

    python -m bench.one_dose [--backend sqlite|postgresql] [--doses 300] [--profile 25]

Records --doses doses (each a new person at a facility of its district) through
data.ops.commands.injection.record_injection on a fresh database (SQLite under bench/out, or
PostgreSQL schema `one_dose` of DATABASE_URL), and as many bare single-row INSERTs into a
plain table, each in its own transaction through the same engine. Prints this process's CPU
milliseconds per dose (time.process_time: on PostgreSQL the server's share is not in it) and
the ratio to the bare INSERT. --profile N prints the N costliest functions (cProfile,
cumulative) of a second batch of doses.
"""

from __future__ import annotations

import cProfile
import pstats
import time

from sqlalchemy import Engine, text

from bench.common import dose_bench_setup
from data.auth.roles import SYSTEM
from data.ops.commands.injection import record_injection

_BARE = """CREATE TABLE bench_bare_dose (
    record_id VARCHAR(64) PRIMARY KEY, person_id VARCHAR(20) NOT NULL, full_name TEXT,
    birth_date DATE, sex TEXT, phone TEXT, province_code TEXT, district_code TEXT,
    facility_code TEXT, vaccine_code TEXT, lot_number TEXT, dose_kind TEXT, dose_number INT,
    administered_at TIMESTAMP)"""


def dose(i: int) -> dict[str, str]:
    """The i-th dose: a new person at F00100 (Hà Nội, Ba Đình)."""
    return {
        "record_id": f"ONE-{i:08d}", "status": "COMPLETED", "person_id": f"0010900{i:05d}",
        "id_type": "CCCD", "full_name": "Nguyễn Văn An", "birth_date": "1990-01-02",
        "sex": "M", "phone": "0912345678", "priority_group": "0", "province_code": "01",
        "district_code": "001", "ward_code": "00001", "facility_code": "F00100",
        "vaccine_code": "AZ", "lot_number": "AZ2108A", "dose_kind": "PRIMARY",
        "dose_number": "1", "administered_at": "2021-08-01T08:30:00+07:00", "vaccinator": "",
    }


def record(engine: Engine, first: int, n: int) -> float:
    """CPU ms per dose of n doses from the first-th."""
    t0 = time.process_time()
    for i in range(first, first + n):
        record_injection(engine, SYSTEM, dose(i), "vi")
    return (time.process_time() - t0) * 1000 / n


def bare(engine: Engine, n: int) -> float:
    """CPU ms per single-row INSERT (one transaction each)."""
    with engine.begin() as conn:
        conn.execute(text(_BARE))
    stmt = text("INSERT INTO bench_bare_dose VALUES (:r, :p, 'Nguyễn Văn An', '1990-01-02', "
                "'M', '0912345678', '01', '001', 'F00100', 'AZ', 'AZ2108A', 'PRIMARY', 1, "
                "'2021-08-01 01:30:00')")
    t0 = time.process_time()
    for i in range(n):
        with engine.begin() as conn:
            conn.execute(stmt, {"r": f"BARE-{i}", "p": f"0010900{i:05d}"})
    return (time.process_time() - t0) * 1000 / n


def main() -> None:
    args, settings, engine = dose_bench_setup(__doc__ or "", "one_dose", 300)
    record(engine, 0, 5)  # warm caches and imports
    per_dose = record(engine, 5, args.doses)
    per_insert = bare(engine, args.doses)
    print(f"{args.backend}: {args.doses} doses, record_injection {per_dose:.1f} CPU ms/dose, "
          f"bare INSERT {per_insert:.2f} CPU ms, ratio {per_dose / per_insert:.0f}x")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        record(engine, 5 + args.doses, 100)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    engine.dispose()


if __name__ == "__main__":
    main()
