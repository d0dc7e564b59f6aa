"""The invitation list's district reads on PostgreSQL can use 0015's indexes: the first doses'
registration read (province, district, priority groups) and the next doses' injection read
(province, district). With sequential scans disabled the planner must name the index, so a
change of the WHERE clause that the index no longer serves fails here. (By hand, on 1M rows
per table over ~700 districts, the planner picks them unprompted: 2-43 ms instead of 210-510 ms
of parallel sequential scans.)

PostgreSQL only (the indexes' use is the PostgreSQL planner's): defined only when the suite
runs on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, Select, text
from sqlalchemy.dialects import postgresql

from data.ops.queries.invitations import _dosed_query, _registered_query
from data.settings import Settings
from tests.conftest import backends

PLACE = ("01", "001")
# A district's registrations: any index led by (province_code, district_code) serves the
# list; the planner picks among them by their size (the registrations page added three, 0021).
REGISTRATIONS = ("ix_registration_province_code_district_code_priority_group",
                 "ix_registration_place_person_id", "ix_registration_place_registered_at",
                 "ix_registration_place_full_name")
INJECTIONS = "ix_injection_province_code_district_code"


def _plan(engine: Engine, query: Select) -> str:
    sql = str(query.compile(dialect=postgresql.dialect(),
                            compile_kwargs={"literal_binds": True}))
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(conn.execute(text("EXPLAIN " + sql)).scalars())


if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    @pytest.mark.parametrize("groups", [[], [1, 2, 3]])
    def test_the_district_reads_use_their_indexes(settings: Settings, engine: Engine,
                                                  groups: list[int]) -> None:
        first = _plan(engine, _registered_query(PLACE, groups, "S1", 600))
        assert any(f"Index Scan on {ix}" in first
                   or f"Index Scan using {ix} on registration" in first
                   or f"Bitmap Index Scan on {ix}" in first for ix in REGISTRATIONS), first
        assert "Seq Scan on registration" not in first, first
        following = _plan(engine, _dosed_query(PLACE, groups, "S1", dt.date(2021, 12, 1), 600))
        assert f"Index Scan on {INJECTIONS}" in following \
            or f"Index Scan using {INJECTIONS} on injection" in following, following
        assert "Seq Scan on injection" not in following, following
