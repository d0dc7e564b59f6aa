"""A citizen's self-report on the operations' AEFI page: in the district's list with the
"self-reported" badge, and its detail says how it came (the channel, the hospital stay)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callbacks.ops.aefi import open_case
from callbacks.ops.aefi_view import list_view
from callbacks.shared import ids
from data.citizen.self_report import record_self_report
from data.services import Services
from data.settings import Settings
from tests.integration.citizen_setup import PERSON, TZ, dose_days_ago, facilities, today
from tests.integration.test_citizen_self_report import DISTRICT


@pytest.fixture
def dose(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    facilities(settings, engine, tmp_path)
    dose_days_ago(engine, "R5", 5)


def _text(component: object) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def test_the_ops_list_and_detail_mark_a_self_report(services: Services, dose: None) -> None:
    mild = record_self_report(services, PERSON, "R5", today(), ["FEVER"], tz=TZ)
    options, info = list_view(services, DISTRICT, "vi", "REPORTED")
    assert [o["value"] for o in options] == [mild.report_id]
    assert "Tự báo cáo" in _text(options[0]["label"])
    detail, form, case = open_case(services, DISTRICT, "en", mild.report_id,
                                   dt.date.today())
    shown = _text(detail)
    assert case == mild.report_id and "Self-reported" in shown
    assert "Reported by the vaccinated person through the public portal" in shown
    assert "fever" in shown
    # The district officer gets the investigation form for it.
    assert ids.OPS_AEFI_INV_DATE in _text(form)
    serious = record_self_report(services, PERSON, "R5", today(), [], "khó thở",
                                 hospitalised=True, channel="app", tz=TZ)
    detail, _form, _case = open_case(services, DISTRICT, "vi", serious.report_id,
                                     dt.date.today())
    assert "ứng dụng sổ sức khỏe · đã nhập viện" in _text(detail)
