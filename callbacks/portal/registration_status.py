"""The registration look-up's callback: code or identity number plus birth date -> its state
(data.portal.registration_status). A wrong pair reads exactly as no registration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Input, Output, State, html, no_update
from dash.development.base_component import Component

from callbacks.portal import limits
from callbacks.portal.register import iso_date, text
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from data.clock import local_today
from data.portal.registration_status import INVITED, VACCINATED, WAITING, look_up
from data.services import Services

# Message ids of the states (named here so the catalog check sees them used).
STATE_KEYS = {WAITING: N_("portal.regst.state.WAITING"), INVITED: N_("portal.regst.state.INVITED"),
              VACCINATED: N_("portal.regst.state.VACCINATED")}


def _birth(value: Any) -> dt.date | None:
    typed = iso_date(value)
    try:
        return dt.date.fromisoformat(typed) if typed else None
    except ValueError:
        return None


def answer(services: Services, lang: str, key: Any, birth: Any) -> Component:
    """The state in words, or the one "not found" sentence."""
    if not limits.allow("lookup-address", limits.client_address(), limits.LOOKUP_PER_ADDRESS):
        return html.P(t("portal.too_many", lang), className="preg-state-none")
    found = look_up(services.engine, text(key), _birth(birth),
                    local_today(services), services.settings.timezone)
    if found is None:
        return html.P(t("portal.regst.not_found", lang), className="preg-state-none")
    parts: list[Component] = [html.H2(t(STATE_KEYS[found.state], lang),
                                      className=f"preg-state-{found.state.lower()}")]
    if found.doses:
        parts.append(html.P(t("portal.regst.doses", lang, count=found.doses,
                              date=fmt_date(found.last_dose, lang))))
    if found.state == INVITED and found.invitation:
        inv = found.invitation
        # The address in brackets only when the facility has one on file.
        place = f"{inv.facility_name} ({inv.address})" if inv.address else inv.facility_name
        parts.append(html.P(t("portal.regst.invited", lang, place=place,
                              day=fmt_date(inv.day, lang),
                              start=inv.starts_at.strftime("%H:%M"),
                              end=inv.ends_at.strftime("%H:%M"))))
    elif found.state != VACCINATED:
        parts.append(html.P(t("portal.regst.waiting", lang)))
    return html.Div(parts)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the look-up's callback to the portal app."""

    @app.callback(Output(pid.REGST_RESULT, "children"),
                  Input(pid.REGST_SUBMIT, "n_clicks"), Input(pid.REGST_BIRTH_DATE, "n_submit"),
                  State(pid.REGST_KEY, "value"), State(pid.REGST_BIRTH_DATE, "value"),
                  State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _look_up(clicks: Any, entered: Any, key: Any, birth: Any, lang: Any) -> Any:
        if not clicks and not entered:
            return no_update
        return answer(services, norm_lang(lang if isinstance(lang, str) else None), key, birth)
