"""The stock page's alerts on a lot and the transfer form's first-expiry-first-out (FEFO)
suggestion, as pure rules over what the ledger holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

EXPIRING_DAYS = 30  # the page's warning window before a lot's expiry
# WHO vaccine vial monitor: stage 3 is the discard point, stage 4 beyond it; do not use.
VVM_DISCARD = (3, 4)

EXPIRED, EXPIRING, VVM = "EXPIRED", "EXPIRING", "VVM"


def alerts(expiry: dt.date | None, vvm_stage: int | None, today: dt.date) -> list[str]:
    """The lot's alerts: EXPIRED (its expiry date is past), EXPIRING (within 30 days,
    expiry day included), VVM (stage 3 or 4)."""
    out = []
    if expiry is not None and expiry < today:
        out.append(EXPIRED)
    elif expiry is not None and expiry <= today + dt.timedelta(days=EXPIRING_DAYS):
        out.append(EXPIRING)
    if vvm_stage in VVM_DISCARD:
        out.append(VVM)
    return out


def fefo(lots: Iterable[tuple[str, dt.date | None, int, int | None]], today: dt.date
         ) -> str | None:
    """Of (key, expiry, on hand, VVM stage) lots, the key of the earliest-expiring one that
    is not expired, not past its VVM discard point and has stock; None when there is none.
    A lot of no known expiry is not offered first: it cannot be checked."""
    usable = [(expiry, key) for key, expiry, on_hand, vvm in lots
              if on_hand > 0 and expiry is not None and expiry >= today
              and vvm not in VVM_DISCARD]
    return min(usable)[1] if usable else None
