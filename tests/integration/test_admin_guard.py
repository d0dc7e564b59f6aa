"""There is always an active system administrator, on each backend: nobody demotes or
deactivates himself (told beside the field, through the Flask test client), the data layer
refuses the change that would leave none, and two administrators demoting each other at
once (real threads) cannot both succeed."""

from __future__ import annotations

import threading
import time

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine

from callbacks.shared import ids
from data.audit import Actor
from data.auth import guards, users
from data.auth.roles import Role
from data.db import unit_of_work
from data.services import Services
from tests.webcalls import log_in, manage_call, outputs_of, post

PASSWORD = "Mat-khau-2021"
FIXTURE = Actor(None, "fixture", "test")
SELF = {
    "vi": ("Bạn không thể tự bỏ vai trò Quản trị hệ thống của mình",
           "Bạn không thể tự vô hiệu hóa tài khoản của mình"),
    "en": ("You cannot remove your own System administrator role",
           "You cannot deactivate your own account"),
}


def _admin(engine: Engine, name: str) -> int:
    with unit_of_work(engine) as conn:
        return users.create_user(conn, FIXTURE, name, name, PASSWORD,
                                 [(Role.SYSTEM_ADMIN, None)], must_change_password=False)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_defect12_nobody_demotes_or_deactivates_himself(
    app: dash.Dash, services: Services, lang: str
) -> None:
    me = _admin(services.engine, "quan.tri")
    _admin(services.engine, "quan.tri.2")  # another administrator changes nothing to the rule
    client: FlaskClient = app.server.test_client()
    token = log_in(client, "quan.tri", PASSWORD)
    demote, deactivate = SELF[lang]
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_ROLES_SUBMIT, me,
                                              "MINISTRY_LEADER", lang=lang), token))
    assert out[ids.field_error(ids.ADMIN_MANAGE_ROLE)]["children"] == demote
    assert ids.ADMIN_MANAGE_DONE not in out
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_DEACTIVATE, me, lang=lang),
                          token))
    assert out[ids.field_error(ids.ADMIN_MANAGE_USER)]["children"] == deactivate
    with services.engine.connect() as conn:
        principal = users.load_principal(conn, me)
    assert principal is not None and [g.role for g in principal.grants] == [Role.SYSTEM_ADMIN]
    # A second grant beside SYSTEM_ADMIN is no demotion.
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_ROLES_SUBMIT, me,
                                              "SYSTEM_ADMIN", lang=lang), token))
    assert out[ids.ADMIN_MANAGE_DONE]["data"] == 1


def test_defect12_the_last_active_administrator_stays(engine: Engine) -> None:
    only = _admin(engine, "quan.tri")
    other = _admin(engine, "quan.tri.2")
    with unit_of_work(engine) as conn:
        users.set_active(conn, FIXTURE, other, False)
    for change, field in [
        (lambda conn: users.set_roles(conn, FIXTURE, only, [(Role.MINISTRY_LEADER, None)]),
         "role"),
        (lambda conn: users.set_active(conn, FIXTURE, only, False), "user"),
    ]:
        with pytest.raises(users.AccountError) as err, unit_of_work(engine) as conn:
            change(conn)
        assert (err.value.key, err.value.field) == ("user.last_admin", field)
    with engine.connect() as conn:
        assert guards.any_active_admin(conn) and guards.is_admin(conn, only)
        assert users.load_principal(conn, only) is not None
    with unit_of_work(engine) as conn:  # with another active administrator, it may go
        users.set_active(conn, FIXTURE, other, True)
        users.set_roles(conn, FIXTURE, only, [(Role.MINISTRY_LEADER, None)])


def test_defect12_two_administrators_demoting_each_other_at_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _admin(engine, "quan.tri.a"), _admin(engine, "quan.tri.b")
    count = guards.any_active_admin

    def slow_count(conn: Connection) -> bool:
        found = count(conn)
        time.sleep(0.5)  # both count before either commits, unless the changes queue
        return found

    monkeypatch.setattr(guards, "any_active_admin", slow_count)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(actor: Actor, target: int) -> None:
        start.wait()
        try:
            with unit_of_work(engine) as conn:
                users.set_roles(conn, actor, target, [(Role.MINISTRY_LEADER, None)])
            outcomes.append("done")
        except users.AccountError as err:
            outcomes.append(err.key)

    threads = [threading.Thread(target=demote, args=(Actor(a, "quan.tri.a", "t"), b)),
               threading.Thread(target=demote, args=(Actor(b, "quan.tri.b", "t"), a))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(outcomes) == ["done", "user.last_admin"]
    with engine.connect() as conn:
        assert count(conn)
        assert guards.is_admin(conn, a) != guards.is_admin(conn, b)
