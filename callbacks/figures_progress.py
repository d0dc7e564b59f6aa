"""Figure builders of the progress page's breakdowns and targets (pure: DataFrames in)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from callbacks.codes import code_text
from callbacks.figures import empty_figure
from callbacks.figures_stock import base_layout
from callbacks.i18n import fmt_int, fmt_pct, norm_lang, t
from data import catalog

SERIES_COLOURS: dict[str, str] = {"dose1": "#1e8a7a", "fully": "#2f7d32", "booster": "#e08e2b"}
VACCINE_COLOURS = ["#1d5f8a", "#1e8a7a", "#e08e2b", "#7fb3d5", "#b3261e", "#6d5ba8",
                   "#8a99a8", "#2f7d32"]
TARGET_COLOUR, BELOW_COLOUR, REACHED_COLOUR = "#b3261e", "#7fb3d5", "#2f7d32"
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}


def _is_empty(df: pd.DataFrame, col: str = "doses") -> bool:
    return df.empty or col not in df or not df[col].fillna(0).any()


def group_labels(df: pd.DataFrame, by: str, lang: str | None) -> list[str]:
    """Category labels of a coverage-by-group table: priority group, age band or sex."""
    if by == "priority_group":
        names = catalog.PRIORITY_GROUPS
        return [names.get(int(g), {}).get(norm_lang(lang), str(g)) for g in df[by]]
    if by == "sex":
        return [code_text("sex", s, lang) for s in df[by]]
    return [str(v) for v in df[by]]


def _layout(fig: go.Figure, y_title: str, **extra: object) -> go.Figure:
    fig.update_layout(barmode="group", bargap=0.25, hovermode="closest", legend=LEGEND,
                      margin={"l": 8, "r": 8, "t": 36, "b": 8},
                      xaxis={"type": "category", "showgrid": False},
                      yaxis={"title": {"text": y_title}, "gridcolor": "#e6eaee",
                             "rangemode": "tozero", "tickformat": ",.0f"}, **extra)
    return fig


def people_figure(groups: pd.DataFrame, by: str, lang: str | None) -> go.Figure:
    """People with ≥ 1 dose, fully vaccinated and boosted per category (no denominators)."""
    if _is_empty(groups):
        return empty_figure(t("chart.empty", lang), lang)
    labels = group_labels(groups, by, lang)
    fig = go.Figure(layout=base_layout(lang))
    for col, colour in SERIES_COLOURS.items():
        fig.add_trace(go.Bar(x=labels, y=groups[col], name=code_text("progress.series", col, lang),
                             meta=col, marker={"color": colour},
                             hovertemplate="%{x}: <b>%{y:,.0f}</b><extra>%{fullData.name}"
                                           "</extra>"))
    return _layout(fig, t("progress.axis.people", lang))


def age_figure(ages: pd.DataFrame, lang: str | None) -> go.Figure:
    """≥ 1 dose and fully vaccinated as % of each age band's population (labels carry it)."""
    if _is_empty(ages):
        return empty_figure(t("chart.empty", lang), lang)
    order = {band: i for i, band, _lo, _hi in catalog.AGE_BANDS}  # youngest first
    ages = ages.sort_values("age_band", key=lambda s: s.map(order)).reset_index(drop=True)
    pops = ages["population"]
    labels = [f"{band}<br>{t('progress.population', lang, n=fmt_int(p, lang))}"
              if pd.notna(p) else f"{band}<br>{t('progress.no_population', lang)}"
              for band, p in zip(ages["age_band"], pops, strict=True)]
    fig = go.Figure(layout=base_layout(lang))
    for col in ("dose1", "fully"):
        custom = [[fmt_int(n, lang), fmt_int(p, lang) if pd.notna(p) else "—"]
                  for n, p in zip(ages[col], pops, strict=True)]
        fig.add_trace(go.Bar(x=labels, y=ages[f"pct_{col}"], meta=f"pct_{col}",
                             name=code_text("progress.series", col, lang), customdata=custom,
                             marker={"color": SERIES_COLOURS[col]},
                             hovertemplate="<b>%{y:,.1f}%</b> · %{customdata[0]} / "
                                           "%{customdata[1]}<extra>%{fullData.name}</extra>"))
    fig = _layout(fig, t("progress.axis.pct", lang))
    fig.update_yaxes(tickformat=",.0f", ticksuffix="%")
    return fig


def vaccine_share_figure(vaccines: pd.DataFrame, lang: str | None) -> go.Figure:
    """Doses by vaccine as a share of all doses (a donut)."""
    if _is_empty(vaccines):
        return empty_figure(t("chart.empty", lang), lang)
    names = {v.code: v.name for v in catalog.VACCINES}
    fig = go.Figure(go.Pie(
        labels=list(vaccines["vaccine_code"]), values=vaccines["doses"], hole=0.55, sort=False,
        customdata=[names.get(c, c) for c in vaccines["vaccine_code"]], meta="doses",
        marker={"colors": VACCINE_COLOURS[: len(vaccines)]}, textinfo="label+percent",
        hovertemplate="%{customdata}: <b>%{value:,.0f}</b> (%{percent})<extra></extra>",
    ), layout=base_layout(lang))
    fig.update_layout(showlegend=False, margin={"l": 8, "r": 8, "t": 8, "b": 8})
    return fig


