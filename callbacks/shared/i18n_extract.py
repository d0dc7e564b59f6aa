"""Message-id extraction for `pybabel extract` and the catalog tests (not used at run time).

`babel.cfg` at the repository root says which files to read and which calls take a message id;
the sign-in pages' Jinja templates live in Python strings (callbacks/shared/security/templates.py),
which `extract_jinja_strings` reads.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Collection, Iterator, Mapping
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from jinja2.ext import babel_extract

from callbacks.shared.i18n_catalog import SOURCE_LANG

# What the extractors look at, relative to the repository root.
SOURCE_DIRS: tuple[str, ...] = ("app.py", "callbacks", "data", "pages")


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def extract_python_ast(fileobj: IO[bytes], keywords: Collection[str],
                       comment_tags: Collection[str], options: Mapping[str, Any],
                       ) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction method for Python read through its syntax tree: every call of a
    keyword (`t(...)`, `ids.text(...)`), also inside f-strings, which Babel's tokenizer
    skips before Python 3.12. Arguments that are not string literals come as None, so the
    keyword's argument spec (`column:2`) picks the id."""
    calls = sorted((n for n in ast.walk(ast.parse(fileobj.read())) if isinstance(n, ast.Call)),
                   key=lambda n: (n.lineno, n.col_offset))  # in reading order
    for node in calls:
        if (name := _name(node.func)) in keywords:
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str)
                         else None for a in node.args)
            if args:
                yield node.lineno, name, args if len(args) > 1 else args[0], []


def extract_jinja_strings(fileobj: IO[bytes], keywords: Collection[str],
                          comment_tags: Collection[str], options: Mapping[str, Any],
                          ) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction method: the message ids of the Jinja templates held in the string
    literals of a Python module, with the line numbers of the module."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and ("{{" in node.value or "{%" in node.value):
            template = BytesIO(node.value.encode("utf-8"))
            jinja_options = {"silent": "false", **options}
            for lineno, func, message, comments in babel_extract(
                    template, list(keywords), list(comment_tags), jinja_options):
                yield node.lineno + lineno - 1, func, message, comments


def _wanted_dir(path: str) -> bool:
    # Like `pybabel extract --ignore-dirs ".* __pycache__"`: pages/_components is read.
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def used_message_ids(root: Path) -> dict[str, list[str]]:
    """Every message id the code at `root` uses -> where ('path:line'), read as
    `pybabel extract -F babel.cfg` reads it."""
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            root, method_map, options_map, keywords=DEFAULT_KEYWORDS,
            directory_filter=_wanted_dir):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def catalog_problems(used: Mapping[str, list[str]], catalogs: Mapping[str, Catalog],
                     ) -> dict[str, list[str]]:
    """What is wrong between the ids the code uses and the catalogs, by kind: 'missing' (used,
    absent from a catalog), 'untranslated' (empty or fuzzy), 'placeholders' ({names} that differ
    from the source language's), 'unused' (in a catalog, used nowhere)."""
    problems: dict[str, list[str]] = {"missing": [], "untranslated": [], "placeholders": [],
                                      "unused": []}
    source = catalogs.get(SOURCE_LANG)
    for lang, catalog in catalogs.items():
        ids = {str(m.id) for m in catalog if m.id}
        problems["missing"] += [f"{lang}: {key} (used at {', '.join(where)})"
                                for key, where in used.items() if key not in ids]
        problems["unused"] += [f"{lang}: {key}" for key in sorted(ids - set(used))]
        for message in catalog:
            if not message.id:
                continue
            if not message.string or message.fuzzy:
                problems["untranslated"].append(f"{lang}: {message.id}")
                continue
            origin = source.get(message.id) if source is not None else None
            if origin is not None and origin.string and \
                    _placeholders(str(message.string)) != _placeholders(str(origin.string)):
                problems["placeholders"].append(f"{lang}: {message.id}")
    return problems
