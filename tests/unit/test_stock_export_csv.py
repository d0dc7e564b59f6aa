"""The stock export's text: the contract's column order, numbers as numbers, and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import datetime as dt

from data.clock import end_of_day
from data.ops.queries.stock_positions import Position, WarehousePosition
from etl.stock_export_cli import stock_csv


def test_rows_in_order_and_formula_cells_made_text() -> None:
    rows = [WarehousePosition("KHO-01", Position("AZ", "AZ2108A", dt.date(2022, 6, 30), 300, 0)),
            WarehousePosition("KHO-02", Position("PFZ", "=1+2", None, 0, 40))]
    assert stock_csv(rows).splitlines() == [
        "warehouse_code,vaccine_code,lot_number,expiry_date,on_hand,in_transit_in",
        "KHO-01,AZ,AZ2108A,2022-06-30,300,0",
        "KHO-02,PFZ,'=1+2,,0,40"]
    assert stock_csv([]) == (
        "warehouse_code,vaccine_code,lot_number,expiry_date,on_hand,in_transit_in\n")


def test_the_end_of_a_vietnamese_day_in_utc() -> None:
    end = end_of_day(dt.date(2021, 10, 1), "Asia/Ho_Chi_Minh")
    assert end.astimezone(dt.UTC) == dt.datetime(2021, 10, 1, 16, 59, 59, tzinfo=dt.UTC)
