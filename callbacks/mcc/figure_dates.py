"""Date axes that read in the UI language.

Plotly names months in English unless a locale is registered in the browser (plotly.js keeps
them in separate locale scripts, which neither plotly nor dash ship). Vietnamese readers write
dates as numbers (19/10/2021, 10/2021), so in Vietnamese the ticks and hover labels are numeric
and need no month names at all; English keeps Plotly's month abbreviations.
"""

from __future__ import annotations

from typing import Any

from callbacks.shared.i18n import norm_lang

_DAY_MS = 86_400_000
_MONTH_MS = 28 * _DAY_MS  # below a month apart, ticks are days
_YEAR_MS = 365 * _DAY_MS

# Tick label by distance between ticks (Plotly's dtickrange, in milliseconds).
_VI_STOPS: list[dict[str, Any]] = [
    {"dtickrange": [None, _DAY_MS], "value": "%H:%M<br>%d/%m"},
    {"dtickrange": [_DAY_MS, _MONTH_MS], "value": "%d/%m"},
    {"dtickrange": [_MONTH_MS, _YEAR_MS], "value": "%m/%Y"},
    {"dtickrange": [_YEAR_MS, None], "value": "%Y"},
]
HOVER_DAY: dict[str, str] = {"vi": "%d/%m/%Y", "en": "%d %b %Y"}


def date_axis(lang: str | None, **extra: Any) -> dict[str, Any]:
    """Layout of a date x-axis in `lang`: numeric ticks and hover dates in Vietnamese."""
    lang = norm_lang(lang)
    axis: dict[str, Any] = {"type": "date", "hoverformat": HOVER_DAY[lang]}
    if lang == "vi":
        axis["tickformatstops"] = _VI_STOPS
    return axis | extra
