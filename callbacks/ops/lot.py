"""A lot's trace: the vaccine and lot typed (or brought by the AEFI case's link) -> the lot's
warehouses, transfers (in transit shown), sessions, doses by facility and AEFI cases, each a
table an investigator reads in order, with what lies outside the reader's scope counted.

The read is data.ops.queries.lot_trace with the signed-in principal: scope is decided there.
No name, ID number or phone reaches this page: cases are shown by id, onset, seriousness
and classification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from callbacks.ops.aefi_view import fmt_moment, seriousness_text, status_text
from callbacks.shared import ids
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth.roles import Forbidden, Principal
from data.ops.queries.lot_trace import LotTrace, clean_key, lot_trace
from data.ops.rules import causality
from data.services import Services

KEY_BAD = N_("ops.lot.key_bad")
TRANSIT_KEYS = {"IN_TRANSIT": N_("ops.lot.transit.IN_TRANSIT"),
                "RECEIVED": N_("ops.lot.transit.RECEIVED")}
SESSION_KEYS = {"OPEN": N_("ops.sessions.status.OPEN"),
                "CLOSED": N_("ops.sessions.status.CLOSED")}
WAREHOUSE_COLS = (N_("ops.lot.col.warehouse"), N_("ops.lot.col.level"),
                  N_("ops.lot.col.first"), N_("ops.lot.col.received"), N_("ops.lot.col.sent"),
                  N_("ops.lot.col.issued"), N_("ops.lot.col.written_off"),
                  N_("ops.lot.col.on_hand"), N_("ops.lot.col.in_transit"))
TRANSFER_COLS = (N_("ops.lot.col.from"), N_("ops.lot.col.to"), N_("ops.lot.col.sent_at"),
                 N_("ops.lot.col.sent_doses"), N_("ops.lot.col.status"),
                 N_("ops.lot.col.received_at"), N_("ops.lot.col.received_doses"),
                 N_("ops.lot.col.discrepancy"))
SESSION_COLS = (N_("ops.lot.col.session"), N_("ops.lot.col.facility"),
                N_("ops.lot.col.day"), N_("ops.lot.col.status"), N_("ops.lot.col.given"),
                N_("ops.lot.col.wasted"))
FACILITY_COLS = (N_("ops.lot.col.facility"), N_("ops.lot.col.doses"),
                 N_("ops.lot.col.first_dose"), N_("ops.lot.col.last_dose"))
CASE_COLS = (N_("ops.lot.col.case"), N_("ops.lot.col.onset"), N_("ops.lot.col.facility"),
             N_("ops.lot.col.severity"), N_("ops.lot.col.seriousness"),
             N_("ops.lot.col.status"), N_("ops.lot.col.classification"))
NUMERIC = "ops-lot-num"


def _table(cols: Sequence[str], rows: list[list[Any]], numeric: set[int], lang: str,
           caption: str) -> Component:
    if not rows:
        return html.P(t("ops.lot.none", lang), className="panel-hint")
    head = html.Tr([html.Th(t(k, lang), scope="col",
                            className=NUMERIC if i in numeric else None)
                    for i, k in enumerate(cols)])
    body = [html.Tr([html.Td(v, className=NUMERIC if i in numeric else None)
                     for i, v in enumerate(r)]) for r in rows]
    return html.Div(html.Table([html.Caption(caption, className="sr-only"), html.Thead(head),
                                html.Tbody(body)], className="ops-doses ops-lot-table"),
                    className="ops-lot-scroll")


def _section(key: str, table: Component, lang: str) -> html.Section:
    return html.Section([html.H2(t(key, lang)), table], className="panel ops-lot-part")


def _outside(lang: str) -> html.Em:
    return html.Em(t("ops.lot.outside", lang), className="ops-lot-outside")


def trace_view(tr: LotTrace, lang: str, tz: str) -> list[Component]:
    """The trace's summary and its five tables."""
    def n(value: int) -> str:
        return fmt_int(value, lang)

    def when(at: dt.datetime | None) -> html.Span:
        return html.Span(fmt_moment(at, lang, tz), className="ops-lot-when")

    names = {w.warehouse_code: w.name for w in tr.warehouses}
    expiry = fmt_date(tr.expiry_date, lang) if tr.expiry_date else "—"
    given = sum(f.doses for f in tr.facilities)
    summary = [html.H2(t("ops.lot.head", lang, lot=tr.lot_number, vaccine=tr.vaccine_code,
                         expiry=expiry)),
               html.P(t("ops.lot.summary", lang, warehouses=n(len(tr.warehouses)),
                        doses=n(given), cases=n(len(tr.cases))), className="ops-lot-facts")]
    if tr.hidden_warehouses or tr.hidden_doses or tr.hidden_cases:
        summary.append(html.P(t("ops.lot.hidden", lang, warehouses=n(tr.hidden_warehouses),
                                doses=n(tr.hidden_doses), cases=n(tr.hidden_cases)),
                              className="panel-hint"))
    stores = [[html.Span([w.name, html.Br(), html.Small(w.warehouse_code)]),
               code_text("level", w.level, lang), when(w.first_at),
               n(w.received), n(w.sent), n(w.issued), n(w.written_off), html.B(n(w.on_hand)),
               n(w.in_transit_in) if w.in_transit_in else "—"] for w in tr.warehouses]

    def end(code: str | None) -> Component | str:
        return _outside(lang) if code is None else names.get(code, code)

    moves = [[end(m.from_warehouse), end(m.to_warehouse), when(m.sent_at),
              n(m.sent), html.Span(t(TRANSIT_KEYS.get(m.status, m.status), lang)
                                   if m.status in TRANSIT_KEYS else m.status,
                                   className=f"ops-lot-{m.status.lower().replace('_', '-')}"),
              when(m.received_at) if m.received_at else "—",
              n(m.received) if m.received is not None else "—",
              n(m.discrepancy) if m.discrepancy else "—"] for m in tr.transfers]
    sessions = [[s.session_id, s.facility_code, fmt_date(s.day, lang),
                 t(SESSION_KEYS[s.status], lang) if s.status in SESSION_KEYS else s.status,
                 n(s.doses_given), n(s.doses_wasted) if s.doses_wasted is not None else "—"]
                for s in tr.sessions]
    places = [[html.Span([f.facility_name, html.Br(), html.Small(f.facility_code)]),
               n(f.doses), when(f.first_at), when(f.last_at)]
              for f in tr.facilities]
    cases = []
    for c in tr.cases:
        # A serious case opens in the AEFI cases page; a mild report has no case to open.
        ident: Component | str = (dcc.Link(c.report_id, href="/ops/aefi?" + urlencode(
            {"case": c.report_id})) if c.severity == "SERIOUS" else c.report_id)
        cls = (causality.label(c.causality, lang) if c.causality in causality.BY_CODE
               else code_text("class", c.classification, lang) or "—")
        cases.append([ident, when(c.onset_at), c.facility_code,
                      code_text("severity", c.severity, lang),
                      seriousness_text(c.seriousness, lang),
                      status_text(c.status, lang) if c.status else "—", cls])
    return [
        html.Section(summary, className="panel ops-lot-summary"),
        _section("ops.lot.warehouses", _table(WAREHOUSE_COLS, stores, {3, 4, 5, 6, 7, 8}, lang,
                                              t("ops.lot.warehouses", lang)), lang),
        _section("ops.lot.transfers", _table(TRANSFER_COLS, moves, {3, 6, 7}, lang,
                                             t("ops.lot.transfers", lang)), lang),
        _section("ops.lot.sessions", _table(SESSION_COLS, sessions, {4, 5}, lang,
                                            t("ops.lot.sessions", lang)), lang),
        _section("ops.lot.facilities", _table(FACILITY_COLS, places, {1}, lang,
                                              t("ops.lot.facilities", lang)), lang),
        _section("ops.lot.cases", _table(CASE_COLS, cases, set(), lang,
                                         t("ops.lot.cases", lang)), lang),
    ]


