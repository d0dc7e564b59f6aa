"""Warehouse stock: the warehouse picker (the warehouses the user may read, the first by
default) and its lots with on hand, in transit to it, expiry, last VVM stage and alerts, each
linked to its stock card. Also what the stock pages' other callbacks share: typed numbers and
moments, lot choices, the source of a write.

Reads go through data.ops.queries.stock_views with the signed-in principal: the scope is
checked there, whatever the page offered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.ops.aefi import parse_moment
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.queries.stock_views import Holding, Warehouse, holdings, readable_warehouses
from data.ops.rules.stock_alerts import EXPIRED, EXPIRING, VVM, alerts
from data.services import Services

ALERT_KEYS = {EXPIRED: N_("ops.stock.alert.EXPIRED"), EXPIRING: N_("ops.stock.alert.EXPIRING"),
              VVM: N_("ops.stock.alert.VVM")}
MOMENT_BAD = N_("ops.stock.when_bad")
NUMBER_BAD = N_("ops.stock.number_bad")
_WHOLE = re.compile(r"[+-]?(\d{1,3}([.,\s]\d{3})+|\d+)")


def source() -> str:
    """Where a write came from, for the audit entry."""
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def whole(value: object) -> int | None:
    """A typed whole number ('1.000', '1,000' and '1 000' read as a thousand; a sign
    allowed); None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str) or len(value) > 16 or not _WHOLE.fullmatch(value.strip()):
        return None
    return int(re.sub(r"[.,\s]", "", value.strip()))


def moment(value: object, tz: str) -> dt.datetime | None:
    """A typed moment on the local clock (dd/mm/yyyy hh:mm); empty means now; None when it is
    neither."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    return parse_moment(value, tz)


def today(services: Services) -> dt.date:
    """The campaign's day now."""
    return dt.datetime.now(ZoneInfo(services.settings.timezone)).date()


def lot_value(vaccine: str, lot: str) -> str:
    """A lot's value in a picker (vaccine codes hold no '|')."""
    return f"{vaccine}|{lot}"


def split_lot(value: object) -> tuple[str, str] | None:
    """(vaccine, lot) of a picker's value; None when it is not one."""
    if not isinstance(value, str) or "|" not in value or len(value) > 60:
        return None
    vaccine, lot = value.split("|", 1)
    return (vaccine, lot) if vaccine and lot else None


def lot_label(h: Holding, lang: str) -> str:
    """A lot as a picker shows it: vaccine, lot, expiry, on hand."""
    p = h.position
    return t("ops.stock.lot_choice", lang, vaccine=p.vaccine_code, lot=p.lot_number,
             expiry=fmt_date(p.expiry_date, lang), n=fmt_int(p.on_hand, lang))


def warehouse_label(w: Warehouse) -> str:
    """A warehouse as a picker shows it."""
    return f"{w.code} · {w.name}"


def pick_warehouse(services: Services, principal: Principal, chosen: object
                   ) -> tuple[list[dict[str, str]], str | None]:
    """(the picker's options, its value): the warehouses the principal may read; the chosen
    one when it is among them, else the first."""
    if not principal.has(*OPERATIONS_ROLES):
        return [], None
    found = readable_warehouses(services.engine, principal)
    codes = [w.code for w in found]
    value = chosen if chosen in codes else (codes[0] if codes else None)
    return [{"label": warehouse_label(w), "value": w.code} for w in found], value


def read_holdings(services: Services, principal: Principal, warehouse: object
                  ) -> list[Holding] | None:
    """The warehouse's lots, or None when it is no warehouse the principal may read."""
    if not isinstance(warehouse, str) or not warehouse or len(warehouse) > 40 \
            or not principal.has(*OPERATIONS_ROLES):
        return None
    try:
        return holdings(services.engine, principal, warehouse)
    except (Forbidden, OpsError):
        return None


def card_href(warehouse: str, vaccine: str, lot: str) -> str:
    """The stock card of one lot."""
    return "/ops/stock/card?" + urlencode({"warehouse": warehouse, "vaccine": vaccine,
                                           "lot": lot})


