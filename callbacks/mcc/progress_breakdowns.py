"""Progress page, below the map: coverage by group, age band, sex and vaccine, drop-out,
province ranking with its 7-day trend, and the target with the gap.

National aggregate figures: open to every signed-in user (callbacks check the session).
"""

from __future__ import annotations

import math
from typing import Any

import dash
import pandas as pd
from dash import Input, Output
from dash.development.base_component import Component

from callbacks.mcc import coverage_marks as cm
from callbacks.mcc import figures_progress as fp
from callbacks.mcc import mcc_common
from callbacks.shared import ids, tables
from callbacks.shared.i18n import fmt_int, fmt_pct, t
from callbacks.shared.security import current_principal
from data.mcc import progress
from data.services import Services

# Default target: 70% of the population aged 18+ fully vaccinated (the command center's
# issue); the page's input changes it per visit.
DEFAULT_TARGET = 70.0
TREND_ARROWS: dict[str, str] = {"up": "▲", "down": "▼", "flat": "▶"}
RANK_FIELDS = ["rank", "province_name", "pct_dose1", "pct_fully", "doses", "last_7d", "trend"]
BREAKDOWN_OUTPUTS: tuple[str, ...] = (
    ids.PROGRESS_BY_GROUP, ids.PROGRESS_BY_AGE, ids.PROGRESS_BY_SEX, ids.PROGRESS_BY_VACCINE,
    ids.PROGRESS_DROPOUT,
)


def breakdown_figures(services: Services, lang: str | None) -> tuple[Any, ...]:
    """Priority group, age band, sex, vaccine share and drop-out, in BREAKDOWN_OUTPUTS order."""
    lang = mcc_common.lang_of(services, lang)
    return mcc_common.kept(services, "ui.progress.breakdowns", {"lang": lang},
                               lambda: _breakdown_figures(services, lang))


def _breakdown_figures(services: Services, lang: str) -> tuple[Any, ...]:
    return (
        fp.people_figure(progress.coverage_by_group(services, "priority_group"),
                         "priority_group", lang),
        fp.age_figure(progress.coverage_by_group(services, "age_band"), lang),
        fp.people_figure(progress.coverage_by_group(services, "sex"), "sex", lang),
        fp.vaccine_share_figure(progress.coverage_by_vaccine(services), lang),
        fp.dropout_figure(progress.dropout_by_vaccine(services), lang),
    )


def trend_text(trend: str, trend_pct: float | None, lang: str,
               prev_7d: int | None = None) -> str:
    """'▲ 12,5%' (the change of the last 7 days' doses against the 7 before). Too few doses
    for a trend (data.mcc.progress.MIN_TREND_DOSES): words, no arrow; too few in the earlier
    week for a percentage: the arrow and that week's count."""
    if trend == "few":
        return t("progress.trend.few", lang)
    arrow = TREND_ARROWS.get(trend, "")
    if trend_pct is None or (isinstance(trend_pct, float) and math.isnan(trend_pct)):
        if prev_7d is None:
            return arrow
        return f"{arrow} {t('progress.trend.from', lang, n=fmt_int(prev_7d, lang))}"
    return f"{arrow} {'+' if trend_pct > 0 else ''}{fmt_pct(trend_pct, lang)}"


