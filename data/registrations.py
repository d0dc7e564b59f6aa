"""One registration written as one row of a registrations file (shared by check-in's walk-ins
at operations and the public portal's self-registration).

The cells go through the registrations kind's rules (data.interchange.kinds.registrations)
and its loader (data.loaders.simple.apply_registrations: registration and fct_registration),
so a registration typed in a form is valid exactly when the same file row would be, and its
refusals are worded as the reject report words them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import pandas as pd
from sqlalchemy import Connection

from data.command_errors import OpsError, Problem
from data.interchange import parse
from data.interchange.kinds import common_row, registrations, registrations_row
from data.interchange.row_cells import Unsure
from data.interchange.validate import LINE, Validator
from data.loaders.simple import apply_registrations
from data.lookups import RefContext, load_context_for


def checked_registration(conn: Connection, cells: Mapping[str, object], lang: str, tz: str
                         ) -> pd.DataFrame:
    """The loader's row once the contract's rules accept the cells (text, as a file holds
    them); OpsError with each refused field, in `lang`, otherwise."""
    fast = _one_row(conn, cells, tz)
    if fast is not None:
        return fast
    raw = pd.DataFrame({f: pd.Series([cells.get(f)], dtype="str")
                        for f in registrations.OPERATIONAL})
    raw[LINE] = 1
    validator = Validator(raw, lang, tz)
    result = registrations.transform(validator, _context(conn, raw))
    problems = validator.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows


def _one_row(conn: Connection, cells: Mapping[str, object], tz: str) -> pd.DataFrame | None:
    """The row by the one-row path (kinds.registrations_row) when the cells are the usual
    text it reads; None when the column path must decide."""
    values = {f: cells.get(f) for f in registrations.OPERATIONAL}
    if not all(v is None or isinstance(v, str) for v in values.values()):
        return None
    text_cells = cast(dict[str, str | None], values)
    try:
        province, district, ward = common_row.place_codes(text_cells)
    except Unsure:
        return None
    listed = common_row.listed
    ctx = load_context_for(conn, listed(province), listed(district), listed(ward), [])
    return registrations_row.transform(text_cells, ctx, tz)


def _context(conn: Connection, raw: pd.DataFrame) -> RefContext:
    """The places the row names, read as the rules read the codes (so '1' finds Hà Nội's 01)."""
    def codes(field: str, width: int) -> list[str]:
        val, _ok = parse.code_of_text(parse.text(raw[field]), width)
        return [str(c) for c in val.dropna()]

    return load_context_for(conn, codes("province_code", 2), codes("district_code", 3),
                            codes("ward_code", 5), [])


def write_registration(conn: Connection, cells: Mapping[str, object], lang: str, tz: str
                       ) -> pd.DataFrame:
    """Check the cells as above and load the row; returns the row loaded."""
    rows = checked_registration(conn, cells, lang, tz)
    apply_registrations(conn, rows, 1_000)
    return rows