def _alerts(h: Holding, lang: str, day: dt.date) -> list[Component]:
    return [html.Span(t(ALERT_KEYS[a], lang), className=f"ops-stock-alert ops-stock-{a.lower()}")
            for a in alerts(h.position.expiry_date, h.vvm_stage, day)]


def head(keys: Sequence[str], lang: str, numeric: Sequence[int] = ()) -> html.Thead:
    """A table's header row in `lang`, the columns at `numeric` aligned as their figures."""
    return html.Thead(html.Tr([html.Th(t(k, lang), scope="col",
                                       className="num" if i in numeric else None)
                               for i, k in enumerate(keys)]))


LOT_COLUMNS = (N_("ops.stock.vaccine"), N_("ops.stock.lot"), N_("ops.stock.expiry"),
               N_("ops.stock.on_hand"), N_("ops.stock.in_transit"), N_("ops.stock.vvm"),
               N_("ops.stock.alerts"))


def lots_table(warehouse: str, found: Sequence[Holding], lang: str, day: dt.date
               ) -> html.Table:
    """The warehouse's lots, one row each, the lot linked to its stock card."""
    rows = []
    for h in found:
        p = h.position
        rows.append(html.Tr([
            html.Td(p.vaccine_code),
            html.Td(dcc.Link(p.lot_number, href=card_href(warehouse, p.vaccine_code,
                                                           p.lot_number))),
            html.Td(fmt_date(p.expiry_date, lang)),
            html.Td(fmt_int(p.on_hand, lang), className="num"),
            html.Td(fmt_int(p.in_transit_in, lang) if p.in_transit_in else "—",
                    className="num"),
            html.Td(str(h.vvm_stage) if h.vvm_stage else "—"),
            html.Td(_alerts(h, lang, day))],
            className="ops-stock-alerted" if alerts(p.expiry_date, h.vvm_stage, day) else None))
    return html.Table([head(LOT_COLUMNS, lang, (3, 4)), html.Tbody(rows)],
                      className="ops-stock-table")


def overview(services: Services, principal: Principal, lang: str | None, warehouse: object
             ) -> tuple[Component | str, str, str]:
    """(the lots table, the line above it, the count sheet's link) of the warehouse."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return "", t("ops.denied", lang), "/ops/stock/count"
    found = read_holdings(services, principal, warehouse)
    if found is None:
        return "", t("ops.stock.no_warehouse", lang), "/ops/stock/count"
    code = str(warehouse)
    link = "/ops/stock/count?" + urlencode({"warehouse": code})
    if not found:
        return "", t("ops.stock.empty", lang), link
    day = today(services)
    alerted = sum(1 for h in found if alerts(h.position.expiry_date, h.vvm_stage, day))
    info = t("ops.stock.lots_info", lang, n=fmt_int(len(found), lang),
             alerted=fmt_int(alerted, lang))
    return lots_table(code, found, lang, day), info, link


def register(app: dash.Dash, services: Services) -> None:
    """Attach the warehouse picker and the lots list to `app`."""
    @app.callback(
        Output(ids.OPS_STOCK_WAREHOUSE, "options"), Output(ids.OPS_STOCK_WAREHOUSE, "value"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_STOCK_WAREHOUSE, "value"))
    def _warehouses(_lang: str | None, chosen: object) -> tuple[list, Any]:
        return pick_warehouse(services, current_principal(), chosen)

    @app.callback(
        Output(ids.OPS_STOCK_LOTS, "children"), Output(ids.OPS_STOCK_LOTS_INFO, "children"),
        Output(ids.OPS_STOCK_COUNT_LINK, "href"),
        Input(ids.OPS_STOCK_WAREHOUSE, "value"), Input(ids.SHELL_LANG, "data"),
        Input(ids.OPS_STOCK_DONE, "data"))
    def _lots(warehouse: object, lang: str | None, _done: object) -> tuple[Any, str, str]:
        return overview(services, current_principal(), lang, warehouse)
