"""The QR code of a certificate (hcert spec, Volume 1, 4.1: QR, error correction Q; the
Base45 text fits QR's alphanumeric mode), as data URIs a page or a PDF embeds."""

from __future__ import annotations

import io

import segno

from data.certificates.hc1 import PREFIX


def qr_code(hc1: str) -> segno.QRCode:
    """The QR symbol: level Q exactly (not boosted: a smaller symbol, as the spec sizes it)."""
    if not hc1.startswith(PREFIX):
        raise ValueError("not an HC1 text")
    return segno.make_qr(hc1, error="q", boost_error=False)


def qr_svg_data_uri(hc1: str, scale: int = 4, border: int = 4) -> str:
    """An SVG `data:` URI (scales without blur on screens)."""
    return qr_code(hc1).svg_data_uri(scale=scale, border=border)


def qr_png_data_uri(hc1: str, scale: int = 4, border: int = 4) -> str:
    """A PNG `data:` URI (for PDFs and places that take no SVG)."""
    return qr_code(hc1).png_data_uri(scale=scale, border=border)


def qr_png_bytes(hc1: str, scale: int = 4, border: int = 4) -> bytes:
    """The PNG file's bytes."""
    buf = io.BytesIO()
    qr_code(hc1).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()
