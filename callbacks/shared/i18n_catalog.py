"""The gettext catalogs of the UI: one `.po` per language under callbacks/shared/locale, read once.

The `.po` files are the source of truth and ship with the package. They are compiled in memory
(babel's read_po + write_mo) the first time a language is used, so an install or a checkout
needs no build step and no compiled `.mo` can ever be stale.
"""

from __future__ import annotations

import functools
import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
SOURCE_LANG = "vi"


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where the catalog of `lang` lives (gettext's <dir>/<lang>/LC_MESSAGES/<domain>.po)."""
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """The parsed `.po` catalog of `lang`."""
    with po_path(lang, locale_dir).open("rb") as fileobj:
        return read_po(fileobj, locale=lang, domain=DOMAIN)


def compile_catalog(catalog: Catalog) -> gettext.GNUTranslations:
    """`catalog` as gettext translations (what `pybabel compile` would write, kept in memory).

    Empty and fuzzy entries are left out, as msgfmt does, so they fall back.
    """
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """Translations of `lang`; an id missing in it falls back to Vietnamese, then to the id."""
    compiled = compile_catalog(read_catalog(lang))
    if lang != SOURCE_LANG:
        compiled.add_fallback(translations(SOURCE_LANG))
    return compiled


@functools.cache
def message_ids() -> frozenset[str]:
    """Every id of the Vietnamese catalog (the source language holds every id)."""
    return frozenset(str(m.id) for m in read_catalog(SOURCE_LANG) if m.id)
