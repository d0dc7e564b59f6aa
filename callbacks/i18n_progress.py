"""UI strings of the progress page's breakdowns, ranking and targets, and of wall mode."""

from __future__ import annotations


def _s(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


PROGRESS_STRINGS: dict[str, dict[str, str]] = {
    "progress.by_group.title": _s("Theo nhóm đối tượng ưu tiên", "By priority group"),
    "progress.by_age.title": _s("Tỷ lệ bao phủ theo nhóm tuổi", "Coverage by age band"),
    "progress.by_age.hint": _s("Mẫu số: dân số của nhóm tuổi (tuổi tại ngày tiêm).",
                               "Denominator: the age band's population (age on the day)."),
    "progress.by_sex.title": _s("Theo giới", "By sex"),
    "progress.by_vaccine.title": _s("Tỷ trọng theo vắc xin", "Share by vaccine"),
    "progress.dropout.title": _s("Tỷ lệ bỏ mũi 2 theo vắc xin", "Dose-2 drop-out by vaccine"),
    "progress.dropout.hint": _s(
        "Ước tính từ số mũi: 1 − số mũi 2 / số mũi 1 đã đến hẹn mũi 2 (tiêm cách đây ít nhất "
        "khoảng cách tối thiểu của vắc xin). Chỉ vắc xin có từ 2 mũi cơ bản; không âm khi "
        "tiêm trộn vắc xin.",
        "Estimated from dose counts: 1 − second doses / first doses due for a second one "
        "(given at least the product's minimum interval ago). Products with 2+ primary doses "
        "only; never below 0 with mixed schedules."),
    "progress.district.title": _s("Độ bao phủ theo quận, huyện", "Coverage by district"),
    "progress.district.province": _s("Tỉnh, thành phố", "Province"),
    "progress.district.pick": _s(
        "Chọn một tỉnh trên bản đồ hoặc trong danh sách để xem từng quận, huyện.",
        "Pick a province on the map or in the list to see its districts."),
    "progress.district.no_population": _s(
        "Chưa có số dân, chưa tính được độ bao phủ: {names}.",
        "No population figure yet, so no coverage for: {names}."),
    "progress.ranking.title": _s("Xếp hạng tỉnh, thành phố", "Provinces ranked"),
    "progress.target.title": _s("Mục tiêu và khoảng cách", "Targets and gap"),
    "progress.target.input": _s("Mục tiêu tiêm đủ liều (% dân số ≥ 18 tuổi)",
                                "Target, fully vaccinated (% of people 18+)"),
    "progress.target.kpi.pct": _s("Tiêm đủ liều, ≥ 18 tuổi", "Fully vaccinated, 18+"),
    "progress.target.kpi.target": _s("Mục tiêu", "Target"),
    "progress.target.kpi.gap": _s("Còn thiếu để đạt mục tiêu", "Gap to the target"),
    "progress.target.people": _s("người", "people"),
    "progress.target.of": _s("trên {n} người ≥ 18 tuổi", "of {n} people 18+"),
    "progress.target.line": _s("Mục tiêu {pct}", "Target {pct}"),
    "progress.target.reached": _s("đã đạt", "reached"),
    "progress.series.dose1": _s("≥ 1 mũi", "≥ 1 dose"),
    "progress.series.fully": _s("Tiêm đủ liều", "Fully vaccinated"),
    "progress.series.booster": _s("Mũi nhắc lại", "Booster"),
    "progress.series.dropout": _s("Bỏ mũi 2", "Drop-out"),
    "progress.axis.people": _s("Số người", "People"),
    "progress.axis.pct": _s("% dân số", "% of population"),
    "progress.population": _s("dân số {n}", "population {n}"),
    "progress.no_population": _s("chưa có số dân", "no population data"),
    "col.rank": _s("Hạng", "Rank"),
    "col.pct_dose1": _s("≥ 1 mũi (%)", "≥ 1 dose (%)"),
    "col.pct_fully": _s("Đủ liều (%)", "Fully (%)"),
    "col.last_7d": _s("Số mũi 7 ngày", "Doses, 7 days"),
    "col.trend": _s("Xu hướng 7 ngày", "7-day trend"),
}
