"""give_dose, the injection step, on each backend: the session's lots first-expiry-first-out;
expired, unheld and other facilities' lots refused; the screening's final decision required;
the dose proposed by the schedule (across the AZ interval change of 2021-09-20) with a reason
needed to give another or one the rules refuse; the vaccinator and site stored; the dose and
its vax_injection row in one transaction; the record_id as idempotency key; a session with a
dose given closes only with its tally, one without closes plainly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from callbacks.shared.i18n import t
from data.auth.roles import Forbidden, Principal, Role
from data.command_errors import OpsError
from data.ops.commands.checkin import PersonForm
from data.ops.commands.closing import close_with_tally
from data.ops.commands.give_dose import give_dose
from data.ops.commands.screening import latest_attempt, record_screening
from data.ops.commands.sessions import close_session
from data.ops.queries.lots import session_lots
from data.settings import Settings
from data.version import read_version
from etl.pipeline import load_file
from tests.factories import injection, write_csv
from tests.integration.injection_setup import (
    AT,
    DAY,
    ITEMS_4355,
    at_nine,
    choice,
    open_session,
    screened,
    seed_stock,
)
from tests.integration.ops_setup import principal, registration
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses


@pytest.fixture
def staff(settings: Settings, engine: Engine, tmp_path: Path) -> Principal:
    """F00101's staff member, with the stock seeded and Nguyễn Văn An registered."""
    seed_stock(settings, engine, tmp_path)
    registration(engine, "REG000000001")
    return principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")


def _first_dose(settings: Settings, engine: Engine, tmp_path: Path,
                day: str = "2021-08-01", vaccine: str = "AZ") -> None:
    """An AZ primary 1 of An, by file (so its facts and rollups are real)."""
    result = load_file(settings, engine, "injections", write_csv(
        tmp_path / "first.csv", [injection("FILE-1", vaccine_code=vaccine,
                                           administered_at=f"{day}T08:30:00+07:00")]))
    assert result.loaded == 1


def _rows(engine: Engine, sql: str, **params: Any) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _count(engine: Engine, table: str) -> int:
    return int(_rows(engine, f"SELECT COUNT(*) FROM {table}")[0][0])


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


def _refused(engine: Engine, who: Principal, dose: Any, lang: str = "en") -> dict[str, str]:
    with pytest.raises(OpsError) as err:
        give_dose(engine, who, dose, lang)
    return {p.field: p.code for p in err.value.problems}


def _nothing_written(engine: Engine, doses_before: int) -> None:
    assert _count(engine, "vax_injection") == 0
    assert _rows(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == [(0,)]
    assert _doses(engine) == doses_before
    _assert_rollups_match(engine)


# -- lots ------------------------------------------------------------------------------------

def test_the_session_draws_on_its_facilitys_lots_first_expiry_first_out(
        engine: Engine, staff: Principal) -> None:
    everything = open_session(engine, staff)
    assert [(lot.vaccine_code, lot.lot_number, lot.expiry_date, lot.doses)
            for lot in session_lots(engine, staff, everything)] == [
        ("AZ", "AZ2110B", dt.date(2022, 1, 31), 200),
        ("PFZ", "FF2222", dt.date(2022, 3, 31), 100),
        ("AZ", "AZ2108A", dt.date(2022, 6, 30), 500)]
    # A session naming its lots draws on those only; another facility on its own stock.
    named = open_session(engine, staff, lots=["AZ2108A"])
    assert [lot.lot_number for lot in session_lots(engine, staff, named)] == ["AZ2108A"]
    az_only = open_session(engine, staff, vaccines=["AZ"])
    assert [lot.lot_number for lot in session_lots(engine, staff, az_only)] == [
        "AZ2110B", "AZ2108A"]
    other = principal(engine, "tram.khac", Role.FACILITY_STAFF, "F00102")
    theirs = open_session(engine, other, facility="F00102")
    assert [lot.lot_number for lot in session_lots(engine, other, theirs)] == ["AZ2109C"]
    with pytest.raises(Forbidden):
        session_lots(engine, other, everything)


@pytest.mark.parametrize(("vaccine", "lot", "code"), [
    ("AZ", "AZ2104X", "injection.lot_expired"),     # held, expired on 2021-10-01
    ("AZ", "AZ2107Z", "injection.lot_not_held"),    # counted down to 0 doses
    ("AZ", "AZ2109C", "injection.lot_not_held"),    # held by F00102, not by F00101
    ("AZ", "AZ0000Q", "injection.lot_not_held"),    # held nowhere
    ("PFZ", "AZ2110B", "injection.lot_not_held"),   # an AZ lot named as Pfizer
    ("MOD", "MD1", "injection.lot_not_session"),    # a vaccine the session does not use
], ids=["expired", "none-left", "other-facility", "unknown", "wrong-vaccine", "not-session"])
def test_a_lot_the_facility_cannot_use_is_refused(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal, vaccine: str,
        lot: str, code: str) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff))
    before = _doses(engine)
    assert _refused(engine, staff, choice(cid, vaccine_code=vaccine, lot_number=lot)) == {
        "lot_number": code}
    _nothing_written(engine, before)


