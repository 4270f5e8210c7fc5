"""Interviews are clustered in interviewers: design effects and cluster-aware intervals and tests.

Each sosionomi student held about two interviews, and a student's interviews resemble each other (the same
way of asking, often the same service). Interviews are then not independent observations: an interval or a
p-value that treats them as independent claims more precision than the data hold. This module gives the
cluster-aware versions the analysis publishes, with the interviewer (the student's pseudonym) as the cluster:

* :func:`cluster_fit` -- a mean (``after=None``) or a difference of two means (``y ~ 1 + after``) by OLS
  (:class:`statsmodels.regression.linear_model.OLS`) with the interviewer-clustered sandwich variance
  (``cov_type="cluster"``, CR1: small-sample factor G/(G-1) (N-1)/(N-K), Liang & Zeger 1986) and a t reference
  with G - 1 degrees of freedom (Cameron & Miller 2015). Its **design effect** is ``deff = V_cluster / V_iid``,
  the cluster-robust variance of the estimate over the variance that assumes independent interviews (Kish
  1965: deff = 1 + (m - 1) ICC for clusters of m interviews with intra-cluster correlation ICC).
* :func:`wilson_effective` -- a Wilson interval on the effective sample size ``n / deff`` (deff below 1 taken
  as 1), df-adjusted with ``(z / t_{G-1})^2`` (Korn & Graubard 1998; Dean & Pagano 2015 for Wilson).
* :func:`newcombe_effective` -- Newcombe's hybrid score interval of a difference of two proportions built from
  the two :func:`wilson_effective` intervals (Newcombe 1998, method 10).
* :func:`nps_effective` -- Rocks' (2016) adjusted-Wald NPS interval with its variance times the design effect
  and a t_{G-1} quantile.
* :func:`cluster_rank_test` -- the Mann-Whitney comparison made cluster-aware: the pooled mid-ranks regressed
  on the semester with the clustered variance. Its coefficient is the difference of mean ranks, which is the
  rank-biserial r times N / 2 (Glass 1966), so the tested statistic and the published r always agree in sign;
  the variance follows the interviewers, as in the clustered rank-sum test of Rosner, Glynn & Lee (2003).

**Too few interviewers.** The clustered variance is itself estimated from the clusters and is biased down
when they are few; Cameron & Miller (2015) put "few" at roughly 20-50. :data:`MIN_CLUSTERS` = 30: below it the
published tables say so (:func:`few_clusters_note`), and the figures are to be read as a lower bound of the
uncertainty.

References
----------
Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference. Journal of Human
Resources 50(2), 317-372.
Dean, N., & Pagano, M. (2015). Evaluating confidence interval methods for binomial proportions in clustered
surveys. Journal of Survey Statistics and Methodology 3(4), 484-503.
Glass, G. V. (1966). Note on rank biserial correlation. Educational and Psychological Measurement 26, 623-631.
Kish, L. (1965). Survey Sampling. Wiley.
Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for proportions with small expected number of
positive counts estimated from survey data. Survey Methodology 24(2), 193-201.
Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear models. Biometrika
73(1), 13-22.
Rosner, B., Glynn, R. J., & Lee, M.-L. T. (2003). Incorporation of clustering effects for the Wilcoxon rank
sum test: a large-sample approach. Biometrics 59(4), 1089-1098.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps
from statsmodels.regression.linear_model import OLS

from ..fmt import Lang
from ..labels import for_analysis
from ..stats import proportion_ci, tie_safe

#: Fewer interviewers than this (in a semester or a group) and the cluster-robust figures are not to be
#: trusted (Cameron & Miller 2015: cluster-robust variances are biased down with roughly 20-50 clusters).
MIN_CLUSTERS = 30


@dataclass(frozen=True)
class ClusterFit:
    """A mean or a difference of means with its independent and its interviewer-clustered variance.

    ``estimate`` is the mean (or ``after`` minus ``before``), ``se_iid`` the usual standard error that treats
    observations as independent, ``se`` the clustered one (CR1), ``deff = (se / se_iid)^2``, ``n`` the
    observations, ``n_clusters`` the interviewers, ``df = n_clusters - 1``, ``statistic`` the t of
    ``estimate`` with ``se`` and ``p_value`` its two-sided p on ``df`` degrees of freedom.
    """

    estimate: float
    se: float
    se_iid: float
    deff: float
    n: int
    n_clusters: int
    df: int
    statistic: float
    p_value: float


_NAN_FIT = dict(
    estimate=math.nan,
    se=math.nan,
    se_iid=math.nan,
    deff=math.nan,
    statistic=math.nan,
    p_value=math.nan,
)


def cluster_fit(y: Any, clusters: Any, after: Any = None) -> ClusterFit:
    """Mean of ``y`` (or its difference between ``after`` and not) with an interviewer-clustered variance.

    Parameters
    ----------
    y : array-like of float
        The outcome per interview (a theme score, a 0/1 top-2 indicator, an NPS score of -1/0/+1, a rank).
        NaN rows are dropped together with their cluster and group.
    clusters : array-like
        The interviewer of each interview (any hashable labels).
    after : array-like of bool, optional
        ``True`` for the later semester: the estimate is then the difference of means (after - before),
        which is exactly what OLS of ``y`` on ``1 + after`` estimates.

    Returns
    -------
    ClusterFit
        NaN figures when fewer than two interviewers or no variance.

    Examples
    --------
    Three interviewers with 2, 2 and 1 interviews; by hand: mean 0.6, residual sums per interviewer
    0.8, -1.2, 0.4; CR1 variance 3/2 x 4/4 x (0.64 + 1.44 + 0.16) / 25 = 0.1344; independent variance
    s^2 / n = 0.3 / 5 = 0.06; deff = 0.1344 / 0.06 = 2.24.

    >>> f = cluster_fit([1, 1, 0, 0, 1], ["a", "a", "b", "b", "c"])
    >>> round(f.estimate, 9), round(f.se**2, 4), round(f.se_iid**2, 4), round(f.deff, 2), f.n_clusters, f.df
    (0.6, 0.1344, 0.06, 2.24, 3, 2)
    """
    y_a = np.asarray(pd.to_numeric(pd.Series(y, dtype="object"), errors="coerce"), dtype=float)
    g = pd.Series(clusters, dtype="object").to_numpy()
    a = None if after is None else np.asarray(after, dtype=bool)
    ok = ~np.isnan(y_a) & pd.notna(g)
    y_a, g = y_a[ok], g[ok]
    if a is not None:
        a = a[ok]
    codes, uniques = pd.factorize(g)
    n, n_cl = int(y_a.size), int(len(uniques))
    exog = np.ones((n, 1)) if a is None else np.column_stack([np.ones(n), a.astype(float)])
    if n_cl < 2 or n <= exog.shape[1] or (a is not None and (a.all() or not a.any())):
        return ClusterFit(n=n, n_clusters=n_cl, df=max(n_cl - 1, 0), **_NAN_FIT)
    model = OLS(y_a, exog)
    k = exog.shape[1] - 1
    # a group with no variance gives its mean a variance of 0 up to rounding (-1e-20): only the slope is used
    with np.errstate(invalid="ignore"):
        iid = model.fit()
        clu = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
        est, se, se_iid = float(clu.params[k]), float(clu.bse[k]), float(iid.bse[k])
    if not se_iid > 0:  # no variance at all: the estimate is exact, nothing to test against
        p = 1.0 if est == 0 else 0.0
        return ClusterFit(est, 0.0, 0.0, math.nan, n, n_cl, n_cl - 1, math.nan, p)
    stat = est / se if se > 0 else math.copysign(math.inf, est) if est else 0.0
    p = float(2 * _sps.t.sf(abs(stat), n_cl - 1))
    return ClusterFit(est, se, se_iid, (se / se_iid) ** 2, n, n_cl, n_cl - 1, stat, p)


def _n_eff(n: float, deff: float, n_clusters: int, ci: float) -> float:
    """Korn & Graubard's (1998) effective n: ``n / max(deff, 1)``, times ``(z / t_{G-1})^2``."""
    d = deff if np.isfinite(deff) and deff > 1 else 1.0
    n_eff = n / d
    if n_clusters >= 2:
        q = 1 - (1 - ci) / 2
        n_eff *= (_sps.norm.ppf(q) / _sps.t.ppf(q, n_clusters - 1)) ** 2
    return n_eff


