"""`python -m etl export stock`: every warehouse's lots at the end of a day as CSV, the figures
the stock pages read (data.ops.queries.stock_positions), in one query for all warehouses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

from sqlalchemy import Engine, text

from data.clock import end_of_day
from data.ops.queries.stock_positions import WarehousePosition, positions_everywhere_at
from data.safe_cells import safe_text

COLUMNS = ("warehouse_code", "vaccine_code", "lot_number", "expiry_date", "on_hand",
           "in_transit_in")


def stock_csv(rows: list[WarehousePosition]) -> str:
    """The export's text: a header row, then one row per warehouse and lot."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(COLUMNS)
    for r in rows:
        p = r.position
        # Codes and lot numbers come from files: none may open as a formula in a spreadsheet.
        out.writerow([safe_text(r.warehouse_code), safe_text(p.vaccine_code),
                      safe_text(p.lot_number), p.expiry_date.isoformat() if p.expiry_date
                      else "", p.on_hand, p.in_transit_in])
    return buf.getvalue()


def export_stock(engine: Engine, tz: str, day: dt.date, province: str | None,
                 out: Path | None) -> int:
    """Write the stock at the end of `day` (local) to `out` or stdout; the exit code (0, or 2
    for an unknown province or a file that cannot be written)."""
    with engine.connect() as conn:
        if province is not None and conn.execute(text(
                "SELECT 1 FROM ref_province WHERE code = :p"), {"p": province}).first() is None:
            print(f"--province: no province has the code {province}", file=sys.stderr)
            return 2
        rows = positions_everywhere_at(conn, end_of_day(day, tz), province)
    body = stock_csv(rows)
    if out is None:
        sys.stdout.write(body)
        return 0
    try:
        out.write_text(body, encoding="utf-8")
    except OSError as exc:
        print(f"--out {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{len(rows):,} lots at {day.isoformat()} written to {out}", file=sys.stderr)
    return 0
