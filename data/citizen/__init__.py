"""Shared citizen services used by the public portal (callbacks.portal) and the health-book
JSON API (callbacks.api): who a citizen is (identify), sign-in by one-time code (signin,
otp_sender), the citizen's own records (records: profile, doses; registrations) and their FHIR
export (fhir), the reactions they report after a dose (self_report) and their daily health
declaration (declaration).

Each command takes a Services or an Engine, refuses bad input with
data.command_errors.OpsError (field, message id, detail: the same problems the operations
forms and the API word), and writes in one short transaction with its audit entry. data.citizen
may use data.ops's commands (the AEFI intake); data.mcc must not import data.citizen (the faces'
independence contract would see data.mcc -> data.ops through it), so the command center reads
the declaration rollup through data.models.citizen.
"""