def wilson_effective(
    count: float, n: float, deff: float, n_clusters: int, ci: float = 0.95
) -> tuple[float, float]:
    """Wilson interval of ``count / n`` on the effective sample size (Korn & Graubard 1998).

    The share stays ``count / n``; the interval is the Wilson interval (:func:`sosrake_lib.stats.proportion_ci`)
    of that share with ``n_eff = n / deff * (z / t_{G-1})^2`` observations (deff below 1 or unknown counts as
    1, so the interval is never narrower than with independent interviews; G = ``n_clusters``).

    Examples
    --------
    With deff 1 and very many interviewers it is the ordinary Wilson interval (Newcombe 1998: 81/263 gives
    0.2553-0.3662); with deff 2 it is the Wilson interval of half the interviews.

    >>> [round(v, 4) for v in wilson_effective(81, 263, 1.0, 10**9)]
    [0.2553, 0.3662]
    >>> np.round(wilson_effective(20, 80, 2.0, 10**9), 9).tolist() == np.round(proportion_ci(10, 40), 9).tolist()
    True
    """
    if not n > 0:
        return math.nan, math.nan
    n_eff = _n_eff(n, deff, n_clusters, ci)
    low, high = proportion_ci(count / n * n_eff, n_eff, ci)
    return float(low), float(high)


