"""User management and audit pages through the Flask test client, on each backend.

An administrator creates an account, scopes it, resets its password and deactivates it; each
change shows in the audit page's callback and in audit_log with before/after. Refused input
comes back beside its field, in Vietnamese and in English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import dash
import pytest
from flask.testing import FlaskClient

from app import create_app
from callbacks import ids
from data.audit import Actor, search
from data.auth.roles import Role
from data.auth.users import authenticate, create_user
from data.db import unit_of_work
from data.services import Services
from data.settings import Settings
from tests.webcalls import (
    audit_call,
    create_user_call,
    list_users_call,
    log_in,
    manage_call,
    outputs_of,
    post,
    text_of,
)

ADMIN_NAME = "quan.tri"
PASSWORD = "Mat-khau-2021"
NEW_USER = "can.bo.moi"


@pytest.fixture
def app(settings: Settings) -> Iterator[dash.Dash]:
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


@pytest.fixture
def admin_client(app: dash.Dash, services: Services) -> tuple[FlaskClient, str]:
    """A test client signed in as a system administrator, and its CSRF token."""
    with unit_of_work(services.engine) as conn:
        create_user(conn, Actor(None, "fixture", "test"), ADMIN_NAME, "Quản trị viên",
                    PASSWORD, [(Role.SYSTEM_ADMIN, None)], must_change_password=False)
    client = app.server.test_client()
    return client, log_in(client, ADMIN_NAME, PASSWORD)


def _user_id(client: FlaskClient, token: str, username: str) -> int:
    options = outputs_of(post(client, list_users_call(), token))[ids.ADMIN_MANAGE_USER]["options"]
    return next(o["value"] for o in options if o["label"].startswith(username + " "))


def test_account_lifecycle_is_audited(
    admin_client: tuple[FlaskClient, str], services: Services
) -> None:
    client, token = admin_client
    out = outputs_of(post(client, create_user_call(
        NEW_USER, "Nguyễn Thị Mới", "Tam-thoi-2021", "PROVINCE_OFFICER", "79"), token))
    assert out[ids.ADMIN_CREATE_STATUS]["children"].startswith(f"Đã tạo tài khoản {NEW_USER}.")
    assert out[ids.ADMIN_CREATE_DONE]["data"] == 1
    assert out[ids.ADMIN_CREATE_PASSWORD]["value"] == ""
    assert all(out[ids.field_error(f)]["children"] == "" for f in (
        ids.ADMIN_CREATE_USERNAME, ids.ADMIN_CREATE_PASSWORD, ids.ADMIN_CREATE_SCOPE))

    listed = outputs_of(post(client, list_users_call(), token))
    table = text_of(listed[ids.ADMIN_USERS_TABLE]["children"])
    assert NEW_USER in table and "Nguyễn Thị Mới" in table and "Cán bộ tỉnh (79)" in table
    assert "argon2" not in str(listed) and "password_hash" not in str(listed)
    uid = _user_id(client, token, NEW_USER)

    steps = [
        (manage_call(ids.ADMIN_MANAGE_ROLES_SUBMIT, uid, "DISTRICT_OFFICER", "760"),
         f"Đã cập nhật vai trò của {NEW_USER}."),
        (manage_call(ids.ADMIN_MANAGE_RESET_SUBMIT, uid, password="Dat-lai-2022"),
         f"Đã đặt lại mật khẩu của {NEW_USER}"),
        (manage_call(ids.ADMIN_MANAGE_DEACTIVATE, uid), f"Đã vô hiệu hóa tài khoản {NEW_USER}."),
    ]
    for n, (body, message) in enumerate(steps, start=1):
        out = outputs_of(post(client, body, token))
        assert out[ids.ADMIN_MANAGE_STATUS]["children"].startswith(message)
        assert out[ids.ADMIN_MANAGE_DONE]["data"] == 1, n
    table = text_of(outputs_of(post(client, list_users_call("en"), token))
                    [ids.ADMIN_USERS_TABLE]["children"])
    assert "District officer (760)" in table

    # The audit page: newest first, before/after on one line each.
    audit = outputs_of(post(client, audit_call(username=ADMIN_NAME, table="app_user"), token))
    shown = text_of(audit[ids.ADMIN_AUDIT_RESULTS]["children"])
    assert shown.index("DEACTIVATE") < shown.index("RESET_PASSWORD") < shown.index("CREATE")
    assert '{"active":false}' in shown and '{"active":true}' in shown
    assert '"roles":["PROVINCE_OFFICER:79"]' in shown and "UPDATE_ROLES" not in shown
    roles = text_of(outputs_of(post(client, audit_call(table="user_role"), token))
                    [ids.ADMIN_AUDIT_RESULTS]["children"])
    assert ('{"roles":["PROVINCE_OFFICER:79"]} {"roles":["DISTRICT_OFFICER:760"]}' in roles)
    assert "CREATE" not in roles.split()
    options = {o["value"] for o in audit[ids.ADMIN_AUDIT_USER]["options"]}
    assert ADMIN_NAME in options
    today = dt.datetime.now(dt.UTC).date()
    ranged = outputs_of(post(client, audit_call(start=today.isoformat(), end=today.isoformat()),
                             token))
    assert "DEACTIVATE" in text_of(ranged[ids.ADMIN_AUDIT_RESULTS]["children"])
    past = outputs_of(post(client, audit_call(start="2021-01-01", end="2021-01-31"), token))
    assert past[ids.ADMIN_AUDIT_COUNT]["children"] == "0 bản ghi mới nhất"

    # audit_log itself: who, from where, before/after of every step.
    with services.engine.connect() as conn:
        log = search(conn, username=ADMIN_NAME)
        mine = log[log["record_key"] == NEW_USER].set_index("action")
        assert set(mine.index) >= {"CREATE", "UPDATE_ROLES", "RESET_PASSWORD", "DEACTIVATE"}
        assert set(mine["source"]) == {"127.0.0.1"}
        assert mine.loc["UPDATE_ROLES", "before"] == {"roles": ["PROVINCE_OFFICER:79"]}
        assert mine.loc["UPDATE_ROLES", "after"] == {"roles": ["DISTRICT_OFFICER:760"]}
        assert mine.loc["DEACTIVATE", "after"] == {"active": False}
        assert mine.loc["CREATE", "after"]["roles"] == ["PROVINCE_OFFICER:79"]
    with unit_of_work(services.engine) as conn:
        assert authenticate(conn, NEW_USER, "Dat-lai-2022", "test").principal is None


ERRORS = {
    "vi": {"exists": "Tên đăng nhập đã được dùng", "short": "Mật khẩu cần ít nhất 12 ký tự",
           "scope": "Mã phạm vi không tồn tại cho vai trò này",
           "required": "Vui lòng nhập trường này", "pick": "Vui lòng chọn tài khoản",
           "self": "Bạn không thể tự vô hiệu hóa tài khoản của mình"},
    "en": {"exists": "This username is already taken",
           "short": "The password needs at least 12 characters",
           "scope": "No such scope code for this role", "required": "Please fill in this field",
           "pick": "Choose an account", "self": "You cannot deactivate your own account"},
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_refused_input_is_told_beside_its_field(
    admin_client: tuple[FlaskClient, str], services: Services, lang: str
) -> None:
    client, token = admin_client
    text = ERRORS[lang]
    cases = [
        (create_user_call(ADMIN_NAME, "", "Tam-thoi-2021", "MINISTRY_LEADER", lang=lang),
         ids.ADMIN_CREATE_USERNAME, text["exists"]),
        (create_user_call("nguoi.moi", "", "ngan-1", "MINISTRY_LEADER", lang=lang),
         ids.ADMIN_CREATE_PASSWORD, text["short"]),
        (create_user_call("nguoi.moi", "", "Tam-thoi-2021", "PROVINCE_OFFICER", "99", lang),
         ids.ADMIN_CREATE_SCOPE, text["scope"]),
        (create_user_call("", "", "Tam-thoi-2021", "SYSTEM_ADMIN", lang=lang),
         ids.ADMIN_CREATE_USERNAME, text["required"]),
        (create_user_call("nguoi.moi", "", "Tam-thoi-2021", None, lang=lang),
         ids.ADMIN_CREATE_ROLE, text["required"]),
    ]
    for body, field, message in cases:
        out = outputs_of(post(client, body, token))
        assert out[ids.field_error(field)]["children"] == message, field
        others = [k for k, v in out.items() if k.endswith("-error") and v["children"]]
        assert others == [ids.field_error(field)]
        assert out[ids.ADMIN_CREATE_STATUS]["children"] == ""
        assert ids.ADMIN_CREATE_DONE not in out  # no_update: the list does not reload
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_DEACTIVATE, None, lang=lang),
                          token))
    assert out[ids.field_error(ids.ADMIN_MANAGE_USER)]["children"] == text["pick"]
    me = _user_id(client, token, ADMIN_NAME)
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_DEACTIVATE, me, lang=lang),
                          token))
    assert out[ids.field_error(ids.ADMIN_MANAGE_USER)]["children"] == text["self"]
    out = outputs_of(post(client, manage_call(ids.ADMIN_MANAGE_ROLES_SUBMIT, me,
                                              "DISTRICT_OFFICER", "99999", lang=lang), token))
    assert out[ids.field_error(ids.ADMIN_MANAGE_SCOPE)]["children"] == text["scope"]
    with services.engine.connect() as conn:
        log = search(conn, username=ADMIN_NAME)
    assert not set(log["action"]) & {"CREATE", "UPDATE_ROLES", "DEACTIVATE"}
