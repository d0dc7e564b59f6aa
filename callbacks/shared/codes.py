"""Message ids of the coded values shown to people (sex, severity, store level, facility kind).

The ids are marked with N_ so that `pybabel extract` and the catalog test see them, although
the code picks them by the value the data layer returns.
"""

from __future__ import annotations

import math
from typing import Any

from callbacks.shared.i18n import N_, has_text, t

# family -> code -> message id.
CODE_KEYS: dict[str, dict[str, str]] = {
    "sex": {"M": N_("sex.M"), "F": N_("sex.F")},
    "severity": {"MILD": N_("severity.MILD"), "SERIOUS": N_("severity.SERIOUS")},
    "outcome": {
        "RECOVERED": N_("outcome.RECOVERED"), "RECOVERING": N_("outcome.RECOVERING"),
        "RECOVERED_WITH_SEQUELAE": N_("outcome.RECOVERED_WITH_SEQUELAE"),
        "NOT_RECOVERED": N_("outcome.NOT_RECOVERED"), "DIED": N_("outcome.DIED"),
        "UNKNOWN": N_("outcome.UNKNOWN"),
    },
    "class": {"A": N_("class.A"), "B": N_("class.B"), "C": N_("class.C"),
              "UNCLASSIFIABLE": N_("class.UNCLASSIFIABLE"), "NONE": N_("class.NONE")},
    "level": {"NATIONAL": N_("level.NATIONAL"), "REGIONAL": N_("level.REGIONAL"),
              "PROVINCE": N_("level.PROVINCE"), "DISTRICT": N_("level.DISTRICT"),
              "FACILITY": N_("level.FACILITY")},
    "facility.kind": {
        "HOSPITAL": N_("facility.kind.HOSPITAL"),
        "HEALTH_CENTRE": N_("facility.kind.HEALTH_CENTRE"),
        "HEALTH_STATION": N_("facility.kind.HEALTH_STATION"),
        "PRIVATE_CLINIC": N_("facility.kind.PRIVATE_CLINIC"),
        "MOBILE_TEAM": N_("facility.kind.MOBILE_TEAM"),
        "FIELD_SITE": N_("facility.kind.FIELD_SITE"),
    },
    "facility.status": {"PENDING": N_("facility.status.PENDING"),
                        "ACTIVE": N_("facility.status.ACTIVE"),
                        "SUSPENDED": N_("facility.status.SUSPENDED"),
                        "REFUSED": N_("facility.status.REFUSED")},
    "dose_kind": {"PRIMARY": N_("dose_kind.PRIMARY"), "ADDITIONAL": N_("dose_kind.ADDITIONAL"),
                  "BOOSTER": N_("dose_kind.BOOSTER")},
    # Rows of the daily report's coverage table.
    "cov": {"population": N_("cov.population"), "dose1": N_("cov.dose1"),
            "fully": N_("cov.fully"), "booster": N_("cov.booster"),
            "booster_doses": N_("cov.booster_doses")},
    # What a coverage row counts: people, or doses (boosters).
    "unit": {"people": N_("unit.people"), "doses": N_("unit.doses")},
    "role": {"MINISTRY_LEADER": N_("role.MINISTRY_LEADER"),
             "PROVINCE_OFFICER": N_("role.PROVINCE_OFFICER"),
             "DISTRICT_OFFICER": N_("role.DISTRICT_OFFICER"),
             "FACILITY_STAFF": N_("role.FACILITY_STAFF"), "SYSTEM_ADMIN": N_("role.SYSTEM_ADMIN")},
    # Province codes of the archipelagos' dots on the coverage map.
    "map.archipelago": {"48": N_("map.archipelago.48"), "56": N_("map.archipelago.56")},
    "progress.series": {"dose1": N_("progress.series.dose1"),
                        "fully": N_("progress.series.fully"),
                        "booster": N_("progress.series.booster"),
                        "dropout": N_("progress.series.dropout")},
}


def code_key(family: str, code: Any) -> str:
    """The message id of `code` in `family` (the conventional '<family>.<code>' if unlisted)."""
    return CODE_KEYS.get(family, {}).get(str(code)) or f"{family}.{code}"


def code_text(family: str, code: Any, lang: str | None) -> str:
    """The display text of `code` in `lang`: the code itself when the catalogs have no text,
    '' when it is missing."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    key = code_key(family, code)
    return t(key, lang) if has_text(key) else str(code)
