"""Per-batch look-ups: the stored state a file's rows are checked against."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, bindparam, text

_CHUNK = 900  # below SQLite's bound-parameter limit


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def injections_for(conn: Connection, record_ids: Iterable[str]) -> pd.DataFrame:
    """Counted injections by record_id, with their fact keys, time (UTC text) and the
    person's birth date."""
    ids = sorted({r for r in record_ids if isinstance(r, str)})
    stmt = text("""
        SELECT i.record_id, i.administered_at, i.birth_date, f.geo_key, f.vaccine_key, f.dose_key,
               f.group_key, f.lot_number
        FROM injection i JOIN fct_injection f ON f.record_id = i.record_id
        WHERE i.record_id IN :ids
    """).bindparams(bindparam("ids", expanding=True))
    frames = [pd.read_sql(stmt, conn, params={"ids": c}) for c in _chunks(ids)]
    cols = ["record_id", "administered_at", "birth_date", "geo_key", "vaccine_key", "dose_key",
            "group_key", "lot_number"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def stock_for(conn: Connection, warehouse_keys: Iterable[int],
              movement_ids: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """On-hand per (warehouse_key, vaccine_key, lot) and the stored version of re-sent ids."""
    wkeys = sorted({int(k) for k in warehouse_keys})
    on_hand_sql = text("""
        SELECT warehouse_key, vaccine_key, lot_number, doses FROM agg_stock_on_hand
        WHERE warehouse_key IN :k
    """).bindparams(bindparam("k", expanding=True))
    frames = [pd.read_sql(on_hand_sql, conn, params={"k": c}) for c in _chunks(wkeys)]  # type: ignore[arg-type]
    on_hand = (pd.concat(frames, ignore_index=True) if frames else
               pd.DataFrame(columns=["warehouse_key", "vaccine_key", "lot_number", "doses"]))
    ids = sorted({m for m in movement_ids if isinstance(m, str)})
    old_sql = text("""
        SELECT movement_id, warehouse_key, vaccine_key, lot_number, doses
        FROM fct_stock_movement WHERE movement_id IN :ids
    """).bindparams(bindparam("ids", expanding=True))
    frames = [pd.read_sql(old_sql, conn, params={"ids": c}) for c in _chunks(ids)]
    old = (pd.concat(frames, ignore_index=True) if frames else
           pd.DataFrame(columns=["movement_id", "warehouse_key", "vaccine_key", "lot_number",
                                 "doses"]))
    return on_hand, old


def merged_registrations(conn: Connection, registration_ids: Iterable[str]) -> dict[str, str]:
    """Merged-away registration id -> the registration kept in its place (the merge history)."""
    ids = sorted({r for r in registration_ids if isinstance(r, str)})
    stmt = text("""
        SELECT registration_id, kept_registration_id FROM vax_registration_merged
        WHERE registration_id IN :ids
    """).bindparams(bindparam("ids", expanding=True))
    out: dict[str, str] = {}
    for c in _chunks(ids):
        out.update((str(a), str(b)) for a, b in conn.execute(stmt, {"ids": c}).all())
    return out
