"""Figure builders of the progress page's breakdowns and targets (pure: DataFrames in)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from callbacks.mcc import coverage_marks as cm
from callbacks.mcc.figures import empty_figure
from callbacks.mcc.figures_stock import base_layout
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import N_, fmt_int, fmt_pct, norm_lang, t
from callbacks.shared.plot_text import plain, plain_all
from data import catalog

SERIES_COLOURS: dict[str, str] = {"dose1": "#1e8a7a", "fully": "#2f7d32", "booster": "#e08e2b"}
VACCINE_COLOURS = ["#1d5f8a", "#1e8a7a", "#e08e2b", "#7fb3d5", "#b3261e", "#6d5ba8",
                   "#8a99a8", "#2f7d32"]
TARGET_COLOUR, BELOW_COLOUR, REACHED_COLOUR = "#b3261e", "#7fb3d5", "#2f7d32"
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}


def _is_empty(df: pd.DataFrame, col: str = "doses") -> bool:
    return df.empty or col not in df or not df[col].fillna(0).any()


def group_labels(df: pd.DataFrame, by: str, lang: str | None) -> list[str]:
    """Category labels of a coverage-by-group table: priority group, age band or sex (as
    plotly text)."""
    if by == "priority_group":
        names = catalog.PRIORITY_GROUPS
        return plain_all(names.get(int(g), {}).get(norm_lang(lang), str(g)) for g in df[by])
    if by == "sex":
        return plain_all(code_text("sex", s, lang) for s in df[by])
    return plain_all(df[by])


def _layout(fig: go.Figure, y_title: str, **extra: object) -> go.Figure:
    fig.update_layout(barmode="group", bargap=0.25, hovermode="closest", legend=LEGEND,
                      margin={"l": 8, "r": 8, "t": 36, "b": 8},
                      xaxis={"type": "category", "showgrid": False},
                      yaxis={"title": {"text": y_title}, "gridcolor": "#e6eaee",
                             "rangemode": "tozero", "tickformat": ",.0f"}, **extra)
    return fig


# Series names of the people chart: boosters are counted as doses (first and second of one
# person are two), so their name says so.
PEOPLE_SERIES: dict[str, str] = {"dose1": N_("progress.series.dose1"),
                                 "fully": N_("progress.series.fully"),
                                 "booster": N_("progress.series.booster_doses")}


def people_figure(groups: pd.DataFrame, by: str, lang: str | None) -> go.Figure:
    """People with ≥ 1 dose and fully vaccinated, and booster doses, per category (no
    denominators)."""
    if _is_empty(groups):
        return empty_figure(t("chart.empty", lang), lang)
    labels = group_labels(groups, by, lang)
    fig = go.Figure(layout=base_layout(lang))
    for col, colour in SERIES_COLOURS.items():
        fig.add_trace(go.Bar(x=labels, y=groups[col], name=t(PEOPLE_SERIES[col], lang),
                             meta=col, marker={"color": colour},
                             hovertemplate="%{x}: <b>%{y:,.0f}</b><extra>%{fullData.name}"
                                           "</extra>"))
    return _layout(fig, t("progress.axis.people_doses", lang))


def age_figure(ages: pd.DataFrame, lang: str | None) -> go.Figure:
    """≥ 1 dose and fully vaccinated as % of each age band's population (labels carry it)."""
    if _is_empty(ages):
        return empty_figure(t("chart.empty", lang), lang)
    order = {band: i for i, band, _lo, _hi in catalog.AGE_BANDS}  # youngest first
    ages = ages.sort_values("age_band", key=lambda s: s.map(order)).reset_index(drop=True)
    pops = ages["population"]
    labels = [f"{plain(band)}<br>{t('progress.population', lang, n=fmt_int(p, lang))}"
              if pd.notna(p) else f"{plain(band)}<br>{t('progress.no_population', lang)}"
              for band, p in zip(ages["age_band"], pops, strict=True)]
    fig = go.Figure(layout=base_layout(lang))
    for col in ("dose1", "fully"):
        custom = [[fmt_int(n, lang), fmt_int(p, lang) if pd.notna(p) else "—"]
                  for n, p in zip(ages[col], pops, strict=True)]
        pcts = ages[f"pct_{col}"]
        custom = [[*c, cm.MARK if cm.is_over(v) else ""]
                  for c, v in zip(custom, pcts, strict=True)]
        fig.add_trace(go.Bar(x=labels, y=pcts, meta=f"pct_{col}",
                             name=code_text("progress.series", col, lang), customdata=custom,
                             marker={"color": SERIES_COLOURS[col],
                                     "pattern": cm.bar_pattern(pcts)},
                             hovertemplate="<b>%{y:,.1f}%%{customdata[2]}</b> · "
                                           "%{customdata[0]} / %{customdata[1]}"
                                           "<extra>%{fullData.name}</extra>"))
    fig = _layout(fig, t("progress.axis.pct", lang))
    fig.update_yaxes(tickformat=",.0f", ticksuffix="%")
    return cm.mark_figure(fig, [*ages["pct_dose1"], *ages["pct_fully"]], lang)


