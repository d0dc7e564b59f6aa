"""Reconciliation of the three records of a vaccination day, and of the ledger with the counts
(Operations II). Shared by the operations face (the discrepancy list, scoped to its user) and
the command center (the national rate): neither face owns these rules.

Facility and day (the campaign's calendar day, as every dashboard counts days):
- administered: the registry's counted doses (fct_injection; ENTERED_IN_ERROR ones are not
  there) given at the facility that day, read from their rollup agg_doses_facility_daily
  (kept with the facts in one transaction), so the national rate reads a week of rows per
  facility, not a week of doses;
- ledger: the doses the facility's warehouses gave out to people that day, ISSUE minus
  RETURN without counterparty (fct_stock_movement, its local date_key). A session's close
  writes its doses given as such an ISSUE and the open vials' unused doses as their own
  OPEN_VIAL WASTAGE, so wastage is shown beside the issue, never taken off it again;
- reported: the closed sessions' tallies (vax_session_tally.doses_given), what the staff
  declared at the close. The interchange files carry no session report of their own: a file
  reports doses as injections (the registry) and stock as movements (the ledger).
A day with a session still OPEN is not reconciled yet: its tally does not exist.

Warehouse: at each lot's last physical count (vax_stock_count) the quantity counted against
the ledger's balance at that moment. The count writes the difference as an ADJUSTMENT, so the
ledger agrees afterwards; the discrepancy is what the count found.

Threshold: a difference is a discrepancy when it exceeds the larger of `pct` percent of the
base (doses administered; the ledger's balance at the count) and `doses` (settings
reconciliation_pct, reconciliation_doses): small sites are not flagged for a dose or two, a
national store not for a rounding of its millions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, Date, TextClause, bindparam, text

from data.auth.roles import Principal, Role

# A warehouse is kept by the officer of the place it lies in, at or below their level
# (as data.ops.commands.stock_common.keeps).
PROVINCE_LEVELS = ("PROVINCE", "DISTRICT", "FACILITY")
DISTRICT_LEVELS = ("DISTRICT", "FACILITY")


@dataclass(frozen=True)
class Tolerance:
    """How far two records may differ before it is a discrepancy."""

    pct: float = 2.0
    doses: int = 10

    def allowed(self, base: int) -> float:
        """The largest difference tolerated on `base` doses."""
        return max(float(self.doses), self.pct / 100.0 * abs(base))

    def exceeded(self, gap: int, base: int) -> bool:
        """Whether `gap` doses on `base` is a discrepancy."""
        return abs(gap) > self.allowed(base)


@dataclass(frozen=True)
class Scope:
    """The places a reader may reconcile; everything when `national`."""

    national: bool = False
    facilities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()  # "province-district"
    provinces: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.national or self.facilities or self.districts or self.provinces)


def scope_of(principal: Principal) -> Scope:
    """The operations scope of a principal: its facilities, districts and provinces (the
    system account: everything; national roles serve nobody in person: nothing)."""
    if principal.is_system:
        return Scope(national=True)
    facilities, districts, provinces = set(), set(), set()
    for g in principal.grants:
        if g.role == Role.FACILITY_STAFF and g.scope_code:
            facilities.add(g.scope_code)
        elif g.role == Role.DISTRICT_OFFICER and g.district_code:
            districts.add(f"{g.province_code}-{g.district_code}")
        elif g.role == Role.PROVINCE_OFFICER and g.province_code:
            provinces.add(g.province_code)
    return Scope(False, tuple(sorted(facilities)), tuple(sorted(districts)),
                 tuple(sorted(provinces)))


def _facility_where(scope: Scope, alias: str) -> tuple[str, dict[str, object]]:
    """SQL predicate on a dim_facility row `alias` for the scope, with its parameters."""
    if scope.national:
        return "1 = 1", {}
    parts, params = [], {}
    if scope.facilities:
        parts.append(f"{alias}.facility_code IN :s_fac")
        params["s_fac"] = list(scope.facilities)
    if scope.districts:
        parts.append(f"({alias}.province_code || '-' || {alias}.district_code) IN :s_dis")
        params["s_dis"] = list(scope.districts)
    if scope.provinces:
        parts.append(f"{alias}.province_code IN :s_pro")
        params["s_pro"] = list(scope.provinces)
    return ("(" + " OR ".join(parts) + ")") if parts else "1 = 0", params


def _warehouse_where(scope: Scope, alias: str) -> tuple[str, dict[str, object]]:
    """SQL predicate on a dim_warehouse row `alias` for the scope (central stores: national
    readers only)."""
    if scope.national:
        return "1 = 1", {}
    parts, params = [], {}
    if scope.facilities:
        parts.append(f"{alias}.facility_code IN :s_fac")
        params["s_fac"] = list(scope.facilities)
    if scope.districts:
        parts.append(f"({alias}.level IN {DISTRICT_LEVELS!r} AND ({alias}.province_code || '-'"
                     f" || {alias}.district_code) IN :s_dis)")
        params["s_dis"] = list(scope.districts)
    if scope.provinces:
        parts.append(f"({alias}.level IN {PROVINCE_LEVELS!r} AND {alias}.province_code IN :s_pro)")
        params["s_pro"] = list(scope.provinces)
    return ("(" + " OR ".join(parts) + ")") if parts else "1 = 0", params


def _expanding(sql: str, params: dict[str, object]) -> TextClause:
    # Lists bind as IN lists, dates as DATE (SQLite's driver has no date adapter of its own).
    return text(sql).bindparams(
        *(bindparam(k, expanding=True) for k, v in params.items() if isinstance(v, list)),
        *(bindparam(k, type_=Date) for k, v in params.items() if isinstance(v, dt.date)))


def date_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _key_date(key: int) -> dt.date:
    return dt.date(key // 10000, key // 100 % 100, key % 100)


def _day_key_sql(conn: Connection, column: str) -> str:
    # vax_session.day as a date_key: SQLite keeps a DATE as 'YYYY-MM-DD' text.
    if conn.dialect.name == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(strftime('%Y%m%d', {column}) AS INTEGER)"


@dataclass(frozen=True)
class FacilityDay:
    """The three records of one facility's day."""

    facility_code: str
    facility_name: str
    province_code: str
    district_code: str
    day: dt.date
    administered: int
    ledger_issued: int
    ledger_wasted: int
    reported: int
    reported_wasted: int
    sessions: int

    @property
    def ledger_gap(self) -> int:
        """Doses the ledger gave out beyond those the registry counts (negative: fewer)."""
        return self.ledger_issued - self.administered

    @property
    def reported_gap(self) -> int:
        """Doses the tallies report beyond those the registry counts (negative: fewer)."""
        return self.reported - self.administered

    def flagged(self, tol: Tolerance) -> bool:
        return (tol.exceeded(self.ledger_gap, self.administered)
                or tol.exceeded(self.reported_gap, self.administered))


