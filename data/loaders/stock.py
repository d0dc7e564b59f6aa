"""Apply stock movements: operational rows, facts and the on-hand rollup together."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from data import bulk
from data.models.operational import StockMovement


def apply_stock_movements(conn: Connection, rows: pd.DataFrame, chunk: int,
                          progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """Load validated movements idempotently; re-sent ids replace their earlier effect."""
    stage = bulk.stage_table(
        conn, "stg_stock_movement", StockMovement.__table__,
        bulk.int_cols("date_key", "expiry_date_key", "warehouse_key", "counterparty_key",
                      "vaccine_key", "signed"))
    bulk.copy_frame(conn, stage, rows, chunk, progress)
    counts = bulk.prune_unchanged(conn, "stg_stock_movement", "stock_movement", "movement_id")
    if counts.loaded + counts.updated:
        existing = counts.updated > 0
        old = """
            SELECT f.warehouse_key, f.vaccine_key, f.lot_number, NULL AS expiry_date,
                   -f.doses AS n
            FROM fct_stock_movement f JOIN stg_stock_movement s ON s.movement_id = f.movement_id
            UNION ALL""" if existing else ""
        conn.execute(text("DROP TABLE IF EXISTS stg_stock_delta"))
        conn.execute(text(f"""
            CREATE TEMPORARY TABLE stg_stock_delta AS {old}
            SELECT warehouse_key, vaccine_key, lot_number, expiry_date, signed AS n
            FROM stg_stock_movement
        """))
        bulk.upsert_add(conn, "agg_stock_on_hand", ["warehouse_key", "vaccine_key", "lot_number"],
                        {"doses": "n"}, "stg_stock_delta", {"expiry_date": "MAX(expiry_date)"})
        conn.execute(text("DROP TABLE stg_stock_delta"))
        if existing:
            conn.execute(text("""DELETE FROM fct_stock_movement WHERE movement_id IN
                                 (SELECT movement_id FROM stg_stock_movement)"""))
        conn.execute(text("""
            INSERT INTO fct_stock_movement (movement_id, date_key, warehouse_key,
                counterparty_key, vaccine_key, lot_number, expiry_date_key, movement_type,
                reason, doses)
            SELECT movement_id, date_key, warehouse_key, counterparty_key, vaccine_key,
                   lot_number, expiry_date_key, movement_type, reason, signed
            FROM stg_stock_movement
        """))
        bulk.replace_rows(conn, "stg_stock_movement", "stock_movement", "movement_id",
                          [c.name for c in StockMovement.__table__.columns],
                          any_existing=existing)
    conn.execute(text("DROP TABLE IF EXISTS stg_stock_movement"))
    return counts
