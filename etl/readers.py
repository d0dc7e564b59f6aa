"""Extract: CSV, JSON Lines and XLSX into a DataFrame of strings with source line numbers."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data.interchange.cells import cell_text
from data.interchange.validate import LINE
from etl.refusal import MAX_FIELD_BYTES, MAX_LINE_BYTES, FileRefused
from etl.textscan import check_encoding, scan_utf8, transcode

# JSON escapes that decode to what no database text can hold: NUL and lone surrogates.
_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


@dataclass
class RawTable:
    """Rows as text (missing = NA), normalised headers, plus rows that could not be read."""

    frame: pd.DataFrame
    unreadable: list[dict[str, object]] = field(default_factory=list)


def _norm_header(name: object) -> str:
    return "" if name is None else str(name).replace("\ufeff", "").strip().lower()


def _header(raw: list[object]) -> list[str]:
    """Normalised column names; a blank name gets a placeholder no rule asks for.

    FileRefused when two columns share a name: which of them would a rule read?
    """
    names = [_norm_header(h) or f"_blank_{i}" for i, h in enumerate(raw, start=1)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if len(name.encode()) > MAX_FIELD_BYTES:
            raise FileRefused("file_long_field", line=1, column=name[:40] + "…")
        if name in seen:
            raise FileRefused("file_duplicate_column", line=1, column=name, first=seen[name],
                              second=i)
        seen[name] = i
    return names


def read_table(path: Path, encoding: str | None = None) -> RawTable:
    """Read one interchange file, choosing the reader by extension.

    FileRefused when the file cannot be read at all (nothing of it may load); `encoding`
    names a legacy encoding of a CSV or JSON Lines file (default UTF-8, with or without BOM).
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    elif encoding and check_encoding(encoding) != "utf-8":
        with tempfile.TemporaryDirectory(prefix="vx-etl-") as tmp:
            utf8 = Path(tmp) / path.name
            transcode(path, encoding, utf8)
            table = _read_text(utf8, suffix)
    else:
        table = _read_text(path, suffix)
    _check_fields(table.frame)
    return table


def _read_text(path: Path, suffix: str) -> RawTable:
    stats = scan_utf8(path)
    if stats.blank:
        raise FileRefused("file_empty")
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _read_jsonl(path)
    return _read_csv(path, stats.lines)


def _check_fields(frame: pd.DataFrame) -> None:
    """FileRefused at the first field longer than MAX_FIELD_BYTES (Arrow kernels: fast)."""
    for name in frame.columns:
        if name == LINE or not len(frame):
            continue
        sizes = pc.binary_length(pa.array(frame[name].astype("str"), type=pa.large_string(),
                                          from_pandas=True))
        too_long = pc.greater(sizes, MAX_FIELD_BYTES)
        if pc.any(too_long).as_py():
            row = pc.index(too_long, True).as_py()
            raise FileRefused("file_long_field", line=int(frame[LINE].iloc[row]), column=name)


def _read_csv(path: Path, physical_lines: int) -> RawTable:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = _csv_rows(csv.reader(fh))
        names = _header(next(header, []))
    try:
        table, unreadable = _arrow_csv(path, names)
    except pa.ArrowInvalid:
        # What the fast reader cannot split (a quote left open over many lines, say), the
        # serial reader reads and names by line.
        return _read_csv_serial(path, names)
    if unreadable or physical_lines != 1 + table.num_rows:
        # Blank lines, cells spanning lines or ragged rows: the fast reader cannot say which
        # line a record starts on, so read serially and count lines as an editor shows them.
        return _read_csv_serial(path, names)
    frame = table.to_pandas()
    frame[LINE] = range(2, len(frame) + 2)  # the header is line 1
    return RawTable(frame, [])


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """Rows of a csv.reader; its errors become FileRefused with the line it stopped at."""
    # Python's csv refuses fields over 128 KB with an error naming no column; lines are
    # already at most 16 MB, and _check_fields names the long field afterwards.
    csv.field_size_limit(MAX_LINE_BYTES)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRefused("file_bad_csv", line=getattr(reader, "line_num", 0) or 1,
                          error=str(exc)) from None


def _read_csv_serial(path: Path, names: list[str]) -> RawTable:
    records: list[list[str | None]] = []
    lines: list[int] = []
    unreadable: list[dict[str, object]] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        rows = _csv_rows(reader)
        next(rows, None)
        start = reader.line_num + 1
        for values in rows:
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
            except (ValueError, RecursionError) as exc:  # RecursionError: [[[[... too deep
                unreadable.append({"line": number, "json_error": str(exc)[:80]})
                continue
            if "\\u" in line and _BAD_ESCAPE.search(line):
                unreadable.append({"line": number, "reason": "bad_char"})
                continue
            row = {_norm_header(k): cell_text(v) for k, v in obj.items()}
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
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        grid = sheet.to_python(skip_empty_area=False)
    except CalamineError:
        raise FileRefused("file_bad_xlsx") from None
    if all(cell_text(v) is None for row in grid for v in row):
        raise FileRefused("file_empty")
    names = _header(grid[0])
    records = []
    unreadable: list[dict[str, object]] = []
    for number, values in enumerate(grid[1:], start=2):
        cells = [cell_text(v) for v in values]
        if all(c is None for c in cells):
            continue
        if any(c is not None and "\x00" in c for c in cells):
            unreadable.append({"line": number, "reason": "bad_char"})
            continue
        records.append(dict(zip(names, cells, strict=False)) | {LINE: number})
    frame = pd.DataFrame.from_records(records, columns=[*names, LINE])
    for col in names:
        frame[col] = frame[col].astype("str").where(frame[col].notna(), None)
    return RawTable(frame, unreadable)


def file_checksum(path: Path) -> str:
    """SHA-256 of the file's bytes (recorded with every load)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["LINE", "RawTable", "file_checksum", "io", "read_table"]