def facility_days(conn: Connection, start: dt.date, end: dt.date, scope: Scope,
                  province_code: str | None = None) -> list[FacilityDay]:
    """Every facility-day of [start, end] in scope with doses, issues or tallies, its sessions
    all closed; by day then facility."""
    if scope.empty:
        return []
    where, params = _facility_where(scope, "d")
    if province_code:
        where += " AND d.province_code = :province"
        params["province"] = province_code
    params |= {"lo": date_key(start), "hi": date_key(end), "start": start, "end": end}
    session_key = _day_key_sql(conn, "s.day")
    # One row per (facility, day) from each record, summed: a set-based outer union that
    # both backends plan as three index range scans.
    sql = f"""
        WITH parts AS (
            SELECT a.facility_key AS fk, a.date_key AS k, a.doses AS administered,
                   0 AS issued, 0 AS wasted, 0 AS reported, 0 AS reported_wasted,
                   0 AS sessions, 0 AS still_open
            FROM agg_doses_facility_daily a
            WHERE a.date_key BETWEEN :lo AND :hi AND a.doses <> 0
            UNION ALL
            SELECT d.facility_key, m.date_key, 0,
                   SUM(CASE WHEN m.movement_type IN ('ISSUE', 'RETURN') THEN -m.doses
                            ELSE 0 END),
                   SUM(CASE WHEN m.movement_type = 'WASTAGE' THEN -m.doses ELSE 0 END),
                   0, 0, 0, 0
            FROM fct_stock_movement m
            JOIN dim_warehouse w ON w.warehouse_key = m.warehouse_key
            JOIN dim_facility d ON d.facility_code = w.facility_code
            WHERE m.date_key BETWEEN :lo AND :hi AND m.counterparty_key IS NULL
              AND m.movement_type IN ('ISSUE', 'RETURN', 'WASTAGE')
            GROUP BY d.facility_key, m.date_key
            UNION ALL
            SELECT d.facility_key, {session_key}, 0, 0, 0,
                   COALESCE(SUM(t.doses_given), 0), COALESCE(SUM(t.doses_wasted), 0),
                   COUNT(DISTINCT s.session_id),
                   SUM(CASE WHEN s.status = 'OPEN' THEN 1 ELSE 0 END)
            FROM vax_session s
            JOIN dim_facility d ON d.facility_code = s.facility_code
            LEFT JOIN vax_session_tally t ON t.session_id = s.session_id
            WHERE s.day BETWEEN :start AND :end AND s.status IN ('OPEN', 'CLOSED')
            GROUP BY d.facility_key, {session_key}
        )
        SELECT d.facility_code, d.name, d.province_code, d.district_code, p.k,
               SUM(p.administered), SUM(p.issued), SUM(p.wasted), SUM(p.reported),
               SUM(p.reported_wasted), SUM(p.sessions)
        FROM parts p JOIN dim_facility d ON d.facility_key = p.fk
        WHERE {where}
        GROUP BY d.facility_code, d.name, d.province_code, d.district_code, p.k
        HAVING SUM(p.still_open) = 0
        ORDER BY p.k, d.facility_code"""
    rows = conn.execute(_expanding(sql, params), params).all()
    return [FacilityDay(str(c), str(n), str(p), str(di), _key_date(int(k)), int(a), int(i),
                        int(w), int(r), int(rw), int(s))
            for c, n, p, di, k, a, i, w, r, rw, s in rows]


