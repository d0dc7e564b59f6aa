"""SQL of the name lookups: the names people know places and facilities by."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read


def district_names(conn: Connection) -> pd.DataFrame:
    """Every district of the country: district_code, district_name (from dim_geography)."""
    return read(conn, """
        SELECT district_code, MAX(district_name) AS district_name
        FROM dim_geography GROUP BY district_code ORDER BY district_code""")


def facility_names(conn: Connection) -> pd.DataFrame:
    """Every facility: facility_code, facility_name (from dim_facility)."""
    return read(conn, """
        SELECT facility_code, name AS facility_name
        FROM dim_facility ORDER BY facility_code""")
