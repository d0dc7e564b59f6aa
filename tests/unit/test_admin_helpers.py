"""Pure helpers of the administrators' pages: role parsing, audit cells, date values."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from callbacks.admin_audit import compact_json, entries_table, parse_day
from callbacks.admin_users import parse_roles, users_table
from data.auth.roles import Role
from tests.webcalls import text_of


def test_parse_roles_one_grant_per_code_and_none_for_national_roles() -> None:
    assert parse_roles("DISTRICT_OFFICER", "760, 761;760") == [
        (Role.DISTRICT_OFFICER, "760"), (Role.DISTRICT_OFFICER, "761")]
    assert parse_roles("MINISTRY_LEADER", "79") == [(Role.MINISTRY_LEADER, None)]
    assert parse_roles("PROVINCE_OFFICER", "") == [(Role.PROVINCE_OFFICER, None)]


def test_compact_json_and_dates() -> None:
    assert compact_json({"roles": ["A:1"], "active": True}) == '{"active":true,"roles":["A:1"]}'
    assert compact_json(None) == "" and compact_json('{"a": "Hà"}') == '{"a":"Hà"}'
    assert parse_day("2021-10-01T00:00:00") == dt.date(2021, 10, 1)
    assert parse_day("nonsense") is None and parse_day(None) is None


def test_tables_in_both_languages() -> None:
    users = pd.DataFrame([{"id": 1, "username": "tinh.79", "display_name": "Cán bộ",
                           "is_active": False, "roles": "PROVINCE_OFFICER:79, SYSTEM_ADMIN:VN",
                           "locked": True}])
    assert "Province officer (79); System administrator" in text_of(users_table(users, "en"))
    assert "Không" in text_of(users_table(users, "vi"))
    entries = pd.DataFrame([{"at": pd.Timestamp("2021-10-01 01:00"), "username": "a",
                             "source": "1.2.3.4", "action": "CREATE", "table_name": "app_user",
                             "record_key": "b", "before": None, "after": {"active": True},
                             "detail": None}])
    shown = text_of(entries_table(entries, "vi", "Asia/Ho_Chi_Minh"))
    assert "01/10/2021 08:00:00" in shown and '{"active":true}' in shown
    assert text_of(entries_table(entries.iloc[:0], "en", "UTC")) == "No entries"
