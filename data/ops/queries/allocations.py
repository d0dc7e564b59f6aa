"""Allocations carried out, as the operations page reads them: each decision row of the
reader's area with what was dispatched, received and is still owed
(data.allocation_deliveries), and the transfers that delivered one row.

Who reads what: the national roles every row; a province officer the rows of its province
(the Ministry's to it, its own to its districts); a district officer the rows to its
districts. Facility staff allocate and receive nothing by decision: Forbidden.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, text

from data.allocation_deliveries import figures, transfers_of, with_deliveries
from data.auth.roles import Forbidden, Principal, Role

READERS = (Role.MINISTRY_LEADER, Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER,
           Role.DISTRICT_OFFICER)
COLUMNS = ["allocation_id", "decision_no", "decided_on", "batch", "vaccine_code",
           "recipient_level", "recipient_code", "recipient_name", "province_code", "doses",
           "dispatched", "received", "in_transit", "short", "owed"]


def may_read(principal: Principal) -> bool:
    """Whether the principal reads allocations at all."""
    return principal.is_system or principal.has(*READERS)


def _visible(df: pd.DataFrame, principal: Principal) -> pd.DataFrame:
    """The rows of the principal's area."""
    if principal.is_system or principal.national:
        return df
    provinces = {g.province_code for g in principal.grants
                 if g.role == Role.PROVINCE_OFFICER and g.province_code}
    districts = {g.district_code for g in principal.grants
                 if g.role == Role.DISTRICT_OFFICER and g.district_code}
    keep = df["province_code"].isin(provinces) | (
        (df["recipient_level"] == "DISTRICT") & df["recipient_code"].isin(districts))
    return df[keep]


def _rows(conn: Connection, allocation_id: str | None = None) -> pd.DataFrame:
    where = "" if allocation_id is None else "WHERE a.allocation_id = :a"
    rows = conn.execute(text(f"""
        SELECT a.allocation_id, a.decision_no, a.decided_on, a.batch, a.vaccine_code,
               f.recipient_level, a.recipient_code,
               COALESCE(d.name_with_type, p.name_with_type) AS recipient_name, f.province_code,
               a.doses
        FROM allocation a
        JOIN fct_allocation f ON f.allocation_id = a.allocation_id
        LEFT JOIN ref_province p ON p.code = a.recipient_code
        LEFT JOIN ref_district d ON d.code = a.recipient_code {where}
        ORDER BY a.decided_on DESC, a.decision_no, a.vaccine_code, a.recipient_code"""),
        {"a": allocation_id}).mappings().all()
    return pd.DataFrame(rows, columns=COLUMNS[:10])


def allocations_carried_out(target: Engine | Connection, principal: Principal,
                            vaccine: str | None = None) -> pd.DataFrame:
    """The decision rows of the principal's area (of one product when `vaccine` is given),
    newest first, with dispatched, received, in_transit, short and owed (COLUMNS).
    Forbidden for a role that reads no allocations."""
    if not may_read(principal):
        raise Forbidden(f"{principal.username} may not read allocations")
    if isinstance(target, Engine):
        with target.connect() as conn:
            return allocations_carried_out(conn, principal, vaccine)
    df = _visible(_rows(target), principal)
    if vaccine:
        df = df[df["vaccine_code"] == vaccine]
    df = df.assign(doses=df["doses"].astype("int64"))
    # Every linked transfer at once (few beside the decision rows), not one bound id per row.
    linked = transfers_of(target)
    delivered = figures(linked[linked["allocation_id"].isin(df["allocation_id"])], "UTC")
    return with_deliveries(df, delivered)[COLUMNS].reset_index(drop=True)


def deliveries_of(target: Engine | Connection, principal: Principal, allocation_id: str
                  ) -> pd.DataFrame:
    """The transfers delivering one decision row of the principal's area (transfers_of
    columns); Forbidden when the row is outside it, empty when unknown."""
    if not may_read(principal):
        raise Forbidden(f"{principal.username} may not read allocations")
    if isinstance(target, Engine):
        with target.connect() as conn:
            return deliveries_of(conn, principal, allocation_id)
    mine = _rows(target, allocation_id)
    if len(mine) and _visible(mine, principal).empty:
        raise Forbidden(f"{principal.username} may not read allocation {allocation_id}")
    return transfers_of(target, [allocation_id] if len(mine) else [])


def recipients(target: Engine | Connection, principal: Principal) -> list[tuple[str, str]]:
    """(code, name) of the recipients the principal may allocate to, in code order: every
    province for the Ministry's leaders, the districts of its province for a province officer
    (both for the system principal)."""
    if isinstance(target, Engine):
        with target.connect() as conn:
            return recipients(conn, principal)
    out: list[tuple[str, str]] = []
    if principal.is_system or principal.has(Role.MINISTRY_LEADER):
        out += [(str(c), str(n)) for c, n in target.execute(text(
            "SELECT code, name_with_type FROM ref_province ORDER BY code"))]
    provinces = sorted({g.province_code for g in principal.grants
                        if g.role == Role.PROVINCE_OFFICER and g.province_code})
    if principal.is_system:
        provinces = [str(c) for c in target.execute(text("SELECT code FROM ref_province"))]
    if provinces:
        q = text("SELECT code, name_with_type FROM ref_district WHERE province_code IN :p "
                 "ORDER BY code"
                 ).bindparams(bindparam("p", expanding=True))
        out += [(str(c), str(n)) for c, n in target.execute(q, {"p": provinces})]
    return out
