"""What the stock ledger tests share: Hà Nội's province store, a district store of Ba Đình and
the Phúc Xá station's store (F00101), a province store of TP. Hồ Chí Minh, and an officer or
staff account at each level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, text

from data.auth.roles import Principal, Role
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import facility, warehouse, write_csv
from tests.integration.ops_setup import principal

PROVINCE, DISTRICT, STATION, SAIGON = "KHO-01", "KHO-001", "WF00101", "KHO-79"
LOT, EXPIRY = "AZ2108A", dt.date(2022, 6, 30)
T0 = dt.datetime(2021, 10, 1, 8, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    """A moment `hours` after T0."""
    return T0 + dt.timedelta(hours=hours)


def seed_warehouses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility and the four warehouses, loaded as files are."""
    def load(kind: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert result.rejected == 0, result
    load("facilities", [facility("F00101")])
    load("warehouses", [
        warehouse(PROVINCE),
        warehouse(DISTRICT, name="Kho Ba Đình", level="DISTRICT", district_code="001"),
        warehouse(STATION, name="Kho Trạm Y tế Phúc Xá", level="FACILITY",
                  district_code="001", facility_code="F00101"),
        warehouse(SAIGON, name="Kho TP. Hồ Chí Minh", province_code="79")])


def accounts(engine: Engine) -> dict[str, Principal]:
    """An account at each level: Hà Nội's province officer, Ba Đình's district officer, the
    station's staff, and TP. Hồ Chí Minh's province officer."""
    return {
        "province": principal(engine, "kho.hanoi", Role.PROVINCE_OFFICER, "01"),
        "district": principal(engine, "kho.badinh", Role.DISTRICT_OFFICER, "001"),
        "station": principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101"),
        "saigon": principal(engine, "kho.hcm", Role.PROVINCE_OFFICER, "79"),
    }


def ledger_state(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Everything a ledger command may write."""
    queries = {
        "movements": "SELECT movement_id, movement_type, doses FROM stock_movement ORDER BY 1",
        "facts": "SELECT movement_id, doses FROM fct_stock_movement ORDER BY 1",
        "on_hand": "SELECT warehouse_key, lot_number, doses FROM agg_stock_on_hand "
                   "ORDER BY 1, 2",
        "entries": "SELECT movement_id, reason_detail FROM vax_stock_entry ORDER BY 1",
        "transfers": "SELECT transfer_id, status, received FROM vax_stock_transfer ORDER BY 1",
        "counts": "SELECT count_id, counted FROM vax_stock_count ORDER BY 1",
        "requests": "SELECT request_id, action, result FROM vax_stock_request ORDER BY 1",
        "audit": "SELECT action, record_key FROM audit_log ORDER BY id",
        "version": "SELECT version FROM meta_data_version",
    }
    with engine.connect() as conn:
        return {k: [tuple(r) for r in conn.execute(text(q))] for k, q in queries.items()}
