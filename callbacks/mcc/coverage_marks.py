"""Coverage above 100%: a marker on the number and a note saying why (pure).

Registries do report more vaccinated residents than the population estimate holds: the
estimate is older than the doses (people moved in, or were registered where they now live,
after it was made). Such a figure is not an error to hide nor a fact to show plainly, so every
coverage percentage above 100 carries "*" and the note, in charts, grids and KPI cards.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from callbacks.shared.i18n import fmt_pct, t

FULL = 100.0
MARK = "*"
NOTE_COLOUR = "#52606d"


def is_over(value: Any) -> bool:
    """Whether a coverage percentage exceeds 100 (missing values do not)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return not math.isnan(number) and number > FULL


def any_over(values: Iterable[Any]) -> bool:
    """Whether any of the percentages exceeds 100."""
    return any(is_over(v) for v in values)


def fmt_coverage(value: float | None, lang: str | None, digits: int = 1) -> str:
    """A coverage percentage, marked '*' above 100 (vi '120,3%*')."""
    text = fmt_pct(value, lang, digits)
    return text + MARK if is_over(value) else text


def note(lang: str | None) -> str:
    """The short note that explains the marker."""
    return t("coverage.over.note", lang)


def bar_pattern(values: Iterable[Any]) -> dict[str, Any]:
    """marker.pattern of a bar trace: bars above 100% hatched, the others plain."""
    # 'overlay': white hatching over the bar's own colour ('replace', plotly's default, drew
    # white hatching on nothing, and the bar vanished).
    return {"shape": ["/" if is_over(v) else "" for v in values], "fillmode": "overlay",
            "fgcolor": "#ffffff", "size": 6, "solidity": 0.35}


def mark_figure(fig: go.Figure, values: Iterable[Any], lang: str | None,
                axis: str = "y") -> go.Figure:
    """Hatch nothing by itself; when any value exceeds 100, draw the 100% line and the note
    (top right, above the plot; its hover text gives the whole reason)."""
    if not any_over(values):
        return fig
    line = {"color": NOTE_COLOUR, "width": 1, "dash": "dot"}
    if axis == "x":
        fig.add_vline(x=FULL, line=line)
    else:
        fig.add_hline(y=FULL, line=line)
    # Above the legend's line (which sits on top of the plot), so the two never overlap.
    fig.add_annotation(text=f"{MARK} {note(lang)}", hovertext=t("coverage.over.why", lang),
                       showarrow=False, xref="paper", yref="paper", x=1.0, y=1.0, yshift=24,
                       xanchor="right", yanchor="bottom", font={"size": 11, "color": NOTE_COLOUR},
                       name="over-100")
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 8
    fig.update_layout(margin={"t": max(top, 60)})
    return fig


def mark_column(col: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """An AG Grid number column of coverage percentages whose cells above 100 end in '*'
    (the header's tooltip gives the note)."""
    shown = col["valueFormatter"]["function"]
    return col | {
        "valueFormatter": {"function": f"({shown}) + (params.value > {FULL:g} ? '{MARK}' : '')"},
        "cellClassRules": {"coverage-over": f"params.value > {FULL:g}"},
        "headerTooltip": f"{MARK} {note(lang)}",
    }
