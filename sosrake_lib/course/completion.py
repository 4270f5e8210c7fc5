"""Completion: the funnel of register steps and completion by group (one table or linked tables)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..sdc.cells import hide_nested_differences, suppress_by_n, suppress_small_cells
from ..settings import MIN_N
from ..stats import proportion_ci
from .constants import _TXT

#: Default funnel order, as the course team asked for it: enrolled → started → modules → contact days → done.
FUNNEL_STEPS: tuple[str, ...] = (
    "enrolled",
    "started",
    "M1",
    "M2",
    "M3",
    "M4",
    "M5",
    "contact_day1",
    "contact_day2",
    "completed",
)


# --------------------------------------------------------------------------------------------- completion
def _done(series: pd.Series) -> pd.Series:
    """True where the register says yes; a blank or "no" is False."""
    return series.astype("object").eq("yes").fillna(False).astype(bool)


def _step_label(step: str, inst: Instrument | None, lang: Lang) -> str:
    if step == "enrolled":
        return _TXT[lang]["enrolled"]
    if inst is not None and step in inst:
        return inst.item(step).text(lang)
    return step


def _category_label(inst: Instrument | None, item: str, code: Any, lang: Lang) -> str:
    if inst is not None and item in inst:
        scale = inst.item(item).scale
        if scale is not None and code in scale.codes:
            return scale.label(code, lang)
    return str(code)


def completion_funnel(
    enrol: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    steps: Sequence[str] = FUNNEL_STEPS,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Participants at each step of the course, with % of the enrolled (a census: no sampling interval).

    The register holds the whole cohort, so a step's count and its % of the enrolled are facts about this
    cohort, not estimates from a sample: there is no sampling error to show, and the table has no
    confidence interval. (An interval would describe future cohorts like this one, a different question;
    the comparisons between groups in :func:`completion_by` keep theirs, labelled so.)

    Parameters
    ----------
    enrol : DataFrame
        The cleaned register: one row per enrolled participant, yes/no columns per step (codes ``"yes"`` /
        ``"no"``, as ``read_export`` gives them).
    inst : Instrument, optional
        The register's codebook, for the step labels (item texts in ``lang``).
    steps : sequence of str
        ``"enrolled"`` (every row) and register columns, in the order to show.
    min_n : int
        Steps with ``0 < n < min_n`` are hidden (:func:`~sosrake_lib.sdc.suppress_by_n`). Steps are nested
        (whoever did module 2 did module 1), so two published counts also give the people who did one step but
        not the other: where such a difference is 1..min_n-1, one of the two steps is hidden too (never the
        enrolled or the completed if another can go; :func:`~sosrake_lib.sdc.hide_nested_differences`),
        and so is the % of the previous step after a hidden one.

    Returns
    -------
    DataFrame
        ``step``, ``step_label``, ``n`` (participants who did the step), ``pct`` (% of enrolled) and
        ``pct_of_previous`` (% of the previous step's n; only where the step is nested in the previous one,
        i.e. everyone at this step also did the previous step: contact days do not follow module 5, so a
        share of it could exceed 100 %; elsewhere missing).

    Examples
    --------
    Hand check: 4 of 10 completed → 40 % of this cohort, no interval.

    >>> e = pd.DataFrame({"completed": ["yes"] * 4 + ["no"] * 5 + [None]})
    >>> f = completion_funnel(e, steps=("enrolled", "completed"), min_n=1)
    >>> int(f.loc[1, "n"]), float(f.loc[1, "pct"]), list(f.columns)
    (4, 40.0, ['step', 'step_label', 'n', 'pct', 'pct_of_previous'])
    """
    total = len(enrol)
    members = {
        s: np.ones(total, dtype=bool) if s == "enrolled" else _done(enrol[s]).to_numpy(dtype=bool)
        for s in steps
    }
    counts = [int(members[s].sum()) for s in steps]
    prev = [np.nan, *counts[:-1]]
    # a share of the previous step only where this step is nested in it (no one here skipped the previous)
    nested = [False] + [
        not bool((members[b] & ~members[a]).any())
        for a, b in zip(steps[:-1], steps[1:], strict=True)
    ]
    prev = [p if ok else np.nan for p, ok in zip(prev, nested, strict=True)]
    table = pd.DataFrame(
        {
            "step": list(steps),
            "step_label": [_step_label(s, inst, lang) for s in steps],
            "n": np.array(counts, dtype="int64"),
            "pct": [100.0 * c / total if total else np.nan for c in counts],
            "pct_of_previous": [
                100.0 * c / p if p and p == p else np.nan for c, p in zip(counts, prev, strict=True)
            ],
        }
    )
    table = suppress_by_n(table, "n", min_n, secondary=False)
    shown_before = int(table[["n", "pct", "pct_of_previous"]].notna().sum().sum())
    # nested steps: who did step B did step A, so n(A) - n(B) counts the people who stopped in between
    small = [s for s, c in zip(steps, counts, strict=True) if 0 < c < min_n]
    hidden = hide_nested_differences(members, min_n, keep=("enrolled", "completed"), hidden=small)
    extra = np.array([s in hidden and s not in small for s in steps])
    if extra.any():
        table["n"] = table["n"].astype("Int64").mask(extra)
        for col in ("pct", "pct_of_previous"):
            table[col] = table[col].mask(extra)
    # a share of a hidden previous step gives that step back
    after_hidden = np.array([False, *[s in hidden for s in steps[:-1]]])
    table["pct_of_previous"] = table["pct_of_previous"].mask(after_hidden)
    shown_after = int(table[["n", "pct", "pct_of_previous"]].notna().sum().sum())
    table.attrs["suppressed_cells"] = (
        int(table.attrs.get("suppressed_cells", 0)) + shown_before - shown_after
    )
    return table


