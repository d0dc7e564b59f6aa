"""The province's periodic report on each backend: every section equals the figure the
dashboards show for the same province and period (coverage by vaccine and by priority group,
the reports page's stock, the AEFI reported day by day), the wastage rate is WHO's over the
seeded movements, the workbook and the CSV files hold those numbers with their header, a
reader gets only their own province, and the reports page's buttons send the files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dash
import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from app import create_app
from callbacks.mcc.periodic import REASONS, words
from callbacks.shared import ids
from data.auth.roles import Forbidden, Role
from data.catalog import MOVEMENT_REASONS
from data.mcc import aefi, progress, reports, stock
from data.mcc.periodic import PeriodError, PeriodicReport, periodic_report
from data.mcc.periodic_export import to_csv_zip, to_xlsx
from data.services import Services
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, movement, write_csv
from tests.integration.close_setup import DAY, WAREHOUSE
from tests.integration.ops_setup import AZ_LOT, PASSWORD, principal
from tests.integration.reconcile_setup import NEXT, seed_discrepancies
from tests.webcalls import log_in, outputs_of, payload_in, post

TZ = "Asia/Ho_Chi_Minh"
START, END = DAY, NEXT + dt.timedelta(days=2)
AT = dt.datetime(2021, 10, 20, 3, 0, tzinfo=dt.UTC)
AZ = "AZ · AstraZeneca AZD1222 / Vaxzevria / Covishield"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    seed_discrepancies(settings, engine, tmp_path)

    def load(kind: str, name: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{name}.csv", rows))
        assert result.rejected == 0, result
    # Priority groups 7 and 1, a resident of TP. Hồ Chí Minh, a dose after the period.
    load("injections", "groups", [
        injection("G7-1", priority_group=7, administered_at="2021-10-17T09:00:00+07:00",
                  dose_kind="BOOSTER", dose_number=1),
        injection("G1-1", priority_group=1, administered_at="2021-10-17T09:10:00+07:00"),
        injection("HCM-1", province_code="79", district_code="760", ward_code="",
                  administered_at="2021-10-17T09:20:00+07:00"),
        injection("LATE-1", administered_at="2021-10-25T09:00:00+07:00")])
    load("stock_movements", "broken", [movement(
        "W-BROKEN", warehouse_code=WAREHOUSE, movement_type="WASTAGE", reason="BROKEN",
        lot_number=AZ_LOT, doses=3, expiry_date="2022-06-30",
        occurred_at="2021-10-17T10:00:00+07:00")])
    load("aefi", "aefi", [
        _aefi("E1", "AZ-1", "MILD", "2021-10-15T12:00:00+07:00"),
        _aefi("E2", "N-1", "SERIOUS", "2021-10-16T12:00:00+07:00", classification="A"),
        _aefi("E3", "LATE-1", "MILD", "2021-10-25T12:00:00+07:00")])
    for who, role, scope in (("tinh.hanoi", Role.PROVINCE_OFFICER, "01"),
                             ("tinh.hcm", Role.PROVINCE_OFFICER, "79"),
                             ("huyen.badinh", Role.DISTRICT_OFFICER, "001"),
                             ("bo.yte", Role.MINISTRY_LEADER, None)):
        principal(engine, who, role, scope)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _aefi(report_id: str, record_id: str, severity: str, at: str,
          classification: str = "") -> dict[str, object]:
    return {"report_id": report_id, "record_id": record_id, "onset_at": at, "reported_at": at,
            "severity": severity,
            "seriousness": "HOSPITALISATION" if severity == "SERIOUS" else "",
            "symptoms": "sốt", "outcome": "RECOVERED", "classification": classification,
            "facility_code": "F00101"}


@pytest.fixture
def services(app: dash.Dash) -> Services:
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


@pytest.fixture
def report(services: Services, engine: Engine) -> PeriodicReport:
    officer = principal(engine, "tinh.hanoi.2", Role.PROVINCE_OFFICER, "01")
    return periodic_report(services, officer, "01", START, END, AT)


def _between(now: pd.DataFrame, before: pd.DataFrame, key: str) -> dict[object, int]:
    diff = now.set_index(key)["doses"].sub(before.set_index(key)["doses"], fill_value=0)
    return {k: int(v) for k, v in diff.items() if v}


def test_doses_equal_the_coverage_dashboards(services: Services, report: PeriodicReport
                                             ) -> None:
    eve = START - dt.timedelta(days=1)
    by_vaccine = _between(progress.coverage_by_vaccine(services, "01", END),
                          progress.coverage_by_vaccine(services, "01", eve), "vaccine_code")
    assert dict(zip(report.by_product["vaccine_code"], report.by_product["total"],
                    strict=True)) == by_vaccine == {"AZ": 13 + 1 + 17 + 2, "PFZ": 1}
    by_group = _between(
        progress.coverage_by_group(services, "priority_group", "01", END),
        progress.coverage_by_group(services, "priority_group", "01", eve), "priority_group")
    assert dict(zip(report.by_group["priority_group"], report.by_group["total"],
                    strict=True)) == by_group == {0: 32, 1: 1, 7: 1}
    days = pd.date_range(START, END).date
    assert report.totals()["doses"] == sum(
        int(reports.daily_report(services, d, "01")["doses"]["doses_day"].sum()) for d in days)
    booster = report.doses[report.doses["dose_kind"] == "BOOSTER"]
    assert booster[["vaccine_code", "priority_group", "doses"]].values.tolist() == [
        ["AZ", 7, 1]]


def test_stock_wastage_and_aefi_equal_the_dashboards(services: Services,
                                                     report: PeriodicReport) -> None:
    shown = reports.daily_report(services, END, "01")["stock"]
    assert report.stock.equals(shown)
    by_province = stock.stock_by_province(services, END).set_index("province_code")
    assert report.totals()["on_hand"] == by_province.loc["01", "on_hand"] == (
        70 - 12 - 3 + 60 + 39)  # AZ counted 12 short, 3 broken; Pfizer; the other store
    # AZ: 7 + 5 open-vial doses at the closes, 3 broken; 34 given at Hà Nội's facilities
    # (where the stock was drawn: the resident of TP. Hồ Chí Minh's dose among them).
    assert report.wastage_rate.values.tolist() == [
        ["AZ", 34, 15, 49, 30.61], ["PFZ", 1, 0, 1, 0.0]]
    assert report.wastage.values.tolist() == [
        ["AZ", "BROKEN", 3, 6.12], ["AZ", "OPEN_VIAL", 12, 24.49]]
    days = pd.date_range(START, END).date
    daily = pd.concat([aefi.reported_on(services, d, "01") for d in days])
    assert report.aefi.set_index("vaccine_code")[["MILD", "SERIOUS"]].stack().loc[
        lambda s: s > 0].to_dict() == daily.set_index(["vaccine_code", "severity"])[
        "cases"].to_dict() == {("AZ", "MILD"): 1, ("AZ", "SERIOUS"): 1}
    assert report.aefi_serious.set_index("classification")["cases"].to_dict() == {
        "A": 1, "B": 0, "C": 0, "UNCLASSIFIABLE": 0, "NONE": 0}


def test_the_workbook_and_the_csv_files_hold_the_same_numbers(report: PeriodicReport) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(report, words("vi"), TZ)))
    assert book.sheetnames == ["Tổng hợp", "Liều tiêm", "Chi tiết liều", "Tồn kho", "Hao hụt",
                               "Phản ứng sau tiêm"]
    summary = book["Tổng hợp"]
    assert [[c.value for c in row[:2]] for row in summary.iter_rows(max_row=4)] == [
        ["BÁO CÁO ĐỊNH KỲ TIÊM CHỦNG VẮC XIN PHÒNG COVID-19", None],
        ["Tỉnh/thành phố", f"{report.province_name} (01)"],
        ["Kỳ báo cáo", "15/10/2021 – 18/10/2021"],
        ["Lập lúc", f"20/10/2021 10:00 ({TZ})"]]
    figures = {r[0].value: r[1].value for r in summary.iter_rows(min_row=7, max_row=12)}
    assert figures == {"Số liều đã tiêm trong kỳ": 34, "Tồn kho cuối kỳ (liều)": 154,
                       "Liều hủy trong kỳ": 15, "Tỷ lệ hao hụt (%)": 30.0,
                       "Phản ứng sau tiêm được báo cáo": 2, "Trong đó ca nặng": 1}
    rows = [[c.value for c in r] for r in book["Liều tiêm"].iter_rows(min_row=6)]
    assert [AZ, 32, 0, 1, 33] in rows and ["0. Người dân", 32, 0, 0, 32] in rows
    assert [r for r in rows if r[0] == "Tổng cộng"] == [["Tổng cộng", 33, 0, 1, 34]] * 2
    waste = [[c.value for c in r][:5] for r in book["Hao hụt"].iter_rows(min_row=6)]
    assert [AZ, "Vỡ", 3, 6.12, None] in waste and ["Tổng cộng", 35, 15, 50, 30.0] in waste
    assert book["Hao hụt"]["B8"].number_format == "#,##0"
    files = zipfile.ZipFile(io.BytesIO(to_csv_zip(report, words("en"), TZ)))
    doses = pd.read_csv(files.open("doses.csv"), encoding="utf-8-sig")
    assert int(doses["doses"].sum()) == report.totals()["doses"]
    meta = pd.read_csv(files.open("report.csv"), encoding="utf-8-sig")
    assert meta.set_index("field").loc["end", "value"] == "2021-10-18"


def test_a_reader_reports_on_their_own_province_only(services: Services, engine: Engine
                                                     ) -> None:
    far = principal(engine, "tinh.hcm.2", Role.PROVINCE_OFFICER, "79")
    with pytest.raises(Forbidden):
        periodic_report(services, far, "01", START, END)
    district = principal(engine, "huyen.badinh.2", Role.DISTRICT_OFFICER, "001")
    assert periodic_report(services, district, "01", START, END).province_code == "01"
    with pytest.raises(PeriodError):
        periodic_report(services, district, "01", END, START)
    assert set(REASONS) == set(MOVEMENT_REASONS)


def _download(app: dash.Dash, username: str, button: str, province: str) -> dict:
    pressed = ids.REPORT_PERIODIC_XLSX if button == "xlsx" else ids.REPORT_PERIODIC_CSV
    client = app.server.test_client()
    token = log_in(client, username, PASSWORD)
    body = payload_in(app, [(ids.REPORT_PERIODIC_DOWNLOAD, "data"),
                            (ids.REPORT_PERIODIC_STATUS, "children")],
                      [(ids.REPORT_PERIODIC_XLSX, "n_clicks", int(button == "xlsx")),
                       (ids.REPORT_PERIODIC_CSV, "n_clicks", int(button == "csv"))],
                      [(ids.REPORT_PROVINCE, "value", province),
                       (ids.REPORT_PERIODIC_RANGE, "start_date", START.isoformat()),
                       (ids.REPORT_PERIODIC_RANGE, "end_date", END.isoformat()),
                       (ids.REPORT_AS_OF, "date", None), (ids.SHELL_LANG, "data", "en")],
                      [f"{pressed}.n_clicks"])
    return outputs_of(post(client, body, token))


def test_the_reports_page_sends_the_files_to_the_province_only(app: dash.Dash) -> None:
    # The province officer with the country filter empty: their own province.
    out = _download(app, "tinh.hanoi", "xlsx", "")
    sent = out[ids.REPORT_PERIODIC_DOWNLOAD]["data"]
    assert sent["filename"] == "bao-cao-dinh-ky_01_2021-10-15_2021-10-18.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert book.sheetnames[0] == "Summary" and book["Summary"]["B7"].value == 34
    assert out[ids.REPORT_PERIODIC_STATUS]["children"].startswith("Report made: ")
    csv = _download(app, "tinh.hanoi", "csv", "01")[ids.REPORT_PERIODIC_DOWNLOAD]["data"]
    assert csv["filename"].endswith(".zip")
    refused = _download(app, "tinh.hcm", "xlsx", "01")
    assert ids.REPORT_PERIODIC_DOWNLOAD not in refused
    assert refused[ids.REPORT_PERIODIC_STATUS]["children"] == (
        "You can only make the report of your own province.")
    national = _download(app, "bo.yte", "csv", "")
    assert national[ids.REPORT_PERIODIC_STATUS]["children"] == (
        "Choose a province in the filter above.")
