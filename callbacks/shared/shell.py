"""Shell glue: the live-refresh timer drives the data-version store; the language store."""

from __future__ import annotations

import re
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx

from callbacks.shared import ids
from callbacks.shared.i18n import norm_lang, t
from callbacks.shared.security.gate import after_sign_in
from data.clock import local_today
from data.services import Services

# A data version is a bigint; anything longer than this is not one (and int() of thousands
# of digits is refused by Python, or slow).
MAX_VERSION_DIGITS = 18
_VERSION = re.compile(rf"[0-9]{{1,{MAX_VERSION_DIGITS}}}")


def stamp_version(stamp: Any) -> int | None:
    """The data version of a 'version@local-date' stamp (None if it is not one).

    ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
    """
    if not isinstance(stamp, str):
        return None
    head = stamp[:MAX_VERSION_DIGITS + 1].split("@", 1)[0]
    return int(head) if _VERSION.fullmatch(head) else None


def client_version(body: Any) -> int | None:
    """The data version a Dash callback request carries in the shell's version store."""
    if not isinstance(body, dict):
        return None
    for item in [*(body.get("inputs") or []), *(body.get("state") or [])]:
        if isinstance(item, dict) and item.get("id") == ids.SHELL_VERSION:
            return stamp_version(item.get("value"))
    return None


def poll_version(services: Services, current: str | None) -> str | Any:
    """'version@local-date' if it moved since `current`, else no_update (pages stay put).

    The local date is part of the stamp so that 'doses today' rolls over at midnight even
    when no file arrives.
    """
    seen = stamp_version(current)
    if seen is not None:
        services.cache.at_least(seen)  # never announce an older version than the page has
    stamp = f"{services.cache.version()}@{local_today(services).isoformat()}"
    return dash.no_update if stamp == current else stamp


def sync_lang(
    trigger: str | None, switch: str | None, stored: str | None, default: str
) -> tuple[Any, Any]:
    """Keep the VI/EN switch and the persisted language store in step: (store, switch)."""
    if trigger == ids.SHELL_LANG_SWITCH and switch:
        return (dash.no_update if switch == stored else norm_lang(switch)), dash.no_update
    lang = norm_lang(stored or default)
    return (dash.no_update if lang == stored else lang), (
        dash.no_update if lang == switch else lang
    )


def translate(lang: str | None, label_ids: list[dict[str, str]]) -> list[str]:
    """Text of every static label on screen, in `lang`."""
    return [t(i["key"], lang) for i in label_ids]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the shell callbacks to `app`."""

    def _no_older_data(body: dict[str, Any]) -> None:
        # Each worker re-reads the data version at most once a second. A page told of a new
        # version by one worker must not get the previous version's figures from another:
        # they would stay on screen until the next load. Signed-in requests only (the gate
        # calls this after its checks).
        seen = client_version(body)
        if seen is not None:
            services.cache.at_least(seen)

    after_sign_in(app.server, _no_older_data)

    @app.callback(
        Output(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_REFRESH, "n_intervals"),
        State(ids.SHELL_VERSION, "data"),
    )
    def _poll(_n: int | None, current: str | None) -> str | Any:
        return poll_version(services, current)

    @app.callback(
        Output(ids.SHELL_LANG, "data"),
        Output(ids.SHELL_LANG_SWITCH, "value"),
        Input(ids.SHELL_LANG_SWITCH, "value"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _lang(switch: str | None, stored: str | None) -> tuple[Any, Any]:
        return sync_lang(ctx.triggered_id, switch, stored, services.settings.default_lang)

    @app.callback(
        Output({"type": ids.I18N, "key": ALL, "at": ALL}, "children"),
        Input(ids.SHELL_LANG, "data"),
        State({"type": ids.I18N, "key": ALL, "at": ALL}, "id"),
    )
    def _translate(lang: str | None, label_ids: list[dict[str, str]]) -> list[str]:
        return translate(lang, label_ids)
