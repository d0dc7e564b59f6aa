"""Allocations carried out, on each backend: a decision row entered through the allocations
kind's rules and loader (valid exactly when the same row of a file is), followed to its
deliveries (transfers sent against it, confirmed with what arrived) as allocated ->
dispatched -> received -> owed; the scope of who allocates and who reads; the refusals of a
transfer that cannot deliver the row. Every refusal leaves nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands import transfers
from data.ops.commands.allocations import allocate
from data.ops.queries.allocations import allocations_carried_out, deliveries_of
from data.settings import Settings
from tests.integration.allocations_setup import NATIONAL, accounts, load_rows, seed
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, SAIGON, at, ledger_state

FIGURES = ["doses", "dispatched", "received", "in_transit", "short", "owed"]


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed(settings, engine, tmp_path)
    return accounts(engine)


def _decision(recipient: str, doses: object, **over: object) -> dict[str, object]:
    cells: dict[str, object] = {"decision_no": "125/QĐ-UBND", "decided_on": "28/09/2021",
                                "vaccine_code": "AZ", "recipient_code": recipient,
                                "doses": doses, "batch": "Đợt 12"}
    return cells | over


def _figures(engine: Engine, principal: Principal, allocation_id: str) -> list[int]:
    df = allocations_carried_out(engine, principal)
    row = df[df["allocation_id"] == allocation_id].iloc[0]
    return [int(row[c]) for c in FIGURES]


def _state(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    state = ledger_state(engine)
    with engine.connect() as conn:
        for table in ("allocation", "fct_allocation"):
            state[table] = [tuple(r) for r in conn.execute(text(
                f"SELECT allocation_id, doses FROM {table} ORDER BY 1"))]
    return state


def test_a_province_allocation_followed_to_its_deliveries(engine: Engine,
                                                          who: dict[str, Principal]) -> None:
    officer, district = who["province"], who["district"]
    version = int(engine.connect().execute(text("SELECT version FROM meta_data_version")).scalar())
    aid = allocate(engine, officer, _decision("001", "3000"), lang="en")
    with engine.connect() as conn:
        stored = conn.execute(text("""SELECT decision_no, decided_on, vaccine_code,
            recipient_code, doses, batch FROM allocation WHERE allocation_id = :a"""),
            {"a": aid}).one()
        fact = conn.execute(text("""SELECT recipient_level, province_code, doses
            FROM fct_allocation WHERE allocation_id = :a"""), {"a": aid}).one()
        audit = conn.execute(text("SELECT action, table_name, username FROM audit_log "
                                  "WHERE record_key = :a"), {"a": aid}).all()
        now = int(conn.execute(text("SELECT version FROM meta_data_version")).scalar())
    assert (*stored[:1], str(stored[1]), *stored[2:]) == (
        "125/QĐ-UBND", "2021-09-28", "AZ", "001", 3000, "Đợt 12")
    assert tuple(fact) == ("DISTRICT", "01", 3000)
    assert [tuple(a) for a in audit] == [("CREATE", "allocation", "kho.hanoi")]
    assert now == version + 1
    assert _figures(engine, officer, aid) == [3000, 0, 0, 0, 0, 3000]

    # Part of it sent: dispatched, in transit, still all owed.
    first = transfers.send(engine, officer, PROVINCE, DISTRICT, "AZ", LOT, 2000, at(1),
                           lang="en", allocation_id=aid)
    assert _figures(engine, officer, aid) == [3000, 2000, 0, 2000, 0, 3000]
    # Confirmed with a shortfall of 50: received 1 950, owed 1 050.
    assert transfers.confirm(engine, district, first, 1950, at(5), lang="en") == 50
    assert _figures(engine, district, aid) == [3000, 2000, 1950, 0, 50, 1050]
    # More than is owed cannot be sent against it; what is owed can.
    before = _state(engine)
    with pytest.raises(OpsError) as err:
        transfers.send(engine, officer, PROVINCE, DISTRICT, "AZ", LOT, 1051, at(6), lang="en",
                       allocation_id=aid)
    assert err.value.codes() == {"doses": "allocation.more_than_owed"}
    assert err.value.problems[0].detail == "1050"
    assert _state(engine) == before
    second = transfers.send(engine, officer, PROVINCE, DISTRICT, "AZ", LOT, 1050, at(6),
                            lang="en", allocation_id=aid)
    assert _figures(engine, officer, aid) == [3000, 3050, 1950, 1050, 50, 1050]
    transfers.confirm(engine, district, second, 1050, at(8), lang="en")
    assert _figures(engine, officer, aid) == [3000, 3050, 3000, 0, 50, 0]
    # An unlinked transfer to the same store is no delivery of the decision.
    transfers.send(engine, officer, PROVINCE, DISTRICT, "AZ", LOT, 10, at(9), lang="en")
    assert _figures(engine, officer, aid) == [3000, 3050, 3000, 0, 50, 0]
    shown = deliveries_of(engine, district, aid)
    assert shown[["transfer_id", "sent", "status", "received", "discrepancy"]].values.tolist() \
        == [[first, 2000, "RECEIVED", 1950, 50], [second, 1050, "RECEIVED", 1050, 0]]


def test_a_national_allocation_delivered_from_the_national_store(
        engine: Engine, who: dict[str, Principal]) -> None:
    aid = allocate(engine, who["ministry"], _decision("1", "40000", decision_no="3355/QĐ-BYT"),
                   lang="en")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT recipient_code FROM allocation")).scalar() == "01"
    # The national store belongs to no operations role yet: the system principal sends.
    sent = transfers.send(engine, SYSTEM, NATIONAL, PROVINCE, "AZ", LOT, 25_000, at(1),
                          lang="en", allocation_id=aid)
    transfers.confirm(engine, who["province"], sent, 25_000, at(30), lang="en")
    assert _figures(engine, who["ministry"], aid) == [40000, 25000, 25000, 0, 0, 15000]
    assert _figures(engine, who["province"], aid) == [40000, 25000, 25000, 0, 0, 15000]


def test_a_transfer_that_cannot_deliver_the_row_is_refused(engine: Engine,
                                                           who: dict[str, Principal]) -> None:
    officer = who["province"]
    to_district = allocate(engine, officer, _decision("001", 500), lang="en")
    pfizer = allocate(engine, officer, _decision("001", 500, vaccine_code="PFZ"), lang="en")
    to_province = allocate(engine, who["ministry"], _decision("01", 900), lang="en")
    before = _state(engine)
    cases = [
        ((PROVINCE, DISTRICT, 100, "ALC-none"), {"allocation_id": "allocation.unknown"}),
        ((PROVINCE, DISTRICT, 100, pfizer), {"allocation_id": "allocation.other_vaccine"}),
        ((PROVINCE, SAIGON, 100, to_district), {"to_warehouse": "allocation.not_recipient"}),
        # A national allocation is delivered from a national or regional store.
        ((PROVINCE, DISTRICT, 100, to_province), {"to_warehouse": "allocation.not_recipient"}),
        ((NATIONAL, PROVINCE, 100, to_district), {"to_warehouse": "allocation.not_recipient"}),
        ((PROVINCE, DISTRICT, 501, to_district), {"doses": "allocation.more_than_owed"}),
        ((PROVINCE, DISTRICT, 100, "x" * 65), {"allocation_id": "allocation.unknown"}),
    ]
    for (src, dst, doses, aid), codes in cases:
        with pytest.raises(OpsError) as err:
            transfers.send(engine, SYSTEM, src, dst, "AZ", LOT, doses, at(1), lang="en",
                           allocation_id=aid)
        assert err.value.codes() == codes, (src, dst, aid)
    # The sender must be the allocating level's store: Hà Nội's store for its districts.
    from_national = allocate(engine, SYSTEM, _decision("001", 500), lang="en")
    with pytest.raises(OpsError) as err:
        transfers.send(engine, SYSTEM, NATIONAL, DISTRICT, "AZ", LOT, 100, at(1), lang="en",
                       allocation_id=from_national)
    assert err.value.codes() == {"from_warehouse": "allocation.not_allocator"}
    after = _state(engine)
    assert {k: v for k, v in after.items() if k not in ("allocation", "fct_allocation",
                                                          "audit", "version")} == \
        {k: v for k, v in before.items() if k not in ("allocation", "fct_allocation",
                                                       "audit", "version")}


def test_who_allocates_and_who_reads(engine: Engine, who: dict[str, Principal]) -> None:
    mine = allocate(engine, who["province"], _decision("001", 300), lang="en")
    other = allocate(engine, who["province"], _decision("002", 200), lang="en")
    national = allocate(engine, who["ministry"], _decision("01", 900), lang="en")
    saigon = allocate(engine, who["saigon"], _decision("760", 400), lang="en")
    before = _state(engine)
    refused = [
        (who["saigon"], _decision("001", 10)),      # another province's district
        (who["province"], _decision("01", 10)),     # a province officer allocates to no province
        (who["province"], _decision("79", 10)),
        (who["ministry"], _decision("001", 10)),    # the Ministry allocates to provinces
        (who["district"], _decision("001", 10)),
        (who["station"], _decision("001", 10)),
    ]
    for principal, cells in refused:
        with pytest.raises(Forbidden):
            allocate(engine, principal, cells, lang="en")
    # A stored row of another area is not corrected through its id.
    with pytest.raises(Forbidden):
        allocate(engine, who["saigon"], _decision("760", 10), allocation_id=mine, lang="en")
    assert _state(engine) == before

    def seen(principal: Principal) -> set[str]:
        return set(allocations_carried_out(engine, principal)["allocation_id"])

    assert seen(who["ministry"]) == {mine, other, national, saigon}
    assert seen(who["province"]) == {mine, other, national}
    assert seen(who["saigon"]) == {saigon}
    assert seen(who["district"]) == {mine}
    with pytest.raises(Forbidden):
        allocations_carried_out(engine, who["station"])
    with pytest.raises(Forbidden):
        deliveries_of(engine, who["district"], other)
    assert deliveries_of(engine, who["district"], mine).empty


# (cells of a row, the fields a file's reject report names; empty: valid)
ROWS: list[tuple[dict[str, object], set[str]]] = [
    (_decision("001", "3000"), set()),
    (_decision("1", "1500", decided_on="2021-09-30", batch=""), set()),
    (_decision("001", "0"), {"doses"}),
    (_decision("001", "-5"), {"doses"}),
    (_decision("001", "ba nghìn"), {"doses"}),
    (_decision("001", ""), {"doses"}),
    (_decision("001", "9" * 40), {"doses"}),  # no 64-bit count: refused, never wrapped
    (_decision("999", "100"), {"recipient_code"}),
    (_decision("", "100"), {"recipient_code"}),
    (_decision("001", "100", vaccine_code="XYZ"), {"vaccine_code"}),
    (_decision("001", "100", decided_on="31/02/2021"), {"decided_on"}),
    (_decision("001", "100", decided_on="01/01/2099"), {"decided_on"}),
    (_decision("001", "100", decision_no=" "), {"decision_no"}),
    (_decision("001", "100", decision_no="1" * 61), {"decision_no"}),
    (_decision("001", "100", batch="Đợt " + "9" * 57), {"batch"}),
    (_decision("001", "0", vaccine_code="", decided_on=""),
     {"doses", "vaccine_code", "decided_on"}),
]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_form_row_is_refused_exactly_when_the_same_file_row_is(
        settings: Settings, engine: Engine, tmp_path: Path, lang: str) -> None:
    for i, (cells, fields) in enumerate(ROWS):
        _, rejects = load_rows(settings, engine, tmp_path, f"r{i}",
                               [{"allocation_id": f"FILE-{i}", **cells}], lang)
        from_file = {(r["field"], r["reason"]) for r in rejects}
        assert {f for f, _ in from_file} == fields, cells
        try:
            allocate(engine, SYSTEM, cells, allocation_id=f"FORM-{i}", lang=lang)
            from_form: set[tuple[str, str]] = set()
        except OpsError as err:
            from_form = {(p.field, p.detail) for p in err.problems}
        assert from_form == from_file, cells
    with engine.connect() as conn:
        ids = [tuple(r) for r in conn.execute(text(
            "SELECT allocation_id, recipient_code, doses FROM allocation ORDER BY 1"))]
    assert ids == [("FILE-0", "001", 3000), ("FILE-1", "01", 1500),
                   ("FORM-0", "001", 3000), ("FORM-1", "01", 1500)]


def test_the_same_row_twice_is_one_row_and_a_file_corrects_it(
        settings: Settings, engine: Engine, tmp_path: Path, who: dict[str, Principal]) -> None:
    officer = who["province"]
    aid = allocate(engine, officer, _decision("001", "300"), lang="en")
    before = _state(engine)
    assert allocate(engine, officer, _decision("001", "300"), allocation_id=aid) == aid
    assert _state(engine) == before  # a repeated submit: nothing written, nothing audited
    result, _ = load_rows(settings, engine, tmp_path, "fix",
                          [{"allocation_id": aid, **_decision("001", "350")}])
    assert (result.loaded, result.updated) == (0, 1)
    assert _figures(engine, officer, aid) == [350, 0, 0, 0, 0, 350]
