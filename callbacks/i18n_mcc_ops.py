"""UI strings of the command-center pages for facilities and the daily report: vi first, en."""

from __future__ import annotations


def _s(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


OPS_STRINGS: dict[str, dict[str, str]] = {
    "nav.facilities": _s("Cơ sở tiêm chủng", "Facilities"),
    "nav.reports": _s("Báo cáo", "Reports"),
    "fac.title": _s("Cơ sở tiêm chủng", "Vaccination facilities"),
    "fac.choose": _s("Chọn một tỉnh, thành phố để xem các cơ sở tiêm chủng.",
                     "Choose a province to see its vaccination facilities."),
    "fac.all": _s("Tất cả cơ sở", "All facilities"),
    "fac.daily.title": _s("Số mũi tiêm mỗi ngày so với công suất",
                          "Doses per day against daily capacity"),
    "fac.daily.doses": _s("Số mũi", "Doses"),
    "fac.daily.capacity": _s("Công suất/ngày", "Daily capacity"),
    "fac.util.title": _s("Hiệu suất sử dụng trong kỳ", "Utilisation over the window"),
    "fac.util.window": _s("{n} ngày đến {date}", "{n} days to {date}"),
    "fac.silent.title": _s("Cơ sở ngừng báo cáo khi còn vắc xin",
                           "Facilities silent while holding stock"),
    "fac.silent.days": _s("Không có mũi tiêm trong (ngày)", "No doses for (days)"),
    "fac.kpi.facilities": _s("Số cơ sở", "Facilities"),
    "fac.kpi.doses": _s("Số mũi trong kỳ", "Doses in the window"),
    "fac.kpi.util": _s("Hiệu suất chung", "Overall utilisation"),
    "fac.kpi.over": _s("Cơ sở vượt công suất", "Facilities over capacity"),
    "fac.kpi.over.sub": _s("ít nhất 1 ngày", "on at least 1 day"),
    "fac.kpi.silent": _s("Cơ sở ngừng báo cáo", "Silent facilities"),
    "col.kind": _s("Loại", "Kind"),
    "col.status": _s("Trạng thái", "Status"),
    "col.capacity": _s("Công suất/ngày", "Capacity/day"),
    "col.active_days": _s("Ngày có tiêm", "Active days"),
    "col.avg_per_day": _s("TB/ngày", "Avg per day"),
    "col.peak_day": _s("Cao nhất/ngày", "Peak day"),
    "col.over_days": _s("Ngày vượt công suất", "Days over capacity"),
    "col.utilisation": _s("Hiệu suất (%)", "Utilisation (%)"),
    "col.last_dose": _s("Mũi tiêm gần nhất", "Last dose"),
    "col.days_silent": _s("Số ngày im lặng", "Days silent"),
    "report.title": _s("Báo cáo ngày", "Daily report"),
    "report.xlsx": _s("Tải Excel", "Download Excel"),
    "report.csv": _s("Tải CSV", "Download CSV"),
    "report.csv.hint": _s("CSV: một tệp nén (.zip) gồm một tệp cho mỗi mục.",
                          "CSV: one .zip holding one file per section."),
    "report.doses.title": _s("Số mũi theo vắc xin và loại mũi",
                             "Doses by vaccine and dose kind"),
    "report.coverage.title": _s("Độ bao phủ", "Coverage"),
    "report.stock.title": _s("Tồn kho theo vắc xin", "Stock by vaccine"),
    "report.aefi.title": _s("Phản ứng sau tiêm được báo cáo trong ngày",
                            "AEFI reported that day"),
    "report.kpi.day": _s("Số mũi tiêm trong ngày", "Doses that day"),
    "report.kpi.cumulative": _s("Số mũi lũy kế", "Cumulative doses"),
    "report.kpi.dose1": _s("Tiêm ít nhất 1 mũi", "At least 1 dose"),
    "report.kpi.fully": _s("Tiêm đủ liều cơ bản", "Fully vaccinated"),
    "report.kpi.on_hand": _s("Tồn kho", "On hand"),
    "report.kpi.aefi": _s("Phản ứng sau tiêm trong ngày", "AEFI reported that day"),
    "report.kpi.serious": _s("{n} ca nặng", "{n} serious"),
    "report.of_population": _s("{pct} dân số", "{pct} of the population"),
    "col.dose_kind": _s("Loại mũi", "Dose kind"),
    "col.dose_number": _s("Mũi số", "Dose no."),
    "col.doses_day": _s("Trong ngày", "That day"),
    "col.doses_cumulative": _s("Lũy kế", "Cumulative"),
    "col.metric": _s("Chỉ tiêu", "Measure"),
    "col.people": _s("Số người", "People"),
    "col.pct_population": _s("% dân số", "% of population"),
    "col.expiring_30d": _s("Hết hạn trong 30 ngày", "Expiring within 30 days"),
    "col.lots": _s("Số lô", "Lots"),
    "cov.population": _s("Dân số", "Population"),
    "cov.dose1": _s("Tiêm ít nhất 1 mũi", "At least 1 dose"),
    "cov.fully": _s("Tiêm đủ liều cơ bản", "Fully vaccinated"),
    "cov.booster": _s("Tiêm nhắc lại", "Booster"),
    "dose_kind.PRIMARY": _s("Cơ bản", "Primary"),
    "dose_kind.ADDITIONAL": _s("Bổ sung", "Additional"),
    "dose_kind.BOOSTER": _s("Nhắc lại", "Booster"),
}

# The silent-facility rule's default: no dose for this many days while holding stock.
SILENT_DAYS = 3
# The facilities page's window (days ending on as_of).
WINDOW_DAYS = 14