def ranking_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the province ranking (ranked by full coverage)."""
    # Seven columns in half a 1366-pixel screen, headers wrapping between words (see
    # pages._components.mcc.DEFAULT_COL): no column hides behind a horizontal scroll. Only the
    # province has a filter: the icon of the others took the room their headers need.
    def plain(col: dict[str, Any], width: int = 80) -> dict[str, Any]:
        return col | {"minWidth": width, "filter": False}

    cols = [plain(tables.column("rank", "col.rank", lang, "number", maxWidth=90), 60),
            tables.column("province_name", "col.province", lang, minWidth=120),
            plain(cm.mark_column(tables.column("pct_dose1", "col.pct_dose1", lang, "number", 1),
                                 lang)),
            plain(cm.mark_column(tables.column("pct_fully", "col.pct_fully", lang, "number", 1),
                                 lang)),
            plain(tables.column("doses", "col.doses", lang, "number")),
            plain(tables.column("last_7d", "col.last_7d", lang, "number")),
            plain(tables.column("trend", "col.trend", lang, cellClass="trend-cell",
                                headerTooltip=t("progress.trend.rule", lang,
                                                n=progress.MIN_TREND_DOSES)), 110)]
    shown = df.assign(trend=[trend_text(tr, p, lang, int(n)) for tr, p, n in
                             zip(df["trend"], df["trend_pct"], df["prev_7d"], strict=True)])
    return cols, tables.rows(shown, RANK_FIELDS)


def update_ranking(services: Services, lang: str | None) -> tuple[Any, ...]:
    """Outputs of the ranking callback: columnDefs, rowData, grid options."""
    lang = mcc_common.lang_of(services, lang)
    cols, rows = mcc_common.kept(
        services, "ui.progress.ranking", {"lang": lang},
        lambda: ranking_grid(progress.province_ranking(services), lang))
    return cols, rows, tables.grid_options(lang)


def target_of(value: Any) -> float:
    """The target percentage typed in the input, within (0, 100]; the default otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return DEFAULT_TARGET
    return number if 0 < number <= 100 and not math.isnan(number) else DEFAULT_TARGET


def target_kpis(gap: pd.DataFrame, target_pct: float, lang: str) -> list[Component]:
    """National coverage of the 18+, the target in people, and the gap (national KPI)."""
    nation = gap[gap["province_code"] == "VN"].iloc[0]
    pop = nation["population"]
    known = pd.notna(pop)
    people = t("progress.target.people", lang)
    reached = known and nation["gap"] <= 0
    gap_text = ("—" if not known else t("progress.target.reached", lang)
                if reached else fmt_int(nation["gap"], lang))
    of = t("progress.target.of", lang, n=fmt_int(pop, lang)) if known else t(
        "kpi.no_population", lang)
    if cm.is_over(nation["pct"]):
        of = f"{of} · {cm.MARK} {cm.note(lang)}"
    return mcc_common.kpi_row([
        (t("progress.target.kpi.pct", lang), cm.fmt_coverage(nation["pct"], lang), of, "green"),
        (t("progress.target.kpi.target", lang), fmt_pct(target_pct, lang, 0),
         f"{fmt_int(nation['target'], lang)} {people}" if known else "", "blue"),
        # Red is for a gap still open; a reached target is good news, in green.
        (t("progress.target.kpi.gap", lang), gap_text,
         people if known and not reached else "",
         "green" if reached else "red" if known else "blue"),
    ])


def update_targets(services: Services, lang: str | None, value: Any) -> tuple[Any, ...]:
    """Outputs of the target callback: the national KPI cards and the province chart."""
    lang = mcc_common.lang_of(services, lang)
    target = target_of(value)

    def build() -> tuple[Any, ...]:
        gap = progress.target_gap(services, target, "fully", "18+")
        return target_kpis(gap, target, lang), fp.target_figure(gap, target, lang)

    return mcc_common.kept(services, "ui.progress.targets", {"lang": lang, "target": target},
                           build)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the breakdown, ranking and target callbacks to `app`."""

    @app.callback(
        *(Output(i, "figure") for i in BREAKDOWN_OUTPUTS),
        Input(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _breakdowns(_version: str | None, lang: str | None) -> tuple[Any, ...]:
        current_principal()
        return breakdown_figures(services, lang)

    @app.callback(
        Output(ids.PROGRESS_RANKING, "columnDefs"),
        Output(ids.PROGRESS_RANKING, "rowData"),
        Output(ids.PROGRESS_RANKING, "dashGridOptions"),
        Input(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _ranking(_version: str | None, lang: str | None) -> tuple[Any, ...]:
        current_principal()
        return update_ranking(services, lang)

    @app.callback(
        Output(ids.PROGRESS_TARGET_KPIS, "children"),
        Output(ids.PROGRESS_TARGET_CHART, "figure"),
        Input(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
        Input(ids.PROGRESS_TARGET, "value"),
    )
    def _targets(_version: str | None, lang: str | None, value: Any) -> tuple[Any, ...]:
        current_principal()
        return update_targets(services, lang, value)
