"""Every component id of the app, namespaced by page; pages and callbacks import them here."""

from __future__ import annotations

# Shell (app.py): the one live-refresh timer and the shared stores.
SHELL_REFRESH = "shell-refresh"
SHELL_VERSION = "shell-data-version"
SHELL_LANG = "shell-lang"
SHELL_LANG_SWITCH = "shell-lang-switch"
SHELL_NAVBAR = "shell-navbar"
# Wall-screen mode (?wall=1&rotate=60): the shell's URL reader, mode store and rotation timer.
SHELL_ROOT = "shell-root"
SHELL_URL = "shell-url"
SHELL_WALL = "shell-wall"
SHELL_WALL_TIMER = "shell-wall-timer"
SHELL_WALL_VIEW = "shell-wall-view"
SHELL_USER = "shell-user"
SHELL_LOGOUT = "shell-logout"

# Pattern-matching id type of every translated static label:
# {"type": I18N, "key": <message id>, "at": <place, "" unless the message repeats on a page>}.
I18N = "i18n-text"

# Vaccination progress page.
PROGRESS_KPI_DOSES = "progress-kpi-doses"
PROGRESS_KPI_DOSE1 = "progress-kpi-dose1"
PROGRESS_KPI_DOSE1_PCT = "progress-kpi-dose1-pct"
PROGRESS_KPI_FULLY = "progress-kpi-fully"
PROGRESS_KPI_FULLY_PCT = "progress-kpi-fully-pct"
PROGRESS_KPI_BOOSTER = "progress-kpi-booster"
PROGRESS_KPI_TODAY = "progress-kpi-today"
PROGRESS_KPI_TODAY_DATE = "progress-kpi-today-date"
PROGRESS_KPI_TODAY_LABEL = "progress-kpi-today-label"
PROGRESS_DAILY = "progress-daily-chart"
PROGRESS_MAP = "progress-map"
PROGRESS_MAP_METRIC = "progress-map-metric"
PROGRESS_MAP_BUILT = "progress-map-built"
PROGRESS_UPDATED = "progress-updated"
PROGRESS_BY_GROUP = "progress-by-group"
PROGRESS_BY_AGE = "progress-by-age"
PROGRESS_BY_SEX = "progress-by-sex"
PROGRESS_BY_VACCINE = "progress-by-vaccine"
PROGRESS_DROPOUT = "progress-dropout"
PROGRESS_RANKING = "progress-ranking"
PROGRESS_DISTRICT_PROVINCE = "progress-district-province"
# Writes the picked province into the URL (?province=79) without reloading the page.
PROGRESS_URL = "progress-url"
PROGRESS_DISTRICT_CHART = "progress-district-chart"
PROGRESS_DISTRICT_NOTICE = "progress-district-notice"
PROGRESS_TARGET = "progress-target"
PROGRESS_TARGET_KPIS = "progress-target-kpis"
PROGRESS_TARGET_CHART = "progress-target-chart"

