"""Loading an injections file whose invalid rows sit between valid neighbours: the reject
report names each (line, field, reason), every neighbour loads, and the stored rows come back.
Shared by the tests of the injections rules (test_etl_injections_*.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Engine, text

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, read_rejects, scalar, write_csv


class Bad(NamedTuple):
    """An invalid row: the field the report must name, the message key, the overrides."""

    field: str
    key: str
    over: dict[str, Any]


@pytest.fixture
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names."""
    result = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    assert result.loaded == 1


def inj(record_id: str, /, **over: Any) -> dict[str, Any]:
    """injection() whose overrides may also blank the record_id."""
    return injection(record_id) | {k: str(v) for k, v in over.items()}


def prefix(key: str, lang: str) -> str:
    """The fixed part of a message (before its first placeholder)."""
    return MESSAGES[key][lang].split("{")[0]


def stored_rows(engine: Engine, table: str = "injection") -> dict[str, dict[str, Any]]:
    """Every row of `table`, by record_id."""
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()
    return {r["record_id"]: dict(r) for r in rows}


def run_file(
    settings: Settings, engine: Engine, tmp_path: Path,
    valid: dict[str, dict[str, Any]] | None = None, invalid: list[Bad] | None = None,
    lang: str | None = None, name: str = "i.csv",
) -> dict[str, dict[str, Any]]:
    """Load valid rows with each invalid row between two of them; check rejects; return rows."""
    valid, invalid = valid or {}, invalid or []
    good = [inj(rid, **over) for rid, over in valid.items()]
    good += [injection(f"PAD{i}") for i in range(len(invalid) + 1 - len(good))]
    rows, expected = [good[0]], {}
    for i, bad in enumerate(invalid):
        rows.append(inj(f"BAD{i}", **bad.over))
        expected[str(len(rows) + 1)] = bad  # line 1 is the header
        rows.append(good[i + 1])
    rows += good[len(invalid) + 1:]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / name, rows),
                       lang=lang)
    assert result.read == len(rows)
    assert result.rejected == len(invalid)
    if invalid:
        report = read_rejects(result.reject_path)
        assert {r["line"] for r in report} == set(expected), report
        for line, bad in expected.items():
            hits = [r for r in report if r["line"] == line and r["field"] == bad.field]
            assert hits, f"line {line}: no reject on {bad.field}: {report}"
            assert hits[0]["reason"].strip()
            assert hits[0]["reason"].startswith(prefix(bad.key, lang or "vi")), hits[0]
    else:
        assert result.reject_path is None
    stored = stored_rows(engine)
    assert sorted(stored) == sorted(r["record_id"] for r in good)
    return stored


def fact(engine: Engine, record_id: str, column: str) -> Any:
    return scalar(engine, f"SELECT {column} FROM fct_injection WHERE record_id = :r",
                  r=record_id)
