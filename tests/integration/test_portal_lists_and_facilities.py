"""An organisation's list uploaded on the portal (through the registrations ETL, with its reject
report in the page) and a facility registered on the portal (PENDING, in the officer's list)."""

from __future__ import annotations

import base64
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from callbacks.portal import limits
from callbacks.portal.facility import FIELDS as FAC_FIELDS
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import t
from data.auth.roles import Role
from data.interchange.messages import message
from data.ops.commands.facilities_status import change_status
from data.ops.queries.facilities import managed_facilities
from data.services import Services
from tests.integration.ops_setup import SOURCE, principal, registration
from tests.integration.portal_calls import PORTAL_CALLBACKS, portal_of, token_of
from tests.webcalls import decoded, outputs_of, payload_in

HEADER = ("registration_id,person_id,id_type,full_name,birth_date,sex,phone,priority_group,"
          "province_code,district_code,organisation,registered_at")
LIST = "\n".join([
    HEADER,
    "ORG-1,001090012345,CCCD,Nguyễn Văn An,1990-01-02,M,0912345678,6,01,001,,"
    "2021-07-20T10:00:00+07:00",
    "ORG-2,001190012346,CCCD,Lê Thị Hoa,1991-03-04,F,12345,6,01,001,,"
    "2021-07-20T10:00:00+07:00",
    "FILE-1,001085000001,CCCD,Phạm Văn Cường,1985-05-06,M,0912000111,6,01,001,,"
    "2021-07-20T10:00:00+07:00",
    "ORG-4,001192000002,CCCD,Đỗ Thị Lan,1992-07-08,F,0912000222,6,01,001,Trường Kim Mã,"
    "2021-07-20T10:00:00+07:00",
]) + "\n"


