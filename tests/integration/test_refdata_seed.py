"""Reference seeding adds what a grown catalogue lacks to a database seeded before."""

from __future__ import annotations

from sqlalchemy import Engine, text

from data import catalog
from data.refdata import seed_reference


def _groups(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT DISTINCT priority_group FROM dim_population_group")).scalars())


def test_seeding_adds_priority_groups_12_to_16_to_an_older_database(engine: Engine) -> None:
    with engine.begin() as conn:  # a database seeded when the list had 12 groups (0-11)
        conn.execute(text("DELETE FROM dim_population_group WHERE priority_group > 11"))
    assert _groups(engine) == set(range(12))
    seed_reference(engine)
    assert _groups(engine) == set(catalog.PRIORITY_GROUPS) == set(range(17))
    with engine.connect() as conn:
        per_group = conn.execute(text(
            "SELECT COUNT(*) FROM dim_population_group WHERE priority_group = 16")).scalar_one()
    assert per_group == len(catalog.AGE_BANDS) * len(catalog.SEXES)
    seed_reference(engine)  # again: nothing added twice
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dim_population_group")).scalar_one() == (
            17 * len(catalog.AGE_BANDS) * len(catalog.SEXES))
