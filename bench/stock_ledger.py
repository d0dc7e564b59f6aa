"""The stock ledger at the scale of 10M doses (PostgreSQL): a lot's stock on hand at any
warehouse and date, a count sheet of 500 lots in one transaction, and the stock export.

DATABASE_URL=postgresql://postgres@127.0.0.1:5432/vxbench \\
    nice -n 10 python -m bench.stock_ledger [--samples 2000] [--sheets 5] [--rebuild]

Setup (kept for the next run, in schema bench_stock of the database named by DATABASE_URL,
created when missing; give it a database of its own: PostgreSQL's advisory locks, which every
ledger command takes, are per database): the stores and ~1.5M movements of
bench.stock_ledger_data, written with COPY; a province store KHO-KIEMKE whose 500 lots have
20 movements each, loaded as a stock_movements file (the count sheet's store: it needs the
facts and rollup a load keeps).

(a) data.ops.queries.stock_ledger.on_hand_at for `--samples` warehouse x lot pairs drawn
    uniformly, each at a random moment of the campaign, then for the 100 pairs with the most
    movements; each call interleaved with the baseline, a primary-key single-row SELECT on
    stock_movement through the same connection. Three index variants, side by side: the
    model's (0016: warehouse, vaccine, lot, occurred_at), without it (warehouse_code only, as
    before 0016), and the same index covering movement_type and doses (INCLUDE).
(b) data.ops.commands.counts.count_sheet of all 500 lots of KHO-KIEMKE (2 in 3 differ from
    the ledger, so ~333 COUNT adjustments), `--sheets` times; the baseline is a transaction
    inserting 500 rows into a plain table with a primary key, just before each sheet. SQL
    statements per sheet are counted.
(c) the export's one query for the whole country and for one province.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from bench.common import (
    OUT_DIR,
    facilities_frame,
    migrated_engine,
    named_settings,
    pct,
    print_table,
    stamp,
    write_csv,
)
from bench.ops_cpu import backends_cpu
from bench.stock_ledger_data import movements, pairs, warehouses
from data.auth.roles import SYSTEM
from data.bulk import copy_frame
from data.models.operational import StockMovement
from data.ops.commands.counts import Counted, count_sheet
from data.ops.queries.stock_ledger import LotKey, on_hand_at
from data.ops.queries.stock_positions import positions_at, positions_everywhere_at
from data.settings import Settings

SCHEMA = "bench_stock"
SHEET_STORE, SHEET_LOTS = "KHO-KIEMKE", 500
MODEL_INDEX = "ix_stock_movement_lot_at"
LOT_COLUMNS = "warehouse_code, vaccine_code, lot_number, occurred_at"
VARIANTS: dict[str, str | None] = {
    "model (0016 index)": f"CREATE INDEX {MODEL_INDEX} ON stock_movement ({LOT_COLUMNS})",
    "before 0016 (warehouse_code only)": None,
    "covering (INCLUDE type, doses)": f"CREATE INDEX {MODEL_INDEX} ON stock_movement "
                                      f"({LOT_COLUMNS}) INCLUDE (movement_type, doses)",
}
CAMPAIGN = (dt.datetime(2021, 6, 1, tzinfo=dt.UTC), dt.datetime(2022, 10, 1, tzinfo=dt.UTC))


def ensure_database(url: str) -> None:
    """CREATE DATABASE for the URL's database, and the schema in it, when missing."""
    name = str(make_url(url).database)
    admin = make_engine_on(url, "postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                        {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            print(f"created database {name}")
    admin.dispose()
    own = make_engine_on(url, name)
    with own.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    own.dispose()


def make_engine_on(url: str, database: str) -> Engine:
    """An engine on another database of the same server."""
    return create_engine(make_url(url).set(database=database,
                                           drivername="postgresql+psycopg"))


def has_ledger(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT EXISTS (SELECT 1 FROM stock_movement WHERE warehouse_code = :w)"),
            {"w": SHEET_STORE}).scalar())


