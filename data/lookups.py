"""Reference look-ups the ETL validates against, read once per load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, TextClause, bindparam, text


@dataclass(frozen=True)
class RefContext:
    """Codes that exist, and the surrogate keys of facilities and warehouses."""

    provinces: frozenset[str]
    district_province: dict[str, str]
    ward_district: dict[str, str]
    facility_keys: dict[str, int]
    warehouse_keys: dict[str, int]


def _pairs(conn: Connection, sql: str) -> dict:
    return {k: v for k, v in conn.execute(text(sql))}


def load_context(conn: Connection) -> RefContext:
    """Read the reference context from the database."""
    return RefContext(
        provinces=frozenset(r[0] for r in conn.execute(text("SELECT code FROM ref_province"))),
        district_province=_pairs(conn, "SELECT code, province_code FROM ref_district"),
        ward_district=_pairs(conn, "SELECT code, district_code FROM ref_ward"),
        facility_keys=_pairs(conn, "SELECT facility_code, facility_key FROM dim_facility"),
        warehouse_keys=_pairs(conn, "SELECT warehouse_code, warehouse_key FROM dim_warehouse"),
    )


# The reference tables a command's codes are looked up in: (tag, code column, value, table).
_FOR_CODES = (("p", "code", "code", "ref_province"),
              ("d", "code", "province_code", "ref_district"),
              ("w", "code", "district_code", "ref_ward"),
              ("f", "facility_code", "CAST(facility_key AS VARCHAR(12))", "dim_facility"))


@lru_cache(maxsize=64)
def _context_query(shape: tuple[int, ...]) -> TextClause:
    """The look-up of no (0), one (1) or several (2) codes of each table, built once a shape
    (a command's one code a table compares by =; several go by an expanding IN)."""
    parts, expanding = [], []
    for i, ((kind, code, value, table), n) in enumerate(zip(_FOR_CODES, shape, strict=True)):
        if n == 1:
            parts.append(f"SELECT '{kind}', {code}, {value} FROM {table} WHERE {code} = :c{i}")
        elif n > 1:
            parts.append(f"SELECT '{kind}', {code}, {value} FROM {table} WHERE {code} IN :c{i}")
            expanding.append(bindparam(f"c{i}", expanding=True))
    return text(" UNION ALL ".join(parts)).bindparams(*expanding)


def load_context_for(
    conn: Connection, provinces: list[str], districts: list[str], wards: list[str],
    facilities: list[str],
) -> RefContext:
    """The reference context restricted to the given codes: what one or a few rows are
    checked against (every rule asks only about the codes its rows carry), read by key
    instead of whole tables, in one round trip (a command pays per statement)."""
    asked = (provinces, districts, wards, facilities)
    shape = tuple(min(len(codes), 2) for codes in asked)  # none, one, several
    found: dict[str, dict[str, str]] = {"p": {}, "d": {}, "w": {}, "f": {}}
    if any(shape):
        params = {f"c{i}": codes[0] if len(codes) == 1 else codes
                  for i, codes in enumerate(asked) if codes}
        for kind, code, value in conn.execute(_context_query(shape), params):
            found[kind][code] = value
    return RefContext(
        provinces=frozenset(found["p"]),
        district_province=found["d"],
        ward_district=found["w"],
        facility_keys={c: int(k) for c, k in found["f"].items()},
        warehouse_keys={},
    )
