"""Every page's layout (and the shell around it) gives each component its own id: two
components with one id get one callback output between them (issue 9: every "Tải CSV" after the
first stayed Vietnamese in English)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import dash

from app import create_app, shell_layout
from data.settings import Settings


def _ids(component: Any) -> list[str]:
    """Every id under `component`, as text (pattern ids as sorted JSON)."""
    found: list[str] = []
    if isinstance(component, list | tuple):
        for child in component:
            found += _ids(child)
        return found
    if not hasattr(component, "to_plotly_json"):
        return found
    cid = getattr(component, "id", None)
    if cid is not None:
        found.append(json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid)
    return found + _ids(getattr(component, "children", None))


def test_no_page_repeats_a_component_id(settings: Settings) -> None:
    app = create_app(settings)
    shell = _ids(shell_layout(settings, "Người dùng", "token"))
    pages = [p for p in dash.page_registry.values() if p["module"].startswith("pages.")]
    assert {"pages.mcc.allocation", "pages.not_found_404", "pages.mcc.reports"} <= {
        p["module"] for p in pages}
    with app.server.test_request_context("/"):
        for page in pages:
            layout = page["layout"]
            ids = shell + _ids(layout() if callable(layout) else layout)
            repeated = [i for i, n in Counter(ids).items() if n > 1]
            assert repeated == [], page["module"]
