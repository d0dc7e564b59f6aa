"""The transfer form offers the allocation lines a transfer may deliver and sends against the
one chosen, on each backend: a delivery names its decision from the page, not only from the
data layer, so the allocations page's owed figure moves with the stock page's transfers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from callbacks.ops import stock_forms
from callbacks.shared import ids
from data.auth.roles import Principal
from data.ops.commands.allocations import allocate
from data.ops.queries.allocations import allocations_carried_out
from data.services import Services, build_services
from data.settings import Settings
from tests.integration.allocations_setup import NATIONAL, accounts, seed
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, SAIGON


@pytest.fixture
def services(settings: Settings, engine: Engine) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.engine.dispose()


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed(settings, engine, tmp_path)
    return accounts(engine)


def _owed(engine: Engine, principal: Principal, allocation_id: str) -> list[int]:
    df = allocations_carried_out(engine, principal)
    row = df[df["allocation_id"] == allocation_id].iloc[0]
    return [int(row[c]) for c in ("doses", "dispatched", "owed")]


def _send(services: Services, principal: Principal, doses: str, line: str | None
          ) -> tuple[dict[str, str], str, bool]:
    return stock_forms.transfer(services, principal, "en", PROVINCE, {
        ids.OPS_STOCK_TRF_TO: DISTRICT, ids.OPS_STOCK_TRF_LOT: f"AZ|{LOT}",
        ids.OPS_STOCK_TRF_DOSES: doses, ids.OPS_STOCK_TRF_AT: "",
        ids.OPS_STOCK_TRF_ALLOC: line})


def test_the_transfer_form_delivers_the_allocation_line_chosen(
        services: Services, engine: Engine, who: dict[str, Principal]) -> None:
    officer = who["province"]
    aid = allocate(engine, officer, {"decision_no": "125/QĐ-UBND", "decided_on": "28/09/2021",
                                     "vaccine_code": "AZ", "recipient_code": "001",
                                     "doses": "3000", "batch": ""}, lang="en")
    line = "125/QĐ-UBND of 28 Sept 2021 · AZ · 3,000 doses owed"
    assert stock_forms.allocation_choices(services, officer, PROVINCE, DISTRICT, "en") == [
        {"label": line, "value": aid}]
    vi = stock_forms.allocation_choices(services, officer, PROVINCE, DISTRICT, "vi")
    assert vi[0]["label"] == "125/QĐ-UBND ngày 28/09/2021 · AZ · còn thiếu 3.000 liều"
    # Stores that deliver no allocation to each other, or a sender outside the user's scope:
    # nothing to choose.
    assert stock_forms.allocation_choices(services, officer, PROVINCE, SAIGON, "en") == []
    assert stock_forms.allocation_choices(services, officer, DISTRICT, PROVINCE, "en") == []
    assert stock_forms.allocation_choices(services, who["saigon"], PROVINCE, DISTRICT,
                                          "en") == []
    assert stock_forms.allocation_choices(services, officer, NATIONAL, PROVINCE, "en") == []
    assert stock_forms.allocation_choices(services, officer, PROVINCE, None, "en") == []

    errors, _status, written = _send(services, officer, "2000", aid)
    assert (errors, written) == ({}, True)
    assert _owed(engine, officer, aid) == [3000, 2000, 3000]  # in transit: still owed
    with engine.connect() as conn:
        assert conn.execute(text("SELECT allocation_id FROM vax_stock_transfer")).scalar() == aid
    # What is left to send is what the form offers, and the most the line takes.
    assert stock_forms.allocation_choices(services, officer, PROVINCE, DISTRICT, "en")[0][
        "label"] == "125/QĐ-UBND of 28 Sept 2021 · AZ · 1,000 doses owed"
    errors, _status, written = _send(services, officer, "1001", aid)
    assert not written and "(1000 doses" in errors[ids.OPS_STOCK_TRF_DOSES]
    # A forged line id is refused beside the allocation field.
    errors, _status, written = _send(services, officer, "10", "AL-NOT-THERE")
    assert not written and errors[ids.OPS_STOCK_TRF_ALLOC]
    # No line chosen: a plain transfer, no delivery of the decision.
    assert _send(services, officer, "10", None)[2]
    assert _owed(engine, officer, aid) == [3000, 2000, 3000]
