"""The certificate as a PDF to print: A4 (a full page) or A6 (a card for the wallet).

The text is in the page's language with the person's name as recorded, so the PDF embeds a
Unicode TrueType font (DejaVu Sans, vendored under assets/fonts/ with its licence: the core
PDF fonts have no Vietnamese letters, and a fresh machine may have no fonts at all). The QR is
drawn large enough to scan from paper: at least 0.5 mm per module (ICAO's guidance for
printed visible digital seals is 0.4-0.5 mm).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from callbacks.portal.certificate_view import dose_heading
from callbacks.shared.i18n import N_, fmt_date, t
from data.portal.certificate_lookup import PersonRecord, mask_person_id

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class Sheet:
    """The geometry of one paper size (millimetres) and its type sizes (points)."""

    format: str | tuple[float, float]  # fpdf2's name, or (width, height) in mm
    margin: float
    qr_mm: float
    title_pt: float
    text_pt: float
    small_pt: float


SHEETS: dict[str, Sheet] = {
    "A4": Sheet("A4", margin=18, qr_mm=100, title_pt=17, text_pt=11, small_pt=8.5),
    # fpdf2 names A3-A5 but not A6: ISO 216's 105 x 148 mm.
    "A6": Sheet((105, 148), margin=7, qr_mm=62, title_pt=10, text_pt=7.5, small_pt=6),
}


def _text(pdf: FPDF, width: float, height: float, text: str, align: str = "L") -> None:
    # A paragraph that wraps, then the next line starts at the left margin.
    pdf.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def render_pdf(record: PersonRecord, qr_png: bytes, size: str, lang: str | None,
               issued: str) -> bytes:
    """The certificate on one page of `size` (A4 or A6), labels in `lang`."""
    sheet = SHEETS[size]
    pdf = FPDF(orientation="portrait", unit="mm", format=sheet.format)
    pdf.set_margins(sheet.margin, sheet.margin, sheet.margin)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(t("portal.cert.pdf_title", lang))
    pdf.set_creator("COVID-19 vaccination portal")
    pdf.add_page()
    width = pdf.w - 2 * sheet.margin
    line = sheet.text_pt * 0.5
    # A frame round the certificate: it is cut out along it (the A6 card above all).
    pdf.set_draw_color(11, 83, 148)
    pdf.set_line_width(0.4)
    inset = sheet.margin / 2
    pdf.rect(inset, inset, pdf.w - 2 * inset, pdf.h - 2 * inset)

    pdf.set_font(FONT, "B", sheet.title_pt)
    pdf.set_text_color(11, 83, 148)
    _text(pdf, width, sheet.title_pt * 0.5, t("portal.cert.pdf_title", lang), "C")
    pdf.set_text_color(80, 80, 80)
    pdf.set_font(FONT, "", sheet.small_pt)
    _text(pdf, width, sheet.small_pt * 0.5, t("portal.cert.pdf_issuer", lang), "C")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(line * 0.6)
    holder = ((t(N_("portal.cert.full_name"), lang), record.full_name),
              (t(N_("portal.cert.birth_date"), lang), fmt_date(record.birth_date, lang)),
              (t(N_("portal.cert.id_short"), lang), mask_person_id(record.person_id)))
    pdf.set_font(FONT, "", sheet.text_pt)
    labels = max(pdf.get_string_width(name) for name, _ in holder) + line
    for name, value in holder:
        pdf.set_font(FONT, "", sheet.text_pt)
        pdf.cell(labels, line, name)
        pdf.set_font(FONT, "B", sheet.text_pt)
        _text(pdf, width - labels, line, value)

    # The QR takes what the doses and the footer leave, up to the sheet's size.
    below = (len(record.doses) * 3.3 + 3) * line + sheet.small_pt * 1.2
    top = pdf.get_y() + line * 0.4
    side = max(min(sheet.qr_mm, pdf.h - sheet.margin - top - below), sheet.qr_mm * 0.75)
    pdf.image(io.BytesIO(qr_png), x=(pdf.w - side) / 2, y=top, w=side, h=side)
    pdf.set_y(top + side + line * 0.3)
    _doses(pdf, record, sheet, width, lang)
    pdf.set_font(FONT, "", sheet.small_pt)
    pdf.set_text_color(80, 80, 80)
    _text(pdf, width, sheet.small_pt * 0.5, t("portal.cert.pdf_footer", lang, issued=issued),
          "C")
    return bytes(pdf.output())


def _doses(pdf: FPDF, record: PersonRecord, sheet: Sheet, width: float,
           lang: str | None) -> None:
    line = sheet.text_pt * 0.5
    pdf.set_font(FONT, "B", sheet.text_pt)
    _text(pdf, width, line, t("portal.cert.doses", lang))
    for n, dose in enumerate(record.doses, 1):
        pdf.set_font(FONT, "B", sheet.text_pt)
        _text(pdf, width, line, dose_heading(n, dose, lang))
        pdf.set_font(FONT, "", sheet.text_pt)
        _text(pdf, width, line, f"{dose.product}\n{dose.facility}")
        pdf.ln(line * 0.2)
    pdf.ln(line * 0.4)
