"""Merge duplicate registrations of one person (same identity number) into one, with history.

An officer of the district or province keeps one registration; the others are removed from
the registry (registration and fct_registration) and kept in the history as they were. What
pointed at a merged-away registration follows it: bookings and invitations (vax_booking) and
check-ins (vax_checkin) are re-pointed to the kept one. Bookings are per person, not per
registration, so no session gains or loses a place. One transaction, audited; the data
version moves with the fact rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from data import audit
from data.auth.roles import Principal, Role
from data.command_errors import OpsError
from data.db import unit_of_work
from data.models.operational import Registration
from data.models.ops import VaxBooking, VaxCheckin
from data.models.ops_registrations import VaxRegistrationMerge, VaxRegistrationMerged
from data.models.star import FctRegistration
from data.ops.commands.common import actor, new_id, now
from data.ops.commands.registration_scope import require_covers
from data.version import bump_version

REGISTRATIONS = Registration.__table__
FACTS = FctRegistration.__table__
BOOKINGS = VaxBooking.__table__
CHECKINS = VaxCheckin.__table__
MERGES = VaxRegistrationMerge.__table__
MERGED = VaxRegistrationMerged.__table__
FIELD = "merge"
# Officers merge; facility staff see the duplicates of their district but leave them.
MERGE_ROLES = (Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER)
MAX_MERGED = 20
# Blank on the kept registration, these take the newest value another one holds.
FILLED = ("ward_code", "address", "organisation")
KEPT = ("full_name", "birth_date", "sex", "phone", "priority_group", "province_code",
        "district_code", "ward_code", "address", "organisation")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def merge_registrations(engine: Engine, principal: Principal, source: str | None,
                        keep_id: str, merged_ids: Sequence[str]) -> str:
    """Merge `merged_ids` into `keep_id`; returns the merge id. Forbidden unless a district
    or province officer whose area holds every registration; OpsError (nothing written):
    `merge.empty`, `merge.too_many`, `merge.unknown` (detail: the id), `merge.not_same`
    (detail: the id whose identity number differs)."""
    if not principal.is_system:
        principal.require(*MERGE_ROLES)
    others = sorted({str(i) for i in merged_ids} - {keep_id})
    if not others:
        raise OpsError.one(FIELD, "merge.empty")
    if len(others) > MAX_MERGED:
        raise OpsError.one(FIELD, "merge.too_many", str(MAX_MERGED))
    r = REGISTRATIONS.c
    with unit_of_work(engine) as conn:
        found = {row["registration_id"]: dict(row) for row in conn.execute(
            select(REGISTRATIONS).where(r.registration_id.in_([keep_id, *others]))
            .order_by(r.registration_id).with_for_update()).mappings()}
        for rid in [keep_id, *others]:
            if rid not in found:  # merged meanwhile, or never there
                raise OpsError.one(FIELD, "merge.unknown", rid[:64])
        kept = found[keep_id]
        for rid in [keep_id, *others]:
            require_covers(principal, found[rid]["province_code"], found[rid]["district_code"])
            if found[rid]["person_id"] != kept["person_id"]:
                raise OpsError.one(FIELD, "merge.not_same", rid[:64])
        newest_first = sorted((found[o] for o in others),
                              key=lambda x: (x["registered_at"], x["registration_id"]),
                              reverse=True)
        fields = {f: {"value": _plain(kept[f]), "from": keep_id} for f in KEPT}
        filled = {}
        for f in FILLED:
            if kept[f] in (None, ""):
                donor = next((o for o in newest_first if o[f] not in (None, "")), None)
                if donor is not None:
                    filled[f] = donor[f]
                    fields[f] = {"value": donor[f], "from": donor["registration_id"]}
        if filled:
            conn.execute(update(REGISTRATIONS).where(r.registration_id == keep_id)
                         .values(**filled))
        moved = conn.execute(update(BOOKINGS).where(BOOKINGS.c.registration_id.in_(others))
                             .values(registration_id=keep_id)).rowcount
        conn.execute(update(CHECKINS).where(CHECKINS.c.registration_id.in_(others))
                     .values(registration_id=keep_id))
        conn.execute(delete(FACTS).where(FACTS.c.registration_id.in_(others)))
        conn.execute(delete(REGISTRATIONS).where(r.registration_id.in_(others)))
        merge_id = new_id()
        conn.execute(insert(MERGES).values(
            merge_id=merge_id, person_id=kept["person_id"], kept_registration_id=keep_id,
            merged_ids=others, kept_fields=fields,
            merged_rows=[{k: _plain(v) for k, v in found[o].items()} for o in others],
            bookings_moved=moved, province_code=kept["province_code"],
            district_code=kept["district_code"], merged_by=principal.user_id,
            merged_by_name=principal.username[:64], merged_at=now()))
        conn.execute(insert(MERGED), [{"registration_id": o, "merge_id": merge_id,
                                       "kept_registration_id": keep_id} for o in others])
        # Registrations merged earlier into one now merged away follow it too.
        conn.execute(update(MERGED).where(MERGED.c.kept_registration_id.in_(others))
                     .values(kept_registration_id=keep_id))
        bump_version(conn)
        audit.record(conn, actor(principal, source), "MERGE", "registration", keep_id,
                     before={"registration_ids": [keep_id, *others]},
                     after={"registration_id": keep_id, "merge_id": merge_id,
                            "filled": sorted(filled), "bookings_moved": moved})
    return merge_id
