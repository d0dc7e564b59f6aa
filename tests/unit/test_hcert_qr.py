"""The QR code of a certificate: level Q, alphanumeric mode, as SVG/PNG data URIs."""

from __future__ import annotations

import base64
import datetime as dt
import io
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from data.certificates.dcc import Dose, add_months, new_uvci, vaccination_dcc
from data.certificates.hc1 import sign_hc1
from data.certificates.keys import KeyStore
from data.certificates.qr import qr_code, qr_png_bytes, qr_png_data_uri, qr_svg_data_uri

NOW = dt.datetime(2021, 10, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def hc1(tmp_path_factory: pytest.TempPathFactory) -> str:
    signer = KeyStore(Path(tmp_path_factory.mktemp("k"))).create(NOW)
    dcc = vaccination_dcc("Nguyễn Thị Minh Khai", dt.date(1960, 1, 1),
                          Dose("AZ", 2, 2, dt.date(2021, 9, 1)), new_uvci())
    return sign_hc1(dcc, signer.private_key, signer.kid, "VN", NOW, add_months(NOW, 12))


def test_level_q_and_alphanumeric(hc1: str) -> None:
    qr = qr_code(hc1)
    assert qr.error == "Q" and qr.mode == "alphanumeric"
    assert 10 <= qr.version <= 20  # a typical DCC: versions 10-15 at level Q


def test_data_uris(hc1: str) -> None:
    svg = qr_svg_data_uri(hc1)
    assert svg.startswith("data:image/svg+xml")
    assert "<svg" in urllib.parse.unquote(svg)
    png = qr_png_data_uri(hc1, scale=3, border=4)
    raw = base64.b64decode(png.split(",", 1)[1])
    assert raw == qr_png_bytes(hc1, scale=3, border=4)
    side = (qr_code(hc1).symbol_size(scale=3, border=4))[0]
    assert Image.open(io.BytesIO(raw)).size == (side, side)


def test_only_hc1_text() -> None:
    with pytest.raises(ValueError):
        qr_code("https://example.org")
