"""Doses per vial (data/ops/rules/sets/vials.yaml) and open-vial wastage arithmetic."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from data.catalog import VACCINES
from data.ops.rules.errors import RuleError
from data.ops.rules.sets_io import read_set
from data.ops.rules.vials import FILE, VialSet, doses_per_vial, vial_set, wasted


def test_every_catalogue_product_has_its_vial_with_a_source() -> None:
    products = vial_set().products
    assert set(products) == {v.code for v in VACCINES}
    assert all(len(v.source) > 20 for v in products.values())
    # Values the national programme used (sources in the file).
    assert {code: v.doses_per_vial for code, v in products.items()} == {
        "AZ": 10, "SPV": 5, "VRC": 1, "PFZ": 6, "MOD": 10, "JNJ": 5, "HYT": 1, "ABD": 10,
        "CVX": 20}
    assert products["AZ"].presentations == (8, 10)
    assert products["MOD"].presentations == (10, 14, 15)
    assert set(vial_set().to_check) <= {f"products.{c}" for c in products}


def test_a_lot_may_name_another_presentation_of_its_product() -> None:
    assert doses_per_vial("AZ") == 10
    assert doses_per_vial("AZ", 8) == 8
    assert doses_per_vial("MOD", 14) == 14
    with pytest.raises(RuleError) as err:
        doses_per_vial("PFZ", 10)
    assert (err.value.code, err.value.field, err.value.detail) == (
        "vials.presentation", "doses_per_vial", "6")
    with pytest.raises(RuleError) as err:
        doses_per_vial("XYZ")
    assert err.value.code == "vials.product"


@pytest.mark.parametrize(("vials", "per_vial", "given", "waste"), [
    (2, 10, 13, 7), (1, 6, 6, 0), (3, 6, 13, 5), (0, 10, 0, 0), (5, 1, 5, 0), (1, 20, 1, 19)])
def test_wastage_is_what_the_opened_vials_held_less_the_doses_given(
        vials: int, per_vial: int, given: int, waste: int) -> None:
    assert wasted(vials, per_vial, given) == waste


@pytest.mark.parametrize(("vials", "per_vial", "given"), [(1, 10, 11), (0, 10, 1), (2, 6, 13)])
def test_more_doses_than_the_vials_held_is_refused(vials: int, per_vial: int,
                                                   given: int) -> None:
    with pytest.raises(RuleError) as err:
        wasted(vials, per_vial, given)
    assert (err.value.code, err.value.field) == ("close.too_many_given", "vials_opened")
    assert err.value.detail == f"{given} > {vials} × {per_vial}"


def test_the_file_is_checked_when_read() -> None:
    data = read_set(FILE)
    data["products"]["AZ"] = dict(data["products"]["AZ"], doses_per_vial=12)
    with pytest.raises(ValidationError, match="one of the presentations"):
        VialSet.model_validate(data)
    del data["products"]["AZ"]
    with pytest.raises(ValidationError, match="exactly"):
        VialSet.model_validate(data)
