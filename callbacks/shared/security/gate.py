"""Request hooks: the sign-in gate, CSRF on state-changing requests, security headers."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import dash
from dash.exceptions import DependencyException
from flask import Flask, Response, current_app, g, jsonify, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from callbacks.shared import ids
from callbacks.shared.portal_paths import PORTAL_PREFIX, PUBLIC_CACHEABLE, VERIFY, is_portal
from callbacks.shared.security.inputs import check_request
from callbacks.shared.security.session import (
    HEALTH_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    MUST_CHANGE,
    PASSWORD_PATH,
    signed_in_user,
    touch,
)
from callbacks.shared.security.views import CSRF_COOKIE
from data.auth.roles import Forbidden

PUBLIC_PATHS = frozenset({LOGIN_PATH, HEALTH_PATH, "/_favicon.ico"})
# Static files: the CSS of the login page and Dash's own JavaScript bundles.
PUBLIC_PREFIXES: tuple[str, ...] = ("/assets/", "/_dash-component-suites/")
# Every Dash JSON endpoint (_dash-layout, _dash-dependencies, _dash-update-component, ...).
API_PREFIX = "/_dash-"
# The JSON API (callbacks.api): bearer tokens instead of the session cookie, so no CSRF (a
# browser never adds the Authorization header by itself); its errors are its own JSON.
JSON_API_PREFIX = "/api/v1/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Callback inputs the live-refresh timer changes by itself: requests driven only by them are
# not user activity, so a dashboard left open still reaches the idle timeout.
BACKGROUND_INPUTS = frozenset({f"{ids.SHELL_REFRESH}.n_intervals", f"{ids.SHELL_VERSION}.data"})
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# The portal's certificate verifier reads a QR code with the camera: this origin may use it
# there, on that page's document only (no other page, no frame of another origin).
CAMERA_PATHS = frozenset({VERIFY, VERIFY + "/"})
CAMERA_POLICY = PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
# The largest request body (Flask's MAX_CONTENT_LENGTH): a Dash callback posts a few KB of
# ids and small stores. A route that takes uploads would raise it for itself alone.
MAX_BODY_BYTES = 1024 * 1024
CALLBACK_PATH = "/_dash-update-component"
# The public portal's callbacks (its own Dash app, callbacks.portal): no session needed.
PORTAL_CALLBACK_PATH = PORTAL_PREFIX + CALLBACK_PATH.lstrip("/")
# server.extensions key: hooks that run after the gate let a signed-in request through.
SIGNED_IN_HOOKS = "vx_signed_in_hooks"


@lru_cache(maxsize=32)
def content_security_policy(script_hashes: tuple[str, ...]) -> str:
    """The CSP of every response: only this origin, plus the hashes of Dash's inline scripts.

    MapLibre (the choropleth map) runs its tiles in a worker made from a blob: URL and draws
    through data:/blob: images; Dash and plotly set inline styles, hence 'unsafe-inline' for
    styles only. No 'unsafe-eval', no other origin.
    """
    directives: dict[str, Sequence[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "child-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def is_json_api(path: str) -> bool:
    """Paths of the JSON API, which checks its own bearer tokens."""
    return path.startswith(JSON_API_PREFIX) or path == JSON_API_PREFIX.rstrip("/")


def is_public(path: str) -> bool:
    """Paths served without a session."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _json(status: int, error: str) -> Response:
    response = jsonify(error=error, login=LOGIN_PATH) if status == 401 else jsonify(error=error)
    response.status_code = status
    return response


def after_sign_in(server: Flask, hook: Callable[[dict[str, Any]], None]) -> None:
    """Run `hook(callback body)` on each signed-in Dash callback request, after the gate.

    A plain before_request hook would run before the gate when registered first, doing work
    for (and parsing the body of) anonymous requests.
    """
    server.extensions.setdefault(SIGNED_IN_HOOKS, []).append(hook)


