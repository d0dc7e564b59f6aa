"""The QR code of a certificate (hcert spec, Volume 1, 4.1: QR, error correction Q; the
Base45 text fits QR's alphanumeric mode), as a PNG (file or data URI) a page or a PDF embeds,
and the reading of a QR image.

zxing-cpp encodes the symbol, with the ISO/IEC 18004 mask selection in C++: about 3 ms for a
certificate, where segno's pure-Python mask search took 55-125 ms, most of a portal look-up's
time (BENCHMARKS.md, "The portal under a crowd"). Pillow writes the PNG.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import zxingcpp
from PIL import Image

from data.certificates.hc1 import PREFIX


def qr_matrix(hc1: str) -> np.ndarray:
    """The symbol's modules (True = dark), without the quiet zone: level Q exactly (not raised
    to a higher level: a smaller symbol, as the spec sizes it)."""
    if not hc1.startswith(PREFIX):
        raise ValueError("not an HC1 text")
    symbol = zxingcpp.create_barcode(hc1, zxingcpp.BarcodeFormat.QRCode, ec_level="Q")
    return np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) == 0


def qr_png_bytes(hc1: str, scale: int = 4, border: int = 4) -> bytes:
    """The PNG file's bytes: black modules of `scale` pixels on white, with a quiet zone of
    `border` modules (the standard asks for 4)."""
    modules = np.pad(qr_matrix(hc1), border, constant_values=False)
    pixels = np.kron(modules, np.ones((scale, scale), dtype=bool)) if scale > 1 else modules
    buf = io.BytesIO()
    Image.fromarray(~pixels).save(buf, format="PNG")  # mode "1": white is True
    return buf.getvalue()


def qr_png_data_uri(hc1: str, scale: int = 1, border: int = 4) -> str:
    """A PNG `data:` URI. At one pixel a module it is about 1 KB; the page draws it large with
    CSS `image-rendering: pixelated`, so it stays sharp at any size."""
    return "data:image/png;base64," + base64.b64encode(qr_png_bytes(hc1, scale, border)).decode()


def read_qr(image: bytes) -> str | None:
    """The text of the QR code in an image file (PNG, JPEG...), None when none is found."""
    try:
        picture = Image.open(io.BytesIO(image)).convert("L")
    except (OSError, ValueError):
        return None
    found = zxingcpp.read_barcodes(np.asarray(picture), formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None
