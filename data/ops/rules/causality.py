"""The WHO causality categories a provincial AEFI council classifies a serious case into.

Source: WHO, "Causality assessment of an adverse event following immunization (AEFI): user
manual for the revised WHO classification", 2nd edition (2018; 2019 update; first edition
2013), its AEFI causality classification: A consistent causal association to immunization
(A1 vaccine product-related reaction, A2 vaccine quality defect-related reaction, A3
immunization error-related reaction, A4 immunization anxiety-related reaction, "immunization
stress-related response" in the 2019 update); B indeterminate (B1 temporal relationship
consistent but insufficient evidence for vaccine causing the event; B2 qualifying factors
give conflicting trends of consistency and inconsistency); C inconsistent causal
association to immunization (coincidental); unclassifiable (adequate information not
available).

The interchange contract's `classification` column holds the category's letter only (A, B,
C, UNCLASSIFIABLE: docs/interchange.md, "aefi"); `contract_class` maps one to the other.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "WHO-AEFI-causality-2019"


@dataclass(frozen=True)
class Category:
    """One causality category: its code, the contract's class and its labels."""

    code: str
    contract_class: str
    vi: str
    en: str


CATEGORIES: tuple[Category, ...] = (
    Category("A1", "A", "A1. Phản ứng liên quan đến sản phẩm vắc xin",
             "A1. Vaccine product-related reaction"),
    Category("A2", "A", "A2. Phản ứng liên quan đến lỗi chất lượng vắc xin",
             "A2. Vaccine quality defect-related reaction"),
    Category("A3", "A", "A3. Phản ứng liên quan đến sai sót trong tiêm chủng",
             "A3. Immunization error-related reaction"),
    Category("A4", "A", "A4. Phản ứng do lo lắng khi tiêm chủng",
             "A4. Immunization anxiety-related reaction"),
    Category("B1", "B", "B1. Có mối liên quan thời gian nhưng chưa đủ bằng chứng",
             "B1. Temporal relationship consistent, insufficient evidence of causation"),
    Category("B2", "B", "B2. Các yếu tố đánh giá cho kết quả mâu thuẫn",
             "B2. Qualifying factors give conflicting trends"),
    Category("C", "C", "C. Trùng hợp ngẫu nhiên, không liên quan đến tiêm chủng",
             "C. Coincidental, inconsistent with causal association to immunization"),
    Category("UNCLASSIFIABLE", "UNCLASSIFIABLE", "Không thể phân loại (thiếu thông tin)",
             "Unclassifiable (adequate information not available)"),
)
BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def contract_class(code: str) -> str:
    """The contract's classification of a category (A1..A4 -> A, B1/B2 -> B, C, UNCLASSIFIABLE);
    KeyError for an unknown code."""
    return BY_CODE[code].contract_class


def label(code: str, lang: str) -> str:
    """The category's label in `lang` (Vietnamese unless 'en')."""
    category = BY_CODE[code]
    return category.en if lang == "en" else category.vi
