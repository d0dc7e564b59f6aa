"""Reading the rule data files shipped in `sets/` (package data: see pyproject.toml)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

SETS_PACKAGE = "data.ops.rules"


def set_names(prefix: str) -> list[str]:
    """File names in sets/ that start with `prefix` and end in .yaml, sorted."""
    folder = files(SETS_PACKAGE) / "sets"
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(prefix) and p.name.endswith(".yaml"))


def read_set(name: str) -> dict[str, Any]:
    """One data file of sets/ as plain data (safe YAML: no tags, no code)."""
    text = (files(SETS_PACKAGE) / "sets" / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"sets/{name}: a mapping at the top level")
    return data
