"""What the allocation tests share: the stock ledger's warehouses plus a national store, and the
accounts that allocate (the Ministry's leader, Hà Nội's province officer) or only read."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import SYSTEM, Principal, Role
from data.ops.commands import stock
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import warehouse, write_csv
from tests.integration.ops_setup import principal
from tests.integration.stock_ledger_setup import (
    EXPIRY,
    LOT,
    PROVINCE,
    at,
    seed_warehouses,
)

NATIONAL = "KHO-QG"


def seed(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The ledger tests' warehouses, a national store, and stock at both supplying stores:
    100 000 AZ doses at the national store, 5 000 at Hà Nội's."""
    seed_warehouses(settings, engine, tmp_path)
    result = load_file(settings, engine, "warehouses", write_csv(
        tmp_path / "national.csv", [warehouse(NATIONAL, name="Kho vắc xin quốc gia",
                                              level="NATIONAL", province_code="")]))
    assert result.rejected == 0, result
    stock.receive(engine, SYSTEM, NATIONAL, "AZ", LOT, EXPIRY, 100_000, at(0), lang="en")
    stock.receive(engine, SYSTEM, PROVINCE, "AZ", LOT, EXPIRY, 5_000, at(0), lang="en")


def accounts(engine: Engine) -> dict[str, Principal]:
    """The Ministry's leader, Hà Nội's and TP. Hồ Chí Minh's province officers, Ba Đình's
    district officer and the Phúc Xá station's staff."""
    return {
        "ministry": principal(engine, "bo.yte", Role.MINISTRY_LEADER, None),
        "province": principal(engine, "kho.hanoi", Role.PROVINCE_OFFICER, "01"),
        "saigon": principal(engine, "kho.hcm", Role.PROVINCE_OFFICER, "79"),
        "district": principal(engine, "kho.badinh", Role.DISTRICT_OFFICER, "001"),
        "station": principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101"),
    }


def load_rows(settings: Settings, engine: Engine, tmp_path: Path, name: str,
              rows: list[dict[str, object]], lang: str = "en") -> tuple[LoadResult,
                                                                        list[dict[str, str]]]:
    """Load an allocations file of `rows`; the result and its reject report's rows."""
    rejects = tmp_path / f"{name}.rejects.csv"
    result = load_file(settings, engine, "allocations", write_csv(tmp_path / f"{name}.csv", rows),
                       reject_path=rejects, lang=lang)
    if not rejects.exists():
        return result, []
    with rejects.open(encoding="utf-8-sig") as fh:
        return result, list(csv.DictReader(fh))
