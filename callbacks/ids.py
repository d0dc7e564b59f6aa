"""Every component id of the app, namespaced by page; pages and callbacks import them here."""

from __future__ import annotations

# Shell (app.py): the one live-refresh timer and the shared stores.
SHELL_REFRESH = "shell-refresh"
SHELL_VERSION = "shell-data-version"
SHELL_LANG = "shell-lang"
SHELL_LANG_SWITCH = "shell-lang-switch"
SHELL_NAVBAR = "shell-navbar"
SHELL_USER = "shell-user"
SHELL_LOGOUT = "shell-logout"

# Pattern-matching id type of every translated static label: {"type": I18N, "key": <string key>}.
I18N = "i18n-text"

# Vaccination progress page.
PROGRESS_KPI_DOSES = "progress-kpi-doses"
PROGRESS_KPI_DOSE1 = "progress-kpi-dose1"
PROGRESS_KPI_DOSE1_PCT = "progress-kpi-dose1-pct"
PROGRESS_KPI_FULLY = "progress-kpi-fully"
PROGRESS_KPI_FULLY_PCT = "progress-kpi-fully-pct"
PROGRESS_KPI_BOOSTER = "progress-kpi-booster"
PROGRESS_KPI_TODAY = "progress-kpi-today"
PROGRESS_KPI_TODAY_DATE = "progress-kpi-today-date"
PROGRESS_DAILY = "progress-daily-chart"
PROGRESS_MAP = "progress-map"
PROGRESS_MAP_METRIC = "progress-map-metric"
PROGRESS_MAP_BUILT = "progress-map-built"
PROGRESS_UPDATED = "progress-updated"


def text(key: str) -> dict[str, str]:
    """Id of a static label translated by the shell (key of callbacks.i18n.STRINGS)."""
    return {"type": I18N, "key": key}
