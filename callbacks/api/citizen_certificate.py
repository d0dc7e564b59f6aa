"""The citizen's own COVID certificate through the health-book API: the EU DCC signed now (or
the still-valid one re-signed), as JSON and as the HC1 text the app shows as a QR code.

Issued by data.certificates (which signs, enters it in its registry and audits the issue),
for the token's person only; the identity number is in neither the answer nor the code.
"""

from __future__ import annotations

from callbacks.api.bearer import services, source
from callbacks.api.citizen_bearer import citizen_person
from callbacks.api.errors import ApiError
from callbacks.api.schemas_citizen_certificate import CitizenCertificateOut
from callbacks.shared.i18n import N_
from data.certificates.issue import NoCertifiableDose, issue_for_person
from data.certificates.keys import NoSigningKey
from data.citizen.common import citizen_actor

UNAVAILABLE = 503


def certificate() -> CitizenCertificateOut:
    """The token's person's certificate: 404 when no dose can be certified yet, 503 when
    the service holds no signing key (an operator runs `etl certificate-keys create`)."""
    person_id = citizen_person()
    try:
        issued = issue_for_person(services(), person_id, actor=citizen_actor("app", source()))
    except NoCertifiableDose as exc:
        raise ApiError(404, "no_certificate", N_("citizen.no_certificate")) from exc
    except NoSigningKey as exc:
        raise ApiError(UNAVAILABLE, "certificates_unavailable",
                       N_("citizen.certificates_unavailable")) from exc
    return CitizenCertificateOut(hc1=issued.hc1, uvci=issued.uvci, kid=issued.kid,
                                 issued_at=issued.issued_at, expires_at=issued.expires_at,
                                 hcert=issued.payload)
