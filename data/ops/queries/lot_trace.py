"""A lot's trace for an AEFI investigator (Operations II, AEFI section): from a lot to every
warehouse that held it (the ledger's movements and transfers, in transit shown), the sessions
and facilities that gave it, and the AEFI cases on it.

Each part is one grouped read of the lot, then cut to the reader's scope here:
- warehouses: the national, regional and province stores are public to every signed-in user
  (as their stock is on /allocation); a district or facility store only to those who keep it
  (data.ops.commands.stock_common.keeps) or read the whole country;
- sessions, doses and cases: the facilities the reader operates at (Principal.operates_at),
  every facility for a national reader.
What lies outside the scope is only counted. Cases carry their id, onset, seriousness and
classification: no name, ID number or phone is read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, bindparam, text

from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.catalog import WAREHOUSE_LEVELS
from data.ops.commands.stock_common import Place, keeps
from data.ops.queries.stock_ledger import SIGNED, as_utc

PUBLIC_LEVELS = frozenset({"NATIONAL", "REGIONAL", "PROVINCE"})
MAX_VACCINE, MAX_LOT = 8, 40  # the contract's widths (injection.vaccine_code, lot_number)
MAX_ROWS = 1000  # sessions or cases of one lot: far more than a lot gives


@dataclass(frozen=True)
class WarehouseLeg:
    """One warehouse that held the lot (or has it in transit towards it), in doses."""

    warehouse_code: str
    name: str
    level: str
    province_code: str | None
    district_code: str | None
    first_at: dt.datetime | None  # its first movement of the lot; None: only in transit
    received: int      # RECEIPT, TRANSFER_IN, RETURN
    sent: int          # TRANSFER_OUT
    issued: int        # ISSUE (a session close, a hand-over)
    written_off: int   # WASTAGE and adjustments, signed (a loss is negative)
    on_hand: int
    in_transit_in: int


@dataclass(frozen=True)
class TransferLeg:
    """A transfer of the lot; an end outside the reader's scope is None."""

    transfer_id: str
    from_warehouse: str | None
    to_warehouse: str | None
    sent: int
    sent_at: dt.datetime
    status: str  # IN_TRANSIT, RECEIVED
    received: int | None
    received_at: dt.datetime | None
    discrepancy: int | None


@dataclass(frozen=True)
class SessionUse:
    """A session that gave the lot: the closed tally's count, else the doses recorded at its
    injection desk so far."""

    session_id: str
    facility_code: str
    day: dt.date
    status: str
    doses_given: int
    doses_wasted: int | None  # closed sessions only


@dataclass(frozen=True)
class FacilityDoses:
    """Doses of the lot given at one facility, whatever path recorded them (files too)."""

    facility_code: str
    facility_name: str
    doses: int
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass(frozen=True)
class LotCase:
    """An AEFI report on a dose of the lot: no personal data."""

    report_id: str
    onset_at: dt.datetime
    facility_code: str
    severity: str
    seriousness: str | None
    status: str | None      # a serious case's REPORTED, INVESTIGATED, CLASSIFIED
    causality: str | None   # the council's WHO category
    classification: str | None  # the contract's A, B, C, UNCLASSIFIABLE


@dataclass(frozen=True)
class LotTrace:
    """The lot's path, use and cases as the reader may see them, and what was left out."""

    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    warehouses: tuple[WarehouseLeg, ...]
    transfers: tuple[TransferLeg, ...]
    sessions: tuple[SessionUse, ...]
    facilities: tuple[FacilityDoses, ...]
    cases: tuple[LotCase, ...]
    hidden_warehouses: int
    hidden_doses: int
    hidden_cases: int


def clean_key(vaccine_code: object, lot_number: object) -> tuple[str, str] | None:
    """The (vaccine, lot) of a request, upper-cased as the contract stores codes, or None
    when either is missing, too long or not printable."""
    if not isinstance(vaccine_code, str) or not isinstance(lot_number, str):
        return None
    v, lot = vaccine_code.strip().upper(), lot_number.strip()
    if not (0 < len(v) <= MAX_VACCINE and 0 < len(lot) <= MAX_LOT):
        return None
    if not (v.isprintable() and lot.isprintable()):
        return None
    return v, lot


