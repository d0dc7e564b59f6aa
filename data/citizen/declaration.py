"""The daily health declaration (khai báo y tế): symptoms from a coded list, a close contact
yes/no, travel yes/no and to which province.

Public functions (used by the portal and the health-book API):

    record_declaration(target, person_id, symptoms, contact, travel, travel_province=None, *,
                       channel="portal", now=None, source=None, tz=None) -> Declaration
        `target` a Services or an Engine; `person_id` the identity number found by
        data.citizen.identify.find_person; `symptoms` codes of SYMPTOMS (an empty list: none);
        `contact`, `travel` booleans; `travel_province` a province code, required with travel
        and refused without. Raises OpsError (field, code) with every problem found.

    declaration_of(target, person_id, day) -> dict | None    the stored answers of a day.

Rules (decided here, once):
- One declaration per person per local day: a second one the same day REPLACES the first
  (the latest answers are the day's truth; a citizen corrects a mistake by declaring again).
  Declaration.replaced says so.
- The answers stay in vax_health_declaration (operational; personal). The command center gets
  counts only: agg_health_declaration_daily (day x province of residence: declarations, with
  any symptom, with a close contact, with travel), kept by this same transaction with signed
  deltas (a replacement takes its predecessor's counts back out), so it always equals a
  recount of the table. Declarations do not bump the data version: they are many, and the
  command center reads the small rollup uncached (data.mcc.declarations).
- The province of residence is the person's latest dose's, else their registration's; a
  person with neither is unknown (`declaration.unknown_person`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from data import audit
from data.citizen.common import channel_code, citizen_actor, engine_tz, local_day, moment
from data.citizen.identify import home_province
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.messages import N_
from data.models.citizen import AggHealthDeclarationDaily, VaxHealthDeclaration
from data.models.reference import Province
from data.services import Services


@dataclass(frozen=True)
class Symptom:
    """One coded symptom of the declaration and its labels."""

    code: str
    vi: str
    en: str


# The Ministry of Health's declaration form's symptoms (sốt, ho, khó thở, đau họng, ...).
SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("FEVER", "sốt", "fever"),
    Symptom("COUGH", "ho", "cough"),
    Symptom("DYSPNOEA", "khó thở", "shortness of breath"),
    Symptom("SORE_THROAT", "đau họng", "sore throat"),
    Symptom("LOSS_OF_TASTE_SMELL", "mất vị giác hoặc khứu giác", "loss of taste or smell"),
    Symptom("FATIGUE", "mệt mỏi", "fatigue"),
    Symptom("MYALGIA", "đau người, đau cơ", "body or muscle aches"),
    Symptom("DIARRHOEA", "tiêu chảy", "diarrhoea"),
)
BY_CODE: dict[str, Symptom] = {s.code: s for s in SYMPTOMS}
CODES: tuple[str, ...] = tuple(BY_CODE)

DECLARATIONS = VaxHealthDeclaration.__table__
ROLLUP = AggHealthDeclarationDaily.__table__
PROVINCES = Province.__table__
MEASURES = ("declarations", "with_symptoms", "with_contact", "with_travel")

UNKNOWN_PERSON = N_("declaration.unknown_person")
SYMPTOM_UNKNOWN = N_("declaration.symptom_unknown")
ANSWER_REQUIRED = N_("declaration.answer_required")
PROVINCE_REQUIRED = N_("declaration.province_required")
PROVINCE_UNKNOWN = N_("declaration.province_unknown")
CONCURRENT = N_("declaration.concurrent")


def symptom_label(code: str, lang: str) -> str:
    """The symptom's label in `lang` (Vietnamese unless 'en')."""
    s = BY_CODE[code]
    return s.en if lang == "en" else s.vi


@dataclass(frozen=True)
class Declaration:
    """A recorded declaration: whose, which day, which province's counts it is in, and
    whether it replaced an earlier one of the same day."""

    person_id: str
    day: dt.date
    province_code: str
    replaced: bool


def _symptoms(value: object, problems: list[Problem]) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else None
    if items is None or len(items) > 2 * len(CODES):
        problems.append(Problem("symptoms", SYMPTOM_UNKNOWN))
        return []
    codes = list(dict.fromkeys(c.strip().upper() for c in items if isinstance(c, str)))
    unknown = [c[:40] for c in codes if c not in BY_CODE]
    if unknown or any(not isinstance(c, str) for c in items):
        problems.append(Problem("symptoms", SYMPTOM_UNKNOWN, ", ".join(unknown[:5])))
    return [c for c in codes if c in BY_CODE]


