"""The observation board of a facility: today's doses whose observation has not ended yet,
with the moment each person may leave (data.ops.commands.observation.release_due)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

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


# Today's doses are found through fct_injection's day and facility (a BRIN index on the day
# on PostgreSQL: recent rows sit together), not by scanning injection, which has no index
# on its facility or time.
_BOARD = text("""
    SELECT i.record_id, i.full_name, i.vaccine_code, i.dose_kind, i.dose_number,
           i.administered_at
    FROM fct_injection f
    JOIN dim_facility d ON d.facility_key = f.facility_key
    JOIN injection i ON i.record_id = f.record_id
    LEFT JOIN vax_observation o ON o.record_id = f.record_id
    WHERE f.date_key = :day AND d.facility_code = :facility AND o.record_id IS NULL
      AND i.status = 'COMPLETED' AND i.facility_code = :facility
    ORDER BY i.administered_at, i.record_id
""")


def observation_board(engine: Engine, principal: Principal, facility_code: str, tz: str,
                      today: dt.date | None = None) -> list[UnderObservation]:
    """The people of `facility_code` still under observation today (campaign time zone),
    longest waiting first. Forbidden outside the principal's scope; an unknown facility is
    an OpsError of facility_code."""
    day = today or dt.datetime.now(ZoneInfo(tz)).date()
    with engine.connect() as conn:
        require_facility(conn, principal, facility_code)
        rows = conn.execute(_BOARD, {"day": day.year * 10000 + day.month * 100 + day.day,
                                     "facility": facility_code}).all()
    out = []
    for r in rows:
        given = r.administered_at
        if isinstance(given, str):  # SQLite through text(): ISO text
            given = dt.datetime.fromisoformat(given)
        if given.tzinfo is None:
            given = given.replace(tzinfo=dt.UTC)
        out.append(UnderObservation(r.record_id, r.full_name, r.vaccine_code, r.dose_kind,
                                    int(r.dose_number), given, release_due(given)))
    return out
