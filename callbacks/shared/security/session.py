"""The signed-in user: flask-login glue, session timestamps, idle and absolute timeouts.

The session (Flask's signed cookie) holds the user id, the login time and the last-seen time.
The principal is rebuilt from the database on every request, so a deactivated account is out
at once and a changed role takes effect on the next request.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlsplit

from flask import current_app, has_request_context, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from data.auth.roles import Forbidden, Principal
from data.auth.users import load_principal
from data.services import Services

# Timeouts of a session; app.server.config["VX_IDLE_TIMEOUT"] / ["VX_ABSOLUTE_TIMEOUT"]
# (a timedelta or seconds) override them per app.
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# The last-seen time is rewritten at most this often: every rewrite is one more Set-Cookie.
TOUCH_EVERY_S = 15.0

# Flask routes outside Dash (the navbar links to the last two).
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
PASSWORD_PATH = "/account/password"
HEALTH_PATH = "/healthz"

# Session keys besides flask-login's own (_user_id, _fresh, _id).
LOGIN_AT = "vx_login_at"
SEEN_AT = "vx_seen_at"
MUST_CHANGE = "vx_must_change"
EPOCH = "vx_epoch"
USER_ID = "_user_id"

login_manager = LoginManager()
# "basic": a session replayed from another address or browser is marked non-fresh, not
# dropped (people move between networks during a shift); the timeouts bound it instead.
login_manager.session_protection = "basic"


class SessionUser(UserMixin):
    """What flask-login holds for one request: the principal rebuilt from the database."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    def get_id(self) -> str:
        """The id flask-login stores in the session."""
        return str(self.principal.user_id)

    @property
    def display_name(self) -> str:
        """The name shown in the navbar."""
        return self.principal.display_name


@login_manager.user_loader
def _load_user(user_id: str) -> SessionUser | None:
    services: Services = current_app.extensions["vx_services"]
    try:
        uid = int(user_id)
    except ValueError:
        return None
    with services.engine.connect() as conn:
        principal = load_principal(conn, uid)
    return SessionUser(principal) if principal else None


def _seconds(name: str, default: dt.timedelta) -> float:
    value = current_app.config.get(name, default)
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def session_expired(now: float) -> bool:
    """Whether the session's idle or absolute time is up (or its timestamps are missing)."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return True
    return (now - seen_at > _seconds("VX_IDLE_TIMEOUT", IDLE_TIMEOUT)
            or now - login_at > _seconds("VX_ABSOLUTE_TIMEOUT", ABSOLUTE_TIMEOUT))


def signed_in_user(now: float) -> tuple[SessionUser | None, bool]:
    """The request's user or None, and whether a session ended just now (timeout, deactivated)."""
    if USER_ID not in session:
        return None, False
    if session_expired(now):
        end_session()
        return None, True
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if not isinstance(user, SessionUser) or user.principal.session_epoch != session.get(EPOCH):
        end_session()  # deactivated, signed out elsewhere, or password changed since
        return None, True
    return user, False


def start_session(principal: Principal, must_change: bool) -> None:
    """A fresh session for `principal` (nothing of the anonymous one survives)."""
    session.clear()
    login_user(SessionUser(principal))
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[MUST_CHANGE] = must_change
    session[EPOCH] = principal.session_epoch


def end_session() -> None:
    """Forget the user and everything else the session held (the CSRF secret included)."""
    logout_user()
    session.clear()


def touch(now: float) -> None:
    """Move the last-seen time forward (at most every TOUCH_EVERY_S seconds)."""
    if now - float(session.get(SEEN_AT, 0.0)) >= TOUCH_EVERY_S:
        session[SEEN_AT] = now


def current_principal() -> Principal:
    """The signed-in user's principal, for every data-layer call that asks for one.

    Raises Forbidden when the request is anonymous; the app turns that into a 403.
    """
    if not has_request_context() or not current_user.is_authenticated:
        raise Forbidden("not signed in")
    return current_user.principal  # type: ignore[no-any-return]


def navbar_identity() -> tuple[str | None, str | None]:
    """(display name, CSRF token) of the signed-in user for the navbar, else (None, None)."""
    if not has_request_context() or USER_ID not in session:
        return None, None
    if not current_user.is_authenticated:
        return None, None
    return current_user.display_name, generate_csrf()


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another site) becomes '/'.

    Control characters and spaces (a CR LF would split the Location header) are refused too.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if not target.isprintable() or any(c.isspace() for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in (LOGIN_PATH, LOGOUT_PATH):
        return "/"
    return target
