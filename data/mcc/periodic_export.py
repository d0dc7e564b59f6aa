"""The periodic report as a workbook an officer can send upward as it is, and as CSV files.

Workbook: a summary sheet, then one sheet per section, each headed by the report's title,
province, period and time of generation; tables with a bold header row, thousands-separated
numbers, percentages with two decimals, a bold total row, frozen headings and print set to
A4 landscape, one page wide. CSV: one UTF-8 file (with BOM, so Excel reads Vietnamese) per
section, plain tables with a header row, plus report.csv holding the header fields.

Words come translated from the caller (`words`: message id -> text, code families as
"dose_kind.PRIMARY", "reason.EXPIRED", "severity.MILD", "class.A", "group.3"), so this module
speaks no language of its own.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data.catalog import DOSE_KINDS, SEVERITIES, VACCINE_BY_CODE
from data.mcc.periodic import PeriodicReport
from data.safe_cells import safe_frame

INT = "#,##0"
PCT = "0.00"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)

# A table of a sheet: (heading id, [(column id, kind)], rows, total row or None).
Column = tuple[str, str]  # kind: "text", "int", "pct"
Table = tuple[str, list[Column], list[list[Any]], list[Any] | None]


def _w(words: Mapping[str, str], key: str) -> str:
    return words.get(key, key)


def _code(words: Mapping[str, str], family: str, code: object) -> str:
    return words.get(f"{family}.{code}", str(code))


def _vaccine(code: object) -> str:
    """A product as an officer names it: code and name."""
    found = VACCINE_BY_CODE.get(str(code))
    return f"{code} · {found.name}" if found else str(code)


def _ints(df: pd.DataFrame, cols: Sequence[str]) -> list[int]:
    return [int(df[c].sum()) for c in cols]


def tables(report: PeriodicReport, words: Mapping[str, str]) -> dict[str, list[Table]]:
    """The sections as sheet name id -> tables (cells already worded)."""
    kinds = [(f"dose_kind.{k}", "int") for k in DOSE_KINDS] + [("periodic.col.total", "int")]
    wide = [*DOSE_KINDS, "total"]
    by_product = [[_vaccine(r["vaccine_code"]), *(int(r[c]) for c in wide)]
                  for _, r in report.by_product.iterrows()]
    by_group = [[_code(words, "group", r["priority_group"]), *(int(r[c]) for c in wide)]
                for _, r in report.by_group.iterrows()]
    detail = [[_vaccine(r["vaccine_code"]), _code(words, "dose_kind", r["dose_kind"]),
               _code(words, "group", r["priority_group"]), int(r["doses"])]
              for _, r in report.doses.iterrows()]
    st = report.stock
    stock = [[_vaccine(r["vaccine_code"]), int(r["on_hand"]), int(r["expiring_30d"]),
              int(r["lots"])] for _, r in st.iterrows()]
    rate = report.wastage_rate
    rates = [[_vaccine(r["vaccine_code"]), int(r["administered"]), int(r["wasted"]), int(r["used"]),
              _pct(r["rate_pct"])] for _, r in rate.iterrows()]
    totals = report.totals()
    reasons = [[_vaccine(r["vaccine_code"]), _code(words, "reason", r["reason"]), int(r["wasted"]),
                _pct(r["rate_pct"])] for _, r in report.wastage.iterrows()]
    sev = [*SEVERITIES, "total"]
    aefi = [[_vaccine(r["vaccine_code"]), *(int(r[c]) for c in sev)]
            for _, r in report.aefi.iterrows()]
    serious = [[_code(words, "class", r["classification"]), int(r["cases"])]
               for _, r in report.aefi_serious.iterrows()]
    total = _w(words, "periodic.col.total")
    return {
        "periodic.sheet.doses": [
            ("periodic.doses.by_product", [("periodic.col.vaccine", "text"), *kinds],
             by_product, [total, *_ints(report.by_product, wide)]),
            ("periodic.doses.by_group", [("periodic.col.group", "text"), *kinds],
             by_group, [total, *_ints(report.by_group, wide)])],
        "periodic.sheet.detail": [
            ("periodic.doses.detail", [("periodic.col.vaccine", "text"),
                                       ("periodic.col.dose_kind", "text"),
                                       ("periodic.col.group", "text"),
                                       ("periodic.col.doses", "int")],
             detail, [total, "", "", totals["doses"]])],
        "periodic.sheet.stock": [
            ("periodic.stock.title", [("periodic.col.vaccine", "text"),
                                      ("periodic.col.on_hand", "int"),
                                      ("periodic.col.expiring_30d", "int"),
                                      ("periodic.col.lots", "int")],
             stock, [total, *_ints(st, ["on_hand", "expiring_30d"]), ""])],
        "periodic.sheet.wastage": [
            ("periodic.wastage.by_product", [("periodic.col.vaccine", "text"),
                                             ("periodic.col.administered", "int"),
                                             ("periodic.col.wasted", "int"),
                                             ("periodic.col.used", "int"),
                                             ("periodic.col.rate_pct", "pct")],
             rates, [total, *_ints(rate, ["administered", "wasted", "used"]),
                     totals["rate_pct"]]),
            ("periodic.wastage.by_reason", [("periodic.col.vaccine", "text"),
                                            ("periodic.col.reason", "text"),
                                            ("periodic.col.wasted", "int"),
                                            ("periodic.col.rate_pct", "pct")],
             reasons, [total, "", totals["wasted"], totals["rate_pct"]])],
        "periodic.sheet.aefi": [
            ("periodic.aefi.by_vaccine", [("periodic.col.vaccine", "text"),
                                          *((f"severity.{s}", "int") for s in SEVERITIES),
                                          ("periodic.col.total", "int")],
             aefi, [total, *_ints(report.aefi, sev)]),
            ("periodic.aefi.serious", [("periodic.col.classification", "text"),
                                       ("periodic.col.cases", "int")],
             serious, [total, int(report.aefi_serious["cases"].sum())])],
    }


def _pct(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _header(ws: Worksheet, report: PeriodicReport, words: Mapping[str, str], tz: str) -> int:
    """Title, province, period and generation time; the next free row."""
    at = report.generated_at.astimezone(ZoneInfo(tz))
    ws.cell(1, 1, _w(words, "periodic.title")).font = TITLE
    lines = [("periodic.province", f"{report.province_name} ({report.province_code})"),
             ("periodic.period", f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"),
             ("periodic.generated_at", f"{at:%d/%m/%Y %H:%M} ({tz})")]
    for i, (key, value) in enumerate(lines, start=2):
        ws.cell(i, 1, _w(words, key)).font = BOLD
        ws.cell(i, 2, value)
    return len(lines) + 3


def _table(ws: Worksheet, row: int, table: Table, words: Mapping[str, str]) -> int:
    """One titled table from `row`; the next free row."""
    title, cols, rows, total = table
    ws.cell(row, 1, _w(words, title)).font = Font(bold=True, size=12)
    row += 1
    for j, (key, _kind) in enumerate(cols, start=1):
        cell = ws.cell(row, j, _w(words, key))
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if j == 1 else "right")
    if not rows:
        row += 1
        ws.cell(row, 1, _w(words, "periodic.none")).font = Font(italic=True)
    for values in [*rows, *([total] if total else [])]:
        row += 1
        for j, ((_key, kind), value) in enumerate(zip(cols, values, strict=True), start=1):
            cell = ws.cell(row, j, value if value != "" else None)
            cell.border = BOX
            if kind == "int":
                cell.number_format = INT
            elif kind == "pct":
                cell.number_format = PCT
            if values is total:
                cell.font, cell.fill = BOLD, TOTAL_FILL
    return row + 2


def _summary(ws: Worksheet, row: int, report: PeriodicReport,
             words: Mapping[str, str]) -> None:
    totals = report.totals()
    ws.cell(row, 1, _w(words, "periodic.summary")).font = Font(bold=True, size=12)
    for i, (key, value, fmt) in enumerate([
            ("periodic.total.doses", totals["doses"], INT),
            ("periodic.total.on_hand", totals["on_hand"], INT),
            ("periodic.total.wasted", totals["wasted"], INT),
            ("periodic.total.rate_pct", totals["rate_pct"], PCT),
            ("periodic.total.aefi", totals["aefi"], INT),
            ("periodic.total.aefi_serious", totals["aefi_serious"], INT)], start=row + 1):
        ws.cell(i, 1, _w(words, key)).border = BOX
        cell = ws.cell(i, 2, value)
        cell.number_format, cell.border, cell.font = fmt, BOX, BOLD
    ws.cell(row + 8, 1, _w(words, "periodic.notes")).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=row + 8, end_row=row + 8, start_column=1, end_column=6)
    ws.row_dimensions[row + 8].height = 90


def _layout(ws: Worksheet, widths: Sequence[int]) -> None:
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = "A6"


def to_xlsx(report: PeriodicReport, words: Mapping[str, str], tz: str) -> bytes:
    """The workbook (see the module doc)."""
    book = Workbook()
    ws = book.active
    ws.title = _w(words, "periodic.sheet.summary")[:31]
    _summary(ws, _header(ws, report, words, tz), report, words)
    _layout(ws, [42, 22, 16, 16, 16, 16])
    for sheet, parts in tables(report, words).items():
        ws = book.create_sheet(_w(words, sheet)[:31])
        row = _header(ws, report, words, tz)
        for table in parts:
            row = _table(ws, row, table, words)
        _layout(ws, [50, 22, 30, 16, 16, 16])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(header)
    out.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_csv_zip(report: PeriodicReport, words: Mapping[str, str], tz: str) -> bytes:
    """One .zip of the CSV files (see the module doc); codes stay codes, headers are the
    columns' names, so a spreadsheet or a program reads them alike."""
    at = report.generated_at.astimezone(ZoneInfo(tz))
    files = {
        "report.csv": _csv(["field", "value"], [
            ["title", _w(words, "periodic.title")], ["province_code", report.province_code],
            ["province_name", report.province_name], ["start", report.start.isoformat()],
            ["end", report.end.isoformat()], ["generated_at", at.isoformat()]]),
    }
    for name, df in (("doses.csv", report.doses), ("doses_by_product.csv", report.by_product),
                     ("doses_by_group.csv", report.by_group), ("stock.csv", report.stock),
                     ("wastage_by_product.csv", report.wastage_rate),
                     ("wastage_by_reason.csv", report.wastage), ("aefi.csv", report.aefi),
                     ("aefi_serious.csv", report.aefi_serious)):
        safe = safe_frame(df)
        files[name] = _csv(list(safe.columns), safe.astype(object).where(safe.notna(), "")
                           .values.tolist())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buf.getvalue()

