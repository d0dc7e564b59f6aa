"""Operations rules for check-in clients: the screening rule sets, the identity number check."""

from __future__ import annotations

from typing import Any

from callbacks.api.bearer import bearer_principal
from callbacks.api.errors import item, request_lang
from callbacks.api.schemas import (
    CardOut,
    IdentityCheck,
    IdentityResult,
    RuleSetList,
    RuleSetOut,
    ScreeningItemOut,
)
from callbacks.shared.i18n import N_
from data.auth.roles import Role
from data.cccd import Cccd, check_cccd, check_cmnd, check_passport, decode_cccd
from data.ops.rules.errors import RuleError
from data.ops.rules.screening import rule_sets

# The rule codes the identity check can answer (data.cccd), marked for the catalogs.
IDENTITY_CODES = (
    N_("cccd.length"), N_("cccd.digits"), N_("cccd.province"), N_("cmnd.digits"),
    N_("cmnd.length"), N_("passport.shape"), N_("cccd.year_mismatch"), N_("cccd.sex_mismatch"),
)
# The form field a CCCD disagreement is about.
MISMATCH_FIELDS = {"cccd.year_mismatch": "birth_date", "cccd.sex_mismatch": "sex"}


def screening_rules() -> RuleSetList:
    """The Ministry's screening rule sets, checklist texts in the requested language."""
    bearer_principal().require(*Role)  # any staff role
    lang = request_lang()
    return RuleSetList(rule_sets=[RuleSetOut(
        id=s.id, decision=s.decision, effective_from=s.effective_from,
        min_age_years=s.min_age_years, max_age_years=s.max_age_years,
        description=getattr(s.description, lang),
        items=[ScreeningItemOut(id=i.id, number=i.number, text=getattr(i.text, lang),
                                outcome=str(i.outcome), asks_detail=i.asks_detail)
               for i in s.items],
    ) for s in rule_sets()])


def _check(body: IdentityCheck, lang: str) -> tuple[Cccd | None, list[dict[str, Any]]]:
    if body.id_type == "PASSPORT":
        check_passport(body.number)
        return None, []
    if body.id_type == "CMND":
        number = check_cmnd(body.number)
        if len(number) != 12:
            return None, []  # the 9-digit card says nothing about its holder
    else:
        number = body.number
    mismatches = check_cccd(number, body.birth_date, body.sex)
    errors = [item(MISMATCH_FIELDS[m.code], m.code, m.code, lang, from_number=m.from_number,
                   from_form=m.from_form) for m in mismatches]
    return decode_cccd(number), errors


def identity_check(json: IdentityCheck) -> IdentityResult:
    """Decode an identity number and list what it contradicts on the form, as field errors."""
    bearer_principal().require(*Role)
    lang = request_lang()
    try:
        card, errors = _check(json, lang)
    except RuleError as err:
        return IdentityResult(valid=False, card=None,
                              errors=[item(err.field, err.code, err.code, lang)])
    out = CardOut(province_code=card.province_code, sex=card.sex,
                  birth_year=card.birth_year) if card else None
    return IdentityResult(valid=not errors, card=out, errors=errors)
