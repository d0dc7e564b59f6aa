"""What the lot trace tests share: lot AZ2108A received nationally (1,000 doses), sent to Hà Nội
(400, 398 arrived) and TP. Hồ Chí Minh (300); Hà Nội passes 100 on to the Phúc Xá station
(F00101, Ba Đình), whose session gives 12 doses and wastes 8; TP. Hồ Chí Minh sends 50 towards
its Quận 1 station (F76001), still on the road, which gave 5 doses recorded by file. One
serious case on a Phúc Xá dose (investigated, then classified B1) and one on a Quận 1 dose
(reported)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import SYSTEM, Principal, Role
from data.ops.commands import aefi_case, stock, transfers
from data.ops.commands.aefi_staff import StaffReport, report
from data.ops.commands.closing import close_with_tally
from data.ops.commands.sessions import create_session
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import facility, injection, warehouse, write_csv
from tests.integration.ops_setup import SOURCE, plan, principal

NATIONAL, HANOI, SAIGON = "KHO-TW", "KHO-01", "KHO-79"
PHUCXA, QUAN1 = "WF00101", "WF76001"
LOT, EXPIRY = "AZ2108A", dt.date(2022, 6, 30)
T0 = dt.datetime(2021, 10, 1, 1, 0, tzinfo=dt.UTC)
DAY = dt.date(2021, 10, 15)


def at(days: float) -> dt.datetime:
    """A moment `days` after T0."""
    return T0 + dt.timedelta(days=days)


@dataclass(frozen=True)
class Seeded:
    """The accounts, the session and the two cases (Phúc Xá's first)."""

    who: dict[str, Principal]
    session_id: str
    cases: tuple[str, str]
    transfers: tuple[str, str, str, str]


def seed_lot(settings: Settings, engine: Engine, tmp_path: Path) -> Seeded:
    """Places, accounts, the lot's journey, its doses and its two cases."""
    def load(kind: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert result.rejected == 0, result
    load("facilities", [facility("F00101"), facility(
        "F76001", name="Trạm Y tế Bến Nghé", province_code="79", district_code="760",
        ward_code="")])
    load("warehouses", [
        warehouse(NATIONAL, name="Kho vắc xin quốc gia", level="NATIONAL", province_code=""),
        warehouse(HANOI),
        warehouse(SAIGON, name="Kho TP. Hồ Chí Minh", province_code="79"),
        warehouse(PHUCXA, name="Kho Trạm Y tế Phúc Xá", level="FACILITY",
                  district_code="001", facility_code="F00101"),
        warehouse(QUAN1, name="Kho Trạm Y tế Bến Nghé", level="FACILITY", province_code="79",
                  district_code="760", facility_code="F76001")])
    who = {
        "ministry": principal(engine, "bo.yte", Role.MINISTRY_LEADER, None),
        "hanoi": principal(engine, "kho.hanoi", Role.PROVINCE_OFFICER, "01"),
        "badinh": principal(engine, "kho.badinh", Role.DISTRICT_OFFICER, "001"),
        "hoankiem": principal(engine, "kho.hoankiem", Role.DISTRICT_OFFICER, "002"),
        "station": principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101"),
        "saigon": principal(engine, "kho.hcm", Role.PROVINCE_OFFICER, "79"),
        "q1staff": principal(engine, "tram.bennghe", Role.FACILITY_STAFF, "F76001"),
    }
    stock.receive(engine, SYSTEM, NATIONAL, "AZ", LOT, EXPIRY, 1000, at(0), vvm_stage=1)
    to_hanoi = transfers.send(engine, SYSTEM, NATIONAL, HANOI, "AZ", LOT, 400, at(1))
    to_saigon = transfers.send(engine, SYSTEM, NATIONAL, SAIGON, "AZ", LOT, 300, at(1.5))
    transfers.confirm(engine, who["hanoi"], to_hanoi, 398, at(2))
    transfers.confirm(engine, who["saigon"], to_saigon, 300, at(3))
    to_phucxa = transfers.send(engine, who["hanoi"], HANOI, PHUCXA, "AZ", LOT, 100, at(4))
    transfers.confirm(engine, who["station"], to_phucxa, 100, at(5))
    to_quan1 = transfers.send(engine, who["saigon"], SAIGON, QUAN1, "AZ", LOT, 50, at(6))
    # The doses, as files bring them: 12 at Phúc Xá on the session's day, 5 at Bến Nghé.
    local = f"{DAY.isoformat()}T08:{{:02d}}:00+07:00"
    load("injections", [injection(f"PX-{i}", administered_at=local.format(i))
                        for i in range(12)] + [
        injection(f"BN-{i}", facility_code="F76001", province_code="79", district_code="760",
                  ward_code="", administered_at=local.format(20 + i)) for i in range(5)])
    session_id = create_session(engine, who["station"], SOURCE, plan("F00101", DAY))
    # 2 vials of 10: 12 given, 8 wasted (the ISSUE and WASTAGE at the station's store).
    close_with_tally(engine, who["station"], session_id, {LOT: 2}, "en")
    onset = dt.datetime(2021, 10, 15, 2, 30, tzinfo=dt.UTC)  # 09:30 local, an hour after
    phucxa_case = report(engine, who["station"], SOURCE, StaffReport(
        "PX-3", onset, ("ANAPHYLAXIS",), seriousness=("HOSPITALISATION",),
        reporter_name="Nguyễn Thị Lan"), "en")
    quan1_case = report(engine, who["q1staff"], SOURCE, StaffReport(
        "BN-1", onset + dt.timedelta(minutes=20), ("SEIZURE",),
        seriousness=("LIFE_THREATENING",), reporter_name="Trần Văn Hùng"), "en")
    aefi_case.investigate(engine, who["badinh"], SOURCE, phucxa_case, dt.date(2021, 10, 16),
                          "Phản vệ độ II sau tiêm")
    aefi_case.classify(engine, who["hanoi"], SOURCE, phucxa_case, "B1",
                       dt.date(2021, 10, 20), "Hội đồng tỉnh họp ngày 20/10", "en")
    return Seeded(who, session_id, (phucxa_case, quan1_case),
                  (to_hanoi, to_saigon, to_phucxa, to_quan1))
