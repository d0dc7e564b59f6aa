"""The public figures as a CSV file with its licence line, and the words both the portal page
and the file use (shared by callbacks.api, which serves the file, and callbacks.portal).

The file is long and tidy: one figure per line (section, code, name, measure id, measure,
value), so a spreadsheet or a script reads it without knowing the page's layout. Values are
plain numbers (no thousands separators); a suppressed count is the text "< 10", a suppressed
rate is left empty (a rate over fewer than 10 cases is not shown, and "< 10" would read as a
rate below 10 per 100,000).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from data.safe_cells import MIN_CELL, safe_text

SUPPRESSED = f"< {MIN_CELL}"
# A suppressed rate on the page (its count beside it says "< 10").
RATE_SUPPRESSED = "—"
RATES = frozenset({"rate_per_100k", "serious_per_100k"})
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Measure id -> label key, per section (the CSV's measure column and the page's labels).
NATIONAL = (
    ("doses", N_("portal.figures.doses")), ("today_doses", N_("portal.figures.today")),
    ("last_day_doses", N_("portal.figures.last_day")), ("dose1", N_("portal.figures.dose1")),
    ("fully", N_("portal.figures.fully")), ("booster", N_("portal.figures.booster")),
    ("pct_dose1", N_("portal.figures.pct_dose1")), ("pct_fully", N_("portal.figures.pct_fully")),
    ("registrations", N_("portal.figures.registrations")),
)
PROVINCE = (
    ("population", N_("portal.figures.population")), ("doses", N_("portal.figures.doses")),
    ("dose1", N_("portal.figures.dose1")), ("fully", N_("portal.figures.fully")),
    ("booster", N_("portal.figures.booster")), ("pct_dose1", N_("portal.figures.pct_dose1")),
    ("pct_fully", N_("portal.figures.pct_fully")),
    ("pct_booster", N_("portal.figures.pct_booster")),
)
VACCINE = (("allocated", N_("portal.figures.allocated")),
           ("received", N_("portal.figures.received")))
AEFI = (
    ("doses", N_("portal.figures.doses")), ("cases", N_("portal.figures.aefi_cases")),
    ("serious", N_("portal.figures.aefi_serious")),
    ("rate_per_100k", N_("portal.figures.aefi_rate")),
    ("serious_per_100k", N_("portal.figures.aefi_serious_rate")),
)
SECTIONS = {"national": N_("portal.figures.section.national"),
            "province": N_("portal.figures.section.province"),
            "vaccine": N_("portal.figures.section.vaccine"),
            "aefi": N_("portal.figures.section.aefi"),
            "aefi_province": N_("portal.figures.section.aefi_province")}


def licence_line(lang: str | None, as_of: str | None = None) -> str:
    """'Source: Ministry of Health ... Licence: CC BY 4.0 <url>', with the data's date."""
    text = t("portal.figures.licence", lang, url=LICENCE_URL)
    if as_of:
        day = dt.date.fromisoformat(as_of)
        text += " " + t("portal.figures.as_of", lang, date=fmt_date(day, lang))
    return text


def cell(value: Any, measure: str = "") -> Any:
    """A CSV value: the number itself; for a suppressed (None) figure SUPPRESSED, or nothing
    for a rate."""
    if value is None:
        return "" if measure in RATES else SUPPRESSED
    return value


def _lines(figs: dict[str, Any]) -> Iterator[tuple[str, str, str, tuple[tuple[str, str], ...],
                                                   dict[str, Any]]]:
    """(section, code, name, measures, row) for every row of the figures."""
    yield "national", "VN", "Việt Nam", NATIONAL, figs["national"]
    for r in figs["provinces"]:
        yield "province", r["province_code"], r["province_name"], PROVINCE, r
    for r in figs["vaccines"]:
        yield "vaccine", r["vaccine_code"], r["vaccine_name"], VACCINE, r
    yield "aefi", "VN", "Việt Nam", AEFI, figs["aefi"]["national"]
    for r in figs["aefi"]["provinces"]:
        yield "aefi_province", r["province_code"], r["province_name"], AEFI, r


def figures_csv(figs: dict[str, Any], lang: str | None) -> str:
    """The CSV text: the licence line, the header, one line per figure."""
    lang = norm_lang(lang)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([licence_line(lang, figs.get("as_of"))])
    w.writerow([t("portal.figures.csv.section", lang), t("portal.figures.csv.code", lang),
                t("portal.figures.csv.name", lang), t("portal.figures.csv.measure_id", lang),
                t("portal.figures.csv.measure", lang), t("portal.figures.csv.value", lang)])
    for section, code, name, measures, row in _lines(figs):
        for measure, key in measures:
            w.writerow([t(SECTIONS[section], lang), safe_text(code), safe_text(name), measure,
                        t(key, lang), cell(row.get(measure), measure)])
    return out.getvalue()
