"""The operations pages in the top bar: a link per area of work, and under the bar the tabs
of the area the user is in.

Eleven pages and more no longer fit one row of the top bar at 1366 px, so the bar names the
three areas (the vaccination day, stock, records) and each area's pages come as tabs.
"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc

from callbacks.shared import ids
from callbacks.shared.i18n import N_, t
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Principal, Role
from data.services import Services

Tab = tuple[str, str]  # (path, i18n key)
# Pages only some operations roles work; the others do not see their tab.
# Any other page is for the operations roles.
TAB_ROLES: dict[str, tuple[Role, ...]] = {
    "/ops/facilities": (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER),
    # The Ministry's leaders allocate to provinces; facility staff allocate nothing.
    "/ops/allocations": (Role.MINISTRY_LEADER, Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER),
}
# (area's i18n key, its pages in the order of the work); an area's link opens its first page.
OPS_AREAS: tuple[tuple[str, tuple[Tab, ...]], ...] = (
    # The day in its order: plan the sessions, then each person's way through the site.
    (N_("nav.ops_area_day"), (("/ops/sessions", N_("nav.ops_sessions")),
                              ("/ops/checkin", N_("nav.ops_checkin")),
                              ("/ops/screening", N_("nav.ops_screening")),
                              ("/ops/injection", N_("nav.ops_injection")),
                              ("/ops/observation", N_("nav.ops_observation")))),
    (N_("nav.ops_area_stock"), (("/ops/stock", N_("nav.ops_stock")),
                                ("/ops/stock/count", N_("nav.ops_stock_count")),
                                ("/ops/allocations", N_("nav.ops_allocations")),
                                ("/ops/reconciliation", N_("nav.ops_reconciliation")))),
    (N_("nav.ops_area_records"), (("/ops/registrations", N_("nav.ops_registrations")),
                                  ("/ops/facilities", N_("nav.ops_facilities")),
                                  ("/ops/aefi", N_("nav.ops_aefi")),
                                  ("/ops/lot", N_("nav.ops_lot")))),
)


def _under(path: str | None, page: str) -> bool:
    return path == page or (path or "").startswith(page + "/")


def tab_of(path: str | None) -> str | None:
    """The page whose tab a path is under: the longest one (the stock card is the stock
    page's, the count sheet its own); None outside the operations pages."""
    pages = [p for _key, tabs in OPS_AREAS for p, _k in tabs if _under(path, p)]
    return max(pages, key=len, default=None)


def area_of(path: str | None) -> int | None:
    """Which area a path belongs to (a page's own sub-paths included), None outside them."""
    here = tab_of(path)
    return next((i for i, (_key, tabs) in enumerate(OPS_AREAS)
                 if any(p == here for p, _k in tabs)), None)


def _link(path: str, text: str, active: bool, class_name: str) -> dcc.Link:
    # dcc.Link takes no aria-current; the class marks where the user is.
    return dcc.Link(text, href=path, className=class_name + (" active" if active else ""))


def _tabs_for(principal: Principal, tabs: tuple[Tab, ...]) -> list[Tab]:
    return [(p, key) for p, key in tabs if principal.has(*TAB_ROLES.get(p, OPERATIONS_ROLES))]


def ops_links(principal: Principal, lang: str | None, path: str | None = None
              ) -> list[dcc.Link]:
    """The top bar's area links: the areas with a page the user works, each opening the
    first of them."""
    here = area_of(path)
    out = []
    for i, (key, tabs) in enumerate(OPS_AREAS):
        mine = _tabs_for(principal, tabs)
        if mine:
            out.append(_link(mine[0][0], t(key, lang), i == here, "nav-link"))
    return out


def ops_tabs(principal: Principal, lang: str | None, path: str | None) -> list[dcc.Link]:
    """The pages of the area `path` is in that the user works, as tabs; none outside the
    operations pages."""
    here = area_of(path)
    if here is None:
        return []
    active = tab_of(path)
    return [_link(p, t(key, lang), p == active, "ops-tab")
            for p, key in _tabs_for(principal, OPS_AREAS[here][1])]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the callback that draws the areas and the tabs."""
    @app.callback(Output(ids.SHELL_OPS_NAV, "children"), Output(ids.SHELL_OPS_TABS, "children"),
                  Input(ids.SHELL_LANG, "data"), Input(ids.SHELL_URL, "pathname"))
    def _nav(lang: str | None, path: str | None) -> tuple[list, list]:
        principal = current_principal()
        return ops_links(principal, lang, path), ops_tabs(principal, lang, path)