def build(settings: Settings, engine: Engine, workdir: Path) -> None:
    """The stores, the generated ledger (COPY, indexes built after), the count sheet's store."""
    from etl.pipeline import load_file  # etl is heavy: only a build pays for it

    def load(kind: str, frame: pd.DataFrame) -> None:
        res = load_file(settings, engine, kind, write_csv(frame, workdir / f"{kind}.csv"))
        assert res.rejected == 0, res
        print(f"  {kind}: {res.loaded:,} rows in {res.seconds:.1f} s")

    t0 = time.perf_counter()
    load("facilities", facilities_frame(13))
    stores = warehouses()
    sheet = {"warehouse_code": SHEET_STORE, "name": "Kho kiểm kê", "level": "PROVINCE",
             "province_code": "01", "district_code": "", "facility_code": "", "parent": ""}
    load("warehouses", pd.concat([stores, pd.DataFrame([sheet])]).drop(columns="parent"))
    ledger = movements(pairs(stores))
    with engine.begin() as conn:
        conn.execute(text(f"DROP INDEX IF EXISTS {MODEL_INDEX}"))
        conn.execute(text("DROP INDEX IF EXISTS ix_stock_movement_warehouse_code"))
        copy_frame(conn, StockMovement.__table__, ledger)
        conn.execute(text("CREATE INDEX ix_stock_movement_warehouse_code "
                          "ON stock_movement (warehouse_code)"))
        conn.execute(text(str(VARIANTS["model (0016 index)"])))
    print(f"  ledger: {len(ledger):,} movements written with COPY, indexes built after")
    rows = []
    for i in range(SHEET_LOTS):
        lot, vaccine = f"KK{i:04d}", ["AZ", "PFZ", "MOD", "VRC", "SPV"][i % 5]
        day0 = dt.datetime(2022, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(hours=i)
        rows.append({"movement_id": f"KK{i:04d}-0", "occurred_at": day0.isoformat(),
                     "warehouse_code": SHEET_STORE, "movement_type": "RECEIPT",
                     "counterparty_code": "", "vaccine_code": vaccine, "lot_number": lot,
                     "expiry_date": "2022-12-31", "doses": 5_000, "reason": ""})
        rows += [{"movement_id": f"KK{i:04d}-{k}",
                  "occurred_at": (day0 + dt.timedelta(days=4 * k)).isoformat(),
                  "warehouse_code": SHEET_STORE, "movement_type": "ISSUE",
                  "counterparty_code": "", "vaccine_code": vaccine, "lot_number": lot,
                  "expiry_date": "2022-12-31", "doses": 100, "reason": ""}
                 for k in range(1, 20)]
    load("stock_movements", pd.DataFrame(rows))
    vacuum(engine)
    print(f"  built in {time.perf_counter() - t0:.0f} s")


def vacuum(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE stock_movement"))


def use_variant(engine: Engine, create: str | None) -> float:
    """Drop the lot index and build this variant's; seconds it took."""
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text(f"DROP INDEX IF EXISTS {MODEL_INDEX}"))
        if create:
            conn.execute(text(create))
    vacuum(engine)
    return time.perf_counter() - t0


def sample(conn: Connection, n: int, rng: random.Random) -> tuple[dict[str, list[LotKey]],
                                                                   list[str]]:
    """Warehouse x lot pairs drawn uniformly, the 100 with the most movements, 200 of the
    stores with the most movements (where an index on warehouse_code alone reads the most),
    and movement ids for the baseline."""
    every = [LotKey(*r) for r in conn.execute(text(
        "SELECT DISTINCT warehouse_code, vaccine_code, lot_number FROM stock_movement"))]
    busiest = [LotKey(*r) for r in conn.execute(text("""
        SELECT warehouse_code, vaccine_code, lot_number FROM stock_movement
        GROUP BY 1, 2, 3 ORDER BY COUNT(*) DESC LIMIT 100"""))]
    big = {str(r[0]) for r in conn.execute(text("""
        SELECT warehouse_code FROM stock_movement GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 3"""))}
    in_big = [k for k in every if k.warehouse_code in big]
    ids = [str(r[0]) for r in conn.execute(text(
        "SELECT movement_id FROM stock_movement TABLESAMPLE SYSTEM (1) LIMIT :n"), {"n": n})]
    return {"uniform": rng.sample(every, n), "100 busiest": busiest,
            f"largest stores ({', '.join(sorted(big))})": rng.sample(in_big,
                                                                     min(200, len(in_big)))
            }, ids


def time_reads(conn: Connection, keys: list[LotKey], ids: list[str], rng: random.Random
               ) -> tuple[list[float], list[float]]:
    """on_hand_at per key at a random moment, each followed by a primary-key SELECT."""
    span = (CAMPAIGN[1] - CAMPAIGN[0]).total_seconds()
    read, base = [], []
    for i, key in enumerate(keys):
        at = CAMPAIGN[0] + dt.timedelta(seconds=rng.random() * span)
        t0 = time.perf_counter()
        on_hand_at(conn, key, at)
        read.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        conn.execute(text("SELECT doses FROM stock_movement WHERE movement_id = :id"),
                     {"id": ids[i % len(ids)]}).scalar()
        base.append((time.perf_counter() - t0) * 1000)
    return read, base


def plan_of(conn: Connection, key: LotKey) -> str:
    """The plan PostgreSQL picks for on_hand_at (its main node)."""
    from data.ops.queries.stock_ledger import SIGNED

    plan = conn.execute(text(f"""EXPLAIN SELECT COALESCE(SUM({SIGNED}), 0) FROM stock_movement m
        WHERE m.warehouse_code = :w AND m.vaccine_code = :v AND m.lot_number = :l
          AND m.occurred_at <= :at"""), {"w": key.warehouse_code, "v": key.vaccine_code,
                                         "l": key.lot_number, "at": CAMPAIGN[1]}).all()
    return next(str(r[0]).strip().lstrip("-> ").split("  ")[0] for r in plan[1:]
                if "Scan" in str(r[0]))


def count_sheets(engine: Engine, sheets: int) -> list[list[object]]:
    """count_sheet of the store's 500 lots, `sheets` times, each after the baseline."""
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_plain_insert"))
        conn.execute(text("CREATE TABLE bench_plain_insert (id text PRIMARY KEY, w text, "
                          "l text, n integer)"))
    out = []
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=sheets + 1)
    for r in range(sheets):
        with engine.connect() as conn:
            held = positions_at(conn, SHEET_STORE, dt.datetime.now(dt.UTC))
        lines = [Counted(p.vaccine_code, p.lot_number, p.on_hand - (r + i) % 3)
                 for i, p in enumerate(held)]
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bench_plain_insert VALUES (:id, :w, :l, :n)"),
                         [{"id": f"{r}-{i}", "w": SHEET_STORE, "l": c.lot_number,
                           "n": c.counted} for i, c in enumerate(lines)])
        plain = (time.perf_counter() - t0) * 1000
        statements[0] = 0
        server0 = backends_cpu(engine)
        event.listen(engine, "before_cursor_execute", count)
        t0, cpu0 = time.perf_counter(), time.process_time()
        ids = count_sheet(engine, SYSTEM, SHEET_STORE, lines,
                          start + dt.timedelta(minutes=r), source="bench")
        ms = (time.perf_counter() - t0) * 1000
        client = (time.process_time() - cpu0) * 1000
        event.remove(engine, "before_cursor_execute", count)
        server1 = backends_cpu(engine)
        server = sum(v - server0.get(pid, 0.0) for pid, v in server1.items()) * 1000
        differ = sum(1 for i in range(len(lines)) if (r + i) % 3)
        assert len(ids) == len(lines) == SHEET_LOTS
        out.append([r + 1, len(lines), differ, round(ms), statements[0], round(client),
                    round(server), round(plain, 1), f"{ms / plain:.0f}x"])
    return out


