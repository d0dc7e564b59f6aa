"""Toggles of the command-center pages (value -> label message id) and their rule defaults."""

from __future__ import annotations

from callbacks.shared.i18n import N_

# Value -> label key of the stock map's metric toggle.
STOCK_METRICS: dict[str, str] = {
    "allocated": N_("stock.metric.allocated"), "received": N_("stock.metric.received"),
    "administered": N_("stock.metric.administered"), "on_hand": N_("stock.metric.on_hand"),
    "days_of_supply": N_("stock.metric.days_of_supply"),
}
RATE_BY: dict[str, str] = {"vaccine": N_("aefi.by.vaccine"), "dose": N_("aefi.by.dose"),
                           "age_band": N_("aefi.by.age_band"), "sex": N_("aefi.by.sex")}
SERIOUS_BY: dict[str, str] = {"outcome": N_("aefi.serious.outcome"),
                              "class": N_("aefi.serious.class")}
EXPIRY_BANDS: tuple[int, ...] = (30, 60, 90)

# The silent-facility rule's default: no dose for this many days while holding stock.
SILENT_DAYS = 3
# The facilities page's window (days ending on as_of) when the URL sets no range start.
WINDOW_DAYS = 14
