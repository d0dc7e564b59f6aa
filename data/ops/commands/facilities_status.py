"""A facility's status: approve or refuse a PENDING one, suspend an ACTIVE one, reactivate a
SUSPENDED one (the officers of its province or district).

Each step rewrites the facility's row through the contract's rules and loader
(data.ops.commands.facilities.write_facility), so facility and dim_facility change
together, with the data version and the audit entry. The stored status is read under a row
lock: two officers deciding the same facility at once decide it once, and the second hears
that it is no longer in the state the step starts from.

Only an ACTIVE facility gets new sessions (data.ops.commands.sessions.create_session);
sessions already planned at a facility suspended later keep running.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from data.auth.roles import Principal
from data.command_errors import OpsError
from data.db import unit_of_work
from data.messages import N_
from data.ops.commands.facilities import (
    MAX_REASON,
    contract_cells,
    managed_row,
    text_problems,
    write_facility,
)

REASON_REQUIRED = N_("facility.reason_required")
WRONG_STATUS = N_("facility.wrong_status")


@dataclass(frozen=True)
class Step:
    """A status change: the statuses it starts from, the one it leads to, whether a reason
    is required (and kept), and its audit action."""

    starts: tuple[str, ...]
    leads_to: str
    reason: str  # "required", "optional" or "none"
    action: str


STEPS: dict[str, Step] = {
    "approve": Step(("PENDING",), "ACTIVE", "none", "APPROVE"),
    "refuse": Step(("PENDING",), "REFUSED", "required", "REFUSE"),
    "suspend": Step(("ACTIVE",), "SUSPENDED", "optional", "SUSPEND"),
    "reactivate": Step(("SUSPENDED",), "ACTIVE", "none", "REACTIVATE"),
}


def steps_from(status: str) -> list[str]:
    """The steps open to a facility in `status`, in STEPS order."""
    return [name for name, step in STEPS.items() if status in step.starts]


def change_status(engine: Engine, principal: Principal, source: str | None, code: str,
                  step_name: str, reason: str | None, lang: str) -> str:
    """Apply one step to a facility the principal manages; returns its new status.
    Forbidden outside the scope; OpsError on an unknown step, a facility not in a state the
    step starts from, or a missing or unreadable reason."""
    step = STEPS.get(step_name) if isinstance(step_name, str) else None
    if step is None:
        raise OpsError.one("step", WRONG_STATUS, str(step_name)[:20])
    text = reason.strip() if isinstance(reason, str) else ""
    with unit_of_work(engine) as conn:
        row = managed_row(conn, principal, code, lock=True)
        if row["status"] not in step.starts:
            raise OpsError.one("status", WRONG_STATUS, str(row["status"]))
        if step.reason == "required" and not text:
            raise OpsError.one("reason", REASON_REQUIRED)
        problems = text_problems({"reason": text}, {"reason": MAX_REASON}, lang)
        if problems:
            raise OpsError(problems)
        cells = contract_cells(row) | {"status": step.leads_to}
        write_facility(conn, principal, source, step.action, cells, row,
                       (text or None) if step.reason != "none" else None, lang)
    return step.leads_to
