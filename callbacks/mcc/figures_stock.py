"""Figure builders of the allocation and stock page (pure: DataFrames in, figures out)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from callbacks.mcc.figure_dates import date_axis
from callbacks.mcc.figures import (
    BLANK_MAP_STYLE,
    FONT,
    ISLAND_COLOUR,
    VIETNAM_CENTER,
    VIETNAM_ZOOM,
    empty_figure,
    island_labels,
    island_points,
    light_template,
)
from callbacks.mcc.mcc_choices import STOCK_METRICS
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import fmt_int, fmt_number, norm_lang, plotly_separators, t
from callbacks.shared.plot_text import plain

DOSE_SCALE: list[list[Any]] = [[0.0, "#eef4f9"], [0.5, "#6fa8d0"], [1.0, "#0d4f73"]]
# Days of supply: red when a province is about to run out, green when it is well stocked.
DAYS_SCALE: list[list[Any]] = [[0.0, "#b3261e"], [0.25, "#e08e2b"], [0.5, "#f2d27a"],
                               [1.0, "#2f7d32"]]
DAYS_CAP = 60.0
VACCINE_COLOURS = ("#1d5f8a", "#e08e2b", "#2f7d32", "#8e44ad", "#b3261e", "#1e8a7a",
                   "#7f8c8d", "#c0a000", "#5d6d7e")
POINT_COLOUR = "#b3261e"
HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
COLUMNS = ("allocated", "received", "administered", "on_hand", "days_of_supply")


def base_layout(lang: str | None, **extra: Any) -> dict[str, Any]:
    """The common layout of the page's charts."""
    return {"template": light_template(), "separators": plotly_separators(lang),
            "font": {"family": FONT, "size": 13, "color": "#1f2933"},
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8}, "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)", **extra}


def metric_of(metric: str | None) -> str:
    """A known stock metric (on hand by default)."""
    return metric if metric in STOCK_METRICS else "on_hand"


def fmt_metric(value: float | None, metric: str, lang: str | None) -> str:
    """A value of `metric` for people: doses as integers, days with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("stock.no_use", lang) if metric == "days_of_supply" else "—"
    if metric == "days_of_supply":
        return f"{fmt_number(value, lang)} {t('stock.unit.days', lang)}"
    return f"{fmt_int(value, lang)} {t('stock.unit.doses', lang)}"


def summary_lines(row: Mapping[str, Any], lang: str | None) -> str:
    """Every metric of one area, one line each (hover text)."""
    return "<br>".join(f"{t(STOCK_METRICS[m], lang)}: {fmt_metric(row.get(m), m, lang)}"
                       for m in COLUMNS)


@dataclass(frozen=True)
class StockMapValues:
    """Per-province values of the stock map, in the geometry's feature order (no geometry)."""

    z: list[float | None]
    customdata: list[list[str]]
    colorbar_title: str
    colorscale: list[list[Any]]
    zmax: float
    separators: str
    island_labels: list[str]


def _z(value: Any, metric: str) -> float | None:
    if value is None or pd.isna(value):
        return None
    return min(float(value), DAYS_CAP) if metric == "days_of_supply" else float(value)


def stock_map_values(table: pd.DataFrame, geojson: Mapping[str, Any], metric: str | None,
                     lang: str | None) -> StockMapValues:
    """Values of `metric` for every province of `geojson` (stock_by_province columns)."""
    metric = metric_of(metric)
    rows = table.set_index("province_code").to_dict("index") if not table.empty else {}
    name_key = "name" if norm_lang(lang) == "vi" else "name_en"
    z: list[float | None] = []
    custom: list[list[str]] = []
    for feature in geojson["features"]:
        code = str(feature["id"])
        row = rows.get(code, {})
        z.append(_z(row.get(metric), metric))
        props = feature["properties"]
        custom.append([plain(props.get(name_key) or props.get("name", code)),
                       summary_lines(row, lang)])
    days = metric == "days_of_supply"
    top = max((v for v in z if v is not None), default=0.0)
    unit = t("stock.unit.days", lang) if days else t("stock.unit.doses", lang)
    return StockMapValues(
        z, custom, f"{t(STOCK_METRICS[metric], lang)}<br>({unit})",
        DAYS_SCALE if days else DOSE_SCALE, DAYS_CAP if days else max(top, 1.0),
        plotly_separators(lang), island_labels(island_points(geojson), lang))