def lot_trace(engine: Engine, principal: Principal, vaccine_code: str, lot_number: str
              ) -> LotTrace | None:
    """The lot's trace cut to the principal's scope; None when nothing records the lot;
    Forbidden for a role that neither operates nor reads the whole country."""
    if not (principal.national or principal.has(*OPERATIONS_ROLES)):
        raise Forbidden(f"{principal.username} may not trace lots")
    params = {"v": vaccine_code, "l": lot_number}
    with engine.connect() as conn:
        legs, expiry = _warehouses(conn, params)
        transfers = _transfers(conn, params)
        _add_transit_only(conn, legs, transfers)
        sessions = _sessions(conn, params)
        doses = _facility_doses(conn, params)
        cases = _cases(conn, params)
    if not (legs or transfers or doses or sessions):
        return None
    seen_wh = {c for c, (place, _leg) in legs.items() if _sees_warehouse(principal, place)}
    in_transit: dict[str, int] = {}
    for tr in transfers:
        if tr.status == "IN_TRANSIT" and tr.to_warehouse:
            in_transit[tr.to_warehouse] = in_transit.get(tr.to_warehouse, 0) + tr.sent
    shown = sorted((replace(leg, in_transit_in=in_transit.get(code, 0))
                    for code, (_p, leg) in legs.items() if code in seen_wh), key=_leg_order)
    cut = [TransferLeg(tr.transfer_id, _keep(tr.from_warehouse, seen_wh),
                       _keep(tr.to_warehouse, seen_wh), tr.sent, tr.sent_at, tr.status,
                       tr.received, tr.received_at, tr.discrepancy)
           for tr in transfers if tr.from_warehouse in seen_wh or tr.to_warehouse in seen_wh]
    return LotTrace(
        vaccine_code, lot_number, expiry, tuple(shown), tuple(cut),
        tuple(s for s, p in sessions if _sees(principal, p)),
        tuple(f for f, p in doses if _sees(principal, p)),
        tuple(c for c, p in cases if _sees(principal, p)),
        hidden_warehouses=len(legs) - len(seen_wh),
        hidden_doses=sum(f.doses for f, p in doses if not _sees(principal, p)),
        hidden_cases=sum(1 for _c, p in cases if not _sees(principal, p)))


# -- scope ---------------------------------------------------------------------------------

# Where a facility lies: (province, district, facility) as Principal.operates_at takes them.
Where = tuple[str | None, str | None, str]


def _sees(principal: Principal, where: Where) -> bool:
    return principal.national or principal.operates_at(*where)


def _sees_warehouse(principal: Principal, place: Place) -> bool:
    return place.level in PUBLIC_LEVELS or principal.national or keeps(principal, place)


def _keep(code: str | None, seen: set[str]) -> str | None:
    return code if code in seen else None


def _leg_order(leg: WarehouseLeg) -> tuple[int, dt.datetime, str]:
    rank = WAREHOUSE_LEVELS.index(leg.level) if leg.level in WAREHOUSE_LEVELS else 99
    return rank, leg.first_at or dt.datetime.max.replace(tzinfo=dt.UTC), leg.warehouse_code


# -- the reads (one grouped query each) ----------------------------------------------------

_IN = "m.movement_type IN ('RECEIPT', 'TRANSFER_IN', 'RETURN')"
_OFF = "m.movement_type IN ('WASTAGE', 'ADJUSTMENT')"


def _warehouses(conn: Connection, params: dict[str, str]
                ) -> tuple[dict[str, tuple[Place, WarehouseLeg]], dt.date | None]:
    rows = conn.execute(text(f"""
        SELECT m.warehouse_code, w.warehouse_key, w.name, w.level, w.province_code,
               w.district_code, w.facility_code, MIN(m.occurred_at),
               SUM(CASE WHEN {_IN} THEN m.doses ELSE 0 END),
               SUM(CASE WHEN m.movement_type = 'TRANSFER_OUT' THEN m.doses ELSE 0 END),
               SUM(CASE WHEN m.movement_type = 'ISSUE' THEN m.doses ELSE 0 END),
               SUM(CASE WHEN {_OFF} THEN {SIGNED} ELSE 0 END),
               SUM({SIGNED}), MAX(m.expiry_date)
        FROM stock_movement m LEFT JOIN dim_warehouse w ON w.warehouse_code = m.warehouse_code
        WHERE m.vaccine_code = :v AND m.lot_number = :l
        GROUP BY m.warehouse_code, w.warehouse_key, w.name, w.level, w.province_code,
                 w.district_code, w.facility_code"""), params).all()
    out: dict[str, tuple[Place, WarehouseLeg]] = {}
    expiry: dt.date | None = None
    for code, key, name, level, prov, dist, fac, first, rec, sent, iss, off, net, exp in rows:
        place = Place(str(code), int(key or 0), str(level or "FACILITY"), prov, dist, fac)
        out[str(code)] = (place, WarehouseLeg(
            str(code), str(name or code), place.level, prov, dist, as_utc(first), int(rec),
            int(sent), int(iss), int(off), int(net), 0))
        found = _date(exp)
        expiry = max(expiry, found) if expiry and found else (expiry or found)
    return out, expiry


def _transfers(conn: Connection, params: dict[str, str]) -> list[TransferLeg]:
    rows = conn.execute(text("""
        SELECT transfer_id, from_warehouse, to_warehouse, sent, sent_at, status, received,
               received_at, discrepancy FROM vax_stock_transfer
        WHERE vaccine_code = :v AND lot_number = :l
        ORDER BY sent_at, transfer_id"""), params).all()
    return [TransferLeg(str(tid), str(src), str(dst), int(sent), as_utc(at), str(status),
                        None if got is None else int(got),
                        None if got_at is None else as_utc(got_at),
                        None if gap is None else int(gap))
            for tid, src, dst, sent, at, status, got, got_at, gap in rows]


