"""Uncertainty of the course rankings: bootstrap rank probabilities of feedback parts and learning gains.

A ranking published as a fact ("the best rated part", "the area that grew most") says more than the data
can carry when the top two are close. Respondents are resampled with replacement (one ``n_boot x n`` index
matrix, the same respondents for every part or area, so the parts stay comparable within a replicate, as in
:func:`sosrake_lib.scoring.borich_needs`), the ranking is redone in every replicate, and each part gets

* ``P(rank 1)``: the share of replicates where it comes first (a tie for first shares the replicate equally,
  so two parts that never differ get 0.5 each);
* ``P(last)``: the same for the last place;
* a rank interval: the ``(1 - ci) / 2`` and ``(1 + ci) / 2`` order statistics of its ranks (ties take the
  smallest rank, ``method="min"``; whole ranks, the lower / higher order statistic, as in
  :func:`~sosrake_lib.scoring.borich_needs`).

The rule for naming a winner (:data:`CLEAR_P`): the top part is named only when ``P(rank 1) >= 0.95``,
otherwise the texts say "no clear difference" ("ei selvää eroa") and name the parts that could be first
(those whose rank interval reaches 1). The same rule with ``P(last)`` names the weakest part. Values are
rounded by :func:`~sosrake_lib.stats.tie_safe` (9 decimals) before they are compared, so float noise never breaks a tie.

Cost: ``n_boot`` = 2000 replicates of the sample (33 feedback respondents x 6 parts, 31 pairs x 6 areas)
take a few milliseconds; the replicates are drawn in chunks, so memory stays bounded for large files.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..settings import BOOTSTRAP_SEED
from ..stats import tie_safe

#: Bootstrap replicates of the rank probabilities.
N_BOOT = 2000
#: A part is named the best (weakest, largest gain) only when it comes first (last) in at least this share
#: of the bootstrap replicates; below it the top cannot be told apart from the next.
CLEAR_P = 0.95


def rank_summary(keys: Sequence[np.ndarray], *, ci: float = 0.95) -> pd.DataFrame:
    """Rank probabilities and rank intervals from replicated values (larger = better).

    Parameters
    ----------
    keys : sequence of ndarray, each ``(n_boot, k)``
        The ranking keys per replicate and part, most important first (ties of the first are broken by the
        second, and so on). NaN ranks last.
    ci : float
        Level of the rank interval.

    Returns
    -------
    DataFrame
        One row per part (column of the keys): ``p_first``, ``p_last``, ``rank_ci_low``, ``rank_ci_high``.

    Examples
    --------
    Part 0 is always first; parts 1 and 2 are always equal (they share the second place and the last one):

    >>> b = np.array([[3.0, 1.0, 1.0], [2.0, 1.5, 1.5]])
    >>> rank_summary([b]).values.tolist()
    [[1.0, 0.0, 1.0, 1.0], [0.0, 0.5, 2.0, 2.0], [0.0, 0.5, 2.0, 2.0]]
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")
    ks = [np.where(np.isnan(k), -np.inf, tie_safe(k)) for k in keys]
    n_boot, k = ks[0].shape
    better = np.zeros((n_boot, k, k), dtype=bool)  # better[b, i, j]: j beats i in replicate b
    equal_so_far = np.ones((n_boot, k, k), dtype=bool)
    for key in ks:
        mine, other = key[:, :, None], key[:, None, :]
        better |= equal_so_far & (other > mine)
        equal_so_far &= other == mine
    worse = np.swapaxes(better, 1, 2)  # worse[b, i, j]: j is beaten by i
    rank = 1 + better.sum(axis=2)
    from_last = 1 + worse.sum(axis=2)  # 1 = last (ties share it)
    first, last = rank == 1, from_last == 1
    p_first = (first / first.sum(axis=1, keepdims=True)).mean(axis=0)
    p_last = (last / last.sum(axis=1, keepdims=True)).mean(axis=0)
    tail = 100 * (1 - ci) / 2
    return pd.DataFrame(
        {
            "p_first": p_first,
            "p_last": p_last,
            "rank_ci_low": np.percentile(rank, tail, axis=0, method="lower").astype("int64"),
            "rank_ci_high": np.percentile(rank, 100 - tail, axis=0, method="higher").astype(
                "int64"
            ),
        }
    )


def _resample_counts(n: int, n_boot: int, seed: int) -> list[np.ndarray]:
    """Bootstrap draws as counts: chunks of ``(b, n)`` arrays, how many times each row was drawn."""
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, 2**20 // max(n, 1)))
    out = []
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(b, n)) if n else np.zeros((b, 0), dtype=int)
        flat = (np.arange(b)[:, None] * n + idx).ravel()
        out.append(np.bincount(flat, minlength=b * n).reshape(b, n).astype(float))
    return out


