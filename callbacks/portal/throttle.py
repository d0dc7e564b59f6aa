"""Rate limits of the portal's look-ups, per client address.

Dash sends every callback to one endpoint, so a route decorator cannot tell a certificate
look-up from a language switch: the look-up counts itself here, in the app's flask-limiter
storage (Redis when configured, shared by the workers). The address is request.remote_addr,
which ProxyFix has already set from X-Forwarded-For when the app sits behind trusted proxies
(settings.proxy_hops), so a client cannot pick its own address.
"""

from __future__ import annotations

import logging

from flask import current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from callbacks.shared.security import LIMITER

log = logging.getLogger(__name__)
# server.extensions key of the in-memory counts used while the shared storage is unreachable.
FALLBACK = "vx_portal_limits_fallback"


def allow(scope: str, config_key: str, default: str) -> bool:
    """Count one attempt of `scope` from this client; False once over the limit (the limit is
    app.server.config[config_key], else `default`, e.g. "10 per minute")."""
    item: RateLimitItem = parse(str(current_app.config.get(config_key, default)))
    limiter = current_app.extensions[LIMITER]
    # The limiter's own prefix keeps apps that share one Redis (workers of another
    # deployment, parallel tests) from counting each other's clients.
    prefix = getattr(limiter, "_key_prefix", "") or "vx"
    keys = (prefix, scope, request.remote_addr or "unknown")
    try:
        return bool(limiter.limiter.hit(item, *keys))
    except Exception:  # noqa: BLE001 - any storage error: count in memory, never lock out all
        log.warning("rate-limit storage unreachable; counting %s in memory", scope)
        fallback = current_app.extensions.setdefault(
            FALLBACK, MovingWindowRateLimiter(MemoryStorage()))
        return bool(fallback.hit(item, *keys))
