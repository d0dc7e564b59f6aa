"""An allocation decision entered on the form, as a row of an allocations file.

The form's row is the one-row frame an allocations file would give, passed through the
allocations kind's rules (data.interchange.kinds.allocations) and its loader
(data.loaders.simple.apply_allocations): a row is valid exactly when that file row would be,
and lands in `allocation` and `fct_allocation` the same way, with its audit entry and the data
version in one transaction. The rules live there, once.

Who allocates (the contract: national -> province, province -> district): the Ministry's
leaders allocate to provinces; a province officer allocates from the province to its own
districts. A file loaded by the command line acts for the ministry (the system principal).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Connection, Engine, text

from data import audit
from data.auth.roles import Forbidden, Principal, Role
from data.bulk import serialize_loads
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.kinds import allocations as kind
from data.interchange.messages import message
from data.interchange.validate import LINE, Validator
from data.loaders.simple import apply_allocations
from data.lookups import load_context_for
from data.ops.commands.common import actor
from data.services import Services
from data.settings import Settings
from data.version import bump_version

# The contract's fields a form fills (allocation_id is the form's token or a new id).
FIELDS = ("decision_no", "decided_on", "vaccine_code", "recipient_code", "doses", "batch")
ALLOCATORS = (Role.MINISTRY_LEADER, Role.PROVINCE_OFFICER)


def may_allocate_to(principal: Principal, level: str, province_code: str) -> bool:
    """Whether the principal decides an allocation to a recipient of `level` (PROVINCE or
    DISTRICT) lying in `province_code`."""
    if principal.is_system:
        return True
    if level == "PROVINCE":
        return principal.has(Role.MINISTRY_LEADER)
    return any(g.role == Role.PROVINCE_OFFICER and g.province_code == province_code
               for g in principal.grants)


def row_frame(cells: Mapping[str, object], lang: str) -> pd.DataFrame:
    """The decision as the one-row frame an allocations file would give, every cell as text;
    a cell with a character the readers refuse is refused here, worded as the reject report."""
    values = {f: cell_text(cells.get(f)) for f in kind.OPERATIONAL}
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in values.items() if v is not None and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    raw = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in values.items()})
    raw[LINE] = 1
    return raw


def checked(conn: Connection, raw: pd.DataFrame, lang: str, tz: str) -> pd.DataFrame:
    """The loader's rows of `raw` once the allocations kind's rules accept it; OpsError with
    the reject report's reasons (in `lang`) otherwise."""
    code = str(raw.at[0, "recipient_code"] or "").strip()
    ctx = load_context_for(conn, [code.zfill(2)] if code.isdigit() else [], [code], [], [])
    v = Validator(raw, lang, tz)
    result = kind.transform(v, ctx)
    problems = v.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows


def _stored(conn: Connection, allocation_id: str) -> tuple[str, str] | None:
    """(recipient level, province) of a stored allocation row, None when new."""
    row = conn.execute(text("""SELECT recipient_level, province_code FROM fct_allocation
                               WHERE allocation_id = :a"""), {"a": allocation_id}).first()
    return (str(row[0]), str(row[1])) if row else None


def allocate(target: Services | Engine, principal: Principal, cells: Mapping[str, object], *,
             allocation_id: str | None = None, lang: str = "vi", source: str | None = None,
             tz: str | None = None) -> str:
    """Record one allocation decision row (the contract's fields in `cells`, as typed);
    returns its allocation_id. The same id again is the same row (a repeated submit changes
    nothing, other content corrects it, as a file's row does). OpsError with the contract's
    reasons; Forbidden outside the principal's role or area (the stored row's too)."""
    if not (principal.is_system or principal.has(*ALLOCATORS)):
        raise Forbidden(f"{principal.username} may not allocate vaccine")
    engine, zone = (target.engine, tz or target.settings.timezone) \
        if isinstance(target, Services) else (target, tz or Settings.timezone)
    key = allocation_id or f"ALC-{uuid.uuid4().hex}"
    raw = row_frame({**{f: cells.get(f) for f in FIELDS}, "allocation_id": key}, lang)
    with unit_of_work(engine) as conn:
        rows = checked(conn, raw, lang, zone)
        row = rows.iloc[0]
        level, province = str(row["recipient_level"]), str(row["province_code"])
        before = _stored(conn, key)
        for lv, prov in [(level, province), *([before] if before else [])]:
            if not may_allocate_to(principal, lv, prov):
                raise Forbidden(f"{principal.username} may not allocate to {row['recipient_code']}")
        serialize_loads(conn)  # as a file's load: one writer of the allocations at a time
        counts = apply_allocations(conn, rows, 1_000)
        if not counts.loaded + counts.updated:
            return key  # the same row again: nothing changed, nothing to record
        audit.record(conn, actor(principal, source), "UPDATE" if before else "CREATE",
                     "allocation", key, after={
                         "decision_no": row["decision_no"], "decided_on": str(row["decided_on"]),
                         "vaccine_code": row["vaccine_code"],
                         "recipient_code": row["recipient_code"], "doses": int(row["doses"]),
                         "batch": None if pd.isna(row["batch"]) else row["batch"],
                         "form": "ops"})
        bump_version(conn)  # last: the version row is held only until the commit
    return key
