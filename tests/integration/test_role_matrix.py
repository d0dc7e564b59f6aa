"""Role x page x action: each role gets exactly what it may, and forged calls leak nothing.

Callbacks are posted by hand to /_dash-update-component (a valid session and CSRF header,
whatever the navbar offered): the data layer decides, a refusal is a 403 with no data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from callbacks.shared import ids
from data.audit import search
from data.auth.roles import Forbidden, Role
from data.auth.users import load_principal
from data.mcc import aggregates
from data.models.auth import AppUser
from data.services import Services
from data.settings import Settings
from tests.integration.api_app import PASSWORD, api_app
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_mcc_campaign import aefi_read_back
from tests.integration.test_mcc_pages import LANG, VERSION, call, rank_call
from tests.integration.test_mcc_pages_facilities_reports import answer, main_call, silent_call
from tests.integration.test_web_security import add_user
from tests.webcalls import (
    audit_call,
    create_user_call,
    decoded,
    ids_in,
    list_users_call,
    log_in,
    manage_call,
    outputs_of,
    overview_call,
    page_call,
    payload,
    post,
    text_of,
)

# username -> (role, scope) of each account of the matrix.
ACCOUNTS: dict[str, tuple[Role, str | None]] = {
    "bo.yte": (Role.MINISTRY_LEADER, None),
    "tinh.79": (Role.PROVINCE_OFFICER, "79"),
    "huyen.760": (Role.DISTRICT_OFFICER, "760"),
    "coso.760": (Role.FACILITY_STAFF, "F760001"),
    "quan.tri": (Role.SYSTEM_ADMIN, None),
}
PAGES = ("/", "/admin/users", "/admin/audit")
# Action -> the roles allowed to take it; everyone else gets 403 and nothing.
ALLOWED: dict[str, frozenset[Role]] = {
    "progress_overview": frozenset(Role),
    "list_users": frozenset({Role.SYSTEM_ADMIN}),
    "create_user": frozenset({Role.SYSTEM_ADMIN}),
    "list_audit": frozenset({Role.SYSTEM_ADMIN}),
}
# Strings only user and audit data could put in a response.
SECRETS = ("quan.tri", "bo.yte", "huyen.760", "coso.760", "app_user", "argon2", "CREATE",
           "LOGIN", "127.0.0.1", "Cán bộ", "vai trò")


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from api_app(settings, engine, tmp_path, ACCOUNTS)


def _calls(username: str) -> dict[str, dict[str, Any]]:
    return {
        "progress_overview": overview_call(),
        "list_users": list_users_call(),
        "create_user": create_user_call(f"moi.{username.replace('.', '')}", "Người mới",
                                        "Tam-thoi-2021", "MINISTRY_LEADER"),
        "list_audit": audit_call(),
    }


def _users(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AppUser.__table__)).scalar_one())


def _assert_refused(response: Any, what: str) -> None:
    body = decoded(response)
    assert response.status_code == 403, (what, body)
    assert response.get_json() == {"error": "forbidden"}, what
    leaked = [s for s in SECRETS if s in body]
    assert leaked == [], (what, leaked)


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_role_page_action_matrix(app: dash.Dash, username: str) -> None:
    role = ACCOUNTS[username][0]
    services: Services = app.server.extensions["vx_services"]
    client: FlaskClient = app.server.test_client()
    token = log_in(client, username, PASSWORD)

    for path in PAGES:  # every page is the same empty shell; data comes only by callback
        page = client.get(path)
        assert page.status_code == 200, path
        assert not [s for s in SECRETS if s in page.get_data(as_text=True)], path

    before = _users(services.engine)
    for action, body in _calls(username).items():
        response = post(client, body, token)
        if role not in ALLOWED[action]:
            _assert_refused(response, f"{username} {action}")
            continue
        out = outputs_of(response)
        if action == "progress_overview":
            assert out[ids.PROGRESS_KPI_DOSES]["children"] == "0"
        elif action == "list_users":
            assert set(ACCOUNTS) <= set(text_of(out[ids.ADMIN_USERS_TABLE]["children"]).split())
        elif action == "create_user":
            assert out[ids.ADMIN_CREATE_DONE]["data"] == 1
        else:
            assert "CREATE" in {r["action"] for r in out[ids.ADMIN_AUDIT_RESULTS]["rowData"]}
    created = _users(services.engine) - before
    assert created == (1 if role in ALLOWED["create_user"] else 0)
    with services.engine.connect() as conn:
        made = search(conn, username=username)
    assert ("CREATE" in set(made["action"])) == (role in ALLOWED["create_user"])

    # What the shell shows: the admin links; the administrators' pages lay out their forms
    # for an administrator and the "no permission" notice alone for anyone else.
    links = outputs_of(post(client, payload([(ids.SHELL_ADMIN_NAV, "children")],
                                            [(ids.SHELL_LANG, "data", "vi")]), token))
    hrefs = [c["props"]["href"] for c in links[ids.SHELL_ADMIN_NAV]["children"]]
    pages = [outputs_of(post(client, page_call(path), token))["_pages_content"]["children"]
             for path in ("/admin/users", "/admin/audit")]
    if role == Role.SYSTEM_ADMIN:
        assert hrefs == ["/admin/users", "/admin/audit"]
        assert [ids.ADMIN_DENIED in ids_in(p) for p in pages] == [False, False]
        assert ids.ADMIN_CREATE_USERNAME in ids_in(pages[0])
        assert ids.ADMIN_AUDIT_RESULTS in ids_in(pages[1])
    else:
        assert hrefs == []
        assert [ids_in(p) for p in pages] == [{ids.ADMIN_DENIED}] * 2
        assert all("Bạn không có quyền truy cập" in text_of(p) for p in pages)


def test_forged_update_and_reset_are_refused(app: dash.Dash) -> None:
    services: Services = app.server.extensions["vx_services"]
    client = app.server.test_client()
    token = log_in(client, "tinh.79", PASSWORD)
    with services.engine.connect() as conn:
        victim = conn.execute(select(AppUser.__table__.c.id)
                              .where(AppUser.__table__.c.username == "quan.tri")).scalar_one()
    for body in (manage_call(ids.ADMIN_MANAGE_ROLES_SUBMIT, victim, "PROVINCE_OFFICER", "79"),
                 manage_call(ids.ADMIN_MANAGE_RESET_SUBMIT, victim, password="Chiem-quyen-1"),
                 manage_call(ids.ADMIN_MANAGE_DEACTIVATE, victim)):
        _assert_refused(post(client, body, token), "forged update")
    with services.engine.connect() as conn:
        admin = load_principal(conn, victim)
        log = search(conn, username="tinh.79")
    assert admin is not None and admin.has(Role.SYSTEM_ADMIN)
    assert set(log["action"]) == {"LOGIN"}


def test_province_officer_cannot_read_another_provinces_districts(
    app: dash.Dash, engine: Engine
) -> None:
    # No page offers district drill-down yet: the check is the data function every such
    # callback must go through, with the principal the session would rebuild.
    services: Services = app.server.extensions["vx_services"]
    with engine.connect() as conn:
        users = {u: conn.execute(select(AppUser.__table__.c.id)
                                 .where(AppUser.__table__.c.username == u)).scalar_one()
                 for u in ("tinh.79", "huyen.760", "coso.760", "bo.yte")}
        principals = {u: load_principal(conn, uid) for u, uid in users.items()}
    province = principals["tinh.79"]
    assert province is not None
    assert aggregates.coverage_by_district(services, "79", province) is not None
    for forged in ("01", "48"):
        with pytest.raises(Forbidden):
            aggregates.coverage_by_district(services, forged, province)
    for name in ("huyen.760", "coso.760"):
        local = principals[name]
        assert local is not None
        with pytest.raises(Forbidden):
            aggregates.coverage_by_district(services, "01", local)
    national = principals["bo.yte"]
    assert national is not None
    aggregates.coverage_by_district(services, "01", national)


# Campaign accounts -> (role, scope, facilities of Hà Nội it sees, its AEFI reports by
# (column, value) of the reports read back; None: every report). F2 and F4 share district 002.
CAMPAIGN: dict[str, tuple[Role, str | None, set[str], tuple[str, str] | None]] = {
    "bo.yte": (Role.MINISTRY_LEADER, None, {"F1", "F2", "F4"}, None),
    "tinh01": (Role.PROVINCE_OFFICER, "01", {"F1", "F2", "F4"}, ("province_code", "01")),
    "huyen002": (Role.DISTRICT_OFFICER, "002", {"F2", "F4"}, ("district_code", "002")),
    "coso.f2": (Role.FACILITY_STAFF, "F2", {"F2"}, ("facility_code", "F2")),
    "coso.f4": (Role.FACILITY_STAFF, "F4", {"F4"}, ("facility_code", "F4")),
}
DOSES_14D = {"F1": 126, "F2": 50, "F4": 0}  # the campaign's doses of the 14 days to 20 Aug
ON_HAND = {"F2": 300, "F4": 50}  # the silent sites' own stores, KF2 and KF4


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in campaign_app(settings, engine, tmp_path):
        services: Services = application.server.extensions["vx_services"]
        for username, (role, scope, _, _) in CAMPAIGN.items():
            if username not in ("bo.yte", "tinh01"):
                add_user(services, username, role, scope)
        yield application


@pytest.mark.parametrize("username", list(CAMPAIGN))
def test_each_role_gets_the_facilities_and_reports_of_its_scope(campaign: dash.Dash,
                                                                username: str) -> None:
    role, _, sees, reports_of = CAMPAIGN[username]
    client, token = client_for(campaign, username, "/facilities")
    hanoi = {"province": "01", "denied": False}
    out = answer(client, token, main_call(hanoi))
    got = {r["facility_code"]: r["doses"] for r in out[ids.FAC_UTIL]["rowData"]}
    assert got == {f: DOSES_14D[f] for f in sees}
    options = {o["value"] for o in out[ids.FAC_FACILITY]["options"]} - {""}
    assert options == sees
    silent = answer(client, token, silent_call(hanoi))[ids.FAC_SILENT]["rowData"]
    assert {r["facility_code"]: r["on_hand"] for r in silent} == {
        f: n for f, n in ON_HAND.items() if f in sees}

    reports = aefi_read_back(campaign.server.extensions["vx_services"].engine)
    if reports_of is not None:
        reports = reports[reports[reports_of[0]] == reports_of[1]]
    filters = [{"id": i, "property": p, "value": v} for i, p, v in (
        (ids.AEFI_AS_OF, "date", None), (ids.AEFI_VACCINE, "value", ""),
        (ids.AEFI_PROVINCE, "value", ""))]
    cases = call(client, token, [(ids.AEFI_CASES, "columnDefs"), (ids.AEFI_CASES, "rowData"),
                                 (ids.AEFI_CASES, "dashGridOptions"),
                                 (ids.AEFI_CASES_NOTE, "children")], [VERSION, LANG, *filters])
    rows = cases.get_json()["response"][ids.AEFI_CASES]["rowData"]
    assert sorted(r["report_id"] for r in rows) == sorted(reports["report_id"])
    assert len(rows) == {"bo.yte": 74, "coso.f2": 21, "coso.f4": 0}.get(username, len(rows))

    # District totals of the allocation page: a note for facility staff, never the figures.
    rank = rank_call(client, token, hanoi)
    assert rank.status_code == 200
    districts = str(rank.get_json()["response"][ids.ALLOC_RANK]["figure"]["data"])
    assert ("Hoàn Kiếm" in districts) == (role != Role.FACILITY_STAFF)
    # Another province below its top level: refused, whatever the request claims.
    if role != Role.MINISTRY_LEADER:
        forged = post(client, main_call({"province": "79", "denied": False}), token)
        _assert_refused(forged, f"{username} facilities of 79")