# Command center: allocation and stock page (filters in the URL, map drill-down).
ALLOC_URL = "allocation-url"
ALLOC_AS_OF = "allocation-as-of"
ALLOC_VACCINE = "allocation-vaccine"
ALLOC_PROVINCE = "allocation-province"
ALLOC_DRILL = "allocation-drill"
ALLOC_MAP = "allocation-map"
ALLOC_MAP_METRIC = "allocation-map-metric"
ALLOC_MAP_BUILT = "allocation-map-built"
ALLOC_BACK = "allocation-back"
ALLOC_NOTICE = "allocation-notice"
ALLOC_RANK = "allocation-rank"
ALLOC_RANK_TITLE = "allocation-rank-title"
ALLOC_KPIS = "allocation-kpis"
ALLOC_DECISIONS = "allocation-decisions"
ALLOC_EXPIRY_BAND = "allocation-expiry-band"
ALLOC_EXPIRY = "allocation-expiry"
ALLOC_RISK_DAYS = "allocation-risk-days"
ALLOC_RISK = "allocation-risk"
ALLOC_DOWNLOAD = "allocation-download"
ALLOC_UPDATED = "allocation-updated"
# Command center: AEFI page.
AEFI_URL = "aefi-url"
AEFI_AS_OF = "aefi-as-of"
AEFI_VACCINE = "aefi-vaccine"
AEFI_PROVINCE = "aefi-province"
AEFI_KPIS = "aefi-kpis"
AEFI_RATES = "aefi-rates"
AEFI_RATES_BY = "aefi-rates-by"
AEFI_RATES_NOTE = "aefi-rates-note"
AEFI_SERIOUS = "aefi-serious"
AEFI_SERIOUS_BY = "aefi-serious-by"
AEFI_SIGNALS = "aefi-signals"
AEFI_LOTS = "aefi-lots"
AEFI_CASES = "aefi-cases"
AEFI_CASES_NOTE = "aefi-cases-note"
AEFI_DOWNLOAD = "aefi-download"
AEFI_UPDATED = "aefi-updated"
# Command center: facilities page (one province's vaccination sites).
FAC_URL = "facilities-url"
FAC_AS_OF = "facilities-as-of"
FAC_FROM = "facilities-from"
FAC_PROVINCE = "facilities-province"
FAC_AREA = "facilities-area"
FAC_NOTICE = "facilities-notice"
FAC_KPIS = "facilities-kpis"
FAC_FACILITY = "facilities-facility"
FAC_DAILY = "facilities-daily"
FAC_UTIL = "facilities-utilisation"
FAC_SILENT_DAYS = "facilities-silent-days"
FAC_SILENT = "facilities-silent"
FAC_UPDATED = "facilities-updated"
FAC_DOWNLOAD = "facilities-download"
# Command center: daily report page.
REPORT_URL = "reports-url"
REPORT_AS_OF = "reports-as-of"
REPORT_PROVINCE = "reports-province"
REPORT_KPIS = "reports-kpis"
REPORT_DOSES = "reports-doses"
REPORT_COVERAGE = "reports-coverage"
REPORT_STOCK = "reports-stock"
REPORT_AEFI = "reports-aefi"
REPORT_XLSX = "reports-xlsx"
REPORT_CSV = "reports-csv"
REPORT_DOWNLOAD = "reports-download"
REPORT_UPDATED = "reports-updated"
# Pages whose URL carries filters: each holds its filter values as the URL gave them
# (url_asked) and the notice of the ones it could not use (url_notice; callbacks.mcc.url_notice).
# Plain ids, one callback per page: a MATCH callback answers 500 to a forged request that
# sends its output as a list (dash validates the return as a multi-output).
URL_PAGES = ("progress", "allocation", "aefi", "facilities", "reports")
# Pattern id type of every "download CSV" button: {"type": MCC_DOWNLOAD, "chart": <name>}.
MCC_DOWNLOAD = "mcc-download"
# Every grid sits in {"type": GRID_BOX, "grid": <grid id>} > {"type": GRID_LANG, "grid": <grid id>,
# "lang": <language of its texts>}: a new "lang" remounts the grid (AG Grid reads its pager
# texts once, when it is built). SHELL_GRID_TEXT holds AG Grid's texts in every language.
GRID_BOX = "grid-box"
GRID_LANG = "grid-lang"
SHELL_GRID_TEXT = "shell-grid-text"

# Navbar links only administrators see (filled by callbacks.admin.admin_access).
SHELL_ADMIN_NAV = "shell-admin-nav"
# The "no permission" notice: all an administrators' page holds for anyone else.
ADMIN_DENIED = "admin-denied"

