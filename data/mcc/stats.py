"""Pure statistics of the safety reads: disproportionality (PRR) and Poisson tails."""

from __future__ import annotations

import math

import numpy as np


def prr_chi2(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """PRR = (a/(a+b)) / (c/(c+d)) and the Yates-corrected chi-squared of the 2x2 table.

    a: reports of the vaccine with the term; b: of the vaccine without it; c, d: the same for
    every other vaccine. The screening rule the signal panel applies is Evans, Waller & Davis,
    "Use of proportional reporting ratios (PRRs) for signal generation from spontaneous
    adverse drug reaction reports", Pharmacoepidemiol Drug Saf 2001;10:483-486: PRR >= 2,
    chi-squared (with Yates' correction, on the counts as reported) >= 4 and a >= 3.

    A table with an empty cell gets the Haldane-Anscombe correction for the PRR: 0.5 added to
    every cell (Haldane, Ann Hum Genet 1956;20:309-311). Without it a term never reported for
    another vaccine (c = 0) had an infinite PRR and a = 0 a PRR of 0, however few the reports;
    with it the PRR is finite and shrinks toward 1 as the counts get small.
    """
    a, b, c, d = (np.asarray(x, dtype="float64") for x in (a, b, c, d))
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    ha, hb, hc, hd = (np.where(zero, x + 0.5, x) for x in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        prr = (ha / (ha + hb)) / (hc / (hc + hd))
        n = a + b + c + d
        num = n * np.maximum(np.abs(a * d - b * c) - n / 2.0, 0.0) ** 2
        den = (a + b) * (c + d) * (a + c) * (b + d)
        chi2 = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return prr, chi2


def poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu); scipy when installed, else the exact finite sum."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    try:
        from scipy.stats import poisson
    except ImportError:  # scipy is optional: sum the k lower terms in log space
        log_terms = [-mu + i * math.log(mu) - math.lgamma(i + 1) for i in range(k)]
        return max(0.0, 1.0 - math.fsum(math.exp(t) for t in log_terms))
    return float(poisson.sf(k - 1, mu))
