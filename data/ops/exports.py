"""Spreadsheets the operations pages hand out: an invitation list as a real .xlsx.

Every text cell goes through data.safe_cells.safe_text (a name such as "=HYPERLINK(...)" is
stored as text, never run as a formula); identity numbers and phones stay text so that their
leading zeros survive; dates are date cells.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from data.safe_cells import safe_text

Cell = str | int | dt.date | None
MAX_WIDTH = 60


def table_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """One sheet named `title`: a bold, frozen header row and `rows` below it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet1"
    sheet.append([safe_text(h) for h in headers])
    for row in rows:
        sheet.append([safe_text(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        longest = max([len(str(header)), *(len(str(r[i - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, MAX_WIDTH)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, even one safe_text left alone
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
