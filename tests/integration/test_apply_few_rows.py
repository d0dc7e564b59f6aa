"""A command's row or two are stored without a staging table (data.loaders.simple._apply_few,
data.bulk.insert_rows); on each backend they give the staged path's counts and rows: new,
unchanged, corrected."""

from __future__ import annotations

import sqlite3

import pandas as pd
import psycopg
import pytest
from sqlalchemy import Connection, Engine, text

from data import bulk
from data.db import unit_of_work
from data.interchange.kinds import registrations
from data.interchange.validate import LINE, Validator
from data.loaders.simple import apply_registrations
from data.lookups import load_context

_PEOPLE = [("R-1", "001090000001", "Nguyễn Văn An"), ("R-2", "001090000002", "Trần Thị Bé"),
           ("R-3", "001090000003", "Lê Văn Cường")]


def _rows(conn: Connection, people: list[tuple[str, str, str]]) -> pd.DataFrame:
    raw = pd.DataFrame([{
        "registration_id": rid, "person_id": pid, "id_type": "CCCD", "full_name": name,
        "birth_date": "1990-01-02", "sex": "M", "phone": "0912345678",
        "priority_group": "3", "province_code": "01", "district_code": "001",
        "ward_code": "00001", "address": None, "organisation": None,
        "registered_at": "2021-07-01T10:00:00+07:00"} for rid, pid, name in people],
        dtype="str")
    raw[LINE] = range(1, len(raw) + 1)
    v = Validator(raw, "vi", "Asia/Ho_Chi_Minh")
    result = registrations.transform(v, load_context(conn))
    assert v.problems().empty
    return result.rows


def _stored(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT r.*, f.date_key, f.geo_key, f.group_key FROM registration r "
            "JOIN fct_registration f USING (registration_id) ORDER BY registration_id"))]


def _load(engine: Engine, people: list[tuple[str, str, str]], few: bool,
          monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    monkeypatch.setattr(bulk, "FEW_ROWS", 8 if few else 0)
    with unit_of_work(engine) as conn:
        c = apply_registrations(conn, _rows(conn, people), 1_000)
    return c.loaded, c.updated, c.unchanged


def test_a_few_rows_store_as_the_staged_path_does(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrected = [_PEOPLE[0], (_PEOPLE[1][0], _PEOPLE[1][1], "Trần Thị Bé Hai"), _PEOPLE[2]]
    seen: dict[bool, list] = {}
    for few in (False, True):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM fct_registration"))
            conn.execute(text("DELETE FROM registration"))
        counts = [_load(engine, _PEOPLE[:2], few, monkeypatch),
                  _load(engine, corrected, few, monkeypatch)]
        assert counts == [(2, 0, 0), (1, 1, 1)]
        seen[few] = _stored(engine)
    assert len(seen[True]) == 3 and "Trần Thị Bé Hai" in seen[True][1]
    assert seen[True] == seen[False]


def test_fresh_ids_are_inserted_without_a_probe_and_a_held_one_is_refused(
    engine: Engine
) -> None:
    with unit_of_work(engine) as conn:
        probed = apply_registrations(conn, _rows(conn, _PEOPLE[:1]), 1_000)
    assert (probed.loaded, probed.updated) == (1, 0)
    with unit_of_work(engine) as conn:
        fresh = apply_registrations(conn, _rows(conn, _PEOPLE[1:2]), 1_000, fresh=True)
    assert (fresh.loaded, fresh.updated) == (1, 0)
    stored = _stored(engine)
    assert [r[0] for r in stored] == ["R-1", "R-2"]
    # An id said to be fresh that a row holds: the primary key refuses it (the driver's own
    # error: the few rows go by its cursor), nothing is overwritten.
    renamed = [(_PEOPLE[0][0], _PEOPLE[0][1], "Someone Else")]
    refused = (sqlite3.IntegrityError, psycopg.IntegrityError)
    with pytest.raises(refused), unit_of_work(engine) as conn:
        apply_registrations(conn, _rows(conn, renamed), 1_000, fresh=True)
    assert _stored(engine) == stored
