"""Bodies of the vaccination day's API calls (data.ops.commands): sessions, bookings, the
check-in, the screening and the injection."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from callbacks.api.schemas import (
    PRINTABLE,
    Code,
    Int32,
    LocalTime,
    StrictBody,
    Text,
    Vital,
    storable,
)


class StaffIn(StrictBody):
    """One member of a session's team."""

    user_id: int = Field(ge=1, le=2**31 - 1)
    role: Code = Field(description="LEAD, CHECKIN, SCREENING, VACCINATOR or OBSERVATION")


class SessionIn(StrictBody):
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


class BookingIn(StrictBody):
    """A person to book into the session."""

    person_id: Code
    id_type: Literal["CCCD", "CMND", "PASSPORT"]
    source: Literal["REGISTERED", "INVITED", "WALK_IN"] = "REGISTERED"
    registration_id: Code | None = None


class BookingOut(BaseModel):
    """The booking made."""

    booking_id: str
    session_id: str


class PeopleQuery(StrictBody):
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


class CheckinIn(StrictBody):
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


class ScreeningIn(StrictBody):
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
    lambda v: v if v is None else storable(v))]


class InjectionIn(StrictBody):
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
