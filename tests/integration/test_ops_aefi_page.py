"""The AEFI cases page through the real Dash endpoint, signed in, on each backend: the district
officer finds a serious case in the list, opens it and signs the investigation (errors beside
their fields first), the provincial officer classifies it with a WHO category; facility staff
see the case with no form and a forged signing call is refused beside the button; the staff
report's date checks are told beside the onset, in the UI language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.ops.aefi import CLS_FIELDS, INV_FIELDS, NEW_FIELDS
from callbacks.shared import ids
from data.auth.roles import SYSTEM, Role
from data.interchange.messages import message
from data.ops.commands.aefi_staff import StaffReport, report
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, scalar, write_csv
from tests.integration.ops_setup import PASSWORD, principal
from tests.webcalls import (
    ids_in,
    log_in,
    nav_links,
    ops_nav_call,
    outputs_of,
    page_call,
    payload_in,
    post,
    text_of,
)

TZ = "Asia/Ho_Chi_Minh"
FUTURE_VI = "Ngày nằm sau hôm nay ({detail})."


def _ago(minutes: int) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TZ)).date()


def _typed(at: dt.datetime) -> str:
    """A moment as the onset field takes it (dd/mm/yyyy hh:mm, local clock)."""
    return f"{at.astimezone(ZoneInfo(TZ)):%d/%m/%Y %H:%M}"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    load_file(settings, engine, "facilities", write_csv(
        tmp_path / "f.csv", [FACILITY, facility("F00201", district_code="002", ward_code="")]))
    record_injection(engine, SYSTEM, injection("A", administered_at=_ago(90).isoformat()), "en")
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "huyen.hoankiem", Role.DISTRICT_OFFICER, "002")
    principal(engine, "tinh.hanoi", Role.PROVINCE_OFFICER, "01")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    report(engine, staff, None, StaffReport(
        "A", _ago(60), ("ANAPHYLAXIS",), "tụt huyết áp", ("HOSPITALISATION",),
        reporter_title="Điều dưỡng"), "vi", TZ)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


@pytest.fixture
def case(app: dash.Dash, engine: Engine) -> str:
    return str(scalar(engine, "SELECT report_id FROM aefi_report"))


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _list(app: dash.Dash, who: tuple[FlaskClient, str], status: str, lang: str
          ) -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_AEFI_LIST, "options"), (ids.OPS_AEFI_LIST_INFO, "children")],
                      [(ids.SHELL_LANG, "data", lang), (ids.OPS_AEFI_FILTER, "value", status),
                       (ids.OPS_AEFI_DONE, "data", 0)])
    return outputs_of(post(who[0], body, who[1]))


def _open(app: dash.Dash, who: tuple[FlaskClient, str], report_id: str, lang: str
          ) -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_AEFI_DETAIL, "children"), (ids.OPS_AEFI_STEP, "children"),
                            (ids.OPS_AEFI_CASE, "data"), (ids.OPS_AEFI_STEP_STATUS, "children")],
                      [(ids.OPS_AEFI_LIST, "value", report_id), (ids.OPS_AEFI_DONE, "data", 0),
                       (ids.SHELL_LANG, "data", lang)], changed=[f"{ids.OPS_AEFI_LIST}.value"])
    return outputs_of(post(who[0], body, who[1]))


def _investigate(app: dash.Dash, who: tuple[FlaskClient, str], report_id: str, day: str,
                 findings: str, lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in INV_FIELDS]
    outs += [(ids.OPS_AEFI_STEP_STATUS, "children"), (ids.OPS_AEFI_DONE, "data")]
    body = payload_in(app, outs, [(ids.OPS_AEFI_INV_SUBMIT, "n_clicks", 1),
                                  (ids.OPS_AEFI_INV_DATE, "n_submit", 0)],
                      [(ids.OPS_AEFI_CASE, "data", report_id),
                       (ids.OPS_AEFI_INV_DATE, "value", day),
                       (ids.OPS_AEFI_INV_FINDINGS, "value", findings),
                       (ids.OPS_AEFI_DONE, "data", 4), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_AEFI_INV_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _classify(app: dash.Dash, who: tuple[FlaskClient, str], report_id: str, category: object,
              day: str, note: str, lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in CLS_FIELDS]
    outs += [(ids.OPS_AEFI_STEP_STATUS, "children"), (ids.OPS_AEFI_DONE, "data")]
    body = payload_in(app, outs, [(ids.OPS_AEFI_CLS_SUBMIT, "n_clicks", 1),
                                  (ids.OPS_AEFI_CLS_DATE, "n_submit", 0)],
                      [(ids.OPS_AEFI_CASE, "data", report_id),
                       (ids.OPS_AEFI_CLS_CAUSALITY, "value", category),
                       (ids.OPS_AEFI_CLS_DATE, "value", day),
                       (ids.OPS_AEFI_CLS_NOTE, "value", note),
                       (ids.OPS_AEFI_DONE, "data", 7), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_AEFI_CLS_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _errors(out: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    return {f: out[ids.field_error(f)]["children"] for f in fields
            if out[ids.field_error(f)]["children"]}


def _words(node: Any) -> str:
    """The text of a component tree with its spacing collapsed."""
    return " ".join(text_of(node).split())


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def test_the_district_investigates_and_the_province_classifies_through_the_page(
        app: dash.Dash, engine: Engine, case: str) -> None:
    district = _signed_in(app, "huyen.badinh")
    page = outputs_of(post(district[0], page_call("/ops/aefi"), district[1]))
    assert {ids.OPS_AEFI_LIST, ids.OPS_AEFI_DETAIL, ids.OPS_AEFI_NEW_SUBMIT} <= ids_in(
        page["_pages_content"]["children"])
    listed = _list(app, district, "REPORTED", "en")
    assert [o["value"] for o in listed[ids.OPS_AEFI_LIST]["options"]] == [case]
    shown = _words(listed[ids.OPS_AEFI_LIST]["options"][0]["label"])
    assert shown.startswith("Reported ") and "· AZ · AZ2108A F00101 · Hospitalisation · " \
        f"{case}" in shown, shown
    assert _list(app, district, "CLASSIFIED", "en")[ids.OPS_AEFI_LIST]["options"] == []
    # Another district's officer does not see it.
    other = _signed_in(app, "huyen.hoankiem")
    assert _list(app, other, "ALL", "vi")[ids.OPS_AEFI_LIST_INFO]["children"] == (
        "Không có ca nào.")
    opened = _open(app, district, case, "en")
    detail = _words(opened[ids.OPS_AEFI_DETAIL]["children"])
    for shown in (f"Case {case} Reported", "AZ2108A", "A · AZ", "anaphylaxis; tụt huyết áp",
                  "Hospitalisation", "Điều dưỡng", "(entered by tram.phucxa)",
                  "District investigation Not signed yet."):
        assert shown in detail, (shown, detail)
    form = opened[ids.OPS_AEFI_STEP]["children"]
    assert set(INV_FIELDS) <= ids_in(form) and ids.OPS_AEFI_CLS_SUBMIT not in ids_in(form)
    assert opened[ids.OPS_AEFI_CASE]["data"] == case
    assert opened[ids.OPS_AEFI_STEP_STATUS]["children"] == ""  # no line of another case's
    # Errors beside their fields, in the UI language; nothing is signed.
    bad = _investigate(app, district, case, "31/02/2026", "  ", "en")
    assert _errors(bad, INV_FIELDS) == {
        ids.OPS_AEFI_INV_DATE: "Enter the date as dd/mm/yyyy.",
        ids.OPS_AEFI_INV_FINDINGS: "Enter the investigation's findings."}
    assert ids.OPS_AEFI_DONE not in bad
    future = _investigate(app, district, case, _day(_today() + dt.timedelta(days=2)), "x", "vi")
    assert _errors(future, INV_FIELDS) == {ids.OPS_AEFI_INV_DATE: FUTURE_VI.format(
        detail=_today().isoformat())}
    assert scalar(engine, "SELECT COUNT(*) FROM vax_aefi_case") == 0
    done = _investigate(app, district, case, _day(_today()), "Phản vệ độ II", "vi")
    assert _errors(done, INV_FIELDS) == {}
    assert done[ids.OPS_AEFI_STEP_STATUS]["children"] == f"Đã ký phiếu điều tra ca {case}."
    assert done[ids.OPS_AEFI_DONE]["data"] == 5
    signed = _open(app, district, case, "en")
    assert f"Phản vệ độ II Signed by huyen.badinh on {_today():%-d %b %Y}" in _words(
        signed[ids.OPS_AEFI_DETAIL]["children"])
    assert signed[ids.OPS_AEFI_STEP]["children"] == ""  # nothing left for the district
    # The province's council: the WHO list with its labels, then the signed classification.
    province = _signed_in(app, "tinh.hanoi")
    assert [o["value"] for o in _list(app, province, "INVESTIGATED", "vi")[
        ids.OPS_AEFI_LIST]["options"]] == [case]
    council = _open(app, province, case, "vi")[ids.OPS_AEFI_STEP]["children"]
    assert set(CLS_FIELDS) <= ids_in(council) and ids.OPS_AEFI_INV_SUBMIT not in ids_in(council)
    radios = next(c for c in council["props"]["children"] if isinstance(c, dict)
                  and ids.OPS_AEFI_CLS_CAUSALITY in ids_in(c))["props"]["children"][1]
    assert [(o["value"], o["label"]) for o in radios["props"]["options"]][:2] == [
        ("A1", "A1. Phản ứng liên quan đến sản phẩm vắc xin"),
        ("A2", "A2. Phản ứng liên quan đến lỗi chất lượng vắc xin")]
    assert len(radios["props"]["options"]) == 8
    refused = _classify(app, province, case, "D", _day(_today()), "", "en")
    assert _errors(refused, CLS_FIELDS) == {
        ids.OPS_AEFI_CLS_CAUSALITY: "Invalid causality category; allowed: "
                                    "A1, A2, A3, A4, B1, B2, C, UNCLASSIFIABLE"}
    ok = _classify(app, province, case, "A1", _day(_today()), "Hội đồng họp", "en")
    assert ok[ids.OPS_AEFI_STEP_STATUS]["children"] == (
        f"Classification of case {case} signed: A1. Vaccine product-related reaction.")
    final = _words(_open(app, province, case, "en")[ids.OPS_AEFI_DETAIL]["children"])
    assert "Classified" in final and "A1. Vaccine product-related reaction" in final
    assert "Hội đồng họp Signed by tinh.hanoi on" in final
    with engine.connect() as conn:
        assert tuple(conn.execute(text(
            "SELECT status, findings, investigated_by_name, causality, classified_by_name "
            "FROM vax_aefi_case")).one()) == (
            "CLASSIFIED", "Phản vệ độ II", "huyen.badinh", "A1", "tinh.hanoi")


def test_staff_get_no_form_and_a_forged_step_is_refused_beside_the_button(
        app: dash.Dash, engine: Engine, case: str) -> None:
    staff = _signed_in(app, "tram.phucxa")
    opened = _open(app, staff, case, "en")
    assert "AZ2108A" in _words(opened[ids.OPS_AEFI_DETAIL]["children"])
    assert opened[ids.OPS_AEFI_STEP]["children"] == ""
    forged = _investigate(app, staff, case, _day(_today()), "x", "en")
    assert _errors(forged, INV_FIELDS) == {
        ids.OPS_AEFI_INV_SUBMIT: "Your role does not sign this step of the case."}
    assert ids.OPS_AEFI_DONE not in forged
    forged = _classify(app, staff, case, "C", _day(_today()), "", "vi")
    assert _errors(forged, CLS_FIELDS) == {
        ids.OPS_AEFI_CLS_SUBMIT: "Vai trò của bạn không ký bước này của ca."}
    # A province officer cannot classify before the district signed: told beside the button.
    early = _classify(app, _signed_in(app, "tinh.hanoi"), case, "C", _day(_today()), "", "en")
    assert _errors(early, CLS_FIELDS) == {ids.OPS_AEFI_CLS_SUBMIT: (
        "The district has not investigated this case yet: it cannot be classified.")}
    # Another district's officer: the case is out of their area, on the detail and the step.
    other = _signed_in(app, "huyen.hoankiem")
    assert text_of(_open(app, other, case, "en")[ids.OPS_AEFI_DETAIL]["children"]) == (
        "This case is outside your area.")
    assert _errors(_investigate(app, other, case, _day(_today()), "x", "en"), INV_FIELDS) == {
        ids.OPS_AEFI_INV_SUBMIT: "Your role does not sign this step of the case."}
    assert scalar(engine, "SELECT COUNT(*) FROM vax_aefi_case") == 0
    # A ministry leader gets the refusal, and the nav links the page for operations roles.
    leader = _signed_in(app, "bo.yte")
    page = outputs_of(post(leader[0], page_call("/ops/aefi"), leader[1]))
    assert ids.OPS_DENIED in ids_in(page["_pages_content"]["children"])
    assert ids.OPS_AEFI_LIST not in ids_in(page["_pages_content"]["children"])
    areas, tabs = nav_links(outputs_of(post(staff[0], ops_nav_call("vi", "/ops/aefi"),
                                            staff[1])))
    assert ("/ops/registrations", "Hồ sơ") in areas and ("/ops/aefi", "AEFI") in tabs


def _report(app: dash.Dash, who: tuple[FlaskClient, str], lang: str, **values: Any
            ) -> dict[str, Any]:
    given = {ids.OPS_AEFI_NEW_RECORD: "A", ids.OPS_AEFI_NEW_ONSET: _typed(_ago(30)),
             ids.OPS_AEFI_NEW_SYMPTOMS: ["URTICARIA"], ids.OPS_AEFI_NEW_TEXT: "",
             ids.OPS_AEFI_NEW_SERIOUSNESS: [], ids.OPS_AEFI_NEW_OUTCOME: "RECOVERED",
             ids.OPS_AEFI_NEW_REPORTER: "", ids.OPS_AEFI_NEW_TITLE: "",
             ids.OPS_AEFI_NEW_PHONE: ""} | {getattr(ids, f"OPS_AEFI_NEW_{k.upper()}"): v
                                            for k, v in values.items()}
    outs = [(ids.field_error(f), "children") for f in NEW_FIELDS]
    outs += [(ids.OPS_AEFI_NEW_STATUS, "children"), (ids.OPS_AEFI_DONE, "data")]
    body = payload_in(app, outs, [(ids.OPS_AEFI_NEW_SUBMIT, "n_clicks", 1)],
                      [*[(f, "value", given[f]) for f in NEW_FIELDS[:-1]],
                       (ids.OPS_AEFI_DONE, "data", 2), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_AEFI_NEW_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_staff_report_with_bad_dates_is_refused_beside_the_onset(
        app: dash.Dash, engine: Engine, lang: str) -> None:
    staff = _signed_in(app, "tram.phucxa")
    before = _report(app, staff, lang, onset=_typed(_ago(120)))  # before the injection
    assert _errors(before, NEW_FIELDS) == {
        ids.OPS_AEFI_NEW_ONSET: message("onset_before_injection", lang)}
    assert ids.OPS_AEFI_DONE not in before
    unreadable = _report(app, staff, lang, onset="32/13/2021 25:00", record="")
    assert _errors(unreadable, NEW_FIELDS) == {
        ids.OPS_AEFI_NEW_ONSET: {"vi": "Nhập thời điểm dạng dd/mm/yyyy hh:mm.",
                                 "en": "Enter the onset as dd/mm/yyyy hh:mm."}[lang],
        ids.OPS_AEFI_NEW_RECORD: {"vi": "Nhập mã mũi tiêm.",
                                  "en": "Enter the dose's record id."}[lang]}
    unknown = _report(app, staff, lang, symptoms=["NOPE"], text="")
    assert set(_errors(unknown, NEW_FIELDS)) == {ids.OPS_AEFI_NEW_SYMPTOMS}
    assert scalar(engine, "SELECT COUNT(*) FROM aefi_report") == 1  # the fixture's only
    ok = _report(app, staff, lang, seriousness=["LIFE_THREATENING"], phone="0912345678",
                 text="khó thở")
    assert _errors(ok, NEW_FIELDS) == {}
    assert ok[ids.OPS_AEFI_DONE]["data"] == 3
    rid = str(scalar(engine, "SELECT report_id FROM vax_aefi_staff_report "
                             "WHERE reporter_phone = '0912345678'"))
    assert ok[ids.OPS_AEFI_NEW_STATUS]["children"] == {
        "vi": f"Đã ghi nhận báo cáo {rid}: ca nặng, chờ huyện điều tra.",
        "en": f"Report {rid} recorded: a serious case, awaiting the district's "
              "investigation."}[lang]
    with engine.connect() as conn:
        assert tuple(conn.execute(text(
            "SELECT severity, seriousness, symptoms, outcome FROM aefi_report "
            "WHERE report_id = :r"), {"r": rid}).one()) == (
            "SERIOUS", "LIFE_THREATENING", "nổi mề đay; khó thở", "RECOVERED")
    # Another facility's staff may not report this dose: told beside the record id.
    principal(engine, "tram.khac", Role.FACILITY_STAFF, "F00201")
    refused = _report(app, _signed_in(app, "tram.khac"), lang)
    assert set(_errors(refused, NEW_FIELDS)) == {ids.OPS_AEFI_NEW_RECORD}
