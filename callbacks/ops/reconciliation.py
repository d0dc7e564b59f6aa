"""Reconciliation page: a period (default: the 7 days ending today) -> the facility-days and
warehouses of the user's area whose records disagree beyond the tolerance, each with its lots
and the ids of the movements, sessions and counts behind it.

Reads go through data.ops.queries.reconciliation with the signed-in principal: the area is
decided there, whatever the page sent. Period errors are told beside their field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import Input, Output, State, html, no_update
from dash.development.base_component import Component

from callbacks.ops.fields import parse_day
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, fmt_number, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import Principal
from data.command_errors import OpsError
from data.ops.queries.reconciliation import Discrepancies, discrepancies, tolerance
from data.reconciliation import FacilityDay, LotLine
from data.services import Services

DEFAULT_DAYS = 7
DAY_BAD = N_("ops.recon.day_bad")
# The data layer's refusals of a period (data.ops.queries.reconciliation.check_period).
PERIOD_PROBLEMS = (N_("reconcile.reversed"), N_("reconcile.too_long"))
DAY_COLUMNS = (N_("ops.recon.col.day"), N_("ops.recon.col.facility"),
               N_("ops.recon.col.administered"), N_("ops.recon.col.ledger"),
               N_("ops.recon.col.reported"), N_("ops.recon.col.ledger_gap"),
               N_("ops.recon.col.reported_gap"), N_("ops.recon.col.wasted"))
STORE_COLUMNS = (N_("ops.recon.col.warehouse"), N_("ops.recon.col.counted_at"),
                 N_("ops.recon.col.lots"), N_("ops.recon.col.balance"),
                 N_("ops.recon.col.counted"), N_("ops.recon.col.gap"))
LOT_COLUMNS = (N_("ops.recon.col.lot"), N_("ops.recon.col.administered"),
               N_("ops.recon.col.ledger"), N_("ops.recon.col.reported"),
               N_("ops.recon.col.records"))
COUNT_COLUMNS = (N_("ops.recon.col.lot"), N_("ops.recon.col.balance"),
                 N_("ops.recon.col.counted"), N_("ops.recon.col.records"))
FIELD_OF = {"start": ids.OPS_RECON_START, "end": ids.OPS_RECON_END}


def signed(n: int, lang: str) -> str:
    """A gap with its sign (+3, −12; 0 unsigned)."""
    return ("+" if n > 0 else "−" if n < 0 else "") + fmt_int(abs(n), lang)


def period(start_text: object, end_text: object, today: dt.date,
           lang: str) -> tuple[dt.date | None, dt.date | None, dict[str, str]]:
    """The typed period (both empty: the DEFAULT_DAYS ending today) and each field's error."""
    if not start_text and not end_text:
        return today - dt.timedelta(days=DEFAULT_DAYS - 1), today, {}
    start, end = parse_day(start_text or ""), parse_day(end_text or "")
    errors = {f: t(DAY_BAD, lang) for f, d in (("start", start), ("end", end)) if d is None}
    return start, end, errors


def _records(line: LotLine, lang: str) -> Component:
    parts = [(N_("ops.recon.ref.session"), line.sessions),
             (N_("ops.recon.ref.movement"), line.movements),
             (N_("ops.recon.ref.count"), line.counts)]
    return html.Ul([html.Li([html.Span(t(key, lang) + " ", className="ops-recon-ref-kind"),
                             html.Code(ref)]) for key, refs in parts for ref in refs],
                   className="ops-recon-refs")


def _lots(lines: Sequence[LotLine], lang: str, counts: bool) -> Component:
    cols = COUNT_COLUMNS if counts else LOT_COLUMNS
    head = html.Tr([html.Th(t(k, lang)) for k in cols])
    rows = []
    for line in lines:
        lot = html.Td(f"{line.vaccine_code} · {line.lot_number}")
        if counts:
            cells = [lot, html.Td(fmt_int(line.ledger_balance, lang), className="num"),
                     html.Td(fmt_int(line.counted, lang), className="num")]
        else:
            cells = [lot, *(html.Td(fmt_int(n, lang), className="num") for n in (
                line.administered, line.ledger_issued, line.reported))]
        rows.append(html.Tr([*cells, html.Td(_records(line, lang))]))
    return html.Table([html.Thead(head), html.Tbody(rows)], className="ops-doses ops-recon-lots")


def _detail_row(span: int, lines: Sequence[LotLine], lang: str, counts: bool) -> html.Tr:
    summary = t("ops.recon.records", lang, n=fmt_int(len(lines), lang))
    return html.Tr(html.Td(html.Details([html.Summary(summary), _lots(lines, lang, counts)]),
                           colSpan=span), className="ops-recon-detail")


def _gap_cell(n: int, flagged: bool, lang: str) -> html.Td:
    return html.Td(signed(n, lang), className="num ops-recon-gap" if flagged else "num")


