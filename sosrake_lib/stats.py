"""Statistical tests and intervals for the SOSRAKE surveys, each result naming its test, options and effect size.

House rules (see DESIGN.md, "Statistics house rules"): every result says which test was run, with which options,
and which effect size it reports; families of tests are Holm-corrected; non-substantive answers ("En osaa sanoa")
arrive here as NaN and are left out of tests and counted.

The arithmetic is delegated to scipy and statsmodels wherever they implement the method: they are well tested
against reference software, and a thin wrapper here only pairs data, chooses the method the way the house rules
ask and reports the result in one tidy shape. Hand-written code is limited to effect sizes that the libraries do
not return (rank-biserial correlation, epsilon-squared, Cohen's h) and to bookkeeping.

Public functions
----------------
proportion_ci, two_proportions                      -- Wilson / Newcombe intervals, score or Fisher test
paired_change, paired_change_table                  -- Wilcoxon signed-rank with rank-biserial r
compare_groups, compare_groups_table, two_sample_ordinal -- Mann-Whitney U / Kruskal-Wallis H with effect sizes
holm                                                -- Holm step-down adjustment, NaN-transparent
ordinal_logit                                       -- proportional-odds (cumulative logit) regression
logistic_regression                                 -- binary logistic regression with EPV and separation checks

Examples
--------
>>> lo, hi = proportion_ci(81, 263)
>>> round(lo, 4), round(hi, 4)
(0.2553, 0.3662)
>>> res = paired_change([1, 2, 3, 4, 5, 3], [2, 2, 5, 3, 5, 5])
>>> res.test, res.zero_method, res.w_plus, res.effect_size
('Wilcoxon signed-rank', 'wilcox', 8.5, 0.7)
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as _sps
from statsmodels.stats import (
    proportion as _smprop,
)  # module import: pytest must not collect test_* names
from statsmodels.stats.multitest import multipletests

__all__ = [
    "CompareResult",
    "LogitResult",
    "OrdinalResult",
    "PairedChangeResult",
    "TwoProportionsResult",
    "compare_groups",
    "compare_groups_table",
    "holm",
    "logistic_regression",
    "ordinal_logit",
    "paired_change",
    "paired_change_table",
    "proportion_ci",
    "two_proportions",
    "two_sample_ordinal",
]

ZeroMethod = Literal["wilcox", "pratt", "zsplit"]
Alternative = Literal["two-sided", "less", "greater"]


# --------------------------------------------------------------------------------------------------- helpers
def _to_float(values: Any) -> np.ndarray:
    """Values as a float64 array with NaN for missing (pd.NA, None and NaN alike)."""
    if isinstance(values, pd.Series | pd.Index):
        return pd.to_numeric(pd.Series(values)).to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _group_levels(series: pd.Series) -> list[Any]:
    """Group labels in their natural order: category order for categoricals, sorted order otherwise."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    return sorted(series.dropna().unique().tolist())


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


# ------------------------------------------------------------------------------------------------------- Holm
def holm(p_values: Any) -> np.ndarray:
    """Holm step-down adjusted p-values; NaNs are passed through and do not count as members of the family.

    Wraps :func:`statsmodels.stats.multitest.multipletests` (``method="holm"``), which also enforces
    monotonicity and caps at 1. Its Holm branch ends with an explicit ``gc.collect()``: a full garbage
    collection over every object of a notebook kernel (~0.1 s each with pandas, matplotlib and statsmodels
    loaded, several calls per analysis). The objects that exist before the call are frozen for its duration
    (:func:`gc.freeze`, moved back by :func:`gc.unfreeze`), so that collection only looks at what the call
    itself made; nothing that is garbage is kept for longer than until the next collection.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statistics 6, 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.01, float("nan"), 0.04]).round(4).tolist()
    [0.02, nan, 0.04]
    """
    p = np.asarray(p_values, dtype="float64").copy()
    ok = ~np.isnan(p)
    if ok.any():
        own_freeze = gc.get_freeze_count() == 0  # leave a caller's own gc.freeze() alone
        if own_freeze:
            gc.freeze()
        try:
            p[ok] = multipletests(p[ok], method="holm")[1]
        finally:
            if own_freeze:
                gc.unfreeze()
    return p