def newcombe_effective(
    p1: float,
    ci1: tuple[float, float],
    p2: float,
    ci2: tuple[float, float],
) -> tuple[float, float]:
    """Newcombe's hybrid score interval of ``p2 - p1`` from the two single-proportion intervals.

    ``L = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)``, ``U = d + sqrt((u2 - p2)^2 + (p1 - l1)^2)`` (Newcombe 1998,
    method 10); with design-adjusted Wilson limits (:func:`wilson_effective`) it is design-adjusted too.

    >>> l1, u1 = proportion_ci(56, 70); l2, u2 = proportion_ci(48, 80)  # Newcombe (1998b), example (a)
    >>> [round(v, 4) for v in newcombe_effective(56 / 70, (l1, u1), 48 / 80, (l2, u2))]
    [-0.3339, -0.0524]
    """
    d = p2 - p1
    low = d - math.sqrt((p2 - ci2[0]) ** 2 + (ci1[1] - p1) ** 2)
    high = d + math.sqrt((ci2[1] - p2) ** 2 + (p1 - ci1[0]) ** 2)
    return max(low, -1.0), min(high, 1.0)


def nps_effective(
    centre: float, variance: float, deff: float, n_clusters: int, ci: float = 0.95
) -> tuple[float, float]:
    """Adjusted-Wald NPS interval (points) with the variance times ``max(deff, 1)`` and a t_{G-1} quantile.

    ``centre`` and ``variance`` are Rocks' (2016) adjusted NPS (-1..1) and its variance
    (:func:`sosrake_lib.interviews.nps._nps_parts`).

    >>> [round(v, 1) for v in nps_effective(0.2, 0.01, 1.0, 10**9)]  # 0.2 +- 1.96 x 0.1
    [0.4, 39.6]
    >>> [round(v, 1) for v in nps_effective(0.2, 0.01, 4.0, 10**9)]  # twice as wide
    [-19.2, 59.2]
    """
    d = deff if np.isfinite(deff) and deff > 1 else 1.0
    q = 1 - (1 - ci) / 2
    crit = _sps.t.ppf(q, n_clusters - 1) if n_clusters >= 2 else _sps.norm.ppf(q)
    half = float(crit) * math.sqrt(variance * d)
    return max(-100.0, 100 * (centre - half)), min(100.0, 100 * (centre + half))