def _upload(app: dash.Dash, client: FlaskClient, csrf: str, content: str, name: str,
            org: Any, contact: Any, lang: str = "vi") -> dict[str, dict[str, Any]]:
    url = "data:text/csv;base64," + base64.b64encode(content.encode()).decode()
    body = payload_in(
        portal_of(app),
        [(ids.field_error(pid.REG_ORG_NAME), "children"),
         (ids.field_error(pid.REG_ORG_CONTACT), "children"),
         (ids.field_error(pid.REG_ORG_UPLOAD), "children"), (pid.REG_ORG_STATUS, "children"),
         (pid.REG_ORG_REJECTS, "children"), (pid.REG_ORG_UPLOAD, "contents")],
        [(pid.REG_ORG_UPLOAD, "contents", url)],
        [(pid.REG_ORG_UPLOAD, "filename", name), (pid.REG_ORG_NAME, "value", org),
         (pid.REG_ORG_CONTACT, "value", contact), (ids.SHELL_LANG, "data", lang)])
    return outputs_of(client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": csrf}))


def test_an_organisation_list_loads_its_valid_rows_and_shows_the_rejects(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    registration(services.engine, "FILE-1", person_id="001085000001")
    csrf = token_of(client)
    out = _upload(app, client, csrf, LIST, "../../etc/danh sach.csv", "Công ty May 10",
                  "Chị Hà 0912000333")
    status = out[pid.REG_ORG_STATUS]["children"]
    assert status == t("portal.reg.org_done", "vi", file="danh_sach.csv", read="4",
                       loaded="2", rejected="2")
    table = str(out[pid.REG_ORG_REJECTS]["children"])
    # Line 3 (a bad phone) and line 4 (an id already stored): line, field and reason shown.
    assert "'3'" in table and "phone" in table and message("bad_phone", "vi") in table
    assert "'4'" in table and message("registration_exists", "vi") in table
    with services.engine.connect() as conn:
        rows = dict(conn.execute(text(
            "SELECT registration_id, organisation FROM registration "
            "WHERE registration_id LIKE 'ORG-%' ORDER BY 1")).all())
        kept = conn.execute(text("SELECT full_name FROM registration "
                                 "WHERE registration_id = 'FILE-1'")).scalar_one()
        audit = conn.execute(text("SELECT detail FROM audit_log "
                                  "WHERE action = 'PORTAL_UPLOAD'")).scalar_one()
    assert rows == {"ORG-1": "Công ty May 10", "ORG-4": "Trường Kim Mã"}
    assert kept == "Nguyễn Văn An"  # the anonymous list did not overwrite it
    detail = audit if isinstance(audit, dict) else __import__("json").loads(audit)
    assert detail["contact"] == "Chị Hà 0912000333" and detail["loaded"] == 2
    # The same list again: every row is refused now (ids stored, people registered).
    again = _upload(app, client, csrf, LIST, "danh sach.csv", "Công ty May 10", "Chị Hà")
    assert "đăng ký mới 0" in again[pid.REG_ORG_STATUS]["children"]


def test_an_upload_needs_the_organisation_a_known_file_kind_and_is_rate_limited(
        app: dash.Dash, client: FlaskClient, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    csrf = token_of(client)
    out = _upload(app, client, csrf, LIST, "list.csv", "", None, lang="en")
    assert out[ids.field_error(pid.REG_ORG_NAME)]["children"] == t(
        "portal.reg.org_name_required", "en")
    assert out[ids.field_error(pid.REG_ORG_CONTACT)]["children"] == t(
        "portal.reg.org_contact_required", "en")
    exe = _upload(app, client, csrf, LIST, "list.exe", "Org", "Contact 0912", lang="en")
    assert exe[ids.field_error(pid.REG_ORG_UPLOAD)]["children"] == t("ops.reg.upload_kind", "en")
    big = _upload(app, client, csrf, "x" * (301 * 1024), "big.csv", "Org", "C", lang="en")
    assert big[ids.field_error(pid.REG_ORG_UPLOAD)]["children"].startswith("The file")
    monkeypatch.setattr(limits, "UPLOAD_PER_ADDRESS", "1/hour")
    _upload(app, client, csrf, HEADER + "\n", "a.csv", "Org", "C")
    limited = _upload(app, client, csrf, LIST, "b.csv", "Org", "C")
    assert limited[pid.REG_ORG_STATUS]["children"] == t("portal.too_many", "vi")
    with services.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM registration")).scalar_one() == 0


def _facility_call(app: dash.Dash, client: FlaskClient, csrf: str, values: dict[str, Any],
                   lang: str = "vi") -> dict[str, dict[str, Any]]:
    body = payload_in(
        portal_of(app),
        [*[(ids.field_error(f), "children") for f in FAC_FIELDS], (pid.PFAC_STATUS, "children")],
        [(pid.PFAC_SUBMIT, "n_clicks", 1)],
        [*[(f, "value", values.get(f)) for f in FAC_FIELDS], (ids.SHELL_LANG, "data", lang)])
    return outputs_of(client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": csrf}))


FACILITY = {pid.PFAC_NAME: "Phòng khám Đa khoa Kim Mã", pid.PFAC_KIND: "PRIVATE_CLINIC",
            pid.PFAC_PROVINCE: "01", pid.PFAC_DISTRICT: "001", pid.PFAC_WARD: None,
            pid.PFAC_ADDRESS: "20 Kim Mã", pid.PFAC_CAPACITY: "150",
            pid.PFAC_CONTACT_NAME: "Bác sĩ Minh", pid.PFAC_CONTACT_PHONE: "024 3823 1234"}


def test_a_facility_registers_pending_and_the_officer_sees_and_approves_it(
        app: dash.Dash, client: FlaskClient, services: Services) -> None:
    csrf = token_of(client)
    refused = _facility_call(app, client, csrf, FACILITY | {
        pid.PFAC_CONTACT_PHONE: "12", pid.PFAC_KIND: "CASTLE", pid.PFAC_CAPACITY: "-5"}, "en")
    assert refused[ids.field_error(pid.PFAC_CONTACT_PHONE)]["children"] == t(
        "portal.fac.contact_phone_bad", "en")
    assert refused[ids.field_error(pid.PFAC_KIND)]["children"]
    assert refused[ids.field_error(pid.PFAC_CAPACITY)]["children"]
    out = _facility_call(app, client, csrf, FACILITY)
    status = out[pid.PFAC_STATUS]["children"]
    code = status.split("mã ")[1].split(";")[0]
    assert status == t("portal.fac.done", "vi", code=code) and code.startswith("PF")
    officer = principal(services.engine, "hanoi", Role.PROVINCE_OFFICER, "01")
    pending = managed_facilities(services.engine, officer, "PENDING")
    assert [(f.code, f.name, f.kind, f.district_code, f.daily_capacity) for f in pending] == [
        (code, "Phòng khám Đa khoa Kim Mã", "PRIVATE_CLINIC", "001", 150)]
    with services.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dim_facility WHERE facility_code = :c"),
                            {"c": code}).scalar_one() == 1
        contact = conn.execute(text("SELECT detail FROM audit_log WHERE record_key = :c"),
                               {"c": code}).scalar_one()
    assert "02438231234" in str(contact)
    assert change_status(services.engine, officer, SOURCE, code, "approve", None, "vi") == "ACTIVE"
    assert managed_facilities(services.engine, officer, "ACTIVE")[0].code == code
    assert "PF" not in decoded(client.get("/portal/facility"))  # nothing listed publicly