# -------------------------------------------------------------------------------------------- paired change
@dataclass(frozen=True)
class PairedChangeResult:
    """Wilcoxon signed-rank test of paired change (post - pre), with rank-biserial r.

    ``statistic`` is scipy's statistic: for a two-sided test the smaller of W+ and W-, for a one-sided test W+.
    ``w_plus`` / ``w_minus`` are the rank sums of positive / negative differences over the same ranking the test
    used (zero differences dropped with "wilcox", ranked but not summed with "pratt", their ranks split half
    and half with "zsplit"). ``method`` is how scipy computed the p-value: "exact", "permutation" (exact
    enumeration of the 2**n sign flips, used by scipy for n <= 13 with ties or zeros), "asymptotic", or
    "none" when all differences are zero (then p = 1.0 and effect 0 by convention: no change was observed).
    """

    n_pairs: int
    n_dropped: int
    n_increase: int
    n_decrease: int
    n_zero: int
    median_pre: float
    median_post: float
    median_change: float
    median_change_ci_low: float
    median_change_ci_high: float
    mean_change: float
    statistic: float
    w_plus: float
    w_minus: float
    p_value: float
    zero_method: str
    alternative: str
    method: str
    effect_size: float
    effect_size_name: str = "rank-biserial r"
    test: str = "Wilcoxon signed-rank"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of complete pairs (alias of ``n_pairs``, the "n" promised in DESIGN.md)."""
        return self.n_pairs

    def as_dict(self) -> dict[str, Any]:
        """The result as a flat dict (``options`` as a string), e.g. for a table row."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["options"] = ", ".join(f"{k}={v}" for k, v in self.options.items())
        return out


def _scipy_wilcoxon_method(d: np.ndarray, zero_method: str) -> str:
    """Replicate scipy 1.13+'s ``method="auto"`` choice for ``wilcoxon`` so that the result can name it."""
    n = d.size
    if n > 50:
        return "asymptotic"
    n_zero = int(np.sum(d == 0))
    ranked = np.abs(d[d != 0]) if zero_method == "wilcox" else np.abs(d)
    has_ties = np.unique(ranked).size < ranked.size
    if not has_ties and n_zero == 0:
        return "exact"
    return "permutation" if n <= 13 else "asymptotic"