def stock_map_figure(geojson: Mapping[str, Any], values: StockMapValues,
                     attribution: str) -> go.Figure:
    """The full map, geometry included (sent once per visit): provinces, islands, sites."""
    provinces = go.Choroplethmap(
        geojson=geojson, featureidkey="id", locations=[str(f["id"]) for f in geojson["features"]],
        z=values.z, zmin=0, zmax=values.zmax, colorscale=values.colorscale,
        customdata=values.customdata, hovertemplate=HOVER,
        marker={"line": {"width": 0.6, "color": "#ffffff"}, "opacity": 0.95},
        colorbar={"title": {"text": values.colorbar_title, "side": "top"}, "thickness": 12,
                  "len": 0.55, "x": 0.99, "xanchor": "right", "y": 0.97, "yanchor": "top",
                  "bgcolor": "rgba(255,255,255,0.8)", "outlinewidth": 0},
    )
    islands = island_points(geojson)
    dots = go.Scattermap(lon=islands["lon"], lat=islands["lat"], mode="markers",
                         text=values.island_labels, marker={"size": 6, "color": ISLAND_COLOUR},
                         hovertemplate="%{text}<extra></extra>", showlegend=False)
    sites = go.Scattermap(lon=[], lat=[], mode="markers", customdata=[], showlegend=False,
                          hovertemplate=HOVER, marker={"size": 11, "color": POINT_COLOUR})
    fig = go.Figure([provinces, dots, sites])
    fig.update_layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"}, separators=values.separators,
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor="rgba(0,0,0,0)",
        uirevision="national", clickmode="event",
        map={"style": BLANK_MAP_STYLE, "center": VIETNAM_CENTER, "zoom": VIETNAM_ZOOM},
        annotations=[{"text": attribution, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0.005, "y": 0.005, "xanchor": "left", "yanchor": "bottom",
                      "font": {"size": 10, "color": "#52606d"},
                      "bgcolor": "rgba(255,255,255,0.75)"}],
    )
    return fig


def province_view(geojson: Mapping[str, Any], code: str) -> tuple[dict[str, float], float]:
    """Centre and zoom that frame one province's mainland part."""
    feature = next((f for f in geojson["features"] if str(f["id"]) == code), None)
    if feature is None:
        return dict(VIETNAM_CENTER), VIETNAM_ZOOM
    geometry = feature["geometry"]
    polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]])
    points = [p for poly in polygons for p in poly[0]]
    points = [p for p in points if p[0] < 109.6] or points  # leave the archipelagos out
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.05)
    zoom = max(4.0, min(11.0, math.log2(360.0 / span) - 1.3))
    return {"lon": (min(lons) + max(lons)) / 2, "lat": (min(lats) + max(lats)) / 2}, zoom


def _code_label(prefix: str, code: Any, lang: str | None) -> str:
    """The display text of a facility kind or status code ('' when missing)."""
    return code_text(prefix, code, lang)


def site_points(points: pd.DataFrame, lang: str | None) -> dict[str, list[Any]]:
    """lon, lat and hover of the facilities with coordinates (facility_points columns)."""
    placed = points.dropna(subset=["latitude", "longitude"]) if not points.empty else points
    custom = [[plain(r["name"]), "<br>".join([
        plain(" · ".join(x for x in (_code_label("facility.kind", r.get("kind"), lang),
                                     _code_label("facility.status", r.get("status"), lang))
                         if x)),
        f"{t('stock.metric.on_hand', lang)}: {fmt_metric(r['on_hand'], 'on_hand', lang)}",
        f"{t('stock.metric.days_of_supply', lang)}: "
        f"{fmt_metric(r['days_of_supply'], 'days_of_supply', lang)}"])]
        for _, r in placed.iterrows()]
    return {"lon": [float(v) for v in placed.get("longitude", [])],
            "lat": [float(v) for v in placed.get("latitude", [])], "customdata": custom}


