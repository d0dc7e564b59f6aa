"""Closing a session with its tally: per lot the doses given, the vials opened and the open-vial
wastage, written as stock movements on the facility's warehouse in the same transaction as the
session's CLOSED status, its tally rows, the audit entry and the data version.

Doses given. Injections carry no session id, so a session's doses are read from the facts: the
counted doses (fct_injection: ENTERED_IN_ERROR ones are not there) given at the session's
facility on its calendar day (date_key, the campaign's time zone, as every dashboard counts
days), of the session's lots, or of its vaccines' lots when it named none. Doses of a lot that
another session of the same facility and day already tallied are taken off, so two sessions
sharing a lot on one day do not both consume them.

Stock movements, as docs/interchange.md means them:
- the doses given leave the warehouse as an ISSUE without counterparty (an issue to no other
  warehouse: given to people); neither TRANSFER_OUT (the contract requires the receiving
  warehouse) nor WASTAGE (they were used, not lost);
- the doses an opened vial held that nobody received are WASTAGE, reason OPEN_VIAL.
Both go through the stock kind's transform and loader, as a file's rows would: the same rules,
the same below-zero refusal (and the ledger's, at their date and every later one:
data.ops.commands.stock_common.through_stock_kind), and stock_movement, fct_stock_movement and
agg_stock_on_hand move together. Their movement_ids derive from the session, the lot and the
kind, so a close retried after a lost answer, or a file carrying the same ids, changes nothing
twice.

Locking: the command holds the load lock (data.bulk.serialize_loads) from its balance reads to
its commit, as a file load does: two closes, or a close and a stock file, at one warehouse
must not both pass the below-zero check against the same balance. A close happens once per
session; waiting for a running load is the price of a balance that cannot go negative.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, bindparam, insert, select, text, update

from data import audit
from data.auth.roles import Principal
from data.bulk import serialize_loads
from data.catalog import VACCINE_BY_CODE
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.models.ops import VaxSessionTally
from data.ops.commands.common import (
    SESSIONS,
    actor,
    from_rule,
    now,
    session_in_scope,
    session_status_locked,
)
from data.ops.commands.stock_common import through_stock_kind
from data.ops.rules.errors import RuleError
from data.ops.rules.vials import doses_per_vial, wasted
from data.services import Services
from data.settings import Settings
from data.version import bump_version

TALLY = VaxSessionTally.__table__
MAX_VIALS = 10_000  # a very large site's day in 1-dose vials; more is a typing error
MAX_LOTS = 50
Outcome = Literal["closed", "unchanged"]


@dataclass(frozen=True)
class LotTally:
    """One lot of a session: what the facts say was given, what the staff say was opened."""

    lot_number: str
    vaccine_code: str
    expiry_date: dt.date | None  # None: the facility's warehouse never held the lot
    doses_per_vial: int
    doses_given: int
    vials_opened: int | None = None
    doses_wasted: int | None = None


@dataclass(frozen=True)
class SessionTally:
    """A session as the closing form shows it, or as the close wrote it."""

    session_id: str
    facility_code: str
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    status: str
    warehouse_code: str | None
    lots: tuple[LotTally, ...]
    outcome: Outcome | None = None  # what close_with_tally did; None for a preview


def lot_field(lot_number: str) -> str:
    """The form field of one lot's vials opened (a problem beside it names this field)."""
    return f"vials_opened.{lot_number}"


def movement_id(session_id: str, lot_number: str, kind: str) -> str:
    """The deterministic id of a session's movement of one lot (ISSUE or WASTAGE)."""
    digest = hashlib.sha256(lot_number.encode()).hexdigest()[:12]
    return f"S{session_id}-{kind}-{digest}"


def session_tally(engine: Engine, principal: Principal, session_id: str) -> SessionTally:
    """The session, its facility's warehouse and per lot the doses given so far (a query:
    it writes nothing); OpsError session.unknown, Forbidden outside the principal's scope."""
    with engine.connect() as conn:
        session = session_in_scope(conn, principal, session_id)
        return _read(conn, session)


def doses_given(conn: Connection, session: Mapping[str, object]) -> int:
    """The doses the session's tally counts (all lots): a plain close is refused when any."""
    day = session["day"]
    assert isinstance(day, dt.date)
    given = _given(conn, str(session["session_id"]), str(session["facility_code"]), day,
                   [str(v) for v in session["vaccines"]],  # type: ignore[attr-defined]
                   [str(lot) for lot in session["lots"]])  # type: ignore[attr-defined]
    return sum(n for _, n in given.values())