@dataclass(frozen=True)
class WarehouseCount:
    """A warehouse's last physical count of each lot against the ledger at that moment."""

    warehouse_code: str
    warehouse_name: str
    level: str
    province_code: str | None
    last_counted_at: dt.datetime
    lots: int
    counted: int
    ledger_balance: int

    @property
    def gap(self) -> int:
        """Doses counted beyond the ledger's balance (negative: missing)."""
        return self.counted - self.ledger_balance

    def flagged(self, tol: Tolerance) -> bool:
        return tol.exceeded(self.gap, self.ledger_balance)


def warehouse_counts(conn: Connection, scope: Scope,
                     province_code: str | None = None) -> list[WarehouseCount]:
    """Every counted warehouse in scope: its lots' last counts summed, by warehouse code."""
    if scope.empty:
        return []
    where, params = _warehouse_where(scope, "w")
    if province_code:
        where += " AND w.province_code = :province AND w.level NOT IN ('NATIONAL', 'REGIONAL')"
        params["province"] = province_code
    sql = f"""
        WITH last AS (
            SELECT c.warehouse_code, c.vaccine_code, c.lot_number, MAX(c.counted_at) AS at
            FROM vax_stock_count c GROUP BY c.warehouse_code, c.vaccine_code, c.lot_number)
        SELECT w.warehouse_code, w.name, w.level, w.province_code, MAX(c.counted_at),
               COUNT(*), SUM(c.counted), SUM(c.ledger_balance)
        FROM last l
        JOIN vax_stock_count c ON c.warehouse_code = l.warehouse_code
             AND c.vaccine_code = l.vaccine_code AND c.lot_number = l.lot_number
             AND c.counted_at = l.at
        JOIN dim_warehouse w ON w.warehouse_code = c.warehouse_code
        WHERE {where}
        GROUP BY w.warehouse_code, w.name, w.level, w.province_code
        ORDER BY w.warehouse_code"""
    rows = conn.execute(_expanding(sql, params), params).all()
    return [WarehouseCount(str(c), str(n), str(lv), p, _as_utc(at), int(lots), int(k), int(b))
            for c, n, lv, p, at, lots, k, b in rows]


