"""The screening desk's checklist form, generated from a rule set's data: the person's head,
the items answered Có/Không, the vital signs with the decision's normal ranges, the live
outcome's place, the clinician's decision and reason (callbacks/ops/screening.py fills and
saves it)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, t
from data.ops.queries.screening_queue import Waiting
from data.ops.rules.screening import SEVERITY, Outcome, RuleSet, VitalRule
from data.ops.rules.screening_draft import USUAL

DECISION_ERROR = ids.field_error(ids.OPS_SCREENING_DECISION)
REASON_ERROR = ids.field_error(ids.OPS_SCREENING_REASON)
YES, NO = "yes", "no"
OUTCOME_KEYS: dict[str, str] = {
    Outcome.ELIGIBLE: N_("ops.screening.outcome.ELIGIBLE"),
    Outcome.CAUTION: N_("ops.screening.outcome.CAUTION"),
    Outcome.CAUTION_HOSPITAL: N_("ops.screening.outcome.CAUTION_HOSPITAL"),
    Outcome.REFER: N_("ops.screening.outcome.REFER"),
    Outcome.POSTPONE: N_("ops.screening.outcome.POSTPONE"),
    Outcome.CONTRAINDICATED: N_("ops.screening.outcome.CONTRAINDICATED"),
}
MAX_REASON = 500
MAX_VITAL_TEXT = 12  # "120.5" and the like


def outcome_text(outcome: str, lang: str) -> str:
    """An outcome in words."""
    return t(OUTCOME_KEYS[outcome], lang) if outcome in OUTCOME_KEYS else outcome


def _bound(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def vital_hint(rule: VitalRule, lang: str) -> str:
    """The decision's normal range of a vital and whom it is measured for."""
    if rule.low is not None and rule.high is not None:
        normal = f"{_bound(rule.low)}–{_bound(rule.high)} {rule.unit}"
    elif rule.low is not None:
        normal = f"≥ {_bound(rule.low)} {rule.unit}"
    else:
        normal = f"≤ {_bound(rule.high)} {rule.unit}"
    return t("ops.screening.vital_hint", lang, normal=normal,
             outcome=outcome_text(rule.outcome, lang), who=getattr(rule.measured_for, lang))


def _item_row(item: Any, lang: str) -> html.Div:
    number = item.number or "•"
    return html.Div(
        [html.Span(number, className="ops-screen-number"),
         html.Span(getattr(item.text, lang), className="ops-screen-text"),
         dcc.RadioItems(
             id={"type": ids.OPS_SCREENING_ITEM, "item": item.id},
             options=[{"label": t("ops.screening.yes", lang), "value": YES},
                      {"label": t("ops.screening.no", lang), "value": NO}],
             value=None, inline=True, className="ops-screen-answer"),
         html.Span(id={"type": ids.OPS_SCREENING_ITEM_ERROR, "item": item.id},
                   className="form-error ops-screen-error", role="alert")],
        className="ops-screen-item", **{"data-item": item.id})


def _vital_field(key: str, name: str, unit: str, hint: str, required: bool) -> html.Div:
    field_id = {"type": ids.OPS_SCREENING_VITAL, "vital": key}
    return html.Div(
        [html.Label(html.Span([name, html.Span(f" ({unit})", className="ops-vital-unit"),
                               html.Span(" *", className="ops-required") if required else None]),
                    className="form-label"),
         dcc.Input(id=field_id, type="text", inputMode="decimal", autoComplete="off",
                   maxLength=MAX_VITAL_TEXT, debounce=False, value="",
                   className="form-input ops-vital-input"),
         html.P(hint, className="panel-hint ops-vital-hint"),
         html.P(id={"type": ids.OPS_SCREENING_VITAL_ERROR, "vital": key},
                className="form-error", role="alert")],
        className="form-field ops-vital")


def _vital_fields(rule_set: RuleSet, lang: str) -> list[html.Div]:
    out = []
    for rule in rule_set.vitals:
        name = getattr(rule.text, lang)
        out.append(_vital_field(rule.id, name, rule.unit, vital_hint(rule, lang), rule.required))
        if rule.above_usual is not None:
            out.append(_vital_field(
                rule.id + USUAL, t("ops.screening.usual", lang, vital=name), rule.unit,
                t("ops.screening.usual_hint", lang, above=_bound(rule.above_usual),
                  unit=rule.unit), False))
    return out


def screening_form(w: Waiting, rule_set: RuleSet, lang: str) -> list[Component]:
    """The checklist of `rule_set` for the person waiting, as data gives it."""
    sex = CODE_KEYS["sex"].get(w.sex)
    facts = [f"{w.id_type} {w.person_id}", t("ops.screening.age", lang, age=w.age_years),
             t(sex, lang) if sex else w.sex]
    decisions = [{"label": outcome_text(o, lang), "value": o.value} for o in SEVERITY]
    return [
        html.Div([html.H2([html.Span(str(w.number), className="ops-queue-number"),
                           w.full_name or w.person_id], className="ops-person-name"),
                  html.P(" · ".join(facts), className="ops-person-facts"),
                  html.P(t("ops.screening.rule_set", lang, decision=rule_set.decision),
                         className="panel-hint")], className="ops-screen-head"),
        html.Fieldset([html.Legend(t("ops.screening.items", lang)),
                       html.P(t("ops.screening.items_hint", lang), className="panel-hint"),
                       *[_item_row(i, lang) for i in rule_set.items]],
                      className="ops-screen-items"),
        html.Fieldset([html.Legend(t("ops.screening.vitals", lang)),
                       html.Div(_vital_fields(rule_set, lang), className="ops-vitals")],
                      className="ops-screen-vitals"),
        html.Div(id=ids.OPS_SCREENING_OUTCOME, className="ops-screen-outcome", role="status",
                 **{"aria-live": "polite"}),
        html.Div([html.Label(t("ops.screening.decision", lang), className="form-label",
                             htmlFor=ids.OPS_SCREENING_DECISION),
                  dcc.RadioItems(id=ids.OPS_SCREENING_DECISION, options=decisions,
                                 value=None, className="ops-screen-decision"),
                  html.P(id=DECISION_ERROR, className="form-error", role="alert")],
                 className="form-field"),
        html.Div([html.Label(t("ops.screening.reason", lang), className="form-label",
                             htmlFor=ids.OPS_SCREENING_REASON),
                  dcc.Input(id=ids.OPS_SCREENING_REASON, type="text", maxLength=MAX_REASON,
                            autoComplete="off", value="", className="form-input"),
                  html.P(t("ops.screening.reason_hint", lang), className="panel-hint"),
                  html.P(id=REASON_ERROR, className="form-error", role="alert")],
                 className="form-field"),
        html.Button(t("ops.screening.save", lang), id=ids.OPS_SCREENING_SAVE, n_clicks=0,
                    className="form-button form-button-primary", type="button"),
    ]
