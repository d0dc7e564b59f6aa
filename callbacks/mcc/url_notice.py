"""The notice of a shared link's filter values the page could not use (issue 10, defect 8).

`?as_of=0001-01-05` once crashed the page; since urlstate drops such values the page shows the
latest data instead, and this notice says so, quoting the value, rather than leaving the
reader to wonder why the link shows something else.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash.development.base_component import Component

from callbacks.mcc import mcc_common
from callbacks.shared import ids
from callbacks.shared.i18n import N_, t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import SHOWN_CHARS, URL_KEYS, ignored
from data import catalog
from data.services import Services

# (key, why) -> message id; every message takes the value as typed.
MESSAGES: dict[tuple[str, str], str] = {
    ("as_of", "range"): N_("url.ignored.as_of.range"),
    ("as_of", "bad"): N_("url.ignored.as_of.bad"),
    ("from", "range"): N_("url.ignored.from.range"),
    ("from", "bad"): N_("url.ignored.from.bad"),
    ("vaccine", "bad"): N_("url.ignored.vaccine"),
    ("vaccine", "unknown"): N_("url.ignored.vaccine"),
    ("province", "bad"): N_("url.ignored.province"),
    ("province", "unknown"): N_("url.ignored.province"),
}


def _values(stored: Any) -> dict[str, str]:
    """The store's {key: value} as the page wrote it; anything else (a forged store): {}."""
    if not isinstance(stored, dict):
        return {}
    return {k: v[:SHOWN_CHARS] for k, v in stored.items()
            if k in URL_KEYS and isinstance(v, str) and v}


def notices(stored: Any, lang: str, provinces: set[str]) -> list[Component] | None:
    """One notice per filter value of the URL the page ignored (None when there is none)."""
    vaccines = {v.code for v in catalog.VACCINES}
    found = ignored(_values(stored), vaccines, provinces)
    return [mcc_common.notice(t(MESSAGES[(key, why)], lang, value=value), "link")
            for key, why, value in found] or None


def register(app: dash.Dash, services: Services) -> None:
    """Attach the URL notice of every page that carries one to `app`."""

    def _notice(stored: Any, lang: str | None) -> list[Component] | None:
        current_principal()
        return notices(stored, mcc_common.lang_of(services, lang),
                       set(mcc_common.province_names(services)))

    for page in ids.URL_PAGES:
        app.callback(Output(ids.url_notice(page), "children"),
                     Input(ids.url_asked(page), "data"), Input(ids.SHELL_LANG, "data"))(_notice)
