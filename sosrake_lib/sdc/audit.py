"""Can a hidden count be worked out from what a published row shows? A brute-force audit, and its one use.

Small-cell suppression (:mod:`sosrake_lib.privacy`, :func:`sosrake_lib.outputs.suppress_parts`) hides answer
counts of fewer than ``min_n`` people. A published Likert row also shows its total, the valid n, the mean, the
SD, the top-2 count and %: each one more equation over the hidden counts. :func:`possible_values` takes the
attacker's view of one row and enumerates every assignment of the hidden counts (each at least 1: zeros are
published) that adds up to the total and reproduces every published statistic — at the precision it is
published, so a mean rounded to one decimal is matched as a rounded value. A hidden count with a single
possible value has been disclosed (:func:`disclosed`).

The suppression code hides a statistic wherever one of its inputs is hidden; :func:`restore_rounded_stats`
then gives a row its mean and SD back, rounded to one decimal, wherever the audit shows that no hidden count
can be worked out from the row with them. The tests run the same audit over every published row, independently
of how the suppression decided.

Examples
--------
A row with "2" and "En osaa sanoa" hidden (they add up to 10, since n = 118). With the mean at full precision
the hidden counts are pinned down; at one decimal they are not:

>>> row = {"a1": 0, "a2": None, "a3": 42, "a4": 55, "a5": 11, "nsa": None}
>>> scale = {f"a{k}": k for k in range(1, 6)}
>>> exact = possible_values(row, scale, 118, mean=409 / 112)
>>> exact, disclosed(exact)
({'a2': {4}, 'nsa': {6}}, ['a2', 'nsa'])
>>> rounded = possible_values(row, scale, 118, mean=3.7, decimals={"mean": 1})
>>> sorted(rounded["a2"]), disclosed(rounded)
([1, 2, 3, 4], [])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

DEFAULT_LIMIT = 200_000
"""Most assignments :func:`possible_values` enumerates before it gives up (:class:`TooManyCombinations`)."""


class TooManyCombinations(RuntimeError):
    """The hidden counts can be combined in more ways than the audit enumerates."""


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` positive integers (ordered)."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    for cuts in itertools.combinations(range(1, total), parts - 1):
        bounds = (0, *cuts, total)
        yield tuple(bounds[i + 1] - bounds[i] for i in range(parts))


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _matches(value: float, published: float, decimals: int | None) -> bool:
    if decimals is None:
        return math.isclose(value, published, rel_tol=1e-6, abs_tol=1e-6)
    return abs(value - published) <= 0.5 * 10.0**-decimals + 1e-9


def possible_values(
    counts: Mapping[str, Any],
    scale: Mapping[str, int],
    n_total: int,
    *,
    pct_of_total: Mapping[str, Any] | None = None,
    n_valid: Any = None,
    mean: Any = None,
    sd: Any = None,
    top: Sequence[str] = (),
    top_n: Any = None,
    top_pct: Any = None,
    decimals: Mapping[str, int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, set[int]]:
    """Values each hidden count of a published row can take.

    Parameters
    ----------
    counts : mapping column -> count or None/NaN
        Every answer column (scale answers and "En osaa sanoa"-type columns); None/NaN = hidden.
    scale : mapping column -> code
        The scale columns and their codes (the others are not in the mean).
    n_total : int
        The row's published total (all answers).
    pct_of_total : mapping column -> % of ``n_total``, optional
        For tables that publish shares instead of counts: a count hidden but with its share shown is
        recovered from the share.
    n_valid, mean, sd, top_n, top_pct : float or None
        Published statistics (None/NaN = not published). ``sd`` with ddof = 1; ``top_pct`` = % of ``n_valid``
        in the ``top`` columns.
    decimals : mapping statistic name -> decimals, optional
        Statistics published rounded (e.g. ``{"mean": 1}``); the others are compared at full precision.
    limit : int
        Most assignments to enumerate; beyond it :class:`TooManyCombinations` is raised.

    Returns
    -------
    dict
        Hidden column -> set of possible values (empty sets: the row as published is impossible).
    """
    decimals = dict(decimals or {})
    pct_of_total = dict(pct_of_total or {})
    known: dict[str, int] = {}
    hidden: list[str] = []
    for col, v in counts.items():
        if not _missing(v):
            known[col] = int(v)
        elif col in pct_of_total and not _missing(pct_of_total[col]):
            known[col] = round(float(pct_of_total[col]) * n_total / 100)
        else:
            hidden.append(col)
    out: dict[str, set[int]] = {c: set() for c in hidden}
    if not hidden:
        return out
    rest = n_total - sum(known.values())
    if rest >= len(hidden) and math.comb(rest - 1, len(hidden) - 1) > limit:
        raise TooManyCombinations(
            f"{math.comb(rest - 1, len(hidden) - 1)} ways to fill {len(hidden)} hidden cells"
        )
    for values in _compositions(rest, len(hidden)):
        full = {**known, **dict(zip(hidden, values, strict=True))}
        valid = sum(full[c] for c in scale)
        if not _missing(n_valid) and valid != int(n_valid):
            continue
        if not _missing(top_n) and sum(full[c] for c in top) != int(top_n):
            continue
        if not _missing(top_pct) and (
            valid == 0
            or not _matches(
                100 * sum(full[c] for c in top) / valid, float(top_pct), decimals.get("top_pct")
            )
        ):
            continue
        if not _missing(mean) or not _missing(sd):
            if valid == 0:
                continue
            m = sum(full[c] * code for c, code in scale.items()) / valid
            if not _missing(mean) and not _matches(m, float(mean), decimals.get("mean")):
                continue
            if not _missing(sd):
                if valid < 2:
                    continue
                var = sum(full[c] * (code - m) ** 2 for c, code in scale.items()) / (valid - 1)
                if not _matches(math.sqrt(var), float(sd), decimals.get("sd")):
                    continue
        for c, v in zip(hidden, values, strict=True):
            out[c].add(v)
    return out


def nps_possible_values(
    n: int,
    nps: Any,
    groups: Mapping[str, Any],
    *,
    ci_low: Any = None,
    ci_high: Any = None,
    decimals: Mapping[str, int] | None = None,
    level: float = 0.95,
    method: str = "adjusted_wald",
) -> dict[str, set[int]]:
    """Values each hidden promoter/passive/detractor count can take given ``n``, the NPS, its interval and the
    visible counts.

    ``groups`` maps ``promoters``, ``passives``, ``detractors`` to the published count or None/NaN. Hidden
    counts may be zero here (an NPS row that hides all three hides zeros too). The NPS fixes promoters minus
    detractors; the interval (:func:`sosrake_lib.scoring.nps_from_counts`, ``level`` and ``method`` as
    published) depends on promoters plus detractors, so at full precision it gives both back. ``decimals``
    names the precision of ``nps``, ``ci_low`` and ``ci_high`` as published (full precision where absent).

    Examples
    --------
    >>> hidden = {"promoters": None, "passives": None, "detractors": None}
    >>> nps_possible_values(10, 90.0, hidden)  # 9 promoters and 1 passive: nothing else gives +90
    {'promoters': {9}, 'passives': {1}, 'detractors': {0}}
    >>> sorted(nps_possible_values(10, 20.0, hidden)["detractors"])
    [0, 1, 2, 3, 4]
    >>> nps_possible_values(10, 20.0, hidden, ci_low=-30.32599443550416, ci_high=61.09522520473494)
    {'promoters': {5}, 'passives': {2}, 'detractors': {3}}
    >>> sorted(nps_possible_values(10, 20.0, hidden, ci_low=-30, ci_high=61,
    ...                            decimals={"ci_low": 0, "ci_high": 0})["detractors"])
    [3]
    """
    import numpy as np

    from sosrake_lib.scoring import nps_interval

    decimals = dict(decimals or {})
    hidden = [g for g, v in groups.items() if _missing(v)]
    out: dict[str, set[int]] = {g: set() for g in hidden}
    # every split (promoters p, detractors d) at once: O(n^2) pairs, or O(n) when the NPS fixes p - d
    if not _missing(nps) and decimals.get("nps") is None:
        lead = round(float(nps) * n / 100)
        d = np.arange(0, n + 1)
        p = d + lead
    else:
        p, d = (a.ravel() for a in np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij"))
    keep = (p >= 0) & (d >= 0) & (p + d <= n)
    p, d = p[keep], d[keep]
    full = {"promoters": p, "passives": n - p - d, "detractors": d}
    ok = np.ones(len(p), dtype=bool)
    for g, v in groups.items():
        if not _missing(v):
            ok &= full[g] == int(v)
    if not _missing(nps):
        value = 100 * (p - d) / n
        tol = (
            0.5 * 10.0 ** -decimals["nps"] + 1e-9
            if "nps" in decimals
            else 1e-6 * max(1.0, abs(float(nps)))
        )
        ok &= np.abs(value - float(nps)) <= tol
    interval = [(k, v) for k, v in (("ci_low", ci_low), ("ci_high", ci_high)) if not _missing(v)]
    if interval and ok.any():
        low, high = nps_interval(p[ok], full["passives"][ok], d[ok], level, method)
        sub = np.ones(int(ok.sum()), dtype=bool)
        for k, v in interval:
            got = low if k == "ci_low" else high
            tol = (
                0.5 * 10.0 ** -decimals[k] + 1e-9
                if k in decimals
                else 1e-6 * max(1.0, abs(float(v)))
            )
            sub &= np.abs(got - float(v)) <= tol
        ok[np.flatnonzero(ok)[~sub]] = False
    for g in hidden:
        out[g] = {int(x) for x in np.unique(full[g][ok])}
    return out


def signed_rank_possible_values(
    n_pairs: int,
    parts: Mapping[str, Any],
    *,
    effect_size: Any = None,
    statistic: Any = None,
    decimals: Mapping[str, int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, set[int]]:
    """Values each hidden count of a published Wilcoxon signed-rank row can take (``zero_method="wilcox"``).

    A row of :func:`sosrake_lib.course.learning_change` publishes ``n_pairs`` and the counts of pairs that
    rose, fell or stayed (``parts``: ``n_increase``, ``n_decrease``, ``n_zero``; None/NaN = hidden, hidden
    counts are at least 1 since zeros are published), and may publish the test statistic and the
    rank-biserial r. With zeros dropped (Wilcoxon 1945) the ranks 1..m of the m = rises + falls non-zero
    differences add up to S = m (m + 1) / 2, and r = (W+ - W-) / S = 2 W+ / S - 1. Whatever the differences
    and their ties (average ranks, multiples of 1/2), the rank sum of the rises lies between the sum of the
    smallest and of the largest ranks they could hold: rises (rises + 1) / 2 <= W+ <= S - falls (falls + 1) / 2.
    An assignment of the hidden counts is possible when some W+ (a multiple of 1/2) in that range gives the
    published r (at its precision, ``decimals["effect_size"]``) and statistic (scipy's min(W+, W-)). A count
    with one possible value is disclosed: e.g. W = 8 and r = 0.965591 at full precision give S = 16 / (1 - r)
    = 465, so 30 non-zero pairs.

    Examples
    --------
    >>> row = {"n_increase": 28, "n_decrease": None, "n_zero": None}
    >>> signed_rank_possible_values(31, row, effect_size=0.965591, statistic=8.0)
    {'n_decrease': {2}, 'n_zero': {1}}
    >>> signed_rank_possible_values(31, row, effect_size=1.0, decimals={"effect_size": 1})
    {'n_decrease': {1, 2}, 'n_zero': {1, 2}}
    """
    decimals = dict(decimals or {})
    known = {k: int(v) for k, v in parts.items() if not _missing(v)}
    hidden = [k for k, v in parts.items() if _missing(v)]
    out: dict[str, set[int]] = {k: set() for k in hidden}
    if not hidden:
        return out
    rest = int(n_pairs) - sum(known.values())
    if rest >= len(hidden) and math.comb(rest - 1, len(hidden) - 1) > limit:
        raise TooManyCombinations(
            f"{math.comb(rest - 1, len(hidden) - 1)} ways to fill {len(hidden)} hidden cells"
        )
    r = None if _missing(effect_size) else float(effect_size)
    w = None if _missing(statistic) else float(statistic)
    for values in _compositions(rest, len(hidden)):
        full = {**known, **dict(zip(hidden, values, strict=True))}
        up, down = full.get("n_increase", 0), full.get("n_decrease", 0)
        m = up + down
        total = m * (m + 1) / 2
        if m == 0:  # every difference zero: statistic 0, r 0 (stats.paired_change)
            ok = (r is None or _matches(0.0, r, decimals.get("effect_size"))) and (
                w is None or w == 0
            )
        else:
            lo, hi = up * (up + 1) / 2, total - down * (down + 1) / 2
            if r is not None:  # r -> a range of W+ (r rounded) or one value (full precision)
                h = (
                    0.5 * 10.0 ** -decimals["effect_size"]
                    if "effect_size" in decimals
                    else 1e-6 * max(1, abs(r))
                )
                lo, hi = (
                    max(lo, (r - h + 1) * total / 2 - 1e-9),
                    min(hi, (r + h + 1) * total / 2 + 1e-9),
                )
            if w is not None:
                ok = any(lo <= wp <= hi for wp in (w, total - w))
            else:
                ok = math.ceil(2 * lo) <= math.floor(2 * hi)  # a multiple of 1/2 in [lo, hi]
        if ok:
            for k, v in zip(hidden, values, strict=True):
                out[k].add(v)
    return out


def disclosed(values: Mapping[str, set[int]]) -> list[str]:
    """The hidden columns that can take one value only (worked out from the row)."""
    return [c for c, vs in values.items() if len(vs) <= 1]


def restore_rounded_stats(
    published: pd.DataFrame,
    full: pd.DataFrame,
    *,
    answers: Sequence[str],
    scale: Mapping[str, int],
    stats: Mapping[str, int] | None = None,
    top: Sequence[str] = (),
    pct_of_total: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Give rows back their mean and SD, rounded, where the audit shows they disclose no hidden count.

    ``published`` is a suppressed table (the mean and SD hidden wherever a scale answer is hidden), ``full``
    the same rows before suppression. For each row whose statistics were hidden, the rounded values
    (``stats``: column -> decimals, default mean and SD to one decimal) are tried in the published row
    (its counts, ``n_total``, ``n_valid``, ``top_box_n``/``top_box_pct`` as published); if every hidden count
    still has at least two possible values (:func:`possible_values`) they are published, otherwise they stay
    hidden. ``pct_of_total`` maps answer columns to share columns, for tables that publish shares. Returns a
    copy; ``attrs["suppressed_cells"]`` is lowered by the cells given back.

    Examples
    --------
    >>> full = pd.DataFrame({"a1": [0], "a2": [4], "a3": [42], "a4": [55], "a5": [11], "nsa": [6],
    ...                      "n_total": [118], "mean": [409 / 112], "sd": [0.7066]})
    >>> pub = full.astype({"a2": "Int64", "nsa": "Int64", "mean": "Float64", "sd": "Float64"})
    >>> pub.loc[0, ["a2", "nsa", "mean", "sd"]] = pd.NA
    >>> out = restore_rounded_stats(pub, full, answers=["a1", "a2", "a3", "a4", "a5", "nsa"],
    ...                             scale={f"a{k}": k for k in range(1, 6)})
    >>> float(out.loc[0, "mean"]), float(out.loc[0, "sd"])
    (3.7, 0.7)
    """
    stats = dict(stats if stats is not None else {"mean": 1, "sd": 1})
    pct_cols = dict(pct_of_total or {})
    out = published.copy()
    given_back = 0

    def val(row: pd.Series, col: str) -> Any:
        return row[col] if col in row.index and not _missing(row[col]) else None

    for i in range(len(out)):
        row = out.iloc[i]
        todo = [
            c
            for c in stats
            if c in out.columns and _missing(row[c]) and not _missing(full.iloc[i][c])
        ]
        if not todo or _missing(row.get("n_total")):
            continue
        candidate = {c: round(float(full.iloc[i][c]), stats[c]) for c in todo}
        shown = {c: (candidate[c] if c in candidate else val(row, c)) for c in ("mean", "sd")}
        try:
            values = possible_values(
                {c: val(row, c) for c in answers},
                scale,
                int(row["n_total"]),
                pct_of_total={c: val(row, p) for c, p in pct_cols.items()},
                n_valid=val(row, "n_valid"),
                mean=shown["mean"],
                sd=shown["sd"],
                top=top,
                top_n=val(row, "top_box_n"),
                top_pct=val(row, "top_box_pct"),
                decimals={c: stats[c] for c in candidate},
            )
        except TooManyCombinations:
            continue  # too many possibilities to check: keep them hidden
        if values and not disclosed(values):
            for c, v in candidate.items():
                out[c] = out[c].astype("Float64")
                out.iloc[i, out.columns.get_loc(c)] = v
                given_back += 1
    if given_back:
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) - given_back
    return out


