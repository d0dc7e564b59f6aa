"""Adverse events following immunization at reported rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.fmt import iso_times, zpad
from etl.demo.injections import record_ids

# Reported rates per dose: mild reactions a few per 10,000, serious ones 1-3 per 100,000.
MILD_RATE, SERIOUS_RATE = 4e-4, 2e-5
MILD_SYMPTOMS = ("Sốt", "Đau tại chỗ tiêm", "Sưng tại chỗ tiêm", "Mệt mỏi", "Đau đầu",
                 "Buồn nôn", "Đau cơ", "Chóng mặt", "Ớn lạnh")
# (symptoms, seriousness, WHO causality) of the serious events seen in the campaign.
SERIOUS = (
    ("Sốc phản vệ", "LIFE_THREATENING;HOSPITALISATION", "A"),
    ("Viêm cơ tim", "HOSPITALISATION", "A"),
    ("Huyết khối kèm giảm tiểu cầu", "LIFE_THREATENING;HOSPITALISATION", "A"),
    ("Hội chứng Guillain-Barré", "HOSPITALISATION;DISABILITY", "B"),
    ("Co giật", "MEDICALLY_IMPORTANT", "C"),
    ("Khó thở;Tức ngực", "HOSPITALISATION", "UNCLASSIFIABLE"),
)
SERIOUS_OUTCOMES = ("RECOVERED", "RECOVERING", "RECOVERED_WITH_SEQUELAE", "NOT_RECOVERED",
                    "DIED", "UNKNOWN")


def aefi_frame(seconds: np.ndarray, facility_codes: np.ndarray, last_second: int,
               rng: np.random.Generator) -> pd.DataFrame:
    """AEFI reports for a sample of doses (arrays aligned with the placed doses)."""
    n = len(seconds)
    u = rng.random(n)
    serious = np.flatnonzero(u < SERIOUS_RATE)
    mild = np.flatnonzero((u >= SERIOUS_RATE) & (u < SERIOUS_RATE + MILD_RATE))
    rows = np.concatenate([mild, serious])
    is_serious = np.concatenate([np.zeros(len(mild), bool), np.ones(len(serious), bool)])
    k = len(rows)
    # Anaphylaxis comes within minutes; fever and aches within a day or two.
    onset = seconds[rows] + np.where(is_serious, rng.lognormal(8.0, 2.0, k),
                                     rng.lognormal(9.5, 1.0, k)).astype(np.int64) + 300
    reported = onset + (rng.lognormal(9.0, 1.2, k)).astype(np.int64) + 600
    pick = rng.integers(0, len(SERIOUS), k)
    parts = rng.integers(0, len(MILD_SYMPTOMS), (k, 3))
    count = rng.integers(1, 4, k)
    mild_text = [";".join(dict.fromkeys(MILD_SYMPTOMS[j] for j in row[:c]))
                 for row, c in zip(parts, count, strict=True)]
    s_outcome = rng.choice(len(SERIOUS_OUTCOMES), k, p=[0.6, 0.15, 0.05, 0.05, 0.05, 0.1])
    died = is_serious & (s_outcome == 4)
    out = pd.DataFrame({
        "record_id": record_ids(rows),
        "onset_at_s": onset,
        "reported_at_s": reported,
        "severity": np.where(is_serious, "SERIOUS", "MILD"),
        "seriousness": np.where(
            is_serious, np.array([s[1] for s in SERIOUS], dtype=object)[pick], ""),
        "symptoms": np.where(is_serious, np.array([s[0] for s in SERIOUS], dtype=object)[pick],
                             np.array(mild_text, dtype=object)),
        "outcome": np.where(is_serious, np.array(SERIOUS_OUTCOMES, dtype=object)[s_outcome],
                            np.where(rng.random(k) < 0.9, "RECOVERED", "RECOVERING")),
        "classification": np.where(
            is_serious, np.array([s[2] for s in SERIOUS], dtype=object)[pick], ""),
        "facility_code": facility_codes[rows],
    })
    out.loc[died, "seriousness"] = "DEATH;" + out.loc[died, "seriousness"]
    out = out[out["reported_at_s"] <= last_second].sort_values(
        ["reported_at_s", "record_id"], kind="stable").reset_index(drop=True)
    out.insert(0, "report_id", "AEFI" + zpad(np.arange(1, len(out) + 1), 7))
    out.insert(2, "onset_at", iso_times(out.pop("onset_at_s").to_numpy()))
    out.insert(3, "reported_at", iso_times(out["reported_at_s"].to_numpy()))
    return out.drop(columns="reported_at_s")
