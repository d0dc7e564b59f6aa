"""Vaccine safety: AEFI rates, serious cases by month, PRR signals, unusual lots, case list.

Cases count by report date up to as_of; denominators are doses up to as_of. Places are the
vaccinated person's residence (as in the dose rollups). Only case_list may carry personal
data, never cached, and each such read is written to the audit log.

Signals and unusual lots are computed nationally or within one province: the province's own
reports (and doses) are then the reference, so differences in reporting practice between
provinces do not pose as signals. Nothing below province level: a district has too few
reports for a disproportionality test. A vaccine filter selects rows after the comparison,
since a vaccine's PRR needs every other vaccine as its comparator.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd

from data import audit, catalog, rollup_reads
from data.auth.roles import PERSONAL_DATA_ROLES, Principal
from data.mcc import common, stats
from data.mcc.queries import aefi as q
from data.services import Services

RateBy = Literal["vaccine", "dose", "age_band", "sex"]
_KEYS: dict[str, list[str]] = {"vaccine": ["vaccine_code"], "dose": ["dose_kind", "dose_number"],
                               "age_band": ["age_band"], "sex": ["sex"]}
PERSONAL = ["full_name", "person_id", "phone"]


def _cases(svc: Services, day: dt.date) -> pd.DataFrame:
    return rollup_reads.aefi_cases(svc, common.date_key(day))


def _denominators(svc: Services, day: dt.date) -> pd.DataFrame:
    cutoff = common.dose_cutoff(svc, day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.denominators(conn, cutoff)

    return svc.cache.get_or_compute("mcc_aefi_denominators", {"cutoff": cutoff}, compute)


def _where(df: pd.DataFrame, province_code: str | None, vaccine: str | None) -> pd.DataFrame:
    """Rows of one province and one vaccine (None: all)."""
    if province_code:
        df = df[df["province_code"] == province_code]
    if vaccine:
        df = df[df["vaccine_code"] == vaccine]
    return df


def rates(svc: Services, by: RateBy, as_of: dt.date | None = None,
          province_code: str | None = None, vaccine: str | None = None) -> pd.DataFrame:
    """Per vaccine, dose (dose_kind, dose_number), age band or sex: doses, cases, serious,
    rate_per_100k, serious_per_100k; of one province and one vaccine when given."""
    day = common.resolve_as_of(svc, as_of)
    keys = _KEYS[by]
    cases = _where(_cases(svc, day), province_code, vaccine)
    den = _where(_denominators(svc, day), province_code, vaccine)
    counted = cases.groupby(keys).agg(cases=("report_id", "size"), serious=("is_serious", "sum"))
    out = den.groupby(keys)[["doses"]].sum().join(counted, how="outer").fillna(0)
    out = out.astype("int64").reset_index()
    out["rate_per_100k"] = (1e5 * common.ratio(out["cases"], out["doses"])).round(2)
    out["serious_per_100k"] = (1e5 * common.ratio(out["serious"], out["doses"])).round(2)
    return out


def reported_on(svc: Services, day: dt.date, province_code: str | None = None
                ) -> pd.DataFrame:
    """Reports dated `day`: vaccine_code, severity, cases."""
    df = _cases(svc, day)
    df = df[df["report_date_key"] == common.date_key(day)]
    if province_code:
        df = df[df["province_code"] == province_code]
    return df.groupby(["vaccine_code", "severity"]).size().rename("cases").reset_index()


def reported_between(svc: Services, start: dt.date, end: dt.date,
                     province_code: str | None = None) -> pd.DataFrame:
    """Reports dated in [start, end] (the cases `reported_on` counts, day by day): report_id,
    vaccine_code, severity, is_serious, classification, outcome."""
    df = _cases(svc, end)
    df = df[df["report_date_key"] >= common.date_key(start)]
    if province_code:
        df = df[df["province_code"] == province_code]
    cols = ["report_id", "vaccine_code", "severity", "is_serious", "classification", "outcome"]
    return df[cols].reset_index(drop=True)


def serious_by_month(svc: Services, as_of: dt.date | None = None,
                     province_code: str | None = None, vaccine: str | None = None
                     ) -> pd.DataFrame:
    """Per month of onset: serious, outcome_<OUTCOME> and class_<A|B|C|UNCLASSIFIABLE|NONE>;
    of one province and one vaccine when given."""
    df = _cases(svc, common.resolve_as_of(svc, as_of))
    df = _where(df[df["is_serious"]], province_code, vaccine)
    month = pd.to_datetime((df["onset_date_key"] // 100 * 100 + 1).astype(str), format="%Y%m%d")
    df = df.assign(month=month, classification=df["classification"].fillna("NONE"))
    out = pd.DataFrame({"serious": df.groupby("month").size()})
    for col, prefix, values in (("outcome", "outcome_", catalog.OUTCOMES),
                                ("classification", "class_", (*catalog.CLASSIFICATIONS, "NONE"))):
        wide = pd.crosstab(df["month"], df[col]).reindex(columns=list(values), fill_value=0)
        out = out.join(wide.add_prefix(prefix))
    out = out.fillna(0).astype("int64").rename_axis("month").reset_index()
    return out.sort_values("month").reset_index(drop=True)


def term_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Per vaccine x symptom term of `reports` (report_id, vaccine_code, symptoms): the 2x2
    counts a, b, c, d of the reports."""
    terms = reports.assign(term=reports["symptoms"].str.split(";")).explode("term")
    terms["term"] = terms["term"].str.strip().str.lower()
    terms = terms[terms["term"].fillna("") != ""].drop_duplicates(["report_id", "term"])
    a = terms.groupby(["vaccine_code", "term"]).size().rename("a").reset_index()
    if a.empty:  # no reports (a province without any): mapping an empty text column gives
        # text, and text minus counts is a TypeError
        return a.assign(b=0, c=0, d=0).astype({"a": "int64", "b": "int64", "c": "int64",
                                                "d": "int64"})
    per_vaccine = reports.groupby("vaccine_code").size()
    per_term = terms.groupby("term").size()
    a["b"] = a["vaccine_code"].map(per_vaccine) - a["a"]
    a["c"] = a["term"].map(per_term) - a["a"]
    a["d"] = len(reports) - a["a"] - a["b"] - a["c"]
    return a


