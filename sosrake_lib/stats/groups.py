"""Group comparisons: Mann-Whitney U or Kruskal-Wallis H with their effect sizes, Holm across items.

:func:`compare_groups` (result: :class:`CompareResult`), :func:`compare_groups_table` and
:func:`two_sample_ordinal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .inputs import _group_levels, _to_float, tie_safe
from .multiplicity import holm


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
    # ranks are taken on tie_safe values: equal means on paper (10/3 from two different sums) are equal ties
    xs = [tie_safe(samples[g]) for g in included]
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
