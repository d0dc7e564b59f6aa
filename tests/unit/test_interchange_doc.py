"""docs/interchange.md and the code agree: columns each kind requires, and every code list."""

from __future__ import annotations

import re

import pytest

from data import catalog
from data.settings import PROJECT_ROOT
from etl.registry import KINDS

DOC = (PROJECT_ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
# id_type is required by the contract but "may be omitted when the shape makes it obvious".
SHAPE_IMPLIED = {"id_type"}


def sections() -> dict[str, str]:
    """Level-2 sections by their first word (the kind name for the file kinds)."""
    parts = re.split(r"^## ", DOC, flags=re.M)[1:]
    return {p.split(None, 1)[0].rstrip(","): p for p in parts}


def field_table(section: str) -> dict[str, str]:
    """field -> 'required' cell of a section's table (a cell may name several fields)."""
    fields: dict[str, str] = {}
    for names, required in re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|", section, re.M):
        if names in ("field", "---"):
            continue
        for name in names.split(","):
            fields[name.strip()] = required.strip()
    return fields


def codes_in_row(section: str, field: str) -> set[str]:
    """The `CODES` in backticks of one field's row."""
    row = next(line for line in section.splitlines() if line.startswith(f"| {field} |"))
    return set(re.findall(r"`([A-Z_]+)`", row))


TABLE_KINDS = ["injections", "stock_movements", "allocations", "aefi", "registrations"]


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_required_columns_match_the_contract(kind: str) -> None:
    fields = field_table(sections()[kind])
    required_by_doc = {name for name, req in fields.items() if req == "yes"} - SHAPE_IMPLIED
    assert set(KINDS[kind].required) == required_by_doc


def test_reference_kinds_require_only_documented_fields() -> None:
    text = sections()["facilities"]
    for kind in ("facilities", "warehouses", "population"):
        bullet = next(line for line in text.split("\n- ") if line.startswith(f"{kind}:"))
        named = set(re.findall(r"`([a-z_0-9]+)`", bullet))
        assert set(KINDS[kind].required) <= named, kind


def test_code_lists_match_the_contract() -> None:
    parts = sections()
    stock, aefi = parts["stock_movements"], parts["aefi"]
    assert codes_in_row(stock, "movement_type") == set(catalog.MOVEMENT_SIGN)
    assert codes_in_row(stock, "reason") == set(catalog.MOVEMENT_REASONS)
    assert codes_in_row(aefi, "severity") == set(catalog.SEVERITIES)
    assert codes_in_row(aefi, "seriousness") == set(catalog.SERIOUSNESS)
    assert codes_in_row(aefi, "outcome") == set(catalog.OUTCOMES)
    assert codes_in_row(aefi, "classification") == set(catalog.CLASSIFICATIONS)
    assert codes_in_row(parts["injections"], "status") == set(catalog.INJECTION_STATUSES)
    reference = parts["facilities"]
    assert set(re.findall(r"`([A-Z_]+)`", reference.split("warehouses:")[0])) == (
        set(catalog.FACILITY_KINDS) | set(catalog.FACILITY_STATUSES))
    assert set(re.findall(r"`([A-Z_]+)`", reference.split("warehouses:")[1])) == set(
        catalog.WAREHOUSE_LEVELS)


def test_catalogues_match_the_contract() -> None:
    text = sections()["Catalogues"]
    vaccines = re.findall(r"^\| ([A-Z]{2,3}) \| ([^|]+?) \|", text, re.M)
    assert {code: name for code, name in vaccines} == {
        v.code: v.name for v in catalog.VACCINES}
    # "0 general population; 1 health-care workers; ... 16 others decided by ...".
    groups = {int(n) for n in re.findall(r"(?:^|[;:] |\n)(\d{1,2}) [a-z]", text)}
    assert groups == set(catalog.PRIORITY_GROUPS) == set(range(17))
    for kind in ("PRIMARY", "ADDITIONAL", "BOOSTER"):
        assert f"`{kind}`" in text and kind in catalog.DOSE_KINDS
    assert set(re.findall(r"`(CCCD|CMND|PASSPORT)`", text)) == set(catalog.ID_TYPES)
