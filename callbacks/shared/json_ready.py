"""Components as the JSON-ready dicts Dash sends (type, namespace, props).

Dash encodes a callback's answer with plotly's orjson path, which gives up at the first
component object and then walks the whole answer through its generic cleaner; an answer of
plain dicts is encoded by orjson at once (the certificate card: 200 us against 430 us).
"""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component


def as_dicts(value: Any) -> Any:
    """`value` with every component (at any depth of props, lists and tuples) as its dict."""
    if isinstance(value, Component):
        out = value.to_plotly_json()
        out["props"] = {k: as_dicts(v) for k, v in out["props"].items()}
        return out
    if isinstance(value, (list, tuple)):
        return [as_dicts(v) for v in value]
    return value
