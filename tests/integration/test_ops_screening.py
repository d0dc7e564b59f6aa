"""Screening on each backend: the rule set is the one in force on the session's day (4355 in
October 2021, 5785 from 21 December 2021), the record keeps its id, the computed outcome and
its reasons; a clinician overruling the outcome must say why; scope comes first."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, text

from data.auth.roles import Forbidden, Principal, Role
from data.models.ops import VaxScreening
from data.ops.commands import checkin, screening, sessions
from data.ops.commands.checkin import PersonForm
from data.ops.commands.errors import OpsError
from tests.integration.ops_setup import PERSON, SOURCE, plan, principal, seed_places

AN = PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "M", full_name="Nguyễn Văn An",
                phone="0912345678", province_code="01", district_code="001")
ITEMS_4355 = ["anaphylaxis_covid_vaccine", "covid_last_6_months", "acute_illness",
              "pregnant_under_13_weeks", "pregnant_13_weeks_or_more",
              "anaphylaxis_grade3_history", "severe_immunodeficiency", "allergy_history",
              "clotting_disorder", "impaired_consciousness"]
ITEMS_5785 = [i for i in ITEMS_4355 if i != "covid_last_6_months"] + [
    "manufacturer_contraindication"]
OCT_2021, JAN_2022 = dt.date(2021, 10, 15), dt.date(2022, 1, 10)


def _answers(items: list[str], *yes: str) -> dict[str, bool]:
    return {i: i in yes for i in items}


def _checked_in(engine: Engine, desk: Principal, day: dt.date) -> str:
    sid = sessions.create_session(engine, desk, SOURCE, plan(day=day))
    return checkin.record_checkin(engine, desk, SOURCE, sid, AN).checkin_id


def _stored(engine: Engine, screening_id: str) -> dict:
    with engine.connect() as conn:
        t = VaxScreening.__table__
        return dict(conn.execute(select(t).where(t.c.screening_id == screening_id))
                    .mappings().one())


def test_the_rule_set_in_force_on_the_day_is_used_and_kept(engine: Engine) -> None:
    seed_places(engine)
    doctor = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    october = _checked_in(engine, doctor, OCT_2021)
    january = _checked_in(engine, doctor, JAN_2022)
    # Impaired consciousness is a postponement under 4355, a referral under 5785; in October
    # a systolic pressure of 150 (over 140) postpones as well.
    vitals = {"temperature_c": 36.6, "bp_systolic_mmhg": 150}
    old = screening.record_screening(
        engine, doctor, SOURCE, october, _answers(ITEMS_4355, "impaired_consciousness"),
        vitals, "POSTPONE")
    new = screening.record_screening(
        engine, doctor, SOURCE, january, _answers(ITEMS_5785, "impaired_consciousness"),
        {"temperature_c": 36.6, "bp_systolic_mmhg": 130}, "REFER")
    assert (old.rule_set_id, old.computed_outcome) == ("screening-4355-adult", "POSTPONE")
    assert (new.rule_set_id, new.computed_outcome) == ("screening-5785-adult", "REFER")
    row = _stored(engine, old.screening_id)
    assert (row["checkin_id"], row["rule_set_id"], row["computed_outcome"],
            row["final_decision"], row["decision_reason"], row["clinician_user_id"]) == (
        october, "screening-4355-adult", "POSTPONE", "POSTPONE", None, doctor.user_id)
    assert row["answers"]["impaired_consciousness"] is True and len(row["answers"]) == 10
    assert row["vitals"] == vitals
    assert [(r["source"], r["id"], r["outcome"], r["value"], r["bound"])
            for r in row["reasons"]] == [
        ("item", "impaired_consciousness", "POSTPONE", None, ""),
        ("vital", "bp_systolic_mmhg", "POSTPONE", 150.0, "> 140")]
    row = _stored(engine, new.screening_id)
    assert (row["rule_set_id"], row["computed_outcome"], len(row["answers"])) == (
        "screening-5785-adult", "REFER", 10)
    assert [(r["id"], r["outcome"]) for r in row["reasons"]] == [
        ("impaired_consciousness", "REFER")]
    # A 4355 question is no question of 5785: the form is told which item.
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, january,
                                   _answers(ITEMS_4355), {"temperature_c": 36.6}, "ELIGIBLE")
    assert err.value.codes() == {"covid_last_6_months": "screening.item_unknown"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT action, COUNT(*) FROM audit_log WHERE table_name = "
                                 "'vax_screening' GROUP BY action")).all() == [("SCREEN", 2)]


def test_overruling_the_checklist_needs_a_reason(engine: Engine) -> None:
    seed_places(engine)
    doctor = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    cid = _checked_in(engine, doctor, OCT_2021)
    answers = _answers(ITEMS_4355, "allergy_history")  # CAUTION
    vitals = {"temperature_c": 36.8}
    for reason in ("", "   "):
        with pytest.raises(OpsError) as err:
            screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals,
                                       "ELIGIBLE", reason)
        assert err.value.codes() == {"decision_reason": "screening.reason_required"}
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "MAYBE")
    assert err.value.codes() == {"final_decision": "screening.decision_unknown"}
    with pytest.raises(OpsError) as err:  # temperature is measured for everyone
        screening.record_screening(engine, doctor, SOURCE, cid, answers, {}, "CAUTION")
    assert err.value.codes() == {"temperature_c": "screening.vital_missing"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vax_screening")).scalar_one() == 0
    done = screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals,
                                      "ELIGIBLE", " Dị ứng nhẹ với tôm, không phản vệ ")
    row = _stored(engine, done.screening_id)
    assert (row["computed_outcome"], row["final_decision"], row["decision_reason"]) == (
        "CAUTION", "ELIGIBLE", "Dị ứng nhẹ với tôm, không phản vệ")


def test_screening_checks_scope_first(engine: Engine) -> None:
    seed_places(engine)
    doctor = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    cid = _checked_in(engine, doctor, OCT_2021)
    for other in [principal(engine, "bac.si.khac", Role.FACILITY_STAFF, "F00102"),
                  principal(engine, "quan.1", Role.DISTRICT_OFFICER, "760"),
                  principal(engine, "quan.tri", Role.SYSTEM_ADMIN, None)]:
        with pytest.raises(Forbidden):  # before the answers, which are missing too
            screening.record_screening(engine, other, SOURCE, cid, {}, {}, "ELIGIBLE")
    officer = principal(engine, "quan.badinh", Role.DISTRICT_OFFICER, "001")
    done = screening.record_screening(engine, officer, SOURCE, cid, _answers(ITEMS_4355),
                                      {"temperature_c": 36.5}, "ELIGIBLE")
    assert (done.computed_outcome, done.reasons) == ("ELIGIBLE", ())
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, "nope", {}, {}, "ELIGIBLE")
    assert err.value.codes() == {"checkin_id": "checkin.unknown"}