def _pair_up(pre: Any, post: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs by index label for two Series, by position otherwise; returns complete pairs and the dropped count."""
    if isinstance(pre, pd.Series) and isinstance(post, pd.Series):
        if not (pre.index.is_unique and post.index.is_unique):
            raise ValueError("paired_change pairs Series by index label: the index must be unique")
        pre, post = pre.align(post, join="outer")
    a, b = _to_float(pre), _to_float(post)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(
            f"pre and post must be 1-D and of equal length (got {a.shape} and {b.shape})"
        )
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok], int((~ok).sum())


def paired_change(
    pre: Any,
    post: Any,
    *,
    zero_method: ZeroMethod = "wilcox",
    alternative: Alternative = "two-sided",
    ci: float = 0.95,
) -> PairedChangeResult:
    """Change between paired measurements (``post - pre``): Wilcoxon signed-rank test and rank-biserial r.

    The test is :func:`scipy.stats.wilcoxon` with ``method="auto"`` (scipy picks the exact null distribution,
    an exact permutation over sign flips when there are ties or zeros and n <= 13, or the normal approximation
    with tie correction; ``method`` in the result says which). Likert data have many ties and zero
    differences, so ``zero_method`` matters and is always reported:

    * ``"wilcox"`` (default): zero differences are dropped before ranking (Wilcoxon 1945);
    * ``"pratt"``: zeros are ranked with the others, then left out of the rank sums (Pratt 1959);
    * ``"zsplit"``: zeros are ranked and their ranks split equally between W+ and W-.

    The effect size is the matched-pairs rank-biserial correlation r = (W+ - W-) / S (Kerby 2014), where S is
    the sum of all ranks in the ranking the test used (S = W+ + W- for "wilcox" and "zsplit"; for "pratt" S
    also holds the ranks of the zero differences, which makes it equal to the "zsplit" value). It runs from -1
    (every pair decreased) to 1 (every pair increased); scipy does not return it, hence the few lines here.

    The interval for the median change is the distribution-free order-statistic interval of
    :func:`scipy.stats.quantile_test` (sign-test inversion; conservative with tied Likert values).

    Parameters
    ----------
    pre, post : pandas Series (paired by index label) or equal-length array-likes (paired by position)
        NaN marks a missing answer; a pair with either value missing is dropped and counted in ``n_dropped``.
    zero_method : {"wilcox", "pratt", "zsplit"}
    alternative : {"two-sided", "less", "greater"}
        "greater" tests whether post tends to exceed pre.
    ci : float
        Confidence level of the interval for the median change.

    Returns
    -------
    PairedChangeResult
        No pairs: counts 0 and NaN statistics (``method == "none"``). All differences zero: statistic 0,
        p = 1.0, effect 0, ``method == "none"``; no exception.

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin 1, 80-83.
    Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank procedures. JASA 54, 655-667.
    Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric correlation.
    Comprehensive Psychology 3, 11.IT.3.1.

    Examples
    --------
    Differences [1, 0, 2, -1, 0, 2]; zeros dropped; |d| = [1, 2, 1, 2] get ranks [1.5, 3.5, 1.5, 3.5]:

    >>> r = paired_change([1, 2, 3, 4, 5, 3], [2, 2, 5, 3, 5, 5])
    >>> r.n_pairs, r.n_zero, r.w_plus, r.w_minus, r.statistic, r.effect_size, r.method
    (6, 2, 8.5, 1.5, 1.5, 0.7, 'permutation')
    >>> paired_change([3, 3], [3, 3]).p_value
    1.0
    """
    if zero_method not in ("wilcox", "pratt", "zsplit"):
        raise ValueError(f"zero_method must be 'wilcox', 'pratt' or 'zsplit', not {zero_method!r}")
    a, b, n_dropped = _pair_up(pre, post)
    d = b - a
    n = int(d.size)
    nan = float("nan")
    options: dict[str, Any] = {
        "alternative": alternative,
        "correction": False,
        "method": "auto",
        "ci": ci,
    }
    common: dict[str, Any] = dict(
        n_pairs=n,
        n_dropped=n_dropped,
        n_increase=int((d > 0).sum()),
        n_decrease=int((d < 0).sum()),
        n_zero=int((d == 0).sum()),
        zero_method=zero_method,
        alternative=alternative,
        options=options,
    )
    if n == 0:
        return PairedChangeResult(
            **common,
            median_pre=nan,
            median_post=nan,
            median_change=nan,
            median_change_ci_low=nan,
            median_change_ci_high=nan,
            mean_change=nan,
            statistic=nan,
            w_plus=nan,
            w_minus=nan,
            p_value=nan,
            method="none",
            effect_size=nan,
        )
    qci = _sps.quantile_test(d, q=0, p=0.5).confidence_interval(confidence_level=ci)
    descriptive = dict(
        median_pre=float(np.median(a)),
        median_post=float(np.median(b)),
        median_change=float(np.median(d)),
        median_change_ci_low=float(qci.low),
        median_change_ci_high=float(qci.high),
        mean_change=float(d.mean()),
    )
    if common["n_zero"] == n:
        return PairedChangeResult(
            **common,
            **descriptive,
            statistic=0.0,
            w_plus=0.0,
            w_minus=0.0,
            p_value=1.0,
            method="none",
            effect_size=0.0,
        )
    # Rank sums over exactly the ranking scipy's test uses (average ranks for ties).
    if zero_method == "wilcox":
        kept = d[d != 0]
        ranks = _sps.rankdata(np.abs(kept))
        w_plus, w_minus = ranks[kept > 0].sum(), ranks[kept < 0].sum()
    else:
        ranks = _sps.rankdata(np.abs(d))
        w_plus, w_minus = ranks[d > 0].sum(), ranks[d < 0].sum()
        if zero_method == "zsplit":
            half_zero = ranks[d == 0].sum() / 2
            w_plus, w_minus = w_plus + half_zero, w_minus + half_zero
    effect = (w_plus - w_minus) / ranks.sum()
    res = _sps.wilcoxon(d, zero_method=zero_method, alternative=alternative, method="auto")
    return PairedChangeResult(
        **common,
        **descriptive,
        statistic=float(res.statistic),
        w_plus=float(w_plus),
        w_minus=float(w_minus),
        p_value=float(res.pvalue),
        method=_scipy_wilcoxon_method(d, zero_method),
        effect_size=float(effect),
    )


def paired_change_table(
    pre_df: pd.DataFrame,
    post_df: pd.DataFrame,
    columns: Sequence[str],
    *,
    zero_method: ZeroMethod = "wilcox",
) -> pd.DataFrame:
    """:func:`paired_change` for each column, pairing rows by index label, with Holm-adjusted p (``p_holm``).

    The Holm family is the set of columns given (NaN p-values, e.g. columns without pairs, are not counted).

    Examples
    --------
    >>> pre = pd.DataFrame({"Q1": [1, 2, 3, 4], "Q2": [2, 2, 2, 2]})
    >>> post = pd.DataFrame({"Q1": [2, 3, 4, 5], "Q2": [2, 2, 2, 2]})
    >>> t = paired_change_table(pre, post, ["Q1", "Q2"])
    >>> t[["column", "n_pairs", "effect_size", "p_value"]].values.tolist()
    [['Q1', 4, 1.0, 0.125], ['Q2', 4, 0.0, 1.0]]
    """
    rows = []
    for col in columns:
        res = paired_change(pre_df[col], post_df[col], zero_method=zero_method)
        rows.append({"column": col, **res.as_dict()})
    table = pd.DataFrame(rows)
    table.insert(table.columns.get_loc("p_value") + 1, "p_holm", holm(table["p_value"].to_numpy()))
    return table


# ----------------------------------------------------------------------------------------- group comparisons
@dataclass(frozen=True)
class CompareResult:
    """Group comparison: descriptive table per group plus the omnibus rank test and its effect size.

    ``table`` has one row per group (index = group label): n, median, mean, sd (n - 1 denominator), q1, q3
    (linear interpolation, numpy's default) and ``in_test``. For two groups ``effect_size`` is the
    rank-biserial r = 1 - 2 U1 / (n1 n2), where U1 is the U of the first group: r > 0 means the SECOND group
    (``groups[1]``) tends to have higher values. It equals Cliff's delta of the second group against the
    first, P(Y > X) - P(Y < X).
    """

    test: str
    statistic: float
    p_value: float
    df: float
    effect_size: float
    effect_size_name: str
    n: int
    groups: tuple[Any, ...]
    excluded_groups: tuple[Any, ...]
    table: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    n_missing: int = 0


def _describe(values: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return {"n": 0, "median": np.nan, "mean": np.nan, "sd": np.nan, "q1": np.nan, "q3": np.nan}
    return {
        "n": int(values.size),
        "median": float(np.median(values)),
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)) if values.size > 1 else np.nan,
        "q1": float(np.quantile(values, 0.25)),
        "q3": float(np.quantile(values, 0.75)),
    }


def _compare_samples(
    samples: dict[Any, np.ndarray], min_n: int, n_missing: int = 0
) -> CompareResult:
    """Core of :func:`compare_groups`: samples are NaN-free arrays keyed by group label, in order."""
    table = pd.DataFrame({g: _describe(x) for g, x in samples.items()}).T
    table["n"] = table["n"].astype("int64")
    threshold = max(int(min_n), 1)
    included = tuple(g for g, x in samples.items() if x.size >= threshold)
    excluded = tuple(g for g in samples if g not in included)
    table["in_test"] = [g in included for g in samples]
    table.index.name = "group"
    xs = [samples[g] for g in included]
    n = int(sum(x.size for x in xs))
    nan = float("nan")
    base: dict[str, Any] = dict(
        groups=included, excluded_groups=excluded, table=table, n=n, n_missing=n_missing
    )
    opts: dict[str, Any] = {"min_n": threshold}
    if len(xs) < 2:
        return CompareResult(
            test="none (fewer than 2 groups)",
            statistic=nan,
            p_value=nan,
            df=nan,
            effect_size=nan,
            effect_size_name="",
            options=opts,
            **base,
        )
    if len(xs) == 2:
        x, y = xs
        res = _sps.mannwhitneyu(x, y, alternative="two-sided", method="auto", use_continuity=True)
        u1 = float(res.statistic)
        ties = np.unique(np.concatenate([x, y])).size < x.size + y.size
        method = (
            "asymptotic" if (x.size > 8 and y.size > 8) or ties else "exact"
        )  # scipy's "auto" rule
        return CompareResult(
            test="Mann-Whitney U",
            statistic=u1,
            p_value=float(res.pvalue),
            df=nan,
            effect_size=1.0 - 2.0 * u1 / (x.size * y.size),
            effect_size_name=f"rank-biserial r (> 0: {included[1]} higher than {included[0]})",
            options={
                **opts,
                "alternative": "two-sided",
                "method": method,
                "use_continuity": True,
                "statistic": f"U of {included[0]}",
            },
            **base,
        )
    k = len(xs)
    if (
        np.ptp(np.concatenate(xs)) == 0
    ):  # all values identical: H is 0/0 in scipy; no evidence of a difference
        h, p = 0.0, 1.0
    else:
        res = _sps.kruskal(*xs)
        h, p = float(res.statistic), float(res.pvalue)
    return CompareResult(
        test="Kruskal-Wallis H",
        statistic=h,
        p_value=p,
        df=float(k - 1),
        effect_size=h / (n - 1),
        effect_size_name="epsilon-squared",
        options={**opts, "tie_correction": True},
        **base,
    )


def compare_groups(df: pd.DataFrame, value: str, group: str, *, min_n: int = 1) -> CompareResult:
    """Compare a numeric value (item or scale score) between groups with a rank test.

    * 2 groups: Mann-Whitney U (:func:`scipy.stats.mannwhitneyu`, two-sided, ``method="auto"``: exact when a
      group has <= 8 values and there are no ties, else normal approximation with tie and continuity
      correction). Effect size: rank-biserial r = 1 - 2 U1 / (n1 n2) (Wendt 1972; Kerby 2014), positive when the
      second group is higher; identical to Cliff's delta (Cliff 1993) of the second group vs the first.
    * 3 or more groups: Kruskal-Wallis H (:func:`scipy.stats.kruskal`, tie-corrected, chi-square reference with
      k - 1 df). Effect size: epsilon-squared E_R^2 = H / ((n^2 - 1) / (n + 1)) = H / (n - 1)
      (Tomczak & Tomczak 2014). If all values are identical H is undefined (0/0); we report H = 0, p = 1.

    Groups are ordered by category order (categoricals) or sorted; rows with a missing group or value are left
    out and counted in ``n_missing``. Groups with fewer than ``min_n`` valid values (and empty categories)
    stay in ``table`` but are left out of the test and listed in ``excluded_groups``.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947). Ann. Math. Statist. 18, 50-60.
    Kruskal, W. H., & Wallis, W. A. (1952). JASA 47, 583-621.
    Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited. Trends in Sport
    Sciences 21(1), 19-25.
    Kerby, D. S. (2014). Comprehensive Psychology 3, 11.IT.3.1.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3, "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    >>> r = compare_groups(df, "x", "g")
    >>> r.test, r.statistic, r.effect_size, round(r.p_value, 4)
    ('Mann-Whitney U', 0.0, 1.0, 0.1)
    """
    sub = df[[group, value]]
    keep = sub[group].notna() & sub[value].notna()
    levels = _group_levels(sub[group])
    data = sub[keep]
    vals = _to_float(data[value])
    labels = data[group].to_numpy(dtype=object)
    samples = {g: vals[labels == g] for g in levels}
    return _compare_samples(samples, min_n=min_n, n_missing=int((~keep).sum()))


def compare_groups_table(
    df: pd.DataFrame, values: Sequence[str], group: str, min_n: int = 1, alpha: float = 0.05
) -> pd.DataFrame:
    """:func:`compare_groups` for each value column; Holm-adjusted p across the family (``p_holm``) and
    ``significant`` (``p_holm < alpha``, default 0.05).

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4,
    ...                    "x": [1, 2, 3, 4, 5, 6, 7, 8], "y": [1, 2, 1, 2, 1, 2, 1, 2]})
    >>> t = compare_groups_table(df, ["x", "y"], "g")
    >>> t[["value", "effect_size", "significant"]].values.tolist()
    [['x', 1.0, False], ['y', 0.0, False]]
    """
    rows = []
    for v in values:
        r = compare_groups(df, v, group, min_n=min_n)
        rows.append(
            {
                "value": v,
                "test": r.test,
                "n": r.n,
                "n_groups": len(r.groups),
                "statistic": r.statistic,
                "df": r.df,
                "p_value": r.p_value,
                "effect_size": r.effect_size,
                "effect_size_name": r.effect_size_name,
                "excluded_groups": ", ".join(map(str, r.excluded_groups)),
                "n_missing": r.n_missing,
            }
        )
    table = pd.DataFrame(rows)
    p_holm = holm(table["p_value"].to_numpy())
    table.insert(table.columns.get_loc("p_value") + 1, "p_holm", p_holm)
    table.insert(
        table.columns.get_loc("p_holm") + 1, "significant", np.nan_to_num(p_holm, nan=1.0) < alpha
    )
    return table


def two_sample_ordinal(x: Any, y: Any, labels: tuple[str, str] = ("x", "y")) -> CompareResult:
    """Mann-Whitney U with rank-biserial r for two independent samples (e.g. one item in two semesters).

    The same computation as :func:`compare_groups` with two groups; ``effect_size > 0`` means ``y`` tends to
    be higher than ``x``. NaNs are dropped and counted in ``n_missing``.

    Examples
    --------
    >>> r = two_sample_ordinal([1, 2, 2, 3], [3, 4, 4, 5], labels=("2021", "2022"))
    >>> r.test, r.statistic, r.effect_size
    ('Mann-Whitney U', 0.5, 0.9375)
    """
    a, b = _to_float(x), _to_float(y)
    n_missing = int(np.isnan(a).sum() + np.isnan(b).sum())
    return _compare_samples({labels[0]: a[~np.isnan(a)], labels[1]: b[~np.isnan(b)]}, 1, n_missing)


# ----------------------------------------------------------------------------------------------- regression
def _design(data: pd.DataFrame, predictors: Sequence[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Numeric predictors as they are; others dummy-coded with the first level (category order or sorted) as
    the reference. Returns the design matrix (no constant) and {predictor: reference level}."""
    columns: dict[str, np.ndarray] = {}
    references: dict[str, Any] = {}
    for p in predictors:
        s = data[p]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            columns[p] = _to_float(s)
            continue
        levels = [lv for lv in _group_levels(s) if (s == lv).any()]
        if len(levels) < 2:
            raise ValueError(f"predictor {p!r} has fewer than two observed levels: {levels}")
        references[p] = levels[0]
        values = s.to_numpy(dtype=object)
        for lv in levels[1:]:
            columns[f"{p}[T.{lv}]"] = (values == lv).astype("float64")
    return pd.DataFrame(columns, index=data.index), references


