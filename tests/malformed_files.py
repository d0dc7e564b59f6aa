"""Files the loader must refuse whole, each with the sentence it must answer, and the state of
the database that a refused file must leave as it was."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from data.settings import Settings
from etl.__main__ import load_files
from tests.conftest import DATA_TABLES
from tests.factories import injection, write_csv, write_jsonl, write_xlsx

HEADER = list(injection("R0"))
LEGACY_NAME = "Lê Văn Ân"  # every letter of it exists in Windows-1258 as one byte


@dataclass(frozen=True)
class Malformed:
    """A file and the refusal it must get: message key, line, and the message's values."""

    path: Path
    key: str
    line: int | None = None
    values: dict[str, Any] | None = None


def _csv_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join([",".join(HEADER)] + [",".join(r.values()) for r in rows]) + "\n"


def _byte_position(data: bytes, line: int, byte: int) -> tuple[int, int]:
    """(line, byte within the line) of offset `byte`, both from 1."""
    start = data.rfind(b"\n", 0, byte) + 1
    assert data.count(b"\n", 0, byte) + 1 == line
    return line, byte - start + 1


def binary(tmp: Path) -> Malformed:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"
    path = tmp / "image.csv"
    path.write_bytes(data)
    return Malformed(path, "file_binary", 3, {"column": 1, "byte": "00"})


def workbook_named_csv(tmp: Path) -> Malformed:
    path = write_xlsx(tmp / "book.xlsx", [injection("R1")]).rename(tmp / "book.csv")
    return Malformed(path, "file_binary", 1, {"column": 3, "byte": "03"})


def windows_1258(tmp: Path) -> Malformed:
    rows = [injection(r, full_name=LEGACY_NAME, vaccinator="Đô") for r in ("R1", "R2")]
    data = _csv_text(rows).encode("cp1258")
    path = tmp / "legacy.csv"
    path.write_bytes(data)
    first = next(i for i, b in enumerate(data) if b > 0x7F)
    line, column = _byte_position(data, 2, first)
    return Malformed(path, "file_encoding", line, {"column": column, "byte": f"{data[first]:02X}"})


def cp1252(tmp: Path) -> Malformed:
    data = _csv_text([injection("R1", full_name="José Müller")]).encode("cp1252")
    path = tmp / "western.csv"
    path.write_bytes(data)
    first = next(i for i, b in enumerate(data) if b > 0x7F)
    line, column = _byte_position(data, 2, first)
    return Malformed(path, "file_encoding", line, {"column": column, "byte": "E9"})


def empty_csv(tmp: Path) -> Malformed:
    path = tmp / "empty.csv"
    path.write_bytes(b"")
    return Malformed(path, "file_empty")


def blank_csv(tmp: Path) -> Malformed:
    path = tmp / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n  \n\n")
    return Malformed(path, "file_empty")


def empty_jsonl(tmp: Path) -> Malformed:
    path = tmp / "empty.jsonl"
    path.write_bytes(b"")
    return Malformed(path, "file_empty")


def empty_xlsx(tmp: Path) -> Malformed:
    from openpyxl import Workbook

    path = tmp / "empty.xlsx"
    Workbook().save(path)
    return Malformed(path, "file_empty")


def damaged_xlsx(tmp: Path) -> Malformed:
    whole = write_xlsx(tmp / "whole.xlsx", [injection("R1")]).read_bytes()
    path = tmp / "damaged.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return Malformed(path, "file_bad_xlsx")


def duplicate_column(tmp: Path) -> Malformed:
    path = tmp / "dup.csv"
    row = injection("R1")
    path.write_text(",".join([*HEADER, " Full_Name "]) + "\n"
                    + ",".join([*row.values(), "Khác"]) + "\n", encoding="utf-8")
    where = HEADER.index("full_name") + 1
    return Malformed(path, "file_duplicate_column", 1,
                     {"column": "full_name", "first": where, "second": len(HEADER) + 1})


def duplicate_column_xlsx(tmp: Path) -> Malformed:
    from tests.factories import write_xlsx_cells

    path = write_xlsx_cells(tmp / "dup.xlsx", [*HEADER, "RECORD_ID"],
                            [[*injection("R1").values(), "R9"]])
    return Malformed(path, "file_duplicate_column", 1,
                     {"column": "record_id", "first": 1, "second": len(HEADER) + 1})


def long_line(tmp: Path) -> Malformed:
    rows = [injection("R1"), injection("R2", vaccinator="x" * (17 << 20)), injection("R3")]
    return Malformed(write_csv(tmp / "long_line.csv", rows), "file_long_line", 3)


def long_field(tmp: Path) -> Malformed:
    rows = [injection("R1"), injection("R2"), injection("R3", full_name="y" * (129 << 10))]
    return Malformed(write_csv(tmp / "long_field.csv", rows), "file_long_field", 4,
                     {"column": "full_name"})


def long_field_serial(tmp: Path) -> Malformed:
    """A blank line sends the CSV to Python's csv reader, whose own limit is 128 KB."""
    path = tmp / "long_field_blank.csv"
    path.write_text(_csv_text([injection("R1")]) + "\n"
                    + ",".join(injection("R2", lot_number="z" * (200 << 10)).values()) + "\n",
                    encoding="utf-8")
    return Malformed(path, "file_long_field", 4, {"column": "lot_number"})


def long_field_jsonl(tmp: Path) -> Malformed:
    rows = [injection("R1"), injection("R2", address="a" * (130 << 10))]
    return Malformed(write_jsonl(tmp / "long.jsonl", rows), "file_long_field", 2,
                     {"column": "address"})


def long_field_xlsx(tmp: Path) -> Malformed:
    """Excel stops a cell at 32,767 characters; a workbook made by other means need not."""
    short = write_xlsx(tmp / "short.xlsx", [injection("R1", vaccinator="LONG-CELL")])
    path = tmp / "long.xlsx"
    with zipfile.ZipFile(short) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data.replace(b"LONG-CELL", b"v" * (140 << 10)))
    return Malformed(path, "file_long_field", 2, {"column": "vaccinator"})


EVERY: dict[str, Callable[[Path], Malformed]] = {
    f.__name__: f for f in (
        binary, workbook_named_csv, windows_1258, cp1252, empty_csv, blank_csv, empty_jsonl,
        empty_xlsx, damaged_xlsx, duplicate_column, duplicate_column_xlsx, long_line,
        long_field, long_field_serial, long_field_jsonl, long_field_xlsx)
}


def database_state(engine: Engine) -> dict[str, object]:
    """Row counts of every data table, the audit log and the data version."""
    with engine.connect() as conn:
        state: dict[str, object] = {
            t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
            for t in [*DATA_TABLES, "audit_log"]}
        state["version"] = conn.execute(
            text("SELECT version FROM meta_data_version WHERE id = 1")).scalar_one()
    return state


def run_load(settings: Settings, engine: Engine, path: Path, lang: str = "vi",
             encoding: str | None = None) -> tuple[int, str, str]:
    """`python -m etl load injections PATH` on the test database: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = load_files(settings, engine, "injections", [path], None, lang, encoding)
    return code, out.getvalue(), err.getvalue()
