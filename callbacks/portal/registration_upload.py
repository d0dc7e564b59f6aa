"""An organisation's list on the public portal: the uploader states the organisation's name
and a contact, the file goes through the registrations ETL (etl.pipeline.load_file, the
contract's rules and loader, one transaction) with the portal's row check
(data.portal.registration_upload: add only, one registration per identity), and the reject
report (line, field, reason) shows in the page.

Anonymous, so: the name and contact are required and kept in the audit log with the load's
counts, the file is bounded (callbacks.shared.uploads, smaller than the officers' limit) and
the uploads of one address are rate-limited.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, no_update
from dash.development.base_component import Component

from callbacks.portal import limits
from callbacks.portal.register import text
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import fmt_int, norm_lang, t
from callbacks.shared.uploads import decode, reject_table, report_rows, safe_name
from data import audit
from data.audit import Actor
from data.db import unit_of_work
from data.interchange.cells import has_bad_char
from data.portal.registration_upload import MAX_ORGANISATION, organisation_check
from data.services import Services
from etl.pipeline import load_file
from etl.refusal import FileRefused

MAX_BYTES = 300 * 1024  # an anonymous list: a few thousand rows at most
MAX_CONTACT = 200


def _stated(value: Any, limit: int) -> str | None:
    typed = text(value)
    return typed if typed and len(typed) <= limit and not has_bad_char(typed) else None


def upload(services: Services, lang: str, contents: Any, filename: Any, organisation: Any,
           contact: Any) -> tuple[str, str, str, str, Component | str]:
    """(errors beside name, contact and file; the outcome line; the reject table)."""
    org, who = _stated(organisation, MAX_ORGANISATION), _stated(contact, MAX_CONTACT)
    if org is None or who is None:
        return (t("portal.reg.org_name_required", lang) if org is None else "",
                t("portal.reg.org_contact_required", lang) if who is None else "", "", "", "")
    named = safe_name(filename)
    if named is None:
        return "", "", t("ops.reg.upload_kind", lang), "", ""
    data = decode(contents, MAX_BYTES)
    if data is None:
        return "", "", t("ops.reg.upload_size", lang,
                         size=fmt_int(MAX_BYTES // 1024, lang)), "", ""
    address = limits.client_address()
    if not limits.allow("upload-address", address, limits.UPLOAD_PER_ADDRESS):
        return "", "", "", t("portal.too_many", lang), ""
    name = named[0]
    actor = Actor(None, "portal", address)
    with tempfile.TemporaryDirectory(prefix="vx-portal-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        report = Path(tmp) / "rejects.csv"
        try:
            result = load_file(services.settings, services.engine, "registrations", path,
                               report, lang, actor=actor,
                               row_check=organisation_check(org, lang))
        except FileRefused as refused:
            rows, _ = report_rows(refused.reject_path)
            return "", "", "", t("ops.reg.upload_refused", lang, file=name), \
                reject_table(rows, lang)
        rows, _ = report_rows(result.reject_path)
    with unit_of_work(services.engine) as conn:
        # Who sent the list: the ETL's own entry names the file, this one the organisation.
        audit.record(conn, actor, "PORTAL_UPLOAD", "registration", name, detail={
            "organisation": org, "contact": who, "read": result.read,
            "loaded": result.loaded, "rejected": result.rejected})
    outcome = t("portal.reg.org_done", lang, file=name, read=fmt_int(result.read, lang),
                loaded=fmt_int(result.loaded, lang), rejected=fmt_int(result.rejected, lang))
    return "", "", "", outcome, reject_table(rows, lang) if rows else ""


def register(app: dash.Dash, services: Services) -> None:
    """Attach the organisations' upload to the portal app."""

    @app.callback(
        Output(ids.field_error(pid.REG_ORG_NAME), "children"),
        Output(ids.field_error(pid.REG_ORG_CONTACT), "children"),
        Output(ids.field_error(pid.REG_ORG_UPLOAD), "children"),
        Output(pid.REG_ORG_STATUS, "children"), Output(pid.REG_ORG_REJECTS, "children"),
        # Emptied once read: the same file chosen again is a new upload.
        Output(pid.REG_ORG_UPLOAD, "contents"),
        Input(pid.REG_ORG_UPLOAD, "contents"), State(pid.REG_ORG_UPLOAD, "filename"),
        State(pid.REG_ORG_NAME, "value"), State(pid.REG_ORG_CONTACT, "value"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _upload(contents: Any, filename: Any, organisation: Any, contact: Any,
                lang: Any) -> tuple:
        if contents is None:
            return (no_update,) * 6
        lang = norm_lang(lang if isinstance(lang, str) else None)
        return (*upload(services, lang, contents, filename, organisation, contact), None)
