"""Proportions: Wilson interval for one; Newcombe interval, score/Fisher test and Cohen's h for two.

:func:`proportion_ci` and :func:`two_proportions` (result: :class:`TwoProportionsResult`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as _sps
from statsmodels.stats import (
    proportion as _smprop,
)  # module import: pytest must not collect test_* names


# ------------------------------------------------------------------------------------------------ proportions
def proportion_ci(
    count: Any, n: Any, ci: float = 0.95, method: str = "wilson"
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    """Confidence interval for a proportion (Wilson score interval by default).

    Wraps :func:`statsmodels.stats.proportion.proportion_confint`, which implements Wilson and the other
    classic intervals and is tested against R; the Wilson interval is the house default because it keeps its
    coverage for small n and proportions near 0 or 1, where the Wald interval fails (Newcombe 1998).

    Parameters
    ----------
    count, n : int or array-like
        Number of "successes" (e.g. top-2-box answers) and number of valid answers.
    ci : float
        Confidence level, default 0.95.
    method : str
        Any ``method`` of ``proportion_confint`` ("wilson", "beta" = Clopper-Pearson, "agresti_coull", ...).

    Returns
    -------
    (low, high) : tuple of floats, or tuple of arrays when ``count``/``n`` are arrays.
        Proportions on the 0..1 scale, clipped to [0, 1]. Where ``n == 0`` both limits are NaN.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. JASA 22, 209-212.
    Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of seven
    methods. Statistics in Medicine 17, 857-872 (Table I gives the reference values used in the tests).

    Examples
    --------
    >>> [round(x, 4) for x in proportion_ci(15, 148)]
    [0.0624, 0.1605]
    >>> proportion_ci(0, 0)
    (nan, nan)
    >>> low, high = proportion_ci([0, 1], [20, 29])
    >>> np.round(high, 4).tolist()
    [0.1611, 0.1718]
    """
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    count_a = np.asarray(count, dtype="float64")
    n_a = np.asarray(n, dtype="float64")
    count_a, n_a = np.broadcast_arrays(count_a, n_a)
    if np.any(n_a < 0) or np.any(count_a < 0) or np.any(count_a > n_a):
        raise ValueError("proportion_ci needs 0 <= count <= n")
    empty = ~(n_a > 0)
    safe_n = np.where(empty, 1.0, n_a)
    safe_count = np.where(empty, 0.0, count_a)
    low, high = _smprop.proportion_confint(safe_count, safe_n, alpha=1 - ci, method=method)
    low = np.where(empty, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, 0.0, 1.0))
    if scalar:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class TwoProportionsResult:
    """Difference of two independent proportions (second minus first), its interval and test."""

    p1: float
    p2: float
    n1: int
    n2: int
    difference: float
    ci_low: float
    ci_high: float
    ci_method: str
    test: str
    statistic: float
    statistic_name: str
    p_value: float
    effect_size: float
    effect_size_name: str
    options: dict[str, Any] = field(default_factory=dict)


def two_proportions(
    count1: int, n1: int, count2: int, n2: int, ci: float = 0.95
) -> TwoProportionsResult:
    """Compare two independent proportions: difference ``p2 - p1`` with a Newcombe interval and a test.

    * Interval: Newcombe's hybrid score interval (method 10 of Newcombe 1998b), via
      :func:`statsmodels.stats.proportion.confint_proportions_2indep` (``method="newcomb"``); it combines two
      Wilson intervals and behaves well for small samples and proportions near 0 or 1.
    * Test: when every expected count of the 2x2 table is at least 5, the score test
      (:func:`statsmodels.stats.proportion.test_proportions_2indep`, ``method="score"``, no small-sample
      correction, which equals Pearson's chi-square test without continuity correction); otherwise Fisher's
      exact test (:func:`scipy.stats.fisher_exact`, two-sided). ``test`` says which was used.
    * Effect size: Cohen's h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1)) (Cohen 1988, ch. 6; 0.2 small, 0.5 medium,
      0.8 large).

    Returns
    -------
    TwoProportionsResult
        With NaN estimates (and ``test == "none"``) when either group is empty.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions: comparison
    of eleven methods. Statistics in Medicine 17, 873-890.
    Cohen, J. (1988). Statistical power analysis for the behavioral sciences, 2nd ed.

    Examples
    --------
    >>> r = two_proportions(48, 80, 56, 70)
    >>> round(r.difference, 4), round(r.ci_low, 4), round(r.ci_high, 4), r.test
    (0.2, 0.0524, 0.3339, 'score test for two proportions')
    >>> two_proportions(3, 4, 1, 4).test
    "Fisher's exact test"
    """
    for c, n in ((count1, n1), (count2, n2)):
        if n < 0 or c < 0 or c > n:
            raise ValueError("two_proportions needs 0 <= count <= n in both groups")
    alpha = 1 - ci
    if n1 == 0 or n2 == 0:
        nan = float("nan")
        return TwoProportionsResult(
            p1=count1 / n1 if n1 else nan,
            p2=count2 / n2 if n2 else nan,
            n1=int(n1),
            n2=int(n2),
            difference=nan,
            ci_low=nan,
            ci_high=nan,
            ci_method="Newcombe hybrid score",
            test="none",
            statistic=nan,
            statistic_name="",
            p_value=nan,
            effect_size=nan,
            effect_size_name="Cohen's h",
            options={"reason": "a group has no observations"},
        )
    p1, p2 = count1 / n1, count2 / n2
    # statsmodels compares its first argument with its second (p_a - p_b): pass group 2 first for p2 - p1.
    low, high = _smprop.confint_proportions_2indep(
        count2, n2, count1, n1, method="newcomb", compare="diff", alpha=alpha
    )
    table = np.array([[count1, n1 - count1], [count2, n2 - count2]], dtype="float64")
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if np.any(expected < 5):
        res = _sps.fisher_exact(table.astype(int), alternative="two-sided")
        test, stat, stat_name, pval = (
            "Fisher's exact test",
            float(res.statistic),
            "sample odds ratio",
            float(res.pvalue),
        )
        options: dict[str, Any] = {"alternative": "two-sided", "reason": "an expected count < 5"}
    else:
        with np.errstate(
            divide="ignore", invalid="ignore"
        ):  # statsmodels also computes an unused odds ratio
            res = _smprop.test_proportions_2indep(
                count2,
                n2,
                count1,
                n1,
                method="score",
                compare="diff",
                correction=False,
                alternative="two-sided",
            )
        test, stat, stat_name, pval = (
            "score test for two proportions",
            float(res.statistic),
            "z",
            float(res.pvalue),
        )
        options = {"alternative": "two-sided", "correction": False}
    h = 2 * np.arcsin(np.sqrt(p2)) - 2 * np.arcsin(np.sqrt(p1))
    return TwoProportionsResult(
        p1=p1,
        p2=p2,
        n1=int(n1),
        n2=int(n2),
        difference=p2 - p1,
        ci_low=float(low),
        ci_high=float(high),
        ci_method="Newcombe hybrid score",
        test=test,
        statistic=stat,
        statistic_name=stat_name,
        p_value=pval,
        effect_size=float(h),
        effect_size_name="Cohen's h",
        options={**options, "ci": ci},
    )
