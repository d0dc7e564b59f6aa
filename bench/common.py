"""Shared helpers of the benchmark scripts: synthetic valid files and a fresh database."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from data import admin_units
from data.db import make_engine
from data.migrate import upgrade
from data.settings import Settings, load_settings

VACCINES = ["AZ", "VRC", "PFZ", "MOD", "SPV"]


def fresh_settings(kind: str, workdir: Path) -> Settings:
    """Settings on an empty database: SQLite under workdir, or the PostgreSQL 'bench' schema."""
    if kind == "sqlite":
        db = workdir / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return load_settings(database_url=f"sqlite:///{db}", redis_url=None)
    base = load_settings()
    assert base.database_url.startswith("postgresql"), "set DATABASE_URL to a PostgreSQL URL"
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS bench CASCADE"))
        conn.execute(text("CREATE SCHEMA bench"))
    engine.dispose()
    sep = "&" if "?" in base.database_url else "?"
    return base.with_(database_url=f"{base.database_url}{sep}options=-csearch_path%3Dbench")


def migrated_engine(settings: Settings) -> Engine:
    """Engine on a migrated, seeded database."""
    engine = make_engine(settings)
    upgrade(engine)
    return engine


def facilities_frame(n_per_district: int = 2) -> pd.DataFrame:
    """Facilities spread over every district."""
    rows = []
    for code, d in admin_units.districts().items():
        for i in range(n_per_district):
            rows.append({"facility_code": f"F{code}{i:02d}", "name": f"Trạm Y tế {d.name} {i}",
                         "kind": "HEALTH_STATION", "province_code": d.parent_code,
                         "district_code": code, "daily_capacity": 500, "status": "ACTIVE"})
    return pd.DataFrame(rows)


def injections_frame(
    n: int, seed: int = 7, start: int = 0, days: tuple[int, int] = (0, 570)
) -> pd.DataFrame:
    """`n` valid injection rows spread over the country and `days` of 2021-2022 (from
    2021-06-01; the default is the whole campaign)."""
    rng = np.random.default_rng(seed)
    dists = list(admin_units.districts().values())
    d_idx = rng.integers(0, len(dists), n)
    district = np.array([d.code for d in dists])[d_idx]
    province = np.array([d.parent_code for d in dists])[d_idx]
    day0 = np.datetime64("2021-06-01T00:00:00")
    secs = rng.integers(days[0] * 86400, days[1] * 86400, n).astype("timedelta64[s]")
    at = pd.Series(np.datetime_as_string(day0 + secs, unit="s")) + "+07:00"
    birth = pd.Series(np.datetime_as_string(
        np.datetime64("1940-01-01") + rng.integers(0, 20000, n).astype("timedelta64[D]"),
        unit="D"))
    ids = np.arange(start, start + n)
    return pd.DataFrame({
        "record_id": pd.Series(ids).map("INJ{:010d}".format),
        "person_id": pd.Series(rng.integers(10**11, 10**12 - 1, n)).astype(str),
        "full_name": "Nguyễn Văn An",
        "birth_date": birth,
        "sex": np.where(rng.random(n) < 0.5, "M", "F"),
        "phone": pd.Series(rng.integers(10**8, 10**9 - 1, n)).map("09{}".format).str[:10],
        "priority_group": rng.integers(0, 12, n),
        "province_code": province,
        "district_code": district,
        "facility_code": pd.Series(district).map("F{}00".format),
        "vaccine_code": np.array(VACCINES)[rng.integers(0, len(VACCINES), n)],
        "lot_number": "LOT" + pd.Series(rng.integers(100, 999, n)).astype(str),
        "dose_kind": "PRIMARY",
        "dose_number": rng.integers(1, 3, n),
        "administered_at": at,
    })


class Timer:
    """Context manager measuring wall time in seconds."""

    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0


def stamp() -> str:
    """UTC timestamp for result headers."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- Added for the bench scripts (ingest, reads, freshness, memory). ---

OUT_DIR = Path(__file__).resolve().parent / "out"


def add_backend_arg(parser: argparse.ArgumentParser, default: str = "sqlite") -> None:
    """The --backend option every script takes."""
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default=default)


def named_settings(kind: str, name: str, fresh: bool) -> Settings:
    """Settings on OUT_DIR/<name>.db or PostgreSQL schema <name>, emptied first if fresh."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        db = OUT_DIR / f"{name}.db"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        return load_settings(database_url=f"sqlite:///{db}", redis_url=None)
    base = load_settings()
    assert base.database_url.startswith("postgresql"), "set DATABASE_URL to a PostgreSQL URL"
    if fresh:
        engine = make_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {name}"))
        engine.dispose()
    sep = "&" if "?" in base.database_url else "?"
    return base.with_(database_url=f"{base.database_url}{sep}options=-csearch_path%3D{name}")


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write an interchange CSV (UTF-8, header) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def load_facilities(settings: Settings, engine: Engine, workdir: Path) -> None:
    """Load one facility file covering every district (injections_frame refers to them)."""
    from etl.pipeline import load_file  # etl is heavy; only the scripts that load pay for it

    path = write_csv(facilities_frame(), workdir / "facilities.csv")
    load_file(settings, engine, "facilities", path)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`."""
    return float(np.percentile(np.asarray(values, dtype="float64"), q))


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    """Print a small fixed-width table."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for i, r in enumerate(cells):
        pairs = enumerate(zip(r, widths, strict=True))
        print("  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in pairs))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def dose_bench_setup(doc: str, name: str, doses: int
                     ) -> tuple[argparse.Namespace, Settings, Engine]:
    """The in-process dose benches' start: --backend, --doses, --profile N; a fresh database
    (`name`) with the facilities loaded."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    add_backend_arg(parser)
    parser.add_argument("--doses", type=int, default=doses)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    settings = named_settings(args.backend, name, fresh=True)
    engine = migrated_engine(settings)
    load_facilities(settings, engine, OUT_DIR)
    return args, settings, engine
