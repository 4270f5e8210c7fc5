"""The t interval of a mean: one function for every analysis (competence areas, course parts, baseline)."""

from __future__ import annotations

import numpy as np
from scipy import stats as _sps


def mean_ci(x: np.ndarray, ci: float = 0.95) -> tuple[float, float]:
    """Student t interval of the mean of ``x`` (scipy's one-sample t test ``confidence_interval``).

    Fewer than two values give ``(nan, nan)``; values that are all equal give the mean twice (no spread, so
    no interval), where scipy would return NaN.

    >>> [round(v, 4) for v in mean_ci(np.array([3.0, 4.0, 5.0, 4.0]))]
    [2.7008, 5.2992]
    >>> mean_ci(np.array([4.0, 4.0])), mean_ci(np.array([2.0]))
    ((4.0, 4.0), (nan, nan))
    """
    if x.size < 2:
        return float("nan"), float("nan")
    if np.ptp(x) == 0:
        return float(x[0]), float(x[0])
    interval = _sps.ttest_1samp(x, 0.0).confidence_interval(confidence_level=ci)
    return float(interval.low), float(interval.high)
