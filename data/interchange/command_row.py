"""One row of a kind, checked for a command (a form, an API call): the reference rows its
codes name, and the column path's answer with every refusal worded (OpsError).

The kinds' one-row paths (kinds/*_row.py) read the usual cells; whatever they leave to the
column path comes here, so a form's row is judged and worded exactly as the same file row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

import pandas as pd
from sqlalchemy import Connection

from data.command_errors import OpsError, Problem
from data.few_rows import FewRows
from data.interchange import parse, row_cells
from data.interchange.kinds import common_row
from data.interchange.row_cells import Unsure
from data.interchange.validate import LINE, Validator
from data.lookups import RefContext, load_context_for

Transform = Callable[[Validator, RefContext], object]  # a kind's transform: .rows on its result
RowTransform = Callable[[Mapping[str, str | None], RefContext, str], FewRows | None]


def checked_row(conn: Connection, cells: Mapping[str, object], row_transform: RowTransform,
                transform: Transform, lang: str, tz: str, with_facility: bool) -> pd.DataFrame:
    """The kind's one-row frame of the cells: by its one-row path (`row_transform`) when they
    are the usual text it reads, else by the column path (`transform`), which also words each
    refusal (OpsError)."""
    if all(v is None or isinstance(v, str) for v in cells.values()):
        text_cells = cast(Mapping[str, str | None], cells)
        try:
            ctx = row_context(conn, text_cells, with_facility)
        except Unsure:
            pass
        else:
            rows = row_transform(text_cells, ctx, tz)
            if rows is not None:
                return rows
    return FewRows.of_frame(column_path_row(conn, transform, cells, lang, tz, with_facility))


def row_context(conn: Connection, cells: Mapping[str, str | None],
                with_facility: bool) -> RefContext:
    """The reference rows the cells' codes name, read as the one-row path reads them (Unsure
    when a code is not in the usual shape: the column path decides then)."""
    province, district, ward = common_row.place_codes(cells)
    facility = row_cells.text(cells["facility_code"]) if with_facility else None
    listed = common_row.listed
    return load_context_for(conn, listed(province), listed(district), listed(ward),
                            listed(facility))


def column_path_row(conn: Connection, transform: Transform, cells: Mapping[str, object],
                    lang: str, tz: str, with_facility: bool) -> pd.DataFrame:
    """The kind's rows for one line of these cells by the column path; OpsError with each
    refused field, worded in `lang`, when the rules refuse it."""
    raw = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in cells.items()})
    raw[LINE] = 1
    validator = Validator(raw, lang, tz)
    result = transform(validator, _context(conn, raw, with_facility))
    problems = validator.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows  # type: ignore[attr-defined, no-any-return]


def _context(conn: Connection, raw: pd.DataFrame, with_facility: bool) -> RefContext:
    """The places (and facility) the row names, read as the rules read the codes (so '1'
    finds Hà Nội's 01)."""

    def codes(field: str, width: int) -> list[str]:
        val, _ok = parse.code_of_text(parse.text(raw[field]), width)
        return [str(c) for c in val.dropna()]

    facility = parse.text(raw["facility_code"]).dropna() if with_facility else []
    return load_context_for(conn, codes("province_code", 2), codes("district_code", 3),
                            codes("ward_code", 5), [str(f) for f in facility])