__all__ = [
    "DEFAULT_LIMIT",
    "TooManyCombinations",
    "disclosed",
    "nps_possible_values",
    "possible_values",
    "restore_rounded_stats",
    "signed_rank_possible_values",
]


def distribution_disclosed(
    counts: np.ndarray, hidden: np.ndarray, n_interviews: int, min_n: int
) -> bool:
    """Whether a hidden cell of an interviews-per-student column can be worked out (exactly, or as surely
    1..min_n-1) from the column's sum (the number of students) and its weighted sum (the number of
    interviews), both published by :func:`interview_counts`. Bounds by linear programming (scipy ``linprog``);
    the last class is "k or more", so its weight k only bounds the interviews from below.

    >>> distribution_disclosed(np.array([38, 1, 0, 0]), np.array([True, True, False, False]), 40, 5)
    True
    >>> distribution_disclosed(np.array([20, 12, 4, 3]), np.array([False, False, True, True]), 68, 5)
    False
    """
    from scipy.optimize import linprog

    h = np.flatnonzero(hidden)
    k = len(counts)
    weights = np.arange(1, k + 1, dtype=float)
    shown = ~hidden
    n_students = int(counts.sum())
    a_eq = [np.ones(len(h))]
    b_eq = [n_students - counts[shown].sum()]
    rest = n_interviews - float(weights[shown] @ counts[shown])
    if hidden[-1]:  # "k or more": the hidden cells need at most the interviews left
        a_ub, b_ub = [weights[h]], [rest]
    else:
        a_ub, b_ub = None, None
        a_eq.append(weights[h])
        b_eq.append(rest)
    for j in range(len(h)):
        c = np.zeros(len(h))
        c[j] = 1.0
        lo = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
        )
        hi = linprog(
            -c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
        )
        if not (lo.success and hi.success):
            return True  # no room to hide in: treat as disclosed
        low, high = lo.fun, -hi.fun
        if high - low < 0.5 or (low > 0.5 and high < min_n - 0.5):
            return True
    return False
