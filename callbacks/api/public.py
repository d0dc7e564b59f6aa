"""The public figures as data: JSON and CSV, no token, cacheable.

Both are built from data.portal.figures (the command center's reads, small cells suppressed)
and carry an ETag of the data version and day, so a reverse proxy or a browser revalidates in
a 304 and a load shows within max-age (the spec's "refreshed live", short).
"""

from __future__ import annotations

import datetime as dt
import json

from flask import Response, current_app, request

from callbacks.api.schemas_public import PublicQuery
from callbacks.shared.i18n import norm_lang
from callbacks.shared.public_figures import figures_csv, licence_line
from data.clock import local_today
from data.portal import figures
from data.services import Services

MAX_AGE_S = 30  # short: the figures move with every load


def _services() -> Services:
    return current_app.extensions["vx_services"]  # type: ignore[no-any-return]


def _cacheable(response: Response, tag: str) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_S
    response.set_etag(tag)
    return response.make_conditional(request)


def _json_body(svc: Services, day: dt.date, version: int) -> bytes:
    """The JSON text, encoded once per data version and day in each worker (the figures are
    the same for everyone: encoding them per request would be most of a request's cost)."""

    def build() -> bytes:
        body = dict(figures.public_figures(svc, day))
        body |= {"version": version,
                 "licence": {"vi": licence_line("vi"), "en": licence_line("en")}}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    return svc.cache.memo("api.public_figures_json", {"today": day.isoformat()}, build)


def figures_json() -> Response:
    """Every public figure, with the licence in both languages."""
    svc = _services()
    day = local_today(svc)
    version = figures.version(svc)
    response = Response(_json_body(svc, day, version), mimetype="application/json")
    return _cacheable(response, f"figures-{version}-{day.isoformat()}")


def figures_file(query: PublicQuery) -> Response:
    """The same figures as CSV (UTF-8 with BOM, so a spreadsheet shows Vietnamese), licence
    on the first line."""
    svc = _services()
    lang = norm_lang(query.lang or svc.settings.default_lang)
    day = local_today(svc)
    version = figures.version(svc)
    text = figures_csv(figures.public_figures(svc, day), lang)
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="covid19-vaccination-figures-{lang}.csv"')
    return _cacheable(response, f"figures-csv-{version}-{day.isoformat()}-{lang}")
