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
    instead of whole tables."""

    def rows(sql: str, codes: list[str]) -> list[tuple[str, object]]:
        if not codes:
            return []
        q = text(sql).bindparams(bindparam("codes", expanding=True))
        return [(r[0], r[1]) for r in conn.execute(q, {"codes": codes})]

    return RefContext(
        provinces=frozenset(c for c, _ in rows(
            "SELECT code, code FROM ref_province WHERE code IN :codes", provinces)),
        district_province=dict(rows(
            "SELECT code, province_code FROM ref_district WHERE code IN :codes", districts)),
        ward_district=dict(rows(
            "SELECT code, district_code FROM ref_ward WHERE code IN :codes", wards)),
        facility_keys=dict(rows("SELECT facility_code, facility_key FROM dim_facility "
                                "WHERE facility_code IN :codes", facilities)),
        warehouse_keys={},
    )
