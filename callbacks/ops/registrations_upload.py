"""Organisation lists uploaded on the registrations page: the file goes through the same ETL
as `python -m etl load registrations` (the registrations kind's rules and loader, one
transaction: valid rows load, invalid ones go to the reject report), with one check more, in
the data layer: every row must lie in the user's area (registration_scope.upload_check).

The file is hostile: its size is bounded before and after decoding, only the contract's
extensions are read, its name never reaches the file system (a fixed name in a private
temporary folder), and the readers refuse what they cannot read (etl.readers).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import dash
from dash import ClientsideFunction, Input, Output, State, html, no_update
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.i18n import fmt_int, norm_lang, t
from callbacks.shared.security import current_principal
from callbacks.shared.uploads import MAX_BYTES, decode, reject_table, report_rows, safe_name
from data.auth.admin import actor_for
from data.auth.roles import Forbidden, Principal
from data.ops.commands.registration_scope import upload_check
from data.ops.queries.registrations import require_reader
from data.services import Services
from etl.pipeline import load_file
from etl.refusal import FileRefused


def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def upload(services: Services, principal: Principal, lang: str | None, contents: object,
           filename: object) -> tuple[str, str, Component | str, dict[str, str] | None]:
    """(the error beside the upload, the outcome line, the reject table, the report to
    download) of one uploaded file."""
    lang = norm_lang(lang)
    try:
        require_reader(principal)
    except Forbidden:
        return t("ops.denied", lang), "", "", None
    named = safe_name(filename)
    if named is None:
        return t("ops.reg.upload_kind", lang), "", "", None
    data = decode(contents)
    if data is None:
        return t("ops.reg.upload_size", lang, size=fmt_int(MAX_BYTES // 1024, lang)), \
            "", "", None
    name, _ext = named
    with tempfile.TemporaryDirectory(prefix="vx-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        report = Path(tmp) / "rejects.csv"
        try:
            result = load_file(services.settings, services.engine, "registrations", path,
                               report, lang, actor=actor_for(principal, _source()),
                               row_check=upload_check(principal, lang))
        except FileRefused as refused:
            rows, text = report_rows(refused.reject_path)
            return "", t("ops.reg.upload_refused", lang, file=name), reject_table(rows, lang), \
                {"name": f"{name}.rejects.csv", "csv": text}
        rows, text = report_rows(result.reject_path)
    outcome = t("ops.reg.upload_done", lang, file=name, read=fmt_int(result.read, lang),
                loaded=fmt_int(result.loaded, lang), updated=fmt_int(result.updated, lang),
                unchanged=fmt_int(result.unchanged, lang),
                rejected=fmt_int(result.rejected, lang))
    if not rows:
        return "", outcome, "", None
    return "", outcome, reject_table(rows, lang), {"name": f"{name}.rejects.csv", "csv": text}


def pick_button(lang: str | None) -> html.Button:
    """The upload's button in `lang` (dcc.Upload draws its children as they are)."""
    return html.Button(t("ops.reg.upload_pick", norm_lang(lang)), type="button",
                       className="form-button form-button-secondary")


def register(app: dash.Dash, services: Services) -> None:
    """Attach the upload's callbacks to `app`."""

    @app.callback(Output(ids.OPS_REG_UPLOAD, "children"), Input(ids.SHELL_LANG, "data"))
    def _button(lang: str | None) -> html.Button:
        return pick_button(lang)

    @app.callback(
        Output(ids.field_error(ids.OPS_REG_UPLOAD), "children"),
        Output(ids.OPS_REG_UPLOAD_STATUS, "children"), Output(ids.OPS_REG_REJECTS, "children"),
        Output(ids.OPS_REG_REJECTS_CSV, "data"),
        Output(ids.OPS_REG_REJECTS_DOWNLOAD, "hidden"),
        Output(ids.OPS_REG_VERSION, "data", allow_duplicate=True),
        # Emptied once read: the same file chosen again is a new upload, and the file's
        # bytes do not stay in the page.
        Output(ids.OPS_REG_UPLOAD, "contents"),
        Input(ids.OPS_REG_UPLOAD, "contents"), State(ids.OPS_REG_UPLOAD, "filename"),
        State(ids.SHELL_LANG, "data"), State(ids.OPS_REG_VERSION, "data"),
        prevent_initial_call=True)
    def _upload(contents: object, filename: object, lang: str | None, version: object
                ) -> tuple:
        if contents is None:
            return (no_update,) * 7
        error, outcome, table, report = upload(services, current_principal(), lang, contents,
                                               filename)
        bump = (version if isinstance(version, int) else 0) + 1 if outcome else no_update
        return error, outcome, table, report, report is None, bump, None

    # The report is saved in the browser from what the upload answered: the CSV (already made
    # safe for spreadsheets by the ETL) never travels back to the server.
    app.clientside_callback(
        ClientsideFunction(namespace="vxRegistrations", function_name="saveReport"),
        Output(ids.OPS_REG_REJECTS_FILE, "data"),
        Input(ids.OPS_REG_REJECTS_DOWNLOAD, "n_clicks"), State(ids.OPS_REG_REJECTS_CSV, "data"),
        prevent_initial_call=True)
