"""Pure helpers of the administrators' pages: role parsing, audit rows in words, dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from callbacks.admin.admin_audit import audit_columns, audit_rows, count_line, parse_day
from callbacks.admin.admin_users import parse_roles, users_table
from callbacks.admin.audit_labels import action_label, change_lines, grant_label, table_label
from data.auth.roles import Role
from tests.webcalls import text_of


def test_parse_roles_one_grant_per_code_and_none_for_national_roles() -> None:
    assert parse_roles("DISTRICT_OFFICER", "760, 761;760") == [
        (Role.DISTRICT_OFFICER, "760"), (Role.DISTRICT_OFFICER, "761")]
    assert parse_roles("MINISTRY_LEADER", "79") == [(Role.MINISTRY_LEADER, None)]
    assert parse_roles("PROVINCE_OFFICER", "") == [(Role.PROVINCE_OFFICER, None)]


def test_dates() -> None:
    assert parse_day("2021-10-01T00:00:00") == dt.date(2021, 10, 1)
    assert parse_day("nonsense") is None and parse_day(None) is None


def test_tables_in_both_languages() -> None:
    users = pd.DataFrame([{"id": 1, "username": "tinh.79", "display_name": "Cán bộ",
                           "is_active": False, "roles": "PROVINCE_OFFICER:79, SYSTEM_ADMIN:VN",
                           "locked": True}])
    assert "Province officer (79); System administrator" in text_of(users_table(users, "en"))
    assert "Không" in text_of(users_table(users, "vi"))


def _entry(action: str, table: str = "app_user", before: object = None, after: object = None,
           detail: object = None) -> dict[str, object]:
    return {"at": pd.Timestamp("2021-10-01 01:00", tz="UTC"), "username": "quan.tri",
            "source": "1.2.3.4", "action": action, "table_name": table, "record_key": "b",
            "before": before, "after": after, "detail": detail}


def test_audit_events_and_tables_in_words_with_the_code_kept() -> None:
    assert action_label("LOGIN", "vi") == "Đăng nhập"
    assert action_label("ETL_LOAD", "en") == "Data file loaded"
    assert table_label("app_user", "vi") == "Tài khoản"
    assert table_label("stock_movements", "en") == "Stock movements"
    # A code nobody labelled yet still shows, as itself.
    assert action_label("NEW_EVENT", "vi") == "NEW_EVENT"
    rows = audit_rows(pd.DataFrame([_entry("LOGIN")]), "en", "Asia/Ho_Chi_Minh")
    assert rows[0]["action_label"] == "Signed in" and rows[0]["action"] == "LOGIN"
    assert rows[0]["at"] == "2021-10-01 08:00:00"
    cols = {c["field"]: c for c in audit_columns("vi")}
    assert cols["action_label"]["tooltipField"] == "action"
    assert cols["table_label"]["tooltipField"] == "table_name"
    assert "split" not in str(cols["at"]) and "slice(8, 10)" in str(cols["at"])
    assert "valueFormatter" not in audit_columns("en")[0]
    assert audit_rows(pd.DataFrame([_entry("LOGIN")]).iloc[:0], "en", "UTC") == []


def test_audit_changes_read_as_field_before_arrow_after() -> None:
    roles = change_lines("UPDATE_ROLES", {"roles": ["PROVINCE_OFFICER:79"]},
                         {"roles": ["DISTRICT_OFFICER:760", "DISTRICT_OFFICER:761"]}, None, "vi")
    assert roles == ["Vai trò: Cán bộ tỉnh (79) → Cán bộ huyện (760), Cán bộ huyện (761)"]
    # Scope codes by name where the place is known; the code stays beside it.
    places = {"79": "Hồ Chí Minh", "760": "Quận 1"}
    named = change_lines("UPDATE_ROLES", {"roles": ["PROVINCE_OFFICER:79"]},
                         {"roles": ["DISTRICT_OFFICER:760", "SYSTEM_ADMIN:VN"]}, None, "en",
                         places)
    assert named == ["Roles: Province officer · Hồ Chí Minh (79) → "
                     "District officer · Quận 1 (760), System administrator"]
    assert grant_label("FACILITY_STAFF:F1", "vi", places) == "Nhân viên cơ sở tiêm (F1)"
    assert change_lines("DEACTIVATE", '{"active": true}', '{"active": false}', None, "en") == [
        "Active: Yes → No"]
    created = change_lines("CREATE", None, {"display_name": "Nguyễn Thị Mới", "active": True,
                                            "roles": ["MINISTRY_LEADER:VN"]}, None, "vi")
    assert created == ["Họ và tên: Nguyễn Thị Mới", "Hoạt động: Có",
                       "Vai trò: Lãnh đạo Bộ Y tế"]
    load = change_lines("ETL_LOAD", None, None, {
        "file": "var/demo/injections.csv", "sha256": "0123456789abcdef0123", "read": 12345,
        "loaded": 12000, "updated": 0, "unchanged": 0, "rejected": 345}, "vi")
    assert load == ["Tệp: var/demo/injections.csv · SHA-256: 0123456789ab… · Số dòng đọc: "
                    "12.345 · Đã nạp: 12.000 · Đã cập nhật: 0 · Không đổi: 0 · Bị từ chối: 345"]
    seen = change_lines("VIEW_PERSONAL", None, None, {
        "report_ids": [f"R{i}" for i in range(13)], "count": 13, "read": "mcc.case_list"}, "en")
    assert seen == ["Reports: R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, … and 3 more · "
                    "Screen: AEFI case list"]
    assert change_lines("LOGIN_FAILED", None, None, {"reason": "unknown"}, "vi") == [
        "Lý do: tên đăng nhập không tồn tại"]
    assert change_lines("LOGIN", None, None, None, "vi") == []
    rows = audit_rows(pd.DataFrame([_entry("DEACTIVATE", before={"active": True},
                                           after={"active": False})]), "vi", "UTC")
    assert rows[0]["change"] == "Hoạt động: Có → Không"
    assert "{" not in "".join(str(v) for v in rows[0].values())


def test_count_line_says_when_more_entries_match_than_are_shown() -> None:
    assert count_line(95, 95, "vi") == "95 bản ghi mới nhất"
    assert count_line(1000, 12345, "vi") == (
        "1.000 bản ghi mới nhất trong 12.345 bản ghi khớp bộ lọc")
    assert count_line(1000, 12345, "en") == "The newest 1,000 of 12,345 matching entries"