def test_a_session_naming_its_lots_refuses_another_lot(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff, lots=["AZ2108A"]))
    assert _refused(engine, staff, choice(cid, lot_number="AZ2110B")) == {
        "lot_number": "injection.lot_not_session"}
    assert give_dose(engine, staff, choice(cid, lot_number="AZ2108A"), "vi").outcome == "loaded"


def test_the_lot_refusal_is_worded_in_both_languages(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    cid = screened(engine, staff, open_session(engine, staff))
    with pytest.raises(OpsError) as err:
        give_dose(engine, staff, choice(cid, lot_number="AZ2104X"), "vi")
    (p,) = err.value.problems
    assert p.detail == "01/10/2021"
    assert t(p.code, "en", detail=p.detail) == (
        "This lot expired on 01/10/2021; it may not be given.")
    assert t(p.code, "vi", detail=p.detail) == (
        "Lô này đã hết hạn ngày 01/10/2021, không được tiêm.")


# -- a dose given ----------------------------------------------------------------------------

def test_a_dose_given_lands_with_its_injection_row_audit_and_version(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff))
    version, doses = _version(engine), _doses(engine)
    done = give_dose(engine, staff, choice(cid), "vi", source="10.0.0.9")
    assert (done.record_id, done.outcome, done.overridden) == ("F-1", "loaded", False)
    assert (done.proposed.kind, done.proposed.number) == ("PRIMARY", 2)
    assert _rows(engine, "SELECT person_id, facility_code, vaccine_code, lot_number, dose_kind, "
                         "dose_number, vaccinator, status FROM injection WHERE record_id = 'F-1'"
                 ) == [("001090012345", "F00101", "AZ", "AZ2110B", "PRIMARY", 2, "tram.phucxa",
                        "COMPLETED")]
    assert _rows(engine, "SELECT checkin_id, injection_site, proposed_dose_kind, "
                         "proposed_dose_number, override_reason, vaccinator_user_id, "
                         "recorded_by, status FROM vax_injection") == [
        (cid, "LEFT_ARM", "PRIMARY", 2, None, staff.user_id, staff.user_id, "COMPLETED")]
    assert _rows(engine, "SELECT COUNT(*) FROM fct_injection WHERE record_id = 'F-1'") == [(1,)]
    assert _doses(engine) == doses + 1
    _assert_rollups_match(engine)
    assert _version(engine) == version + 1
    audits = _rows(engine, "SELECT action, table_name, source, after FROM audit_log "
                           "WHERE record_key = 'F-1' ORDER BY id")
    assert [a[:3] for a in audits] == [("INJECT", "vax_injection", "10.0.0.9"),
                                       ("CREATE", "injection", "10.0.0.9")]
    after = audits[0][3] if isinstance(audits[0][3], dict) else json.loads(audits[0][3])
    assert after["chosen"] == ["PRIMARY", 2] and after["overridden"] is False
    assert "Nguyễn" not in json.dumps(after, ensure_ascii=False)  # no personal data
    # The form sent again (same record_id) stores nothing and moves nothing.
    again = give_dose(engine, staff, choice(cid), "vi")
    assert again.outcome == "unchanged"
    assert (_count(engine, "vax_injection"), _doses(engine), _version(engine)) == (
        1, doses + 1, version + 1)
    # Another record for the same arrival is a second dose: refused, saying when.
    assert _refused(engine, staff, choice(cid, "F-2")) == {"checkin_id": "injection.checkin_done"}
    # A record_id of another arrival or another dose is not this one's.
    second = screened(engine, staff, open_session(engine, staff))
    assert _refused(engine, staff, choice(second, "F-1")) == {
        "record_id": "injection.record_taken"}
    assert _refused(engine, staff, choice(second, "FILE-1")) == {
        "record_id": "injection.record_taken"}