# User management page (administrators only).
ADMIN_USERS_TABLE = "admin-users-table"
ADMIN_CREATE_DONE = "admin-users-create-done"
ADMIN_MANAGE_DONE = "admin-users-manage-done"
ADMIN_CREATE_USERNAME = "admin-users-create-username"
ADMIN_CREATE_NAME = "admin-users-create-name"
ADMIN_CREATE_PASSWORD = "admin-users-create-password"
ADMIN_CREATE_ROLE = "admin-users-create-role"
ADMIN_CREATE_SCOPE = "admin-users-create-scope"
ADMIN_CREATE_SUBMIT = "admin-users-create-submit"
ADMIN_CREATE_STATUS = "admin-users-create-status"
ADMIN_MANAGE_USER = "admin-users-manage-user"
ADMIN_MANAGE_ROLE = "admin-users-manage-role"
ADMIN_MANAGE_SCOPE = "admin-users-manage-scope"
ADMIN_MANAGE_ROLES_SUBMIT = "admin-users-manage-roles-submit"
ADMIN_MANAGE_PASSWORD = "admin-users-manage-password"
ADMIN_MANAGE_RESET_SUBMIT = "admin-users-manage-reset-submit"
ADMIN_MANAGE_DEACTIVATE = "admin-users-manage-deactivate"
ADMIN_MANAGE_ACTIVATE = "admin-users-manage-activate"
ADMIN_MANAGE_STATUS = "admin-users-manage-status"

# Audit page (administrators only).
ADMIN_AUDIT_COUNT = "admin-audit-count"
ADMIN_AUDIT_USER = "admin-audit-user"
ADMIN_AUDIT_TABLE_FILTER = "admin-audit-table-filter"
ADMIN_AUDIT_ACTION_FILTER = "admin-audit-action-filter"
ADMIN_AUDIT_DATES = "admin-audit-dates"
ADMIN_AUDIT_REFRESH = "admin-audit-refresh"
ADMIN_AUDIT_RESULTS = "admin-audit-results"


def field_error(field_id: str) -> str:
    """Id of the error message shown beside the form field `field_id`."""
    return f"{field_id}-error"


def url_asked(page: str) -> str:
    """Id of the store of a page's filter values as its URL gave them."""
    return f"{page}-url-asked"


def url_notice(page: str) -> str:
    """Id of the notice of the URL's filter values a page could not use."""
    return f"{page}-url-notice"


def text(key: str, at: str = "") -> dict[str, str]:
    """Id of a static label translated by the shell: its message id, and `at` to tell apart
    labels that show the same message on one page (one "Tải CSV" per panel)."""
    return {"type": I18N, "key": key, "at": at}

# Operations: check-in (pages.ops.checkin, callbacks.ops.checkin).
SHELL_OPS_NAV = "shell-ops-nav"
OPS_DENIED = "ops-denied"
OPS_CHECKIN_SEARCH = "ops-checkin-search"
OPS_CHECKIN_RESULTS = "ops-checkin-results"

# Check-in: the session and the arrival (registered person or walk-in)
OPS_CHECKIN_SESSION = "ops-checkin-session"
OPS_CHECKIN_ARRIVE = "ops-checkin-arrive"  # pattern id type: one button per person found
OPS_CHECKIN_STATUS = "ops-checkin-status"
OPS_WALKIN_PANEL = "ops-walkin"
OPS_WALKIN_OPEN = "ops-walkin-open"
OPS_WALKIN_ID_TYPE = "ops-walkin-id-type"
OPS_WALKIN_PERSON_ID = "ops-walkin-person-id"
OPS_WALKIN_NAME = "ops-walkin-name"
OPS_WALKIN_BIRTH = "ops-walkin-birth"
OPS_WALKIN_SEX = "ops-walkin-sex"
OPS_WALKIN_PHONE = "ops-walkin-phone"
OPS_WALKIN_PROVINCE = "ops-walkin-province"
OPS_WALKIN_DISTRICT = "ops-walkin-district"
OPS_WALKIN_GROUP = "ops-walkin-group"
OPS_WALKIN_SUBMIT = "ops-walkin-submit"
# ops-observation: the observation board (pages.ops.observation, callbacks.ops.observation).
OPS_OBS_BOARD = "ops-obs-board"
OPS_OBS_TICK = "ops-obs-tick"
OPS_OBS_DONE = "ops-obs-done"
OPS_OBS_ROWS = "ops-obs-rows"
OPS_OBS_STATUS = "ops-obs-status"
OPS_OBS_DOSE = "ops-obs-dose"
OPS_OBS_FORM = "ops-obs-form"
OPS_OBS_SEVERITY = "ops-obs-severity"
OPS_OBS_SERIOUSNESS = "ops-obs-seriousness"
OPS_OBS_SYMPTOMS = "ops-obs-symptoms"
OPS_OBS_ONSET = "ops-obs-onset"
OPS_OBS_OUTCOME = "ops-obs-outcome"
OPS_OBS_SUBMIT = "ops-obs-submit"
OPS_OBS_CANCEL = "ops-obs-cancel"
# Pattern types of the per-row widgets: {"type": ..., "record": <record_id>}.
OPS_OBS_RELEASE = "ops-obs-release"
OPS_OBS_REASON = "ops-obs-reason"
OPS_OBS_REACT = "ops-obs-react"
OPS_OBS_ROW_ERROR = "ops-obs-row-error"