def main() -> None:
    """Build when needed, then time (a), (b) and (c)."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--sheets", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--parts", default="abc", help="which of (a), (b), (c) to run, e.g. b")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    assert url.startswith("postgres"), "DATABASE_URL=postgresql://.../vxbench"
    ensure_database(url)
    settings = named_settings("postgresql", SCHEMA, fresh=args.rebuild)
    engine = migrated_engine(settings)
    print(f"{stamp()}  database {make_url(url).database}, schema {SCHEMA}, "
          f"load average {os.getloadavg()[0]:.1f}")
    if not has_ledger(engine):
        build(settings, engine, OUT_DIR / "stock_ledger")
    rng = random.Random(args.seed)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT COUNT(*) FROM stock_movement")).scalar_one()
        pairs_n = conn.execute(text("""SELECT COUNT(*) FROM (SELECT DISTINCT warehouse_code,
            vaccine_code, lot_number FROM stock_movement) x""")).scalar_one()
        given = conn.execute(text("SELECT SUM(doses) FROM stock_movement "
                                  "WHERE movement_type = 'ISSUE'")).scalar_one()
    print(f"ledger: {total:,} movements, {pairs_n:,} warehouse x lot pairs, "
          f"{int(given):,} doses issued")
    if "a" in args.parts:
        part_a(engine, args.samples, rng)
    if "b" in args.parts:
        print_table("(b) count sheet of 500 lots, one transaction",
                    ["sheet", "lines", "differ", "ms", "statements", "CPU ms client",
                     "CPU ms db", "plain insert ms", "ratio"],
                    count_sheets(engine, args.sheets))
    if "c" in args.parts:
        export_rows: list[list[object]] = []
        for label, call in _exports().items():
            with engine.connect() as conn:
                t0 = time.perf_counter()
                got = call(conn)
                export_rows.append([label, len(got),
                                    round((time.perf_counter() - t0) * 1000)])
        print_table("(c) the stock export's query (end of 2021-12-31)",
                    ["scope", "rows", "ms"], export_rows)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    engine.dispose()


def part_a(engine: Engine, samples: int, rng: random.Random) -> None:
    """on_hand_at under each index variant; the model's index is left in place."""
    with engine.connect() as conn:
        sets, ids = sample(conn, samples, rng)
    rows = []
    for name, create in VARIANTS.items():
        built = use_variant(engine, create)
        with engine.connect() as conn:
            time_reads(conn, sets["uniform"][:300], ids, rng)  # warm the cache
            plan = plan_of(conn, sets["100 busiest"][0])
            for label, chosen in sets.items():
                read, base = time_reads(conn, chosen, ids, rng)
                rows.append([name, label, len(chosen), pct(read, 50), pct(read, 95),
                             max(read), pct(base, 50), pct(base, 95),
                             f"{pct(read, 50) / pct(base, 50):.1f}x",
                             f"{pct(read, 95) / pct(base, 95):.1f}x", plan, f"{built:.0f}"])
        print(f"  {name}: done ({os.getloadavg()[0]:.1f} load)")
    use_variant(engine, VARIANTS["model (0016 index)"])
    print_table("(a) on_hand_at, ms (baseline: primary-key SELECT, interleaved)",
                ["index", "pairs", "calls", "p50", "p95", "max", "base p50", "base p95",
                 "ratio p50", "ratio p95", "plan", "index build s"], rows)


def _exports() -> dict[str, Callable[[Connection], list[object]]]:
    at = dt.datetime(2021, 12, 31, 16, 59, 59, tzinfo=dt.UTC)
    return {"whole country": lambda c: list(positions_everywhere_at(c, at)),
            "province 01": lambda c: list(positions_everywhere_at(c, at, "01")),
            "one store (positions_at)": lambda c: list(positions_at(c, "KHO-01", at))}


if __name__ == "__main__":
    main()
