"""Deterministic writers for the three interchange containers."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from etl.demo.curve import EPOCH

FIXED_TIME = dt.datetime(2021, 1, 1)


def public(df: pd.DataFrame) -> pd.DataFrame:
    """Drop the generator's private columns (names starting with an underscore)."""
    return df[[c for c in df.columns if not c.startswith("_")]]


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with a header row and Unix line ends."""
    public(df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def month_spans(seconds: np.ndarray) -> list[tuple[str, int, int]]:
    """(YYYY-MM, start, stop) of each run of one calendar month in sorted `seconds`."""
    month = (np.datetime64(EPOCH.isoformat(), "s")
             + np.asarray(seconds, dtype=np.int64).astype("timedelta64[s]")).astype(
        "datetime64[M]")
    bounds = np.flatnonzero(np.diff(month.astype(np.int64))) + 1
    return [(str(month[lo]), int(lo), int(hi))
            for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(month)], strict=True)
            if hi > lo]


def write_monthly(df: pd.DataFrame, seconds: np.ndarray, kind: str,
                  out_dir: Path) -> list[tuple[str, Path]]:
    """One CSV per calendar month of `seconds` (rows already in time order)."""
    return [(kind, write_csv(df.iloc[lo:hi], out_dir / f"{kind}_{month}.csv"))
            for month, lo, hi in month_spans(seconds)]


def write_jsonl(df: pd.DataFrame, path: Path) -> Path:
    """JSON Lines, one object per row, UTF-8 text kept readable (no escapes)."""
    records = public(df).to_dict(orient="records")
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps({k: _plain(v) for k, v in rec.items()}, ensure_ascii=False))
            fh.write("\n")
    return path


def _plain(value: object) -> object:
    """numpy scalars as Python ones for json."""
    return value.item() if isinstance(value, np.generic) else value


def write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> Path:
    """XLSX, first sheet with a header row; byte-identical for identical data."""
    frame = public(df)
    wb = Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes ~30k cells a second, so it lays out the workbook and the header and
    # the data rows are spliced into its sheet XML, built column-wise. Times are fixed so
    # the same data gives the same bytes.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # save() stamps "modified" with now
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-01T00:00:00Z",
                              data)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row></sheetData>",
                                    b"</row>" + _sheet_rows(frame) + b"</sheetData>")
            fixed = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return path


def _sheet_rows(frame: pd.DataFrame) -> bytes:
    """SpreadsheetML <row> elements for the data rows (header is row 1)."""
    n = len(frame)
    if n == 0:
        return b""
    r = pd.Series(np.arange(2, n + 2)).astype(str).to_numpy(dtype=object)
    row = '<row r="' + r + '">'
    for i, col in enumerate(frame.columns):
        ref = f'<c r="{chr(65 + i)}' + r
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values):
            row = row + ref + '" t="n"><v>' + values.astype(str).to_numpy(dtype=object) + "</v></c>"
        else:
            text = (values.astype(str).str.replace("&", "&amp;", regex=False)
                    .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False))
            row = (row + ref + '" t="inlineStr"><is><t>' + text.to_numpy(dtype=object)
                   + "</t></is></c>")
    return "".join(row + "</row>").encode("utf-8")
