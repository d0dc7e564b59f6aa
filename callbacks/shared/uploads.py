"""Interchange files uploaded through dcc.Upload (shared: the registrations page at operations,
the organisations' lists on the public portal).

The file is hostile: its size is bounded before and after decoding, only the contract's
extensions are read, its name never reaches the file system (the caller writes the bytes under
a fixed name in a private temporary folder), and the readers refuse what they cannot read
(etl.readers). The reject report the ETL wrote is shown as a table of its first lines.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
from pathlib import Path

from dash import html
from dash.development.base_component import Component

from callbacks.shared.i18n import N_, fmt_int, t

# An organisation's list of a few thousand rows. Its base64 travels in a callback, which the
# security gate bounds at 1 MiB (callbacks.shared.security.gate.MAX_BODY_BYTES); a larger
# list goes through `python -m etl load registrations`.
MAX_BYTES = 700 * 1024
EXTENSIONS = (".csv", ".xlsx", ".jsonl")
SHOWN = 200                   # reject lines shown in the page; the CSV holds them all
HEADERS = (N_("ops.reg.rej.line"), N_("ops.reg.rej.field"), N_("ops.reg.rej.value"),
           N_("ops.reg.rej.reason"))
_NAME = re.compile(r"[^\w.-]+")


def safe_name(filename: object) -> tuple[str, str] | None:
    """(a name fit for the report and the load log, its extension), None for another kind
    of file."""
    if not isinstance(filename, str):
        return None
    base = filename.replace("\\", "/").rsplit("/", 1)[-1][-120:]
    ext = Path(base).suffix.lower()
    if ext not in EXTENSIONS:
        return None
    stem = _NAME.sub("_", Path(base).stem).strip("._")[:80] or "upload"
    return stem + ext, ext


def decode(contents: object, max_bytes: int = MAX_BYTES) -> bytes | None:
    """The file's bytes from dcc.Upload's data URL, None when malformed or too large."""
    if not isinstance(contents, str) or "," not in contents:
        return None
    b64 = contents.split(",", 1)[1]
    if len(b64) > (max_bytes // 3 + 1) * 4:
        return None
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if 0 < len(data) <= max_bytes else None


def report_rows(path: Path | None) -> tuple[list[list[str]], str]:
    """(the reject rows, the report's text) of the CSV the ETL wrote."""
    if path is None or not path.exists():
        return [], ""
    text = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return rows[1:], text


def reject_table(rows: list[list[str]], lang: str) -> Component:
    """The first SHOWN reject lines as a table headed in `lang`."""
    head = html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in HEADERS]))
    body = html.Tbody([html.Tr([html.Td(c) for c in r[:4]]) for r in rows[:SHOWN]])
    parts: list[Component] = [html.Table([head, body], className="ops-table ops-reg-reject-table")]
    if len(rows) > SHOWN:
        parts.append(html.P(t("ops.reg.rej.more", lang, shown=fmt_int(SHOWN, lang),
                              count=fmt_int(len(rows), lang)), className="panel-hint"))
    return html.Div(parts)


