"""UI strings that say what a figure counts: stores in a stock total, doses against people,
coverage above 100%, the last day with data, small counts (vi first, en)."""

from __future__ import annotations


def _s(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


NUMBERS_STRINGS: dict[str, dict[str, str]] = {
    # Stock on hand: the same stores on /allocation and /reports (data.mcc.stock).
    "stock.on_hand.national": _s(
        "liều ở mọi kho, gồm {n} ở kho quốc gia và khu vực",
        "doses in every store, {n} of them at national and regional stores"),
    "stock.on_hand.province": _s("liều ở kho tỉnh, huyện và điểm tiêm",
                                 "doses at province, district and site stores"),
    # The daily report's coverage table: boosters are doses, the other rows people.
    "col.count": _s("Số lượng", "Count"),
    "col.unit": _s("Đơn vị", "Unit"),
    "unit.people": _s("người", "people"),
    "unit.doses": _s("mũi", "doses"),
    "cov.booster_doses": _s("Số mũi nhắc lại (mũi 1 và 2)", "Booster doses (1st and 2nd)"),
    # Coverage above 100% (callbacks.coverage_marks).
    "coverage.over.note": _s("Trên 100%: số dân ước tính cũ hơn số mũi tiêm",
                             "Above 100%: population estimate older than the doses"),
    "coverage.over.why": _s(
        "Số người đã tiêm vượt số dân ước tính khi ước tính dân số có trước các mũi tiêm: "
        "người chuyển đến sau đó được tính ở nơi ở hiện tại nhưng chưa có trong mẫu số.",
        "More people vaccinated than the population estimate holds when the estimate predates "
        "the doses: people who moved in since count where they live now but are not yet in "
        "the denominator."),
    # Doses, not people: the priority-group chart shows boosters beside people.
    "progress.series.booster_doses": _s("Mũi nhắc lại (số mũi)", "Booster doses"),
    "progress.axis.people_doses": _s("Số người · số mũi nhắc lại", "People · booster doses"),
    # The target chart's legend (the colours, and the line that used to carry its own label).
    "progress.target.legend.reached": _s("Đã đạt mục tiêu", "Target reached"),
    "progress.target.legend.below": _s("Chưa đạt", "Below the target"),
    "map.island.no_population": _s("Không có số dân riêng: không tô màu",
                                   "No population figure of its own: not coloured"),
    # The ranking's 7-day trend below data.mcc.progress.MIN_TREND_DOSES.
    "progress.trend.few": _s("— ít mũi", "— few doses"),
    "progress.trend.rule": _s(
        "So với 7 ngày trước đó. Không tính % khi 7 ngày trước có dưới {n} mũi, không có mũi "
        "tên khi cả hai tuần đều dưới {n} mũi: quá ít để thành xu hướng.",
        "Against the 7 days before. No % when those had under {n} doses, no arrow when both "
        "weeks had under {n}: too few for a trend."),
    "progress.trend.from": _s("(từ {n} mũi)", "(from {n} doses)"),
    # The signal panel's PRR (data.mcc.stats.prr_chi2).
    "aefi.prr.na": _s("không tính được", "n/a"),
    "aefi.prr.corrected": _s(
        "≈: có ô bằng 0 trong bảng 2×2, PRR tính sau khi cộng 0,5 vào mỗi ô (hiệu chỉnh "
        "Haldane). Tín hiệu: PRR ≥ 2, χ² ≥ 4 và ≥ 3 ca (Evans và cộng sự, 2001).",
        "≈: a cell of the 2×2 table was 0, so 0.5 was added to every cell (Haldane "
        "correction). Signal: PRR ≥ 2, χ² ≥ 4 and ≥ 3 cases (Evans et al., 2001)."),
    # The day card when the data end before today (callbacks.progress.day_kpi).
    "kpi.last_day": _s("Số mũi ngày {date}", "Doses on {date}"),
    "kpi.last_day.sub": _s("ngày cuối có số liệu · hôm nay: {n}",
                           "last day with data · today: {n}"),
    "progress.vaccine.other": _s("Khác", "Other"),
}
