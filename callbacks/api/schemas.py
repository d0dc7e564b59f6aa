"""Request and response bodies of the JSON API (pydantic); the OpenAPI document is made from
them by spectree."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
)


class StrictBody(BaseModel):
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


class TokenRequest(StrictBody):
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


class IdentityCheck(StrictBody):
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


# -- field types the operations bodies share ------------------------------------------------------

def storable(value: str) -> str:
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
Text = Annotated[str, Field(max_length=200, pattern=PRINTABLE), AfterValidator(storable)]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE),
                 AfterValidator(storable)]
# hh:mm[:ss] on the facility's clock (OpenAPI's "time" format would ask for an offset).
LocalTime = Annotated[dt.time, AfterValidator(_naive), WithJsonSchema({
    "type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
    "examples": ["07:30"]})]
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Vital = Annotated[float, Field(allow_inf_nan=False)]
