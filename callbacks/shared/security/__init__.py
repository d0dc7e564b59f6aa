"""Sign-in, sessions, CSRF, rate limits and security headers: the web half of accounts.

Every page and every Dash callback needs a signed-in user; who may see what is decided in
the data layer (data.auth), which callbacks reach through `current_principal()`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from functools import lru_cache

import dash
from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from callbacks.shared.security import gate, views
from callbacks.shared.security.session import (
    ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT,
    SessionUser,
    current_principal,
    login_manager,
    navbar_identity,
)
from data.services import Services
from data.settings import Settings

__all__ = [
    "ABSOLUTE_TIMEOUT", "IDLE_TIMEOUT", "LIMITER", "SessionUser", "configure_server",
    "current_principal", "init_app", "navbar_identity",
]

log = logging.getLogger(__name__)
csrf = CSRFProtect()
# server.extensions key of the app's rate limiter (the JSON API's sign-in uses it too).
LIMITER = "vx_limiter"


@lru_cache(maxsize=1)
def _process_secret() -> str:
    """A random secret for this process only (sessions end when it stops)."""
    log.warning(
        "SECRET_KEY is not set: using a random key for this process. Sessions end when it "
        "restarts and do not carry across several workers; set SECRET_KEY in production."
    )
    return secrets.token_hex(32)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def configure_server(server: Flask, settings: Settings) -> None:
    """Secret key, cookie and CSRF settings of a new Flask server (before anything binds)."""
    server.config["SECRET_KEY"] = settings.secret_key or _process_secret()
    secure, proxies = settings.secure_cookies, settings.proxy_hops
    server.config.update(
        SESSION_COOKIE_NAME="vx_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PREFERRED_URL_SCHEME="https" if secure else "http",
        # Dash callbacks are checked by the gate (after the sign-in check), not on their own.
        WTF_CSRF_CHECK_DEFAULT=False,
        # The token lives as long as the session, which the idle and absolute timeouts bound;
        # a dashboard left open past an hour must keep working.
        WTF_CSRF_TIME_LIMIT=None,
        VX_IDLE_TIMEOUT=IDLE_TIMEOUT,
        VX_ABSOLUTE_TIMEOUT=ABSOLUTE_TIMEOUT,
        VX_LOGIN_RATE_LIMIT=views.LOGIN_RATE_LIMIT,
        MAX_CONTENT_LENGTH=gate.MAX_BODY_BYTES,
    )
    server.session_interface = _SessionInterface()
    if proxies:
        # Behind N trusted reverse proxies: the client address (rate limits, audit) and the
        # scheme (Secure cookies) come from their X-Forwarded-* headers.
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _limiter(settings: Settings, server: Flask) -> Limiter:
    # One limiter per app: Flask-Limiter keeps its storage on the instance. Workers of one
    # deployment share SECRET_KEY, hence the prefix; apps without one (tests) never collide.
    tag = (hashlib.sha256(settings.secret_key.encode()).hexdigest()[:12]
           if settings.secret_key else uuid.uuid4().hex[:12])
    limiter = Limiter(
        get_remote_address,
        storage_uri=settings.redis_url or "memory://",
        key_prefix=f"{settings.cache_prefix}:limits:{tag}",
        # A Redis outage must not lock everybody out: count in memory meanwhile (the data
        # layer's account lock-out still holds).
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        # A fixed window lets twice the limit through around its boundary (19 sign-in tries
        # in 2.8 s were seen); the moving window counts the last minute at every request.
        strategy="moving-window",
    )
    limiter.init_app(server)
    return limiter


def init_app(app: dash.Dash, services: Services, portal: dash.Dash | None = None) -> None:
    """Bind sign-in, CSRF, the rate limiter, the account pages and the hooks to `app` (and
    the headers to the public `portal` app on the same server)."""
    server: Flask = app.server
    login_manager.init_app(server)
    csrf.init_app(server)
    limiter = _limiter(services.settings, server)
    server.extensions[LIMITER] = limiter
    server.register_blueprint(views.build_blueprint(limiter))
    server.register_error_handler(RateLimitExceeded, views.too_many_attempts)
    server.register_error_handler(CSRFError, views.csrf_refused)
    gate.register(app, csrf, portal)