def obs_row(kind: str, record_id: str) -> dict[str, str]:
    """Id of one row's widget of the observation board."""
    return {"type": kind, "record": record_id}

# ops-close: closing a session with its tally (pages.ops.close, callbacks.ops.close).
OPS_CLOSE_SESSION = "ops-close-session"      # store: the session id of the URL
OPS_CLOSE_HEAD = "ops-close-head"
OPS_CLOSE_LOTS = "ops-close-lots"            # the lots' rows
OPS_CLOSE_LOT_DATA = "ops-close-lot-data"    # store: per lot the doses given, doses per vial
OPS_CLOSE_VIALS = "ops-close-vials"          # pattern type: one input per lot
OPS_CLOSE_WASTED = "ops-close-wasted"        # pattern type: one live wastage per lot
OPS_CLOSE_VIALS_ERROR = "ops-close-vials-error"  # pattern type: the error beside a lot
OPS_CLOSE_CONFIRM = "ops-close-confirm"
OPS_CLOSE_RESULT = "ops-close-result"
# ops-screening: the screening desk (pages.ops.screening, callbacks.ops.screening).
OPS_SCREENING_FACILITY = "ops-screening-facility"
OPS_SCREENING_REFRESH = "ops-screening-refresh"
OPS_SCREENING_QUEUE = "ops-screening-queue"
OPS_SCREENING_QUEUE_INFO = "ops-screening-queue-info"
OPS_SCREENING_OPEN = "ops-screening-open"
OPS_SCREENING_FORM = "ops-screening-form"
OPS_SCREENING_SUBJECT = "ops-screening-subject"      # store: the open check-in, its rule set
OPS_SCREENING_ITEM = "ops-screening-item"            # pattern type: {"type", "item"}
OPS_SCREENING_ITEM_ERROR = "ops-screening-item-error"
OPS_SCREENING_VITAL = "ops-screening-vital"          # pattern type: {"type", "vital"}
OPS_SCREENING_VITAL_ERROR = "ops-screening-vital-error"
OPS_SCREENING_OUTCOME = "ops-screening-outcome"
OPS_SCREENING_COMPUTED = "ops-screening-computed"    # store: the outcome last computed
OPS_SCREENING_DECISION = "ops-screening-decision"
OPS_SCREENING_REASON = "ops-screening-reason"
OPS_SCREENING_SAVE = "ops-screening-save"
OPS_SCREENING_STATUS = "ops-screening-status"
OPS_SCREENING_SAVED = "ops-screening-saved"          # store: count of screenings saved
OPS_SCREENING_FOCUS = "ops-screening-focus"          # store: where the keyboard goes next
OPS_SCREENING_FOCUSED = "ops-screening-focused"      # store: the clientside focus's output
# ops-injection: the injection step (pages.ops.injection, callbacks.ops.injection).
OPS_INJECTION_PEOPLE = "ops-injection-people"
OPS_INJECTION_REFRESH = "ops-injection-refresh"
OPS_INJECTION_FORM = "ops-injection-form"
OPS_INJECTION_PERSON = "ops-injection-person"
OPS_INJECTION_LOT = "ops-injection-lot"
OPS_INJECTION_DOSE = "ops-injection-dose"
OPS_INJECTION_REASON = "ops-injection-reason"
OPS_INJECTION_SITE = "ops-injection-site"
OPS_INJECTION_VACCINATOR = "ops-injection-vaccinator"
OPS_INJECTION_SUBMIT = "ops-injection-submit"
OPS_INJECTION_ERROR = "ops-injection-error"
OPS_INJECTION_STATUS = "ops-injection-status"
OPS_INJECTION_RECORD = "ops-injection-record"
OPS_INJECTION_DONE = "ops-injection-done"
# ops-sessions: plans and sessions (pages.ops.sessions, callbacks.ops.sessions).
OPS_SESSIONS_FACILITY = "ops-sessions-facility"
OPS_SESSIONS_FROM = "ops-sessions-from"
OPS_SESSIONS_TO = "ops-sessions-to"
OPS_SESSIONS_LIST = "ops-sessions-list"
OPS_SESSIONS_VERSION = "ops-sessions-version"
OPS_SESSIONS_PICK = "ops-sessions-pick"
OPS_SESSION_DAY = "ops-session-day"
OPS_SESSION_START = "ops-session-start"
OPS_SESSION_END = "ops-session-end"
OPS_SESSION_VACCINES = "ops-session-vaccines"
OPS_SESSION_LOTS = "ops-session-lots"
OPS_SESSION_CAPACITY = "ops-session-capacity"
OPS_SESSION_STAFF = "ops-session-staff"
OPS_SESSION_CREATE = "ops-session-create"
OPS_SESSION_STATUS = "ops-session-status"
OPS_INVITE_SESSION = "ops-invite-session"
OPS_INVITE_PANEL = "ops-invite-panel"
OPS_INVITE_TITLE = "ops-invite-title"
OPS_INVITE_GROUPS = "ops-invite-groups"
OPS_INVITE_DUE_BY = "ops-invite-due-by"
OPS_INVITE_GENERATE = "ops-invite-generate"
OPS_INVITE_GRID = "ops-invite-grid"
OPS_INVITE_SEND = "ops-invite-send"
OPS_INVITE_EXPORT = "ops-invite-export"
OPS_INVITE_DOWNLOAD = "ops-invite-download"
OPS_INVITE_STATUS = "ops-invite-status"
OPS_INVITE_COUNT = "ops-invite-count"
# ops-aefi: AEFI case management (pages.ops.aefi, callbacks.ops.aefi).
OPS_AEFI_FILTER = "ops-aefi-filter"
OPS_AEFI_LIST = "ops-aefi-list"
OPS_AEFI_LIST_INFO = "ops-aefi-list-info"
OPS_AEFI_DETAIL = "ops-aefi-detail"
OPS_AEFI_STEP = "ops-aefi-step"
OPS_AEFI_CASE = "ops-aefi-case"
OPS_AEFI_DONE = "ops-aefi-done"
OPS_AEFI_STEP_STATUS = "ops-aefi-step-status"
OPS_AEFI_INV_DATE = "ops-aefi-inv-date"
OPS_AEFI_INV_FINDINGS = "ops-aefi-inv-findings"
OPS_AEFI_INV_SUBMIT = "ops-aefi-inv-submit"
OPS_AEFI_CLS_CAUSALITY = "ops-aefi-cls-causality"
OPS_AEFI_CLS_DATE = "ops-aefi-cls-date"
OPS_AEFI_CLS_NOTE = "ops-aefi-cls-note"
OPS_AEFI_CLS_SUBMIT = "ops-aefi-cls-submit"
OPS_AEFI_NEW_RECORD = "ops-aefi-new-record"
OPS_AEFI_NEW_ONSET = "ops-aefi-new-onset"
OPS_AEFI_NEW_SYMPTOMS = "ops-aefi-new-symptoms"
OPS_AEFI_NEW_TEXT = "ops-aefi-new-text"
OPS_AEFI_NEW_SERIOUSNESS = "ops-aefi-new-seriousness"
OPS_AEFI_NEW_OUTCOME = "ops-aefi-new-outcome"
OPS_AEFI_NEW_REPORTER = "ops-aefi-new-reporter"
OPS_AEFI_NEW_TITLE = "ops-aefi-new-title"
OPS_AEFI_NEW_PHONE = "ops-aefi-new-phone"
OPS_AEFI_NEW_SUBMIT = "ops-aefi-new-submit"
OPS_AEFI_NEW_STATUS = "ops-aefi-new-status"