def days_table(found: Discrepancies, lang: str) -> Component:
    """The flagged facility-days, each followed by its lots (a disclosure)."""
    if not found.days:
        return html.P(t("ops.recon.none_days", lang), className="panel-hint")
    tol = found.tolerance
    body: list[html.Tr] = []
    for d, lines in found.days:
        body.append(html.Tr([
            html.Td(fmt_date(d.day, lang)),
            html.Td(f"{d.facility_code} · {d.facility_name}"),
            *(html.Td(fmt_int(n, lang), className="num")
              for n in (d.administered, d.ledger_issued, d.reported)),
            _gap_cell(d.ledger_gap, tol.exceeded(d.ledger_gap, d.administered), lang),
            _gap_cell(d.reported_gap, tol.exceeded(d.reported_gap, d.administered), lang),
            html.Td(f"{fmt_int(d.ledger_wasted, lang)} / {fmt_int(d.reported_wasted, lang)}",
                    className="num")], className="ops-recon-row", **_key(d)))
        body.append(_detail_row(len(DAY_COLUMNS), lines, lang, counts=False))
    head = html.Tr([html.Th(t(k, lang)) for k in DAY_COLUMNS])
    return html.Table([html.Thead(head), html.Tbody(body)],
                      className="ops-doses ops-recon ops-recon-days")


def stores_table(found: Discrepancies, lang: str, tz: str) -> Component:
    """The flagged warehouses, each followed by its lots' last counts (a disclosure)."""
    if not found.warehouses:
        return html.P(t("ops.recon.none_stores", lang), className="panel-hint")
    body: list[html.Tr] = []
    for w, lines in found.warehouses:
        at = w.last_counted_at.astimezone(ZoneInfo(tz))
        body.append(html.Tr([
            html.Td(f"{w.warehouse_code} · {w.warehouse_name}"),
            html.Td(f"{fmt_date(at.date(), lang)} {at:%H:%M}"),
            *(html.Td(fmt_int(n, lang), className="num")
              for n in (w.lots, w.ledger_balance, w.counted)),
            _gap_cell(w.gap, True, lang)], className="ops-recon-row",
            **{"data-key": w.warehouse_code}))
        body.append(_detail_row(len(STORE_COLUMNS), lines, lang, counts=True))
    head = html.Tr([html.Th(t(k, lang)) for k in STORE_COLUMNS])
    return html.Table([html.Thead(head), html.Tbody(body)], className="ops-doses ops-recon")


def _key(d: FacilityDay) -> dict[str, str]:
    return {"data-key": f"{d.facility_code}@{d.day.isoformat()}"}


def rule_text(services: Services, lang: str) -> str:
    """The tolerance in words."""
    tol = tolerance(services.settings)
    return t("ops.recon.rule", lang, pct=fmt_number(tol.pct, lang),
             doses=fmt_int(tol.doses, lang))


def summary_text(found: Discrepancies, lang: str) -> str:
    """What was checked and what was found."""
    text = t("ops.recon.summary", lang, start=fmt_date(found.start, lang),
             end=fmt_date(found.end, lang), days=fmt_int(found.days_checked, lang),
             flagged_days=fmt_int(len(found.days), lang),
             stores=fmt_int(found.warehouses_checked, lang),
             flagged_stores=fmt_int(len(found.warehouses), lang))
    return text + (" " + t("ops.recon.truncated", lang) if found.truncated else "")


def view(services: Services, principal: Principal, lang: str, start_text: object,
         end_text: object, today: dt.date) -> tuple[Any, ...]:
    """Outputs: start and end values, their errors, the rule, the summary, both lists."""
    start, end, errors = period(start_text, end_text, today, lang)
    # The fields are written only when empty (the default period): writing what the user
    # typed back could overwrite keys typed while the answer was on its way.
    typed = bool(start_text or end_text)
    shown = (no_update, no_update) if typed or errors else (
        start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y"))  # type: ignore[union-attr]
    nothing = (*shown, errors.get("start", ""), errors.get("end", ""),
               rule_text(services, lang), "", None, None)
    if errors or start is None or end is None:
        return nothing
    try:
        found = discrepancies(services.engine, principal, start, end,
                              tolerance(services.settings))
    except OpsError as err:
        told = {p.field: problem_message(p, lang) for p in err.problems}
        return (*shown, told.get("start", ""), told.get("end", ""), *nothing[4:])
    return (*shown, "", "", rule_text(services, lang), summary_text(found, lang),
            days_table(found, lang), stores_table(found, lang, services.settings.timezone))


def register(app: dash.Dash, services: Services) -> None:
    """Attach the page's one callback to `app`."""
    @app.callback(
        Output(ids.OPS_RECON_START, "value"), Output(ids.OPS_RECON_END, "value"),
        Output(ids.field_error(ids.OPS_RECON_START), "children"),
        Output(ids.field_error(ids.OPS_RECON_END), "children"),
        Output(ids.OPS_RECON_RULE, "children"), Output(ids.OPS_RECON_SUMMARY, "children"),
        Output(ids.OPS_RECON_DAYS, "children"), Output(ids.OPS_RECON_STORES, "children"),
        Input(ids.OPS_RECON_SUBMIT, "n_clicks"), Input(ids.OPS_RECON_START, "n_submit"),
        Input(ids.OPS_RECON_END, "n_submit"), Input(ids.SHELL_LANG, "data"),
        State(ids.OPS_RECON_START, "value"), State(ids.OPS_RECON_END, "value"))
    def _reconcile(_clicks: Any, _s: Any, _e: Any, lang: str | None, start: object,
                   end: object) -> tuple[Any, ...]:
        principal = current_principal()
        today = dt.datetime.now(ZoneInfo(services.settings.timezone)).date()
        return view(services, principal, lang if lang in ("vi", "en") else
                    services.settings.default_lang, start, end, today)
