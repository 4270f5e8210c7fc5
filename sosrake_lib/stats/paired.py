"""Paired change: Wilcoxon signed-rank test of post - pre with rank-biserial r, Holm across items.

:func:`paired_change` (result: :class:`PairedChangeResult`) and :func:`paired_change_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .inputs import _to_float, tie_safe
from .multiplicity import holm

ZeroMethod = Literal["wilcox", "pratt", "zsplit"]
Alternative = Literal["two-sided", "less", "greater"]


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
        """Number of complete pairs (alias of ``n_pairs``: every result reports its n)."""
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

    Differences are ranked after :func:`~sosrake_lib.stats.inputs.tie_safe` (rounded to 9 decimals): area
    means lie on a 1/k grid, and 4 - 10/3 must tie with 10/3 - 8/3 although floating point makes them differ in
    the 16th digit. Counts of increases, decreases and zeros use the same rounded differences; the mean and
    median change are computed from the differences as they are.

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

    Two differences of 2/3 (one computed as 4 - 10/3, one as 10/3 - 8/3) are one tie, not two ranks:

    >>> r = paired_change([8 / 3, 4], [10 / 3, 10 / 3])
    >>> r.w_plus, r.w_minus, r.effect_size, r.method
    (1.5, 1.5, 0.0, 'permutation')
    """
    if zero_method not in ("wilcox", "pratt", "zsplit"):
        raise ValueError(f"zero_method must be 'wilcox', 'pratt' or 'zsplit', not {zero_method!r}")
    a, b, n_dropped = _pair_up(pre, post)
    # pairs in value order: the sums (mean change) then never depend on row order or on the pseudonym key
    # that ordered the ids, so two keys or a re-sorted export give the same figures to the last bit
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    d_exact = b - a
    # equal differences on paper are equal ties (4 - 10/3 and 10/3 - 8/3 differ only by float noise)
    d = tie_safe(d_exact)
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
    qci = _sps.quantile_test(d_exact, q=0, p=0.5).confidence_interval(confidence_level=ci)
    descriptive = dict(
        median_pre=float(np.median(a)),
        median_post=float(np.median(b)),
        median_change=float(np.median(d_exact)),
        median_change_ci_low=float(qci.low),
        median_change_ci_high=float(qci.high),
        mean_change=float(d_exact.mean()),
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
