"""The AEFI pages' rendering: case lists and details, the investigation and classification
forms, and the texts of statuses, seriousness and outcomes in the UI language (the actions
and callbacks are in callbacks.ops.aefi)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.ops.observation import SERIOUSNESS_KEYS
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from data.auth.roles import OPERATIONS_ROLES, Principal
from data.catalog import OUTCOMES, SERIOUSNESS
from data.ops.commands import aefi_case
from data.ops.queries.aefi_cases import CaseDetail, CaseRow, case_list
from data.ops.rules import aefi_terms, causality
from data.services import Services

STATUSES = ("REPORTED", "INVESTIGATED", "CLASSIFIED")
ALL = "ALL"
STATUS_KEYS = {"ALL": N_("ops.aefi.status.ALL"), "REPORTED": N_("ops.aefi.status.REPORTED"),
               "INVESTIGATED": N_("ops.aefi.status.INVESTIGATED"),
               "CLASSIFIED": N_("ops.aefi.status.CLASSIFIED")}
CHANNEL_KEYS = {"PORTAL": N_("ops.aefi.channel.PORTAL"), "APP": N_("ops.aefi.channel.APP")}


def _local(at: dt.datetime | None, tz: str) -> dt.datetime | None:
    if at is None:
        return None
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC
    return aware.astimezone(ZoneInfo(tz))


def fmt_moment(at: dt.datetime | None, lang: str, tz: str) -> str:
    """A moment on the local clock: its date as the UI writes dates, then hh:mm."""
    local = _local(at, tz)
    return "—" if local is None else f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def status_text(status: str, lang: str) -> str:
    """A case status in words."""
    return t(STATUS_KEYS[status], lang) if status in STATUS_KEYS else status


def seriousness_text(codes: str | None, lang: str) -> str:
    """The ';'-separated seriousness criteria in words."""
    words = [t(SERIOUSNESS_KEYS[c], lang) if c in SERIOUSNESS_KEYS else c
             for c in (codes or "").split(";") if c]
    return ", ".join(words) or "—"


def outcome_text(outcome: str | None, lang: str) -> str:
    """An outcome in words."""
    key = CODE_KEYS["outcome"].get(outcome or "")
    return t(key, lang) if key else (outcome or "—")


def choices(lang: str | None) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(status filter, symptom terms, seriousness criteria, outcomes) options in `lang`."""
    lang = norm_lang(lang)
    return ([{"label": status_text(s, lang), "value": s} for s in (*STATUSES, ALL)],
            [{"label": aefi_terms.label(c, lang), "value": c} for c in aefi_terms.CODES],
            [{"label": t(SERIOUSNESS_KEYS[s], lang), "value": s} for s in SERIOUSNESS],
            [{"label": outcome_text(o, lang), "value": o} for o in OUTCOMES])


# -- the list ----------------------------------------------------------------------------

def case_option(c: CaseRow, lang: str, tz: str) -> dict[str, Any]:
    """One radio of the list: status, onset, the dose's vaccine and lot; then the facility,
    the seriousness and the report's id."""
    label = html.Span(
        [html.Span([html.B(status_text(c.status, lang),
                           className=f"ops-aefi-status ops-aefi-{c.status.lower()}"),
                    *self_badge(c.self_reported, lang),
                    html.Span(f"{fmt_moment(c.onset_at, lang, tz)} · {c.vaccine_code or '?'} · "
                              f"{c.lot_number or '?'}", className="ops-queue-name")]),
         html.Span(" · ".join([c.facility_code, seriousness_text(c.seriousness, lang),
                               c.report_id]), className="ops-aefi-id")],
        className="ops-aefi-label")
    return {"label": label, "value": c.report_id}


def self_badge(self_reported: bool, lang: str) -> list[Component]:
    """The "self-reported" badge of a citizen's own report (data.citizen.self_report)."""
    if not self_reported:
        return []
    return [html.B(t("ops.aefi.self_reported", lang), className="ops-aefi-self")]


def self_report_text(own: dict, lang: str) -> str:
    """How a self-report came: its channel, and whether the person went to hospital."""
    channel = t(CHANNEL_KEYS.get(own["channel"], "ops.aefi.channel.PORTAL"), lang)
    text = t("ops.aefi.d.self_report", lang, channel=channel)
    return text + (" · " + t("ops.aefi.d.hospitalised", lang) if own["hospitalised"] else "")