def signals(svc: Services, as_of: dt.date | None = None, min_cases: int = 3,
            min_prr: float = 2.0, min_chi2: float = 4.0, province_code: str | None = None,
            vaccine: str | None = None) -> pd.DataFrame:
    """Per vaccine x symptom term: a, b, c, d (report counts), prr, prr_corrected (a cell
    was 0, so the PRR has the Haldane correction), chi2, signal.

    Terms are the ';'-separated parts of aefi_report.symptoms, trimmed and lower-cased; a
    report counts once per term. signal = prr >= min_prr and chi2 >= min_chi2 and a >= min_cases,
    the screening rule of Evans et al. (2001) (stats.prr_chi2 cites it and the correction).
    With `province_code` the 2x2 tables hold that province's reports only; `vaccine` keeps the
    rows of one vaccine (still compared with every other vaccine).
    """
    until = common.date_key(common.resolve_as_of(svc, as_of))

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = q.symptoms(conn, until)
        return term_table(df[df["province_code"] == province_code] if province_code else df)

    params = {"until": until, "province": province_code}
    out = svc.cache.get_or_compute("mcc_aefi_terms", params, compute).copy()
    prr, chi2 = stats.prr_chi2(out["a"], out["b"], out["c"], out["d"])
    out["prr"], out["chi2"] = np.round(prr, 3), np.round(chi2, 3)
    out["prr_corrected"] = (out[["a", "b", "c", "d"]] == 0).any(axis=1)
    out["signal"] = (out["prr"] >= min_prr) & (out["chi2"] >= min_chi2) & (out["a"] >= min_cases)
    out = _where(out, None, vaccine)
    return out.sort_values(["signal", "prr"], ascending=False).reset_index(drop=True)


def _lot_doses(svc: Services, cutoff: int | None, province_code: str | None) -> pd.DataFrame:
    """Doses per vaccine x lot, nationally (lot rollup) or of one province (facts, cached for
    every province at once)."""
    if not province_code:
        def national() -> pd.DataFrame:
            with svc.engine.connect() as conn:
                return q.lot_doses(conn, cutoff)

        return svc.cache.get_or_compute("mcc_lot_doses", {"cutoff": cutoff}, national)

    def by_province() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.lot_doses_by_province(conn, cutoff)

    df = svc.cache.get_or_compute("mcc_lot_doses_province", {"cutoff": cutoff}, by_province)
    df = df[df["province_code"] == province_code]
    return df.drop(columns="province_code").reset_index(drop=True)


