"""Tokens and identity: sign in for a token, who am I, the administrator's token list."""

from __future__ import annotations

from typing import Any

from flask import current_app

from callbacks.api.bearer import bearer_principal, services, source
from callbacks.api.errors import ApiError, error_response, item, request_lang
from callbacks.api.schemas import (
    GrantOut,
    MeOut,
    ScopeOut,
    TokenList,
    TokenOut,
    TokenRequest,
    TokenResponse,
)
from callbacks.shared.i18n import N_
from data.auth import tokens
from data.auth.roles import Principal
from data.auth.users import authenticate, must_change_password
from data.db import unit_of_work


def issue_token(json: TokenRequest) -> Any:
    """Sign in: a bearer token for the account (OAuth 2's token response).

    Counted by the sign-in rate limit and the account lock-out like the sign-in page; a wrong
    password, an unknown user and a locked account get the same 401 invalid_grant.
    """
    svc = services()
    with unit_of_work(svc.engine) as conn:
        result = authenticate(conn, json.username, json.password, source())
        principal = result.principal
        if principal is not None and must_change_password(conn, principal.user_id):
            principal, refused = None, "password_change_required"
        else:
            refused = None
        issued = (tokens.issue(conn, principal, source(), svc.settings.api_token_ttl_s)
                  if principal is not None else None)
    if refused:
        raise ApiError(403, refused, N_("api.error.password_change_required"), "password")
    if issued is None:
        lang = request_lang()
        error = item("password", "invalid_grant", result.reason or N_("login.invalid"), lang)
        return error_response(401, [error], error="invalid_grant",
                              error_description=error["message"])
    body = TokenResponse(access_token=issued.token, token_type="bearer",
                         expires_in=issued.expires_in)
    response = current_app.json.response(body.model_dump())
    response.headers["Pragma"] = "no-cache"  # RFC 6749 §5.1 (Cache-Control comes from the gate)
    return response


def _me(principal: Principal) -> MeOut:
    grants = [GrantOut(role=str(g.role), scope_level=g.scope_level,  # type: ignore[arg-type]
                       scope_code=g.scope_code, province_code=g.province_code,
                       district_code=g.district_code) for g in principal.grants]
    districts = sorted({g.district_code for g in principal.grants
                        if g.scope_level == "DISTRICT" and g.district_code})
    scope = ScopeOut(national=principal.national, provinces=sorted(principal.provinces()),
                     districts=districts, facilities=sorted(principal.facility_codes()))
    return MeOut(username=principal.username, display_name=principal.display_name,
                 roles=grants, scope=scope)


def me() -> MeOut:
    """The token's holder: username, roles and scope, as they are now."""
    return _me(bearer_principal())


def _token_out(info: tokens.TokenInfo) -> TokenOut:
    return TokenOut(id=info.id, username=info.username, source=info.source,
                    created_at=info.created_at, expires_at=info.expires_at,
                    revoked_at=info.revoked_at, last_used_at=info.last_used_at,
                    status=info.status)  # type: ignore[arg-type]


def list_tokens() -> TokenList:
    """Every token, newest first (system administrators)."""
    principal = bearer_principal()
    with unit_of_work(services().engine) as conn:
        infos = tokens.list_tokens(conn, principal)
    return TokenList(tokens=[_token_out(i) for i in infos])


def revoke_token(token_id: int) -> TokenOut:
    """End a token at once (system administrators); revoking twice changes nothing."""
    principal = bearer_principal()
    with unit_of_work(services().engine) as conn:
        info = tokens.revoke(conn, principal, source(), token_id)
    return _token_out(info)