# The operations area's pages as tabs under the top bar (callbacks.ops.nav).
SHELL_OPS_TABS = "shell-ops-tabs"

# ops-lot: a lot's trace for AEFI investigation (pages.ops.lot, callbacks.ops.lot).
OPS_LOT_VACCINE = "ops-lot-vaccine"
OPS_LOT_NUMBER = "ops-lot-number"
OPS_LOT_SUBMIT = "ops-lot-submit"
OPS_LOT_BODY = "ops-lot-body"
OPS_AEFI_LOT_LINK = "ops-aefi-lot-link"

# ops-stock: the warehouse stock pages (pages.ops.stock*, callbacks.ops.stock*).
OPS_STOCK_WAREHOUSE = "ops-stock-warehouse"
OPS_STOCK_DONE = "ops-stock-done"
OPS_STOCK_LOTS = "ops-stock-lots"
OPS_STOCK_LOTS_INFO = "ops-stock-lots-info"
OPS_STOCK_RCV_LOT = "ops-stock-rcv-lot"
OPS_STOCK_RCV_VACCINE = "ops-stock-rcv-vaccine"
OPS_STOCK_RCV_EXPIRY = "ops-stock-rcv-expiry"
OPS_STOCK_RCV_DOSES = "ops-stock-rcv-doses"
OPS_STOCK_RCV_VVM = "ops-stock-rcv-vvm"
OPS_STOCK_RCV_FROM = "ops-stock-rcv-from"
OPS_STOCK_RCV_AT = "ops-stock-rcv-at"
OPS_STOCK_RCV_SUBMIT = "ops-stock-rcv-submit"
OPS_STOCK_RCV_STATUS = "ops-stock-rcv-status"
OPS_STOCK_TRF_TO = "ops-stock-trf-to"
OPS_STOCK_TRF_LOT = "ops-stock-trf-lot"
OPS_STOCK_TRF_DOSES = "ops-stock-trf-doses"
OPS_STOCK_TRF_AT = "ops-stock-trf-at"
OPS_STOCK_TRF_SUBMIT = "ops-stock-trf-submit"
OPS_STOCK_TRF_STATUS = "ops-stock-trf-status"
OPS_STOCK_TRF_HINT = "ops-stock-trf-hint"
OPS_STOCK_INCOMING = "ops-stock-incoming"
OPS_STOCK_RECEIVED = "ops-stock-received"  # pattern: {"type": ..., "transfer": id}
OPS_STOCK_CONFIRM = "ops-stock-confirm"  # pattern: {"type": ..., "transfer": id}
OPS_STOCK_CONFIRM_ERROR = "ops-stock-confirm-error"  # pattern: {"type": ..., "transfer": id}
OPS_STOCK_CONFIRM_AT = "ops-stock-confirm-at"
OPS_STOCK_CONFIRM_STATUS = "ops-stock-confirm-status"
OPS_STOCK_ADJ_LOT = "ops-stock-adj-lot"
OPS_STOCK_ADJ_DOSES = "ops-stock-adj-doses"
OPS_STOCK_ADJ_REASON = "ops-stock-adj-reason"
OPS_STOCK_ADJ_AT = "ops-stock-adj-at"
OPS_STOCK_ADJ_SUBMIT = "ops-stock-adj-submit"
OPS_STOCK_ADJ_STATUS = "ops-stock-adj-status"
OPS_STOCK_CARD_QUERY = "ops-stock-card-query"
OPS_STOCK_CARD_TITLE = "ops-stock-card-title"
OPS_STOCK_CARD = "ops-stock-card"
OPS_STOCK_COUNT_GRID = "ops-stock-count-grid"
OPS_STOCK_COUNT_AT = "ops-stock-count-at"
OPS_STOCK_COUNT_SAVE = "ops-stock-count-save"
OPS_STOCK_COUNT_UNDO = "ops-stock-count-undo"
OPS_STOCK_COUNT_REDO = "ops-stock-count-redo"
OPS_STOCK_COUNT_STATUS = "ops-stock-count-status"
OPS_STOCK_COUNT_ERRORS = "ops-stock-count-errors"
OPS_STOCK_COUNT_DONE = "ops-stock-count-done"
OPS_STOCK_COUNT_LINK = "ops-stock-count-link"

