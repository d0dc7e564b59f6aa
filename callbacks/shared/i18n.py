"""UI strings from the gettext catalogs (Vietnamese first, English) and number, percent and date
formats per locale from Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from callbacks.shared.i18n_catalog import message_ids, translations

__all__ = ["DEFAULT_LANG", "LANGS", "MAP_METRICS", "N_", "babel_locale", "choices", "fmt_date",
           "fmt_int", "fmt_number", "fmt_pct", "fmt_time", "has_text", "norm_lang",
           "plotly_separators", "t"]

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"

# The UI's English is British ("centre", "utilisation"): en_GB also gives "19 Oct 2021".
_LOCALES: dict[str, str] = {"vi": "vi_VN", "en": "en_GB"}
# Vietnamese CLDR's short date has a two-digit year; Vietnamese forms and reports use four.
_DATE_FORMATS: dict[str, str] = {"vi": "dd/MM/yyyy", "en": "medium"}


def N_(key: str) -> str:
    """`key` unchanged; marks a message id the code stores or computes, for `pybabel extract`.

    (data.messages has its own: pages may not import data, even through this module.)
    """
    return key


# Value -> label key of the coverage map's metric toggle.
MAP_METRICS: dict[str, str] = {"pct_dose1": N_("map.metric.dose1"),
                               "pct_fully": N_("map.metric.fully")}


def norm_lang(lang: str | None) -> str:
    """A supported language code (Vietnamese when unknown or unset)."""
    return lang if lang in LANGS else DEFAULT_LANG


def babel_locale(lang: str | None) -> Locale:
    """The Babel locale whose CLDR formats the UI uses for `lang`."""
    return Locale.parse(_LOCALES[norm_lang(lang)])


def t(key: str, lang: str | None, **values: object) -> str:
    """The string for `key` in `lang` (falling back to Vietnamese, then to the key itself),
    with {values} filled."""
    text = translations(norm_lang(lang)).gettext(key)
    return text.format(**values) if values else text


def has_text(key: str) -> bool:
    """True when the catalogs hold `key`."""
    return key in message_ids()


def choices(labels: Mapping[str, str], lang: str | None) -> list[dict[str, str]]:
    """Options of a radio or dropdown: value -> label key, labelled in `lang`."""
    return [{"label": t(key, lang), "value": value} for value, key in labels.items()]


def plotly_separators(lang: str | None) -> str:
    """Plotly layout `separators` for the language: decimal mark, then thousands separator."""
    symbols = babel_locale(lang).number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _infinite(value: float) -> str | None:
    return ("∞" if value > 0 else "−∞") if isinstance(value, float) and math.isinf(value) else None


def fmt_int(value: int | float | None, lang: str | None) -> str:
    """Whole number with thousands separators: vi 1.234.567, en 1,234,567; '—' if missing."""
    if value is None or _missing(value):
        return "—"
    return _infinite(value) or format_decimal(_rounded(value, 0), locale=babel_locale(lang))


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def _rounded(value: float, digits: int) -> Decimal:
    # Half away from zero, as people round (0,05 -> 0,1), on the decimal the float prints as;
    # Babel alone would round half to even.
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def fmt_number(value: float | None, lang: str | None, digits: int = 1) -> str:
    """Decimal number with `digits` decimals: vi 1.234,5, en 1,234.5; '—' if missing."""
    if value is None or _missing(value):
        return "—"
    return _infinite(value) or format_decimal(_rounded(value, digits), _pattern(digits),
                                              locale=babel_locale(lang))


def fmt_pct(value: float | None, lang: str | None, digits: int = 1) -> str:
    """Percentage of a value already in percent: vi 45,3%, en 45.3%; '—' if missing."""
    if value is None or _missing(value):
        return "—"
    if (inf := _infinite(value)) is not None:
        return inf + "%"
    # The CLDR pattern gives the sign's place per locale (vi and en: no space before %).
    return format_percent(_rounded(value, digits).scaleb(-2), _pattern(digits) + "%",
                          locale=babel_locale(lang))


def fmt_date(day: dt.date | None, lang: str | None) -> str:
    """Date: vi dd/mm/yyyy, en d Mon yyyy; '—' if missing."""
    if day is None:
        return "—"
    return format_date(day, _DATE_FORMATS[norm_lang(lang)], locale=babel_locale(lang))


def fmt_time(moment: dt.datetime) -> str:
    """Clock time HH:MM:SS (both languages use the 24-hour clock here)."""
    return format_time(moment, "HH:mm:ss", locale=babel_locale(DEFAULT_LANG))
