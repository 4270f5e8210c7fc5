"""Agreement between the theme codebook and human coders, and between two human coders.

Every statistic here compares two yes/no codings of the same answers for one theme: a human coder's ticks
(the reference) and the codebook's flags, or two coders' ticks.

* **Shares**: the share of coded answers the human ticked and the share the codebook flagged. A codebook can
  have the right share for the wrong answers, so shares alone never show agreement.
* **Precision, recall, F1** (codebook against the human reference): precision = of the answers the codebook
  flagged, the share the human ticked; recall = of the answers the human ticked, the share the codebook
  flagged; F1 = their harmonic mean.
* **Cohen's kappa** with its 95 % confidence interval (Cohen 1960): observed agreement corrected for the
  agreement two coders with these shares would reach by chance, ``(p_o - p_e) / (1 - p_e)``. Computed with
  :func:`statsmodels.stats.inter_rater.cohens_kappa` (statsmodels is already the workbench's statistics
  library; it gives the asymptotic standard error of Fleiss, Cohen & Everitt 1969 and the Wald interval, so
  the interval is not re-implemented here). The tests check it against the textbook formula.
* **Krippendorff's alpha**, nominal (Krippendorff 2011, *Computing Krippendorff's alpha-reliability*), for the
  two human coders: from the well-kept ``krippendorff`` package (Castro 2017, https://github.com/pln-fing-udelar/
  fast-krippendorff), which implements the coincidence-matrix formula exactly and handles answers only one
  coder coded; writing our own would be one more thing to test. The human-human agreement is the ceiling the
  codebook can be expected to reach: a codebook cannot agree with people better than they agree with each
  other.

The kappa depends on prevalence: for a rare theme, a few disagreements weigh heavily, and kappa can be low
while raw agreement is 95 %. Read kappa beside the shares and n (Byrt, Bishop & Carlin 1993).

**Overall** figures are given two ways: *pooled* (every answer x theme decision counted once in one 2 x 2
table, so common themes weigh more) and the *mean of the per-theme kappas* (each theme weighs the same).

Examples
--------
>>> import pandas as pd
>>> human = pd.Series([True, True, False, False, True, False, False, False])
>>> book = pd.Series([True, False, False, False, True, True, False, False])
>>> r = binary_agreement(human, book)
>>> round(r["kappa"], 3), r["precision"], r["recall"], r["n"]
(0.467, 0.6666666666666666, 0.6666666666666666, 8)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "AGREEMENT_COLUMNS",
    "binary_agreement",
    "confusion",
    "kappa_from_table",
    "krippendorff_alpha",
    "theme_agreement",
]

#: Columns of :func:`theme_agreement`.
AGREEMENT_COLUMNS = [
    "theme",
    "comparison",
    "n",
    "human_count",
    "codebook_count",
    "both_count",
    "human_pct",
    "codebook_pct",
    "precision",
    "recall",
    "f1",
    "kappa",
    "kappa_low",
    "kappa_high",
    "alpha",
]


def confusion(
    reference: Sequence[bool] | pd.Series, other: Sequence[bool] | pd.Series
) -> np.ndarray:
    """The 2 x 2 table of two yes/no codings: rows = reference (yes, no), columns = other (yes, no).

    >>> confusion([True, True, False], [True, False, False]).tolist()
    [[1, 1], [0, 1]]
    """
    a = np.asarray(reference, dtype=bool)
    b = np.asarray(other, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"the two codings have different lengths ({len(a)} and {len(b)})")
    return np.array(
        [[int((a & b).sum()), int((a & ~b).sum())], [int((~a & b).sum()), int((~a & ~b).sum())]]
    )


def kappa_from_table(table: np.ndarray) -> tuple[float, float, float]:
    """Cohen's kappa and its 95 % confidence interval from a square agreement table.

    Uses :func:`statsmodels.stats.inter_rater.cohens_kappa` (asymptotic standard error, Wald interval,
    clipped to -1..1). When the two coders used one category only (no variation), chance agreement is 1 and
    kappa is not defined: NaN is returned.

    >>> k, lo, hi = kappa_from_table(np.array([[20, 5], [10, 15]]))
    >>> round(k, 3), round(lo, 3), round(hi, 3)
    (0.4, 0.151, 0.649)
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    t = np.asarray(table, dtype=float)
    n = t.sum()
    if n == 0:
        return math.nan, math.nan, math.nan
    p_e = float((t.sum(axis=0) * t.sum(axis=1)).sum() / n**2)
    if p_e >= 1 - 1e-12:
        return math.nan, math.nan, math.nan
    res = cohens_kappa(t)  # its kappa_low/kappa_upp are the 95 % Wald interval
    k = float(res.kappa)
    return k, max(-1.0, float(res.kappa_low)), min(1.0, float(res.kappa_upp))