# Operations: facilities management (pages.ops.facilities, callbacks.ops.facilities).
OPS_FAC_FILTER = "ops-fac-filter"
OPS_FAC_LIST = "ops-fac-list"
OPS_FAC_LIST_INFO = "ops-fac-list-info"
OPS_FAC_CODE = "ops-fac-code"
OPS_FAC_DONE = "ops-fac-done"
OPS_FAC_DETAIL = "ops-fac-detail"
OPS_FAC_MANAGE = "ops-fac-manage"
OPS_FAC_REASON = "ops-fac-reason"
OPS_FAC_APPROVE = "ops-fac-approve"
OPS_FAC_REFUSE = "ops-fac-refuse"
OPS_FAC_SUSPEND = "ops-fac-suspend"
OPS_FAC_REACTIVATE = "ops-fac-reactivate"
OPS_FAC_STEP_STATUS = "ops-fac-step-status"
OPS_FAC_EDIT_NAME = "ops-fac-edit-name"
OPS_FAC_EDIT_KIND = "ops-fac-edit-kind"
OPS_FAC_EDIT_DISTRICT = "ops-fac-edit-district"
OPS_FAC_EDIT_WARD = "ops-fac-edit-ward"
OPS_FAC_EDIT_ADDRESS = "ops-fac-edit-address"
OPS_FAC_EDIT_CAPACITY = "ops-fac-edit-capacity"
OPS_FAC_EDIT_SUBMIT = "ops-fac-edit-submit"
OPS_FAC_EDIT_STATUS = "ops-fac-edit-status"
OPS_FAC_WAREHOUSES = "ops-fac-warehouses"
OPS_FAC_WH_CODE = "ops-fac-wh-code"
OPS_FAC_WH_NAME = "ops-fac-wh-name"
OPS_FAC_WH_LITRES = "ops-fac-wh-litres"
OPS_FAC_WH_SUBMIT = "ops-fac-wh-submit"
OPS_FAC_WH_STATUS = "ops-fac-wh-status"
OPS_FAC_NEW_CODE = "ops-fac-new-code"
OPS_FAC_NEW_NAME = "ops-fac-new-name"
OPS_FAC_NEW_KIND = "ops-fac-new-kind"
OPS_FAC_NEW_DISTRICT = "ops-fac-new-district"
OPS_FAC_NEW_WARD = "ops-fac-new-ward"
OPS_FAC_NEW_ADDRESS = "ops-fac-new-address"
OPS_FAC_NEW_CAPACITY = "ops-fac-new-capacity"
OPS_FAC_NEW_STATUS_CHOICE = "ops-fac-new-status-choice"
OPS_FAC_NEW_SUBMIT = "ops-fac-new-submit"
OPS_FAC_NEW_STATUS = "ops-fac-new-status"
OPS_FAC_FOCUS = "ops-fac-focus"

