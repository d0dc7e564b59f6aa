"""Bodies of the citizens' health-book API (/api/v1/citizen): sign-in by one-time code, the
profile, doses, registrations and the FHIR export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from callbacks.api.schemas import PRINTABLE, StrictBody, Text, storable

# An identity number as typed (CCCD, CMND, passport; spaces, dots, dashes allowed).
IdentityNumber = Annotated[str, Field(min_length=1, max_length=32, pattern=PRINTABLE,
                                      examples=["079201001234"]),
                           AfterValidator(storable)]
Short = Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE),
                  AfterValidator(storable)]
# A code or phone of a registration (the contract's widths are smaller still; its rules say so).
Tiny = Annotated[str, Field(min_length=1, max_length=20, pattern=PRINTABLE),
                 AfterValidator(storable)]
# Free text of a self-report (data.citizen.self_report.MAX_TEXT); line breaks allowed.
LongText = Annotated[str, Field(max_length=1000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"),
                     AfterValidator(storable)]


class CodeRequest(StrictBody):
    """Ask for a one-time sign-in code."""

    identity_number: IdentityNumber
    date_of_birth: dt.date


class CodeAccepted(BaseModel):
    """The same answer whether or not the person is on record (no enumeration)."""

    detail: str
    expires_in: int = Field(description="seconds a code sent now stays valid")


class CitizenTokenRequest(StrictBody):
    """Exchange the one-time code for a citizen token."""

    identity_number: IdentityNumber
    date_of_birth: dt.date
    code: str = Field(pattern=r"^[0-9]{6}$", examples=["123456"])


class CitizenMeOut(BaseModel):
    """The citizen as on record (phone masked but for its last 3 digits)."""

    full_name: str
    birth_date: dt.date
    sex: Literal["M", "F"]
    province_code: str
    district_code: str
    ward_code: str | None
    phone: str | None


class CitizenDoseOut(BaseModel):
    """One dose given to the citizen."""

    record_id: str
    vaccine_code: str
    vaccine_name: str
    dose_kind: str
    dose_number: int
    administered_at: dt.datetime
    lot_number: str
    lot_expiry: dt.date | None
    facility_code: str
    facility_name: str | None
    province_code: str
    district_code: str


class CitizenDoseList(BaseModel):
    """The citizen's doses, oldest first."""

    doses: list[CitizenDoseOut]


class ImmunizationQuery(StrictBody):
    """The export's format: FHIR R4 (the one there is)."""

    format: Literal["fhir"] = "fhir"


class FhirBundle(BaseModel):
    """A FHIR R4 Bundle (type collection) of Immunization resources with their Patient and
    Organization resources."""

    model_config = ConfigDict(extra="allow")
    resourceType: Literal["Bundle"]
    type: Literal["collection"]
    entry: list[dict[str, Any]]


class CitizenRegistrationIn(StrictBody):
    """A registration for vaccination: the registrations record of the interchange contract
    (docs/interchange.md) less the identity number (the token's) and the ids and times the
    API sets. Checked by the same rules as a file's row."""

    id_type: Literal["CCCD", "CMND", "PASSPORT"] | None = None
    full_name: Text = Field(min_length=1)
    birth_date: dt.date
    sex: Literal["M", "F"]
    phone: Tiny = Field(examples=["0912345678"])
    priority_group: int = Field(default=0, ge=0, le=99)
    province_code: Tiny = Field(examples=["79"])
    district_code: Tiny = Field(examples=["760"])
    ward_code: Tiny | None = None
    address: Text | None = None
    organisation: Text | None = None


class CitizenRegistrationOut(BaseModel):
    """One of the citizen's registrations."""

    registration_id: str
    status: Literal["ACTIVE", "CANCELLED"]
    full_name: str
    priority_group: int
    province_code: str
    district_code: str
    ward_code: str | None
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None


class CitizenRegistrationList(BaseModel):
    """The citizen's registrations: the active one first, then those cancelled."""

    registrations: list[CitizenRegistrationOut]


class SelfReportIn(StrictBody):
    """Reactions after one of the citizen's doses (data.citizen.self_report's rules: within
    28 days of the dose, onset not before it nor in the future, a coded reaction or text)."""

    record_id: Short = Field(description="the dose's record_id (GET me/doses)")
    onset_date: dt.date
    reactions: list[Short] = Field(default=[], max_length=40,
                                   description="codes of the staff AEFI form's reaction list")
    text: LongText | None = None
    hospitalised: bool = False


class SelfReportOut(BaseModel):
    """The AEFI report the self-report became."""

    report_id: str
    record_id: str
    severity: Literal["MILD", "SERIOUS"]
    reported_at: dt.datetime


class DeclarationIn(StrictBody):
    """Today's health declaration (a second one today replaces the first)."""

    symptoms: list[Short] = Field(default=[], max_length=16,
                                  examples=[["FEVER", "COUGH"]])
    contact: bool
    travel: bool
    travel_province: Tiny | None = Field(default=None, examples=["79"])


class DeclarationOut(BaseModel):
    """The declaration recorded: its day, the province it counts in, whether it replaced an
    earlier one of the same day."""

    day: dt.date
    province_code: str
    replaced: bool
