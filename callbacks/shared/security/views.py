"""Server-rendered account pages: sign in, sign out, change password, health, too many tries."""

from __future__ import annotations

import time
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2 import BaseLoader, DictLoader

from callbacks.shared.i18n import N_, norm_lang, t
from callbacks.shared.security.session import (
    EPOCH,
    HEALTH_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    MUST_CHANGE,
    PASSWORD_PATH,
    end_session,
    safe_next,
    signed_in_user,
    start_session,
)
from callbacks.shared.security.templates import TEMPLATES
from data.audit import Actor
from data.auth.passwords import MIN_LENGTH
from data.auth.users import (
    AccountError,
    authenticate,
    change_password,
    end_sessions,
    must_change_password,
)
from data.db import unit_of_work
from data.services import Services

# Flask's default limit for POST /login and POST /account/password, per client address;
# app.server.config["VX_LOGIN_RATE_LIMIT"] overrides it.
LOGIN_RATE_LIMIT = "10 per minute"
CSRF_COOKIE = "_csrf_token"
# Why a login form was shown: ?reason=... -> notice key.
NOTICES: dict[str, str] = {"expired": N_("login.expired"), "signed_out": N_("login.signed_out"),
                           "form": N_("form.expired")}


class _Pages(Blueprint):
    """A blueprint whose templates are the strings of callbacks.shared.security.templates."""

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:  # type: ignore[override]
        return DictLoader(TEMPLATES)


def _services() -> Services:
    return current_app.extensions["vx_services"]  # type: ignore[no-any-return]


def _lang() -> str:
    return norm_lang(request.values.get("lang") or _services().settings.default_lang)


def _source() -> str:
    return (request.remote_addr or "unknown")[:64]


def _url(path: str, **query: str | None) -> str:
    args = {k: v for k, v in query.items() if v}
    return f"{path}?{urlencode(args)}" if args else path


def _render(template: str, lang: str, heading_key: str, status: int = 200,
            **context: Any) -> Response:
    """A page of the account templates in `lang`, with the VI/EN switch."""
    keep = {k: v for k, v in request.args.items() if k != "lang"}
    links = [(code, _url(request.path, **keep, lang=code)) for code in ("vi", "en")]
    context.setdefault("errors", {})
    html = render_template(
        template, lang=lang, heading=t(heading_key, lang), lang_links=links,
        t=lambda key, **values: t(key, lang, **values), **context,
    )
    return Response(html, status=status, mimetype="text/html")


def render_login(lang: str, status: int = 200, username: str = "",
                 errors: dict[str, str] | None = None, notice: str | None = None) -> Response:
    """The sign-in form; the first field in error (else the username) gets the focus."""
    errors = errors or {}
    focus = "password" if "password" in errors and "username" not in errors and username \
        else "username"
    return _render("vx/login.html", lang, "login.title", status, username=username,
                   errors=errors, focus=focus, notice=notice,
                   action=_url(LOGIN_PATH, next=request.args.get("next"), lang=lang))


def render_password(lang: str, status: int = 200, errors: dict[str, str] | None = None,
                    notice: str | None = None) -> Response:
    """The change-password form of the signed-in user."""
    errors = errors or {}
    must = bool(session.get(MUST_CHANGE))
    focus = next((f for f in ("current", "new", "confirm") if f in errors), "current")
    target = safe_next(request.args.get("next"))
    return _render(
        "vx/password.html", lang, "password.title", status, errors=errors, focus=focus,
        notice=notice or (t("password.must_change", lang) if must else None),
        must_change=must, back=target, hint=t("password.hint", lang, n=MIN_LENGTH),
        action=_url(PASSWORD_PATH, next=request.args.get("next"), lang=lang),
    )


