"""The gettext catalogs against the code: every id the code uses is translated in both
languages, and every catalog id is used (an unused id is a failure: it is usually a key the
code computes without marking it with N_, which would hide a missing translation)."""

from __future__ import annotations

import fnmatch
import tomllib
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog

from callbacks.shared import i18n_catalog
from callbacks.shared.i18n import t
from callbacks.shared.i18n_catalog import compile_catalog, po_path, read_catalog
from callbacks.shared.i18n_extract import (
    catalog_problems,
    extract_jinja_strings,
    extract_python_ast,
    used_message_ids,
)

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("vi", "en")


def _problems() -> dict[str, list[str]]:
    return catalog_problems(used_message_ids(ROOT), {lang: read_catalog(lang) for lang in LANGS})


def test_every_id_the_code_uses_has_a_text_in_both_catalogs() -> None:
    problems = _problems()
    assert problems["missing"] == []
    assert problems["untranslated"] == []


def test_translations_keep_the_placeholders_of_the_vietnamese_text() -> None:
    assert _problems()["placeholders"] == []


def test_every_catalog_id_is_used_by_the_code() -> None:
    assert _problems()["unused"] == []


def test_extraction_finds_the_ids_behind_helpers_markers_and_templates() -> None:
    used = used_message_ids(ROOT)
    assert "kpi.today" in used                    # t("...") in callbacks
    assert "col.rank" in used                     # tables.column(field, key, ...)
    assert "filter.as_of" in used                 # label("...") in pages/_components
    assert "sex.F" in used                        # N_ in callbacks/shared/codes.py
    assert "login.submit" in used                 # {{ t('...') }} in a template string
    assert "password.too_short" in used           # N_ in data/auth
    assert "user.exists" in used                  # AccountError("...") in data/auth
    assert "progress.population" in used          # t(...) inside an f-string
    assert len(used) > 300


def _catalog(lang: str, entries: dict[str, str]) -> Catalog:
    catalog = Catalog(locale=lang, domain="messages")
    for key, text in entries.items():
        catalog.add(key, text)
    return catalog


def test_the_check_reports_each_kind_of_fault() -> None:
    used = {"a.used": ["x.py:1"], "b.new": ["y.py:2"], "c.value": ["z.py:3"]}
    catalogs = {"vi": _catalog("vi", {"a.used": "Có", "c.value": "{n} liều", "d.old": "Cũ"}),
                "en": _catalog("en", {"a.used": "", "c.value": "{count} doses", "d.old": "Old"})}
    problems = catalog_problems(used, catalogs)
    assert problems["missing"] == ["vi: b.new (used at y.py:2)", "en: b.new (used at y.py:2)"]
    assert problems["untranslated"] == ["en: a.used"]
    assert problems["placeholders"] == ["en: c.value"]
    assert problems["unused"] == ["vi: d.old", "en: d.old"]


def test_python_extractor_reads_f_strings_and_argument_positions() -> None:
    source = (b'x = f"{t(\'a.one\', lang)} and {n}"\n'
              b'tables.column("field", "b.two", lang)\n'
              b't(key, lang)\n')
    found = list(extract_python_ast(BytesIO(source), ["t", "column"], [], {}))
    assert found == [(1, "t", ("a.one", None), []), (2, "column", ("field", "b.two", None), []),
                     (3, "t", (None, None), [])]


def test_template_extractor_reads_templates_inside_python_strings() -> None:
    source = b'X = 1\nTEMPLATES = {"a.html": """<p>\n{{ t(\'login.title\') }}</p>"""}\n'
    found = list(extract_jinja_strings(BytesIO(source), ["t"], [], {}))
    assert [(line, message) for line, _f, message, _c in found] == [(3, "login.title")]


def test_empty_or_fuzzy_english_falls_back_to_vietnamese() -> None:
    vi = compile_catalog(_catalog("vi", {"k.one": "Một", "k.two": "Hai"}))
    en_catalog = _catalog("en", {"k.one": "", "k.two": "Two"})
    en_catalog.get("k.two").flags.add("fuzzy")
    en = compile_catalog(en_catalog)
    en.add_fallback(vi)
    assert en.gettext("k.one") == "Một"
    assert en.gettext("k.two") == "Hai"
    assert en.gettext("k.three") == "k.three"


def test_catalogs_are_read_from_the_po_files(tmp_path: Path, monkeypatch) -> None:
    # A corrected .po is what the app shows: there is no compiled .mo to forget.
    for lang, text in (("vi", "Số mũi tiêm hôm nay (thử)"), ("en", "Doses today (test)")):
        path = po_path(lang, tmp_path)
        path.parent.mkdir(parents=True)
        path.write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\n'
                        f'msgid "kpi.today"\nmsgstr "{text}"\n', encoding="utf-8")
    monkeypatch.setattr(i18n_catalog, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n_catalog.read_catalog, "__defaults__", (tmp_path,))
    i18n_catalog.translations.cache_clear()
    try:
        assert t("kpi.today", "en") == "Doses today (test)"
        assert t("kpi.today", "vi") == "Số mũi tiêm hôm nay (thử)"
    finally:
        monkeypatch.undo()
        i18n_catalog.translations.cache_clear()
    assert t("kpi.today", "en") == "Doses today"


def test_the_catalogs_ship_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["callbacks.shared"]
    for lang in LANGS:
        relative = po_path(lang).relative_to(ROOT / "callbacks" / "shared").as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative
