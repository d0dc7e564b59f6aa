"""One frozen settings object: config.yaml defaults, environment overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.yaml"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, passed down explicitly."""

    database_url: str
    redis_url: str | None = None
    cache_prefix: str = "vx"
    cache_timeout_s: int = 86400
    version_poll_s: float = 1.0
    refresh_ms: int = 2000
    default_lang: str = "vi"
    etl_chunk_rows: int = 100_000
    etl_nice: int = 10  # CPU priority of loads: dashboards first (0 = as any process)
    reject_lang: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    secret_key: str | None = None
    secure_cookies: bool = False  # served over HTTPS: session cookies get the Secure flag
    proxy_hops: int = 0  # trusted reverse proxies in front (client address, rate limits)
    api_token_ttl_s: int = 8 * 3600  # lifetime of a JSON API bearer token
    # A difference beyond the larger of these is a discrepancy (data.reconciliation).
    reconciliation_pct: float = 2.0
    reconciliation_doses: int = 10
    # Document-signer keys of the COVID certificates: outside the database and the repository
    # (var/ is git-ignored); env VX_CERT_KEY_DIR (data/certificates/keys.py).
    certificate_key_dir: str = str(PROJECT_ROOT / "var" / "certificate-keys")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (tests use it)."""
        return replace(self, **changes)


def _normalise_db_url(url: str) -> str:
    # Operators paste libpq URLs; SQLAlchemy needs the driver named to pick psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///") :]
        if rel and rel != ":memory:":
            return "sqlite:///" + str((PROJECT_ROOT / rel).resolve())
    return url


def _project_path(path: str) -> str:
    # A relative path is the project's, whatever directory the process starts in.
    return str((PROJECT_ROOT / path).resolve())


def load_settings(
    config_path: Path | None = None, env: dict[str, str] | None = None, **overrides: Any
) -> Settings:
    """Read config.yaml, apply environment variables, then explicit overrides."""
    env = dict(os.environ if env is None else env)
    path = Path(env.get("VX_CONFIG") or config_path or DEFAULT_CONFIG)
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cache = raw.get("cache") or {}
    dash_cfg = raw.get("dashboard") or {}
    etl_cfg = raw.get("etl") or {}
    api_cfg = raw.get("api") or {}
    rec_cfg = raw.get("reconciliation") or {}
    cert_cfg = raw.get("certificates") or {}
    values: dict[str, Any] = {
        "database_url": env.get("DATABASE_URL") or raw.get("database_url"),
        "redis_url": env.get("REDIS_URL") or raw.get("redis_url") or None,
        "cache_prefix": cache.get("key_prefix", "vx"),
        "cache_timeout_s": int(cache.get("default_timeout_s", 86400)),
        "version_poll_s": float(cache.get("version_poll_s", 1.0)),
        "refresh_ms": int(env.get("VX_REFRESH_MS") or dash_cfg.get("refresh_ms", 2000)),
        "default_lang": env.get("VX_LANG") or dash_cfg.get("default_lang", "vi"),
        "etl_chunk_rows": int(etl_cfg.get("chunk_rows", 100_000)),
        "etl_nice": int(env.get("VX_ETL_NICE") or etl_cfg.get("nice", 10)),
        "reject_lang": env.get("VX_LANG") or etl_cfg.get("reject_lang", "vi"),
        "timezone": raw.get("timezone", "Asia/Ho_Chi_Minh"),
        "secret_key": env.get("SECRET_KEY"),
        "secure_cookies": env.get("VX_SECURE_COOKIES", str(raw.get("secure_cookies", ""))).lower()
        in ("1", "true", "yes"),
        "proxy_hops": int(env.get("VX_PROXY_HOPS") or raw.get("proxy_hops") or 0),
        "api_token_ttl_s": int(api_cfg.get("token_ttl_s", 8 * 3600)),
        "reconciliation_pct": float(rec_cfg.get("tolerance_pct", 2.0)),
        "reconciliation_doses": int(rec_cfg.get("tolerance_doses", 10)),
        "certificate_key_dir": _project_path(env.get("VX_CERT_KEY_DIR")
                                             or cert_cfg.get("key_dir")
                                             or "var/certificate-keys"),
    }
    values.update(overrides)
    if not values["database_url"]:
        raise ValueError("database_url is not set in config.yaml nor DATABASE_URL")
    values["database_url"] = _normalise_db_url(str(values["database_url"]))
    return Settings(**values)