def bootstrap_mean_ranks(
    scores: pd.DataFrame, *, n_boot: int = N_BOOT, seed: int = BOOTSTRAP_SEED, ci: float = 0.95
) -> pd.DataFrame:
    """Rank probabilities of column means (larger = better): respondents (rows) resampled jointly.

    Each replicate's mean of a column is over the drawn respondents with a value there (NaN left out).

    Returns
    -------
    DataFrame
        Indexed by the columns of ``scores``: ``p_first``, ``p_last``, ``rank_ci_low``, ``rank_ci_high``.

    Examples
    --------
    A clear winner and two parts that always get the same answers:

    >>> s = pd.DataFrame({"a": [5.0, 5, 4, 5, 5, 4], "b": [2.0, 3, 2, 3, 3, 2], "c": [2.0, 3, 2, 3, 3, 2]})
    >>> bootstrap_mean_ranks(s, n_boot=200, seed=1)[["p_first", "p_last"]].values.tolist()
    [[1.0, 0.0], [0.0, 0.5], [0.0, 0.5]]
    """
    x = scores.to_numpy(dtype=float, na_value=np.nan)
    valid = ~np.isnan(x)
    data = np.hstack([valid.astype(float), np.where(valid, x, 0.0)])
    k = x.shape[1]
    means = []
    for times in _resample_counts(len(x), n_boot, seed):
        sums = times @ data
        with np.errstate(invalid="ignore", divide="ignore"):
            means.append(sums[:, k:] / sums[:, :k])
    out = rank_summary([np.vstack(means)], ci=ci)
    out.index = pd.Index(scores.columns)
    return out


def bootstrap_change_ranks(
    change: pd.DataFrame, *, n_boot: int = N_BOOT, seed: int = BOOTSTRAP_SEED, ci: float = 0.95
) -> pd.DataFrame:
    """Rank probabilities of the paired change per area: by the median change, ties by the mean change.

    ``change`` holds one row per paired participant and one column per area (post − pre, NaN where the
    participant has no pair in that area). Participants are resampled jointly; the ranking repeats
    :func:`~sosrake_lib.course.learning_change`'s order (median, then mean; larger = grew more).

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1.0, 1, 1, 0.5, 1, 1], "b": [0.0, 0, 0.5, 0, 0, -0.5]})
    >>> bootstrap_change_ranks(d, n_boot=200, seed=1)["p_first"].tolist()
    [1.0, 0.0]
    """
    d = change.to_numpy(dtype=float, na_value=np.nan)
    n = len(d)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, 2**21 // max(n * max(d.shape[1], 1), 1)))
    medians, means = [], []
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        drawn = d[rng.integers(0, n, size=(b, n))] if n else np.full((b, 0, d.shape[1]), np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore", RuntimeWarning
            )  # no drawn pair in an area: NaN, ranked last
            medians.append(np.nanmedian(drawn, axis=1))
            means.append(np.nanmean(drawn, axis=1))
    out = rank_summary([np.vstack(medians), np.vstack(means)], ci=ci)
    out.index = pd.Index(change.columns)
    return out


def attach_ranks(
    table: pd.DataFrame,
    key: str,
    boot: pd.DataFrame | None,
    columns: Mapping[str, str],
) -> pd.DataFrame:
    """``table`` with the bootstrap summary ``boot`` (from :func:`rank_summary`) copied in, row by ``key``.

    ``columns`` maps a new column to its ``boot`` column; rank bounds (``rank_ci_*``) become whole numbers
    (``Int64``), probabilities floats. Rows not in ``boot`` (not ranked) get missing values.

    Examples
    --------
    >>> boot = pd.DataFrame({"p_first": [0.9], "rank_ci_low": [1.0]}, index=["a"])
    >>> t = attach_ranks(pd.DataFrame({"part": ["a", "b"]}), "part", boot,
    ...                  {"p_best": "p_first", "rank_low": "rank_ci_low"})
    >>> t["p_best"].tolist(), t["rank_low"].tolist()
    ([0.9, nan], [1, <NA>])
    """
    out = table.copy()
    for col, src in columns.items():
        values = [
            boot.at[k, src] if boot is not None and k in boot.index else np.nan for k in out[key]
        ]
        out[col] = (
            pd.array(values, dtype="Float64").astype("Int64")
            if src.startswith("rank_ci")
            else np.array(values, dtype=float)
        )
    return out


def is_clear(p: object, threshold: float = CLEAR_P) -> bool:
    """Whether a rank probability names a winner (:data:`CLEAR_P`); NaN / missing is not clear.

    >>> is_clear(0.97), is_clear(0.6), is_clear(None)
    (True, False, False)
    """
    try:
        v = float(p)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return bool(v >= threshold)
