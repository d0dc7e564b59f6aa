"""Answers given as dicts (callbacks.shared.json_ready) reach the browser exactly as the
components would, and orjson encodes them at once (no component object left anywhere)."""

from __future__ import annotations

import datetime as dt
import json

import orjson
from dash._utils import to_json

from callbacks.portal import certificate_view
from callbacks.portal.register import result_block
from callbacks.shared.json_ready import as_dicts
from data.portal.certificate_lookup import Dose, PersonRecord


def _card() -> object:
    first = dt.date(2021, 8, 1)
    doses = tuple(Dose("AZ", "Vaxzevria (AstraZeneca)", first + dt.timedelta(days=28 * i),
                       i + 1, "PRIMARY" if i < 2 else "BOOSTER", "Trạm y tế phường Kim Mã")
                  for i in range(3))
    record = PersonRecord("001090012345", "Nguyễn Văn An", dt.date(1990, 1, 2), doses)
    return certificate_view.certificate(record, "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23",
                                        "02/01/2023", "en")


def test_the_dicts_encode_as_the_components_do() -> None:
    for answer in (_card(), result_block("DK0123ABCD", "vi"), "text", None,
                   [certificate_view.not_found("vi"), 3]):
        assert json.loads(to_json({"response": as_dicts(answer)})) == json.loads(
            to_json({"response": answer}))


def test_orjson_encodes_the_card_at_once() -> None:
    card = as_dicts(_card())
    text = orjson.dumps(card).decode()  # TypeError if any component were left
    assert "Trạm y tế phường Kim Mã" in text and '"data-hc1":"HC1:6BFOXN' in text
    assert card["type"] == "Div" and card["namespace"] == "dash_html_components"