# ops-registrations: the registry, duplicates, assignment and organisation lists
# (pages.ops.registrations, callbacks.ops.registrations, callbacks.ops.registrations_upload).
OPS_REG_DISTRICT = "ops-reg-district"
OPS_REG_FACILITY = "ops-reg-facility"
OPS_REG_SEARCH = "ops-reg-search"
OPS_REG_FIND = "ops-reg-find"
OPS_REG_QUERY = "ops-reg-query"
OPS_REG_COUNT = "ops-reg-count"
OPS_REG_GRID = "ops-reg-grid"
OPS_REG_PURGED = "ops-reg-purged"
OPS_REG_SESSION = "ops-reg-session"
OPS_REG_ASSIGN = "ops-reg-assign"
OPS_REG_ASSIGN_STATUS = "ops-reg-assign-status"
OPS_REG_DUPLICATES = "ops-reg-duplicates"
OPS_REG_HISTORY = "ops-reg-history"
OPS_REG_MERGE_KEEP = "ops-reg-merge-keep"        # pattern id: {"type": ..., "person": id}
OPS_REG_MERGE = "ops-reg-merge"                  # pattern id: {"type": ..., "person": id}
OPS_REG_MERGE_STATUS = "ops-reg-merge-status"
OPS_REG_VERSION = "ops-reg-version"
OPS_REG_UPLOAD = "ops-reg-upload"
OPS_REG_UPLOAD_STATUS = "ops-reg-upload-status"
OPS_REG_REJECTS = "ops-reg-rejects"
OPS_REG_REJECTS_CSV = "ops-reg-rejects-csv"
OPS_REG_REJECTS_DOWNLOAD = "ops-reg-rejects-download"
OPS_REG_REJECTS_FILE = "ops-reg-rejects-file"

