"""Extract: CSV, JSON Lines and XLSX into a DataFrame of strings with source line numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

LINE = "_line"


@dataclass
class RawTable:
    """Rows as text (missing = NA), normalised headers, plus rows that could not be read."""

    frame: pd.DataFrame
    unreadable: list[dict[str, object]] = field(default_factory=list)


def _norm_header(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().lower()


def read_table(path: Path) -> RawTable:
    """Read one interchange file, choosing the reader by extension."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _read_jsonl(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> RawTable:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    names = [_norm_header(h) for h in header]
    table, unreadable = _arrow_csv(path, names)
    if unreadable or _physical_lines(path) != 1 + table.num_rows:
        # Blank lines, cells spanning lines or ragged rows: the fast reader cannot say which
        # line a record starts on, so read serially and count lines as an editor shows them.
        return _read_csv_serial(path, names)
    frame = table.to_pandas()
    frame[LINE] = range(2, len(frame) + 2)  # the header is line 1
    return RawTable(frame, [])


def _physical_lines(path: Path) -> int:
    """Lines of text in the file, a last line without a newline included."""
    count, last = 0, b"\n"
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


def _read_csv_serial(path: Path, names: list[str]) -> RawTable:
    records: list[list[str | None]] = []
    lines: list[int] = []
    unreadable: list[dict[str, object]] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        start = reader.line_num + 1
        for values in reader:
            if values and any(v.strip() for v in values):
                if len(values) != len(names):
                    unreadable.append(
                        {"line": start, "expected": len(names), "actual": len(values)})
                else:
                    records.append([v if v != "" else None for v in values])
                    lines.append(start)
            start = reader.line_num + 1
    frame = pd.DataFrame(records, columns=names, dtype="str")
    frame[LINE] = lines
    return RawTable(frame, unreadable)


def _arrow_csv(path: Path, names: list[str]) -> tuple[pa.Table, list[dict[str, object]]]:
    unreadable: list[dict[str, object]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        unreadable.append({"line": row.number, "expected": row.expected_columns,
                           "actual": row.actual_columns})
        return "skip"

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True, quoted_strings_can_be_null=False, null_values=[""],
        ),
    )
    return table, unreadable


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() != "" else None


def _read_jsonl(path: Path) -> RawTable:
    rows: list[dict[str, str | None]] = []
    unreadable: list[dict[str, object]] = []
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                unreadable.append({"line": number, "json_error": str(exc)[:80]})
                continue
            row = {_norm_header(k): _cell(v) for k, v in obj.items()}
            row[LINE] = number  # type: ignore[assignment]
            rows.append(row)
    frame = pd.DataFrame(rows)
    if LINE not in frame:
        frame[LINE] = pd.Series(dtype="int64")
    for col in frame.columns:
        if col != LINE:
            frame[col] = frame[col].astype("str").where(frame[col].notna(), None)
    return RawTable(frame, unreadable)


def _read_xlsx(path: Path) -> RawTable:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    grid = sheet.to_python(skip_empty_area=False)
    if not grid:
        return RawTable(pd.DataFrame({LINE: pd.Series(dtype="int64")}))
    names = [_norm_header(h) for h in grid[0]]
    records = []
    for number, values in enumerate(grid[1:], start=2):
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        records.append(dict(zip(names, cells, strict=False)) | {LINE: number})
    frame = pd.DataFrame.from_records(records, columns=[*names, LINE])
    for col in names:
        frame[col] = frame[col].astype("str").where(frame[col].notna(), None)
    return RawTable(frame, [])


def file_checksum(path: Path) -> str:
    """SHA-256 of the file's bytes (recorded with every load)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["LINE", "RawTable", "file_checksum", "io", "read_table"]
