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
    """On-hand per (warehouse_key, vaccine_key, lot) and the stored version of re-sent ids
    (with its codes and time: a back-dated correction is walked from there)."""
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
        SELECT f.movement_id, f.warehouse_key, f.vaccine_key, f.lot_number, f.doses,
               m.warehouse_code, m.vaccine_code, m.occurred_at
        FROM fct_stock_movement f JOIN stock_movement m ON m.movement_id = f.movement_id
        WHERE f.movement_id IN :ids
    """).bindparams(bindparam("ids", expanding=True))
    frames = [pd.read_sql(old_sql, conn, params={"ids": c}) for c in _chunks(ids)]
    old = (pd.concat(frames, ignore_index=True) if frames else
           pd.DataFrame(columns=["movement_id", "warehouse_key", "vaccine_key", "lot_number",
                                 "doses", "warehouse_code", "vaccine_code", "occurred_at"]))
    old["occurred_at"] = pd.to_datetime(old["occurred_at"], utc=True, format="ISO8601")
    return on_hand, old


LATER_COLUMNS = ["warehouse_code", "vaccine_code", "lot_number", "movement_id", "occurred_at",
                 "movement_type", "doses", "entry_order"]


def stock_after(conn: Connection, lots: pd.DataFrame) -> pd.DataFrame:
    """Stored movements of each lot (warehouse_code, vaccine_code, lot_number) after its
    `since` (a UTC pandas Timestamp), in ledger order: occurrence, then entry, then id.

    A back-dated movement is checked against these (data.interchange.kinds.stock): the balance
    at its date is today's minus them, and none of them may go below zero once it is added."""
    frames = []
    rows = list(lots[["warehouse_code", "vaccine_code", "lot_number", "since"]]
                .itertuples(index=False, name=None))
    pg = conn.dialect.name == "postgresql"
    for start in range(0, len(rows), _CHUNK // 4):
        chunk = rows[start : start + _CHUNK // 4]
        params: dict[str, object] = {}
        values = []
        for i, (w, v, lot, since) in enumerate(chunk):
            # SQLite keeps occurred_at as 'YYYY-MM-DD HH:MM:SS+00:00' text (parse.sql_timestamp).
            at = since.to_pydatetime() if pg else since.strftime("%Y-%m-%d %H:%M:%S+00:00")
            params |= {f"w{i}": w, f"v{i}": v, f"l{i}": lot, f"t{i}": at}
            values.append(f"(:w{i}, :v{i}, :l{i}, :t{i})")
        stmt = text(f"""
            WITH f (w, v, l, t) AS (VALUES {", ".join(values)})
            SELECT m.warehouse_code, m.vaccine_code, m.lot_number, m.movement_id, m.occurred_at,
                   m.movement_type, m.doses, COALESCE(e.entry_id, 0) AS entry_order
            FROM f JOIN stock_movement m
              ON m.warehouse_code = f.w AND m.vaccine_code = f.v AND m.lot_number = f.l
             AND m.occurred_at > f.t
            LEFT JOIN vax_stock_entry e ON e.movement_id = m.movement_id""")
        frames.append(pd.read_sql(stmt, conn, params=params))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LATER_COLUMNS)
    out["occurred_at"] = pd.to_datetime(out["occurred_at"], utc=True, format="ISO8601")
    return out.sort_values(["occurred_at", "entry_order", "movement_id"], kind="stable")


def council_classes(conn: Connection, report_ids: Iterable[str]) -> pd.DataFrame:
    """The contract classification of the reports among `report_ids` that the provincial AEFI
    council has classified (data.ops.commands.aefi_case writes it into the report), with the
    day of its decision; indexed by report_id."""
    ids = sorted({r for r in report_ids if isinstance(r, str)})
    stmt = text("""
        SELECT r.report_id, r.classification, c.council_decided_on
        FROM vax_aefi_case c JOIN aefi_report r ON r.report_id = c.report_id
        WHERE c.causality IS NOT NULL AND r.classification IS NOT NULL
          AND c.report_id IN :ids
    """).bindparams(bindparam("ids", expanding=True))
    frames = [pd.read_sql(stmt, conn, params={"ids": c}) for c in _chunks(ids)]
    cols = ["report_id", "classification", "council_decided_on"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return out.set_index("report_id")

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
