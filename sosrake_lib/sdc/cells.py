"""Small cells: the primary and secondary suppression rule for count tables and per-group statistics.

:func:`suppress_small_cells` (count tables such as organisation x role), :func:`suppress_by_n` (one row of
statistics per group), :func:`protect_hidden` (sizes of groups one of which is hidden) and
:func:`hide_nested_differences` (counts of nested groups).

The suppression rule
--------------------
*Primary suppression*: a cell that describes ``0 < n < min_n`` people is hidden (``min_n`` defaults to 5 and
is configurable). Zeros are published as 0: they describe nobody. This is the threshold (frequency) rule of
Statistics Finland's disclosure control (kynnysarvosääntö) and of FSD's guidance on publishing aggregates; the
project brief sets the threshold to 5 (README, "Tietosuoja / data protection").

*Secondary suppression*: where totals are published, a single hidden cell in a row or column could be worked out
as the total minus the visible cells. So in every line (row, column, or a one-way table) with exactly one hidden
cell, the smallest remaining non-zero visible cell of that line is hidden too, and this is repeated until no line
has exactly one hidden cell (Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley, ch. 5). The
heuristic is written out here because no well-kept Python library implements cell suppression (sdcTable is R,
tau-ARGUS a Java program whose Modular/Optimal methods find cheaper patterns with a mixed-integer optimiser); it
is deliberately simple, so that a reader can check by hand which cells went and why. It can hide more cells than
an optimal solver would. A line whose single hidden cell has only zeros beside it cannot be protected inside
the table; such lines are reported in ``attrs["unprotected_lines"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from sosrake_lib.errors import ConfigError
from sosrake_lib.fmt import fmt_suppressed
from sosrake_lib.scrub import _is_na_scalar

from ..settings import MIN_N

Lang = Literal["fi", "en"]

# --------------------------------------------------------------------------------------------------------------
# 3. Disclosure control
# --------------------------------------------------------------------------------------------------------------

#: Default threshold: a cell describing 1-4 people is not published.
DEFAULT_MIN_N = MIN_N  # the one value: sosrake_lib.settings
#: Short mark for a hidden cell (Statistics Finland's symbol for confidential data).
SUPPRESSED_MARK = ".."


def suppressed_label(min_n: int = MIN_N, lang: Lang = "fi", *, short: bool = False) -> str:
    """Text to show instead of a hidden number: :func:`sosrake_lib.fmt.fmt_suppressed`, or ``..`` when short.

    The same neutral label for cells hidden because they are small and for cells hidden so that a small one
    cannot be worked out (secondary rule); see :func:`~sosrake_lib.fmt.fmt_suppressed` for why.

    Examples
    --------
    >>> suppressed_label()
    'piilotettu'
    >>> suppressed_label(3, "en")
    'suppressed'
    >>> suppressed_label(short=True)
    '..'
    """
    if lang not in ("fi", "en"):
        raise ConfigError(f"lang must be 'fi' or 'en', not {lang!r}")
    _check_min_n(min_n)
    return SUPPRESSED_MARK if short else fmt_suppressed(min_n, lang)


def _check_min_n(min_n: Any) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise ConfigError(f"min_n must be a positive integer, not {min_n!r}")
    return int(min_n)


def is_small(n: Any, min_n: int = MIN_N) -> bool:
    """Whether a count must be hidden by the primary rule: ``0 < n < min_n``.

    Zero is not small (it describes nobody). A missing ``n`` raises ``ValueError``: decide explicitly.

    Examples
    --------
    >>> is_small(4), is_small(5), is_small(0), is_small(2, min_n=3)
    (True, False, False, True)
    """
    min_n = _check_min_n(min_n)
    if n is None or _is_na_scalar(n):
        raise ValueError("n is missing: cannot tell whether the group is small")
    return bool(0 < n < min_n)


def _count_matrix(table: pd.DataFrame | pd.Series) -> np.ndarray:
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    for col in frame.columns:
        dtype = frame[col].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise ValueError(f"column {col!r} is not a column of counts (dtype {dtype})")
    values = frame.to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any():
        raise ValueError(
            "the count table has missing cells; counts must be complete (use 0 for none)"
        )
    if (values < 0).any():
        raise ValueError("the count table has negative cells; counts must be non-negative")
    if not np.array_equal(values, np.round(values)):
        raise ValueError(
            "the count table has non-integer cells; pass counts, not percentages or means"
        )
    return values.astype(np.int64)


def _label_mask(labels: pd.Index, wanted: Iterable[Any], what: str) -> np.ndarray:
    wanted = list(wanted)
    missing = [w for w in wanted if w not in labels]
    if missing:
        raise ValueError(f"{what} not in the table: {missing!r}")
    return np.asarray(labels.isin(wanted), dtype=bool)


def protect_hidden(
    sizes: Mapping[Any, float], hidden: Iterable[Any], min_n: int = MIN_N
) -> set[Any]:
    """Grow ``hidden`` until the hidden non-zero entries of one line cannot be worked out from its total.

    The entries of a line (a one-way table, a row of parts) add up to a published total, so the hidden ones
    add up to the total minus the shown ones. That sum must not single out one entry (one hidden entry alone)
    nor be a small count itself (1..min_n-1 people). While either holds, the smallest shown non-zero entry is
    hidden too (ties: the first). Zeros describe nobody and are never needed. Returns the grown set.

    Examples
    --------
    >>> sorted(protect_hidden({"a": 50, "b": 2, "c": 2, "d": 30}, {"b", "c"}))  # 2 + 2 = 4 people: d joins
    ['b', 'c', 'd']
    >>> sorted(protect_hidden({"a": 50, "b": 3, "c": 2, "d": 30}, {"b", "c"}))
    ['b', 'c']
    >>> sorted(protect_hidden({"a": 50, "b": 12}, {"b"}))  # one alone: a joins
    ['a', 'b']
    """
    hidden = set(hidden)
    while True:
        hidden_vals = [v for k, v in sizes.items() if k in hidden and v > 0]
        if not hidden_vals or (len(hidden_vals) >= 2 and sum(hidden_vals) >= min_n):
            return hidden
        visible = [k for k, v in sizes.items() if k not in hidden and v > 0]
        if not visible:
            return hidden
        hidden.add(min(visible, key=lambda k: sizes[k]))


Line = tuple[np.ndarray, np.ndarray, np.ndarray, bool]
"""A line of a table for the secondary rule: its cells' row and column indices, which of them is the line's
own total (a margin, not chosen as the extra hidden cell), and whether that total may be hidden when no other
cell can (a declared relation: its total is an ordinary cell of the table)."""


def _table_lines(
    n_rows: int,
    n_cols: int,
    total_row: np.ndarray,
    total_col: np.ndarray,
    relations: Iterable[tuple[int, Sequence[int]]] = (),
) -> list[Line]:
    """The lines of a table in sweep order: every row, every column, then every declared relation in every row
    (``relations``: column index of a total and the column indices of its parts, e.g. answered = paired +
    pre_only)."""
    lines: list[Line] = []
    for i in range(n_rows):
        lines.append((np.full(n_cols, i), np.arange(n_cols), total_col.copy(), False))
    for j in range(n_cols):
        lines.append((np.arange(n_rows), np.full(n_rows, j), total_row.copy(), False))
    for total, parts in relations:
        cols = np.array([total, *parts])
        own = np.zeros(len(cols), dtype=bool)
        own[0] = True
        for i in range(n_rows):
            lines.append((np.full(len(cols), i), cols, own, True))
    return lines


def _secondary_pass(
    values: np.ndarray,
    supp: np.ndarray,
    lines: Sequence[Line],
    min_n: int = 1,
    keep: np.ndarray | None = None,
) -> bool:
    """One sweep over all lines (rows, then columns, then declared relations); returns whether anything changed.

    A line needs one more hidden cell when it has exactly one, or when its hidden cells (its own total aside,
    if that is shown) add up to 1..min_n-1 people: that sum is the line's total minus the shown cells, a small
    count of its own.
    """
    changed = False
    keep = np.zeros(values.shape, dtype=bool) if keep is None else keep
    for rows, cols, own_total, total_fallback in lines:
        line = (rows, cols)
        k = int(supp[line].sum())
        if k == 0:
            continue
        if k >= 2:
            inner = supp[line] & ~own_total
            if own_total.any() and supp[line][own_total].any():
                continue  # the line's total is hidden too: the hidden cells' sum is not given away
            hidden_sum = values[line][inner].sum()
            if hidden_sum == 0 or hidden_sum >= min_n:
                continue
        cand = ~supp[line] & (values[line] > 0) & ~own_total & ~keep[line]
        if (
            not cand.any() and total_fallback
        ):  # the parts are published elsewhere: hide the total instead
            cand = ~supp[line] & (values[line] > 0) & own_total & ~keep[line]
        if not cand.any():
            continue
        masked = np.where(cand, values[line], np.iinfo(np.int64).max)
        k = int(np.argmin(masked))  # smallest; ties: the first in table order
        supp[rows[k], cols[k]] = True
        changed = True
    return changed


def suppress_small_cells(
    table: pd.DataFrame | pd.Series,
    min_n: int = MIN_N,
    *,
    secondary: bool = True,
    total_rows: Iterable[Any] = (),
    total_cols: Iterable[Any] = (),
    relations: Mapping[Any, Sequence[Any]] | Iterable[tuple[Any, Sequence[Any]]] | None = None,
    keep: Iterable[tuple[Any, Any]] = (),
) -> pd.DataFrame | pd.Series:
    """Hide small counts in a frequency table, with secondary suppression.

    Parameters
    ----------
    table : DataFrame or Series
        Non-negative integer counts, e.g. ``pd.crosstab(df.organisation, df.role)``, or a one-way frequency
        table (a Series) whose total is published.
    min_n : int
        Primary rule: cells with ``0 < n < min_n`` are hidden. Zeros are published as 0.
    secondary : bool
        Secondary rule (module docstring): in every row and every column with exactly one hidden cell, hide the
        smallest non-zero visible cell of that line too; repeat until stable. Row and column totals are
        assumed to be published, whether or not they are in the table.
    total_rows, total_cols : labels
        Rows/columns of ``table`` that are totals (margins). They are hidden if ``0 < n < min_n`` and are never
        chosen as a line's extra suppression, except within the total row/column itself, where every cell is a
        margin. (For a Series, ``total_rows`` names the total entries.)
    relations : mapping of column label -> column labels, optional
        Columns that add up within every row, ``{total: [part, ...]}`` (``answered_post: [paired, post_only]``):
        each such row is one more line for the secondary rule, so no hidden part can be worked out as the total
        minus the shown parts. Only for a DataFrame. A list of ``(total, parts)`` pairs takes a total that is the
        sum of two sets of parts (``enrolled``: answered before + did not; answered after + did not).
    keep : iterable of (row label, column label), optional
        Cells that another output publishes anyway (the number of pairs is a key figure): never chosen as an
        extra hidden cell, so the rule hides something else (in a relation, its total if need be).

    Returns
    -------
    DataFrame or Series
        A copy with dtype ``Int64``; hidden cells are ``pd.NA``. ``attrs["suppressed_cells"]`` is the number
        of hidden cells, ``attrs["min_n"]`` the threshold, ``attrs["unprotected_lines"]`` a list of
        ``("row"|"column", label)`` lines left with exactly one hidden cell because the line had nothing else
        to hide but zeros: that cell can be worked out from the line's total (if it is a small cell, its total is
        small as well and must not be published either).

    Examples
    --------
    >>> t = pd.DataFrame({"työntekijä": [20, 14, 9], "esihenkilö": [3, 6, 5]},
    ...                  index=["Kainuun sote", "Essote", "Muu"])
    >>> out = suppress_small_cells(t)
    >>> out
                  työntekijä  esihenkilö
    Kainuun sote        <NA>        <NA>
    Essote                14           6
    Muu                 <NA>        <NA>
    >>> out.attrs["suppressed_cells"]
    4
    >>> suppress_small_cells(pd.Series({"A": 10, "B": 3, "C": 7, "D": 0})).tolist()
    [10, <NA>, <NA>, 0]
    """
    min_n = _check_min_n(min_n)
    if not isinstance(table, pd.DataFrame | pd.Series):
        raise TypeError(
            f"suppress_small_cells expects a DataFrame or Series, not {type(table).__name__}"
        )
    is_series = isinstance(table, pd.Series)
    values = _count_matrix(table)
    if is_series:
        total_row = _label_mask(table.index, total_rows, "total_rows")
        if list(total_cols):
            raise ValueError(
                "total_cols makes no sense for a Series; name its total entry in total_rows"
            )
        total_col = np.zeros(1, dtype=bool)
    else:
        total_row = _label_mask(table.index, total_rows, "total_rows")
        total_col = _label_mask(table.columns, total_cols, "total_cols")
    rel: list[tuple[int, list[int]]] = []
    if relations:
        if is_series:
            raise ValueError("relations need a DataFrame: they relate columns within each row")
        cols = list(table.columns)
        for total, parts in relations.items() if isinstance(relations, Mapping) else relations:
            missing = [c for c in (total, *parts) if c not in cols]
            if missing:
                raise ValueError(f"relations name columns the table does not have: {missing}")
            rel.append((cols.index(total), [cols.index(c) for c in parts]))
    supp = (values > 0) & (values < min_n)
    if secondary:
        # a one-way table has one line: the column; its "rows" are single cells with nothing to add
        lines = _table_lines(
            *values.shape, total_row, np.ones(1, dtype=bool) if is_series else total_col, rel
        )
        kept = np.zeros(values.shape, dtype=bool)
        for r, c in keep:
            kept[list(table.index).index(r), list(table.columns).index(c)] = True
        while _secondary_pass(values, supp, lines, min_n, kept):
            pass
    unprotected: list[tuple[str, Any]] = []
    if secondary:
        if is_series:
            if supp.sum() == 1:
                unprotected.append(("column", table.name))
        else:
            unprotected += [
                ("row", lab) for lab, s in zip(table.index, supp.sum(axis=1), strict=True) if s == 1
            ]
            unprotected += [
                ("column", lab)
                for lab, s in zip(table.columns, supp.sum(axis=0), strict=True)
                if s == 1
            ]
    if is_series:
        result: pd.DataFrame | pd.Series = table.astype("Int64").mask(supp[:, 0])
    else:
        result = table.astype("Int64").mask(supp)
    result.attrs = {
        **table.attrs,
        "suppressed_cells": int(supp.sum()),
        "min_n": min_n,
        "unprotected_lines": unprotected,
    }
    return result


def hide_nested_differences(
    groups: Mapping[Any, np.ndarray],
    min_n: int = MIN_N,
    *,
    keep: Iterable[Any] = (),
    hidden: Iterable[Any] = (),
) -> set[Any]:
    """Which counts of nested groups to hide so that no difference of two published ones is a small count.

    When every member of group B is also in group A (the course's "completed" within "did module 5"), the
    published counts of A and B give ``|A| - |B|``: the people in A but not in B, a group of its own. This is
    the rule for such tables (a completion funnel): for every pair of *published* groups where one holds the
    other, the difference must be 0 or at least ``min_n``. Pairs that are not nested (some in B are not in A)
    say nothing exact about anybody and are left alone.

    Greedy: while a pair breaks the rule, hide one of its two counts: not one in ``keep`` if the other can
    go, else the one in more broken pairs, else the smaller group (the later one on a tie).

    Parameters
    ----------
    groups : mapping of name -> boolean array
        Membership of each person (same order in every array) in each group, in the order shown.
    min_n : int
        Smallest publishable difference (besides 0).
    keep : names
        Counts published anyway (the enrolled, the completed): hidden only if nothing else can go.
    hidden : names
        Counts already hidden for another reason.

    Returns
    -------
    set
        The names to hide, ``hidden`` included.

    Examples
    --------
    >>> m = lambda k: np.arange(20) < k
    >>> sorted(hide_nested_differences({"enrolled": m(20), "started": m(18), "M1": m(16), "done": m(15)},
    ...                                min_n=3, keep=["enrolled", "done"]))
    ['M1', 'started']
    """
    min_n = _check_min_n(min_n)
    names = list(groups)
    member = {k: np.asarray(v, dtype=bool) for k, v in groups.items()}
    size = {k: int(v.sum()) for k, v in member.items()}
    pairs = [
        (a, b)
        for a in names
        for b in names
        if a != b and size[a] > size[b] and not (member[b] & ~member[a]).any()
    ]
    keep_set, out = set(keep), set(hidden)
    while True:
        broken = [
            (a, b)
            for a, b in pairs
            if a not in out and b not in out and 0 < size[a] - size[b] < min_n
        ]
        if not broken:
            return out
        count: dict[Any, int] = {}
        for a, b in broken:
            count[a] = count.get(a, 0) + 1
            count[b] = count.get(b, 0) + 1
        a, b = broken[0]
        candidates = [k for k in (a, b) if k not in keep_set] or [b]
        out.add(max(candidates, key=lambda k: (count[k], -size[k], names.index(k))))


def _nullable(series: pd.Series) -> pd.Series:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return series
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.na_value is pd.NA:
        return series
    if pd.api.types.is_integer_dtype(dtype):
        return series.astype("Int64")
    return series.astype("Float64")


def suppress_by_n(
    df: pd.DataFrame,
    n_col: str = "n",
    min_n: int = MIN_N,
    *,
    value_cols: Iterable[str] | None = None,
    group_cols: Iterable[str] = (),
    secondary: bool = True,
    also_hide: Iterable[bool] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Hide the statistics of groups with fewer than ``min_n`` people, one row per group.

    For tables like ``organisation | n | top2_pct | ci_low | ci_high | mean``: in every row with
    ``0 < n < min_n`` the ``n`` and all ``value_cols`` become missing. With ``secondary=True`` and exactly one
    such row, the row with the next-smallest non-zero ``n`` is hidden too, so the hidden group cannot be worked
    out from a published total.

    Parameters
    ----------
    df : DataFrame
        One row per group.
    n_col : str
        The column with each group's number of people.
    min_n : int
        Threshold of the primary rule (default 5).
    value_cols : list of str, optional
        Columns to hide. Default: every numeric (non-boolean) column except ``n_col`` and ``group_cols``.
    group_cols : list of str
        Numeric columns that label the group (e.g. a year) and must stay visible under the default.
    secondary : bool
        Apply the secondary rule.
    also_hide : booleans, one per row, optional
        Rows to hide as if they were small (e.g. groups another published table hides, so that the tables
        share one pattern); they count as hidden for the secondary rule.

    Returns
    -------
    DataFrame
        A copy; ``n_col`` and ``value_cols`` become nullable (``Int64``/``Float64``), label columns are kept.
        ``attrs["suppressed_cells"]`` counts the cells hidden, ``attrs["suppressed_rows"]`` the rows,
        ``attrs["min_n"]`` is the threshold.

    Examples
    --------
    >>> t = pd.DataFrame({"rooli": ["työntekijä", "esihenkilö", "opiskelija"], "n": [40, 3, 11],
    ...                   "keskiarvo": [3.9, 4.3, 3.1]})
    >>> out = suppress_by_n(t)
    >>> out
            rooli     n  keskiarvo
    0  työntekijä    40        3.9
    1  esihenkilö  <NA>       <NA>
    2  opiskelija  <NA>       <NA>
    >>> out.attrs["suppressed_cells"], out.attrs["suppressed_rows"]
    (4, 2)
    """
    min_n = _check_min_n(min_n)
    if n_col not in df.columns:
        raise ValueError(f"column {n_col!r} (the group sizes) is not in the table; pass n_col=")
    group_cols = list(group_cols)
    n = pd.to_numeric(df[n_col], errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    hide = (n > 0) & (n < min_n)  # NaN compares False: an unknown n is left as it is
    if also_hide is not None:
        hide |= np.asarray(also_hide, dtype=bool) & (n > 0)
    if secondary and hide.sum() == 1:
        cand = ~hide & (n > 0)
        if cand.any():
            hide[int(np.argmin(np.where(cand, n, np.inf)))] = True
    if value_cols is None:
        value_cols = [
            c
            for c in df.columns
            if c != n_col
            and c not in group_cols
            and pd.api.types.is_numeric_dtype(df[c].dtype)
            and not pd.api.types.is_bool_dtype(df[c].dtype)
        ]
    else:
        value_cols = list(value_cols)
        missing = [c for c in value_cols if c not in df.columns]
        if missing:
            raise ValueError(f"value_cols not in the table: {missing!r}")
    out = df.copy()
    cells = 0
    for col in [n_col, *[c for c in value_cols if c != n_col]]:
        before = _nullable(df[col])
        cells += int((hide & before.notna().to_numpy()).sum())
        out[col] = before.mask(hide)
    out.attrs = {
        **df.attrs,
        "suppressed_cells": cells,
        "suppressed_rows": int(hide.sum()),
        "min_n": min_n,
    }
    return out