def show(services: Services, principal: Principal, lang: str | None, vaccine: object,
         lot: object) -> tuple[list[Component] | Component, str]:
    """(the trace or a line saying why there is none, the error beside the lot field)."""
    lang = norm_lang(lang)
    if vaccine in (None, "") and lot in (None, ""):
        return html.P(t("ops.lot.pick", lang), className="panel-hint"), ""
    key = clean_key(vaccine, lot)
    if key is None:
        return "", t(KEY_BAD, lang)
    try:
        found = lot_trace(services.engine, principal, *key)
    except Forbidden:
        return html.P(t("ops.denied", lang), role="alert"), ""
    if found is None:
        return html.P(t("ops.lot.unknown", lang, lot=key[1], vaccine=key[0]), role="status",
                      className="panel ops-lot-unknown"), ""
    return trace_view(found, lang, services.settings.timezone), ""


def register(app: dash.Dash, services: Services) -> None:
    """Attach the trace callback to `app`."""
    @app.callback(
        Output(ids.OPS_LOT_BODY, "children"),
        Output(ids.field_error(ids.OPS_LOT_NUMBER), "children"),
        Input(ids.OPS_LOT_SUBMIT, "n_clicks"), Input(ids.OPS_LOT_NUMBER, "n_submit"),
        Input(ids.OPS_LOT_VACCINE, "n_submit"), Input(ids.SHELL_LANG, "data"),
        State(ids.OPS_LOT_VACCINE, "value"), State(ids.OPS_LOT_NUMBER, "value"))
    def _trace(_clicks: int | None, _n1: int | None, _n2: int | None, lang: str | None,
               vaccine: object, lot: object) -> tuple[Any, str]:
        return show(services, current_principal(), lang, vaccine, lot)