def cluster_rank_test(x: Any, y: Any, clusters_x: Any, clusters_y: Any) -> ClusterFit:
    """Interviewer-clustered test of the Mann-Whitney comparison of ``x`` (before) and ``y`` (after).

    The pooled values get mid-ranks (through :func:`~sosrake_lib.stats.tie_safe` first, so float noise makes no
    false ranks); :func:`cluster_fit` regresses the ranks on ``after``. ``estimate`` is the difference of mean
    ranks, ``2 * estimate / N`` the rank-biserial r of :func:`sosrake_lib.stats.two_sample_ordinal`.

    Examples
    --------
    >>> f = cluster_rank_test([1, 2, 2, 3], [3, 4, 4, 5], list("aabb"), list("ccdd"))
    >>> round(2 * f.estimate / 8, 4)  # two_sample_ordinal gives r = 0.9375 for the same data
    0.9375
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    gx = pd.Series(clusters_x, dtype="object").to_numpy()
    gy = pd.Series(clusters_y, dtype="object").to_numpy()
    keep_x, keep_y = ~np.isnan(xa), ~np.isnan(ya)
    values = tie_safe(np.concatenate([xa[keep_x], ya[keep_y]]))
    ranks = _sps.rankdata(values) if values.size else values
    after = np.r_[np.zeros(int(keep_x.sum()), bool), np.ones(int(keep_y.sum()), bool)]
    return cluster_fit(ranks, np.concatenate([gx[keep_x], gy[keep_y]]), after)


def few_clusters(n_clusters: Any, min_clusters: int = MIN_CLUSTERS) -> bool:
    """Whether a figure rests on too few interviewers for its clustered variance to be trusted.

    >>> few_clusters(29), few_clusters(30), few_clusters(float("nan"))
    (True, False, False)
    """
    return bool(pd.notna(n_clusters) and n_clusters < min_clusters)


def few_clusters_note(n_clusters: Any, lang: Lang = "fi", min_clusters: int = MIN_CLUSTERS) -> str:
    """The note a table row carries when :func:`few_clusters` (``""`` otherwise), in ``lang``.

    >>> few_clusters_note(12, "en")
    'fewer than 30 interviewers: the cluster-adjusted interval and p are not reliable'
    >>> few_clusters_note(41, "fi")
    ''
    """
    if not few_clusters(n_clusters, min_clusters):
        return ""
    return for_analysis("interviews").text("few_clusters", lang).format(min=min_clusters)


def interviewers(df: pd.DataFrame) -> np.ndarray | None:
    """The interviewer (student pseudonym) of each interview, or None when ``df`` has no ``student`` column."""
    return df["student"].astype("object").to_numpy() if "student" in df.columns else None


def protect_interviewer_counts(
    table: pd.DataFrame,
    group_students: Any,
    min_n: int,
    *,
    also_hide: Any = None,
) -> pd.DataFrame:
    """Hide ``n_interviewers`` (a count of people) where it or its complement is 1..min_n-1 students.

    ``n_interviewers`` counts the interviewers behind a row's figure; ``group_students`` the students who
    interviewed in the row's group (its semester, or semester and service), whose number another table
    may publish (:func:`~sosrake_lib.interviews.interview_counts`). The two are a part and its whole, so the
    sdc rule for parts of a published total applies (:func:`~sosrake_lib.sdc.parts.suppress_parts`, primary
    and secondary rule): a small count is hidden, and a small complement hides the count beside it.
    ``also_hide`` (one bool per row) hides it where the whole is hidden elsewhere (the semester's number of
    students). Returns a copy; ``attrs["suppressed_cells"]`` grows by the
    published cells hidden here.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [60, 60, 60], "n_interviewers": [28, 3, 30]})
    >>> out = protect_interviewer_counts(t, [30, 30, 30], 5)  # 30 - 28 = 2 students without a score
    >>> out["n_interviewers"].tolist(), out.attrs["suppressed_cells"]
    ([<NA>, <NA>, 30], 2)
    """
    from ..sdc.linked import publish_as
    from ..sdc.parts import suppress_parts

    base = int(table.attrs.get("suppressed_cells", 0))
    shown_before = int(table["n_interviewers"].notna().sum())
    work = table.assign(
        _interviewers_without=pd.to_numeric(pd.Series(group_students, index=table.index))
        - pd.to_numeric(table["n_interviewers"])
    )
    work.attrs = {**table.attrs, "suppressed_cells": 0}
    out = suppress_parts(
        work,
        ["n_interviewers", "_interviewers_without"],
        min_n,
    ).drop(columns="_interviewers_without")
    if also_hide is not None:
        publish_as(out, np.asarray(also_hide, dtype=bool), {"n_interviewers": pd.NA})
    hidden = shown_before - int(out["n_interviewers"].notna().sum())
    out.attrs = {**table.attrs, "suppressed_cells": base + hidden}
    return out
