"""`python -m etl export stock` on each backend: every warehouse's lots at the end of a day
(Vietnam time) from the ledger, a back-dated movement counted on its own day, a transfer in
transit counted at the receiver's in_transit_in and at no one's on_hand, the province filter,
the day's boundary, and the same figures as the stock pages' positions_at."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.auth.roles import Principal
from data.clock import end_of_day
from data.ops.commands import stock, transfers
from data.ops.queries.stock_positions import positions_at
from data.settings import Settings
from etl.__main__ import main
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    LOT,
    PROVINCE,
    SAIGON,
    STATION,
    accounts,
    seed_warehouses,
)

HEADER = ["warehouse_code", "vaccine_code", "lot_number", "expiry_date", "on_hand",
          "in_transit_in"]
EXP = EXPIRY.isoformat()
VN = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving


def vn(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 10) -> dt.datetime:
    """A moment of 2021 in Vietnam's local time."""
    return dt.datetime(2021, month, day, hour, minute, second, tzinfo=VN)


@pytest.fixture
def ledger(settings: Settings, engine: Engine, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> dict[str, Principal]:
    """Hà Nội's stores and TP. Hồ Chí Minh's, with a few days of movements."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    seed_warehouses(settings, engine, tmp_path)
    who = accounts(engine)
    hanoi, saigon = who["province"], who["saigon"]
    stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 500, vn(1, 9))
    stock.receive(engine, saigon, SAIGON, "PFZ", "FF1", EXPIRY, 200, vn(1, 10))
    stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 120, vn(1, 11))
    tid = transfers.send(engine, hanoi, PROVINCE, DISTRICT, "AZ", LOT, 100, vn(1, 18))
    # The day's last second belongs to it; the next day starts at local midnight (17:00 UTC).
    stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 30, vn(1, 23, 59, 59))
    stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 7, vn(2, 0))
    # 95 of the 100 arrive on the 2nd in the evening: 5 lost on the road, at neither store.
    assert transfers.confirm(engine, hanoi, tid, 95, vn(2, 21)) == 5
    # Entered last, dated the day before everything else.
    stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 50, vn(30, 19, month=9))
    return who


def export(*args: str, capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    assert main(["export", "stock", *args]) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEADER
    return rows[1:]


def test_the_stock_at_the_end_of_each_day(ledger: dict[str, Principal],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert export("--at", "2021-09-29", capsys=capsys) == []
    # The back-dated receipt is on hand on its own day.
    assert export("--at", "2021-09-30", capsys=capsys) == [[PROVINCE, "AZ", LOT, EXP, "50", "0"]]
    # 50 + 500 - 120 - 100 sent - 30 at 23:59:59; the 100 in transit are the district's
    # in_transit_in and on hand nowhere.
    assert export("--at", "2021-10-01", capsys=capsys) == [
        [DISTRICT, "AZ", LOT, EXP, "0", "100"],
        [PROVINCE, "AZ", LOT, EXP, "300", "0"],
        [SAIGON, "PFZ", "FF1", EXP, "200", "0"]]
    # The issue at local midnight and the 95 confirmed.
    assert export("--at", "02/10/2021", capsys=capsys) == [
        [DISTRICT, "AZ", LOT, EXP, "95", "0"],
        [PROVINCE, "AZ", LOT, EXP, "293", "0"],
        [SAIGON, "PFZ", "FF1", EXP, "200", "0"]]


def test_one_province_and_a_file(ledger: dict[str, Principal], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert export("--at", "2021-10-01", "--province", "79", capsys=capsys) == [
        [SAIGON, "PFZ", "FF1", EXP, "200", "0"]]
    # A spreadsheet's 1 is Hà Nội's 01; the district's transfer counts within the province.
    out = tmp_path / "ton-kho.csv"
    assert main(["export", "stock", "--at", "2021-10-01", "--province", "1",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8").splitlines() == [
        ",".join(HEADER), f"{DISTRICT},AZ,{LOT},{EXP},0,100", f"{PROVINCE},AZ,{LOT},{EXP},300,0"]
    # A province without warehouses: the header alone.
    assert export("--at", "2021-10-01", "--province", "48", capsys=capsys) == []


def test_the_export_shows_what_the_stock_pages_show(
        ledger: dict[str, Principal], settings: Settings, engine: Engine,
        capsys: pytest.CaptureFixture[str]) -> None:
    for day in (dt.date(2021, 9, 30), dt.date(2021, 10, 1), dt.date(2021, 10, 2)):
        rows = export("--at", day.isoformat(), capsys=capsys)
        with engine.connect() as conn:
            pages = [[w, p.vaccine_code, p.lot_number, p.expiry_date.isoformat()
                      if p.expiry_date else "", str(p.on_hand), str(p.in_transit_in)]
                     for w in (DISTRICT, PROVINCE, SAIGON, STATION)
                     for p in positions_at(conn, w, end_of_day(day, settings.timezone))]
        assert rows == pages


def test_bad_arguments_are_refused_with_a_reason(ledger: dict[str, Principal], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for args, said in [
        (["--at", "2021-02-30"], "argument --at: not a date: '2021-02-30'"),
        (["--at", "hôm qua"], "argument --at: not a date"),
        ([], "the following arguments are required: --at"),
        (["--at", "2021-10-01", "--province", "HN"], "argument --province: not a province"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["export", "stock", *args])
        assert exit_.value.code == 2
        assert said in capsys.readouterr().err
    assert main(["export", "stock", "--at", "2021-10-01", "--province", "99"]) == 2
    assert capsys.readouterr().err == "--province: no province has the code 99\n"
    missing = tmp_path / "no-such-folder" / "x.csv"
    assert main(["export", "stock", "--at", "2021-10-01", "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"--out {missing}: ") and not missing.exists()