def login() -> ResponseReturnValue:
    """GET: the form; POST: check the password (the data layer audits and locks)."""
    lang = _lang()
    target = safe_next(request.args.get("next"))
    if request.method == "GET":
        user, _ended = signed_in_user(time.time())
        if user is not None:
            return redirect(target)
        key = NOTICES.get(request.args.get("reason", ""))
        return render_login(lang, notice=t(key, lang) if key else None)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    errors = {f: t("form.required", lang) for f, v in (("username", username),
                                                     ("password", password)) if not v}
    if errors:
        return render_login(lang, username=username, errors=errors)
    with unit_of_work(_services().engine) as conn:
        result = authenticate(conn, username, password, _source())
        principal = result.principal
        must = principal is not None and must_change_password(conn, principal.user_id)
    if principal is None:
        # One answer, beside the password, whatever the cause (wrong password, unknown user,
        # lock-out): the page tells nobody which usernames exist or are locked.
        shown = username if username.isprintable() else ""
        return render_login(lang, username=shown,
                            errors={"password": t(result.reason or "login.invalid", lang)})
    start_session(principal, must_change=must)
    if must:
        return redirect(_url(PASSWORD_PATH, next=target if target != "/" else None, lang=lang))
    return redirect(target)


def logout() -> ResponseReturnValue:
    """End the session (POST with the CSRF token) and show the sign-in form."""
    if request.method == "GET":
        return redirect("/")  # a link or a prefetch never signs anyone out
    lang = _lang()
    if current_user.is_authenticated:
        principal = current_user.principal
        with unit_of_work(_services().engine) as conn:
            end_sessions(conn, Actor(principal.user_id, principal.username, _source()))
    end_session()
    response = redirect(_url(LOGIN_PATH, reason="signed_out", lang=lang))
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def password() -> ResponseReturnValue:
    """The signed-in user changes their password (required after a reset)."""
    lang = _lang()
    if request.method == "GET":
        return render_password(lang)
    values = {f: request.form.get(f, "") for f in ("current", "new", "confirm")}
    errors = {f: t("form.required", lang) for f, v in values.items() if not v}
    if not errors and values["new"] != values["confirm"]:
        errors["confirm"] = t("password.mismatch", lang)
    if not errors:
        principal = current_user.principal
        actor = Actor(principal.user_id, principal.username, _source())
        try:
            with unit_of_work(_services().engine) as conn:
                change_password(conn, actor, values["current"], values["new"])
        except AccountError as err:
            errors[err.field or "new"] = t(err.key, lang, n=MIN_LENGTH)
    if errors:
        return render_password(lang, errors=errors)
    session[MUST_CHANGE] = False
    session[EPOCH] = principal.session_epoch + 1  # this session lives on; all others end
    return redirect(safe_next(request.args.get("next")))


def healthz() -> ResponseReturnValue:
    """Liveness probe for the load balancer: no database, no session."""
    return Response("ok", mimetype="text/plain")


def too_many_attempts(_error: RateLimitExceeded) -> ResponseReturnValue:
    """The 429 page: a plain explanation in the page's language, and when to try again."""
    lang = _lang()
    response = _render("vx/too_many.html", lang, "ratelimit.title", 429,
                       back=_url(LOGIN_PATH, lang=lang))
    response.headers["Retry-After"] = "60"
    return response


def csrf_refused(error: CSRFError) -> ResponseReturnValue:
    """A state-changing request without a valid CSRF token: refused, nothing done."""
    if request.path == LOGIN_PATH:
        lang = _lang()
        return render_login(lang, status=400, notice=t("form.expired", lang))
    if request.path == PASSWORD_PATH and current_user.is_authenticated:
        lang = _lang()
        return render_password(lang, status=400, notice=t("form.expired", lang))
    return Response('{"error": "csrf"}', status=400, mimetype="application/json")


def login_rate_limit() -> str:
    """The sign-in rate limit of the current app (every route that checks a password)."""
    return str(current_app.config.get("VX_LOGIN_RATE_LIMIT", LOGIN_RATE_LIMIT))


def build_blueprint(limiter: Limiter) -> Blueprint:
    """The account routes of one app, the sign-in POSTs limited by that app's limiter."""
    pages = _Pages("vx_security", __name__)
    limited = limiter.limit(login_rate_limit, methods=["POST"])
    pages.add_url_rule(LOGIN_PATH, "login", limited(login), methods=["GET", "POST"])
    pages.add_url_rule(LOGOUT_PATH, "logout", logout, methods=["GET", "POST"])
    pages.add_url_rule(PASSWORD_PATH, "password", limited(password), methods=["GET", "POST"])
    pages.add_url_rule(HEALTH_PATH, "healthz", healthz, methods=["GET"])
    return pages