def _counts(row: dict, sign: int) -> dict[str, object]:
    """A declaration's contribution to its rollup cell, signed."""
    return {"day": row["day"], "province_code": row["province_code"], "declarations": sign,
            "with_symptoms": sign * bool(row["symptom_codes"]),
            "with_contact": sign * bool(row["contact"]), "with_travel": sign * bool(row["travel"])}


def _add(conn: Connection, deltas: list[dict[str, object]]) -> None:
    """Add signed counts into the rollup (insert or increment), cells in key order so that
    concurrent declarations lock them in one order."""
    cols = ["day", "province_code", *MEASURES]
    sets = ", ".join(f"{m} = agg_health_declaration_daily.{m} + excluded.{m}" for m in MEASURES)
    conn.execute(text(
        f"INSERT INTO agg_health_declaration_daily ({', '.join(cols)}) "
        f"VALUES ({', '.join(':' + c for c in cols)}) "
        f"ON CONFLICT (day, province_code) DO UPDATE SET {sets}"),
        sorted(deltas, key=lambda d: (d["day"], d["province_code"])))


def record_declaration(target: Services | Engine, person_id: str, symptoms: Sequence[str],
                       contact: bool, travel: bool, travel_province: str | None = None, *,
                       channel: str = "portal", now: dt.datetime | None = None,
                       source: str | None = None, tz: str | None = None) -> Declaration:
    """Record (or replace) the person's declaration of today (the module's rules)."""
    engine, tz = engine_tz(target, tz)
    at = moment(now)
    day = local_day(at, tz)
    problems: list[Problem] = []
    chan = channel_code(channel, problems)
    codes = _symptoms(symptoms, problems)
    for field, value in (("contact", contact), ("travel", travel)):
        if not isinstance(value, bool):
            problems.append(Problem(field, ANSWER_REQUIRED))
    where = travel_province.strip() if isinstance(travel_province, str) \
        and travel_province.strip() else None
    if travel is True and where is None:
        problems.append(Problem("travel_province", PROVINCE_REQUIRED))
    if travel is not True:
        where = None  # no travel, no place: the table's check holds it too
    with unit_of_work(engine) as conn:
        province = home_province(conn, person_id) if isinstance(person_id, str) else None
        if province is None:
            raise OpsError.one("person_id", UNKNOWN_PERSON)
        if where is not None and (len(where) > 2 or conn.execute(select(PROVINCES.c.code).where(
                PROVINCES.c.code == where)).first() is None):
            problems.append(Problem("travel_province", PROVINCE_UNKNOWN))
        if problems:
            raise OpsError(problems)
        old = conn.execute(select(DECLARATIONS).where(
            DECLARATIONS.c.person_id == person_id, DECLARATIONS.c.day == day)
        ).mappings().first()
        row = {"person_id": person_id, "day": day, "province_code": province,
               "symptom_codes": ";".join(codes) or None, "contact": contact, "travel": travel,
               "travel_province": where, "channel": chan, "declared_at": at}
        deltas = [_counts(row, 1)]
        try:
            if old is not None:
                conn.execute(delete(DECLARATIONS).where(
                    DECLARATIONS.c.person_id == person_id, DECLARATIONS.c.day == day))
                deltas.append(_counts(dict(old), -1))
            conn.execute(insert(DECLARATIONS).values(**row))
        except IntegrityError as err:  # the same person declared a moment ago
            raise OpsError.one("person_id", CONCURRENT) from err
        _merge(conn, deltas)
        # The answers are personal health data: the audit names the declaration, not them.
        audit.record(conn, citizen_actor(chan, source),
                     "UPDATE" if old is not None else "CREATE", "vax_health_declaration",
                     f"{day.isoformat()}:{province}", after={"channel": chan})
    return Declaration(person_id, day, province, old is not None)


def _merge(conn: Connection, deltas: list[dict[str, object]]) -> None:
    """Sum the deltas of one cell (a same-cell replacement is one row) and add them."""
    cells: dict[tuple, dict[str, object]] = {}
    for d in deltas:
        key = (d["day"], d["province_code"])
        cell = cells.setdefault(key, {"day": key[0], "province_code": key[1],
                                      **dict.fromkeys(MEASURES, 0)})
        for m in MEASURES:
            cell[m] = int(cell[m]) + int(d[m])  # type: ignore[call-overload]
    _add(conn, list(cells.values()))


def declaration_of(target: Services | Engine, person_id: str, day: dt.date) -> dict | None:
    """The person's stored answers of `day` (symptoms as a list of codes), None if none."""
    engine, _ = engine_tz(target, None)
    with engine.connect() as conn:
        row = conn.execute(select(DECLARATIONS).where(
            DECLARATIONS.c.person_id == person_id, DECLARATIONS.c.day == day)
        ).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["symptoms"] = (row["symptom_codes"] or "").split(";") if row["symptom_codes"] else []
    return out