def stock_map_patch(values: StockMapValues, view: tuple[dict[str, float], float] | None,
                    sites: Mapping[str, list[Any]] | None) -> Patch:
    """Values, legend, sites and view of the map: never the geometry."""
    patch = Patch()
    patch["data"][0]["z"] = values.z
    patch["data"][0]["customdata"] = values.customdata
    patch["data"][0]["zmax"] = values.zmax
    patch["data"][0]["colorscale"] = values.colorscale
    patch["data"][0]["colorbar"]["title"]["text"] = values.colorbar_title
    patch["data"][1]["text"] = values.island_labels
    empty: dict[str, list[Any]] = {"lon": [], "lat": [], "customdata": []}
    for key, items in (sites or empty).items():
        patch["data"][2][key] = items
    center, zoom = view or (dict(VIETNAM_CENTER), VIETNAM_ZOOM)
    patch["layout"]["map"]["center"] = center
    patch["layout"]["map"]["zoom"] = zoom
    # A new revision per view: the map moves to it even after the user panned.
    patch["layout"]["uirevision"] = f"{center['lon']:.3f},{center['lat']:.3f}"
    patch["layout"]["separators"] = values.separators
    return patch


def ranking_figure(table: pd.DataFrame, code_col: str, name_col: str, metric: str | None,
                   lang: str | None, top: int = 25) -> go.Figure:
    """Areas ranked by `metric`, largest first (days of supply: shortest first)."""
    metric = metric_of(metric)
    values = pd.to_numeric(table[metric], errors="coerce") if not table.empty else None
    if values is None or not values.fillna(0).any():  # only zeros or gaps: nothing to rank
        return empty_figure(t("empty.filters", lang), lang)
    days = metric == "days_of_supply"
    df = table.sort_values(metric, ascending=days, na_position="last").head(top)
    labels = [plain(f"{n} ({c})") for c, n in zip(df[code_col], df[name_col], strict=True)]
    custom = [[lbl, summary_lines(r, lang)] for lbl, (_, r) in zip(labels, df.iterrows(),
                                                                    strict=True)]
    bar = go.Bar(x=df[metric].fillna(0), y=labels, orientation="h", customdata=custom,
                 hovertemplate=HOVER, meta=df[code_col].tolist(),
                 marker={"color": "#e08e2b" if days else "#1d5f8a"})
    fig = go.Figure([bar], layout=base_layout(lang))
    fig.update_layout(yaxis={"autorange": "reversed", "automargin": True},
                      xaxis={"title": {"text": t(STOCK_METRICS[metric], lang)},
                             "gridcolor": "#e6eaee", "tickformat": ",.0f"},
                      margin={"l": 8, "r": 16, "t": 8, "b": 8})
    return fig


def decisions_figure(decisions: pd.DataFrame, lang: str | None) -> go.Figure:
    """Cumulative doses allocated per vaccine, one step per decision (decision no., batch)."""
    if decisions.empty:
        return empty_figure(t("empty.filters", lang), lang)
    fig = go.Figure(layout=base_layout(lang))
    for i, (vaccine, df) in enumerate(decisions.groupby("vaccine_code", sort=True)):
        custom = [[plain(r["decision_no"]), plain(r["batch"] or "—"), fmt_int(r["doses"], lang),
                   plain(r.get("recipient_name") or r["recipient_code"]),
                   t("stock.carried.hover", lang, dispatched=fmt_int(r.get("dispatched"), lang),
                     received=fmt_int(r.get("received"), lang),
                     owed=fmt_int(r.get("owed"), lang))]
                  for _, r in df.iterrows()]
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(df["decided_on"]), y=df["cumulative"], name=plain(vaccine),
            mode="lines+markers", line={"shape": "hv", "width": 2.5,
                                        "color": VACCINE_COLOURS[i % len(VACCINE_COLOURS)]},
            customdata=custom, meta=str(vaccine),
            hovertemplate=("<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[3]}: "
                           "+%{customdata[2]}<br>%{customdata[4]}<br>%{y:,.0f}"
                           "<extra>%{fullData.name}</extra>")))
    fig.update_layout(
        hovermode="closest", margin={"l": 8, "r": 8, "t": 36, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis=date_axis(lang, showgrid=False),
        yaxis={"title": {"text": t("stock.decisions.axis", lang)}, "rangemode": "tozero",
               "tickformat": ",.0f", "gridcolor": "#e6eaee"})
    return fig
