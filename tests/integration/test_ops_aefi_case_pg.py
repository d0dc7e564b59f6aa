"""Four district officers sign the same investigation, then four council members the same
classification, at the same instant on PostgreSQL: each step is signed once, the others hear
"already investigated" / "already classified", and the case, the report's classification,
the audit and the data version show one signature each.

PostgreSQL only: SQLite has one writer at a time, so its steps cannot race (the sequential
refusals are in test_ops_aefi_case.py). Defined only when the suite runs on PostgreSQL, so it
is never collected as a skip.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands.aefi_case import (
    ALREADY_CLASSIFIED,
    ALREADY_INVESTIGATED,
    classify,
    investigate,
)
from data.ops.commands.aefi_staff import report
from data.settings import Settings
from tests.conftest import backends
from tests.integration.test_ops_aefi_case import (  # noqa: F401 - dose: a fixture
    DISTRICT,
    PROVINCE,
    STAFF,
    TZ,
    _assert_fct_aefi_matches,
    _serious,
    _today,
    _version,
    dose,
)
from tests.integration.test_ops_capacity_pg import _race

OFFICERS = 4

if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_each_step_is_signed_once_when_officers_sign_at_once(
            settings: Settings, engine: Engine, dose: object) -> None:
        rid = report(engine, STAFF, None, _serious(), "vi", TZ)
        before = _version(engine)
        desks = make_engine(settings, pool_size=OFFICERS, max_overflow=0)
        try:
            done, refused, other = _race([
                lambda: investigate(desks, DISTRICT, None, rid, _today(), "x", TZ).status
            ] * OFFICERS)
            assert other == []
            assert (done, refused) == (["INVESTIGATED"], [ALREADY_INVESTIGATED] * 3)
            done, refused, other = _race([
                lambda: classify(desks, PROVINCE, None, rid, "B1", _today(), None, "vi",
                                 TZ).status] * OFFICERS)
        finally:
            desks.dispose()
        assert other == []
        assert (done, refused) == (["CLASSIFIED"], [ALREADY_CLASSIFIED] * 3)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status, causality FROM vax_aefi_case")).one() \
                == ("CLASSIFIED", "B1")
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE table_name = "
                                     "'vax_aefi_case'")).scalar_one() == 2
            assert conn.execute(text("SELECT classification FROM fct_aefi")).scalar_one() \
                == "B"
        assert _version(engine) == before + 1
        _assert_fct_aefi_matches(engine)
