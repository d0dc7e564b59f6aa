"""Every /aefi callback answers for every province, those without any AEFI report included.

Issue 10, defect 2: 20 of 63 provinces (every one without reports, and `?province=00`) gave a
500 from the 2x2 term table; the KPIs, signals, lots and the 'signals' CSV all went down.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from sqlalchemy import Engine

from callbacks.shared import ids
from data import admin_units
from data.settings import Settings
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_pages import LANG, VERSION, _in, call

CHARTS = [(ids.AEFI_KPIS, "children"), (ids.AEFI_RATES, "figure"),
          (ids.AEFI_RATES_NOTE, "children"), (ids.AEFI_SERIOUS, "figure"),
          (ids.AEFI_UPDATED, "children")]
SAFETY = [(ids.AEFI_SIGNALS, "columnDefs"), (ids.AEFI_SIGNALS, "rowData"),
          (ids.AEFI_SIGNALS, "dashGridOptions"), (ids.AEFI_LOTS, "columnDefs"),
          (ids.AEFI_LOTS, "rowData"), (ids.AEFI_LOTS, "dashGridOptions")]


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from campaign_app(settings, engine, tmp_path)


def test_every_province_and_an_unknown_code_answer(app: dash.Dash) -> None:
    client, token = client_for(app, "bo.yte", "/aefi")
    codes = [*sorted(admin_units.provinces()), "00"]
    assert len(codes) == 64
    failed = []
    for code in codes:
        filters = [_in(ids.AEFI_AS_OF, "date", None), _in(ids.AEFI_VACCINE, "value", ""),
                   _in(ids.AEFI_PROVINCE, "value", code)]
        charts = call(client, token, CHARTS, [
            VERSION, LANG, *filters, _in(ids.AEFI_RATES_BY, "value", "vaccine"),
            _in(ids.AEFI_SERIOUS_BY, "value", "outcome")])
        safety = call(client, token, SAFETY, [VERSION, LANG, *filters])
        download = call(client, token, [(ids.AEFI_DOWNLOAD, "data")],
                        [[{"id": {"type": ids.MCC_DOWNLOAD, "page": "aefi", "chart": "signals"},
                           "property": "n_clicks", "value": 1}]],
                        [{"id": i, "property": p, "value": v} for i, p, v in (
                            (ids.AEFI_AS_OF, "date", None), (ids.AEFI_VACCINE, "value", ""),
                            (ids.AEFI_PROVINCE, "value", code),
                            (ids.AEFI_RATES_BY, "value", "vaccine"))],
                        ['{"chart":"signals","page":"aefi","type":"mcc-download"}.n_clicks'])
        statuses = (charts.status_code, safety.status_code, download.status_code)
        if statuses != (200, 200, 200):
            failed.append((code, statuses))
    assert failed == []
