"""User management and audit pages through the Flask test client, on each backend.

An administrator creates an account, scopes it, resets its password and deactivates it; each
change shows in the audit page's callback and in audit_log with before/after. Refused input
comes back beside its field, in Vietnamese and in English.
"""

from __future__ import annotations

import datetime as dt

import dash
import pytest
from flask.testing import FlaskClient

from callbacks.admin import admin_audit
from callbacks.shared import ids
from data.audit import Actor, record, search
from data.auth.roles import Role
from data.auth.users import authenticate, create_user
from data.db import unit_of_work
from data.services import Services
from tests.webcalls import (
    audit_call,
    create_user_call,
    ids_in,
    list_users_call,
    log_in,
    manage_call,
    outputs_of,
    page_call,
    post,
    text_of,
)

ADMIN_NAME = "quan.tri"
PASSWORD = "Mat-khau-2021"
NEW_USER = "can.bo.moi"


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
    assert NEW_USER in table and "Nguyễn Thị Mới" in table
    assert "Cán bộ tỉnh · Hồ Chí Minh (79)" in table
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
    assert "District officer · Quận 1 (760)" in table

    # The audit page: newest first, events and changes in words, the codes kept for tooltips.
    audit = outputs_of(post(client, audit_call(username=ADMIN_NAME, table="app_user"), token))
    rows = audit[ids.ADMIN_AUDIT_RESULTS]["rowData"]
    actions = [r["action"] for r in rows]
    assert actions.index("DEACTIVATE") < actions.index("RESET_PASSWORD") < actions.index("CREATE")
    assert "UPDATE_ROLES" not in actions and {r["table_label"] for r in rows} == {"Tài khoản"}
    by_action = {r["action"]: r for r in rows if r["record_key"] == NEW_USER}
    assert by_action["DEACTIVATE"]["action_label"] == "Vô hiệu hóa tài khoản"
    assert by_action["DEACTIVATE"]["change"] == "Hoạt động: Có → Không"
    assert by_action["CREATE"]["change"] == (
        "Họ và tên: Nguyễn Thị Mới\nHoạt động: Có\nVai trò: Cán bộ tỉnh · Hồ Chí Minh (79)")
    assert by_action["RESET_PASSWORD"]["change"] == ""
    assert not [r for r in rows if "{" in r["change"]]  # no raw JSON left
    roles = outputs_of(post(client, audit_call(table="user_role", lang="en"), token))
    [changed] = roles[ids.ADMIN_AUDIT_RESULTS]["rowData"]
    assert changed["action_label"] == "Roles changed"
    assert changed["change"] == (
        "Roles: Province officer · Hồ Chí Minh (79) → District officer · Quận 1 (760)")
    options = {o["value"] for o in audit[ids.ADMIN_AUDIT_USER]["options"]}
    assert ADMIN_NAME in options
    events = {o["value"]: o["label"] for o in audit[ids.ADMIN_AUDIT_ACTION_FILTER]["options"]}
    assert events["UPDATE_ROLES"] == "Đổi vai trò" and events["LOGIN"] == "Đăng nhập"
    tables = {o["value"]: o["label"] for o in audit[ids.ADMIN_AUDIT_TABLE_FILTER]["options"]}
    assert tables == {"app_user": "Tài khoản", "user_role": "Vai trò"}
    only = outputs_of(post(client, audit_call(action="RESET_PASSWORD"), token))
    assert [r["action"] for r in only[ids.ADMIN_AUDIT_RESULTS]["rowData"]] == ["RESET_PASSWORD"]
    assert only[ids.ADMIN_AUDIT_COUNT]["children"] == "1 bản ghi mới nhất"
    today = dt.datetime.now(dt.UTC).date()
    ranged = outputs_of(post(client, audit_call(start=today.isoformat(), end=today.isoformat()),
                             token))
    assert "DEACTIVATE" in [r["action"] for r in ranged[ids.ADMIN_AUDIT_RESULTS]["rowData"]]
    past = outputs_of(post(client, audit_call(start="2021-01-01", end="2021-01-31"), token))
    assert past[ids.ADMIN_AUDIT_COUNT]["children"] == "0 bản ghi mới nhất"
    assert past[ids.ADMIN_AUDIT_RESULTS]["rowData"] == []

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


def test_audit_page_is_paged_and_says_how_many_match(
    admin_client: tuple[FlaskClient, str], services: Services
) -> None:
    client, token = admin_client
    with unit_of_work(services.engine) as conn:
        for i in range(admin_audit.LIMIT + 5):
            record(conn, Actor(None, "etl", "cli:root"), "ETL_LOAD", "injections", f"f{i}.csv",
                   detail={"read": 1000 + i, "loaded": 1000, "rejected": i})
    out = outputs_of(post(client, audit_call(lang="en"), token))
    rows = out[ids.ADMIN_AUDIT_RESULTS]["rowData"]
    assert len(rows) == admin_audit.LIMIT
    with services.engine.connect() as conn:
        total = len(search(conn, limit=10_000))
    assert out[ids.ADMIN_AUDIT_COUNT]["children"] == (
        f"The newest 1,000 of {total:,} matching entries")
    last = admin_audit.LIMIT + 4
    assert rows[0]["record_key"] == f"f{last}.csv" and rows[0]["table_label"] == "Injections"
    assert rows[0]["change"] == f"Rows read: {1000 + last:,} · Loaded: 1,000 · Rejected: {last:,}"
    options = out[ids.ADMIN_AUDIT_RESULTS]["dashGridOptions"]
    assert options["pagination"] is True and options["paginationPageSize"] == 20
    assert options["domLayout"] == "autoHeight"


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_non_admins_get_the_refusal_alone(app: dash.Dash, services: Services,
                                          admin_client: tuple[FlaskClient, str],
                                          path: str) -> None:
    with unit_of_work(services.engine) as conn:
        create_user(conn, Actor(None, "fixture", "test"), "tinh.79", "Cán bộ tỉnh", PASSWORD,
                    [(Role.PROVINCE_OFFICER, "79")], must_change_password=False)
    officer = app.server.test_client()
    token = log_in(officer, "tinh.79", PASSWORD)
    page = outputs_of(post(officer, page_call(path), token))["_pages_content"]["children"]
    assert text_of(page).endswith("Bạn không có quyền truy cập trang này.")
    forms = {ids.ADMIN_USERS_TABLE, ids.ADMIN_CREATE_USERNAME, ids.ADMIN_MANAGE_USER,
             ids.ADMIN_AUDIT_RESULTS, ids.ADMIN_AUDIT_USER, ids.ADMIN_AUDIT_DATES}
    assert ids_in(page) == {ids.ADMIN_DENIED}
    # The administrator gets the page itself, without the refusal.
    client, admin_token = admin_client
    shown = ids_in(outputs_of(post(client, page_call(path), admin_token))
                   ["_pages_content"]["children"])
    assert ids.ADMIN_DENIED not in shown and len(shown & forms) == 3
