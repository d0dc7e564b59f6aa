"""AEFI reads against pandas over the reports and injections read back; personal data rules."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import audit
from data.auth.roles import Forbidden
from data.mcc import aefi
from data.settings import Settings
from tests.integration.test_mcc_campaign import (
    D001,
    D760,
    EARLY,
    MINISTRY,
    P01,
    TZ,
    Campaign,
    aefi_read_back,
    doses_read_back,
    load_campaign,
)


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


def _reports(engine: Engine, until: dt.date | None = None) -> pd.DataFrame:
    df = aefi_read_back(engine)
    day = pd.to_datetime(df["reported_at"], utc=True, format="ISO8601").dt.tz_convert(TZ)
    df["report_day"] = day.dt.date
    doses = doses_read_back(engine).set_index("record_id")
    df["age_band"] = df["record_id"].map(doses["age_band"])
    df["sex"] = df["record_id"].map(doses["sex"])
    return df if until is None else df[df["report_day"] <= until]


@pytest.mark.parametrize(("by", "keys"), [("vaccine", ["vaccine_code"]),
                                          ("dose", ["dose_kind", "dose_number"]),
                                          ("age_band", ["age_band"]), ("sex", ["sex"])])
@pytest.mark.parametrize("as_of", [None, EARLY])
def test_rates_per_100k(campaign: Campaign, by: aefi.RateBy, keys: list[str],
                        as_of: dt.date | None) -> None:
    doses = doses_read_back(campaign.engine)
    if as_of:
        doses = doses[doses["day"] <= as_of]
    reports = _reports(campaign.engine, as_of)
    got = aefi.rates(campaign.svc, by, as_of).set_index(keys)
    want_doses = doses.groupby(keys).size()
    want_cases = reports.groupby(keys).size()
    want_serious = reports[reports["severity"] == "SERIOUS"].groupby(keys).size()
    assert got["doses"].to_dict() == want_doses.to_dict()
    assert got["cases"][got["cases"] > 0].to_dict() == want_cases.to_dict()
    assert got["serious"][got["serious"] > 0].to_dict() == want_serious.to_dict()
    k = want_cases.index[0]
    assert got.loc[k, "rate_per_100k"] == round(1e5 * want_cases[k] / want_doses[k], 2)


def test_rates_of_one_province(campaign: Campaign) -> None:
    reports = _reports(campaign.engine)
    got = aefi.rates(campaign.svc, "vaccine", province_code="79").set_index("vaccine_code")
    want = reports[reports["province_code"] == "79"].groupby("vaccine_code").size()
    assert got["cases"][got["cases"] > 0].to_dict() == want.to_dict()


def test_serious_cases_by_month(campaign: Campaign) -> None:
    serious = _reports(campaign.engine).query("severity == 'SERIOUS'")
    got = aefi.serious_by_month(campaign.svc)
    assert got["month"].tolist() == [pd.Timestamp("2021-08-01")]
    row = got.iloc[0]
    assert row["serious"] == len(serious)
    for outcome, n in serious["outcome"].value_counts().items():
        assert row[f"outcome_{outcome}"] == n
    classes = serious["classification"].fillna("NONE").replace("", "NONE").value_counts()
    assert {c: row[f"class_{c}"] for c in classes.index} == classes.to_dict()
    assert row.filter(like="class_").sum() == len(serious)


def test_signal_panel(campaign: Campaign) -> None:
    reports = _reports(campaign.engine)
    terms = reports.assign(term=reports["symptoms"].str.split(";")).explode("term")
    terms["term"] = terms["term"].str.strip().str.lower()
    n = len(reports)
    got = aefi.signals(campaign.svc).set_index(["vaccine_code", "term"])
    for (vaccine, term), row in got.iterrows():
        mine = terms[terms["vaccine_code"] == vaccine]
        a = mine.loc[mine["term"] == term, "report_id"].nunique()
        b = (reports["vaccine_code"] == vaccine).sum() - a
        c = terms.loc[terms["term"] == term, "report_id"].nunique() - a
        assert (row["a"], row["b"], row["c"], row["d"]) == (a, b, c, n - a - b - c)
    flagged = got[got["signal"]].index.tolist()
    assert flagged == [("PFZ", "viêm cơ tim")]
    assert got.loc[("PFZ", "viêm cơ tim"), "a"] >= 3


def test_unusual_lots(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    reports = _reports(campaign.engine)
    got = aefi.unusual_lots(campaign.svc).set_index(["vaccine_code", "lot_number"])
    pfz_rate = (reports["vaccine_code"] == "PFZ").sum() / (doses["vaccine_code"] == "PFZ").sum()
    lot_doses = doses[doses["lot_number"] == "P2"].shape[0]
    lot_cases = reports[reports["lot_number"] == "P2"].shape[0]
    p2 = got.loc[("PFZ", "P2")]
    assert (p2["doses"], p2["cases"]) == (lot_doses, lot_cases)
    mu = lot_doses * pfz_rate
    tail = 1 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(lot_cases))
    assert p2["p_value"] == pytest.approx(tail, rel=1e-6)
    assert got[got["unusual"]].index.tolist() == [("PFZ", "P2")]


def _personal_audits(engine: Engine, username: str) -> pd.DataFrame:
    with engine.connect() as conn:
        log = audit.search(conn, username=username, table="aefi_report")
    return log[log["action"] == "VIEW_PERSONAL"]


def test_case_list_hides_personal_data_from_the_ministry(campaign: Campaign) -> None:
    got = aefi.case_list(campaign.svc, MINISTRY)
    assert len(got) == len(_reports(campaign.engine))
    assert got[["full_name", "person_id", "phone"]].isna().all().all()
    assert _personal_audits(campaign.engine, "bo").empty


def test_case_list_shows_and_audits_personal_data_in_scope(campaign: Campaign) -> None:
    reports = _reports(campaign.engine).set_index("report_id")
    got = aefi.case_list(campaign.svc, P01, serious_only=True, source="10.0.0.7")
    want = reports[(reports["province_code"] == "01") & (reports["severity"] == "SERIOUS")]
    assert sorted(got["report_id"]) == sorted(want.index)
    for r in got.itertuples():
        assert (r.full_name, r.person_id, r.phone) == tuple(
            want.loc[r.report_id, ["full_name", "person_id", "phone"]])
    log = _personal_audits(campaign.engine, "tinh01")
    assert len(log) == 1 and log.iloc[0]["source"] == "10.0.0.7"
    assert sorted(log.iloc[0]["detail"]["report_ids"]) == sorted(want.index)
    aefi.case_list(campaign.svc, P01, serious_only=True)  # never served from a cache
    assert len(_personal_audits(campaign.engine, "tinh01")) == 2


def test_case_list_scope(campaign: Campaign) -> None:
    reports = _reports(campaign.engine)
    mine = aefi.case_list(campaign.svc, D001)
    assert set(mine["district_code"]) == {"001"}
    assert len(mine) == (reports["district_code"] == "001").sum()
    assert mine["person_id"].notna().all()
    assert set(aefi.case_list(campaign.svc, D001, province_code="01")["district_code"]) == {"001"}
    with pytest.raises(Forbidden):
        aefi.case_list(campaign.svc, D760, province_code="01")
    assert _personal_audits(campaign.engine, "q1").empty
