"""Injections load part by part: the same rows, rollups, counts and rejects as one part."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data.interchange.kinds.base import Transformed
from data.recompute import ALL_ROLLUPS, rollup_as_stored, rollup_from_facts
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from etl.registry import KINDS
from tests.conftest import reset_data
from tests.factories import FACILITY, injection, read_rejects, write_csv

PART = 7  # rows per part: the files below span several parts
VACCINES = ["AZ", "VRC", "PFZ", "JNJ"]


def _rows(rng: np.random.Generator, ids: range) -> list[dict[str, object]]:
    out = []
    for i in ids:
        vaccine = VACCINES[rng.integers(len(VACCINES))]
        number = 1 if vaccine == "JNJ" else int(rng.integers(1, 3))
        row = injection(
            f"P{i:04d}", vaccine_code=vaccine, dose_number=number,
            administered_at=f"2021-{rng.integers(7, 12):02d}-{rng.integers(1, 28):02d}"
                            "T09:00:00+07:00",
            status="ENTERED_IN_ERROR" if i % 11 == 0 else "COMPLETED")
        if i % 9 == 4:
            row["vaccine_code"] = "XX"  # rejected: unknown vaccine
        out.append(row)
    return out


def _snapshot(engine: Engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        tables = {t: rollup_as_stored(conn, t) for t in ALL_ROLLUPS}
        for t in ALL_ROLLUPS:
            assert tables[t].equals(rollup_from_facts(conn, t)), t
            # One facility, whose surrogate key a PostgreSQL sequence renumbers on reload.
            tables[t] = tables[t].drop(columns=["facility_key"], errors="ignore")
        cols = "record_id, status, vaccine_code, dose_number, row_hash"
        tables["injection"] = pd.read_sql(
            text(f"SELECT {cols} FROM injection ORDER BY record_id"), conn)
        tables["fct_injection"] = pd.read_sql(text(
            "SELECT record_id, date_key, vaccine_key, dose_key FROM fct_injection "
            "ORDER BY record_id"), conn)
    return tables


def _counts(r: LoadResult) -> tuple[int, ...]:
    return (r.read, r.loaded, r.updated, r.unchanged, r.rejected)


def _load_all(settings: Settings, engine: Engine, files: list[Path]) -> list[LoadResult]:
    load_file(settings, engine, "facilities", write_csv(files[0].parent / "f.csv", [FACILITY]))
    return [load_file(settings, engine, "injections", f) for f in files]


def test_parts_load_as_one_part_does(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    first = _rows(rng, range(60))
    # Second file: replays, corrections (new vaccine or status) and new ids, spread so that
    # every part holds some of each; its id range overlaps the stored ids.
    second = []
    for i, row in enumerate(_rows(np.random.default_rng(8), range(30, 90))):
        if i % 3 == 0 and int(str(row["record_id"])[1:]) < 60:
            row = dict(first[int(str(row["record_id"])[1:])])  # a replay: same content
        second.append(row)
    files = [write_csv(tmp_path / "a.csv", first), write_csv(tmp_path / "b.csv", second)]

    parted = _load_all(dataclasses.replace(settings, etl_chunk_rows=PART), engine, files)
    got, got_rejects = _snapshot(engine), [read_rejects(r.reject_path) for r in parted]
    reset_data(engine)
    whole = _load_all(dataclasses.replace(settings, etl_chunk_rows=100_000), engine, files)

    assert [_counts(r) for r in parted] == [_counts(r) for r in whole]
    assert [read_rejects(r.reject_path) for r in whole] == got_rejects
    expected = _snapshot(engine)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    # The figures themselves: 60 rows, every ninth from 4 rejected; then 30 new ids.
    assert _counts(parted[0]) == (60, 53, 0, 0, 7)
    assert parted[1].loaded == len([i for i in range(60, 90) if i % 9 != 4])
    assert parted[1].unchanged > 0 and parted[1].updated > 0


def test_a_file_with_repeated_ids_loads_whole_and_the_last_row_wins(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = _rows(np.random.default_rng(3), range(1, 30))
    rows = [r for r in rows if r["vaccine_code"] != "XX"]
    rows.append(injection("P0001", vaccine_code="PFZ", dose_number=2,
                          administered_at="2021-11-02T09:00:00+07:00"))
    result = _load_all(dataclasses.replace(settings, etl_chunk_rows=PART), engine,
                       [write_csv(tmp_path / "a.csv", rows)])[0]
    assert (result.loaded, result.updated) == (len(rows) - 1, 0)
    got = _snapshot(engine)["injection"].set_index("record_id")
    assert got.loc["P0001", "vaccine_code"] == "PFZ"


def test_a_failing_part_leaves_nothing_behind(
    settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = KINDS["injections"]
    calls = {"n": 0}

    def last_part_fails(*args: Any) -> Transformed:
        calls["n"] += 1
        if calls["n"] == 7:  # 40 rows in parts of 1, then 7: the six parts before are written
            raise RuntimeError("validation crashed on the last part")
        return spec.transform(*args)

    path = write_csv(tmp_path / "a.csv", _rows(np.random.default_rng(5), range(40)))
    parted = dataclasses.replace(settings, etl_chunk_rows=PART)
    load_file(parted, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    monkeypatch.setitem(KINDS, "injections", dataclasses.replace(spec, transform=last_part_fails))
    with pytest.raises(RuntimeError, match="last part"):
        load_file(parted, engine, "injections", path)
    assert calls["n"] == 7
    with engine.connect() as conn:
        for table in ("injection", "fct_injection", "agg_doses_daily", "etl_load"):
            n = conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE 1=1")).scalar_one()
            assert n == (1 if table == "etl_load" else 0), table  # the facilities load only


def test_the_fact_date_index_is_brin_on_postgresql(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            method = conn.execute(text("""
                SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
                WHERE c.relname = 'ix_fct_injection_date_key'
                  AND c.relnamespace = to_regnamespace(current_schema())""")).scalar_one()
            assert method == "brin"
        else:
            sql = conn.execute(text("SELECT sql FROM sqlite_master "
                                    "WHERE name = 'ix_fct_injection_date_key'")).scalar_one()
            assert "(date_key)" in sql