def test_the_vaccinator_is_the_user_or_one_of_the_sessions_vaccinators(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)
    nurse = principal(engine, "dieu.duong", Role.FACILITY_STAFF, "F00101")
    desk = principal(engine, "le.tan", Role.FACILITY_STAFF, "F00101")
    sid = open_session(engine, staff, staff=[(nurse.user_id, "VACCINATOR"),
                                             (desk.user_id, "CHECKIN")])
    cid = screened(engine, staff, sid)
    for outsider in (desk.user_id, 99_999):
        assert _refused(engine, staff, choice(cid, vaccinator_user_id=outsider)) == {
            "vaccinator_user_id": "injection.vaccinator"}
    give_dose(engine, staff, choice(cid, vaccinator_user_id=nurse.user_id,
                                    injection_site="RIGHT_THIGH"), "vi")
    assert _rows(engine, "SELECT vaccinator_user_id, recorded_by, injection_site "
                         "FROM vax_injection") == [(nurse.user_id, staff.user_id, "RIGHT_THIGH")]
    assert _rows(engine, "SELECT vaccinator FROM injection WHERE record_id = 'F-1'") == [
        ("dieu.duong",)]


def test_form_values_out_of_shape_are_refused_beside_their_fields(
        engine: Engine, staff: Principal) -> None:
    cid = screened(engine, staff, open_session(engine, staff))
    assert _refused(engine, staff, choice(cid, injection_site="NOSE", dose_kind="EXTRA",
                                          override_reason="x" * 501, record_id="")) == {
        "injection_site": "injection.site", "dose_number": "injection.dose",
        "override_reason": "injection.reason_long", "record_id": "injection.record_id"}
    assert _refused(engine, staff, choice(cid, administered_at=at_nine(DAY + dt.timedelta(1)))
                    ) == {"administered_at": "injection.session_day"}
    assert _refused(engine, staff, choice("nope")) == {"checkin_id": "checkin.unknown"}


def test_scope_comes_first(engine: Engine, staff: Principal) -> None:
    cid = screened(engine, staff, open_session(engine, staff))
    for other in [principal(engine, "tram.khac", Role.FACILITY_STAFF, "F00102"),
                  principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)]:
        with pytest.raises(Forbidden):  # before the lot, which is wrong too
            give_dose(engine, other, choice(cid, lot_number="AZ2104X"), "vi")
    assert _count(engine, "vax_injection") == 0


# -- screening -------------------------------------------------------------------------------

@pytest.mark.parametrize(("decision", "code"), [
    ("", "injection.screening_required"),
    ("POSTPONE", "injection.not_eligible"),
    ("REFER", "injection.not_eligible"),
    ("CONTRAINDICATED", "injection.not_eligible"),
    ("CAUTION_HOSPITAL", "injection.not_eligible"),
    ("CAUTION", None),
])
def test_only_a_screening_that_allows_the_dose_lets_it_be_given(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal, decision: str,
        code: str | None) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff), decision)
    if code is None:
        assert give_dose(engine, staff, choice(cid), "vi").outcome == "loaded"
    else:
        assert _refused(engine, staff, choice(cid)) == {"checkin_id": code}
        assert _count(engine, "vax_injection") == 0