def krippendorff_alpha(codings: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Krippendorff's alpha, nominal, of coders x answers (NaN = the coder did not code the answer).

    From the ``krippendorff`` package. NaN when there is no variation at all (every value the same).

    Krippendorff's (2011) binary example, two observers, ten units: alpha = 0.095.

    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha([a, b]), 3)
    0.095
    """
    import krippendorff

    data = np.asarray(codings, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    if len(values) < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def binary_agreement(
    reference: Sequence[bool] | pd.Series, other: Sequence[bool] | pd.Series
) -> dict[str, Any]:
    """Shares, precision, recall, F1 and Cohen's kappa (95 % CI) of ``other`` against ``reference``.

    ``reference`` is the human coder's ticks; ``other`` the codebook's flags (or a second coder's ticks).
    Precision is NaN when ``other`` flagged nothing, recall when ``reference`` ticked nothing, F1 when both
    are NaN or zero.

    >>> r = binary_agreement([True, True, False, False], [True, True, False, False])
    >>> r["kappa"], r["f1"], r["human_pct"]
    (1.0, 1.0, 50.0)
    """
    t = confusion(reference, other)
    tp, fn, fp = int(t[0, 0]), int(t[0, 1]), int(t[1, 0])
    n = int(t.sum())
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    f1 = (
        2 * precision * recall / (precision + recall)
        if not (math.isnan(precision) or math.isnan(recall)) and precision + recall
        else math.nan
    )
    k, lo, hi = kappa_from_table(t)
    return {
        "n": n,
        "human_count": tp + fn,
        "codebook_count": tp + fp,
        "both_count": tp,
        "human_pct": 100 * (tp + fn) / n if n else math.nan,
        "codebook_pct": 100 * (tp + fp) / n if n else math.nan,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "kappa": k,
        "kappa_low": lo,
        "kappa_high": hi,
    }


def theme_agreement(
    codebook: pd.DataFrame,
    coders: Mapping[str, pd.DataFrame],
    themes: Sequence[str],
) -> pd.DataFrame:
    """Per theme and overall: the codebook against each coder, and the two coders against each other.

    Parameters
    ----------
    codebook : DataFrame
        One boolean column per theme, indexed by answer id (the codebook's flags).
    coders : mapping
        Coder name -> boolean frame of the same layout holding only the answers that coder coded (rows
        nobody coded are left out before: :func:`sosrake_lib.coding.worksheet.read_worksheet`).
    themes : sequence of str
        The themes to compare, in order.

    Returns
    -------
    DataFrame
        :data:`AGREEMENT_COLUMNS`, one row per theme and comparison (``codebook~<coder>`` and, with two
        coders, ``<coder1>~<coder2>``), then the rows of theme ``_pooled`` (all theme decisions in one
        table) and ``_mean`` (the mean of the per-theme kappas; other columns empty). For the human-human
        comparison the first coder is the reference, ``codebook_*`` columns hold the second coder's ticks
        and ``alpha`` is Krippendorff's nominal alpha (on every answer either coded).
    """
    rows: list[dict[str, Any]] = []
    names = list(coders)
    pairs: list[tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame | None]] = []
    for name in names:
        ref = coders[name]
        pairs.append((f"codebook~{name}", ref, codebook.loc[ref.index], None))
    if len(names) >= 2:
        a, b = coders[names[0]], coders[names[1]]
        both = a.index.intersection(b.index)
        union = a.index.union(b.index)
        pairs.append((f"{names[0]}~{names[1]}", a.loc[both], b.loc[both], _stack(a, b, union)))
    for comparison, ref, oth, stacked in pairs:
        per_theme: list[float] = []
        for theme in themes:
            r = binary_agreement(ref[theme].to_numpy(bool), oth[theme].to_numpy(bool))
            r["alpha"] = krippendorff_alpha(stacked[theme]) if stacked is not None else math.nan
            rows.append({"theme": theme, "comparison": comparison, **r})
            per_theme.append(r["kappa"])
        pooled = binary_agreement(
            ref[list(themes)].to_numpy(bool).ravel(), oth[list(themes)].to_numpy(bool).ravel()
        )
        pooled["alpha"] = (
            krippendorff_alpha(np.hstack([stacked[t] for t in themes]))
            if stacked is not None
            else math.nan
        )
        rows.append({"theme": "_pooled", "comparison": comparison, **pooled})
        valid = [k for k in per_theme if not math.isnan(k)]
        rows.append(
            {
                "theme": "_mean",
                "comparison": comparison,
                "n": pooled["n"] // max(len(themes), 1),
                "kappa": float(np.mean(valid)) if valid else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _stack(a: pd.DataFrame, b: pd.DataFrame, index: pd.Index) -> dict[str, np.ndarray]:
    """Theme -> 2 x answers array for Krippendorff's alpha (NaN where a coder did not code the answer)."""
    out = {}
    for theme in a.columns:
        out[theme] = np.vstack(
            [
                a[theme].astype(float).reindex(index).to_numpy(float),
                b[theme].astype(float).reindex(index).to_numpy(float),
            ]
        )
    return out
