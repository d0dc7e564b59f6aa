"""A warehouse of a facility: the officers of the facility's province or district add one.

The warehouse is a row of a warehouses file at the FACILITY level: it goes through the
warehouses kind's rules (data.interchange.kinds.reference.transform_warehouses) and its
loader (data.loaders.reference.apply_warehouses), which keeps dim_warehouse in step, with the
audit entry and the data version in the same transaction. A code already registered is
refused: the loader would take the row as a correction of that other warehouse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.interchange.kinds.reference import transform_warehouses
from data.interchange.validate import Validator
from data.loaders.reference import apply_warehouses
from data.lookups import load_context_for
from data.messages import N_
from data.models.reference import Warehouse
from data.ops.commands.common import actor
from data.ops.commands.facilities import (
    CODE_FORMAT,
    MAX_NAME,
    managed_row,
    one_row,
    text_problems,
)
from data.settings import Settings
from data.version import bump_version

WAREHOUSES = Warehouse.__table__
FIELDS = ("warehouse_code", "name", "level", "province_code", "district_code",
          "facility_code", "capacity_litres")
MAX_CODE = 40
MAX_LITRES = 1_000_000.0  # a cold room of a thousand cubic metres; more is a typing error

CODE_BAD = N_("warehouse.code_bad")
CODE_TAKEN = N_("warehouse.code_taken")
LITRES_BAD = N_("warehouse.litres_bad")
FACILITY_REFUSED = N_("warehouse.facility_refused")


@dataclass(frozen=True)
class WarehouseForm:
    """What the warehouse form sends."""

    facility_code: str
    code: str
    name: str
    capacity_litres: float | None = None


def _problems(form: WarehouseForm, lang: str) -> list[Problem]:
    problems = text_problems({"warehouse_code": form.code, "name": form.name},
                             {"warehouse_code": MAX_CODE, "name": MAX_NAME}, lang)
    code = form.code.strip() if isinstance(form.code, str) else ""
    if not any(p.field == "warehouse_code" for p in problems) and \
            not CODE_FORMAT.fullmatch(code):
        problems.append(Problem("warehouse_code", CODE_BAD, code))
    litres = form.capacity_litres
    if litres is not None and (not isinstance(litres, int | float) or isinstance(litres, bool)
                               or not math.isfinite(litres) or not 0 < litres <= MAX_LITRES):
        problems.append(Problem("capacity_litres", LITRES_BAD, str(litres)[:20]))
    return problems


def add_warehouse(engine: Engine, principal: Principal, source: str | None,
                  form: WarehouseForm, lang: str) -> str:
    """Register a FACILITY-level warehouse of a facility the principal manages; returns its
    code. Forbidden outside the scope, OpsError field by field otherwise."""
    with unit_of_work(engine) as conn:
        facility = managed_row(conn, principal, form.facility_code)
        if facility["status"] == "REFUSED":
            raise OpsError.one("facility_code", FACILITY_REFUSED, str(facility["code"]))
        problems = _problems(form, lang)
        if problems:
            raise OpsError(problems)
        code = form.code.strip()
        if conn.execute(select(WAREHOUSES.c.code).where(WAREHOUSES.c.code == code)).first():
            raise OpsError.one("warehouse_code", CODE_TAKEN, code)
        cells = {"warehouse_code": code, "name": form.name, "level": "FACILITY",
                 "province_code": facility["province_code"],
                 "district_code": facility["district_code"],
                 "facility_code": facility["code"], "capacity_litres": form.capacity_litres}
        ctx = load_context_for(conn, [str(facility["province_code"])],
                               [str(facility["district_code"])], [],
                               [str(facility["code"])])
        v = Validator(one_row(cells, FIELDS, lang), lang, Settings.timezone)
        result = transform_warehouses(v, ctx)
        found = v.problems()
        if len(found):
            raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                            for r in found.itertuples()])
        apply_warehouses(conn, result.rows, 1_000)
        audit.record(conn, actor(principal, source), "CREATE", "warehouse", code,
                     after={k: (None if isinstance(v_, float) and math.isnan(v_) else v_)
                            for k, v_ in cells.items()})
        bump_version(conn)  # last: the version row is held only until the commit
    return code
