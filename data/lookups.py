"""Reference look-ups the ETL validates against, read once per load."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text


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