@dataclass(frozen=True)
class LotLine:
    """One lot of a flagged facility-day or warehouse: the records behind the figures."""

    vaccine_code: str
    lot_number: str
    administered: int = 0
    ledger_issued: int = 0
    reported: int = 0
    counted: int | None = None
    ledger_balance: int | None = None
    movements: tuple[str, ...] = field(default_factory=tuple)  # stock_movement ids
    sessions: tuple[str, ...] = field(default_factory=tuple)   # vax_session ids (tallies)
    counts: tuple[str, ...] = field(default_factory=tuple)     # vax_stock_count ids


def facility_day_lots(conn: Connection, facility_code: str, day: dt.date) -> list[LotLine]:
    """Per lot of one facility-day: doses counted, the ledger's issues (their movement ids)
    and the tallies (their session ids)."""
    k = date_key(day)
    lines: dict[tuple[str, str], dict[str, object]] = {}

    def line(v: object, lot: object) -> dict[str, object]:
        return lines.setdefault((str(v), str(lot)), {"administered": 0, "ledger_issued": 0,
                                                     "reported": 0, "movements": [],
                                                     "sessions": []})
    for v, lot, n in conn.execute(text("""
            SELECT v.vaccine_code, f.lot_number, COUNT(*) FROM fct_injection f
            JOIN dim_facility d ON d.facility_key = f.facility_key
            JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
            WHERE d.facility_code = :f AND f.date_key = :k
            GROUP BY v.vaccine_code, f.lot_number"""), {"f": facility_code, "k": k}):
        line(v, lot)["administered"] = int(n)
    for mid, v, lot, n in conn.execute(text("""
            SELECT m.movement_id, v.vaccine_code, m.lot_number, -m.doses
            FROM fct_stock_movement m
            JOIN dim_warehouse w ON w.warehouse_key = m.warehouse_key
            JOIN dim_vaccine v ON v.vaccine_key = m.vaccine_key
            WHERE w.facility_code = :f AND m.date_key = :k AND m.counterparty_key IS NULL
              AND m.movement_type IN ('ISSUE', 'RETURN')
            ORDER BY m.movement_id"""), {"f": facility_code, "k": k}):
        found = line(v, lot)
        found["ledger_issued"] = int(found["ledger_issued"]) + int(n)  # type: ignore[call-overload]
        found["movements"].append(str(mid))  # type: ignore[attr-defined]
    for sid, v, lot, n in conn.execute(text("""
            SELECT s.session_id, t.vaccine_code, t.lot_number, t.doses_given
            FROM vax_session_tally t JOIN vax_session s ON s.session_id = t.session_id
            WHERE s.facility_code = :f AND s.day = :d ORDER BY s.session_id""")
            .bindparams(bindparam("d", type_=Date)), {"f": facility_code, "d": day}):
        found = line(v, lot)
        found["reported"] = int(found["reported"]) + int(n)  # type: ignore[call-overload]
        found["sessions"].append(str(sid))  # type: ignore[attr-defined]
    return [LotLine(v, lot, int(d["administered"]), int(d["ledger_issued"]),  # type: ignore[call-overload]
                    int(d["reported"]), movements=tuple(d["movements"]),  # type: ignore[call-overload]
                    sessions=tuple(d["sessions"]))  # type: ignore[call-overload]
            for (v, lot), d in sorted(lines.items())]


def warehouse_lots(conn: Connection, warehouse_code: str) -> list[LotLine]:
    """Per lot of one warehouse: its last count (count id, adjustment movement id)."""
    rows = conn.execute(text("""
        SELECT c.vaccine_code, c.lot_number, c.counted, c.ledger_balance, c.count_id,
               c.movement_id
        FROM vax_stock_count c
        WHERE c.warehouse_code = :w AND c.counted_at = (
            SELECT MAX(o.counted_at) FROM vax_stock_count o WHERE o.warehouse_code =
            c.warehouse_code AND o.vaccine_code = c.vaccine_code
            AND o.lot_number = c.lot_number)
        ORDER BY c.vaccine_code, c.lot_number"""), {"w": warehouse_code}).all()
    return [LotLine(str(v), str(lot), counted=int(k), ledger_balance=int(b),
                    movements=(str(mid),) if mid else (), counts=(str(cid),))
            for v, lot, k, b, cid, mid in rows]


def _as_utc(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