def list_view(services: Services, principal: Principal, lang: str | None, status: object
              ) -> tuple[list[dict[str, Any]], str]:
    """(options, the line above the list) of the cases in the principal's area."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], t("ops.denied", lang)
    wanted = status if status in STATUSES else None
    cases = case_list(services.engine, principal, wanted)
    if not cases:
        return [], t("ops.aefi.empty", lang)
    tz = services.settings.timezone
    return [case_option(c, lang, tz) for c in cases], t("ops.aefi.count",
                                                        lang, n=fmt_int(len(cases), lang))


# -- one case ----------------------------------------------------------------------------

def _fact(key: str, value: Component | str, lang: str) -> list[Component]:
    return [html.Dt(t(key, lang)), html.Dd(value)]


def _facts(pairs: Iterable[tuple[str, Component | str]], lang: str) -> html.Dl:
    return html.Dl([part for k, v in pairs for part in _fact(k, v, lang)],
                   className="ops-aefi-facts")


def _signed(who: str, at: dt.datetime | None, lang: str, tz: str) -> html.P:
    return html.P(t("ops.aefi.d.signed", lang, who=who, at=fmt_moment(at, lang, tz)),
                  className="ops-aefi-signed")


def lot_href(vaccine_code: str, lot_number: str) -> str:
    """The trace page of a lot (pages.ops.lot)."""
    return "/ops/lot?" + urlencode({"vaccine": vaccine_code, "lot": lot_number})


def _lot_link(r: CaseRow, lang: str) -> Component | str:
    # The investigator follows the dose's lot to its stores, sessions and other cases.
    if not (r.lot_number and r.vaccine_code):
        return r.lot_number or "—"
    return html.Span([r.lot_number, " · ", dcc.Link(
        t("ops.aefi.d.trace", lang), href=lot_href(r.vaccine_code, r.lot_number),
        id=ids.OPS_AEFI_LOT_LINK, className="ops-aefi-trace")])


def detail_view(d: CaseDetail, lang: str, tz: str) -> list[Component]:
    """The case: its report and dose, then each step signed (or not yet)."""
    r = d.row
    reporter: Component | str = t("ops.aefi.d.no_reporter", lang)
    if d.self_report is not None:
        reporter = self_report_text(d.self_report, lang)
    elif d.reporter is not None:
        who = [d.reporter["reporter_name"], d.reporter["reporter_title"],
               d.reporter["reporter_phone"]]
        reporter = " · ".join(w for w in who if w) + " " + t(
            "ops.aefi.d.entered_by", lang, who=d.reporter["entered_by_name"])
    out: list[Component] = [
        html.H2([t("ops.aefi.d.case", lang, report=r.report_id), " ",
                 html.Span(status_text(r.status, lang),
                           className=f"ops-aefi-status ops-aefi-{r.status.lower()}"),
                 *self_badge(r.self_reported, lang)]),
        _facts([(N_("ops.aefi.d.dose"), f"{r.record_id} · {r.vaccine_code or '?'}"),
                (N_("ops.aefi.d.lot"), _lot_link(r, lang)),
                (N_("ops.aefi.d.given"), fmt_moment(d.administered_at, lang, tz)),
                (N_("ops.aefi.d.facility"), r.facility_code),
                (N_("ops.aefi.d.onset"), fmt_moment(r.onset_at, lang, tz)),
                (N_("ops.aefi.d.reported"), fmt_moment(r.reported_at, lang, tz)),
                (N_("ops.aefi.d.symptoms"), aefi_terms.in_language(d.symptoms, lang) or "—"),
                (N_("ops.aefi.d.seriousness"), seriousness_text(r.seriousness, lang)),
                (N_("ops.aefi.d.outcome"), outcome_text(r.outcome, lang)),
                (N_("ops.aefi.d.reporter"), reporter)], lang)]
    inv = d.investigation
    step: list[Component] = [html.H3(t("ops.aefi.d.investigation", lang))]
    if inv is None:
        step.append(html.P(t("ops.aefi.d.not_yet", lang), className="panel-hint"))
    else:
        day = fmt_date(inv["investigated_on"], lang)
        step += [_facts([(N_("ops.aefi.d.investigated_on"), day),
                         (N_("ops.aefi.d.findings"), inv["findings"] or "—")], lang),
                 _signed(inv["investigated_by_name"], inv["investigation_signed_at"], lang, tz)]
    council = d.council
    step.append(html.H3(t("ops.aefi.d.council", lang)))
    if council is None:
        step.append(html.P(t("ops.aefi.d.not_yet", lang), className="panel-hint"))
    else:
        code = council["causality"]
        step += [_facts([(N_("ops.aefi.d.causality"), causality.label(code, lang)
                          if code in causality.BY_CODE else code),
                         (N_("ops.aefi.d.decided_on"),
                          fmt_date(council["council_decided_on"], lang)),
                         (N_("ops.aefi.d.note"), council["council_note"] or "—")], lang),
                 _signed(council["classified_by_name"], council["classification_signed_at"],
                         lang, tz)]
    return [*out, html.Div(step, className="ops-aefi-steps")]


def _field(field_id: str, key: str, widget: Component, lang: str, width: str = "") -> html.Div:
    return html.Div([html.Label(t(key, lang), htmlFor=field_id, className="form-label"), widget,
                     html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                            **{"aria-live": "assertive"})],
                    className=f"form-field {width}".strip())


def _day_input(field_id: str) -> dcc.Input:
    # Plain text, as the sessions page's days: a native date input steps through its parts.
    return dcc.Input(id=field_id, type="text", inputMode="numeric", placeholder="dd/mm/yyyy",
                     maxLength=10, autoComplete="off", n_submit=0, className="form-input")


def _submit(button_id: str, key: str, lang: str) -> list[Component]:
    return [html.Button(t(key, lang), id=button_id, n_clicks=0, type="button",
                        className="form-button form-button-primary"),
            html.P(id=ids.field_error(button_id), className="form-error", role="alert",
                   **{"aria-live": "assertive"})]


def investigation_form(lang: str, today: dt.date) -> html.Fieldset:
    """The district officer's investigation form: the date (today by default), findings."""
    day = _day_input(ids.OPS_AEFI_INV_DATE)
    day.value = f"{today:%d/%m/%Y}"
    return html.Fieldset([
        html.Legend(t("ops.aefi.inv.title", lang)),
        _field(ids.OPS_AEFI_INV_DATE, N_("ops.aefi.inv.date"), day, lang, "ops-field-day"),
        _field(ids.OPS_AEFI_INV_FINDINGS, N_("ops.aefi.inv.findings"), dcc.Textarea(
            id=ids.OPS_AEFI_INV_FINDINGS, value="", maxLength=aefi_case.MAX_TEXT, rows=4,
            className="form-input ops-aefi-text"), lang),
        *_submit(ids.OPS_AEFI_INV_SUBMIT, N_("ops.aefi.inv.submit"), lang)],
        className="ops-aefi-form")


