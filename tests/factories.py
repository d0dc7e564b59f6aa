"""Small interchange files for tests, written exactly as partners send them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FACILITY = {
    "facility_code": "F00101", "name": "Trạm Y tế Phường Phúc Xá", "kind": "HEALTH_STATION",
    "province_code": "01", "district_code": "001", "ward_code": "00001", "address": "",
    "latitude": "21.046", "longitude": "105.847", "daily_capacity": "300", "status": "ACTIVE",
}


def injection(record_id: str, **over: Any) -> dict[str, Any]:
    """A valid injection row (Hà Nội, Ba Đình) with overrides."""
    row = {
        "record_id": record_id, "status": "COMPLETED", "person_id": "001090012345",
        "id_type": "CCCD", "full_name": "Nguyễn Văn An", "birth_date": "1990-01-02",
        "sex": "M", "phone": "0912345678", "priority_group": "0", "province_code": "01",
        "district_code": "001", "ward_code": "00001", "facility_code": "F00101",
        "vaccine_code": "AZ", "lot_number": "AZ2108A", "dose_kind": "PRIMARY",
        "dose_number": "1", "administered_at": "2021-08-01T08:30:00+07:00", "vaccinator": "",
    }
    row.update({k: str(v) for k, v in over.items()})
    return row


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows as a UTF-8 CSV with a header (columns of the first row)."""
    rows = list(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows as JSON Lines."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows to the first sheet of an XLSX workbook."""
    from openpyxl import Workbook

    rows = list(rows)
    wb = Workbook()
    ws = wb.active
    ws.append(list(rows[0]))
    for r in rows:
        ws.append(list(r.values()))
    wb.save(path)
    return path


# -- helpers added for the ETL and cache tests ------------------------------------------------

ROLLUPS = ("agg_doses_daily", "agg_doses_daily_province", "agg_doses_district",
           "agg_doses_group")


def facility(code: str, **over: Any) -> dict[str, Any]:
    """A valid facility row (Hà Nội, Ba Đình) with another code and overrides."""
    row = dict(FACILITY, facility_code=code)
    row.update({k: str(v) for k, v in over.items()})
    return row


def warehouse(code: str, **over: Any) -> dict[str, Any]:
    """A valid province-level warehouse (Hà Nội) with overrides."""
    row = {"warehouse_code": code, "name": "Kho vắc xin tỉnh Hà Nội", "level": "PROVINCE",
           "province_code": "01", "district_code": "", "facility_code": "",
           "capacity_litres": "5000"}
    row.update({k: str(v) for k, v in over.items()})
    return row


def population(area_code: str, total: int, **over: Any) -> dict[str, Any]:
    """A valid population row for 2021 with overrides."""
    row = {"area_code": area_code, "year": "2021", "total": str(total), "age_18_plus": "",
           "age_12_17": "", "age_5_11": "", "age_65_plus": ""}
    row.update({k: str(v) for k, v in over.items()})
    return row


def write_xlsx_cells(path: Path, header: list[str], rows: Iterable[list[Any]],
                     extra_sheet: bool = False) -> Path:
    """Write typed cells (numbers, dates) as Excel would keep them; optionally a second sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    if extra_sheet:
        other = wb.create_sheet("Ghi chú")
        other.append(["record_id"])
        other.append(["NOT-THIS-SHEET"])
    wb.save(path)
    return path


def read_rejects(path: Path | None) -> list[dict[str, str]]:
    """The rows of a reject report (line, field, value, reason), as text."""
    assert path is not None, "no reject report was written"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def scalar(engine: Any, sql: str, **params: Any) -> Any:
    """One value of a query on `engine`."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def rollup_totals(engine: Any) -> dict[str, int]:
    """SUM(doses) of every injection rollup."""
    return {t: int(scalar(engine, f"SELECT COALESCE(SUM(doses), 0) FROM {t}")) for t in ROLLUPS}


def movement(movement_id: str, **over: Any) -> dict[str, Any]:
    """A valid stock movement (a receipt of 100 AZ doses at warehouse W1) with overrides."""
    row = {"movement_id": movement_id, "occurred_at": "2021-08-01T08:00:00+07:00",
           "warehouse_code": "W1", "movement_type": "RECEIPT", "counterparty_code": "",
           "vaccine_code": "AZ", "lot_number": "L1", "expiry_date": "2022-01-31",
           "doses": "100", "reason": ""}
    row.update({k: str(v) for k, v in over.items()})
    return row
