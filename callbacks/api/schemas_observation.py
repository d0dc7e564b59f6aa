"""Bodies of the API calls after the injection: the observation board, reactions, the
session's tally, the injection step and the lots."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from callbacks.api.schemas import PRINTABLE, Code, StrictBody, Text, storable

# -- observation after the injection (data.ops.commands.observation) ---------------------------


class BoardQuery(StrictBody):
    """The board of one facility the caller works."""

    facility_code: Code


class UnderObservationOut(BaseModel):
    """One person still under observation today."""

    record_id: str
    full_name: str
    vaccine_code: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    release_at: dt.datetime = Field(description="30 minutes after the injection")


class BoardOut(BaseModel):
    """Today's people under observation at the facility, longest waiting first."""

    facility_code: str
    people: list[UnderObservationOut]


class ReleaseIn(StrictBody):
    """Release a person; before the 30 minutes are over, say why."""

    early_reason: str | None = Field(default=None, max_length=500, pattern=PRINTABLE)


class ReactionIn(StrictBody):
    """A reaction seen during observation: the AEFI report's fields (the interchange contract's
    codes; SERIOUS needs `seriousness`). `onset_at` defaults to now."""

    severity: Code = Field(examples=["MILD"])
    symptoms: str = Field(min_length=1, max_length=1000, pattern=PRINTABLE,
                          examples=["Sốt; đau tại chỗ tiêm"])
    outcome: Code = Field(default="RECOVERING")
    seriousness: Text | None = None
    onset_at: AwareDatetime | None = None


class ObservationOut(BaseModel):
    """How the observation ended: RELEASED, or REACTION with the AEFI report it opened."""

    record_id: str
    outcome: Literal["RELEASED", "REACTION"]
    released_at: dt.datetime
    aefi_report_id: str | None
class LotVialsIn(StrictBody):
    """The vials of one lot opened at the session."""

    lot_number: Code
    vials_opened: int = Field(ge=0, le=10_000)
    doses_per_vial: int | None = Field(
        default=None, ge=1, le=50,
        description="a lot whose vials are not the product's usual size (AZ: 8 or 10)")


class TallyIn(StrictBody):
    """The closing tally: per lot, the vials opened. The doses given are counted by the
    platform; the open-vial wastage is vials x doses per vial - given. A lot named twice is a
    422 (close.lot_twice) beside it."""

    lots: list[LotVialsIn] = Field(max_length=50)


class LotTallyOut(BaseModel):
    """One lot of the closed session."""

    lot_number: str
    vaccine_code: str
    doses_per_vial: int
    doses_given: int
    vials_opened: int
    doses_wasted: int


class TallyOut(BaseModel):
    """The closed session, its warehouse and tally; `outcome` "unchanged" for a retry."""

    session_id: str
    status: Literal["OPEN", "CLOSED"]
    warehouse_code: str
    outcome: Literal["closed", "unchanged"]
    lots: list[LotTallyOut]
# -- the injection step (data.ops.commands.give_dose) -------------------------------------------


class GiveDoseIn(StrictBody):
    """A dose given to a checked-in, screened person from the session's stock. `record_id` is
    the client's id of the dose, made when its form opens, and the idempotency key: the same
    body sent again answers 200 "unchanged" and stores nothing twice. The dose kind and
    number are the schedule's proposal unless `override_reason` says why not."""

    record_id: Code
    checkin_id: Code
    vaccine_code: Code = Field(examples=["AZ"])
    lot_number: Code
    dose_kind: Literal["PRIMARY", "ADDITIONAL", "BOOSTER"]
    dose_number: int = Field(ge=1, le=3)
    injection_site: Literal["LEFT_ARM", "RIGHT_ARM", "LEFT_THIGH", "RIGHT_THIGH"]
    override_reason: Annotated[str, Field(max_length=500, pattern=PRINTABLE),
                               AfterValidator(storable)] = ""
    vaccinator_user_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                           description="a vaccinator of the session's staff; "
                                                       "default: the caller")
    administered_at: dt.datetime | None = Field(
        default=None, description="default: now; must fall on the session's day")


class GiveDoseOut(BaseModel):
    """The dose's record, what the call did (201 stored, 200 already stored as sent), what the
    schedule proposed and whether staff chose otherwise."""

    record_id: str
    outcome: Literal["loaded", "unchanged"]
    proposed_dose_kind: str | None
    proposed_dose_number: int | None
    overridden: bool


class LotOut(BaseModel):
    """A lot the session may use: doses on hand at its facility, and expiry."""

    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    doses: int


class LotsOut(BaseModel):
    """The session's usable lots, first expiry first out (the first is the one to suggest)."""

    lots: list[LotOut]
