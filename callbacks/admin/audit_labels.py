"""Readable audit entries: event and table names in the user's language, and the before/after
JSON as 'field: before → after' lines. Pure.

An event, table, field or value without a string shows as its code: a new kind of entry is
never hidden, only less pretty until it gets a label.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from callbacks.shared.i18n import N_, fmt_int, has_text, t

# The ids computed below (audit.<kind>.<code>), marked for `pybabel extract` and the catalog
# test: events of data.auth.users, data.mcc.aefi and etl.pipeline, the tables and ETL kinds
# they name, the fields of their before/after/detail and the values put in words.
MESSAGE_IDS: tuple[str, ...] = (
    N_("audit.action.LOGIN"), N_("audit.action.LOGIN_FAILED"), N_("audit.action.LOGIN_LOCKED"),
    N_("audit.action.LOGOUT"), N_("audit.action.CREATE"), N_("audit.action.UPDATE_ROLES"),
    N_("audit.action.ACTIVATE"), N_("audit.action.DEACTIVATE"),
    N_("audit.action.RESET_PASSWORD"), N_("audit.action.CHANGE_PASSWORD"),
    N_("audit.action.ETL_LOAD"), N_("audit.action.VIEW_PERSONAL"),
    N_("audit.table.app_user"), N_("audit.table.user_role"), N_("audit.table.aefi_report"),
    N_("audit.table.facilities"), N_("audit.table.warehouses"), N_("audit.table.population"),
    N_("audit.table.allocations"), N_("audit.table.stock_movements"),
    N_("audit.table.registrations"), N_("audit.table.injections"), N_("audit.table.aefi"),
    N_("audit.field.display_name"), N_("audit.field.active"), N_("audit.field.roles"),
    N_("audit.field.reason"), N_("audit.field.failures"), N_("audit.field.locked"),
    N_("audit.field.file"), N_("audit.field.sha256"), N_("audit.field.read"),
    N_("audit.field.loaded"), N_("audit.field.updated"), N_("audit.field.unchanged"),
    N_("audit.field.rejected"), N_("audit.field.report_ids"), N_("audit.field.count"),
    N_("audit.field.VIEW_PERSONAL.read"), N_("audit.value.reason.unknown"),
    N_("audit.value.read.mcc.case_list"),
)
ARROW = " → "
MAX_LIST = 10  # report ids etc.: the first ten, then "… and N more"
SHORT_HASH = 12


def _known(key: str, lang: str | None, fallback: str) -> str:
    return t(key, lang) if has_text(key) else fallback


def action_label(action: str, lang: str | None) -> str:
    """The event's name ('LOGIN' -> 'Đăng nhập')."""
    return _known(f"audit.action.{action}", lang, action)


def table_label(table: str, lang: str | None) -> str:
    """What the entry is about ('app_user' -> 'Tài khoản')."""
    return _known(f"audit.table.{table}", lang, table)


def _field(action: str, key: str, lang: str | None) -> str:
    specific = f"audit.field.{action}.{key}"
    return t(specific, lang) if has_text(specific) else _known(f"audit.field.{key}", lang, key)


def grant_label(grant: str, lang: str | None, places: Mapping[str, str] | None = None) -> str:
    """'PROVINCE_OFFICER:79' -> 'Cán bộ tỉnh · Hồ Chí Minh (79)' (the place's name when
    `places` knows the scope code; national roles have none)."""
    role, _, code = grant.partition(":")
    label = _known(f"role.{role}", lang, role)
    if code in ("", "VN"):
        return label
    name = (places or {}).get(code)
    return f"{label} · {name} ({code})" if name else f"{label} ({code})"


def value_text(key: str, value: Any, lang: str | None,
               places: Mapping[str, str] | None = None) -> str:
    """One value as people read it: yes/no, numbers per language, roles by name and place,
    short lists."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("admin.yes" if value else "admin.no", lang)
    if isinstance(value, int | float):
        return fmt_int(value, lang) if float(value).is_integer() else str(value)
    if isinstance(value, list):
        items = [grant_label(str(v), lang, places) if key == "roles"
                 else value_text(key, v, lang, places) for v in value[:MAX_LIST]]
        more = [t("audit.value.more", lang, n=len(value) - MAX_LIST)] if len(value) > MAX_LIST \
            else []
        return ", ".join(items + more) if items else "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if key == "sha256":
        return text[:SHORT_HASH] + "…"
    return _known(f"audit.value.{key}.{text}", lang, text)


def _mapping(value: Any) -> dict[str, Any]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {"": value}
    return value if isinstance(value, dict) else {"": value}


def change_lines(action: str, before: Any, after: Any, detail: Any, lang: str | None,
                 places: Mapping[str, str] | None = None) -> list[str]:
    """'field: before → after' for each field the entry changed (only 'field: after' for a
    new record), then one line of 'field: value' details; scope codes named from `places`."""
    old, new, more = _mapping(before), _mapping(after), _mapping(detail)

    def shown(key: str, value: Any) -> str:
        return value_text(key, value, lang, places)

    lines = []
    for key in [*old, *(k for k in new if k not in old)]:
        name = _field(action, key, lang)
        if key in old and key in new:
            text = shown(key, old[key]) + ARROW + shown(key, new[key])
        elif key in new:
            text = shown(key, new[key])
        else:
            text = shown(key, old[key]) + ARROW + "—"
        lines.append(f"{name}: {text}")
    details = [f"{_field(action, k, lang)}: {shown(k, v)}" for k, v in more.items()
               if not (k == "count" and "report_ids" in more)]
    return lines + ([" · ".join(details)] if details else [])


def change_text(action: str, before: Any, after: Any, detail: Any, lang: str | None,
                places: Mapping[str, str] | None = None) -> str:
    """change_lines as one text, a line each."""
    return "\n".join(change_lines(action, before, after, detail, lang, places))