# Reconciliation (/ops/reconciliation, and its panel on the MCC reports page)
OPS_RECON_START = "ops-recon-start"
OPS_RECON_END = "ops-recon-end"
OPS_RECON_SUBMIT = "ops-recon-submit"
OPS_RECON_RULE = "ops-recon-rule"
OPS_RECON_SUMMARY = "ops-recon-summary"
OPS_RECON_DAYS = "ops-recon-days"
OPS_RECON_STORES = "ops-recon-stores"
REPORT_RECON_KPIS = "report-recon-kpis"
REPORT_RECON_GRID = "report-recon-grid"
REPORT_RECON_PERIOD = "report-recon-period"
REPORT_PERIODIC_RANGE = "report-periodic-range"
REPORT_PERIODIC_XLSX = "report-periodic-xlsx"
REPORT_PERIODIC_CSV = "report-periodic-csv"
REPORT_PERIODIC_STATUS = "report-periodic-status"
REPORT_PERIODIC_DOWNLOAD = "report-periodic-download"

# allocations carried out: the command centre's table and the operations page
# (pages.mcc.allocation, callbacks.mcc.allocation_panels; pages.ops.allocations,
# callbacks.ops.allocations).
ALLOC_CARRIED = "allocation-carried"
OPS_ALLOC_DECISION = "ops-alloc-decision"
OPS_ALLOC_DATE = "ops-alloc-date"
OPS_ALLOC_VACCINE = "ops-alloc-vaccine"
OPS_ALLOC_RECIPIENT = "ops-alloc-recipient"
OPS_ALLOC_DOSES = "ops-alloc-doses"
OPS_ALLOC_BATCH = "ops-alloc-batch"
OPS_ALLOC_SUBMIT = "ops-alloc-submit"
OPS_ALLOC_STATUS = "ops-alloc-status"
OPS_ALLOC_TOKEN = "ops-alloc-token"
OPS_ALLOC_DONE = "ops-alloc-done"
OPS_ALLOC_FILTER = "ops-alloc-filter"
OPS_ALLOC_INFO = "ops-alloc-info"
OPS_ALLOC_GRID = "ops-alloc-grid"
OPS_ALLOC_DELIVERIES = "ops-alloc-deliveries"

# The allocation line a transfer delivers (callbacks.ops.stock_forms).
OPS_STOCK_TRF_ALLOC = "ops-stock-trf-alloc"

# Health declarations on the AEFI page (callbacks.mcc.declarations).
AEFI_DECLARATIONS = "aefi-declarations"