def test_the_latest_screening_decides(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff), "POSTPONE")
    assert _refused(engine, staff, choice(cid)) == {"checkin_id": "injection.not_eligible"}
    with engine.connect() as conn:
        postponed = latest_attempt(conn, cid)
    assert postponed is not None and postponed["attempt"] == 1
    # Screened again after the pause: the re-screen names the screening it follows.
    record_screening(engine, staff, "t", cid, {i: False for i in ITEMS_4355},
                     {"temperature_c": 36.5}, "ELIGIBLE",
                     rescreen_of=postponed["screening_id"])
    assert give_dose(engine, staff, choice(cid), "vi").outcome == "loaded"


# -- the schedule's proposal and its override ------------------------------------------------

def test_az_second_dose_before_the_2021_09_20_change_needs_a_reason_after_it_does_not(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    """First dose 2021-08-25. On 2021-09-17 (23 days) the rules then in force want 8 weeks;
    from 2021-09-20 (7820/BYT-DP) 4 weeks, so on 2021-09-24 (30 days) it is on time."""
    _first_dose(settings, engine, tmp_path, day="2021-08-25")
    early_day, late_day = dt.date(2021, 9, 17), dt.date(2021, 9, 24)
    early = screened(engine, staff, open_session(engine, staff, day=early_day))
    with pytest.raises(OpsError) as err:
        give_dose(engine, staff, choice(early, administered_at=at_nine(early_day)), "en")
    assert [(p.field, p.code, p.detail) for p in err.value.problems] == [
        ("dose_number", "schedule.too_early", "22/09/2021")]
    assert _count(engine, "vax_injection") == 0
    done = give_dose(engine, staff, choice(early, administered_at=at_nine(early_day),
                                           override_reason=" Sắp đi công tác nước ngoài "),
                     "en")
    assert (done.outcome, done.overridden) == ("loaded", True)
    assert _rows(engine, "SELECT override_reason, proposed_dose_kind, proposed_dose_number "
                         "FROM vax_injection") == [("Sắp đi công tác nước ngoài", "PRIMARY", 2)]
    # The same second dose a week later, under the new rule: no reason needed.
    load_file(settings, engine, "injections", write_csv(tmp_path / "err.csv", [injection(
        "F-1", vaccine_code="AZ", lot_number="AZ2110B", dose_number=2,
        administered_at="2021-09-17T09:00:00+07:00", vaccinator="tram.phucxa",
        status="ENTERED_IN_ERROR")]))
    late = screened(engine, staff, open_session(engine, staff, day=late_day))
    done = give_dose(engine, staff, choice(late, "F-2", administered_at=at_nine(late_day)),
                     "en")
    assert (done.outcome, done.overridden) == ("loaded", False)
    _assert_rollups_match(engine)


def test_a_mixed_schedule_is_proposed_and_another_dose_needs_a_reason(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)  # AZ on 2021-08-01
    cid = screened(engine, staff, open_session(engine, staff))
    # A booster when the schedule proposes the second primary dose: two reasons to stop.
    with pytest.raises(OpsError) as err:
        give_dose(engine, staff, choice(cid, dose_kind="BOOSTER", dose_number=1), "en")
    assert [(p.field, p.code, p.detail) for p in err.value.problems] == [
        ("override_reason", "injection.override_required", "PRIMARY 2"),
        ("dose_number", "schedule.kind", "BOOSTER 1")]
    # Pfizer after AstraZeneca is a mixed schedule the rules allow (6030/BYT-DP): no reason.
    done = give_dose(engine, staff, choice(cid, vaccine_code="PFZ", lot_number="FF2222"), "en")
    assert (done.outcome, done.overridden) == ("loaded", False)
    assert _rows(engine, "SELECT vaccine_code, dose_kind, dose_number FROM injection "
                         "WHERE record_id = 'F-1'") == [("PFZ", "PRIMARY", 2)]


def test_a_first_dose_for_someone_with_no_history(engine: Engine, staff: Principal) -> None:
    cid = screened(engine, staff, open_session(engine, staff))
    assert _refused(engine, staff, choice(cid)) == {"override_reason":
                                                    "injection.override_required",
                                                    "dose_number": "schedule.kind"}
    done = give_dose(engine, staff, choice(cid, dose_number=1), "vi")
    assert (done.proposed.kind, done.proposed.number, done.overridden) == ("PRIMARY", 1, False)


# -- one transaction -------------------------------------------------------------------------

def test_a_failure_after_the_injection_row_leaves_nothing(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _first_dose(settings, engine, tmp_path)
    cid = screened(engine, staff, open_session(engine, staff))
    version, doses = _version(engine), _doses(engine)
    audits = _count(engine, "audit_log")

    def broken(_conn: Any) -> None:
        raise RuntimeError("the version row is gone")

    monkeypatch.setattr("data.ops.commands.injection.bump_version", broken)
    with pytest.raises(RuntimeError):
        give_dose(engine, staff, choice(cid), "vi")
    _nothing_written(engine, doses)
    assert _rows(engine, "SELECT COUNT(*) FROM fct_injection WHERE record_id = 'F-1'") == [(0,)]
    assert (_version(engine), _count(engine, "audit_log")) == (version, audits)
    monkeypatch.undo()
    assert give_dose(engine, staff, choice(cid), "vi").outcome == "loaded"


def test_a_contract_refusal_after_the_injection_row_leaves_nothing(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    """The registration's district lies outside its province: the contract refuses the dose
    (as it would the file's row) after vax_injection was written; both roll back."""
    registration(engine, "REG000000009", person_id="001090054321", district_code="760",
                 ward_code=None)
    form = PersonForm("CCCD", "001090054321", dt.date(1990, 1, 2), "M")
    cid = screened(engine, staff, open_session(engine, staff), form=form)
    doses = _doses(engine)
    codes = _refused(engine, staff, choice(cid, dose_number=1))
    assert codes.get("district_code"), codes
    _nothing_written(engine, doses)
    assert AT.date() == DAY


# -- the end of the day: a session with doses closes with its tally ---------------------------

def test_a_session_with_a_dose_closes_only_with_its_tally(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    _first_dose(settings, engine, tmp_path)
    sid = open_session(engine, staff)
    give_dose(engine, staff, choice(screened(engine, staff, sid)), "vi")
    with pytest.raises(OpsError) as err:
        close_session(engine, staff, "t", sid)
    assert [(p.field, p.code, p.detail) for p in err.value.problems] == [
        ("session_id", "close.tally_required", "1")]
    assert _rows(engine, "SELECT status FROM vax_session") == [("OPEN",)]
    assert _count(engine, "vax_session_tally") == 0
    done = close_with_tally(engine, staff, sid, {"AZ2110B": 1}, "vi")
    assert [(lot.lot_number, lot.doses_given, lot.doses_wasted) for lot in done.lots] == [
        ("AZ2110B", 1, 9)]
    assert _rows(engine, "SELECT status FROM vax_session") == [("CLOSED",)]
    with pytest.raises(OpsError) as err:  # closed already: told so, not asked for a tally
        close_session(engine, staff, "t", sid)
    assert err.value.codes() == {"session_id": "session.closed"}


def test_a_session_without_doses_closes_plainly(
        settings: Settings, engine: Engine, tmp_path: Path, staff: Principal) -> None:
    """A cancelled day: people checked in and screened, nobody vaccinated."""
    _first_dose(settings, engine, tmp_path)  # a dose of F00101, on another day
    sid = open_session(engine, staff)
    screened(engine, staff, sid, "POSTPONE")
    close_session(engine, staff, "t", sid)
    assert _rows(engine, "SELECT status FROM vax_session") == [("CLOSED",)]
    assert _count(engine, "vax_session_tally") == 0
