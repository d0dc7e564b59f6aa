"""The QR code of a certificate: level Q, alphanumeric mode, as PNG file and data URI, read back."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from data.certificates.dcc import Dose, add_months, new_uvci, vaccination_dcc
from data.certificates.hc1 import sign_hc1
from data.certificates.keys import KeyStore
from data.certificates.qr import (
    qr_matrix,
    qr_png_bytes,
    qr_png_data_uri,
    read_qr,
)

NOW = dt.datetime(2021, 10, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def hc1(tmp_path_factory: pytest.TempPathFactory) -> str:
    signer = KeyStore(Path(tmp_path_factory.mktemp("k"))).create(NOW)
    dcc = vaccination_dcc("Nguyễn Thị Minh Khai", dt.date(1960, 1, 1),
                          Dose("AZ", 2, 2, dt.date(2021, 9, 1)), new_uvci())
    return sign_hc1(dcc, signer.private_key, signer.kid, "VN", NOW, add_months(NOW, 12))


def test_level_q_and_alphanumeric(hc1: str) -> None:
    png = np.asarray(Image.open(io.BytesIO(qr_png_bytes(hc1, scale=3))).convert("L"))
    (read,) = zxingcpp.read_barcodes(png)
    assert read.text == hc1 and read.ec_level == "Q"
    # A typical DCC: versions 10-20 at level Q in alphanumeric mode (byte mode needs 22+).
    assert 10 <= int(read.extra["Version"]) <= 20
    assert len(qr_matrix(hc1)) == 17 + 4 * int(read.extra["Version"])


def test_png_file_and_data_uri(hc1: str) -> None:
    small = base64.b64decode(qr_png_data_uri(hc1).split(",", 1)[1])  # one pixel a module
    side = len(qr_matrix(hc1)) + 2 * 4
    assert Image.open(io.BytesIO(small)).size == (side, side) and len(small) < 2000
    assert read_qr(small) == hc1
    png = qr_png_data_uri(hc1, scale=3, border=4)
    raw = base64.b64decode(png.split(",", 1)[1])
    assert raw == qr_png_bytes(hc1, scale=3, border=4)
    side = (len(qr_matrix(hc1)) + 2 * 4) * 3
    assert Image.open(io.BytesIO(raw)).size == (side, side)
    assert read_qr(raw) == hc1


def test_only_hc1_text() -> None:
    with pytest.raises(ValueError):
        qr_matrix("https://example.org")


def test_an_image_without_a_code_reads_as_none() -> None:
    blank = io.BytesIO()
    Image.new("L", (120, 120), 255).save(blank, format="PNG")
    assert read_qr(blank.getvalue()) is None
    assert read_qr(b"not an image") is None
