"""Parts of a published total: answer options, NPS groups, and the Holm p-values that carry a hidden one.

:func:`suppress_parts` (counts of the parts of each row's published total, with declared partial sums and row
statistics), :func:`suppress_nps_groups` (promoters, passives, detractors) and :func:`holm_carriers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from sosrake_lib.sdc.cells import protect_hidden, suppress_small_cells
from sosrake_lib.settings import MIN_N

# ------------------------------------------------------------------------------------- parts of a row total


def suppress_parts(
    table: pd.DataFrame,
    parts: Iterable[str],
    min_n: int = MIN_N,
    *,
    linked: Mapping[str, Iterable[str]] | None = None,
    sums: Iterable[tuple[str, Iterable[Iterable[str]], Iterable[str]]] = (),
    computed_from: Mapping[str, Iterable[str]] | None = None,
    whole_row: bool = False,
) -> pd.DataFrame:
    """Hide the small counts among the parts of each row's published total (answer options, NPS groups...).

    A row of a distribution table publishes its total (``n``) and counts of its parts (answers per option,
    promoters/passives/detractors, increased/decreased/unchanged). Each row is treated as a one-way frequency
    table whose total is published: parts of ``0 < count < min_n`` people are hidden, and a part hidden alone is
    joined by the row's next smallest non-zero part, so it cannot be worked out as the total minus the rest
    (:func:`sosrake_lib.privacy.suppress_small_cells`, primary and secondary rule). Rows whose parts are already
    missing (a suppressed group) are left alone.

    Parameters
    ----------
    table : DataFrame
        One row per item or group.
    parts : list of str
        Count columns that add up to the row's published total.
    min_n : int
        Threshold of the primary rule.
    linked : mapping part -> columns, optional
        Columns derived from one part (its percentage and CI), hidden together with it.
    sums : list of (column, groups, derived columns)
        Published partial sums (e.g. ``top_box_n`` = the two highest options). Each group lists the unknowns
        of one equation the sum takes part in (``top_box_n = a4 + a5``: ``[a4, a5]``; ``n_valid = a1 + a2 + a3
        + top_box_n``: ``[a1, a2, a3, n_valid]``); where a group has exactly one hidden member, the sum would
        give it away, so the sum and its derived columns are hidden too. Sums are handled in the order given,
        and a group may name an earlier sum column: if that one was hidden, it counts as hidden.
    computed_from : mapping column -> parts, optional
        Row statistics computed from several parts, hidden in every row where any of those parts is hidden.
        A mean and SD of the answers are weighted sums of the answer counts: beside the published total and
        the visible counts they give one or two more equations, enough to work out up to three hidden counts
        (e.g. hidden 4 and 2 with n = 118 and mean 3.65: ``2*a2 + 401 = 3.65 * (108 + a2)`` gives ``a2 = 4``).
        So ``{"mean": scale_parts, "sd": scale_parts}``.
    whole_row : bool
        Hide every part of a row (zeros too) as soon as one is hidden: for rows that publish a statistic which
        is one more equation over the parts and must stay (an NPS: promoters minus detractors).

    Returns
    -------
    DataFrame
        A copy; touched columns become nullable. ``attrs["suppressed_cells"]`` adds the cells hidden here to
        the table's own count.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [20, 30], "yes": [17, 15], "no": [3, 15], "yes_pct": [85.0, 50.0]})
    >>> out = suppress_parts(t, ["yes", "no"], 5, linked={"yes": ["yes_pct"]})
    >>> out.values.tolist()
    [[20, <NA>, <NA>, <NA>], [30, 15, 15, 50.0]]
    >>> out.attrs["suppressed_cells"]
    3

    A mean beside hidden answer counts would give them away, so it goes with them:

    >>> t = pd.DataFrame({"n": [12, 40], "a1": [2, 10], "a2": [10, 30], "mean": [1.83, 1.75]})
    >>> suppress_parts(t, ["a1", "a2"], 5, computed_from={"mean": ["a1", "a2"]})["mean"].tolist()
    [<NA>, 1.75]
    """
    parts = list(parts)
    linked = {k: list(v) for k, v in (linked or {}).items()}
    sums = [(col, [list(g) for g in groups], list(derived)) for col, groups, derived in sums]
    computed = {k: set(v) for k, v in (computed_from or {}).items()}
    out = table.copy()
    hide: dict[str, np.ndarray] = {}
    for col in {
        *parts,
        *(c for cs in linked.values() for c in cs),
        *(c for s, _, d in sums for c in [s, *d]),
        *computed,
    }:
        hide[col] = np.zeros(len(out), dtype=bool)
    values = out[parts].apply(pd.to_numeric).to_numpy(dtype="float64", na_value=np.nan)
    sum_cols = [col for col, _, _ in sums]
    sum_values = (
        out[sum_cols].apply(pd.to_numeric).to_numpy(dtype="float64", na_value=np.nan)
        if sum_cols
        else np.empty((len(out), 0))
    )
    for i, row in enumerate(values):
        if np.isnan(row).any():
            continue
        kept = suppress_small_cells(pd.Series(row.astype("int64"), index=parts), min_n)
        hidden = {p for p in parts if pd.isna(kept[p])}
        value = {
            **dict(zip(parts, row, strict=True)),
            **dict(zip(sum_cols, sum_values[i], strict=True)),
        }
        hidden = _close_row(hidden, parts, sums, value, min_n, whole_row)
        for p in hidden & set(parts):
            for col in [p, *linked.get(p, [])]:
                hide[col][i] = True
        for col, _, derived in sums:
            if col in hidden:
                for c in [col, *derived]:
                    hide[c][i] = True
        for col, sources in computed.items():
            if hidden & sources:
                hide[col][i] = True
    cells = 0
    for col, mask in hide.items():
        if not mask.any():
            continue
        before = out[col]
        if pd.api.types.is_integer_dtype(before.dtype):
            before = before.astype("Int64")
        elif pd.api.types.is_float_dtype(before.dtype):
            before = before.astype("Float64")
        cells += int((mask & before.notna().to_numpy()).sum())
        out[col] = before.mask(mask)
    out.attrs = {
        **table.attrs,
        "suppressed_cells": int(table.attrs.get("suppressed_cells", 0)) + cells,
        "min_n": min_n,
    }
    return out


def _close_row(
    hidden: set[str],
    parts: list[str],
    sums: list[tuple[str, list[list[str]], list[str]]],
    value: Mapping[str, float],
    min_n: int,
    whole_row: bool,
) -> set[str]:
    """Grow a row's hidden set until nothing hidden can be worked out from what is shown (suppress_parts).

    Three rules, repeated until stable: a published partial sum of 1..min_n-1 people is a small cell itself;
    a sum is hidden when an equation it takes part in has exactly one hidden member; and a hidden sum whose
    equation has no hidden member (the sum = visible parts) takes the smallest visible part of that equation
    with it. Parts hidden together must add up to 0 or min_n or more (their sum is the total minus the rest).
    """
    hidden = set(hidden)
    sum_cols = {col for col, _, _ in sums}

    def grow(candidates: list[str]) -> bool:
        cands = [c for c in candidates if c not in hidden and value.get(c, 0) > 0]
        if not cands:
            return False
        hidden.add(
            min(cands, key=lambda c: (c in sum_cols, value[c]))
        )  # parts before sums, smallest first
        return True

    while True:
        changed = False
        if whole_row and hidden & set(parts) and not set(parts) <= hidden:
            hidden |= set(parts)
            changed = True
        protected = protect_hidden({p: value[p] for p in parts}, hidden & set(parts), min_n)
        if not protected <= hidden:
            hidden |= protected
            changed = True
        for col, groups, _ in sums:
            if col not in hidden and (
                0 < value.get(col, 0) < min_n
                or any(len(hidden.intersection(g)) == 1 for g in groups)
            ):
                hidden.add(col)
                changed = True
            if col in hidden:
                for g in groups:
                    if not hidden.intersection(g):
                        changed |= grow(g)
        if not changed:
            return hidden


NPS_GROUPS = ("promoters", "passives", "detractors")


def holm_carriers(
    p_values: Sequence[float] | np.ndarray, hidden: Sequence[bool] | np.ndarray
) -> np.ndarray:
    """Rows whose Holm-adjusted p would give another row's hidden p back.

    Holm's adjusted p of the k-th smallest p is the running maximum of ``(m - j + 1) p_(j)`` over j <= k
    (Holm 1979): where that maximum comes from a row ``j`` whose p is hidden, row k's published Holm p equals
    ``(m - j + 1) p_j`` and gives it back (unless it is capped at 1). ``p_values`` are the unsuppressed p
    (NaN: not in the family), ``hidden`` marks rows whose p is not published. Returns a boolean mask of the
    other rows whose Holm p must be hidden too.

    Examples
    --------
    >>> holm_carriers([0.010, 0.012, 0.5], [True, False, False]).tolist()  # 2 x 0.010 > 0.012
    [False, True, False]
    >>> holm_carriers([0.010, 0.030, 0.5], [True, False, False]).tolist()  # row 1's own 2 x 0.030 is larger
    [False, False, False]
    """
    p = np.asarray(p_values, dtype="float64")
    hide = np.asarray(hidden, dtype=bool)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="mergesort")]
    adjusted = (len(order) - np.arange(len(order))) * p[order]
    out = np.zeros(len(p), dtype=bool)
    source = 0
    for k in range(len(order)):
        if adjusted[k] > adjusted[source]:
            source = k
        if order[source] != order[k] and hide[order[source]] and adjusted[source] < 1:
            out[order[k]] = True
    return out & ~hide


def suppress_nps_groups(
    table: pd.DataFrame,
    min_n: int = MIN_N,
    *,
    groups: Sequence[str] = NPS_GROUPS,
    linked: Mapping[str, Iterable[str]] | None = None,
    value_cols: Sequence[str] = ("nps", "ci_low", "ci_high"),
    level: float = 0.95,
    method: str = "adjusted_wald",
    also_hide: Sequence[bool] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Hide the promoter, passive and detractor counts of an NPS row wherever one of them is small — all three.

    An NPS row publishes ``n`` = P + passives + D and the NPS = 100 (P - D) / n: two equations. Hiding two of
    the three counts (the usual secondary rule) would leave them solvable, so a row with a count of 1..min_n-1
    people hides all three, zeros included, with their shares (``linked``). If the NPS is within one person of
    +100 or -100 (``n - |P - D| <= 1``) the two equations still have one solution, so the NPS and its interval
    (``value_cols``) are hidden too. Otherwise the NPS stays, and its interval — which depends on P + D, so at
    full precision it gives P and D back — is published rounded to whole NPS points if the brute-force audit
    (:func:`sosrake_lib.disclosure.nps_possible_values`, at ``level`` and ``method``, or the row's ``method``
    column) leaves every count at least two possible values, and hidden otherwise. ``also_hide`` marks rows
    whose counts go as well (e.g. so that hidden rows cannot be worked out from a published margin); they are
    treated like the others.

    Examples
    --------
    >>> from sosrake_lib.scoring import nps_from_counts
    >>> rows = [nps_from_counts(*c) for c in ((5, 3, 6), (9, 1, 0), (10, 5, 5), (30, 40, 3))]
    >>> t = pd.DataFrame([r._asdict() for r in rows]).drop(columns="method")
    >>> out = suppress_nps_groups(t, 5)
    >>> out[["promoters", "passives", "detractors"]].isna().all(axis=1).tolist()
    [True, True, False, True]
    >>> out["nps"].isna().tolist()  # 9 promoters and 1 passive of 10: the NPS 90 alone would say so
    [False, True, False, False]

    Row 0's interval, even in whole points, fits one split of its 14 people only: it is hidden. Row 3's (73
    people) fits several once rounded, so it is published rounded; row 2 hides no count and keeps its own:

    >>> out["ci_low"].tolist()[::3], out["ci_high"].tolist()[3], round(float(out.loc[2, "ci_low"]), 2)
    ([<NA>, 23.0], 48.0, -11.72)
    """
    from sosrake_lib.disclosure import disclosed, nps_possible_values

    out = suppress_parts(table, groups, min_n, linked=linked, whole_row=True)
    if also_hide is not None and np.asarray(also_hide, dtype=bool).any():
        extra = np.asarray(also_hide, dtype=bool)
        added = 0
        for col in [*groups, *(c for g in groups for c in (linked or {}).get(g, []))]:
            before = (
                out[col].astype("Float64")
                if out[col].dtype.kind == "f"
                else out[col].astype("Int64")
            )
            added += int((before.notna().to_numpy() & extra).sum())
            out[col] = before.mask(extra)
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + added
    counts = table[list(groups)].apply(pd.to_numeric).to_numpy(dtype="float64", na_value=np.nan)
    now_hidden = out[list(groups)].isna().to_numpy().all(axis=1) & ~np.isnan(counts).any(axis=1)
    n = pd.to_numeric(table["n"]).to_numpy(dtype="float64", na_value=np.nan)
    lead = np.abs(counts[:, 0] - counts[:, -1])  # |P - D|, which the NPS gives away
    extreme = now_hidden & (n - lead <= 1)
    cells = 0
    ci_cols = [c for c in ("ci_low", "ci_high") if c in value_cols and c in out.columns]
    for col in {*value_cols, *ci_cols}:
        out[col] = out[col].astype("Float64")
    for i in np.flatnonzero(extreme):
        for col in value_cols:
            if not pd.isna(out.iloc[i][col]):
                out.iloc[i, out.columns.get_loc(col)] = pd.NA
                cells += 1
    for i in np.flatnonzero(now_hidden & ~extreme):
        row = out.iloc[i]
        if not ci_cols or all(pd.isna(row[c]) for c in ci_cols):
            continue
        rounded = {c: None if pd.isna(row[c]) else round(float(row[c])) for c in ci_cols}
        row_method = (
            str(row["method"]) if "method" in out.columns and not pd.isna(row["method"]) else method
        )
        values = nps_possible_values(
            int(n[i]),
            None if pd.isna(row["nps"]) else float(row["nps"]),
            {g: None for g in groups},
            **rounded,
            decimals=dict.fromkeys(ci_cols, 0),
            level=level,
            method=row_method,
        )
        keep = bool(values) and not disclosed(values)
        for c in ci_cols:
            if rounded[c] is not None:
                out.iloc[i, out.columns.get_loc(c)] = float(rounded[c]) if keep else pd.NA
                cells += 0 if keep else 1
    if cells:
        out.attrs["suppressed_cells"] = int(out.attrs.get("suppressed_cells", 0)) + cells
    return out
