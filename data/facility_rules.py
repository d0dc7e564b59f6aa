"""A facility's rules and write path, shared by the officers' form (data.ops.commands.facilities)
and the public portal's facility registration (data.portal.facility).

A facility written here is a row of a facilities file: the one-row frame the file would give
goes through the facilities kind's rules (data.interchange.kinds.reference.transform_facilities)
and its loader (data.loaders.reference.apply_facilities), which keeps dim_facility in step in
the same transaction. So a form's facility is valid exactly when that file row would be. The
data version is bumped and the change audited in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data import audit
from data.audit import Actor
from data.command_errors import OpsError, Problem
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.kinds.reference import transform_facilities
from data.interchange.messages import message
from data.interchange.validate import LINE, Validator
from data.loaders.reference import apply_facilities
from data.lookups import load_context_for
from data.messages import N_
from data.models.reference import District, Facility
from data.settings import Settings
from data.version import bump_version

FACILITIES = Facility.__table__
DISTRICTS = District.__table__
# The contract's columns of a facility row (docs/interchange.md, "facilities").
FIELDS = ("facility_code", "name", "kind", "province_code", "district_code", "ward_code",
          "address", "latitude", "longitude", "daily_capacity", "status")
# Widths of the facility table's columns: a longer value is refused, never cut.
MAX_CODE, MAX_NAME, MAX_ADDRESS, MAX_REASON = 32, 200, 300, 300
CODE_FORMAT = re.compile(r"[A-Za-z0-9_.-]+")

CODE_BAD = N_("facility.code_bad")
TEXT_TOO_LONG = N_("facility.too_long")


def stored(conn: Connection, code: str, *, lock: bool = False) -> dict[str, object] | None:
    """The facility's row (locked until commit when `lock`), None when the code is unknown."""
    q = select(FACILITIES).where(FACILITIES.c.code == code)
    row = conn.execute(q.with_for_update() if lock else q).mappings().first()
    return dict(row) if row else None


def province_of(conn: Connection, district_code: object) -> str | None:
    """The province of a known district code, None otherwise."""
    if not isinstance(district_code, str) or not district_code.isdigit() \
            or len(district_code) != 3:
        return None
    return conn.execute(select(DISTRICTS.c.province_code)
                        .where(DISTRICTS.c.code == district_code)).scalar()


def text_problems(values: Mapping[str, object], limits: Mapping[str, int], lang: str
                  ) -> list[Problem]:
    """A text too long for its column, or carrying a character the file readers refuse."""
    problems: list[Problem] = []
    for field, limit in limits.items():
        value = values.get(field)
        if not isinstance(value, str):
            continue
        if len(value) > limit:
            problems.append(Problem(field, TEXT_TOO_LONG, str(limit)))
        elif has_bad_char(value):
            problems.append(Problem(field, "bad_char", message("bad_char", lang), worded=True))
    return problems


def form_problems(code: object, name: object, address: object, lang: str) -> list[Problem]:
    """The form's own checks before the contract's: widths, characters, the code's shape."""
    values = {"facility_code": code, "name": name, "address": address}
    problems = text_problems(values, {"facility_code": MAX_CODE, "name": MAX_NAME,
                                      "address": MAX_ADDRESS}, lang)
    text = code.strip() if isinstance(code, str) else ""
    if not problems and text and not CODE_FORMAT.fullmatch(text):
        problems.append(Problem("facility_code", CODE_BAD, text))
    return problems


def one_row(cells: Mapping[str, object], fields: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The one-row frame of text cells a file would give the transform; a cell with a
    character the readers refuse is refused here, worded as the reject report."""
    values = {f: cell_text(cells.get(f)) for f in fields}
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in values.items() if v is not None and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    raw = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in values.items()})
    raw[LINE] = 1
    return raw


def checked_facility(conn: Connection, cells: Mapping[str, object], lang: str
                     ) -> pd.DataFrame:
    """The loader's row once the facilities kind's rules accept the cells; OpsError with
    the reject report's reasons (in `lang`) otherwise."""
    raw = one_row(cells, FIELDS, lang)
    ctx = load_context_for(conn, [str(cells.get("province_code") or "")],
                           [str(cells.get("district_code") or "")],
                           [str(cells.get("ward_code") or "")], [])
    v = Validator(raw, lang, Settings.timezone)
    result = transform_facilities(v, ctx)
    problems = v.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows


def write_facility_row(conn: Connection, who: Actor, action: str,
                       cells: Mapping[str, object], before: Mapping[str, object] | None,
                       reason: str | None, lang: str,
                       detail: dict[str, Any] | None = None) -> bool:
    """Load the facility row through the contract's rules and loader (facility and
    dim_facility), audit it and bump the data version; False when nothing changed."""
    rows = checked_facility(conn, cells, lang)
    rows["status_reason"] = reason
    counts = apply_facilities(conn, rows, 1_000)
    old_reason = before.get("status_reason") if before else None
    if not (counts.loaded or counts.updated):
        if before is None or old_reason == reason:
            return False
        # Same contract cells (the loader kept the row): only the reason, not hashed, moved.
        conn.execute(FACILITIES.update().where(FACILITIES.c.code == rows.iloc[0]["code"])
                     .values(status_reason=reason))
    after = {f: plain(v) for f, v in rows.iloc[0].items() if f != "row_hash"}
    audit.record(conn, who, action, "facility", str(rows.iloc[0]["code"]),
                 before={k: plain(v) for k, v in before.items() if k != "row_hash"}
                 if before else None, after=after, detail=detail)
    bump_version(conn)  # last: the version row is held only until the commit
    return True


def plain(value: object) -> object:
    """A frame cell as JSON takes it (NaN/NA -> None, numpy numbers -> Python)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    return value.item() if hasattr(value, "item") else value
