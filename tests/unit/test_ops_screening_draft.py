"""The screening form half filled in: its outcome so far comes from the rule set's evaluate
(unanswered items read as Không, a required vital not yet measured left out), and vitals no
living person shows are refused, not read as findings."""

from __future__ import annotations

from data.ops.rules.screening import Outcome, rule_sets
from data.ops.rules.screening_draft import evaluate_draft, implausible

SET_5785 = next(s for s in rule_sets() if s.id == "screening-5785-adult")


def test_an_empty_form_is_eligible_so_far_with_everything_missing() -> None:
    draft = evaluate_draft(SET_5785, {}, {})
    assert draft.screening.outcome == Outcome.ELIGIBLE
    assert draft.unanswered == tuple(i.id for i in SET_5785.items)
    assert draft.unmeasured == ("temperature_c",)


def test_the_most_severe_finding_so_far_wins_as_evaluate_says() -> None:
    draft = evaluate_draft(SET_5785, {"allergy_history": True, "acute_illness": False},
                           {"temperature_c": 37.6})
    assert draft.screening.outcome == Outcome.POSTPONE  # 37.6 > 37.5
    assert [(r.id, r.outcome) for r in draft.screening.reasons] == [
        ("temperature_c", Outcome.POSTPONE), ("allergy_history", Outcome.CAUTION)]
    assert len(draft.unanswered) == len(SET_5785.items) - 2 and draft.unmeasured == ()
    # At the edge the value is normal: the bound itself is not outside.
    edge = evaluate_draft(SET_5785, {"allergy_history": True}, {"temperature_c": 37.5})
    assert edge.screening.outcome == Outcome.CAUTION


def test_usual_blood_pressure_replaces_the_high_bound() -> None:
    treated = evaluate_draft(SET_5785, {}, {"temperature_c": 36.5, "bp_systolic_mmhg": 165,
                                            "bp_systolic_mmhg_usual": 140})
    assert treated.screening.outcome == Outcome.ELIGIBLE  # 165 <= 140 + 30
    assert evaluate_draft(SET_5785, {}, {"bp_systolic_mmhg": 171,
                                         "bp_systolic_mmhg_usual": 140}
                          ).screening.outcome == Outcome.POSTPONE


def test_unknown_ids_and_implausible_values_do_not_count_yet() -> None:
    draft = evaluate_draft(SET_5785, {"made_up": True, "acute_illness": "yes"},  # type: ignore[dict-item]
                           {"temperature_c": 500.0, "made_up_vital": 1.0})
    assert draft.screening.outcome == Outcome.ELIGIBLE
    assert "acute_illness" in draft.unanswered and draft.unmeasured == ("temperature_c",)


def test_implausible_vitals_name_their_field_and_range() -> None:
    assert [(e.code, e.field, e.detail) for e in implausible(
        {"temperature_c": 45.1, "pulse_per_min": 20.0, "bp_systolic_mmhg_usual": 10.0,
         "respiratory_rate_per_min": 25.0})] == [
        ("screening.vital_implausible", "temperature_c", "30–45"),
        ("screening.vital_implausible", "bp_systolic_mmhg_usual", "50–300")]
