"""Screening rule sets 4355/QĐ-BYT and 5785/QĐ-BYT: which set, which outcome, which reasons."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import pytest
from pydantic import ValidationError

from data.ops.rules.errors import RuleError
from data.ops.rules.screening import (
    SEVERITY,
    Outcome,
    Reason,
    RuleSet,
    evaluate,
    rule_set_for,
    rule_sets,
)

S4355 = "screening-4355-adult"
S5785 = "screening-5785-adult"
ITEMS_4355 = ["anaphylaxis_covid_vaccine", "covid_last_6_months", "acute_illness",
              "pregnant_under_13_weeks", "pregnant_13_weeks_or_more",
              "anaphylaxis_grade3_history", "severe_immunodeficiency", "allergy_history",
              "clotting_disorder", "impaired_consciousness"]
ITEMS_5785 = [i for i in ITEMS_4355 if i != "covid_last_6_months"] + [
    "manufacturer_contraindication"]
NORMAL = {"temperature_c": 36.8}


def _set(set_id: str) -> RuleSet:
    return next(s for s in rule_sets() if s.id == set_id)


def _no(rule_set: RuleSet, **yes: bool) -> dict[str, bool]:
    return {i.id: yes.get(i.id, False) for i in rule_set.items}


def _run(set_id: str, vitals: Mapping[str, float] = NORMAL, **yes: bool) -> Outcome:
    rule_set = _set(set_id)
    return evaluate(rule_set, _no(rule_set, **yes), vitals).outcome


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(RuleError) as err:
        call()
    return err.value.code


def test_two_adult_sets_ship_with_their_decisions_dates_and_items() -> None:
    got = [(s.id, s.decision, s.effective_from, s.min_age_years) for s in rule_sets()]
    assert got == [(S4355, "4355/QĐ-BYT", date(2021, 9, 10), 18),
                   (S5785, "5785/QĐ-BYT", date(2021, 12, 21), 18)]
    assert [i.id for i in _set(S4355).items] == ITEMS_4355
    assert [i.id for i in _set(S5785).items] == ITEMS_5785


def test_each_set_says_what_is_uncertain_in_both_languages() -> None:
    for rule_set in rule_sets():
        assert "To check" in rule_set.description.en
        assert "Cần kiểm tra" in rule_set.description.vi
        assert "items.severe_immunodeficiency.outcome" in rule_set.to_check
        assert "vitals.bp_systolic_mmhg.above_usual" in rule_set.to_check
        assert all(i.text.vi and i.text.en for i in rule_set.items)


def test_spo2_is_in_neither_set_because_only_2995_had_it() -> None:
    for rule_set in rule_sets():
        assert [v.id for v in rule_set.vitals] == [
            "temperature_c", "pulse_per_min", "bp_systolic_mmhg", "bp_diastolic_mmhg",
            "respiratory_rate_per_min"]


@pytest.mark.parametrize(("day", "set_id"), [
    (date(2021, 9, 10), S4355), (date(2021, 12, 20), S4355),
    (date(2021, 12, 21), S5785), (date(2022, 6, 1), S5785),
])
def test_the_set_in_force_on_the_day(day: date, set_id: str) -> None:
    assert rule_set_for(day, 40).id == set_id


def test_no_set_before_4355_nor_for_children() -> None:
    assert _code(lambda: rule_set_for(date(2021, 9, 9), 40)) == "screening.no_rule_set"
    assert _code(lambda: rule_set_for(date(2022, 1, 1), 17)) == "screening.no_rule_set"
    assert rule_set_for(date(2022, 1, 1), 18).id == S5785


def test_all_no_and_normal_vitals_is_eligible_and_keeps_the_set_id() -> None:
    result = evaluate(_set(S5785), _no(_set(S5785)), {"temperature_c": 36.5, "pulse_per_min": 80})
    assert (result.rule_set_id, result.outcome, result.reasons) == (S5785, Outcome.ELIGIBLE, ())


EXPECTED_4355 = {
    "anaphylaxis_covid_vaccine": Outcome.CONTRAINDICATED, "covid_last_6_months": Outcome.POSTPONE,
    "acute_illness": Outcome.POSTPONE, "pregnant_under_13_weeks": Outcome.POSTPONE,
    "pregnant_13_weeks_or_more": Outcome.REFER,
    "anaphylaxis_grade3_history": Outcome.CAUTION_HOSPITAL,
    "severe_immunodeficiency": Outcome.CAUTION_HOSPITAL, "allergy_history": Outcome.CAUTION,
    "clotting_disorder": Outcome.CAUTION, "impaired_consciousness": Outcome.POSTPONE,
}
EXPECTED_5785 = {
    **{k: v for k, v in EXPECTED_4355.items() if k != "covid_last_6_months"},
    "impaired_consciousness": Outcome.REFER,  # 5785 postpones only acute illness, pregnancy < 13
    "manufacturer_contraindication": Outcome.CONTRAINDICATED,
}


@pytest.mark.parametrize(("set_id", "item", "outcome"),
                         [(S4355, k, v) for k, v in EXPECTED_4355.items()]
                         + [(S5785, k, v) for k, v in EXPECTED_5785.items()])
def test_each_item_answered_yes_alone(set_id: str, item: str, outcome: Outcome) -> None:
    result = evaluate(_set(set_id), _no(_set(set_id), **{item: True}), NORMAL)
    assert result.outcome == outcome
    assert result.reasons == (Reason("item", item, outcome),)


def test_5785_postpones_only_acute_illness_and_early_pregnancy() -> None:
    postponing = [i.id for i in _set(S5785).items if i.outcome == Outcome.POSTPONE]
    assert postponing == ["acute_illness", "pregnant_under_13_weeks"]


# (vital, value, abnormal): every bound, on it and one step past it.
EDGES = [
    ("temperature_c", 35.5, False), ("temperature_c", 35.4, True),
    ("temperature_c", 37.5, False), ("temperature_c", 37.6, True),
    ("pulse_per_min", 60, False), ("pulse_per_min", 59, True),
    ("pulse_per_min", 100, False), ("pulse_per_min", 101, True),
    ("bp_systolic_mmhg", 90, False), ("bp_systolic_mmhg", 89, True),
    ("bp_systolic_mmhg", 140, False), ("bp_systolic_mmhg", 141, True),
    ("bp_diastolic_mmhg", 60, False), ("bp_diastolic_mmhg", 59, True),
    ("bp_diastolic_mmhg", 90, False), ("bp_diastolic_mmhg", 91, True),
    ("respiratory_rate_per_min", 25, False), ("respiratory_rate_per_min", 26, True),
    ("respiratory_rate_per_min", 8, False),  # no lower bound in the decisions
]


@pytest.mark.parametrize("set_id", [S4355, S5785])
@pytest.mark.parametrize(("vital", "value", "abnormal"), EDGES)
def test_vital_sign_edges(set_id: str, vital: str, value: float, abnormal: bool) -> None:
    result = evaluate(_set(set_id), _no(_set(set_id)), {**NORMAL, vital: value})
    assert result.outcome == (Outcome.POSTPONE if abnormal else Outcome.ELIGIBLE)
    assert [r.id for r in result.reasons] == ([vital] if abnormal else [])
    if abnormal:
        assert result.reasons[0].value == value


def test_a_reason_names_the_bound_it_crossed() -> None:
    result = evaluate(_set(S4355), _no(_set(S4355)), {"temperature_c": 35.4,
                                                      "pulse_per_min": 101})
    assert [(r.id, r.bound) for r in result.reasons] == [("temperature_c", "< 35.5"),
                                                         ("pulse_per_min", "> 100")]


@pytest.mark.parametrize(("usual", "value", "abnormal"), [
    (150, 180, False), (150, 181, True),   # treated hypertensive: usual + 30 replaces 140
    (100, 130, False), (100, 131, True),
    (150, 89, True),                       # the low bound still holds
])
def test_treated_hypertensives_are_judged_against_their_usual_pressure(
        usual: float, value: float, abnormal: bool) -> None:
    vitals = {**NORMAL, "bp_systolic_mmhg": value, "bp_systolic_mmhg_usual": usual}
    result = evaluate(_set(S4355), _no(_set(S4355)), vitals)
    assert result.outcome == (Outcome.POSTPONE if abnormal else Outcome.ELIGIBLE)


def test_the_severity_order_is_explicit() -> None:
    assert SEVERITY == (Outcome.ELIGIBLE, Outcome.CAUTION, Outcome.CAUTION_HOSPITAL,
                        Outcome.REFER, Outcome.POSTPONE, Outcome.CONTRAINDICATED)
    assert set(SEVERITY) == set(Outcome)


def test_the_most_severe_finding_wins_and_the_reasons_come_most_severe_first() -> None:
    result = evaluate(_set(S4355), _no(_set(S4355), allergy_history=True,
                                       anaphylaxis_grade3_history=True, acute_illness=True,
                                       anaphylaxis_covid_vaccine=True),
                      {"temperature_c": 38.0})
    assert result.outcome == Outcome.CONTRAINDICATED
    assert [(r.id, r.outcome) for r in result.reasons] == [
        ("anaphylaxis_covid_vaccine", Outcome.CONTRAINDICATED),
        ("acute_illness", Outcome.POSTPONE), ("temperature_c", Outcome.POSTPONE),
        ("anaphylaxis_grade3_history", Outcome.CAUTION_HOSPITAL),
        ("allergy_history", Outcome.CAUTION)]


@pytest.mark.parametrize(("yes", "vitals", "outcome"), [
    ({"pregnant_13_weeks_or_more": True}, {"temperature_c": 37.6}, Outcome.POSTPONE),
    ({"pregnant_13_weeks_or_more": True, "anaphylaxis_grade3_history": True}, NORMAL,
     Outcome.REFER),
    ({"allergy_history": True, "severe_immunodeficiency": True}, NORMAL,
     Outcome.CAUTION_HOSPITAL),
    ({"allergy_history": True, "clotting_disorder": True}, NORMAL, Outcome.CAUTION),
])
def test_pairs_of_findings(yes: dict[str, bool], vitals: dict[str, float],
                           outcome: Outcome) -> None:
    assert _run(S5785, vitals, **yes) == outcome


def test_an_unknown_item_is_refused_in_both_sets() -> None:
    for rule_set in rule_sets():
        answers = {**_no(rule_set), "fever": True}
        assert _code(lambda r=rule_set, a=answers: evaluate(r, a, NORMAL)) == \
            "screening.item_unknown"


def test_5785_refuses_the_item_it_removed() -> None:
    answers = {**_no(_set(S5785)), "covid_last_6_months": False}
    assert _code(lambda: evaluate(_set(S5785), answers, NORMAL)) == "screening.item_unknown"


def test_an_unanswered_item_is_refused() -> None:
    answers = _no(_set(S4355))
    del answers["clotting_disorder"]
    with pytest.raises(RuleError) as err:
        evaluate(_set(S4355), answers, NORMAL)
    assert (err.value.code, err.value.field) == ("screening.item_missing", "clotting_disorder")


def test_an_answer_that_is_not_yes_or_no_is_refused() -> None:
    answers: dict[str, object] = {**_no(_set(S4355)), "acute_illness": "Có"}
    assert _code(lambda: evaluate(_set(S4355), answers, NORMAL)) == "screening.answer_type"  # type: ignore[arg-type]


@pytest.mark.parametrize("vital", ["spo2_percent", "weight_kg", "pulse_per_min_usual"])
def test_an_unknown_vital_is_refused_in_both_sets(vital: str) -> None:
    for rule_set in rule_sets():
        vitals = {**NORMAL, vital: 95.0}
        with pytest.raises(RuleError) as err:
            evaluate(rule_set, _no(rule_set), vitals)
        assert (err.value.code, err.value.field) == ("screening.vital_unknown", vital)


def test_temperature_is_required_the_others_are_measured_only_for_some() -> None:
    assert _code(lambda: evaluate(_set(S4355), _no(_set(S4355)), {"pulse_per_min": 80})) == \
        "screening.vital_missing"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "37"])
def test_a_vital_that_is_not_a_finite_number_is_refused(value: object) -> None:
    vitals = {"temperature_c": value}
    assert _code(lambda: evaluate(_set(S4355), _no(_set(S4355)), vitals)) == \
        "screening.vital_value"  # type: ignore[arg-type]


def _raw(**change: object) -> dict[str, object]:
    raw = _set(S4355).model_dump(mode="json")
    raw.update(change)
    return raw


def test_the_set_model_refuses_bad_data() -> None:
    good = _raw()
    assert RuleSet.model_validate(good) == _set(S4355)
    with pytest.raises(ValidationError, match="extra"):
        RuleSet.model_validate(_raw(spo2=94))
    bad_vital = dict(good["vitals"][0], low=38.0)  # type: ignore[index]
    with pytest.raises(ValidationError, match="not below high"):
        RuleSet.model_validate(_raw(vitals=[bad_vital]))
    bad_item = dict(good["items"][0], outcome="MAYBE")  # type: ignore[index]
    with pytest.raises(ValidationError, match="outcome"):
        RuleSet.model_validate(_raw(items=[bad_item]))
    with pytest.raises(ValidationError, match="twice"):
        RuleSet.model_validate(_raw(items=[good["items"][0]] * 2))  # type: ignore[index]
