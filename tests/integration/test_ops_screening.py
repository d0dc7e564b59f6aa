"""Screening on each backend: the rule set is the one in force on the session's day (4355 in
October 2021, 5785 from 21 December 2021), the record keeps its id, the computed outcome and
its reasons; a clinician overruling the outcome must say why; scope comes first; a check-in is
screened once, again only after its latest screening, and the loser of a race to store the
same screening hears "screening.done" (uq_vax_screening_checkin_id_attempt, 0015)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, select, text

from callbacks.shared.i18n import t
from data.auth.roles import Forbidden, Principal, Role
from data.command_errors import OpsError
from data.models.ops import VaxScreening
from data.ops.commands import checkin, screening, sessions
from data.ops.commands.checkin import PersonForm
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
    # A 4355 question is no question of 5785: the form is told which item.
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, january,
                                   _answers(ITEMS_4355), {"temperature_c": 36.6}, "ELIGIBLE")
    assert err.value.codes() == {"covid_last_6_months": "screening.item_unknown"}
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


def _attempts(engine: Engine, cid: str) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT attempt, final_decision FROM vax_screening WHERE checkin_id = :c "
            "ORDER BY attempt"), {"c": cid})]


def test_a_checkin_is_screened_once_and_again_only_after_its_latest(engine: Engine) -> None:
    seed_places(engine)
    doctor = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    cid = _checked_in(engine, doctor, OCT_2021)
    answers, vitals = _answers(ITEMS_4355), {"temperature_c": 36.6}
    first = screening.record_screening(engine, doctor, SOURCE, cid, answers,
                                       {"temperature_c": 38.2}, "POSTPONE")
    # A second save of the form (another clinician, a retry) is refused, with the time of
    # the screening that stands.
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "ELIGIBLE")
    [problem] = err.value.problems
    with engine.connect() as conn:
        at = screening.latest_attempt(conn, cid)
    assert at is not None
    hhmm = screening._already(at).problems[0].detail
    assert (problem.field, problem.code, problem.detail) == ("checkin_id", "screening.done",
                                                             hhmm)
    assert len(hhmm) == 5 and hhmm[2] == ":"
    assert t("screening.done", "en", detail=hhmm) == (
        f"This person was already screened at this check-in (at {hhmm}); the screening was "
        "not recorded again.")
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "ELIGIBLE",
                                   rescreen_of="not-a-screening")
    assert err.value.codes() == {"rescreen_of": "screening.rescreen_of"}
    # Screened again after the pause: the next attempt.
    again = screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals,
                                       "ELIGIBLE", rescreen_of=first.screening_id)
    # A form still following the first screening comes too late.
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "ELIGIBLE",
                                   rescreen_of=first.screening_id)
    assert err.value.codes() == {"rescreen_of": "screening.rescreen_of"}
    assert _attempts(engine, cid) == [(1, "POSTPONE"), (2, "ELIGIBLE")]
    assert _stored(engine, again.screening_id)["attempt"] == 2


def test_the_loser_of_a_race_hears_screening_done(engine: Engine,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Both clinicians read "not screened yet" before either stored: the unique index
    refuses the second insert, which the command words as the first check would."""
    seed_places(engine)
    doctor = principal(engine, "bac.si", Role.FACILITY_STAFF, "F00101")
    cid = _checked_in(engine, doctor, OCT_2021)
    answers, vitals = _answers(ITEMS_4355), {"temperature_c": 36.6}
    screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "ELIGIBLE")

    def read_before_the_winner_stored(_conn: Connection, _cid: str, _of: str | None) -> int:
        return 1

    monkeypatch.setattr(screening, "_attempt", read_before_the_winner_stored)
    with pytest.raises(OpsError) as err:
        screening.record_screening(engine, doctor, SOURCE, cid, answers, vitals, "CAUTION",
                                   "lần thứ hai")
    assert [(p.field, p.code) for p in err.value.problems] == [("checkin_id",
                                                                "screening.done")]
    assert err.value.problems[0].detail != ""
    assert _attempts(engine, cid) == [(1, "ELIGIBLE")]
    with engine.connect() as conn:  # the loser's audit entry went with its transaction
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'SCREEN'")
                            ).scalar_one() == 1