def _tidy(
    params: pd.Series, bse: pd.Series, pvalues: pd.Series, conf: pd.DataFrame
) -> pd.DataFrame:
    with np.errstate(over="ignore"):
        return _tidy_unguarded(params, bse, pvalues, conf)


def _tidy_unguarded(
    params: pd.Series, bse: pd.Series, pvalues: pd.Series, conf: pd.DataFrame
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": list(params.index),
            "coef": params.to_numpy(dtype=float),
            "se": bse.to_numpy(dtype=float),
            "odds_ratio": np.exp(params.to_numpy(dtype=float)),
            "ci_low": np.exp(conf.iloc[:, 0].to_numpy(dtype=float)),
            "ci_high": np.exp(conf.iloc[:, 1].to_numpy(dtype=float)),
            "p_value": pvalues.to_numpy(dtype=float),
        }
    )


@dataclass(frozen=True)
class OrdinalResult:
    """Proportional-odds model: tidy ``table`` (term, coef, se, odds_ratio, ci_low, ci_high, p_value; the CI
    is for the odds ratio, Wald, on the exp scale), estimated cut-points ``thresholds`` and the likelihood-ratio
    test against the threshold-only model."""

    table: pd.DataFrame
    thresholds: pd.Series
    n: int
    n_dropped: int
    converged: bool
    estimable: bool
    llf: float
    llnull: float
    lr_stat: float
    lr_df: int
    lr_p: float
    outcome_levels: tuple[Any, ...]
    reference_levels: dict[str, Any]
    warning: str = ""
    test: str = "likelihood-ratio test vs threshold-only model"
    model: str = "proportional-odds (cumulative logit) regression"
    effect_size_name: str = "odds ratio"
    options: dict[str, Any] = field(default_factory=dict)


