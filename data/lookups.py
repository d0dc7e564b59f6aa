"""Reference look-ups the ETL validates against, read once per load."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text


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


def load_context_for(
    conn: Connection, provinces: list[str], districts: list[str], wards: list[str],
    facilities: list[str],
) -> RefContext:
    """The reference context restricted to the given codes: what one or a few rows are
    checked against (every rule asks only about the codes its rows carry), read by key
    instead of whole tables, in one round trip (a command pays per statement)."""
    parts, params = [], {}
    for i, (kind, code, value, table, codes) in enumerate((
            ("p", "code", "code", "ref_province", provinces),
            ("d", "code", "province_code", "ref_district", districts),
            ("w", "code", "district_code", "ref_ward", wards),
            ("f", "facility_code", "CAST(facility_key AS VARCHAR(12))", "dim_facility",
             facilities))):
        if codes:
            parts.append(f"SELECT '{kind}', {code}, {value} FROM {table} WHERE {code} IN :c{i}")
            params[f"c{i}"] = codes
    found: dict[str, dict[str, str]] = {"p": {}, "d": {}, "w": {}, "f": {}}
    if parts:
        q = text(" UNION ALL ".join(parts)).bindparams(
            *(bindparam(k, expanding=True) for k in params))
        for kind, code, value in conn.execute(q, params):
            found[kind][code] = value
    return RefContext(
        provinces=frozenset(found["p"]),
        district_province=found["d"],
        ward_district=found["w"],
        facility_keys={c: int(k) for c, k in found["f"].items()},
        warehouse_keys={},
    )