def close_with_tally(
    target: Services | Engine, principal: Principal, session_id: str,
    vials: Mapping[str, int], lang: str, *, per_vial: Mapping[str, int] | None = None,
    source: str | None = None, tz: str | None = None,
) -> SessionTally:
    """Close an OPEN session with the vials opened per lot (`per_vial`: a lot's vial size when
    it is not the product's usual one). Raises Forbidden outside the principal's scope,
    OpsError (each problem beside its field) when refused; nothing is written then. Sent again
    with the same vials once closed, it returns the stored tally (outcome "unchanged")."""
    engine = target.engine if isinstance(target, Services) else target
    tz = tz or (target.settings.timezone if isinstance(target, Services) else Settings.timezone)
    per_vial = per_vial or {}
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        _check_input(vials, per_vial)
        serialize_loads(conn)
        session_status_locked(conn, session_id, share=False)  # doses in flight land first
        session = session_in_scope(conn, principal, session_id)  # as it is under the lock
        if session["status"] != "OPEN":
            return _stored_if_same(conn, session, vials, per_vial)
        found = _read(conn, session)
        if found.warehouse_code is None:
            raise OpsError.one("session_id", "close.no_warehouse", session["facility_code"])
        lots = _tallied(found, vials, per_vial)
        _write_movements(conn, found, lots, lang, tz)
        rows = [{"session_id": session_id, "lot_number": t.lot_number,
                 "vaccine_code": t.vaccine_code, "doses_per_vial": t.doses_per_vial,
                 "doses_given": t.doses_given, "vials_opened": t.vials_opened,
                 "doses_wasted": t.doses_wasted} for t in lots]
        if rows:
            conn.execute(insert(TALLY), rows)
        conn.execute(update(SESSIONS).where(SESSIONS.c.session_id == session_id)
                     .values(status="CLOSED"))
        audit.record(conn, actor(principal, source), "CLOSE", "vax_session", session_id,
                     before={"status": "OPEN"},
                     after={"status": "CLOSED", "warehouse_code": found.warehouse_code,
                            "tally": [{k: v for k, v in r.items() if k != "session_id"}
                                      for r in rows]})
        bump_version(conn)  # last: the version row is held only until the commit
    return replace(found, status="CLOSED", lots=tuple(lots), outcome="closed")


def _check_input(vials: Mapping[str, int], per_vial: Mapping[str, int]) -> None:
    """Types and bounds of what was typed, before anything is read under the lock."""
    problems = []
    if len(vials) > MAX_LOTS or len(per_vial) > MAX_LOTS:
        raise OpsError.one("vials_opened", "close.too_many_lots", str(MAX_LOTS))
    for lot, n in vials.items():
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_VIALS:
            problems.append(Problem(lot_field(lot), "close.vials_value", str(MAX_VIALS)))
    for lot, n in per_vial.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            problems.append(Problem(lot_field(lot), "vials.presentation", ""))
    if problems:
        raise OpsError(problems)


def _read(conn: Connection, session: Mapping[str, object]) -> SessionTally:
    """The session's warehouse and lots with the doses given, from the facts."""
    facility = str(session["facility_code"])
    day = session["day"]
    assert isinstance(day, dt.date)
    warehouse = conn.execute(text("""
        SELECT warehouse_code FROM dim_warehouse WHERE facility_code = :f
        ORDER BY CASE WHEN level = 'FACILITY' THEN 0 ELSE 1 END, warehouse_code LIMIT 1"""),
        {"f": facility}).scalar()
    vaccines = [str(v) for v in session["vaccines"]]  # type: ignore[attr-defined]
    named = [str(lot) for lot in session["lots"]]  # type: ignore[attr-defined]
    given = _given(conn, str(session["session_id"]), facility, day, vaccines, named)
    lots = list(dict.fromkeys([*named, *sorted(given)]))
    held = _lot_rows(conn, lots, vaccines, warehouse)
    tallies = []
    for lot in lots:
        code, expiry = held.get(lot, (given.get(lot, (vaccines[0], 0))[0], None))
        tallies.append(LotTally(lot, code, expiry, doses_per_vial(code),
                                given.get(lot, ("", 0))[1]))
    return SessionTally(str(session["session_id"]), facility, day,
                        session["starts_at"], session["ends_at"],  # type: ignore[arg-type]
                        str(session["status"]), warehouse, tuple(tallies))


def _given(conn: Connection, session_id: str, facility: str, day: dt.date,
           vaccines: list[str], lots: list[str]) -> dict[str, tuple[str, int]]:
    """lot -> (vaccine, doses given) at the facility on the day, less what other closed
    sessions of that facility and day already tallied of the lot (see the module doc)."""
    keys = [VACCINE_BY_CODE[v].key for v in vaccines if v in VACCINE_BY_CODE]
    if not keys:
        return {}
    lot_filter = "AND f.lot_number IN :lots" if lots else ""
    stmt = text(f"""
        SELECT f.lot_number, v.vaccine_code, COUNT(*) FROM fct_injection f
        JOIN dim_facility d ON d.facility_key = f.facility_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        WHERE d.facility_code = :f AND f.date_key = :day AND f.vaccine_key IN :keys
          {lot_filter}
        GROUP BY f.lot_number, v.vaccine_code""").bindparams(
        bindparam("keys", expanding=True), *([bindparam("lots", expanding=True)] if lots
                                             else []))
    params: dict[str, object] = {"f": facility, "day": day.year * 10000 + day.month * 100
                                 + day.day, "keys": keys}
    if lots:
        params["lots"] = lots
    counted = {str(lot): (str(code), int(n)) for lot, code, n in conn.execute(stmt, params)}
    if not counted:
        return {}
    earlier = conn.execute(
        select(TALLY.c.lot_number, TALLY.c.doses_given)
        .join(SESSIONS, SESSIONS.c.session_id == TALLY.c.session_id)
        .where(SESSIONS.c.facility_code == facility, SESSIONS.c.day == day,
               SESSIONS.c.session_id != session_id,
               TALLY.c.lot_number.in_(list(counted)))).all()
    for lot, n in earlier:
        code, total = counted[lot]
        counted[lot] = (code, max(total - int(n), 0))
    return {lot: cn for lot, cn in counted.items() if cn[1] > 0}