def _add_transit_only(conn: Connection, legs: dict[str, tuple[Place, WarehouseLeg]],
                      transfers: list[TransferLeg]) -> None:
    """Warehouses the lot is on its way to and that never held it yet."""
    missing = sorted({t.to_warehouse for t in transfers if t.to_warehouse not in legs} - {None})
    if not missing:
        return
    rows = conn.execute(text("""
        SELECT warehouse_code, warehouse_key, name, level, province_code, district_code,
               facility_code FROM dim_warehouse WHERE warehouse_code IN :codes""").bindparams(
        bindparam("codes", expanding=True)), {"codes": missing}).all()
    for code, key, name, level, prov, dist, fac in rows:
        place = Place(str(code), int(key), str(level), prov, dist, fac)
        legs[str(code)] = (place, WarehouseLeg(str(code), str(name), str(level), prov, dist,
                                               None, 0, 0, 0, 0, 0, 0))


def _sessions(conn: Connection, params: dict[str, str]) -> list[tuple[SessionUse, Where]]:
    # A closed session's tally is its count; an open one's, the doses its desk recorded.
    rows = conn.execute(text("""
        SELECT s.session_id, s.facility_code, s.day, s.status, t.doses_given, t.doses_wasted,
               d.n, f.province_code, f.district_code
        FROM vax_session s
        JOIN facility f ON f.code = s.facility_code
        LEFT JOIN vax_session_tally t ON t.session_id = s.session_id
             AND t.vaccine_code = :v AND t.lot_number = :l
        LEFT JOIN (SELECT vi.session_id AS session_id, COUNT(*) AS n
                   FROM vax_injection vi JOIN injection i ON i.record_id = vi.record_id
                   WHERE vi.status = 'COMPLETED' AND i.status = 'COMPLETED'
                     AND i.vaccine_code = :v AND i.lot_number = :l
                   GROUP BY vi.session_id) d ON d.session_id = s.session_id
        WHERE s.session_id IN (
            SELECT session_id FROM vax_session_tally WHERE vaccine_code = :v
                   AND lot_number = :l
            UNION
            SELECT vi.session_id FROM injection i
                   JOIN vax_injection vi ON vi.record_id = i.record_id
            WHERE i.vaccine_code = :v AND i.lot_number = :l)
          AND (t.session_id IS NOT NULL OR d.session_id IS NOT NULL)
        ORDER BY s.day, s.starts_at, s.session_id LIMIT :cap"""),
        {**params, "cap": MAX_ROWS}).all()
    out = []
    for sid, fac, day, status, tallied, wasted, desk, prov, dist in rows:
        given = int(tallied) if tallied is not None else int(desk or 0)
        out.append((SessionUse(str(sid), str(fac), _date(day) or dt.date.min, str(status),
                               given, None if wasted is None else int(wasted)),
                    (prov, dist, str(fac))))
    return out


def _facility_doses(conn: Connection, params: dict[str, str]
                    ) -> list[tuple[FacilityDoses, Where]]:
    rows = conn.execute(text("""
        SELECT i.facility_code, f.name, f.province_code, f.district_code, COUNT(*),
               MIN(i.administered_at), MAX(i.administered_at)
        FROM injection i LEFT JOIN facility f ON f.code = i.facility_code
        WHERE i.vaccine_code = :v AND i.lot_number = :l AND i.status = 'COMPLETED'
        GROUP BY i.facility_code, f.name, f.province_code, f.district_code
        ORDER BY i.facility_code"""), params).all()
    return [(FacilityDoses(str(fac), str(name or fac), int(n), as_utc(first), as_utc(last)),
             (prov, dist, str(fac))) for fac, name, prov, dist, n, first, last in rows]


def _cases(conn: Connection, params: dict[str, str]) -> list[tuple[LotCase, Where]]:
    rows = conn.execute(text("""
        SELECT r.report_id, r.onset_at, i.facility_code, r.severity, r.seriousness,
               c.status, c.causality, r.classification, f.province_code, f.district_code
        FROM aefi_report r JOIN injection i ON i.record_id = r.record_id
        LEFT JOIN facility f ON f.code = i.facility_code
        LEFT JOIN vax_aefi_case c ON c.report_id = r.report_id
        WHERE i.vaccine_code = :v AND i.lot_number = :l
        ORDER BY r.onset_at, r.report_id LIMIT :cap"""), {**params, "cap": MAX_ROWS}).all()
    out = []
    for rid, onset, fac, severity, seriousness, status, cat, cls, prov, dist in rows:
        # A serious report with no vax_aefi_case row is REPORTED (data.models.ops_aefi).
        state = status or ("REPORTED" if severity == "SERIOUS" else None)
        out.append((LotCase(str(rid), as_utc(onset), str(fac), str(severity), seriousness,
                            state, cat, cls), (prov, dist, str(fac))))
    return out


def _date(value: object) -> dt.date | None:
    # SQLite hands a DATE read by raw SQL back as text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
