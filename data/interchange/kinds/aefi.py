"""aefi: adverse events following immunization, each tied to a counted injection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from data import catalog
from data.interchange import parse
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.kinds.common import row_hash
from data.interchange.validate import Validator
from data.lookups import RefContext
from data.lookups_batch import council_classes, injections_for

KEY = "report_id"
REQUIRED = ["report_id", "record_id", "onset_at", "reported_at", "severity", "symptoms",
            "outcome", "facility_code"]
OPERATIONAL = ["report_id", "record_id", "onset_at", "reported_at", "severity", "seriousness",
               "symptoms", "outcome", "classification", "facility_code"]
FROM_INJECTION = ["geo_key", "vaccine_key", "dose_key", "group_key", "lot_number"]


@dataclass(frozen=True)
class AefiState:
    """The injections the file's reports refer to (indexed by record_id), and the council's
    classification of the re-sent reports it has classified (indexed by report_id)."""

    injections: pd.DataFrame
    council: pd.DataFrame


def prefetch(conn: Connection, raw: pd.DataFrame, _ctx: RefContext) -> AefiState:
    """What the file's reports are checked against."""
    ids = parse.text(raw.get("record_id", pd.Series(dtype="str"))).dropna()
    reports = parse.text(raw.get("report_id", pd.Series(dtype="str"))).dropna()
    return AefiState(injections_for(conn, ids).set_index("record_id"),
                     council_classes(conn, reports))


def transform(v: Validator, ctx: RefContext, state: AefiState) -> Transformed:
    """Validate every rule of the spec, including the link to the injection."""
    injections = state.injections
    out = pd.DataFrame(index=v.raw.index)
    out["report_id"] = v.required_text("report_id")
    out["record_id"] = v.required_text("record_id")
    known = out["record_id"].isin(injections.index)
    v.reject(out["record_id"].notna() & ~known, "record_id", "unknown_injection")
    onset = v.timestamp("onset_at")
    reported = v.timestamp("reported_at")
    given = pd.to_datetime(out["record_id"].map(injections["administered_at"].astype("str")),
                           utc=True, format="ISO8601", errors="coerce")
    v.reject(onset.notna() & given.notna() & (onset < given), "onset_at",
             "onset_before_injection")
    # The injections kind refuses a dose given before the person's birth; a stored dose can
    # still carry one (a person's birth date corrected after the dose), and no report may
    # follow it until the registry is put right.
    born = pd.to_datetime(out["record_id"].map(injections["birth_date"].astype("str")),
                          format="ISO8601", errors="coerce").dt.tz_localize(v.tz)
    v.reject(born.notna() & given.notna() & (given < born), "record_id",
             "birth_after_injection")
    v.reject(onset.notna() & reported.notna() & (reported < onset), "reported_at",
             "reported_before_onset")
    out["severity"] = v.choice("severity", catalog.SEVERITIES)
    terms = parse.upper(v.col("seriousness")).str.replace(r"\s+", "", regex=True)
    serious = out["severity"] == "SERIOUS"
    v.reject(serious & terms.isna(), "seriousness", "seriousness_required",
             choices=", ".join(catalog.SERIOUSNESS))
    bad_term = terms.notna() & ~terms.str.split(";").map(
        lambda ts: all(t in catalog.SERIOUSNESS for t in ts if t) if isinstance(ts, list)
        else True).astype(bool)
    v.reject(bad_term, "seriousness", "bad_choice", choices=", ".join(catalog.SERIOUSNESS))
    out["seriousness"] = terms
    out["symptoms"] = v.required_text("symptoms")
    out["outcome"] = v.choice("outcome", catalog.OUTCOMES)
    out["classification"] = _classification(v, out["report_id"], state.council)
    out["facility_code"] = v.required_text("facility_code")
    fkey = out["facility_code"].map(ctx.facility_keys)
    v.reject(out["facility_code"].notna() & fkey.isna(), "facility_code", "unknown_facility")
    ok = v.valid_mask()
    rows = out[ok].copy()
    rows["onset_at"] = parse.sql_timestamp(onset[ok])
    rows["reported_at"] = parse.sql_timestamp(reported[ok])
    rows["row_hash"] = row_hash(rows[OPERATIONAL])
    rows["onset_date_key"] = parse.local_date_key(onset[ok], v.tz).astype("int64")
    rows["report_date_key"] = parse.local_date_key(reported[ok], v.tz).astype("int64")
    rows["facility_key"] = fkey[ok].astype("int64")
    linked = injections.reindex(rows["record_id"])
    for col in FROM_INJECTION:
        rows[col] = linked[col].to_numpy()
    rows["is_serious"] = rows["severity"] == "SERIOUS"
    rows, dups = keep_last_per_key(rows, KEY)
    return Transformed(rows, v.rejects(), dups)


def _classification(v: Validator, report_id: pd.Series, council: pd.DataFrame) -> pd.Series:
    """The row's classification. Once the provincial AEFI council has classified the case
    (the causality assessment is its signed decision; WHO's causality assessment manual, 2018),
    a re-sent report keeps it: blank takes the council's, any other is refused."""
    given = v.choice("classification", catalog.CLASSIFICATIONS, required=False)
    # object: with no classified report among the file's, the mapped columns come out float.
    decided = report_id.map(council["classification"]).astype("object")
    day = report_id.map(council["council_decided_on"].astype("str")).astype("object")
    v.reject(given.notna() & decided.notna() & (given != decided), "classification",
             "classified_by_council", classification=decided.fillna(""), day=day.fillna(""))
    return given.where(given.notna(), decided)
