"""Margins: rows of a table whose sum (the semester's, the total's) is published elsewhere.

Where a table by group (service) sits beside the table of the whole (the semester), the hidden groups' counts
add up to the whole minus the visible groups: :func:`protect_margins` hides more groups until that sum is
neither one group alone nor a small count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def protect_margins(
    full: pd.DataFrame, published: pd.DataFrame, groups: list[str], min_n: int
) -> np.ndarray:
    """Rows whose NPS group counts must go too, because the semester's totals are published (the NPS table by
    semester): within a semester the hidden rows' counts add up to the total minus the visible rows. One
    hidden row would be given away whole, and several add up to a derived cell that must not be small either.
    So while a semester has exactly one row with hidden counts, or its hidden rows' counts of one group add
    up to 1..min_n-1, the visible row with the fewest people joins them.

    >>> full = pd.DataFrame({"semester": ["s"] * 3, "n": [20, 30, 40], "promoters": [3, 10, 20],
    ...                      "passives": [10, 10, 10], "detractors": [7, 10, 10]})
    >>> pub = full.astype({g: "Int64" for g in ("promoters", "passives", "detractors")})
    >>> pub.loc[0, ["promoters", "passives", "detractors"]] = pd.NA
    >>> protect_margins(full, pub, ["promoters", "passives", "detractors"], 5).tolist()
    [False, True, False]
    """
    extra = np.zeros(len(full), dtype=bool)
    counts = full[groups].apply(pd.to_numeric).to_numpy(dtype="float64", na_value=np.nan)
    hidden = published[groups].isna().any(axis=1).to_numpy()
    n = pd.to_numeric(full["n"]).to_numpy(dtype="float64", na_value=np.nan)
    for _, idx in full.groupby("semester", sort=False).indices.items():
        rows = np.asarray(idx)
        while True:
            h = rows[hidden[rows] | extra[rows]]
            sums = np.nansum(counts[h], axis=0) if len(h) else np.zeros(len(groups))
            if len(h) == 0 or (len(h) >= 2 and not ((sums > 0) & (sums < min_n)).any()):
                break
            visible = rows[~(hidden[rows] | extra[rows])]
            if len(visible) == 0:
                break  # every row hidden: their sum is the published total itself
            extra[visible[np.argmin(n[visible])]] = True
    return extra


def protect_margins_within(
    full: pd.DataFrame,
    published: pd.DataFrame,
    parts: list[str],
    *,
    by: str,
    shown: list[str],
    min_n: int,
) -> int:
    """:func:`protect_margins` within each ``by`` group (each theme of a table by theme, semester and
    service): ``parts`` are the counts that add up to a row's whole. The extra rows' ``shown`` cells are
    hidden in ``published`` (in place); returns the number of cells hidden.

    >>> full = pd.DataFrame({"theme": ["t"] * 3, "semester": ["s"] * 3, "n": [20, 30, 40],
    ...                      "yes": [3, 10, 20], "no": [17, 20, 20]})
    >>> pub = full.astype({"yes": "Int64", "no": "Int64"})
    >>> pub.loc[0, ["yes", "no"]] = pd.NA
    >>> protect_margins_within(full, pub, ["yes", "no"], by="theme", shown=["n", "yes"], min_n=5)
    2
    >>> pub["n"].isna().tolist()
    [False, True, False]
    """
    before = int(published[shown].notna().sum().sum())
    for _, idx in full.groupby(by, sort=False).indices.items():
        rows = np.asarray(idx)
        extra = protect_margins(
            full.iloc[rows].reset_index(drop=True),
            published.iloc[rows].reset_index(drop=True),
            parts,
            min_n,
        )
        if extra.any():
            for col in shown:
                published.loc[rows[extra], col] = pd.NA
    return before - int(published[shown].notna().sum().sum())