def callback_body() -> dict[str, Any] | None:
    """The JSON body of a Dash callback request, or None when it is not a JSON object.

    Flask caches it, so Dash's own parse gets the same object. Parsed only after sign-in and
    after the size cap; nesting too deep for the parser is malformed, not a server error.
    """
    try:
        body = request.get_json()
    except (BadRequest, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _too_large() -> bool:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return bool(limit and request.content_length and request.content_length > limit)


def _is_background(body: dict[str, Any] | None) -> bool:
    changed = body.get("changedPropIds") if body else None
    return (isinstance(changed, list) and bool(changed)
            and all(isinstance(c, str) and c in BACKGROUND_INPUTS for c in changed))


def _refuse(path: str, ended: bool) -> ResponseReturnValue:
    """No signed-in user: JSON 401 for the API and other writes, the login page for pages."""
    if path == LOGOUT_PATH:
        return redirect(LOGIN_PATH, code=303)  # nothing to sign out of
    if path.startswith(API_PREFIX) or request.method not in SAFE_METHODS:
        return _json(401, "unauthenticated")
    target = path + (f"?{request.query_string.decode()}" if request.query_string else "")
    query = {"next": target} | ({"reason": "expired"} if ended else {})
    return redirect(f"{LOGIN_PATH}?{urlencode(query)}")


def make_gate(csrf: CSRFProtect) -> Callable[[], ResponseReturnValue | None]:
    """The before_request hook: a signed-in user for everything not public, then CSRF."""

    def gate() -> ResponseReturnValue | None:
        path = request.path
        if _too_large():
            # Told by the header alone, before anything reads the body.
            if is_json_api(path):
                raise RequestEntityTooLarge()  # the API answers in its own error shape
            return _json(413, "request_too_large")
        if is_json_api(path):
            return None
        if is_portal(path):
            return _portal_request(csrf, path)
        if is_public(path):
            if request.method not in SAFE_METHODS:
                csrf.protect()
            return None
        now = time.time()
        user, ended = signed_in_user(now)
        if user is None:
            return _refuse(path, ended)
        g.vx_user = user
        if session.get(MUST_CHANGE) and path not in (PASSWORD_PATH, LOGOUT_PATH):
            if path.startswith(API_PREFIX) or request.method not in SAFE_METHODS:
                return _json(403, "password_change_required")
            return redirect(f"{PASSWORD_PATH}?{urlencode({'next': path})}")
        body = None
        if path == CALLBACK_PATH and request.method == "POST":
            body = callback_body()
            if body is None:
                return _json(400, "malformed_request")
        if not _is_background(body):
            touch(now)
        if request.method not in SAFE_METHODS:
            csrf.protect()
        if body is not None:
            refused = _malformed_callback(body)
            if refused is not None:
                return refused
            for hook in current_app.extensions.get(SIGNED_IN_HOOKS, ()):
                hook(body)
        return None

    return gate


def _portal_request(csrf: CSRFProtect, path: str) -> ResponseReturnValue | None:
    """The public portal: anyone, but its callbacks carry the CSRF token of the page they
    came from and are checked for shape like a signed-in user's."""
    if request.method in SAFE_METHODS:
        return None
    csrf.protect()
    if path != PORTAL_CALLBACK_PATH:
        return None
    body = callback_body()
    if body is None:
        return _json(400, "malformed_request")
    return _malformed_callback(body)


def _malformed_callback(body: dict[str, Any]) -> ResponseReturnValue | None:
    """400 with field, code and message for a callback request out of shape; else None."""
    problem = check_request(body)
    if problem is None:
        return None
    response = jsonify(error="malformed", field=problem.field, code=problem.code,
                       message=problem.message)
    response.status_code = 400
    return response


def make_headers(
    app: dash.Dash, portal: dash.Dash | None = None
) -> Callable[[Response], Response]:
    """The after_request hook: security headers on every response, the CSRF cookie on pages
    (the signed-in user's, and the portal's for anyone)."""

    def headers(response: Response) -> Response:
        h = response.headers
        # Hashed per response: Dash adds the inline script of its page router on the first
        # request, after this hook was registered. Each app's page gets its own app's hashes.
        served = portal if portal is not None and is_portal(request.path) else app
        # Only a page runs scripts: other answers (callbacks' JSON, files) get the same policy
        # without hashes, built once, instead of hashing Dash's inline scripts at every call.
        page = response.mimetype == "text/html"
        h["Content-Security-Policy"] = content_security_policy(
            tuple(served.csp_hashes()) if page else ())
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Permissions-Policy"] = (CAMERA_POLICY if request.path in CAMERA_PATHS
                                   else PERMISSIONS_POLICY)
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            h["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith(PUBLIC_PREFIXES) and not _shared_cacheable(response):
            h["Cache-Control"] = "no-store"  # figures and forms never sit in a shared cache
        if ((g.get("vx_user") is not None or is_portal(request.path)) and request.method == "GET"
                and response.status_code == 200 and response.mimetype == "text/html"):
            # dash-renderer sends this cookie back as the X-CSRFToken header of every callback.
            response.set_cookie(
                CSRF_COOKIE, generate_csrf(), path="/", httponly=False, samesite="Strict",
                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure,
            )
        return response

    return headers


def _shared_cacheable(response: Response) -> bool:
    """The public figures' own successful reads (PUBLIC_CACHEABLE): the same for everyone and
    personal to no one, so the route's Cache-Control (public, short max-age, ETag of the data
    version) stands. Their errors, and every other path, stay no-store."""
    return (request.path in PUBLIC_CACHEABLE and request.method in ("GET", "HEAD")
            and response.status_code in (200, 304) and "public" in response.cache_control)


def forbidden(_error: Forbidden) -> ResponseReturnValue:
    """A read or write outside the principal's role or scope: 403, and no data."""
    return _json(403, "forbidden")


def unknown_bundle(error: DependencyException) -> ResponseReturnValue:
    """A path under /_dash-component-suites/ that no package registered: 404, not Dash's 500."""
    if request.path.startswith("/_dash-component-suites/"):
        return Response("not found", status=404, mimetype="text/plain")
    raise error  # anything else Dash refuses stays a server error


def register(app: dash.Dash, csrf: CSRFProtect, portal: dash.Dash | None = None) -> None:
    """Attach the gate, the headers and the error handlers to the app's server."""
    server: Flask = app.server
    server.before_request(make_gate(csrf))
    server.after_request(make_headers(app, portal))
    server.register_error_handler(Forbidden, forbidden)
    server.register_error_handler(DependencyException, unknown_bundle)
