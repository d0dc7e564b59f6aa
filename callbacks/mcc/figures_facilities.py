"""Figure builder of the facilities page (pure: DataFrames in, figures out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from callbacks.mcc.figures import empty_figure
from callbacks.mcc.figures_stock import base_layout
from callbacks.shared.i18n import t

DOSE_COLOUR = "#1d5f8a"
OVER_COLOUR = "#b3261e"
CAPACITY_COLOUR = "#e08e2b"


def daily_against_capacity(daily: pd.DataFrame, facility: str | None) -> pd.DataFrame:
    """Per day: doses and daily capacity of one facility, or summed over all of them
    (facility_daily columns in; date, doses, capacity out; capacity NaN when none is known)."""
    df = daily[daily["facility_code"] == facility] if facility else daily
    if df.empty:
        return pd.DataFrame(columns=["date", "doses", "capacity"])
    out = df.groupby("date", sort=True).agg(doses=("doses", "sum"),
                                           capacity=("daily_capacity", "sum"),
                                           known=("daily_capacity", "count"))
    out["capacity"] = out["capacity"].where(out.pop("known") > 0)
    return out.reset_index()


def capacity_figure(daily: pd.DataFrame, facility: str | None, lang: str | None) -> go.Figure:
    """Bars of doses per day (red above capacity) and the daily capacity as a step line."""
    df = daily_against_capacity(daily, facility)
    if df.empty or not df["doses"].any() and df["capacity"].isna().all():
        return empty_figure(t("empty.filters", lang), lang)
    x = pd.to_datetime(df["date"])
    over = df["capacity"].notna() & (df["doses"] > df["capacity"])
    bars = go.Bar(x=x, y=df["doses"], name=t("fac.daily.doses", lang),
                  marker={"color": [OVER_COLOUR if o else DOSE_COLOUR for o in over]},
                  hovertemplate="%{x|%d/%m}: %{y:,.0f}<extra></extra>")
    line = go.Scatter(x=x, y=df["capacity"], name=t("fac.daily.capacity", lang),
                      mode="lines", line={"shape": "hvh", "dash": "dash", "width": 2,
                                          "color": CAPACITY_COLOUR},
                      hovertemplate="%{y:,.0f}<extra></extra>")
    fig = go.Figure([bars, line], layout=base_layout(lang))
    fig.update_layout(
        hovermode="x unified", bargap=0.25, margin={"l": 8, "r": 8, "t": 36, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis={"showgrid": False, "tickformat": "%d/%m"},
        yaxis=count_axis(float(pd.concat([df["doses"], df["capacity"]]).max())))
    return fig


def count_axis(peak: float) -> dict[str, object]:
    """A y axis of whole doses. Left to itself plotly puts ticks at 0.5 steps when a site
    gave a dose or two, which ',.0f' then shows as '0, 1, 1, 2, 2'."""
    axis: dict[str, object] = {"rangemode": "tozero", "tickformat": ",.0f",
                               "gridcolor": "#e6eaee"}
    if pd.isna(peak) or peak <= 10:
        axis["dtick"] = 1
    return axis
