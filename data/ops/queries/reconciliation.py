"""The discrepancy list of the operations face: the facility-days and warehouses of the
principal's area whose records disagree beyond the tolerance, each with the lots and record
ids behind it. Rules and SQL are data.reconciliation's; this module scopes and bounds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from data.auth.roles import Principal
from data.command_errors import OpsError
from data.reconciliation import (
    FacilityDay,
    LotLine,
    Tolerance,
    WarehouseCount,
    facility_day_lots,
    facility_days,
    scope_of,
    warehouse_counts,
    warehouse_lots,
)
from data.settings import Settings

MAX_DAYS = 92  # a quarter: the longest period one list covers
MAX_LISTED = 200  # flagged rows read in detail; more is a period or an area to narrow


@dataclass(frozen=True)
class Discrepancies:
    """What the page lists: the flagged rows with their lots, and how many were checked."""

    start: dt.date
    end: dt.date
    tolerance: Tolerance
    days: tuple[tuple[FacilityDay, tuple[LotLine, ...]], ...]
    warehouses: tuple[tuple[WarehouseCount, tuple[LotLine, ...]], ...]
    days_checked: int
    warehouses_checked: int
    truncated: bool = False


def tolerance(settings: Settings) -> Tolerance:
    """The configured tolerance (config.yaml `reconciliation`)."""
    return Tolerance(settings.reconciliation_pct, settings.reconciliation_doses)


def check_period(start: dt.date, end: dt.date) -> None:
    """OpsError beside the field at fault for a reversed or too long period."""
    if end < start:
        raise OpsError.one("end", "reconcile.reversed")
    if (end - start).days + 1 > MAX_DAYS:
        raise OpsError.one("start", "reconcile.too_long", str(MAX_DAYS))


def discrepancies(engine: Engine, principal: Principal, start: dt.date, end: dt.date,
                  tol: Tolerance) -> Discrepancies:
    """The flagged facility-days of [start, end] and flagged warehouses (last counts) of the
    principal's operations scope, with the records behind each; nothing outside it."""
    check_period(start, end)
    scope = scope_of(principal)
    with engine.connect() as conn:
        days = facility_days(conn, start, end, scope)
        counts = warehouse_counts(conn, scope)
        bad_days = [d for d in days if d.flagged(tol)]
        bad_counts = [w for w in counts if w.flagged(tol)]
        truncated = len(bad_days) + len(bad_counts) > MAX_LISTED
        bad_days = bad_days[:MAX_LISTED]
        bad_counts = bad_counts[:MAX_LISTED - len(bad_days)]
        return Discrepancies(
            start, end, tol,
            tuple((d, tuple(facility_day_lots(conn, d.facility_code, d.day)))
                  for d in bad_days),
            tuple((w, tuple(warehouse_lots(conn, w.warehouse_code))) for w in bad_counts),
            len(days), len(counts), truncated)