def _lot_rows(conn: Connection, lots: list[str], vaccines: list[str],
              warehouse: str | None) -> dict[str, tuple[str, dt.date]]:
    """lot -> (vaccine, expiry) as the warehouse's stock movements record it."""
    if not lots or warehouse is None:
        return {}
    stmt = text("""
        SELECT lot_number, vaccine_code, MAX(expiry_date) FROM stock_movement
        WHERE warehouse_code = :w AND lot_number IN :lots AND vaccine_code IN :vaccines
        GROUP BY lot_number, vaccine_code""").bindparams(
        bindparam("lots", expanding=True), bindparam("vaccines", expanding=True))
    out: dict[str, tuple[str, dt.date]] = {}
    for lot, code, expiry in conn.execute(stmt, {"w": warehouse, "lots": lots,
                                                 "vaccines": vaccines}):
        out.setdefault(str(lot), (str(code), _as_date(expiry)))
    return out


def _as_date(value: object) -> dt.date:
    # SQLite hands a DATE read by raw SQL back as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _tallied(found: SessionTally, vials: Mapping[str, int],
             per_vial: Mapping[str, int]) -> list[LotTally]:
    """Each lot with vials opened or doses given, its wastage computed; OpsError with every
    lot's problem beside its field."""
    known = {t.lot_number for t in found.lots}
    problems = [Problem(lot_field(lot), "close.lot_unknown", lot)
                for lot in [*vials, *per_vial] if lot not in known]
    out = []
    for lot in found.lots:
        opened = vials.get(lot.lot_number, 0)
        if not opened and not lot.doses_given:
            continue
        try:
            size = doses_per_vial(lot.vaccine_code, per_vial.get(lot.lot_number))
            waste = wasted(opened, size, lot.doses_given)
        except RuleError as err:
            problems.append(from_rule(err, lot_field(lot.lot_number)))
            continue
        if lot.expiry_date is None:
            problems.append(Problem(lot_field(lot.lot_number), "close.lot_not_held",
                                    f"{lot.lot_number} / {found.warehouse_code}"))
            continue
        out.append(replace(lot, doses_per_vial=size, vials_opened=opened, doses_wasted=waste))
    if problems:
        raise OpsError(problems)
    return out


def _write_movements(conn: Connection, found: SessionTally, lots: list[LotTally], lang: str,
                     tz: str) -> None:
    """The ISSUE and OPEN_VIAL WASTAGE movements through the stock kind's transform and
    loader; OpsError (the reject report's reason, beside the lot) when a rule refuses one."""
    ends = dt.datetime.combine(found.day, found.ends_at, tzinfo=ZoneInfo(tz))
    at = min(now(), ends).isoformat()  # when the doses left: the session's end at the latest
    rows = []
    for lot in lots:
        for kind, doses, reason in (("ISSUE", lot.doses_given, None),
                                    ("WASTAGE", lot.doses_wasted, "OPEN_VIAL")):
            if doses:
                rows.append({"movement_id": movement_id(found.session_id, lot.lot_number, kind),
                             "occurred_at": at, "warehouse_code": found.warehouse_code,
                             "movement_type": kind, "counterparty_code": None,
                             "vaccine_code": lot.vaccine_code, "lot_number": lot.lot_number,
                             "expiry_date": lot.expiry_date, "doses": doses,
                             "reason": reason})
    through_stock_kind(conn, rows, lang, tz,
                       lambda row, _field: lot_field(str(row["lot_number"])))


def _stored_if_same(conn: Connection, session: Mapping[str, object], vials: Mapping[str, int],
                    per_vial: Mapping[str, int]) -> SessionTally:
    """A closed session's stored tally when the request repeats it (a retried close), else
    OpsError session.closed."""
    stored = conn.execute(select(TALLY).where(TALLY.c.session_id == session["session_id"])
                          .order_by(TALLY.c.lot_number)).mappings().all()
    asked = {lot: n for lot, n in vials.items() if n}
    same = {r["lot_number"]: r["vials_opened"] for r in stored if r["vials_opened"]} == asked \
        and all(per_vial.get(r["lot_number"], r["doses_per_vial"]) == r["doses_per_vial"]
                for r in stored)
    if not same:
        raise OpsError.one("session_id", "session.closed")
    found = _read(conn, session)
    lots = tuple(LotTally(r["lot_number"], r["vaccine_code"], None, r["doses_per_vial"],
                          r["doses_given"], r["vials_opened"], r["doses_wasted"])
                 for r in stored)
    return replace(found, lots=lots, outcome="unchanged")
