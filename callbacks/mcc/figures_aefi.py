"""Figure builders of the AEFI page (pure: DataFrames in, figures out)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from callbacks.mcc.figures import empty_figure
from callbacks.mcc.figures_stock import base_layout
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import fmt_int, norm_lang, t
from callbacks.shared.plot_text import plain_all
from data import catalog

ALL_COLOUR, SERIOUS_COLOUR = "#1d5f8a", "#b3261e"
OUTCOME_COLOURS = {"RECOVERED": "#2f7d32", "RECOVERING": "#8cc6a0",
                   "RECOVERED_WITH_SEQUELAE": "#e08e2b", "NOT_RECOVERED": "#c77c12",
                   "DIED": "#1f2933", "UNKNOWN": "#aab4be"}
CLASS_COLOURS = {"A": "#b3261e", "B": "#e08e2b", "C": "#1d5f8a", "UNCLASSIFIABLE": "#7f8c8d",
                 "NONE": "#cfd6dd"}


def rate_labels(df: pd.DataFrame, by: str, lang: str | None) -> list[str]:
    """Category labels of a rates table (vaccine code, dose, age band, sex) as plotly text."""
    if by == "dose":
        kinds = catalog.DOSE_KIND_LABELS
        return plain_all(f"{kinds.get(k, {}).get(norm_lang(lang), k)} {n}"
                         for k, n in zip(df["dose_kind"], df["dose_number"], strict=True))
    if by == "sex":
        return plain_all(code_text("sex", s, lang) for s in df["sex"])
    col = {"vaccine": "vaccine_code", "age_band": "age_band"}[by]
    return plain_all(df[col])


def rates_figure(rates: pd.DataFrame, by: str, lang: str | None) -> go.Figure:
    """Reports and serious reports per 100,000 doses, side by side per category."""
    if rates.empty or not rates["doses"].any():
        return empty_figure(t("empty.filters", lang), lang)
    labels = rate_labels(rates, by, lang)
    custom = [[fmt_int(c, lang), fmt_int(s, lang), fmt_int(d, lang)]
              for c, s, d in zip(rates["cases"], rates["serious"], rates["doses"], strict=True)]
    hover = ("%{x}: <b>%{y:,.1f}</b><br>%{customdata[0]} / %{customdata[2]} "
             + t("stock.unit.doses", lang) + "<extra></extra>")
    fig = go.Figure(layout=base_layout(lang))
    fig.add_trace(go.Bar(x=labels, y=rates["rate_per_100k"], name=t("aefi.rate.all", lang),
                         customdata=custom, hovertemplate=hover, meta="rate_per_100k",
                         marker={"color": ALL_COLOUR}))
    fig.add_trace(go.Bar(x=labels, y=rates["serious_per_100k"], meta="serious_per_100k",
                         name=t("aefi.rate.serious", lang), customdata=custom,
                         hovertemplate=hover.replace("customdata[0]", "customdata[1]"),
                         marker={"color": SERIOUS_COLOUR}))
    fig.update_layout(barmode="group", bargap=0.25, hovermode="closest",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
                      margin={"l": 8, "r": 8, "t": 36, "b": 8},
                      xaxis={"type": "category", "showgrid": False},
                      yaxis={"title": {"text": t("col.rate", lang)}, "gridcolor": "#e6eaee",
                             "rangemode": "tozero"})
    return fig


def serious_figure(monthly: pd.DataFrame, by: str, lang: str | None) -> go.Figure:
    """Serious cases per month of onset, stacked by outcome or by causality classification."""
    if monthly.empty or not monthly["serious"].any():
        return empty_figure(t("empty.filters", lang), lang)
    if by == "class":
        prefix, key, colours = "class_", "class", CLASS_COLOURS
    else:
        prefix, key, colours = "outcome_", "outcome", OUTCOME_COLOURS
    months = pd.to_datetime(monthly["month"])
    fig = go.Figure(layout=base_layout(lang))
    for code, colour in colours.items():
        col = f"{prefix}{code}"
        if col not in monthly or not monthly[col].any():
            continue
        fig.add_trace(go.Bar(x=months, y=monthly[col], name=code_text(key, code, lang), meta=code,
                             marker={"color": colour},
                             hovertemplate="%{x|%m/%Y}: %{y:,.0f}<extra>%{fullData.name}"
                                           "</extra>"))
    fig.update_layout(barmode="stack", bargap=0.3, hovermode="closest",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
                      margin={"l": 8, "r": 8, "t": 36, "b": 8},
                      xaxis={"showgrid": False, "tickformat": "%m/%Y", "dtick": "M1"},
                      yaxis={"title": {"text": t("col.cases", lang)}, "gridcolor": "#e6eaee",
                             "rangemode": "tozero", "tickformat": ",.0f",
                             # Whole cases: with few of them, fractional ticks would repeat.
                             "dtick": max(1, math.ceil(monthly["serious"].max() / 6))})
    return fig
