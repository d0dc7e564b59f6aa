"""SQL of the command-center reads: each function runs one statement and returns a DataFrame."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, text


def read(conn: Connection, sql: str, params: Mapping[str, Any] | None = None,
         ints: Iterable[str] = ()) -> pd.DataFrame:
    """Run `sql`; columns in `ints` become int64 (PostgreSQL sums arrive as Decimal)."""
    df = pd.read_sql(text(sql), conn, params=dict(params or {}))
    for col in ints:
        df[col] = df[col].fillna(0).astype("int64")
    return df


def scalar(conn: Connection, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """One value."""
    return conn.execute(text(sql), dict(params or {})).scalar_one()
