"""The observation board of a facility: the doses of the day whose observation has not ended
yet, with the moment each person may leave (data.ops.commands.observation.release_due)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, bindparam, text

from data.auth.roles import Principal
from data.ops.commands.common import require_facility
from data.ops.commands.observation import release_due


@dataclass(frozen=True)
class UnderObservation:
    """One person on the board: who, which dose, when it was given and when they may go."""

    record_id: str
    full_name: str
    vaccine_code: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    release_at: dt.datetime


# A person vaccinated before midnight is still under observation after it: the board reaches
# back to the start of the local day, or this long before now when that is earlier.
CARRY = dt.timedelta(hours=4)

# The day's doses are found through fct_injection's day and facility (a BRIN index on the day
# on PostgreSQL: recent rows sit together), not by scanning injection, which has no index
# on its facility or time.
_BOARD = text("""
    SELECT i.record_id, i.full_name, i.vaccine_code, i.dose_kind, i.dose_number,
           i.administered_at
    FROM fct_injection f
    JOIN dim_facility d ON d.facility_key = f.facility_key
    JOIN injection i ON i.record_id = f.record_id
    LEFT JOIN vax_observation o ON o.record_id = f.record_id
    WHERE f.date_key IN :days AND d.facility_code = :facility AND o.record_id IS NULL
      AND i.status = 'COMPLETED' AND i.facility_code = :facility
    ORDER BY i.administered_at, i.record_id
""").bindparams(bindparam("days", expanding=True))


def observation_board(engine: Engine, principal: Principal, facility_code: str, tz: str,
                      at: dt.datetime | None = None) -> list[UnderObservation]:
    """The people of `facility_code` still under observation at `at` (now by default): given
    a dose since the start of that local day (campaign time zone), or within CARRY before,
    and not released; longest waiting first. Forbidden outside the principal's scope; an
    unknown facility is an OpsError of facility_code."""
    now = (at or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(tz))
    since = min(now.replace(hour=0, minute=0, second=0, microsecond=0), now - CARRY)
    days = sorted({d.year * 10000 + d.month * 100 + d.day for d in (since.date(), now.date())})
    with engine.connect() as conn:
        require_facility(conn, principal, facility_code)
        rows = conn.execute(_BOARD, {"days": days, "facility": facility_code}).all()
    out = []
    for r in rows:
        given = r.administered_at
        if isinstance(given, str):  # SQLite through text(): ISO text
            given = dt.datetime.fromisoformat(given)
        if given.tzinfo is None:
            given = given.replace(tzinfo=dt.UTC)
        if since <= given <= now:
            out.append(UnderObservation(r.record_id, r.full_name, r.vaccine_code, r.dose_kind,
                                        int(r.dose_number), given, release_due(given)))
    return out
