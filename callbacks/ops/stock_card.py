"""A lot's stock card at one warehouse: every event in ledger order with the balance after it,
its kind, reason, counterparty, VVM stage and who entered it. Read through
data.ops.queries.stock_views.card_events with the signed-in principal (scope checked there)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from callbacks.ops.aefi_view import fmt_moment
from callbacks.ops.stock import head
from callbacks.ops.stock_forms import REASON_KEYS
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_int, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.queries.stock_ledger import LotKey
from data.ops.queries.stock_views import CardEvent, card_events
from data.services import Services

KIND_KEYS = {
    "RECEIPT": N_("ops.stock.kind.RECEIPT"),
    "ISSUE": N_("ops.stock.kind.ISSUE"),
    "TRANSFER_IN": N_("ops.stock.kind.TRANSFER_IN"),
    "TRANSFER_OUT": N_("ops.stock.kind.TRANSFER_OUT"),
    "ADJUSTMENT": N_("ops.stock.kind.ADJUSTMENT"),
    "WASTAGE": N_("ops.stock.kind.WASTAGE"),
    "RETURN": N_("ops.stock.kind.RETURN"),
}
REASON_WORDS = {**REASON_KEYS, "COUNT": N_("ops.stock.reason.COUNT")}
COLUMNS = (N_("ops.stock.card.when"), N_("ops.stock.card.kind"), N_("ops.stock.card.doses"),
           N_("ops.stock.card.balance"), N_("ops.stock.card.reason"),
           N_("ops.stock.card.counterparty"), N_("ops.stock.vvm"), N_("ops.stock.card.who"))


def _words(table: dict[str, str], code: str | None, lang: str) -> str:
    if not code:
        return "—"
    return t(table[code], lang) if code in table else code


def _signed(n: int, lang: str) -> str:
    return f"+{fmt_int(n, lang)}" if n > 0 else fmt_int(n, lang)


def _row(e: CardEvent, lang: str, tz: str) -> html.Tr:
    c = e.line
    # Issue 12's own reasons are filed as OTHER in the contract's row; the entry keeps them.
    reason = c.reason_detail or c.reason
    return html.Tr([html.Td(fmt_moment(c.occurred_at, lang, tz)),
                    html.Td(_words(KIND_KEYS, c.movement_type, lang)),
                    html.Td(_signed(c.doses, lang), className="num"),
                    html.Td(fmt_int(c.balance, lang), className="num ops-stock-balance"),
                    html.Td(_words(REASON_WORDS, reason, lang)),
                    html.Td(c.counterparty_code or "—"),
                    html.Td(str(c.vvm_stage) if c.vvm_stage else "—"),
                    html.Td(e.entered_by or t("ops.stock.card.by_file", lang))])


def _text(query: dict, key: str) -> str | None:
    value = query.get(key)
    return value if isinstance(value, str) and 0 < len(value) <= 40 else None


def card_view(services: Services, principal: Principal, lang: str | None, query: object
              ) -> tuple[Component | str, str]:
    """(the card's table or a refusal, the line under the title) of the lot the query names."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return html.P(t("ops.denied", lang), role="alert"), ""
    q = query if isinstance(query, dict) else {}
    warehouse, vaccine, lot = _text(q, "warehouse"), _text(q, "vaccine"), _text(q, "lot")
    if not (warehouse and vaccine and lot):
        return html.P(t("ops.stock.card.no_lot", lang), role="alert"), ""
    try:
        events = card_events(services.engine, principal, LotKey(warehouse, vaccine, lot))
    except (Forbidden, OpsError):
        return html.P(t("ops.stock.card.denied", lang), role="alert"), ""
    title = t("ops.stock.card.of", lang, lot=lot, vaccine=vaccine, warehouse=warehouse)
    back = dcc.Link(t("ops.stock.card.back", lang),
                    href="/ops/stock?" + urlencode({"warehouse": warehouse}))
    if not events:
        return html.Div([html.P(t("ops.stock.card.empty", lang)), back]), title
    tz = services.settings.timezone
    table = html.Table([head(COLUMNS, lang, (2, 3)),
                        html.Tbody([_row(e, lang, tz) for e in events])],
                       className="ops-stock-table ops-stock-card")
    return html.Div([table, html.P(back)]), title


def register(app: dash.Dash, services: Services) -> None:
    """Attach the stock card to `app`."""
    @app.callback(
        Output(ids.OPS_STOCK_CARD, "children"), Output(ids.OPS_STOCK_CARD_TITLE, "children"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_STOCK_CARD_QUERY, "data"))
    def _card(lang: str | None, query: object) -> tuple[Any, str]:
        return card_view(services, current_principal(), lang, query)
