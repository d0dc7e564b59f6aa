"""Figure builders: DataFrames in, plotly figures (or patches) out. Pure: no I/O."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from dash import Patch

from callbacks.mcc.coverage_marks import MARK, fmt_coverage, is_over
from callbacks.mcc.coverage_marks import note as over_note
from callbacks.mcc.figure_dates import date_axis
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import MAP_METRICS, fmt_int, norm_lang, plotly_separators, t
from callbacks.shared.plot_text import plain

DOSE_KIND_ORDER: tuple[str, ...] = ("PRIMARY", "ADDITIONAL", "BOOSTER")
KIND_COLOURS: dict[str, str] = {"PRIMARY": "#1d5f8a", "ADDITIONAL": "#7fb3d5", "BOOSTER": "#e08e2b"}
AVG_COLOUR = "#b3261e"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial"
COVERAGE_SCALE: list[list[Any]] = [
    [0.0, "#f4f1e8"], [0.25, "#d4e8c9"], [0.5, "#8cc6a0"], [0.75, "#3a9a7a"], [1.0, "#0b5345"],
]
# A MapLibre style that fetches nothing from the internet. Its one source is an empty inline
# GeoJSON because plotly prunes an empty "sources" object on relayout, and MapLibre then rejects
# the style ("missing required property sources"). The sea is transparent: the map's box paints
# it (assets/app.css, and a dark sea in wall mode) with no second figure per theme.
BLANK_MAP_STYLE: dict[str, Any] = {
    "version": 8,
    "sources": {"none": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "sea", "type": "background",
                "paint": {"background-color": "rgba(0,0,0,0)"}}],
}
# Centre and zoom that frame the mainland (102.1-109.5E) and the Hoàng Sa / Trường Sa
# archipelagos (to 117E), which belong to Đà Nẵng (48) and Khánh Hòa (56).
VIETNAM_CENTER: dict[str, float] = {"lat": 15.8, "lon": 109.4}
VIETNAM_ZOOM = 4.1
ARCHIPELAGO_MIN_LON = 109.6  # island parts of a province lying east of the mainland coast
# The archipelagos have no population figure of their own: grey, as a map colours missing
# data, never a colour of the scale (the dark teal they had read as the highest coverage).
ISLAND_COLOUR = "#9aa5b1"
MAP_HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>%{customdata[3]}"
             "%{customdata[4]}")


@functools.cache
def light_template() -> dict[str, Any]:
    """plotly_white's layout without its per-trace-type defaults.

    Every figure deep-copies its template: the whole of plotly_white makes that ~10 ms of
    each figure built and ~10 KB of each figure sent; our traces set their own styles.
    """
    return {"layout": pio.templates["plotly_white"].layout.to_plotly_json()}


def _base_layout(lang: str | None) -> dict[str, Any]:
    return {
        "template": light_template(),
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "separators": plotly_separators(lang),
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }


def empty_figure(message: str, lang: str | None) -> go.Figure:
    """A blank figure carrying a centred message (no data yet), shown as plain text: some
    messages name a province."""
    fig = go.Figure(layout=_base_layout(lang))
    fig.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": plain(message), "showarrow": False,
                      "font": {"size": 16, "color": "#6b7785"},
                      "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
    )
    return fig


def daily_series(daily: pd.DataFrame) -> pd.DataFrame:
    """Wide table per calendar day: one column per dose kind, total, and 7-day average."""
    if daily.empty:
        return pd.DataFrame(columns=["date", *DOSE_KIND_ORDER, "total", "avg7"])
    wide = daily.pivot_table(
        index="date", columns="dose_kind", values="doses", aggfunc="sum", fill_value=0
    ).rename_axis(columns=None)
    days = pd.date_range(wide.index.min(), wide.index.max(), freq="D", name="date")
    wide = wide.reindex(days, fill_value=0)
    for kind in DOSE_KIND_ORDER:
        if kind not in wide.columns:
            wide[kind] = 0
    kinds = [*DOSE_KIND_ORDER, *sorted(set(wide.columns) - set(DOSE_KIND_ORDER))]
    wide = wide[kinds].astype("int64")
    wide["total"] = wide[kinds].sum(axis=1)
    # A 7-day average needs 7 days: the first six days of the campaign have none.
    wide["avg7"] = wide["total"].rolling(7, min_periods=7).mean()
    return wide.reset_index()


def daily_doses_figure(
    daily: pd.DataFrame, kind_labels: Mapping[str, str], lang: str | None
) -> go.Figure:
    """Stacked bars of doses per day by dose kind, with the 7-day average of all doses."""
    wide = daily_series(daily)
    if wide.empty:
        return empty_figure(t("chart.empty", lang), lang)
    fig = go.Figure(layout=_base_layout(lang))
    kinds = [c for c in wide.columns if c not in ("date", "total", "avg7")]
    for kind in kinds:
        if kind not in DOSE_KIND_ORDER and not wide[kind].any():
            continue
        fig.add_trace(go.Bar(
            x=wide["date"], y=wide[kind], name=plain(kind_labels.get(kind, kind)),
            marker={"color": KIND_COLOURS.get(kind, "#8a99a8"), "line": {"width": 0}},
            hovertemplate="%{y:,.0f}", meta=kind,
        ))
    fig.add_trace(go.Scatter(
        x=wide["date"], y=wide["avg7"], name=t("chart.daily.avg7", lang), mode="lines",
        line={"color": AVG_COLOUR, "width": 2.5}, hovertemplate="%{y:,.0f}", meta="avg7",
        connectgaps=False,
    ))
    fig.update_layout(
        barmode="stack", bargap=0.15, hovermode="x unified",
        legend={"orientation": "h", "traceorder": "normal", "yanchor": "bottom", "y": 1.0,
                "xanchor": "left", "x": 0},
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        xaxis=date_axis(lang, showgrid=False),
        yaxis={"title": {"text": t("chart.daily.doses", lang)}, "rangemode": "tozero",
               "tickformat": ",.0f", "gridcolor": "#e6eaee"},
    )
    return fig


@dataclass(frozen=True)
class MapValues:
    """The per-province values of the coverage map: everything but the geometry."""

    locations: list[str]
    z: list[float | None]
    customdata: list[list[str]]
    colorbar_title: str
    separators: str
    island_labels: list[str]


def _cell(row: pd.Series | None, col: str) -> float | None:
    if row is None or col not in row.index or pd.isna(row[col]):
        return None
    number = float(row[col])
    return None if math.isnan(number) else number


def coverage_map_values(
    coverage: pd.DataFrame, geojson: Mapping[str, Any], metric: str, lang: str | None
) -> MapValues:
    """Values for every province of `geojson`, in its feature order, for `metric`."""
    metric = metric if metric in MAP_METRICS else "pct_dose1"
    by_code = coverage.set_index("province_code") if not coverage.empty else None
    name_key = "name" if norm_lang(lang) == "vi" else "name_en"
    locations: list[str] = []
    z: list[float | None] = []
    custom: list[list[str]] = []
    no_data = t("map.no_data", lang)
    for feature in geojson["features"]:
        code = str(feature["id"])
        row = by_code.loc[code] if by_code is not None and code in by_code.index else None
        dose1, fully = _cell(row, "pct_dose1"), _cell(row, "pct_fully")
        locations.append(code)
        z.append(_cell(row, metric))
        custom.append([
            plain(feature["properties"].get(name_key) or feature["properties"].get("name", code)),
            t("map.hover.dose1", lang,
              pct=fmt_coverage(dose1, lang) if dose1 is not None else no_data),
            t("map.hover.fully", lang,
              pct=fmt_coverage(fully, lang) if fully is not None else no_data),
            t("map.hover.doses", lang, n=fmt_int(_cell(row, "doses") or 0, lang)),
            f"<br>{MARK} {over_note(lang)}" if is_over(dose1) or is_over(fully) else "",
        ])
    title = f"{t(MAP_METRICS[metric], lang)}<br>{t('map.colorbar', lang)}"
    labels = island_labels(island_points(geojson), lang)
    return MapValues(locations, z, custom, title, plotly_separators(lang), labels)


def island_points(geojson: Mapping[str, Any]) -> pd.DataFrame:
    """Centroids of the offshore island parts (east of the coast): columns code, lon, lat."""
    rows: list[tuple[str, float, float]] = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            ring = polygon[0]
            lon = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
            if lon >= ARCHIPELAGO_MIN_LON:
                rows.append((str(feature["id"]), lon, lat))
    return pd.DataFrame(rows, columns=["code", "lon", "lat"])


def island_labels(islands: pd.DataFrame, lang: str | None) -> list[str]:
    """Hover label of each island dot: the archipelago and the province it belongs to."""
    return [f"{code_text('map.archipelago', code, lang)}<br>{t('map.island.no_population', lang)}"
            for code in islands["code"]]


def coverage_map_figure(
    geojson: Mapping[str, Any], values: MapValues, attribution: str
) -> go.Figure:
    """The full choropleth, geometry included: sent to the browser once per page visit."""
    trace = go.Choroplethmap(
        geojson=geojson, featureidkey="id", locations=values.locations, z=values.z,
        zmin=0, zmax=100, colorscale=COVERAGE_SCALE, customdata=values.customdata,
        hovertemplate=MAP_HOVER + "<extra></extra>",
        marker={"line": {"width": 0.6, "color": "#ffffff"}, "opacity": 0.95},
        colorbar={"title": {"text": values.colorbar_title, "side": "top"}, "ticksuffix": "%",
                  "thickness": 12, "len": 0.55, "x": 0.99, "xanchor": "right", "y": 0.97,
                  "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)", "outlinewidth": 0},
    )
    # The islands are far smaller than a pixel at this zoom: dots keep them visible.
    islands = island_points(geojson)
    dots = go.Scattermap(
        lon=islands["lon"], lat=islands["lat"], mode="markers", text=values.island_labels,
        marker={"size": 7, "color": ISLAND_COLOUR}, hovertemplate="%{text}<extra></extra>",
        showlegend=False,
    )
    fig = go.Figure([trace, dots])
    fig.update_layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        separators=values.separators, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)", uirevision="progress-map",
        map={"style": BLANK_MAP_STYLE, "center": VIETNAM_CENTER, "zoom": VIETNAM_ZOOM},
        annotations=[{
            "text": attribution, "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0.005, "y": 0.005, "xanchor": "left", "yanchor": "bottom",
            "font": {"size": 10, "color": "#52606d"}, "bgcolor": "rgba(255,255,255,0.75)",
        }],
    )
    return fig


def coverage_map_patch(values: MapValues) -> Patch:
    """A partial update of the choropleth: values, hover and legend only, never the geometry."""
    patch = Patch()
    patch["data"][0]["z"] = values.z
    patch["data"][0]["customdata"] = values.customdata
    patch["data"][0]["colorbar"]["title"]["text"] = values.colorbar_title
    patch["data"][1]["text"] = values.island_labels
    patch["layout"]["separators"] = values.separators
    return patch
