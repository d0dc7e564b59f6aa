"""Request and response bodies of the JSON API (pydantic); the OpenAPI document is made from
them by spectree."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
)


class _Body(BaseModel):
    # A field the API does not know is refused, not ignored: a typo must not pass silently.
    model_config = ConfigDict(extra="forbid")


class ErrorItem(BaseModel):
    """One problem: the input it concerns (None for the request as a whole), a stable code and
    a message in the language of Accept-Language."""

    field: str | None
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error response of the API."""

    errors: list[ErrorItem] = Field(min_length=1)


class TokenError(ErrorBody):
    """A refused sign-in: OAuth 2's error response (RFC 6749 §5.2) plus the API's errors."""

    error: Literal["invalid_grant"]
    error_description: str


class TokenRequest(_Body):
    """Sign in with a username and password."""

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    """OAuth 2's successful token response (RFC 6749 §5.1)."""

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int = Field(description="seconds until the token expires")


class GrantOut(BaseModel):
    """One role at one scope, with the province and district the scope lies in."""

    role: str
    scope_level: Literal["NATIONAL", "PROVINCE", "DISTRICT", "FACILITY"]
    scope_code: str | None
    province_code: str | None
    district_code: str | None


class ScopeOut(BaseModel):
    """What the grants reach below the country."""

    national: bool
    provinces: list[str]
    districts: list[str]
    facilities: list[str]


class MeOut(BaseModel):
    """The token's holder, with roles and scope as they are now."""

    username: str
    display_name: str
    roles: list[GrantOut]
    scope: ScopeOut


class TokenOut(BaseModel):
    """A token as an administrator sees it (never the token itself)."""

    id: int
    username: str
    source: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    status: Literal["active", "expired", "revoked"]


class TokenList(BaseModel):
    """The newest tokens first."""

    tokens: list[TokenOut]


class ScreeningItemOut(BaseModel):
    """One checklist question of a rule set, in the requested language."""

    id: str
    number: str
    text: str
    outcome: str
    asks_detail: bool


class RuleSetOut(BaseModel):
    """One screening rule set."""

    id: str
    decision: str
    effective_from: dt.date
    min_age_years: int
    max_age_years: int | None
    description: str
    items: list[ScreeningItemOut]


class RuleSetList(BaseModel):
    """Every screening rule set, oldest first."""

    rule_sets: list[RuleSetOut]


class IdentityCheck(_Body):
    """An identity document as typed at check-in, with the form's birth date and sex."""

    number: str = Field(min_length=1, max_length=32)
    id_type: Literal["CCCD", "CMND", "PASSPORT"]
    birth_date: dt.date
    sex: Literal["M", "F"]


class CardOut(BaseModel):
    """What a 12-digit CCCD says about its holder."""

    province_code: str
    sex: Literal["M", "F"]
    birth_year: int


class IdentityResult(BaseModel):
    """The check: valid when nothing is wrong; otherwise one error per field in doubt."""

    valid: bool
    card: CardOut | None
    errors: list[ErrorItem]


# -- the vaccination day (data.ops.commands) ----------------------------------------------------

def _storable(value: str) -> str:
    # PostgreSQL refuses NUL in text and lone surrogates cannot be encoded: a 400, not a 500.
    if "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value):
        raise ValueError("NUL or a lone surrogate")
    return value


def _naive(value: dt.time) -> dt.time:
    # A session's hours are the facility's local clock; an offset would make them uncomparable.
    if value.tzinfo is not None:
        raise ValueError("a local time, without offset")
    return value


# No control characters (NUL among them), in the document too: a schema-valid value is stored.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Text = Annotated[str, Field(max_length=200, pattern=PRINTABLE), AfterValidator(_storable)]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE),
                 AfterValidator(_storable)]
# hh:mm[:ss] on the facility's clock (OpenAPI's "time" format would ask for an offset).
LocalTime = Annotated[dt.time, AfterValidator(_naive), WithJsonSchema({
    "type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
    "examples": ["07:30"]})]
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Vital = Annotated[float, Field(allow_inf_nan=False)]


class StaffIn(_Body):
    """One member of a session's team."""

    user_id: int = Field(ge=1, le=2**31 - 1)
    role: Code = Field(description="LEAD, CHECKIN, SCREENING, VACCINATOR or OBSERVATION")


class SessionIn(_Body):
    """A vaccination session to plan at a facility."""

    facility_code: Code = Field(examples=["F760001"])
    day: dt.date
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: Int32 = Field(description="1 to 5000 places")
    vaccines: list[Code] = Field(max_length=20, examples=[["AZ"]])
    lots: list[Code] = Field(default=[], max_length=50)
    staff: list[StaffIn] = Field(default=[], max_length=100)


class SessionOut(BaseModel):
    """A session and its state."""

    session_id: str
    status: Literal["OPEN", "CLOSED"]