# Slices under this share of all doses join one 'other' slice; slices under LABEL_SHARE
# carry no text on the donut (the legend names every slice). Labels of thin slices were drawn
# outside the ring and overlapped, and one had none.
OTHER_SHARE, LABEL_SHARE = 0.02, 0.05
OTHER = "other"


def vaccine_slices(vaccines: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The donut's slices, largest first: code, name (hover) and doses, with the products
    under OTHER_SHARE of all doses summed into one last slice named after them."""
    names = {v.code: v.name for v in catalog.VACCINES}
    df = vaccines[vaccines["doses"] > 0].sort_values("doses", ascending=False)
    small = df["doses"] < OTHER_SHARE * df["doses"].sum()
    rows = pd.DataFrame({"code": df.loc[~small, "vaccine_code"],
                         "name": df.loc[~small, "vaccine_code"].map(lambda c: names.get(c, c)),
                         "doses": df.loc[~small, "doses"]})
    if small.sum() > 1:
        rest = df[small]
        rows = pd.concat([rows, pd.DataFrame([{
            "code": OTHER, "name": ", ".join(f"{c} · {names.get(c, c)}"
                                             for c in rest["vaccine_code"]),
            "doses": int(rest["doses"].sum())}])], ignore_index=True)
    elif small.any():  # one small product: its own slice, not an 'other' of one
        rest = df[small]
        rows = pd.concat([rows, pd.DataFrame({
            "code": rest["vaccine_code"], "name": rest["vaccine_code"].map(
                lambda c: names.get(c, c)), "doses": rest["doses"]})], ignore_index=True)
    return rows.reset_index(drop=True)


def vaccine_share_figure(vaccines: pd.DataFrame, lang: str | None) -> go.Figure:
    """Doses by vaccine as a share of all doses (a donut; the legend names the slices)."""
    if _is_empty(vaccines):
        return empty_figure(t("chart.empty", lang), lang)
    rows = vaccine_slices(vaccines, lang)
    share = rows["doses"] / rows["doses"].sum()
    labels = [t("progress.vaccine.other", lang) if c == OTHER else plain(c) for c in rows["code"]]
    fig = go.Figure(go.Pie(
        labels=labels, values=rows["doses"], hole=0.55, sort=False, direction="clockwise",
        customdata=plain_all(rows["name"]), meta="doses",
        marker={"colors": VACCINE_COLOURS[: len(rows)]}, textposition="inside",
        texttemplate=["%{percent}" if s >= LABEL_SHARE else "" for s in share],
        insidetextorientation="horizontal",
        hovertemplate="%{label} · %{customdata}: <b>%{value:,.0f}</b> (%{percent})"
                      "<extra></extra>",
    ), layout=base_layout(lang))
    fig.update_layout(showlegend=True, margin={"l": 8, "r": 8, "t": 8, "b": 8},
                      legend={"orientation": "v", "x": 1.0, "xanchor": "left", "y": 0.5,
                              "yanchor": "middle"})
    return fig


def dropout_figure(dropout: pd.DataFrame, lang: str | None) -> go.Figure:
    """Dose-2 drop-out (%) of each two-dose product, with its dose 1 and dose 2 counts."""
    if _is_empty(dropout, "dose1"):
        return empty_figure(t("chart.empty", lang), lang)
    custom = [[fmt_int(a, lang), fmt_int(b, lang)]
              for a, b in zip(dropout["dose1"], dropout["dose2"], strict=True)]
    fig = go.Figure(go.Bar(
        x=plain_all(dropout["vaccine_code"]), y=dropout["dropout_pct"], meta="dropout_pct",
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
               t("progress.target.reached", lang) if g <= 0 else fmt_int(g, lang),
               cm.MARK if cm.is_over(pct) else ""]
              for v, p, g, pct in zip(rows["vaccinated"], rows["population"], rows["gap"],
                                      rows["pct"], strict=True)]
    fig = go.Figure(go.Bar(
        x=plain_all(rows["province_name"]), y=rows["pct"], meta="pct", customdata=custom,
        showlegend=False,
        marker={"color": [REACHED_COLOUR if r else BELOW_COLOUR for r in reached],
                "pattern": cm.bar_pattern(rows["pct"])},
        hovertemplate="%{x}: <b>%{y:,.1f}%%{customdata[3]}</b> · %{customdata[0]} / "
                      "%{customdata[1]}<br>" + t("progress.target.kpi.gap", lang)
                      + ": %{customdata[2]}<extra></extra>",
    ), layout=base_layout(lang))
    # The legend names the colours and the target line: a label on the line itself sat on
    # the bars (lowest provinces first, so the line crosses them at the left).
    line = {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}
    for name, marker, mode in (
            (t("progress.target.legend.reached", lang), {"color": REACHED_COLOUR}, "markers"),
            (t("progress.target.legend.below", lang), {"color": BELOW_COLOUR}, "markers"),
            (t("progress.target.line", lang, pct=fmt_pct(target_pct, lang, 0)), None, "lines")):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], name=name, mode=mode, hoverinfo="skip",
            marker={**(marker or {}), "symbol": "square", "size": 12},
            line=line if mode == "lines" else None))
    fig = _layout(fig, t("progress.axis.pct", lang), showlegend=True)
    fig.update_yaxes(ticksuffix="%", range=[0, max(100.0, float(rows["pct"].max()) * 1.02)])
    fig.add_hline(y=target_pct, line=line)
    return cm.mark_figure(fig, rows["pct"], lang)


def district_figure(df: pd.DataFrame, metric: str, lang: str | None) -> go.Figure:
    """Districts of one province ranked by `metric` (a coverage %), lowest at the bottom;
    districts without a population figure have no bar (the page lists them)."""
    rows = df[df[metric].notna()].sort_values(metric)
    if rows.empty:
        return empty_figure(t("chart.empty", lang), lang)
    series = metric.removeprefix("pct_")
    custom = [[fmt_int(n, lang), fmt_int(p, lang), cm.MARK if cm.is_over(v) else ""]
              for n, p, v in zip(rows[series], rows["population"], rows[metric], strict=True)]
    fig = go.Figure(go.Bar(
        y=[plain(f"{n} ({c})") for n, c in zip(rows["district_name"], rows["district_code"],
                                               strict=True)],
        x=rows[metric], orientation="h", meta=list(rows["district_code"]), customdata=custom,
        marker={"color": SERIES_COLOURS.get(series, BELOW_COLOUR),
                "pattern": cm.bar_pattern(rows[metric])},
        hovertemplate="%{y}: <b>%{x:,.1f}%%{customdata[2]}</b> · %{customdata[0]} / "
                      "%{customdata[1]}<extra></extra>",
    ), layout=base_layout(lang))
    fig.update_layout(showlegend=False, bargap=0.2, hovermode="closest",
                      height=max(320, 22 * len(rows) + 60),
                      margin={"l": 8, "r": 8, "t": 8, "b": 8},
                      xaxis={"title": {"text": t("progress.axis.pct", lang)}, "ticksuffix": "%",
                             "gridcolor": "#e6eaee", "rangemode": "tozero"},
                      yaxis={"type": "category", "automargin": True})
    return cm.mark_figure(fig, rows[metric], lang, axis="x")
