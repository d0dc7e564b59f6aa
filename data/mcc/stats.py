"""Pure statistics of the safety reads: disproportionality (PRR) and Poisson tails."""

from __future__ import annotations

import math

import numpy as np


def prr_chi2(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """PRR = (a/(a+b)) / (c/(c+d)) and the Yates-corrected chi-squared of the 2x2 table.

    a: reports of the vaccine with the term; b: of the vaccine without it; c, d: the same for
    every other vaccine. Yates' correction follows Evans et al. (2001), whose screening rule
    (PRR >= 2, chi2 >= 4, a >= 3) the signal panel applies. PRR is inf when c = 0 and a > 0.
    """
    a, b, c, d = (np.asarray(x, dtype="float64") for x in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        prr = (a / (a + b)) / (c / (c + d))
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