def classification_form(lang: str, today: dt.date) -> html.Fieldset:
    """The provincial council's form: the WHO causality category, the decision date, a note."""
    day = _day_input(ids.OPS_AEFI_CLS_DATE)
    day.value = f"{today:%d/%m/%Y}"
    return html.Fieldset([
        html.Legend(t("ops.aefi.cls.title", lang)),
        _field(ids.OPS_AEFI_CLS_CAUSALITY, N_("ops.aefi.cls.causality"), dcc.RadioItems(
            id=ids.OPS_AEFI_CLS_CAUSALITY, value=None, className="form-radios ops-aefi-causality",
            labelClassName="form-radio",
            options=[{"label": causality.label(c, lang), "value": c}
                     for c in causality.CODES]), lang),
        _field(ids.OPS_AEFI_CLS_DATE, N_("ops.aefi.cls.date"), day, lang, "ops-field-day"),
        _field(ids.OPS_AEFI_CLS_NOTE, N_("ops.aefi.cls.note"), dcc.Textarea(
            id=ids.OPS_AEFI_CLS_NOTE, value="", maxLength=aefi_case.MAX_TEXT, rows=3,
            className="form-input ops-aefi-text"), lang),
        *_submit(ids.OPS_AEFI_CLS_SUBMIT, N_("ops.aefi.cls.submit"), lang)],
        className="ops-aefi-form")

