"""The QR code of a certificate (hcert spec, Volume 1, 4.1: QR, error correction Q; the
Base45 text fits QR's alphanumeric mode), as data URIs a page or a PDF embeds, and the reading
of a QR image.

zxing-cpp encodes the symbol, with the ISO/IEC 18004 mask selection in C++: about 3 ms for a
certificate, where segno's pure-Python mask search took 55-125 ms, most of a portal look-up's
time (BENCHMARKS.md, "The portal under a crowd"). segno's writers draw the symbol's modules
as SVG or PNG.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import zxingcpp
from PIL import Image
from segno import writers

from data.certificates.hc1 import PREFIX

Matrix = tuple[bytearray, ...]  # rows of modules, 1 = dark (segno's writers' input)


def qr_matrix(hc1: str) -> Matrix:
    """The symbol's modules, without the quiet zone: level Q exactly (not raised to a higher
    level: a smaller symbol, as the spec sizes it)."""
    if not hc1.startswith(PREFIX):
        raise ValueError("not an HC1 text")
    symbol = zxingcpp.create_barcode(hc1, zxingcpp.BarcodeFormat.QRCode, ec_level="Q")
    pixels = np.asarray(symbol.to_image(scale=1, add_quiet_zones=False))
    return tuple(bytearray(row) for row in (pixels == 0).astype(np.uint8))


def qr_svg_data_uri(hc1: str, scale: int = 4, border: int = 4) -> str:
    """An SVG `data:` URI (scales without blur on screens)."""
    matrix = qr_matrix(hc1)
    return writers.as_svg_data_uri(matrix, (len(matrix), len(matrix)), scale=scale,
                                   border=border)


def qr_png_bytes(hc1: str, scale: int = 4, border: int = 4) -> bytes:
    """The PNG file's bytes."""
    matrix = qr_matrix(hc1)
    buf = io.BytesIO()
    writers.write_png(matrix, (len(matrix), len(matrix)), buf, scale=scale, border=border)
    return buf.getvalue()


def qr_png_data_uri(hc1: str, scale: int = 4, border: int = 4) -> str:
    """A PNG `data:` URI (for PDFs and places that take no SVG)."""
    return "data:image/png;base64," + base64.b64encode(qr_png_bytes(hc1, scale, border)).decode()


def read_qr(image: bytes) -> str | None:
    """The text of the QR code in an image file (PNG, JPEG...), None when none is found."""
    try:
        picture = Image.open(io.BytesIO(image)).convert("L")
    except (OSError, ValueError):
        return None
    found = zxingcpp.read_barcodes(np.asarray(picture), formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None
