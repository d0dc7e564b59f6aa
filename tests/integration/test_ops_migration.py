"""Migrations 0010, 0012, 0013 and 0014 on each backend: the tables they create are the
models' (no difference Alembic can see), and each downgrades to the revision before it and
upgrades again."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from data.migrate import alembic_config
from data.models import metadata

OPS_TABLES = {"vax_session", "vax_session_staff", "vax_booking", "vax_checkin",
              "vax_screening", "vax_injection"}


def _concerns_ops(diff: tuple) -> bool:
    """Whether an autogenerate difference touches 0010's tables or indexes."""
    text = repr(diff)
    return any(t in text for t in OPS_TABLES) or "ix_injection_person_id" in text \
        or "ix_registration_phone" in text


def _indexes(engine: Engine, table: str) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes(table)}


def test_0010_matches_the_models_and_downgrades(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if _concerns_ops(d)] == []
    assert set(inspect(engine).get_table_names()) >= OPS_TABLES
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    assert not OPS_TABLES & set(inspect(engine).get_table_names())
    assert "ix_injection_person_id" not in _indexes(engine, "injection")
    assert "ix_registration_phone" not in _indexes(engine, "registration")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    assert set(inspect(engine).get_table_names()) >= OPS_TABLES
    assert "ix_injection_person_id" in _indexes(engine, "injection")
    assert "uq_vax_booking_session_id_person_id" in _indexes(engine, "vax_booking")


@pytest.mark.parametrize(("revision", "parent", "table", "check"), [
    ("0013", "0012", "vax_observation", "ck_vax_observation_outcome"),
    ("0014", "0013", "vax_session_tally", "ck_vax_session_tally_vials_hold_given_and_wasted"),
    ("0016", "0014", "vax_stock_transfer", "ck_vax_stock_transfer_received_within_sent"),
])
def test_later_migrations_match_their_models_and_downgrade(
        engine: Engine, revision: str, parent: str, table: str, check: str) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if table in repr(d)] == []
    assert table in inspect(engine).get_table_names()
    checks = {c["name"] for c in inspect(engine).get_check_constraints(table)}
    assert check in checks
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, parent)
    assert table not in inspect(engine).get_table_names()
    assert "vax_session" in inspect(engine).get_table_names()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    assert table in inspect(engine).get_table_names()
def test_0012_matches_the_model_and_downgrades(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "vax_injection" in repr(d)] == []
    assert "uq_vax_injection_checkin_id" in _indexes(engine, "vax_injection")
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
    names = set(inspect(engine).get_table_names())
    assert "vax_injection" not in names and "vax_screening" in names
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    assert "vax_injection" in set(inspect(engine).get_table_names())
    assert {"uq_vax_injection_checkin_id", "ix_vax_injection_session_id"} <= _indexes(
        engine, "vax_injection")
