"""Respondents: counts per background variable, the organisation x role crosstab, the response
rate."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..fmt import Lang
from ..sdc.cells import suppress_small_cells
from ..settings import MIN_N
from ..stats import proportion_ci
from .texts import _category_label, _codes, _grouping_label

#: Background variables counted in the respondent tables.
BACKGROUND: tuple[str, ...] = ("organisation", "role", "work_area", "experience")


def respondent_counts(
    df: pd.DataFrame, inst: Instrument, by: str, *, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Number and share of respondents per category of a background variable, small cells suppressed.

    Every codebook category is listed (0 is published as 0); "Ei vastausta" counts a missing answer. Counts
    pass :func:`~sosrake_lib.privacy.suppress_small_cells` as a one-way table whose total is published
    (secondary suppression); the share and its Wilson interval (:func:`~sosrake_lib.stats.proportion_ci`)
    are hidden with the count.

    Returns
    -------
    DataFrame
        ``group`` (code), ``group_label``, ``n`` (Int64, NA = hidden), ``pct``, ``pct_ci_low``,
        ``pct_ci_high`` (0..100); ``attrs["suppressed_cells"]``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"role": ["supervisor"] * 3 + ["social_worker"] * 10 + ["social_counsellor"] * 8})
    >>> t = respondent_counts(d, inst, "role")
    >>> t[["group", "n"]].values.tolist()
    [['social_worker', 10], ['social_counsellor', <NA>], ['supervisor', <NA>], ['other', 0]]
    """
    values = df[by].astype(object)
    codes = _codes(inst, by)
    counts = pd.Series(
        [int((values == c).sum()) for c in codes], index=codes, dtype="int64", name=by
    )
    missing = int(values.isna().sum())
    if missing:
        counts = pd.concat([counts, pd.Series({"(missing)": missing})])
    hidden = suppress_small_cells(counts, min_n)
    total = int(counts.sum())
    low, high = proportion_ci(counts.to_numpy(), np.full(len(counts), total))
    shown = hidden.notna().to_numpy()
    labels = [
        ("Ei vastausta" if lang == "fi" else "No answer")
        if c == "(missing)"
        else _category_label(inst, by, c, lang)
        for c in counts.index
    ]
    out = pd.DataFrame(
        {
            "group": list(counts.index),
            "group_label": labels,
            "n": hidden.to_numpy(),
            "pct": np.where(shown, 100 * counts.to_numpy() / total if total else np.nan, np.nan),
            "pct_ci_low": np.where(shown, 100 * np.asarray(low), np.nan),
            "pct_ci_high": np.where(shown, 100 * np.asarray(high), np.nan),
        }
    )
    out["n"] = out["n"].astype("Int64")
    out.attrs["suppressed_cells"] = int(hidden.attrs["suppressed_cells"])
    return out


def respondent_crosstab(
    df: pd.DataFrame,
    inst: Instrument,
    rows: str = "organisation",
    cols: str = "role",
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Cross-tabulation of respondents (e.g. organisation x role) with primary and secondary suppression.

    Row and column totals are included (``Yhteensä`` / ``Total``), and are treated as published margins by
    :func:`~sosrake_lib.privacy.suppress_small_cells`, so a hidden supervisor count cannot be recovered by
    subtraction. Rows and columns carry readable labels in ``lang``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"organisation": ["essote"] * 12 + ["kainuu"] * 14,
    ...                   "role": ["supervisor"] * 2 + ["social_worker"] * 10 + ["social_worker"] * 8
    ...                           + ["supervisor"] * 6})
    >>> t = respondent_crosstab(d, inst, "organisation", "role")
    >>> t.loc["Essote", "Esihenkilö"] is pd.NA, t.loc["Essote", "Sosiaalityöntekijä"] is pd.NA
    (True, True)
    >>> t.attrs["suppressed_cells"] >= 2
    True
    """
    total = "Yhteensä" if lang == "fi" else "Total"
    r_codes, c_codes = _codes(inst, rows), _codes(inst, cols)
    sub = df[[rows, cols]].astype(object).dropna()
    table = pd.DataFrame(0, index=r_codes, columns=c_codes, dtype="int64")
    for (r, c), k in sub.value_counts().items():
        table.loc[r, c] = int(k)
    table.index = [_category_label(inst, rows, c, lang) for c in table.index]
    table.columns = [_category_label(inst, cols, c, lang) for c in table.columns]
    table[total] = table.sum(axis=1)
    table.loc[total] = table.sum(axis=0)
    out = suppress_small_cells(table, min_n, total_rows=[total], total_cols=[total])
    out.index.name = _grouping_label(inst, rows, lang)
    out.columns.name = _grouping_label(inst, cols, lang)
    return out


class RateResult(NamedTuple):
    """Response rate in percent of the whole target group: a count of a census, so no sampling interval."""

    rate: float
    n: int
    target_size: int
    method: str


#: Why the response rate has no confidence interval (the key figure's ``method``).
RATE_METHOD = (
    "respondents / the whole target group x 100; a count of the whole target group (census), not an "
    "estimate from a sample: no sampling interval"
)


def response_rate(n: int, target_size: int) -> RateResult | None:
    """Response rate ``100 n / target_size``, *without* an interval; ``None`` when ``target_size`` is 0.

    The target group is every member of staff the survey was sent to, and ``n`` counts who of them
    answered: both are counts of the whole population, not of a sample drawn from it, so the rate is
    exact and a sampling interval (e.g. Wilson's) would describe an uncertainty that does not exist.
    (Shares *among the respondents* keep their Wilson intervals: the respondents are a self-selected part
    of the target group, and those shares are estimates of the whole group's.)

    Raises
    ------
    ValueError
        If ``target_size`` is negative or smaller than ``n`` (the target group size is then wrong).

    Examples
    --------
    >>> r = response_rate(118, 160)
    >>> round(r.rate, 2), r.n, r.target_size
    (73.75, 118, 160)
    >>> response_rate(118, 0) is None
    True
    """
    if target_size == 0:
        return None
    if target_size < 0 or n > target_size:
        raise ValueError(
            f"target_size ({target_size}) must be at least the number of respondents ({n}); "
            "set target_size = 0 if the size of the target group is not known"
        )
    return RateResult(100 * n / target_size, int(n), int(target_size), RATE_METHOD)
