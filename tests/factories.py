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
