"""Personal data stays in operational tables: the star schema and rollups carry none."""

from __future__ import annotations

from data.models import metadata

PERSONAL = {"full_name", "person_id", "id_type", "phone", "birth_date", "address", "name_person",
            "vaccinator"}
OPERATIONAL = {"injection", "registration"}


def test_no_personal_columns_outside_operational_tables() -> None:
    analytic = [t for name, t in metadata.tables.items()
                if name.startswith(("dim_", "fct_", "agg_"))]
    assert len(analytic) >= 17
    leaks = [f"{t.name}.{c.name}" for t in analytic for c in t.columns if c.name in PERSONAL]
    assert leaks == []


def test_personal_columns_live_in_operational_tables() -> None:
    for name in OPERATIONAL:
        cols = set(metadata.tables[name].columns.keys())
        assert {"full_name", "person_id", "phone"} <= cols