def dropout_figure(dropout: pd.DataFrame, lang: str | None) -> go.Figure:
    """Dose-2 drop-out (%) of each two-dose product, with its dose 1 and dose 2 counts."""
    if _is_empty(dropout, "dose1"):
        return empty_figure(t("chart.empty", lang), lang)
    custom = [[fmt_int(a, lang), fmt_int(b, lang)]
              for a, b in zip(dropout["dose1"], dropout["dose2"], strict=True)]
    fig = go.Figure(go.Bar(
        x=list(dropout["vaccine_code"]), y=dropout["dropout_pct"], meta="dropout_pct",
        name=t("progress.series.dropout", lang), customdata=custom,
        marker={"color": TARGET_COLOUR},
        hovertemplate="%{x}: <b>%{y:,.1f}%</b><br>" + t("progress.series.dose1", lang)
                      + " %{customdata[0]} · 2: %{customdata[1]}<extra></extra>",
    ), layout=base_layout(lang))
    fig = _layout(fig, t("progress.series.dropout", lang) + " (%)")
    # A fixed floor for the axis: all-zero drop-outs would otherwise get ticks 0%, 1%, 1%...
    top = float(dropout["dropout_pct"].fillna(0).max())
    fig.update_yaxes(ticksuffix="%", range=[0, max(10.0, top * 1.15)])
    return fig


def target_figure(gap: pd.DataFrame, target_pct: float, lang: str | None) -> go.Figure:
    """Coverage of each province against the target line, lowest first; hover gives the gap."""
    rows = gap[(gap["province_code"] != "VN") & gap["pct"].notna()].sort_values("pct")
    if rows.empty:
        return empty_figure(t("chart.empty", lang), lang)
    reached = rows["gap"] <= 0
    custom = [[fmt_int(v, lang), fmt_int(p, lang),
               t("progress.target.reached", lang) if g <= 0 else fmt_int(g, lang)]
              for v, p, g in zip(rows["vaccinated"], rows["population"], rows["gap"],
                                 strict=True)]
    fig = go.Figure(go.Bar(
        x=list(rows["province_name"]), y=rows["pct"], meta="pct", customdata=custom,
        marker={"color": [REACHED_COLOUR if r else BELOW_COLOUR for r in reached]},
        hovertemplate="%{x}: <b>%{y:,.1f}%</b> · %{customdata[0]} / %{customdata[1]}<br>"
                      + t("progress.target.kpi.gap", lang) + ": %{customdata[2]}<extra></extra>",
    ), layout=base_layout(lang))
    fig = _layout(fig, t("progress.axis.pct", lang), showlegend=False)
    fig.update_yaxes(ticksuffix="%", range=[0, max(100.0, float(rows["pct"].max()))])
    fig.add_hline(y=target_pct, line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                  annotation={"text": t("progress.target.line", lang,
                                        pct=fmt_pct(target_pct, lang, 0)),
                              "font": {"color": TARGET_COLOUR}},
                  annotation_position="top left")
    return fig


def district_figure(df: pd.DataFrame, metric: str, lang: str | None) -> go.Figure:
    """Districts of one province ranked by `metric` (a coverage %), lowest at the bottom;
    districts without a population figure have no bar (the page lists them)."""
    rows = df[df[metric].notna()].sort_values(metric)
    if rows.empty:
        return empty_figure(t("chart.empty", lang), lang)
    series = metric.removeprefix("pct_")
    custom = [[fmt_int(n, lang), fmt_int(p, lang)]
              for n, p in zip(rows[series], rows["population"], strict=True)]
    fig = go.Figure(go.Bar(
        y=[f"{n} ({c})" for n, c in zip(rows["district_name"], rows["district_code"],
                                        strict=True)],
        x=rows[metric], orientation="h", meta=list(rows["district_code"]), customdata=custom,
        marker={"color": SERIES_COLOURS.get(series, BELOW_COLOUR)},
        hovertemplate="%{y}: <b>%{x:,.1f}%</b> · %{customdata[0]} / %{customdata[1]}"
                      "<extra></extra>",
    ), layout=base_layout(lang))
    fig.update_layout(showlegend=False, bargap=0.2, hovermode="closest",
                      height=max(320, 22 * len(rows) + 60),
                      margin={"l": 8, "r": 8, "t": 8, "b": 8},
                      xaxis={"title": {"text": t("progress.axis.pct", lang)}, "ticksuffix": "%",
                             "gridcolor": "#e6eaee", "rangemode": "tozero"},
                      yaxis={"type": "category", "automargin": True})
    return fig
