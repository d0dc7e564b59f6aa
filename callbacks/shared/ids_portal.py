"""Component ids of the public portal (its own Dash app at /portal/; callbacks.portal).

The portal is a separate callback graph: an anonymous visitor can reach these callbacks and no
other. Each portal page appends its ids here, under its own heading.
"""

from __future__ import annotations

# Shell of the portal (pages.portal.shell).
PORTAL_ROOT = "portal-root"
PORTAL_URL = "portal-url"
PORTAL_PAGE = "portal-page"
PORTAL_NAV = "portal-nav"
PORTAL_REFRESH = "portal-refresh"

# Certificate look-up (pages.portal.certificate, callbacks.portal.certificate).
CERT_PERSON_ID = "portal-cert-person-id"
CERT_NAME = "portal-cert-name"
CERT_BIRTH = "portal-cert-birth"
CERT_SUBMIT = "portal-cert-submit"
CERT_RESULT = "portal-cert-result"
CERT_HC1 = "portal-cert-hc1"
CERT_PDF_A4 = "portal-cert-pdf-a4"
CERT_PDF_A6 = "portal-cert-pdf-a6"
CERT_DOWNLOAD = "portal-cert-download"
CERT_PDF_NOTE = "portal-cert-pdf-note"

# Certificate verifier (pages.portal.verify, callbacks.portal.verify, assets/portal_verify.js:
# the camera's reader writes the decoded text into VERIFY_INPUT and presses VERIFY_SUBMIT).
VERIFY_INPUT = "portal-verify-input"
VERIFY_SUBMIT = "portal-verify-submit"
VERIFY_SCAN = "portal-verify-scan"
VERIFY_READER = "portal-verify-reader"
VERIFY_CAMERA_NOTE = "portal-verify-camera-note"
VERIFY_RESULT = "portal-verify-result"
VERIFY_STATUS = "portal-verify-status"
