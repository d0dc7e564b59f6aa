"""AG Grid's own texts (pager, overlays, filter menus) and number separators in the UI language.

AG Grid ships English only; `localeText` replaces its texts key by key. The keys are AG Grid's
(see its AG_GRID_LOCALE_EN); the texts live in the catalogs as `grid.<key>`.
"""

from __future__ import annotations

from typing import Any

from callbacks.shared.i18n import DEFAULT_LANG, LANGS, N_, babel_locale, t

# AG Grid locale key -> message id, for what the command-center grids show: the pager,
# the empty and loading overlays, the text and number filter menus, the header buttons.
GRID_TEXT_KEYS: dict[str, str] = {
    "noRowsToShow": N_("empty.rows"),
    "loadingOoo": N_("grid.loadingOoo"),
    "page": N_("grid.page"), "of": N_("grid.of"), "to": N_("grid.to"), "more": N_("grid.more"),
    "first": N_("grid.first"), "previous": N_("grid.previous"), "next": N_("grid.next"),
    "last": N_("grid.last"),
    "firstPage": N_("grid.firstPage"), "previousPage": N_("grid.previousPage"),
    "nextPage": N_("grid.nextPage"), "lastPage": N_("grid.lastPage"),
    "pageSizeSelectorLabel": N_("grid.pageSizeSelectorLabel"),
    "ariaPageSizeSelectorLabel": N_("grid.ariaPageSizeSelectorLabel"),
    "filterOoo": N_("grid.filterOoo"), "empty": N_("grid.empty"),
    "equals": N_("grid.equals"), "notEqual": N_("grid.notEqual"),
    "blank": N_("grid.blank"), "notBlank": N_("grid.notBlank"),
    "lessThan": N_("grid.lessThan"), "greaterThan": N_("grid.greaterThan"),
    "lessThanOrEqual": N_("grid.lessThanOrEqual"),
    "greaterThanOrEqual": N_("grid.greaterThanOrEqual"),
    "inRange": N_("grid.inRange"), "inRangeStart": N_("grid.inRangeStart"),
    "inRangeEnd": N_("grid.inRangeEnd"),
    "contains": N_("grid.contains"), "notContains": N_("grid.notContains"),
    "startsWith": N_("grid.startsWith"), "endsWith": N_("grid.endsWith"),
    "andCondition": N_("grid.andCondition"), "orCondition": N_("grid.orCondition"),
    "applyFilter": N_("grid.applyFilter"), "resetFilter": N_("grid.resetFilter"),
    "clearFilter": N_("grid.clearFilter"), "cancelFilter": N_("grid.cancelFilter"),
    "ariaLabelColumnFilter": N_("grid.ariaLabelColumnFilter"),
    "ariaLabelColumnMenu": N_("grid.ariaLabelColumnMenu"),
    "ariaFilterInput": N_("grid.ariaFilterInput"),
    "ariaFilteringOperator": N_("grid.ariaFilteringOperator"),
}

PAGE_SIZE = 50


def grid_locale_text(lang: str | None) -> dict[str, str]:
    """AG Grid `localeText` in `lang`, with the language's thousands and decimal separators
    (the pager's "1 đến 50 trên 1.233")."""
    symbols = babel_locale(lang).number_symbols["latn"]
    return {**{key: t(message, lang) for key, message in GRID_TEXT_KEYS.items()},
            "thousandSeparator": symbols["group"], "decimalSeparator": symbols["decimal"]}


def grid_options(lang: str | None = DEFAULT_LANG) -> dict[str, Any]:
    """`dashGridOptions` of every command-center grid in `lang`: texts, paging by 50."""
    return {"animateRows": False, "localeText": grid_locale_text(lang),
            "pagination": True, "paginationPageSize": PAGE_SIZE}


def grid_texts() -> dict[str, dict[str, str]]:
    """`localeText` of every language, for the browser to rebuild grids without a request."""
    return {lang: grid_locale_text(lang) for lang in LANGS}

