"""Which dose a person is due next, with which products and from when; and whether a dose
given on a date kept the rules in force on that date (data: sets/schedule.yaml)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from data.ops.rules.errors import RuleError
from data.ops.rules.schedule_data import (
    PRODUCT_CODES,
    Schedule,
    Span,
    add_years,
    in_force,
    schedule,
)


class DoseKind(StrEnum):
    """docs/interchange.md, dose_kind."""

    PRIMARY = "PRIMARY"
    ADDITIONAL = "ADDITIONAL"  # mũi bổ sung
    BOOSTER = "BOOSTER"        # mũi nhắc lại


_KIND_ORDER = {DoseKind.PRIMARY: 0, DoseKind.ADDITIONAL: 1, DoseKind.BOOSTER: 2}


@dataclass(frozen=True)
class Dose:
    """One dose of a person's history."""

    day: date
    product: str
    kind: DoseKind
    number: int


@dataclass(frozen=True)
class Option:
    """One product for the next dose and its dates under the rules in force on them."""

    product: str
    earliest: date
    recommended: date
    latest: date | None  # end of the recommended window (primary series), else None


@dataclass(frozen=True)
class Due:
    """The next dose: its kind and number, and the products allowed for it (earliest first).
    No options means no product is allowed on any date (an age limit passed mid-series)."""

    kind: DoseKind
    number: int
    options: tuple[Option, ...]

    @property
    def products(self) -> tuple[str, ...]:
        """The allowed products, earliest first."""
        return tuple(o.product for o in self.options)

    @property
    def earliest(self) -> date | None:
        """The first date any allowed product may be given."""
        return min((o.earliest for o in self.options), default=None)


@dataclass(frozen=True)
class _Step:
    kind: DoseKind
    number: int
    primary: tuple[Dose, ...]  # the primary series so far
    previous: Dose | None


@dataclass(frozen=True)
class _Bounds:
    not_before: date           # the interval since the previous dose
    age_from: date             # the minimum age is reached
    age_until: date | None     # first date past the maximum age


def _may_follow(previous: Dose | None, dose: Dose) -> bool:
    # PRIMARY 1, 2, ..., then at most one ADDITIONAL 1, then BOOSTER 1, 2, ...
    if previous is None:
        return (dose.kind, dose.number) == (DoseKind.PRIMARY, 1)
    if dose.kind == previous.kind:
        return dose.kind != DoseKind.ADDITIONAL and dose.number == previous.number + 1
    if dose.kind == DoseKind.ADDITIONAL:
        return previous.kind == DoseKind.PRIMARY and dose.number == 1
    return dose.kind == DoseKind.BOOSTER and dose.number == 1


def _ordered(history: Sequence[Dose]) -> tuple[Dose, ...]:
    doses = tuple(sorted(history, key=lambda d: (d.day, _KIND_ORDER[d.kind], d.number)))
    previous: Dose | None = None
    for dose in doses:
        if dose.product not in PRODUCT_CODES:
            raise RuleError("schedule.product_unknown", "product", dose.product)
        if not _may_follow(previous, dose):
            raise RuleError("schedule.history", "dose_number", f"{dose.kind} {dose.number}")
        previous = dose
    return doses


def _series_length(rules: Schedule, first: Dose) -> int:
    version = in_force(rules.product(first.product).versions, first.day)
    if version is None:
        raise RuleError("schedule.no_rule", "product", f"{first.product} on {first.day}")
    return version.doses


def _needs_additional(rules: Schedule, primary: tuple[Dose, ...], immunocompromised: bool) -> bool:
    return any((immunocompromised and v.for_immunocompromised)
               or all(d.product in v.for_primary_products for d in primary)
               for v in rules.additional.versions)


def _next_step(rules: Schedule, doses: tuple[Dose, ...], immunocompromised: bool) -> _Step | None:
    primary = tuple(d for d in doses if d.kind == DoseKind.PRIMARY)
    last = doses[-1] if doses else None
    if not primary:
        if doses:  # an additional dose or booster with no primary series before it
            raise RuleError("schedule.history", "dose_kind", "no primary series")
        return _Step(DoseKind.PRIMARY, 1, (), None)
    if len(primary) < _series_length(rules, primary[0]):
        if last is not None and last.kind != DoseKind.PRIMARY:
            raise RuleError("schedule.history", "dose_kind", "series not complete")
        return _Step(DoseKind.PRIMARY, len(primary) + 1, primary, last)
    boosters = [d for d in doses if d.kind == DoseKind.BOOSTER]
    had_additional = any(d.kind == DoseKind.ADDITIONAL for d in doses)
    if not boosters and not had_additional and _needs_additional(rules, primary,
                                                                 immunocompromised):
        return _Step(DoseKind.ADDITIONAL, 1, primary, last)
    if len(boosters) >= len(rules.boosters):
        return None
    return _Step(DoseKind.BOOSTER, len(boosters) + 1, primary, last)


