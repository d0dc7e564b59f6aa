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
# Pattern id type of each service link in the header: {"type": PORTAL_LINK, "path": <path>}.
PORTAL_LINK = "portal-link"

# Citizen self-report of reactions after a dose (pages.portal.self_report).
SR_ID = "portal-sr-id"
SR_NAME = "portal-sr-name"
SR_DOB = "portal-sr-dob"
SR_FIND = "portal-sr-find"
SR_FORM = "portal-sr-form"
SR_DOSE = "portal-sr-dose"
SR_ONSET = "portal-sr-onset"
SR_REACTIONS = "portal-sr-reactions"
SR_TEXT = "portal-sr-text"
SR_HOSPITAL = "portal-sr-hospital"
SR_SUBMIT = "portal-sr-submit"
SR_STATUS = "portal-sr-status"

# Daily health declaration (pages.portal.declaration).
DC_ID = "portal-dc-id"
DC_NAME = "portal-dc-name"
DC_DOB = "portal-dc-dob"
DC_SYMPTOMS = "portal-dc-symptoms"
DC_CONTACT = "portal-dc-contact"
DC_TRAVEL = "portal-dc-travel"
DC_PROVINCE = "portal-dc-province"
DC_PROVINCE_FIELD = "portal-dc-province-field"
DC_SUBMIT = "portal-dc-submit"
DC_STATUS = "portal-dc-status"

# Public figures page (pages.portal.figures, callbacks.portal.figures).
FIG_KPIS = "portal-fig-kpis"
FIG_PROVINCES = "portal-fig-provinces"
FIG_SUPPLY = "portal-fig-supply"
FIG_AEFI = "portal-fig-aefi"
FIG_VERSION = "portal-fig-version"
FIG_SORT = "portal-fig-sort"
FIG_STAMP = "portal-fig-stamp"
FIG_CSV = "portal-fig-csv"
FIG_NATIONAL_DOSES = "portal-fig-national-doses"

# Registration (pages.portal.register, callbacks.portal.register): self-registration, an
# organisation's list, and the look-up of a registration's state.
REG_ID_TYPE = "preg-id-type"
REG_PERSON_ID = "preg-person-id"
REG_FULL_NAME = "preg-full-name"
REG_BIRTH_DATE = "preg-birth-date"
REG_SEX = "preg-sex"
REG_PHONE = "preg-phone"
REG_PRIORITY = "preg-priority"
REG_PROVINCE = "preg-province"
REG_DISTRICT = "preg-district"
REG_WARD = "preg-ward"
REG_FACILITY = "preg-facility"
REG_ADDRESS = "preg-address"
REG_CHALLENGE_QUESTION = "preg-challenge-question"
REG_CHALLENGE_ANSWER = "preg-challenge-answer"
REG_CHALLENGE_TOKEN = "preg-challenge-token"
REG_SUBMIT = "preg-submit"
REG_FORM = "preg-form"
REG_STATUS = "preg-status"
REG_RESULT = "preg-result"
REG_PRINT = "preg-print"
REG_PRINTED = "preg-printed"
REG_ORG_NAME = "preg-org-name"
REG_ORG_CONTACT = "preg-org-contact"
REG_ORG_UPLOAD = "preg-org-upload"
REG_ORG_STATUS = "preg-org-status"
REG_ORG_REJECTS = "preg-org-rejects"
REGST_KEY = "pregst-key"
REGST_BIRTH_DATE = "pregst-birth-date"
REGST_SUBMIT = "pregst-submit"
REGST_RESULT = "pregst-result"
# Facility registration (pages.portal.facility, callbacks.portal.facility).
PFAC_NAME = "pfac-name"
PFAC_KIND = "pfac-kind"
PFAC_PROVINCE = "pfac-province"
PFAC_DISTRICT = "pfac-district"
PFAC_WARD = "pfac-ward"
PFAC_ADDRESS = "pfac-address"
PFAC_CAPACITY = "pfac-capacity"
PFAC_CONTACT_NAME = "pfac-contact-name"
PFAC_CONTACT_PHONE = "pfac-contact-phone"
PFAC_SUBMIT = "pfac-submit"
PFAC_STATUS = "pfac-status"

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
