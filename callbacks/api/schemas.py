"""Request and response bodies of the JSON API (pydantic); the OpenAPI document is made from
them by spectree."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


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