def completion_by(
    enrol: pd.DataFrame,
    by: str | Sequence[str],
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Completion (count, %, Wilson CI) per group of one or two register columns, small groups suppressed.

    The groups are the whole cohort's, so each count and % is a fact about this cohort. The Wilson 95 %
    interval (``ci_low_future`` / ``ci_high_future``, labelled "future cohorts") describes something else:
    how much the completion rate of a group could vary in future cohorts like this one, which is what a
    comparison between the groups needs (is a difference more than chance would make?).

    Disclosure rule, per row (group): the row is hidden when the group, its completers or its non-completers
    number 1..``min_n``-1 people (zeros describe nobody and do not trigger it). Because the overall totals
    (63 enrolled, 35 completed) are published, a single hidden row could be worked out by subtraction, so the
    secondary rule of :func:`~sosrake_lib.privacy.suppress_by_n` hides the row with the next-smallest size too.
    Rows, not single cells, are hidden: a completion % with its n is the count itself. Empty combinations are
    left out.

    Returns
    -------
    DataFrame
        One row per (non-empty) group: the ``by`` codes, ``label``, ``n``, ``completed``, ``not_completed``,
        ``pct_completed``, ``ci_low_future``, ``ci_high_future`` (%) and ``suppressed`` (bool). ``attrs["suppressed_cells"]``
        and ``attrs["suppressed_rows"]`` count what was hidden.

    Examples
    --------
    By hand: group c (3 people) and group a (4 non-completers) are small; two rows are hidden, so no
    secondary row is needed.

    >>> e = pd.DataFrame({"g": ["a"] * 10 + ["b"] * 12 + ["c"] * 3,
    ...                   "completed": ["yes"] * 6 + ["no"] * 4 + ["yes"] * 5 + ["no"] * 7 + ["yes"] * 3})
    >>> t = completion_by(e, "g")
    >>> t[["g", "n", "completed", "not_completed", "pct_completed"]].astype(object).values.tolist()
    [['a', <NA>, <NA>, <NA>, <NA>], ['b', 12, 5, 7, 41.666666666666664], ['c', <NA>, <NA>, <NA>, <NA>]]
    >>> completion_by(e[e["g"] != "c"], "g")["suppressed"].tolist()   # a alone is small: b goes with it
    [True, True]
    """
    by = [by] if isinstance(by, str) else list(by)
    data = enrol[by].copy()
    data["_done"] = _done(enrol[outcome]).astype("int64")
    grouped = data.groupby(by, observed=True, sort=True)["_done"]
    counts = pd.DataFrame({"completed": grouped.sum(), "n": grouped.size()})
    counts = counts[counts["n"] > 0].reset_index()
    counts["not_completed"] = counts["n"] - counts["completed"]
    low, high = proportion_ci(counts["completed"].to_numpy(), counts["n"].to_numpy(), ci=ci)
    sizes = counts[["n", "completed", "not_completed"]].to_numpy(dtype=float)
    smallest = np.where(sizes > 0, sizes, np.inf).min(axis=1)
    table = pd.DataFrame(
        {
            **{b: counts[b].astype("object") for b in by},
            "label": [
                " – ".join(_category_label(inst, b, row[b], lang) for b in by)
                for _, row in counts.iterrows()
            ],
            "n": counts["n"].astype("int64"),
            "completed": counts["completed"].astype("int64"),
            "not_completed": counts["not_completed"].astype("int64"),
            "pct_completed": 100.0 * counts["completed"] / counts["n"],
            "ci_low_future": 100.0 * np.asarray(low),
            "ci_high_future": 100.0 * np.asarray(high),
            "_smallest": smallest,
        }
    )
    out = suppress_by_n(
        table,
        "_smallest",
        min_n,
        value_cols=[
            "n",
            "completed",
            "not_completed",
            "pct_completed",
            "ci_low_future",
            "ci_high_future",
        ],
    )
    out["suppressed"] = out["_smallest"].isna().to_numpy()
    attrs = {k: out.attrs[k] for k in ("suppressed_rows", "min_n")}
    out = out.drop(columns="_smallest")
    out.attrs = {
        **attrs,
        "suppressed_cells": int(out[["n", "completed", "not_completed"]].isna().sum().sum()),
    }
    return out


def completion_linked(
    enrol: pd.DataFrame,
    rows: str = "uas",
    cols: str = "campus",
    inst: Instrument | None = None,
    *,
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`completion_by` for ``rows``, for ``cols`` and for both, suppressed together as linked tables.

    Published side by side, the three tables are one two-way table with its margins: by campus is the column
    total of by UAS x campus, by UAS its row total (and a UAS with one campus *is* its cell). Suppressed one
    by one, a hidden cell can be worked out by subtraction: in the sample, Mikkeli (14 of 25 completed) minus
    Xamk-Mikkeli (7 of 16) gave Diak-Mikkeli, 7 of 9, i.e. 2 non-completers. So each cell's smallest count
    (group, completers, non-completers; zeros describe nobody) goes into one ``rows x cols`` table with its
    margins, :func:`~sosrake_lib.privacy.suppress_small_cells` applies the primary and secondary rule to every
    line (each row with its total, each column with its total, the totals with the grand total), and a line
    left with one hidden cell and nothing else to hide has its total hidden as well, until no line has
    exactly one hidden entry. Whole rows of the three tables are hidden, as in :func:`completion_by`.

    Returns
    -------
    tuple of DataFrame
        ``(by rows, by cols, by rows and cols)``, each like :func:`completion_by`'s result.

    Examples
    --------
    B has 2 people at campus k and 9 at m (2 non-completers). One by one, the UAS x campus table hides B's
    two cells but shows C-m (7 of 16), and the campus table shows m (14 of 25): m - C-m gives B-m, 7 of 9.
    Linked, C-m is hidden with B-m; C has one campus, so C's total goes too; column k then needs a second
    hidden cell (A-k), and A's total follows. Only the campus totals stay:

    >>> e = pd.DataFrame({"uas": ["A"] * 20 + ["B"] * 11 + ["C"] * 16, "campus": ["k"] * 22 + ["m"] * 25,
    ...                   "completed": ["yes"] * 12 + ["no"] * 8 + ["yes"] * 9 + ["no"] * 2 + ["yes"] * 7 + ["no"] * 9})
    >>> completion_by(e, ["uas", "campus"])["suppressed"].tolist()  # one by one: A-k, B-k, B-m, C-m
    [False, True, True, False]
    >>> u, c, uc = completion_linked(e)
    >>> u["suppressed"].tolist(), c["suppressed"].tolist(), uc["suppressed"].tolist()
    ([True, True, True], [False, False], [True, True, True, True])
    >>> completion_linked(e, min_n=2)[2]["suppressed"].tolist()  # nothing small at min_n 2
    [False, False, False, False]
    """
    full_r = completion_by(enrol, rows, inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    full_c = completion_by(enrol, cols, inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    full_rc = completion_by(enrol, [rows, cols], inst, outcome=outcome, min_n=1, lang=lang, ci=ci)
    total = "\x00total"

    def smallest(t: pd.DataFrame) -> np.ndarray:
        sizes = t[["n", "completed", "not_completed"]].to_numpy(dtype=float)
        return np.where(sizes > 0, sizes, np.inf).min(axis=1)

    r_levels, c_levels = list(full_r[rows]), list(full_c[cols])
    grid = pd.DataFrame(0, index=[*r_levels, total], columns=[*c_levels, total], dtype="int64")
    for (r, c), v in zip(
        zip(full_rc[rows], full_rc[cols], strict=True), smallest(full_rc), strict=True
    ):
        grid.loc[r, c] = int(v)
    for r, v in zip(r_levels, smallest(full_r), strict=True):
        grid.loc[r, total] = int(v)
    for c, v in zip(c_levels, smallest(full_c), strict=True):
        grid.loc[total, c] = int(v)
    done = _done(enrol[outcome])
    grid.loc[total, total] = int(
        min(x for x in (len(done), int(done.sum()), int((~done).sum())) if x > 0)
    )
    forced: set[tuple[Any, Any]] = set()
    while True:
        work = grid.copy()
        for r, c in forced:
            work.loc[r, c] = 1 if min_n > 1 else 0
        supp = suppress_small_cells(work, min_n, total_rows=[total], total_cols=[total])
        hidden = supp.isna()
        new = set()
        for kind, label in supp.attrs["unprotected_lines"]:
            cell = (label, total) if kind == "row" else (total, label)
            if not hidden.loc[cell] and cell != (total, total):
                new.add(cell)
        if not new or min_n <= 1:
            break
        forced |= new
    if (total, total) in forced or hidden.loc[
        total, total
    ]:  # the grand total is published (the funnel)
        hidden.loc[:, :] = True

    def apply(t: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
        out = t.copy()
        cols_ = [
            "n",
            "completed",
            "not_completed",
            "pct_completed",
            "ci_low_future",
            "ci_high_future",
        ]
        out = out.astype(
            {c: ("Int64" if c in ("n", "completed", "not_completed") else "Float64") for c in cols_}
        )
        out.loc[mask, cols_] = pd.NA
        out["suppressed"] = mask
        out.attrs = {
            "suppressed_rows": int(mask.sum()),
            "min_n": min_n,
            "suppressed_cells": int(out[["n", "completed", "not_completed"]].isna().sum().sum()),
        }
        return out

    by_r = apply(full_r, np.array([bool(hidden.loc[r, total]) for r in full_r[rows]]))
    by_c = apply(full_c, np.array([bool(hidden.loc[total, c]) for c in full_c[cols]]))
    by_rc = apply(
        full_rc,
        np.array(
            [bool(hidden.loc[r, c]) for r, c in zip(full_rc[rows], full_rc[cols], strict=True)]
        ),
    )
    return by_r, by_c, by_rc