def _empty_table(terms: Sequence[str]) -> pd.DataFrame:
    nan = np.full(len(terms), np.nan)
    return pd.DataFrame(
        {
            "term": list(terms),
            "coef": nan,
            "se": nan,
            "odds_ratio": nan,
            "ci_low": nan,
            "ci_high": nan,
            "p_value": nan,
        }
    )


def ordinal_logit(
    df: pd.DataFrame, outcome: str, predictors: Sequence[str], ci: float = 0.95
) -> OrdinalResult:
    """Proportional-odds ordinal logistic regression of an ordered numeric outcome (e.g. item codes 1-5).

    Fitted with :class:`statsmodels.miscmodels.ordinal_model.OrderedModel` (``distr="logit"``,
    ``method="bfgs"``), the maintained maximum-likelihood implementation in statsmodels. The latent-variable
    parametrisation is y* = x'b + e, so a positive coefficient (odds ratio > 1) means higher outcome
    categories are more likely. Categorical (string, categorical or boolean) predictors are dummy-coded with
    the first level as the reference (``reference_levels``); numeric predictors enter as they are. Rows with a
    missing outcome or predictor are dropped (``n_dropped``). Outcome categories are the observed distinct
    values in numeric order.

    The likelihood-ratio test compares with the threshold-only model, whose maximum log-likelihood is
    sum_k n_k log(n_k / n) (it reproduces the observed marginal distribution exactly), so it does not depend on
    a second numerical fit. Convergence problems do not raise: ``converged`` is False and ``warning`` says why.
    Separation (|coef| > 10 or undefined standard errors) gives ``estimable=False`` and a NaN table.
    The proportional-odds assumption itself is not tested here.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. JRSS B 42, 109-142.
    Agresti, A. (2010). Analysis of Ordinal Categorical Data, 2nd ed., ch. 3.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"g": np.repeat(["A", "B"], 100)})
    >>> latent = (d["g"] == "B") * 1.0 + rng.logistic(size=200)
    >>> d["y"] = np.digitize(latent, [-1.0, 0.0, 1.0]) + 1.0
    >>> r = ordinal_logit(d, "y", ["g"])
    >>> r.table["term"].tolist(), r.reference_levels, r.converged, r.lr_df
    (['g[T.B]'], {'g': 'A'}, True, 1)
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = df[[outcome, *predictors]]
    complete = data[data.notna().all(axis=1)]
    n, n_dropped = len(complete), len(data) - len(complete)
    y_num = _to_float(complete[outcome])
    levels = tuple(np.unique(y_num).tolist())
    exog, references = _design(complete, predictors)
    options = {"distr": "logit", "method": "bfgs", "ci": ci, "missing": "listwise"}
    counts = np.array([(y_num == lv).sum() for lv in levels], dtype=float)
    llnull = float(np.sum(counts * np.log(counts / n))) if n else float("nan")
    nan = float("nan")
    fail = dict(
        thresholds=pd.Series(dtype=float),
        n=n,
        n_dropped=n_dropped,
        converged=False,
        estimable=False,
        llf=nan,
        llnull=llnull,
        lr_stat=nan,
        lr_df=exog.shape[1],
        lr_p=nan,
        outcome_levels=levels,
        reference_levels=references,
        options=options,
    )
    if len(levels) < 2:
        return OrdinalResult(
            table=_empty_table(list(exog.columns)),
            warning="the outcome has fewer than two observed categories",
            **fail,
        )
    endog = pd.Series(
        pd.Categorical(y_num, categories=list(levels), ordered=True), index=complete.index
    )
    messages: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = OrderedModel(endog, exog, distr="logit")
            res = model.fit(method="bfgs", disp=False, maxiter=2000, gtol=1e-7)
        messages = sorted({str(w.message).splitlines()[0] for w in caught})
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as exc:
        return OrdinalResult(
            table=_empty_table(list(exog.columns)), warning=f"model not estimable: {exc}", **fail
        )
    converged = bool(res.mle_retvals.get("converged", False))
    if not converged:
        messages.insert(0, "the optimiser did not converge; estimates are unreliable")
    k = exog.shape[1]
    params, bse, pvalues = res.params.iloc[:k], res.bse.iloc[:k], res.pvalues.iloc[:k]
    if not np.all(np.isfinite(bse)) or np.any(np.abs(params) > 10):
        messages.insert(
            0,
            "model not estimable: extreme coefficients or undefined standard errors, probably "
            "separation (a group entirely in the lowest or highest category)",
        )
        return OrdinalResult(
            table=_empty_table(list(exog.columns)),
            warning="; ".join(messages),
            **{**fail, "converged": converged, "llf": float(res.llf)},
        )
    conf = res.conf_int(alpha=1 - ci).iloc[:k]
    cuts = model.transform_threshold_params(res.params.to_numpy())[1:-1]
    shown = [int(lv) if float(lv).is_integer() else lv for lv in levels]
    names = [f"{a}|{b}" for a, b in zip(shown[:-1], shown[1:], strict=True)]
    lr_stat = 2 * (float(res.llf) - llnull)
    return OrdinalResult(
        table=_tidy(params, bse, pvalues, conf),
        thresholds=pd.Series(cuts, index=names, name="threshold"),
        n=n,
        n_dropped=n_dropped,
        converged=converged,
        estimable=True,
        llf=float(res.llf),
        llnull=llnull,
        lr_stat=lr_stat,
        lr_df=k,
        lr_p=float(_sps.chi2.sf(lr_stat, k)) if k else nan,
        outcome_levels=levels,
        reference_levels=references,
        warning="; ".join(messages),
        options=options,
    )


@dataclass(frozen=True)
class LogitResult:
    """Binary logistic regression: tidy ``table`` (term incl. Intercept, coef, se, odds_ratio, ci_low, ci_high
    [Wald CI of the odds ratio], p_value), sample sizes, events per parameter and a plain-language ``warning``.
    ``estimable`` is False when (quasi-)separation or a failed fit makes the estimates meaningless; the table
    is then NaN."""

    table: pd.DataFrame
    n: int
    n_dropped: int
    n_events: int
    n_parameters: int
    epv: float
    converged: bool
    estimable: bool
    llf: float
    lr_stat: float
    lr_df: int
    lr_p: float
    reference_levels: dict[str, Any]
    warning: str = ""
    test: str = "Wald z per coefficient; likelihood-ratio test vs intercept-only model"
    model: str = "binary logistic regression (maximum likelihood)"
    effect_size_name: str = "odds ratio"
    options: dict[str, Any] = field(default_factory=dict)


def logistic_regression(
    df: pd.DataFrame, outcome: str, predictors: Sequence[str], ci: float = 0.95
) -> LogitResult:
    """Binary logistic regression with odds ratios, events per parameter and separation checks.

    Fitted with :class:`statsmodels.discrete.discrete_model.Logit` (Newton-Raphson), the standard maximum-
    likelihood implementation. The outcome must be 0/1 (or boolean); 1 is the event. Predictors are coded as in
    :func:`ordinal_logit`; rows with missing values are dropped (``n_dropped``).

    * EPV = min(events, non-events) / number of predictor parameters (intercept not counted); below 10 the
      estimates may be biased and the CIs too narrow (Peduzzi et al. 1996), and ``warning`` says so.
    * Separation: when a non-reference level of a categorical predictor has only events or only non-events,
      its maximum-likelihood estimate is infinite (quasi-complete separation; Albert & Anderson 1984). This is
      checked before fitting; statsmodels' perfect-prediction warning, a singular Hessian, non-convergence and
      |coef| > 10 or non-finite SEs are checked after. In all these cases the model is reported as not
      estimable (NaN table, ``estimable=False``) rather than printing meaningless odds ratios; a penalised
      (Firth) fit would be the remedy and is not offered here.

    References
    ----------
    Peduzzi, P. et al. (1996). A simulation study of the number of events per variable in logistic regression
    analysis. J Clin Epidemiol 49, 1373-1379.
    Albert, A., & Anderson, J. A. (1984). On the existence of maximum likelihood estimates in logistic
    regression models. Biometrika 71, 1-10.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20, "y": [1] * 5 + [0] * 15 + [1] * 10 + [0] * 10})
    >>> r = logistic_regression(d, "y", ["g"])
    >>> round(float(r.table.loc[1, "odds_ratio"]), 4), r.n_events, r.epv   # OR = (10/10) / (5/15) = 3
    (3.0, 15, 15.0)
    """
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

    data = df[[outcome, *predictors]]
    complete = data[data.notna().all(axis=1)]
    n, n_dropped = len(complete), len(data) - len(complete)
    y = _to_float(
        complete[outcome].astype("float64")
        if pd.api.types.is_bool_dtype(complete[outcome])
        else complete[outcome]
    )
    if not np.isin(y, [0.0, 1.0]).all():
        raise ValueError(
            f"outcome {outcome!r} must be coded 0/1 (or boolean); found {sorted(set(y.tolist()))}"
        )
    exog, references = _design(complete, predictors)
    k = exog.shape[1]
    n_events = int(y.sum())
    epv = min(n_events, n - n_events) / k if k else float("nan")
    terms = ["Intercept", *exog.columns]
    options = {"method": "newton", "ci": ci, "missing": "listwise", "event": 1}
    problems: list[str] = []
    if k and epv < 10:
        problems.append(
            f"only {epv:.1f} events per parameter (< 10): estimates may be biased (Peduzzi 1996)"
        )
    separated = [
        c
        for c in exog.columns
        if c in _dummy_columns(references, exog) and len(set(y[exog[c].to_numpy() == 1])) < 2
    ]
    nan = float("nan")
    fail = dict(
        n=n,
        n_dropped=n_dropped,
        n_events=n_events,
        n_parameters=k,
        epv=epv,
        converged=False,
        estimable=False,
        llf=nan,
        lr_stat=nan,
        lr_df=k,
        lr_p=nan,
        reference_levels=references,
        options=options,
    )
    if n_events in (0, n):
        problems.append("the outcome has no variation; model not estimable")
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    if separated:
        problems.append(
            f"separation: outcome is constant within {', '.join(separated)}; model not estimable"
        )
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    X = exog.assign(Intercept=1.0)[terms]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = Logit(y, X).fit(method="newton", disp=False, maxiter=100)
    except (PerfectSeparationError, np.linalg.LinAlgError, ValueError) as exc:
        problems.append(f"model not estimable ({type(exc).__name__}: {exc}); possibly separation")
        return LogitResult(table=_empty_table(terms), warning="; ".join(problems), **fail)
    converged = bool(res.mle_retvals.get("converged", False))
    bse = np.asarray(res.bse, dtype=float)
    params = np.asarray(res.params, dtype=float)
    reasons = []
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        reasons.append("perfect prediction detected")
    if not converged:
        reasons.append("the fit did not converge")
    if not np.all(np.isfinite(bse)) or np.any(np.abs(params) > 10):
        reasons.append("extreme coefficients or undefined standard errors")
    if reasons:
        problems.append(f"model not estimable ({'; '.join(reasons)}); probably (quasi-)separation")
        return LogitResult(
            table=_empty_table(terms),
            warning="; ".join(problems),
            **{**fail, "converged": converged},
        )
    names = pd.Index(terms)
    table = _tidy(
        pd.Series(params, index=names),
        pd.Series(bse, index=names),
        pd.Series(np.asarray(res.pvalues, dtype=float), index=names),
        pd.DataFrame(np.asarray(res.conf_int(alpha=1 - ci)), index=names),
    )
    lr_stat = float(res.llr)
    return LogitResult(
        table=table,
        n=n,
        n_dropped=n_dropped,
        n_events=n_events,
        n_parameters=k,
        epv=epv,
        converged=True,
        estimable=True,
        llf=float(res.llf),
        lr_stat=lr_stat,
        lr_df=k,
        lr_p=float(_sps.chi2.sf(lr_stat, k)) if k else nan,
        reference_levels=references,
        warning="; ".join(problems),
        options=options,
    )


def _dummy_columns(references: dict[str, Any], exog: pd.DataFrame) -> set[str]:
    return {c for c in exog.columns for p in references if c.startswith(f"{p}[T.")}
