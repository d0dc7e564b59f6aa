"""Schedule rules: the next dose, its products and dates, each dose judged on its own date."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from data.ops.rules.errors import RuleError
from data.ops.rules.schedule import Dose, DoseKind, Due, check_dose, next_due
from data.ops.rules.schedule_data import (
    PRODUCT_CODES,
    Schedule,
    add_months,
    add_years,
    schedule,
)

ROOT = Path(__file__).resolve().parents[2]
P, A, B = DoseKind.PRIMARY, DoseKind.ADDITIONAL, DoseKind.BOOSTER
ADULT = date(1980, 5, 5)
D = date


def _p(day: date, product: str, number: int) -> Dose:
    return Dose(day, product, P, number)


def _due(history: list[Dose], as_of: date, birth: date = ADULT, **kw: bool) -> Due:
    due = next_due(history, as_of, birth, **kw)
    assert due is not None
    return due


def _earliest(due: Due) -> dict[str, date]:
    return {o.product: o.earliest for o in due.options}


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(RuleError) as err:
        call()
    return err.value.code


def test_the_products_are_the_interchange_catalogue() -> None:
    doc = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
    table = doc[doc.index("Vaccine products"):doc.index("Dose kinds")]
    codes = set(re.findall(r"^\| ([A-Z]{2,3}) \|", table, re.M))
    assert codes == PRODUCT_CODES == {p.code for p in schedule().products}
    assert len(codes) == 9


def test_the_schedule_names_its_uncertain_values() -> None:
    rules = schedule()
    assert "products.AZ.versions[2021-09-20]" in rules.to_check
    assert "To check" in rules.description["en"] and "Cần kiểm tra" in rules.description["vi"]


def test_the_rule_files_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["data.ops.rules"]
    files = sorted(p.name for p in (ROOT / "data" / "ops" / "rules" / "sets").iterdir())
    assert files == ["schedule.yaml", "screening-4355.yaml", "screening-5785.yaml",
                     "vials.yaml"]
    assert all(any(fnmatch.fnmatch(f"sets/{f}", g) for g in globs) for f in files)


def test_a_first_dose_for_an_adult_any_product_from_the_campaign_start() -> None:
    due = _due([], D(2021, 10, 1))
    assert (due.kind, due.number, due.earliest) == (P, 1, D(2021, 3, 8))
    assert set(due.products) == PRODUCT_CODES


def test_a_first_dose_waits_for_the_eighteenth_birthday_and_abdala_for_the_nineteenth() -> None:
    birth = D(2003, 11, 15)
    due = _due([], D(2021, 10, 1), birth)
    assert _earliest(due)["AZ"] == D(2021, 11, 15)
    assert _earliest(due)["ABD"] == D(2022, 11, 15)
    assert check_dose([], _p(D(2021, 11, 14), "AZ", 1), birth) == ["schedule.too_young"]
    assert check_dose([], _p(D(2021, 11, 15), "AZ", 1), birth) == []


def test_abdala_stops_after_the_sixty_fifth_year() -> None:
    birth = D(1955, 6, 1)  # 66 on 2021-06-01
    assert check_dose([], _p(D(2021, 5, 31), "ABD", 1), birth) == []
    assert check_dose([], _p(D(2021, 6, 1), "ABD", 1), birth) == ["schedule.too_old"]
    assert "ABD" not in _due([], D(2021, 10, 1), D(1950, 1, 1)).products
    # Started at 65, turned 66 before the third dose: no product may finish the series.
    history = [_p(D(2021, 5, 10), "ABD", 1), _p(D(2021, 5, 24), "ABD", 2)]
    assert _due(history, D(2021, 5, 25), birth).options == ()


@pytest.mark.parametrize(("first", "earliest"), [
    (D(2021, 6, 1), D(2021, 7, 27)),   # 8 weeks, all before the change
    (D(2021, 7, 1), D(2021, 8, 26)),   # 8 weeks, still before 2021-09-20
    (D(2021, 8, 1), D(2021, 9, 20)),   # 4 weeks would be 08-29, but the rule starts 09-20
    (D(2021, 9, 1), D(2021, 9, 29)),   # 4 weeks under 7820/BYT-DP
])
def test_the_astrazeneca_interval_across_the_september_2021_change(
        first: date, earliest: date) -> None:
    due = _due([_p(first, "AZ", 1)], first)
    assert (due.kind, due.number, _earliest(due)["AZ"]) == (P, 2, earliest)
    before = date.fromordinal(earliest.toordinal() - 1)
    assert check_dose([_p(first, "AZ", 1)], _p(before, "AZ", 2), ADULT) == ["schedule.too_early"]
    assert check_dose([_p(first, "AZ", 1)], _p(earliest, "AZ", 2), ADULT) == []


def test_a_dose_is_judged_by_the_rules_on_its_own_date() -> None:
    # 31 days after the first dose: too early on 2021-09-19 (8 weeks), allowed on 09-20 (4).
    assert check_dose([_p(D(2021, 8, 19), "AZ", 1)], _p(D(2021, 9, 19), "AZ", 2), ADULT) == [
        "schedule.too_early"]
    assert check_dose([_p(D(2021, 8, 20), "AZ", 1)], _p(D(2021, 9, 20), "AZ", 2), ADULT) == []


def test_astrazeneca_recommended_and_latest_dates() -> None:
    option = next(o for o in _due([_p(D(2021, 9, 1), "AZ", 1)], D(2021, 9, 2)).options
                  if o.product == "AZ")
    assert (option.earliest, option.recommended, option.latest) == (
        D(2021, 9, 29), D(2021, 10, 27), D(2021, 11, 24))


@pytest.mark.parametrize(("product", "earliest", "latest"), [
    ("PFZ", D(2021, 10, 22), D(2021, 11, 26)),  # 21 days (8 weeks at most: to check)
    ("MOD", D(2021, 10, 29), None),             # 28 days
    ("VRC", D(2021, 10, 22), D(2021, 10, 29)),  # 21-28 days
    ("HYT", D(2021, 10, 22), D(2021, 10, 29)),
    ("SPV", D(2021, 10, 22), None),             # 21 days
    ("CVX", D(2021, 10, 29), None),             # 28 days
    ("ABD", D(2021, 10, 15), None),             # 14 days
])
def test_second_dose_intervals(product: str, earliest: date, latest: date | None) -> None:
    first = _p(D(2021, 10, 1), product, 1)
    option = next(o for o in _due([first], D(2021, 10, 1)).options if o.product == product)
    assert (option.earliest, option.recommended, option.latest) == (earliest, earliest, latest)
    day_before = date.fromordinal(earliest.toordinal() - 1)
    assert check_dose([first], _p(day_before, product, 2), ADULT) == ["schedule.too_early"]
    assert check_dose([first], _p(earliest, product, 2), ADULT) == []


def test_abdala_has_three_doses_fourteen_days_apart() -> None:
    history = [_p(D(2021, 10, 1), "ABD", 1), _p(D(2021, 10, 15), "ABD", 2)]
    due = _due(history, D(2021, 10, 16))
    assert (due.kind, due.number, _earliest(due)) == (P, 3, {"ABD": D(2021, 10, 29)})
    assert _due([*history, _p(D(2021, 10, 29), "ABD", 3)], D(2021, 11, 1)).kind == B


def test_janssen_is_one_dose() -> None:
    due = _due([_p(D(2021, 8, 1), "JNJ", 1)], D(2021, 9, 1))
    assert (due.kind, due.number, due.earliest) == (B, 1, D(2021, 12, 17))


def test_mixed_second_doses_follow_the_letters_in_force() -> None:
    due = _due([_p(D(2021, 7, 1), "AZ", 1)], D(2021, 7, 2))
    # Pfizer after AstraZeneca from 2021-07-27, Moderna too from 2021-09-10; nothing else.
    assert _earliest(due) == {"AZ": D(2021, 8, 26), "PFZ": D(2021, 8, 26),
                              "MOD": D(2021, 9, 10)}
    history = [_p(D(2021, 7, 1), "AZ", 1)]
    assert check_dose(history, _p(D(2021, 9, 9), "MOD", 2), ADULT) == ["schedule.product"]
    assert check_dose(history, _p(D(2021, 9, 10), "MOD", 2), ADULT) == []
    assert check_dose(history, _p(D(2021, 9, 10), "VRC", 2), ADULT) == ["schedule.product"]
    early = [_p(D(2021, 5, 1), "AZ", 1)]
    assert check_dose(early, _p(D(2021, 7, 26), "PFZ", 2), ADULT) == ["schedule.product"]
    assert check_dose(early, _p(D(2021, 7, 27), "PFZ", 2), ADULT) == []


def test_a_mixed_dose_keeps_the_interval_of_the_previous_product() -> None:
    due = _due([_p(D(2021, 10, 1), "PFZ", 1)], D(2021, 10, 2))
    assert _earliest(due) == {"PFZ": D(2021, 10, 22), "MOD": D(2021, 10, 22)}
    assert _earliest(_due([_p(D(2021, 10, 1), "VRC", 1)], D(2021, 10, 2))) == {
        "VRC": D(2021, 10, 22)}


def test_a_mixed_series_is_complete_after_two_doses() -> None:
    history = [_p(D(2021, 7, 1), "AZ", 1), _p(D(2021, 9, 1), "PFZ", 2)]
    due = _due(history, D(2021, 12, 1))
    assert (due.kind, due.number, due.earliest) == (B, 1, D(2021, 12, 17))
    assert set(due.products) == {"PFZ", "MOD", "AZ"}


def test_the_booster_under_six_months_then_under_three() -> None:
    history = [_p(D(2021, 4, 1), "AZ", 1), _p(D(2021, 6, 1), "AZ", 2)]
    # 10225/BYT-DP from 2021-11-30: 6 months after 06-01 = 12-01, before 10722 shortened it.
    assert _due(history, D(2021, 10, 1)).earliest == D(2021, 12, 1)
    booster = Dose(D(2021, 12, 1), "PFZ", B, 1)
    assert check_dose(history, booster, ADULT) == []
    assert check_dose(history, Dose(D(2021, 11, 30), "PFZ", B, 1), ADULT) == [
        "schedule.too_early"]
    assert check_dose(history, Dose(D(2021, 11, 29), "PFZ", B, 1), ADULT) == [
        "schedule.no_rule"]
    assert check_dose(history, Dose(D(2021, 12, 1), "VRC", B, 1), ADULT) == ["schedule.product"]


def test_the_booster_three_months_after_the_series_from_2021_12_17() -> None:
    history = [_p(D(2021, 8, 10), "MOD", 1), _p(D(2021, 10, 10), "MOD", 2)]
    assert _due(history, D(2021, 12, 20)).earliest == D(2022, 1, 10)
    assert check_dose(history, Dose(D(2022, 1, 9), "MOD", B, 1), ADULT) == ["schedule.too_early"]
    assert check_dose(history, Dose(D(2022, 1, 10), "MOD", B, 1), ADULT) == []


def test_the_second_booster_four_months_after_the_first_then_nothing() -> None:
    history = [_p(D(2021, 8, 10), "MOD", 1), _p(D(2021, 10, 10), "MOD", 2),
               Dose(D(2022, 1, 10), "PFZ", B, 1)]
    due = _due(history, D(2022, 2, 1))
    assert (due.kind, due.number, due.earliest) == (B, 2, D(2022, 5, 10))
    assert next_due([*history, Dose(D(2022, 6, 1), "PFZ", B, 2)], D(2022, 7, 1), ADULT) is None


def test_an_additional_dose_after_vero_cell_or_sputnik_or_for_the_immunocompromised() -> None:
    vero = [_p(D(2021, 7, 1), "VRC", 1), _p(D(2021, 7, 22), "VRC", 2)]
    due = _due(vero, D(2021, 11, 1))
    assert (due.kind, due.number, due.earliest) == (A, 1, D(2021, 11, 30))
    late = [_p(D(2021, 11, 20), "SPV", 1), _p(D(2021, 12, 11), "SPV", 2)]
    assert _due(late, D(2021, 12, 12)).earliest == D(2022, 1, 8)  # 28 days
    az = [_p(D(2021, 7, 1), "AZ", 1), _p(D(2021, 9, 1), "AZ", 2)]
    assert _due(az, D(2021, 11, 1)).kind == B
    assert _due(az, D(2021, 11, 1), immunocompromised=True).kind == A


def test_the_booster_counts_from_the_additional_dose() -> None:
    history = [_p(D(2021, 7, 1), "VRC", 1), _p(D(2021, 7, 22), "VRC", 2),
               Dose(D(2021, 12, 1), "PFZ", A, 1)]
    due = _due(history, D(2021, 12, 2))
    assert (due.kind, due.number, due.earliest) == (B, 1, D(2022, 3, 1))
    assert check_dose(history, Dose(D(2022, 3, 1), "PFZ", A, 2), ADULT) == ["schedule.kind"]


def test_history_errors_are_refused() -> None:
    first = _p(D(2021, 8, 1), "AZ", 1)
    assert _code(lambda: next_due([first], D(2021, 7, 31), ADULT)) == "schedule.future_dose"
    assert _code(lambda: next_due([_p(D(2021, 8, 1), "AZ", 2)], D(2021, 9, 1), ADULT)) == \
        "schedule.history"
    assert _code(lambda: next_due([first, Dose(D(2021, 9, 1), "PFZ", B, 1)], D(2021, 10, 1),
                                  ADULT)) == "schedule.history"
    assert _code(lambda: next_due([_p(D(2021, 8, 1), "XYZ", 1)], D(2021, 9, 1), ADULT)) == \
        "schedule.product_unknown"
    assert check_dose([first], _p(D(2021, 10, 1), "AZ", 3), ADULT) == ["schedule.kind"]


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2021, 8, 31), 3, D(2021, 11, 30)), (D(2022, 1, 31), 1, D(2022, 2, 28)),
    (D(2021, 11, 15), 2, D(2022, 1, 15)), (D(2024, 1, 31), 1, D(2024, 2, 29)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_years_on_29_february() -> None:
    assert add_years(D(2004, 2, 29), 18) == D(2022, 3, 1)
    assert add_years(D(2004, 2, 29), 20) == D(2024, 2, 29)


def _raw() -> dict[str, object]:
    return schedule().model_dump(mode="json")


def test_the_schedule_model_refuses_bad_data() -> None:
    assert Schedule.model_validate(_raw()) == schedule()
    raw = _raw()
    raw["mixing"] = [{"effective_from": "2021-03-08", "source": "x", "next_dose": {"AZ": ["XX"]}}]
    with pytest.raises(ValidationError, match="unknown product codes"):
        Schedule.model_validate(raw)
    raw = _raw()
    raw["products"] = raw["products"][1:]  # type: ignore[index]
    with pytest.raises(ValidationError, match="interchange catalogue"):
        Schedule.model_validate(raw)
    raw = _raw()
    raw["products"][0]["versions"][0]["doses"] = 3  # type: ignore[index]
    with pytest.raises(ValidationError, match="need 2 gaps"):
        Schedule.model_validate(raw)
    raw = _raw()
    raw["boosters"] = raw["boosters"][1:]  # type: ignore[index]
    with pytest.raises(ValidationError, match="numbered"):
        Schedule.model_validate(raw)
