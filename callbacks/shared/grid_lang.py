"""Glue that rebuilds the grids in the user's language (the texts: callbacks.shared.grid_locale)."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State

from callbacks.shared import ids
from data.services import Services


def register(app: dash.Dash, services: Services) -> None:
    """Rebuild every grid on the page in the user's language: when the page arrives (its
    layout is Vietnamese) and when the language changes (assets/grid_lang.js)."""
    app.clientside_callback(
        ClientsideFunction(namespace="vx", function_name="gridsInLanguage"),
        Output({"type": ids.GRID_BOX, "grid": ALL}, "children"),
        Input(ids.SHELL_LANG, "data"),
        Input({"type": ids.GRID_BOX, "grid": ALL}, "id"),
        State(ids.SHELL_GRID_TEXT, "data"),
        State({"type": ids.GRID_BOX, "grid": ALL}, "children"),
    )