def unusual_lots(svc: Services, as_of: dt.date | None = None, alpha: float = 0.01,
                 province_code: str | None = None, vaccine: str | None = None
                 ) -> pd.DataFrame:
    """Per lot with cases: vaccine_code, lot_number, doses, cases, rate_per_100k,
    vaccine_rate_per_100k, expected, p_value = P(X >= cases), X ~ Poisson(doses x vaccine
    rate), unusual = p_value < alpha. The vaccine's rate includes the lot itself. With
    `province_code` doses, cases and the vaccine's rate are the province's (residence)."""
    day = common.resolve_as_of(svc, as_of)
    doses = _where(_lot_doses(svc, common.dose_cutoff(svc, day), province_code), None, vaccine)
    cases = _where(_cases(svc, day), province_code, vaccine)
    cases = cases.groupby(["vaccine_code", "lot_number"]).size().rename("cases")
    out = doses.merge(cases.reset_index(), how="left", on=["vaccine_code", "lot_number"])
    out["cases"] = out["cases"].fillna(0).astype("int64")
    per_vaccine = out.groupby("vaccine_code")[["cases", "doses"]].transform("sum")
    vaccine_rate = common.ratio(per_vaccine["cases"], per_vaccine["doses"])
    out["rate_per_100k"] = (1e5 * common.ratio(out["cases"], out["doses"])).round(2)
    out["vaccine_rate_per_100k"] = (1e5 * vaccine_rate).round(2)
    out["expected"] = (out["doses"] * vaccine_rate).round(3)
    out["p_value"] = [stats.poisson_sf(int(k), float(mu)) for k, mu in
                      zip(out["cases"], out["doses"] * vaccine_rate, strict=True)]
    out["unusual"] = out["p_value"] < alpha
    out = out[out["cases"] > 0].sort_values(["p_value", "vaccine_code", "lot_number"])
    return out.reset_index(drop=True)


def _personal_scope(principal: Principal, df: pd.DataFrame) -> pd.Series:
    """Cases inside the area of a grant whose role may see personal data."""
    mask = pd.Series(False, index=df.index)
    for g in principal.grants:
        if g.role not in PERSONAL_DATA_ROLES:
            continue
        if g.scope_level == "PROVINCE":
            mask |= df["province_code"] == g.province_code
        elif g.scope_level == "DISTRICT":
            mask |= df["district_code"] == g.district_code
        elif g.scope_level == "FACILITY":
            mask |= df["facility_code"] == g.scope_code
    return mask


def case_list(svc: Services, principal: Principal, as_of: dt.date | None = None,
              province_code: str | None = None, serious_only: bool = False,
              source: str | None = None) -> pd.DataFrame:
    """Cases within scope: report_id, onset_date, report_date, vaccine_code, dose_kind,
    dose_number, lot_number, severity, seriousness, outcome, classification, province_code,
    district_code, facility_code; plus full_name, person_id, phone (None unless the principal
    holds a personal-data role covering the case; such reads are audited, never cached)."""
    df = _cases(svc, common.resolve_as_of(svc, as_of))
    if province_code:
        principal.require_facility_detail(province_code)
        df = df[df["province_code"] == province_code]
    # Residents of the principal's districts; for facility staff the reports of their facility.
    df = common.within_scope(df, principal)
    if serious_only:
        df = df[df["is_serious"]]
    df = df.assign(onset_date=df["onset_date_key"].map(common.key_date),
                   report_date=df["report_date_key"].map(common.key_date))
    cols = ["report_id", "onset_date", "report_date", "vaccine_code", "dose_kind",
            "dose_number", "lot_number", "severity", "seriousness", "outcome",
            "classification", "province_code", "district_code", "facility_code"]
    out = df[cols].reset_index(drop=True)
    for c in PERSONAL:
        out[c] = None
    ids = out.loc[_personal_scope(principal, out), "report_id"].tolist()
    if not ids:
        return out
    with svc.engine.begin() as conn:  # the read and its audit entry commit together
        people = q.personal(conn, ids).set_index("report_id")
        key = ",".join(ids) if len(",".join(ids)) <= 120 else f"{len(ids)} reports"
        audit.record(conn, audit.Actor(principal.user_id, principal.username, source),
                     "VIEW_PERSONAL", "aefi_report", key,
                     detail={"report_ids": ids, "count": len(ids), "read": "mcc.case_list"})
    for c in PERSONAL:
        out[c] = out["report_id"].map(people[c]).astype("object").where(
            out["report_id"].isin(ids), None)
    return out
