"""The AEFI case data: WHO causality categories and the coded symptom list."""

from __future__ import annotations

import pytest

from data import catalog
from data.ops.rules import aefi_terms, causality


def test_categories_map_to_the_contracts_classification() -> None:
    assert causality.CODES == ("A1", "A2", "A3", "A4", "B1", "B2", "C", "UNCLASSIFIABLE")
    assert {c: causality.contract_class(c) for c in causality.CODES} == {
        "A1": "A", "A2": "A", "A3": "A", "A4": "A", "B1": "B", "B2": "B", "C": "C",
        "UNCLASSIFIABLE": "UNCLASSIFIABLE"}
    assert {causality.contract_class(c) for c in causality.CODES} == set(
        catalog.CLASSIFICATIONS)
    with pytest.raises(KeyError):
        causality.contract_class("D")


@pytest.mark.parametrize("module", [causality, aefi_terms])
def test_labels_exist_and_differ_in_both_languages(module: object) -> None:
    codes = module.CODES  # type: ignore[attr-defined]
    vi = [module.label(c, "vi") for c in codes]  # type: ignore[attr-defined]
    en = [module.label(c, "en") for c in codes]  # type: ignore[attr-defined]
    assert all(vi) and all(en)
    assert len(set(vi)) == len(vi) and len(set(en)) == len(en)
    assert vi != en


def test_symptoms_cell_joins_vietnamese_terms_then_the_free_text() -> None:
    assert aefi_terms.symptoms_text(["ANAPHYLAXIS", "DYSPNOEA", "ANAPHYLAXIS"],
                                    "  tụt huyết áp ") == "sốc phản vệ; khó thở; tụt huyết áp"
    assert aefi_terms.symptoms_text([], None) == ""
    with pytest.raises(KeyError):
        aefi_terms.symptoms_text(["NOPE"], None)
    # A label holding ';' would split into two terms on the command center's term table.
    assert not any(";" in t.vi for t in aefi_terms.TERMS)


def test_a_symptoms_cell_reads_in_the_ui_language_coded_terms_only() -> None:
    cell = aefi_terms.symptoms_text(["ANAPHYLAXIS", "DYSPNOEA"], "tụt huyết áp")
    assert cell == "sốc phản vệ; khó thở; tụt huyết áp"
    assert aefi_terms.in_language(cell, "en") == "anaphylaxis; dyspnoea; tụt huyết áp"
    assert aefi_terms.in_language(cell, "vi") == cell
    assert aefi_terms.in_language("Sốt;mệt mỏi", "en") == "fever; fatigue"
    assert aefi_terms.in_language(None, "en") == ""
