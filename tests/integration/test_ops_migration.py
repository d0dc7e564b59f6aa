"""Migrations 0010 and 0012 to 0023 on each backend: the tables, indexes and columns they
create are the models' (no difference Alembic can see), and each downgrades to the revision
before it and upgrades again. 0015 creates no table: it numbers the screenings already stored."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from data.auth.roles import Role
from data.migrate import alembic_config
from data.models import metadata
from data.ops.commands import checkin, sessions
from tests.integration.injection_setup import AN
from tests.integration.ops_setup import SOURCE, plan, principal, seed_places

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
    ("0016", "0015", "vax_stock_transfer", "ck_vax_stock_transfer_received_within_sent"),
    ("0017", "0016", "vax_aefi_case", "ck_vax_aefi_case_classified"),
    ("0017", "0016", "vax_aefi_staff_report", None),
    ("0018", "0017", "vax_stock_request", "ck_vax_stock_request_action_known"),
    ("0021", "0020", "vax_registration_merge", None),
    ("0021", "0020", "vax_registration_merged", None),
    ("0023", "0022", "certificate_issue", None),
])
def test_later_migrations_match_their_models_and_downgrade(
        engine: Engine, revision: str, parent: str, table: str, check: str | None) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if table in repr(d)] == []
    assert table in inspect(engine).get_table_names()
    checks = {c["name"] for c in inspect(engine).get_check_constraints(table)}
    assert check is None or check in checks
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


INDEXES_0015 = {("vax_screening", "uq_vax_screening_checkin_id_attempt"),
                ("registration", "ix_registration_province_code_district_code_priority_group"),
                ("injection", "ix_injection_province_code_district_code")}


def _screening(conn: object, sid: str, cid: str, at: str) -> None:
    conn.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO vax_screening (screening_id, checkin_id, rule_set_id, answers, vitals, "
        "computed_outcome, reasons, final_decision, clinician_user_id, screened_at) VALUES "
        "(:s, :c, 'screening-4355-adult', '{}', '{}', 'ELIGIBLE', '[]', 'ELIGIBLE', 1, :at)"),
        {"s": sid, "c": cid, "at": at})


def test_0015_numbers_earlier_screenings_matches_the_models_and_downgrades(
        engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if any(name in repr(d) for _, name in INDEXES_0015)
            or "vax_screening" in repr(d)] == []
    for table, name in INDEXES_0015:
        assert name in _indexes(engine, table)
    seed_places(engine)
    desk = principal(engine, "le.tan", Role.FACILITY_STAFF, "F00101")
    cid = checkin.record_checkin(engine, desk, SOURCE, sessions.create_session(
        engine, desk, SOURCE, plan()), AN).checkin_id
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0014")
    assert not {name for _, name in INDEXES_0015} & (
        _indexes(engine, "vax_screening") | _indexes(engine, "registration")
        | _indexes(engine, "injection"))
    assert "ix_vax_screening_checkin_id" in _indexes(engine, "vax_screening")
    # Before 0015 nothing stopped a check-in screened twice (a re-screen after a pause):
    # both rows stay, numbered in the order they were made.
    with engine.begin() as conn:
        _screening(conn, "S-LATER", cid, "2021-10-15 02:40:00+00:00")
        _screening(conn, "S-FIRST", cid, "2021-10-15 02:10:00+00:00")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    with engine.connect() as conn:
        assert conn.execute(text("SELECT screening_id, attempt FROM vax_screening "
                                 "ORDER BY attempt")).all() == [("S-FIRST", 1), ("S-LATER", 2)]
    for table, name in INDEXES_0015:
        assert name in _indexes(engine, table)
    assert "ix_vax_screening_checkin_id" not in _indexes(engine, "vax_screening")


INDEXES_0019 = {("injection", "ix_injection_vaccine_code_lot_number"),
                ("stock_movement", "ix_stock_movement_vaccine_code_lot_number"),
                ("vax_session_tally", "ix_vax_session_tally_vaccine_code_lot_number")}


def test_0019_the_lot_trace_indexes_match_the_models_and_downgrade(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if any(name in repr(d) for _, name in INDEXES_0019)] == []
    for table, name in INDEXES_0019:
        assert name in _indexes(engine, table)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0018")
    for table, name in INDEXES_0019:
        assert name not in _indexes(engine, table)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    for table, name in INDEXES_0019:
        assert name in _indexes(engine, table)


def test_0020_adds_the_status_reason_and_downgrades(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "status_reason" in repr(d)] == []

    def columns() -> set[str]:
        return {c["name"] for c in inspect(engine).get_columns("facility")}

    assert "status_reason" in columns()
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019")
    assert "status_reason" not in columns() and "status" in columns()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    assert "status_reason" in columns()


def test_0022_links_transfers_to_allocations_and_downgrades(engine: Engine) -> None:
    def columns() -> set[str]:
        return {c["name"] for c in inspect(engine).get_columns("vax_stock_transfer")}

    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "vax_stock_transfer" in repr(d)] == []
    assert "allocation_id" in columns()
    assert "ix_vax_stock_transfer_allocation_id" in _indexes(engine, "vax_stock_transfer")
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0021")
    assert "allocation_id" not in columns()
    checks = {c["name"] for c in inspect(engine).get_check_constraints("vax_stock_transfer")}
    assert "ck_vax_stock_transfer_received_within_sent" in checks
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # later tests share this schema on PostgreSQL
    assert "allocation_id" in columns()
    assert "ix_vax_stock_transfer_allocation_id" in _indexes(engine, "vax_stock_transfer")
