"""Observation after the injection through the API: the facility's board, release a person,
record a reaction (which opens an AEFI report of the dose). Scope and rules are checked by
data.ops.commands.observation and data.ops.observation_board."""

from __future__ import annotations

import dataclasses
from typing import Any

from callbacks.api.bearer import bearer_principal, services, source
from callbacks.api.errors import refused, request_lang
from callbacks.api.schemas_observation import (
    BoardOut,
    BoardQuery,
    ObservationOut,
    ReactionIn,
    ReleaseIn,
    UnderObservationOut,
)
from callbacks.shared.i18n import N_
from data.command_errors import OpsError
from data.ops.commands.observation import Reaction, record_reaction, release
from data.ops.observation_board import observation_board

CREATED = 201
# The commands' own refusal codes (message ids of the catalogs); a reaction's report is also
# refused with the AEFI file's reasons, which the command words itself.
OBSERVATION_CODES = (
    N_("observation.unknown_dose"), N_("observation.already_closed"),
    N_("observation.early_reason"), N_("observation.note_invalid"),
)


def _refused(err: OpsError, lang: str) -> Any:
    """422: our codes worded from the catalogs, the AEFI rules' as the reject report words
    them."""
    return refused(err, lang)


def board(query: BoardQuery) -> BoardOut:
    """The people under observation at a facility the caller works (data.ops.observation_board)."""
    svc = services()
    people = observation_board(svc.engine, bearer_principal(), query.facility_code,
                               svc.settings.timezone)
    return BoardOut(facility_code=query.facility_code,
                    people=[UnderObservationOut(**dataclasses.asdict(p)) for p in people])


def release_person(record_id: str, json: ReleaseIn) -> Any:
    """Release the person of a dose (an early release needs a reason)."""
    principal = bearer_principal()
    try:
        done = release(services().engine, principal, source(), record_id, json.early_reason)
    except OpsError as err:
        return _refused(err, request_lang())
    return ObservationOut(**dataclasses.asdict(done)), CREATED


def reaction(record_id: str, json: ReactionIn) -> Any:
    """Record a reaction during observation: an AEFI report of the dose, pre-filled."""
    principal = bearer_principal()
    lang = request_lang()
    seen = Reaction(json.severity, json.symptoms, json.outcome, json.seriousness, json.onset_at)
    try:
        done = record_reaction(services(), principal, source(), record_id, seen, lang)
    except OpsError as err:
        return _refused(err, lang)
    return ObservationOut(**dataclasses.asdict(done)), CREATED
