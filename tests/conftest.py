"""Backends for every test: SQLite always; PostgreSQL and Redis when the environment names them.

CI sets DATABASE_URL and REDIS_URL, so every backend test runs on both engines there. A named
server that cannot be reached is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from sqlalchemy import Connection, Engine, text

from data.db import make_engine
from data.migrate import upgrade
from data.settings import Settings, load_settings

# One schema per test process, so concurrent runs on one server never see each other.
PG_SCHEMA = f"vx_test_{os.getpid()}"
DATA_TABLES = [
    "certificate_issue", "portal_registration", "portal_challenge_used",
    "vax_registration_merged", "vax_registration_merge", "vax_registration_cancel",
    "citizen_code", "citizen_token",
    "vax_aefi_self_report", "vax_health_declaration", "agg_health_declaration_daily",
    "vax_aefi_case", "vax_aefi_staff_report",
    "vax_stock_entry", "vax_stock_transfer", "vax_stock_count", "vax_stock_request",
    "vax_observation", "vax_session_tally", "vax_injection", "vax_screening", "vax_checkin",
    "vax_booking", "vax_session_staff",
    "vax_session",
    "injection", "registration", "stock_movement", "allocation", "aefi_report",
    "fct_injection", "fct_stock_movement", "fct_allocation", "fct_aefi", "fct_registration",
    "agg_doses_daily", "agg_doses_daily_province", "agg_doses_district", "agg_doses_group",
    "agg_doses_facility_daily", "agg_doses_lot", "agg_stock_on_hand", "facility", "warehouse",
    "population", "dim_facility", "dim_warehouse", "etl_load", "api_token", "login_lock",
    "user_role", "app_user",
]


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def backends() -> list[str]:
    """Engines the suite runs on in this environment."""
    return ["sqlite"] + (["postgresql"] if _pg_url() else [])


def redis_url() -> str | None:
    """The Redis named by the environment, if any."""
    return os.environ.get("REDIS_URL") or None


def _base_settings(database_url: str, **kw: object) -> Settings:
    # The cache prefix is the process's own too: test processes running side by side (xdist)
    # share one Redis, and equal data versions must never serve each other's cached figures.
    kw.setdefault("cache_prefix", PG_SCHEMA)
    return load_settings(env={}, database_url=database_url, redis_url=None, **kw)


def reset_data(engine: Engine) -> None:
    """Empty every data table and restore the seeded state (dimensions stay)."""
    with engine.begin() as conn:
        # DELETE, not TRUNCATE: on a few tiny tables it is ten times faster in PostgreSQL.
        for t in DATA_TABLES:
            conn.execute(text(f"DELETE FROM {t}"))
        if engine.dialect.name == "postgresql":
            # The audit log refuses DELETE by trigger; TRUNCATE is the administrator's way out.
            conn.execute(text("TRUNCATE audit_log"))
        conn.execute(text(
            "UPDATE dim_geography SET district_population = NULL, province_population = NULL"))
        conn.execute(text("UPDATE meta_data_version SET version = 1"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded SQLite file copied for each test (seeding once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "vx.db"
    engine = make_engine(_base_settings(f"sqlite:///{path}"))
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _stale_schemas(conn: Connection) -> list[str]:
    """Test schemas of processes that have ended (a run that was killed leaves its schema;
    the server's catalog should not grow run after run)."""
    names = conn.execute(text(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'vx\\_test\\_%'")).scalars()
    stale = []
    for name in names:
        pid = name.removeprefix("vx_test_")
        if pid.isdigit() and int(pid) != os.getpid() and not psutil.pid_exists(int(pid)):
            stale.append(name)
    return stale


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """The PostgreSQL test schema, migrated once per session and dropped after it."""
    url = _pg_url()
    assert url, "PostgreSQL requested without DATABASE_URL"
    base = make_engine(_base_settings(url))
    with base.begin() as conn:  # unreachable server -> OperationalError: the test errors
        for stale in _stale_schemas(conn):
            conn.execute(text(f"DROP SCHEMA IF EXISTS {stale} CASCADE"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    base.dispose()
    sep = "&" if "?" in url else "?"
    scoped = f"{url}{sep}options=-csearch_path%3D{PG_SCHEMA}"
    engine = make_engine(_base_settings(scoped))
    upgrade(engine)
    engine.dispose()
    yield _base_settings(scoped).database_url
    base = make_engine(_base_settings(url))
    with base.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    base.dispose()


@pytest.fixture(params=backends())
def settings(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings pointing at a fresh database of the parametrised engine, and an empty
    certificate key folder of the test's own (never the project's var/ folder: a key made
    there by the demo must not change what a test sees)."""
    keys = str(tmp_path / "certificate-keys")
    if request.param == "sqlite":
        db = tmp_path / "vx.db"
        shutil.copy(sqlite_template, db)
        return _base_settings(f"sqlite:///{db}").with_(certificate_key_dir=keys)
    url = request.getfixturevalue("pg_database_url")
    s = _base_settings(url).with_(certificate_key_dir=keys)
    engine = make_engine(s)
    reset_data(engine)
    engine.dispose()
    return s


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An engine on the test database."""
    e = make_engine(settings)
    yield e
    e.dispose()
