"""An AEFI report written by an operations command, as a row of an AEFI file.

Every path that writes a report (a reaction on the observation board, the staff form, the
council's classification as a corrected row) builds the one-row frame an AEFI file would
give and passes it through the aefi kind's rules (data.interchange.kinds.aefi) and its loader
(data.loaders.simple.apply_aefi): a report is valid exactly when that file row would be, and
lands in aefi_report and fct_aefi the same way. The rules live there, once.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data.command_errors import OpsError, Problem
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.kinds import aefi as kind
from data.interchange.messages import message
from data.interchange.validate import LINE, Validator
from data.loaders.simple import apply_aefi
from data.lookups import load_context_for
from data.messages import N_
from data.models.operational import AefiReport
from data.services import Services
from data.settings import Settings

REPORTS = AefiReport.__table__
TEXT_INVALID = N_("aefi_case.text_invalid")


def engine_tz(target: Services | Engine, tz: str | None) -> tuple[Engine, str]:
    """The engine of `target` and the time zone of its dates (`tz`, else the settings')."""
    if isinstance(target, Services):
        return target.engine, tz or target.settings.timezone
    return target, tz or Settings.timezone


def utc_text(at: dt.datetime) -> str:
    """A moment as ISO 8601 text in UTC (a naive one, as SQLite hands back, is UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat()


def report_frame(cells: dict[str, object], lang: str) -> pd.DataFrame:
    """The report as the one-row frame an AEFI file would give, every cell as text; a cell
    with a character the readers refuse is refused here, worded as the reject report."""
    values = {f: cell_text(cells.get(f)) for f in kind.OPERATIONAL}
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in values.items() if v is not None and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    raw = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in values.items()})
    raw[LINE] = 1
    return raw


def checked(conn: Connection, raw: pd.DataFrame, facility_code: str, lang: str,
            tz: str) -> pd.DataFrame:
    """The loader's rows of `raw` once the aefi kind's rules accept it; OpsError with the
    reject report's reasons (in `lang`) otherwise."""
    ctx = load_context_for(conn, [], [], [], [facility_code])
    v = Validator(raw, lang, tz)
    result = kind.transform(v, ctx, kind.prefetch(conn, raw, ctx))
    problems = v.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows


def write(conn: Connection, rows: pd.DataFrame) -> None:
    """Load the checked rows into aefi_report and fct_aefi, as a file's batch is loaded."""
    apply_aefi(conn, rows, 1_000)


def stored_cells(conn: Connection, report_id: str) -> dict[str, object] | None:
    """A stored report in the contract's columns (times as UTC text), None when unknown: the
    starting point of a corrected row."""
    row = conn.execute(select(REPORTS).where(REPORTS.c.report_id == report_id)
                       ).mappings().first()
    if row is None:
        return None
    cells = {f: row[f] for f in kind.OPERATIONAL}
    cells["onset_at"] = utc_text(row["onset_at"])
    cells["reported_at"] = utc_text(row["reported_at"])
    return cells


def free_text(value: object, field: str, limit: int, problems: list[Problem]) -> str | None:
    """A free-text field, trimmed (None when blank); a problem when too long or carrying a
    character the readers refuse."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or has_bad_char(value):
        problems.append(Problem(field, TEXT_INVALID, str(limit)))
        return None
    return value.strip() or None