def _primary_bounds(rules: Schedule, step: _Step, product: str, day: date,
                    birth: date, recommended: bool) -> _Bounds | str:
    version = in_force(rules.product(product).versions, day)
    if version is None:
        return "schedule.no_rule"
    not_before = date.min
    if step.previous is not None:
        mixing = in_force(rules.mixing, day)
        allowed = mixing.next_dose.get(step.previous.product, [step.previous.product]) \
            if mixing else [step.previous.product]
        prev_version = in_force(rules.product(step.previous.product).versions, day)
        if product not in allowed or prev_version is None:
            return "schedule.product"
        gap = prev_version.gaps[min(step.number - 2, len(prev_version.gaps) - 1)] \
            if prev_version.gaps else None
        if gap is None:
            return "schedule.product"
        span = gap.recommended if recommended else gap.min
        not_before = span.after(step.previous.day)
    until = add_years(birth, version.max_age_years + 1) if version.max_age_years else None
    return _Bounds(not_before, add_years(birth, version.min_age_years), until)


def _later_bounds(rules: Schedule, step: _Step, product: str, day: date,
                  birth: date) -> _Bounds | str:
    if step.kind == DoseKind.ADDITIONAL:
        version = in_force(rules.additional.versions, day)
    else:
        version = in_force(rules.boosters[step.number - 1].versions, day)
    if version is None:
        return "schedule.no_rule"
    if product not in version.products:
        return "schedule.product"
    if step.previous is None:  # unreachable: a series is complete before these doses
        return "schedule.kind"
    return _Bounds(version.after.after(step.previous.day),
                   add_years(birth, version.min_age_years), None)


def _bounds(rules: Schedule, step: _Step, product: str, day: date, birth: date,
            recommended: bool = False) -> _Bounds | str:
    """The limits the rules in force on `day` put on giving `product` as this step, or the
    code of the rule that forbids it whatever the date."""
    if step.kind == DoseKind.PRIMARY:
        return _primary_bounds(rules, step, product, day, birth, recommended)
    return _later_bounds(rules, step, product, day, birth)


def _first_allowed(rules: Schedule, step: _Step, product: str, birth: date, floor: date,
                   recommended: bool) -> date | None:
    # The rules change only on breakpoints, so each stretch between two of them is judged
    # by the rules at its start; the first stretch where the limits leave a date wins.
    starts = [d for d in rules.breakpoints() if d > floor]
    for start, end in zip([floor, *starts], [*starts, date.max], strict=True):
        bounds = _bounds(rules, step, product, start, birth, recommended)
        if isinstance(bounds, str):
            continue
        day = max(start, bounds.not_before, bounds.age_from)
        if day < end and (bounds.age_until is None or day < bounds.age_until):
            return day
    return None


def _latest(rules: Schedule, step: _Step, day: date) -> date | None:
    if step.kind != DoseKind.PRIMARY or step.previous is None:
        return None
    version = in_force(rules.product(step.previous.product).versions, day)
    if version is None or not version.gaps:
        return None
    gap = version.gaps[min(step.number - 2, len(version.gaps) - 1)]
    return gap.max.after(step.previous.day) if gap.max else None


def next_due(history: Sequence[Dose], as_of: date, birth_date: date,
             immunocompromised: bool = False) -> Due | None:
    """The next dose after `history` (doses up to `as_of`), or None when no further dose is
    foreseen. Earliest dates may lie before `as_of` (the dose is already due)."""
    rules = schedule()
    if any(d.day > as_of for d in history):
        raise RuleError("schedule.future_dose", "day", f"after {as_of}")
    doses = _ordered(history)
    step = _next_step(rules, doses, immunocompromised)
    if step is None:
        return None
    floor = max(rules.campaign_start, step.previous.day if step.previous else birth_date)
    options = []
    for product in sorted(PRODUCT_CODES):
        earliest = _first_allowed(rules, step, product, birth_date, floor, recommended=False)
        if earliest is None:
            continue
        best = _first_allowed(rules, step, product, birth_date, floor, recommended=True)
        best = max(best or earliest, earliest)
        options.append(Option(product, earliest, best, _latest(rules, step, best)))
    options.sort(key=lambda o: (o.earliest, o.product))
    return Due(step.kind, step.number, tuple(options))


def check_dose(history: Sequence[Dose], dose: Dose, birth_date: date,
               immunocompromised: bool = False) -> list[str]:
    """What is wrong with giving `dose` after `history`, judged by the rules in force on the
    dose's own date: codes "schedule.kind", "schedule.no_rule", "schedule.product",
    "schedule.too_early", "schedule.too_young", "schedule.too_old"; [] when it is allowed."""
    rules = schedule()
    earlier = [d for d in history if d.day <= dose.day]
    step = _next_step(rules, _ordered(earlier), immunocompromised)
    if step is None or (step.kind, step.number) != (dose.kind, dose.number):
        return ["schedule.kind"]
    bounds = _bounds(rules, step, dose.product, dose.day, birth_date)
    if isinstance(bounds, str):
        return [bounds]
    problems = []
    if dose.day < bounds.not_before:
        problems.append("schedule.too_early")
    if dose.day < bounds.age_from:
        problems.append("schedule.too_young")
    if bounds.age_until is not None and dose.day >= bounds.age_until:
        problems.append("schedule.too_old")
    return problems


__all__ = ["Dose", "DoseKind", "Due", "Option", "Span", "check_dose", "next_due"]
