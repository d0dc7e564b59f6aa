"""Rate limits of the portal's forms, inside their callbacks.

Every Dash callback shares one endpoint (/portal/_dash-update-component), so a route
decorator cannot tell the registration from the language switch: the callbacks count their
own hits on the app's limiter (flask-limiter's storage: Redis when configured, shared by the
workers), keyed by the client's address and, for a registration, by the identity number too.
"""

from __future__ import annotations

import hashlib
import logging

from flask import current_app, has_request_context, request
from limits import parse

from callbacks.shared.security import LIMITER

log = logging.getLogger(__name__)

# Per address: a family or an office shares one; an organisation's lists are few.
REGISTER_PER_ADDRESS = "30/hour"
REGISTER_PER_IDENTITY = "5/hour"
LOOKUP_PER_ADDRESS = "30/hour"
UPLOAD_PER_ADDRESS = "5/hour"
FACILITY_PER_ADDRESS = "10/hour"


def client_address() -> str:
    """The caller's address (ProxyFix has read X-Forwarded-For when behind proxies)."""
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def hashed(value: str) -> str:
    """An identity number as a key (the limiter's storage keeps no personal data)."""
    return hashlib.sha256(value.strip().upper().encode()).hexdigest()[:32]


def allow(scope: str, key: str, rate: str) -> bool:
    """Count one hit of `scope` for `key`; False once `rate` is exceeded."""
    limiter = current_app.extensions.get(LIMITER) if has_request_context() else None
    if limiter is None:
        return True
    prefix = getattr(limiter, "_key_prefix", "")
    try:
        return bool(limiter.limiter.hit(parse(rate), prefix, "portal", scope, key))
    except Exception:  # noqa: BLE001 - as the limiter's swallow_errors: an outage of its
        # storage must not close the portal; the forms' own checks still hold.
        log.exception("rate limit storage failed")
        return True
