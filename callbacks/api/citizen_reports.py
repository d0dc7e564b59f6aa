"""What a citizen reports through the API: reactions after one of their doses (an AEFI report
marked self-reported) and the daily health declaration. Each route is one command of
data.citizen (self_report, declaration), which checks the input itself (422, one error per
problem); the person is always the token's. Another person's dose is refused exactly as an
unknown one (self_report.unknown_dose): nothing tells whose it is."""

from __future__ import annotations

from callbacks.api.bearer import services, source
from callbacks.api.citizen_bearer import citizen_person
from callbacks.api.errors import request_lang
from callbacks.api.schemas_citizen import (
    DeclarationIn,
    DeclarationOut,
    SelfReportIn,
    SelfReportOut,
)
from data.citizen.declaration import record_declaration
from data.citizen.self_report import record_self_report

CREATED = 201
# data.citizen's channel of the health-book API (the portal's is "portal").
CHANNEL = "app"


def self_report(json: SelfReportIn) -> tuple[SelfReportOut, int]:
    """Report reactions after one of the citizen's doses."""
    person_id = citizen_person()
    done = record_self_report(services(), person_id, json.record_id, json.onset_date,
                              json.reactions, json.text, hospitalised=json.hospitalised,
                              channel=CHANNEL, source=source(), lang=request_lang())
    return SelfReportOut(report_id=done.report_id, record_id=done.record_id,
                         severity=done.severity,  # type: ignore[arg-type]
                         reported_at=done.reported_at), CREATED


def declare(json: DeclarationIn) -> tuple[DeclarationOut, int]:
    """Declare today's health; 201 when new, 200 when it replaced today's earlier one."""
    person_id = citizen_person()
    done = record_declaration(services(), person_id, json.symptoms, json.contact, json.travel,
                              json.travel_province, channel=CHANNEL, source=source())
    out = DeclarationOut(day=done.day, province_code=done.province_code,
                         replaced=done.replaced)
    return out, 200 if done.replaced else CREATED
