"""File fuzzing of the loader: every malformed file of issue 10, then random truncations and
byte flips of a valid CSV, JSON Lines and XLSX file (hypothesis).

Whatever the bytes, `python -m etl load` ends with exit 0 (loaded), 1 (rows rejected, with a
reject report) or 2 (refused in one sentence, with a one-row report); never a traceback.
A refused file leaves the database exactly as it was; after any load the rollups equal a
full recomputation from the facts, so nothing is ever half-loaded.

The examples are fixed (derandomized) so the suite gives the same answer every run; set
VX_FUZZ_EXAMPLES=500 to explore new random files on a developer's machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from data.recompute import ALL_ROLLUPS, rollup_as_stored, rollup_from_facts
from data.settings import Settings
from etl.pipeline import default_reject_path, load_file
from tests.factories import FACILITY, injection, read_rejects, write_csv, write_jsonl, write_xlsx
from tests.malformed_files import EVERY, database_state, run_load

EXPLORE = int(os.environ.get("VX_FUZZ_EXAMPLES", "0"))
EXAMPLES = EXPLORE or 12  # per container; a dozen keeps each backend well under a minute

ROWS = [injection("R1"), injection("R2", dose_number="2", administered_at="2021-09-01T09:00"),
        injection("R3", vaccine_code="PFZ", lot_number="FF1234", province_code="1",
                  district_code="1"),
        injection("R4", sex="X")]  # one row the rules reject, so reports are part of the base
WRITERS: dict[str, Callable[[Path], Path]] = {
    "csv": lambda p: write_csv(p / "base.csv", ROWS),
    "jsonl": lambda p: write_jsonl(p / "base.jsonl", ROWS),
    "xlsx": lambda p: write_xlsx(p / "base.xlsx", ROWS),
}

# A truncation at a fraction of the file, or one to four bytes set to random values.
MUTATIONS = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                   st.integers(0, 255)), min_size=1,
                                         max_size=4)),
)


def mutate(data: bytes, mutation: tuple[str, object]) -> bytes:
    """`data` cut short or with some bytes replaced."""
    kind, how = mutation
    if kind == "truncate":
        assert isinstance(how, float)
        return data[: int(how * len(data))]
    out = bytearray(data)
    assert isinstance(how, list)
    for where, value in how:
        out[int(where * len(out))] = value
    return bytes(out)


def assert_loaded_whole_or_not_at_all(settings: Settings, engine: Engine, path: Path) -> int:
    """Load `path` as the command line does and check the outcome's promises."""
    before = database_state(engine)
    code, out, err = run_load(settings, engine, path, "en")
    assert code in (0, 1, 2), (code, out, err)
    report = default_reject_path(path)
    if code == 2:
        assert out == "" and err.startswith(f"injections {path.name}: ")
        assert err.count("\n") == 1 and err.endswith(".\n"), err
        assert len(read_rejects(report)) == 1
        assert database_state(engine) == before, "a refused file changed the database"
        return code
    assert err == "" and out.startswith(f"injections {path.name}: read ")
    if code == 1:
        rejects = read_rejects(report)
        assert rejects and all(r["line"].isdigit() and r["reason"] for r in rejects)
    with engine.connect() as conn:
        for table in ALL_ROLLUPS:
            assert rollup_as_stored(conn, table).equals(rollup_from_facts(conn, table)), table
    return code


@pytest.fixture(autouse=True)
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1


def test_every_malformed_file_then_the_valid_ones(settings: Settings, engine: Engine,
                                                  tmp_path: Path) -> None:
    for name, build in sorted(EVERY.items()):
        folder = tmp_path / name
        folder.mkdir()
        assert assert_loaded_whole_or_not_at_all(settings, engine, build(folder).path) == 2
    for fmt, write in WRITERS.items():
        assert assert_loaded_whole_or_not_at_all(settings, engine, write(tmp_path)) == 1, fmt


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_truncated_and_flipped_files(settings: Settings, engine: Engine, tmp_path: Path,
                                     fmt: str) -> None:
    base = WRITERS[fmt](tmp_path)
    original = base.read_bytes()
    seen: set[int] = set()

    @fuzz_settings(max_examples=EXAMPLES, deadline=None, database=None,
                   derandomize=not EXPLORE)
    @given(MUTATIONS)
    def load_mutated(mutation: tuple[str, object]) -> None:
        path = tmp_path / f"mutated{base.suffix}"
        path.write_bytes(mutate(original, mutation))
        default_reject_path(path).unlink(missing_ok=True)
        seen.add(assert_loaded_whole_or_not_at_all(settings, engine, path))

    load_mutated()
    assert seen, "no example ran"
