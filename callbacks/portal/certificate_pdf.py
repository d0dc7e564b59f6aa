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
    "A4": Sheet("A4", margin=18, qr_mm=90, title_pt=17, text_pt=11, small_pt=8.5),
    # fpdf2 names A3-A5 but not A6: ISO 216's 105 x 148 mm.
    "A6": Sheet((105, 148), margin=7, qr_mm=62, title_pt=10, text_pt=7.5, small_pt=6),
}


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

    pdf.set_font(FONT, "B", sheet.title_pt)
    pdf.set_text_color(11, 83, 148)
    pdf.multi_cell(width, sheet.title_pt * 0.5, t("portal.cert.pdf_title", lang), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", sheet.small_pt)
    pdf.multi_cell(width, sheet.small_pt * 0.5, t("portal.cert.pdf_issuer", lang), align="C")
    pdf.ln(line * 0.6)

    for key, value in ((N_("portal.cert.full_name"), record.full_name),
                       (N_("portal.cert.birth_date"), fmt_date(record.birth_date, lang)),
                       (N_("portal.cert.person_id"), mask_person_id(record.person_id))):
        pdf.set_font(FONT, "", sheet.text_pt)
        pdf.cell(width * 0.34, line, t(key, lang))
        pdf.set_font(FONT, "B", sheet.text_pt)
        pdf.multi_cell(width * 0.66, line, value)

    top = pdf.get_y() + line * 0.4
    side = sheet.qr_mm
    pdf.image(io.BytesIO(qr_png), x=(pdf.w - side) / 2, y=top, w=side, h=side)
    pdf.set_y(top + side + line * 0.3)
    _doses(pdf, record, sheet, width, lang)
    pdf.set_font(FONT, "", sheet.small_pt)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(width, sheet.small_pt * 0.5,
                   t("portal.cert.pdf_footer", lang, issued=issued), align="C")
    return bytes(pdf.output())


def _doses(pdf: FPDF, record: PersonRecord, sheet: Sheet, width: float,
           lang: str | None) -> None:
    line = sheet.text_pt * 0.5
    pdf.set_font(FONT, "B", sheet.text_pt)
    pdf.cell(width, line, t("portal.cert.doses", lang), new_x="LMARGIN", new_y="NEXT")
    for dose in record.doses:
        pdf.set_font(FONT, "B", sheet.text_pt)
        head = t("portal.cert.dose_n", lang, n=dose.dose_number)
        pdf.cell(width * 0.2, line, head)
        pdf.set_font(FONT, "", sheet.text_pt)
        pdf.multi_cell(width * 0.8, line,
                       f"{fmt_date(dose.given_on, lang)} · {dose.product}\n{dose.facility}")
        pdf.ln(line * 0.2)
    pdf.ln(line * 0.4)
