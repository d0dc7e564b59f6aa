"""Table builders of the command-center pages: DataFrames in, AG Grid columns and rows out.

Pure. Numbers stay numbers (so columns sort numerically); the grid formats them per language
with the browser's Intl (vi 1.234.567, en 1,234,567). dash-ag-grid parses these expressions
itself, so no eval is needed under the Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from callbacks.shared import grid_locale
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import norm_lang, t

LOCALES = {"vi": "vi-VN", "en": "en-GB"}


def _fmt_number(lang: str | None, digits: int) -> dict[str, str]:
    locale = LOCALES[norm_lang(lang)]
    return {"function": f"params.value == null ? '—' : params.value.toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}})"}


def _fmt_date(lang: str | None) -> dict[str, str]:
    if norm_lang(lang) == "vi":
        return {"function": "params.value ? params.value.split('-').reverse().join('/') : '—'"}
    return {"function": "params.value ? params.value : '—'"}


def column(field: str, key: str, lang: str | None, kind: str = "text",
           digits: int = 0, **extra: Any) -> dict[str, Any]:
    """One column: kind 'text', 'number' (with `digits` decimals) or 'date'."""
    col: dict[str, Any] = {"field": field, "headerName": t(key, lang), **extra}
    if kind == "number":
        col |= {"type": "rightAligned", "valueFormatter": _fmt_number(lang, digits),
                "filter": "agNumberColumnFilter"}
    elif kind == "date":
        col |= {"valueFormatter": _fmt_date(lang)}
    return col


def named(level: str, key: str, lang: str | None, **extra: Any) -> dict[str, Any]:
    """A place or facility column (`level`: province, district, facility) that shows the name
    (`<level>_name`, the code where no name is known) and name and code in its tooltip.

    Rows must carry both `<level>_name` and `<level>_code`.
    """
    code, name = f"{level}_code", f"{level}_name"
    tip = json.dumps(t("col.code_tip", lang) + " ", ensure_ascii=False)
    return column(name, key, lang, **extra) | {
        "valueGetter": {"function": f"params.data ? (params.data.{name} || "
                                    f"params.data.{code} || null) : null"},
        # The whole name too: a long one ("Trung tâm Y tế Quận ...") is cut in the cell.
        "tooltipValueGetter": {"function": f"params.data && params.data.{code} ? "
                                           f"(params.data.{name} ? params.data.{name} + ' · ' "
                                           f": '') + {tip} + params.data.{code} : null"},
    }


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def rows(df: pd.DataFrame, fields: Iterable[str],
         labels: Mapping[str, Mapping[Any, str]] | None = None) -> list[dict[str, Any]]:
    """Records of `fields`, JSON-ready; `labels` maps a field's codes to display text."""
    labels = labels or {}
    out: list[dict[str, Any]] = []
    for record in df.to_dict("records"):
        row = {}
        for f in fields:
            value = _cell(record.get(f))
            row[f] = labels[f].get(value, value) if f in labels and value is not None else value
        out.append(row)
    return out


def coded(prefix: str, values: Iterable[Any], lang: str | None) -> dict[Any, str]:
    """Display text of codes through the string keys `prefix.<code>` (a code without a
    string shows as itself)."""
    return {v: code_text(prefix, v, lang) for v in values}


def grid_options(lang: str | None) -> dict[str, Any]:
    """Grid options in `lang`: AG Grid's pager, overlay and filter texts among them, and
    tooltips (the codes behind names) after 0.4 s, not AG Grid's 2 s."""
    return grid_locale.grid_options(lang) | {"tooltipShowDelay": 400}
