"""Self-registration on the public portal, through its callbacks as an anonymous visitor:
valid and refused forms (errors beside each field, in the page's language), the CCCD checked
against birth date and sex, one registration per identity, the challenge and the rate limits."""

from __future__ import annotations

import datetime as dt

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select, text

from callbacks.portal import limits
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import t
from data.interchange.messages import message
from data.models.operational import Registration
from data.portal import challenge
from data.services import Services
from tests.integration.ops_setup import registration, seed_places
from tests.integration.portal_calls import GOOD, code_of, error, submit, token_of

REG = Registration.__table__


def _count(engine: Engine, table: str = "registration") -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_valid_registration_is_stored_and_its_code_shown(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    seed_places(services.engine)
    csrf = token_of(client)
    out = submit(client, csrf, app, GOOD | {pid.REG_FACILITY: "F00101"})
    code = code_of(out)
    assert code is not None and code.startswith("DK") and len(code) == 10
    assert out[f"{pid.REG_RESULT}-block"]["hidden"] is False
    assert out[pid.REG_FORM]["hidden"] is True
    assert pid.REG_CHALLENGE_TOKEN not in out  # the form is gone: no next sum
    assert out[pid.REG_STATUS]["children"] == t("portal.reg.done", "vi")
    with services.engine.connect() as conn:
        row = conn.execute(select(REG).where(REG.c.registration_id == code)).mappings().one()
        facts = conn.execute(text("SELECT count(*) FROM fct_registration "
                                  "WHERE registration_id = :c"), {"c": code}).scalar_one()
        claim = conn.execute(text("SELECT facility_code FROM portal_registration "
                                  "WHERE person_id = '001090012345'")).scalar_one()
    assert (row["person_id"], row["full_name"], str(row["birth_date"]), row["sex"],
            row["phone"], row["district_code"], row["organisation"]) == (
        "001090012345", "Nguyễn Văn An", "1990-01-02", "M", "0912345678", "001", None)
    assert facts == 1 and claim == "F00101"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_refused_fields_show_beside_each_field_in_the_page_language(
        app: dash.Dash, client: FlaskClient, services: Services, lang: str) -> None:
    csrf = token_of(client)
    out = submit(client, csrf, app, GOOD | {pid.REG_PHONE: "12345", pid.REG_FULL_NAME: "",
                                            pid.REG_DISTRICT: "760"}, lang=lang)
    assert code_of(out) is None
    assert error(out, pid.REG_PHONE) == message("bad_phone", lang)
    assert error(out, pid.REG_FULL_NAME) == message("required", lang)
    assert error(out, pid.REG_DISTRICT)  # 760 is a district of province 79, not 01
    assert error(out, pid.REG_PERSON_ID) == ""
    assert out[pid.REG_STATUS]["children"].startswith(t("portal.reg.fix", lang))
    assert _count(services.engine) == 0


def test_a_cccd_must_agree_with_birth_year_and_sex(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    csrf = token_of(client)
    out = submit(client, csrf, app, GOOD | {pid.REG_BIRTH_DATE: "1985-03-04", pid.REG_SEX: "F"},
                 lang="en")
    assert code_of(out) is None
    assert "1990" in error(out, pid.REG_BIRTH_DATE) and "1985" in error(out, pid.REG_BIRTH_DATE)
    assert error(out, pid.REG_SEX) != ""
    # Said at once, beside the contract's own refusals of other fields.
    both = submit(client, csrf, app, GOOD | {pid.REG_BIRTH_DATE: "1985-03-04",
                                             pid.REG_PHONE: "12"})
    assert error(both, pid.REG_PHONE) and "1985" in error(both, pid.REG_BIRTH_DATE)
    bad_province = submit(client, csrf, app, GOOD | {pid.REG_PERSON_ID: "099090012345"})
    assert error(bad_province, pid.REG_PERSON_ID) == t("cccd.province", "vi")
    assert _count(services.engine) == 0


def test_a_second_registration_of_the_same_identity_is_refused_and_says_what_to_do(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    csrf = token_of(client)
    first = code_of(submit(client, csrf, app, GOOD))
    assert first is not None
    again = submit(client, csrf, app, GOOD | {pid.REG_FULL_NAME: "Nguyễn Văn Bình"}, lang="en")
    assert code_of(again) is None
    said = error(again, pid.REG_PERSON_ID)
    assert said == t("portal.reg.duplicate", "en", path="/portal/registration")
    assert first not in str(again)  # nothing about the registration already there
    # An identity the registry knows from a file is refused the same way.
    registration(services.engine, "FILE-1", person_id="079301234567", full_name="Trần Thị Mai",
                 birth_date=dt.date(2001, 5, 6), sex="F",
                 province_code="79", district_code="760", ward_code=None)
    woman = GOOD | {pid.REG_PERSON_ID: "079301234567", pid.REG_BIRTH_DATE: "06/05/2001",
                    pid.REG_SEX: "F", pid.REG_PROVINCE: "79", pid.REG_DISTRICT: "760"}
    assert error(submit(client, csrf, app, woman), pid.REG_PERSON_ID) == t(
        "portal.reg.duplicate", "vi", path="/portal/registration")
    assert _count(services.engine) == 2


def test_the_challenge_is_required_must_be_right_and_serves_once(
        app: dash.Dash, client: FlaskClient, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = token_of(client)
    wrong = submit(client, csrf, app, GOOD, answer="999")
    assert error(wrong, pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_wrong", "vi")
    assert wrong[pid.REG_CHALLENGE_TOKEN]["data"]  # a new sum to work out
    missing = submit(client, csrf, app, GOOD, token="not-a-token", answer="4")
    assert error(missing, pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_wrong", "vi")
    secret = str(app.server.config["SECRET_KEY"])
    made = challenge.new_challenge(secret)
    forged = challenge.new_challenge("another secret")
    assert error(submit(client, csrf, app, GOOD, token=forged.token,
                        answer=str(forged.a + forged.b)),
                 pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_wrong", "vi")
    # Solved once (the form refused: the sum is spent all the same) ...
    first = submit(client, csrf, app, GOOD | {pid.REG_PHONE: "1"}, token=made.token,
                   answer=str(made.a + made.b))
    assert error(first, pid.REG_CHALLENGE_ANSWER) == "" and error(first, pid.REG_PHONE)
    # ... and sent again with the form now right: refused as used.
    replay = submit(client, csrf, app, GOOD, token=made.token, answer=str(made.a + made.b))
    assert error(replay, pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_used", "vi")
    # Solved and stored: the sum is spent with the registration, and a replay with another
    # identity stores nothing.
    seed_places(services.engine)
    kept = challenge.new_challenge(secret)
    stored = submit(client, csrf, app, GOOD, token=kept.token, answer=str(kept.a + kept.b))
    assert code_of(stored) is not None
    other = GOOD | {pid.REG_PERSON_ID: "001090012346"}
    again = submit(client, csrf, app, other, token=kept.token, answer=str(kept.a + kept.b))
    assert error(again, pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_used", "vi")
    assert _count(services.engine) == 1
    monkeypatch.setattr(challenge, "MAX_AGE", -1)  # every token has expired
    late = submit(client, csrf, app, other)
    assert error(late, pid.REG_CHALLENGE_ANSWER) == t("portal.reg.challenge_wrong", "vi")
    assert _count(services.engine) == 1


def test_spent_nonces_are_forgotten_once_their_tokens_have_long_expired(
        services: Services) -> None:
    start = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)
    engine = services.engine
    assert challenge.spend(engine, "old", start, forget=False)
    assert challenge.spend(engine, "recent", start + dt.timedelta(seconds=challenge.MAX_AGE))
    assert not challenge.spend(engine, "old", start, forget=False)  # a replay
    # Twice MAX_AGE after the first: its token expired long ago, the second's not yet.
    later = start + dt.timedelta(seconds=2 * challenge.MAX_AGE + 1)
    assert challenge.spend(engine, "new", later, forget=False)
    assert _count(engine, "portal_challenge_used") == 3
    assert challenge.spend(engine, "newer", later, forget=True)
    with engine.connect() as conn:
        kept = set(conn.execute(text("SELECT nonce FROM portal_challenge_used")).scalars())
    assert kept == {"recent", "new", "newer"}


def test_registrations_are_rate_limited_per_address_and_per_identity(
        app: dash.Dash, client: FlaskClient, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = token_of(client)
    # Set before the first hit: the limiter keys its counts by the rate too.
    monkeypatch.setattr(limits, "REGISTER_PER_IDENTITY", "2/hour")
    monkeypatch.setattr(limits, "REGISTER_PER_ADDRESS", "5/hour")
    same = GOOD | {pid.REG_PHONE: "1"}
    for _ in range(2):
        assert error(submit(client, csrf, app, same), pid.REG_PHONE)
    third = submit(client, csrf, app, GOOD)
    assert third[pid.REG_STATUS]["children"] == t("portal.too_many", "vi")
    assert code_of(third) is None
    other = GOOD | {pid.REG_PERSON_ID: "001190012346", pid.REG_SEX: "F"}
    assert code_of(submit(client, csrf, app, other)) is not None
    fifth = submit(client, csrf, app, GOOD | {pid.REG_PERSON_ID: "001090099999"})
    assert code_of(fifth) is not None
    sixth = submit(client, csrf, app, GOOD | {pid.REG_PERSON_ID: "001090088888"})
    assert sixth[pid.REG_STATUS]["children"] == t("portal.too_many", "vi")
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(REG)).scalar_one() == 2


def test_hostile_values_are_refused_as_field_errors_never_a_500(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    csrf = token_of(client)
    hostile = GOOD | {pid.REG_PERSON_ID: 12345, pid.REG_FULL_NAME: "A" * 1999,
                      pid.REG_BIRTH_DATE: "31/02/1990", pid.REG_PRIORITY: "abc",
                      pid.REG_PROVINCE: "<script>", pid.REG_DISTRICT: "../../x",
                      pid.REG_WARD: "99999", pid.REG_FACILITY: "' OR 1=1 --",
                      pid.REG_ADDRESS: "=HYPERLINK(\"http://x\")", pid.REG_SEX: True}
    out = submit(client, csrf, app, hostile, lang="en")
    assert code_of(out) is None
    assert error(out, pid.REG_FULL_NAME) and error(out, pid.REG_BIRTH_DATE)
    assert error(out, pid.REG_PROVINCE)
    assert _count(services.engine) == 0