class BookingIn(_Body):
    """A person to book into the session."""

    person_id: Code
    id_type: Literal["CCCD", "CMND", "PASSPORT"]
    source: Literal["REGISTERED", "INVITED", "WALK_IN"] = "REGISTERED"
    registration_id: Code | None = None


class BookingOut(BaseModel):
    """The booking made."""

    booking_id: str
    session_id: str


class PeopleQuery(_Body):
    """Search at a facility's desk: by identity number, phone, or registration/booking code."""

    facility_code: Code
    by: Literal["id", "phone", "code"]
    q: Text


class DoseOut(BaseModel):
    """An earlier dose of the person."""

    vaccine_code: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    facility_code: str


class PersonOut(BaseModel):
    """One person found: identity, contact, registration, doses, live bookings."""

    person_id: str
    id_type: str
    full_name: str
    birth_date: dt.date
    sex: str
    phone: str | None
    province_code: str
    district_code: str
    ward_code: str | None
    registration_id: str | None
    doses: list[DoseOut]
    bookings: list[str]


class PeopleOut(BaseModel):
    """Everyone matching (at most 20)."""

    people: list[PersonOut]


class CheckinIn(_Body):
    """A person arriving at a session: on a booking, or as a walk-in (name, phone and
    residence needed when the registry does not know them)."""

    session_id: Code
    booking_id: Code | None = None
    id_type: Literal["CCCD", "CMND", "PASSPORT"]
    person_id: Code
    birth_date: dt.date
    sex: Literal["M", "F"]
    full_name: Text = ""
    phone: Text = ""
    province_code: Text = ""
    district_code: Text = ""
    ward_code: Code | None = None
    priority_group: Int32 = 0


class CheckinOut(BaseModel):
    """What the check-in did."""

    checkin_id: str
    booking_id: str
    registration_id: str | None
    walk_in: bool
    registered: bool
    identity_check: str


class ScreeningIn(_Body):
    """A clinician's screening of a checked-in person."""

    checkin_id: Code
    # Keys are the rule set's item and vital ids; the command refuses any other before storing.
    answers: dict[str, bool] = Field(max_length=100)
    vitals: dict[str, Vital] = Field(default={}, max_length=20)
    final_decision: Code
    decision_reason: Text = ""
    rescreen_of: Code | None = Field(
        default=None, description="To screen the person again after a pause: the check-in's "
        "latest screening_id. Without it, a check-in already screened is refused "
        "(screening.done).")


class ReasonOut(BaseModel):
    """A finding that drove the computed outcome."""

    source: Literal["item", "vital"]
    id: str
    outcome: str
    value: float | None
    bound: str


class ScreeningOut(BaseModel):
    """What was stored."""

    screening_id: str
    rule_set_id: str
    computed_outcome: str
    reasons: list[ReasonOut]
    final_decision: str


Cell = Annotated[str | None, Field(default=None, max_length=200, pattern=PRINTABLE), AfterValidator(
    lambda v: v if v is None else _storable(v))]


class InjectionIn(_Body):
    """One dose, in the interchange contract's columns and formats (the text a file's cell
    would hold). `record_id` is the client's id of the record and its idempotency key: the
    same body sent again (a retry) answers 200 "unchanged" and stores nothing twice."""

    record_id: Code
    status: Cell = None
    person_id: Cell = None
    id_type: Cell = None
    full_name: Cell = None
    birth_date: Cell = None
    sex: Cell = None
    phone: Cell = None
    priority_group: Cell = None
    province_code: Cell = None
    district_code: Cell = None
    ward_code: Cell = None
    facility_code: Cell = None
    vaccine_code: Cell = None
    lot_number: Cell = None
    dose_kind: Cell = None
    dose_number: Cell = None
    administered_at: Cell = None
    vaccinator: Cell = None


class InjectionOut(BaseModel):
    """The dose's record and what the call did: stored it (201), corrected it or found it
    stored as sent (200)."""

    record_id: str
    outcome: Literal["loaded", "updated", "unchanged"]


# -- observation after the injection (data.ops.commands.observation) ---------------------------

class BoardQuery(_Body):
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


class ReleaseIn(_Body):
    """Release a person; before the 30 minutes are over, say why."""

    early_reason: str | None = Field(default=None, max_length=500, pattern=PRINTABLE)


class ReactionIn(_Body):
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
class LotVialsIn(_Body):
    """The vials of one lot opened at the session."""

    lot_number: Code
    vials_opened: int = Field(ge=0, le=10_000)
    doses_per_vial: int | None = Field(
        default=None, ge=1, le=50,
        description="a lot whose vials are not the product's usual size (AZ: 8 or 10)")


class TallyIn(_Body):
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

class GiveDoseIn(_Body):
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
                               AfterValidator(_storable)] = ""
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
