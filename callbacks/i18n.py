"""UI strings, Vietnamese first with English, and locale-aware number formatting (pure)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from callbacks.i18n_admin import ADMIN_STRINGS
from callbacks.i18n_mcc import MCC_STRINGS
from callbacks.i18n_mcc_ops import OPS_STRINGS
from callbacks.i18n_numbers import NUMBERS_STRINGS
from callbacks.i18n_progress import PROGRESS_STRINGS

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {
        "vi": "Chiến dịch tiêm chủng vắc xin COVID-19",
        "en": "COVID-19 Vaccination Campaign",
    },
    "app.subtitle": {"vi": "Trung tâm điều hành", "en": "Command centre"},
    "nav.progress": {"vi": "Tiến độ tiêm chủng", "en": "Vaccination progress"},
    "nav.lang": {"vi": "Ngôn ngữ", "en": "Language"},
    "progress.title": {"vi": "Tiến độ tiêm chủng", "en": "Vaccination progress"},
    "kpi.doses": {"vi": "Tổng số mũi đã tiêm", "en": "Doses administered"},
    "kpi.doses.sub": {"vi": "tất cả các mũi", "en": "all doses"},
    "kpi.dose1": {"vi": "Số người tiêm ít nhất 1 mũi", "en": "People with at least 1 dose"},
    "kpi.fully": {"vi": "Số người tiêm đủ liều cơ bản", "en": "People fully vaccinated"},
    "kpi.booster": {"vi": "Số mũi nhắc lại", "en": "Booster doses"},
    "kpi.booster.sub": {"vi": "mũi nhắc lại 1 và 2", "en": "first and second boosters"},
    "kpi.today": {"vi": "Số mũi tiêm hôm nay", "en": "Doses today"},
    "kpi.pct_of_population": {"vi": "{pct} dân số", "en": "{pct} of the population"},
    "kpi.no_population": {"vi": "chưa có số dân", "en": "population not loaded"},
    "kpi.today.date": {"vi": "ngày {date}", "en": "on {date}"},
    "chart.daily.title": {"vi": "Số mũi tiêm theo ngày", "en": "Doses per day"},
    "chart.daily.avg7": {"vi": "Trung bình 7 ngày", "en": "7-day average"},
    "chart.daily.doses": {"vi": "Số mũi", "en": "Doses"},
    "chart.empty": {"vi": "Chưa có dữ liệu", "en": "No data yet"},
    "map.title": {"vi": "Tỷ lệ bao phủ theo tỉnh, thành phố", "en": "Coverage by province"},
    "map.metric.dose1": {"vi": "≥ 1 mũi", "en": "≥ 1 dose"},
    "map.metric.fully": {"vi": "Tiêm đủ liều", "en": "Fully vaccinated"},
    "map.colorbar": {"vi": "% dân số", "en": "% of population"},
    "map.hover.dose1": {"vi": "≥ 1 mũi: {pct}", "en": "≥ 1 dose: {pct}"},
    "map.hover.fully": {"vi": "Tiêm đủ liều: {pct}", "en": "Fully vaccinated: {pct}"},
    "map.hover.doses": {"vi": "Số mũi đã tiêm: {n}", "en": "Doses administered: {n}"},
    "map.archipelago.48": {
        "vi": "Quần đảo Hoàng Sa (TP. Đà Nẵng)",
        "en": "Hoàng Sa (Paracel) archipelago, Da Nang City",
    },
    "map.archipelago.56": {
        "vi": "Quần đảo Trường Sa (tỉnh Khánh Hòa)",
        "en": "Trường Sa (Spratly) archipelago, Khanh Hoa province",
    },
    "map.no_data": {"vi": "chưa có số dân", "en": "no population data"},
    "updated.stamp": {
        "vi": "Cập nhật lúc {time} · dữ liệu đến ngày {date}",
        "en": "Updated at {time} · data up to {date}",
    },
    "updated.stamp.empty": {
        "vi": "Cập nhật lúc {time} · chưa có dữ liệu tiêm",
        "en": "Updated at {time} · no doses recorded yet",
    },
    "live": {"vi": "Trực tiếp", "en": "Live"},
    # Accounts: the navbar's user menu and the server-rendered sign-in pages.
    "nav.logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "nav.password": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "nav.user": {"vi": "Người dùng đang đăng nhập", "en": "Signed-in user"},
    "login.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "login.password": {"vi": "Mật khẩu", "en": "Password"},
    "login.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.invalid": {
        "vi": "Sai tên đăng nhập hoặc mật khẩu",
        "en": "Wrong username or password",
    },
    "login.locked": {
        "vi": "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.",
        "en": "Account temporarily locked after repeated failed sign-ins. "
              "Try again in 15 minutes.",
    },
    "login.expired": {
        "vi": "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
        "en": "Your session has ended. Please sign in again.",
    },
    "login.signed_out": {"vi": "Bạn đã đăng xuất.", "en": "You have signed out."},
    "form.required": {"vi": "Vui lòng nhập trường này", "en": "Please fill in this field"},
    "form.expired": {
        "vi": "Biểu mẫu đã hết hạn. Vui lòng thử lại.",
        "en": "The form has expired. Please try again.",
    },
    "ratelimit.title": {"vi": "Quá nhiều lần thử", "en": "Too many attempts"},
    "ratelimit.body": {
        "vi": "Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng chờ một phút rồi thử lại.",
        "en": "Too many sign-in attempts from this address. "
              "Please wait a minute and try again.",
    },
    "ratelimit.back": {"vi": "Quay lại trang đăng nhập", "en": "Back to sign in"},
    "password.title": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "password.must_change": {
        "vi": "Bạn cần thay mật khẩu tạm thời trước khi tiếp tục.",
        "en": "Please replace your temporary password before continuing.",
    },
    "password.current": {"vi": "Mật khẩu hiện tại", "en": "Current password"},
    "password.new": {"vi": "Mật khẩu mới", "en": "New password"},
    "password.confirm": {"vi": "Nhập lại mật khẩu mới", "en": "Repeat the new password"},
    "password.hint": {
        "vi": "Ít nhất {n} ký tự, gồm chữ và số hoặc ký hiệu, không chứa tên đăng nhập.",
        "en": "At least {n} characters mixing letters with digits or symbols, "
              "without the username.",
    },
    "password.submit": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "password.back": {"vi": "Về trang chính", "en": "Back to the dashboard"},
    "password.too_short": {
        "vi": "Mật khẩu cần ít nhất {n} ký tự",
        "en": "The password needs at least {n} characters",
    },
    "password.contains_username": {
        "vi": "Mật khẩu không được chứa tên đăng nhập",
        "en": "The password must not contain the username",
    },
    "password.too_simple": {
        "vi": "Mật khẩu cần có cả chữ và số hoặc ký hiệu",
        "en": "Mix letters with digits or symbols",
    },
    "password.wrong_current": {
        "vi": "Mật khẩu hiện tại không đúng",
        "en": "The current password is wrong",
    },
    "password.same": {
        "vi": "Mật khẩu mới phải khác mật khẩu hiện tại",
        "en": "The new password must differ from the current one",
    },
    "password.mismatch": {
        "vi": "Hai lần nhập mật khẩu mới không khớp",
        "en": "The two new passwords differ",
    },
    **ADMIN_STRINGS,
    **MCC_STRINGS,
    **OPS_STRINGS,
    **PROGRESS_STRINGS,
    **NUMBERS_STRINGS,
}

# Value -> label key of the coverage map's metric toggle.
MAP_METRICS: dict[str, str] = {"pct_dose1": "map.metric.dose1", "pct_fully": "map.metric.fully"}

# Plotly's `separators`: decimal mark, then thousands separator.
_SEPARATORS: dict[str, tuple[str, str]] = {"vi": (",", "."), "en": (".", ",")}


def norm_lang(lang: str | None) -> str:
    """A supported language code (Vietnamese when unknown or unset)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None, **values: object) -> str:
    """The string for `key` in `lang` (falling back to Vietnamese), with {values} filled."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(norm_lang(lang)) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def choices(labels: Mapping[str, str], lang: str | None) -> list[dict[str, str]]:
    """Options of a radio or dropdown: value -> label key, labelled in `lang`."""
    return [{"label": t(key, lang), "value": value} for value, key in labels.items()]


def plotly_separators(lang: str | None) -> str:
    """Plotly layout `separators` for the language (Vietnamese: decimal ',' thousands '.')."""
    dec, thou = _SEPARATORS[norm_lang(lang)]
    return dec + thou


def _swap(text: str, lang: str | None) -> str:
    dec, thou = _SEPARATORS[norm_lang(lang)]
    return text.replace(",", "\0").replace(".", dec).replace("\0", thou)


def fmt_int(value: int | float | None, lang: str | None) -> str:
    """Whole number with thousands separators: vi 1.234.567, en 1,234,567; '—' if missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return _swap(f"{round(value):,}", lang)


def fmt_number(value: float | None, lang: str | None, digits: int = 1) -> str:
    """Decimal number: vi 1.234,5, en 1,234.5; '—' if missing."""
    if value is None or math.isnan(value):
        return "—"
    return _swap(f"{value:,.{digits}f}", lang)


def fmt_pct(value: float | None, lang: str | None, digits: int = 1) -> str:
    """Percentage: vi 45,3%, en 45.3%; '—' if missing."""
    text = fmt_number(value, lang, digits)
    return text if text == "—" else f"{text}%"


def fmt_date(day: dt.date | None, lang: str | None) -> str:
    """Date: vi dd/mm/yyyy, en d Mon yyyy; '—' if missing."""
    if day is None:
        return "—"
    if norm_lang(lang) == "vi":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {day.strftime('%b %Y')}"


def fmt_time(moment: dt.datetime) -> str:
    """Clock time HH:MM:SS (both languages use the 24-hour clock here)."""
    return moment.strftime("%H:%M:%S")
