"""THL client-feedback themes: theme scores, top-2-box shares and item distributions (step 2)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..scoring import likert_table, scale_scores
from ..sdc.audit import restore_rounded_stats
from ..sdc.cells import suppress_by_n
from ..sdc.linked import publish_as
from ..sdc.margins import protect_margins_within
from ..sdc.parts import suppress_parts
from ..settings import MIN_N
from ..stats import proportion_ci
from .cluster import (
    cluster_fit,
    few_clusters_note,
    interviewers,
    protect_interviewer_counts,
    wilson_effective,
)
from .common import TOP2_THRESHOLD, _inst, _semesters
from .counts import _category_labels, _service_hidden, interview_counts


# ------------------------------------------------------------------------------------- 2. THL themes
def theme_scores(
    df: pd.DataFrame, inst: Instrument | str | None = None, min_valid: float = 0.5
) -> pd.DataFrame:
    """Mean of each THL theme's items per interview (:func:`~sosrake_lib.scoring.scale_scores`).

    "En osaa sanoa" is NaN in the items and so out of the mean; an interview with fewer than half of a
    theme's items answered gets NaN for that theme.
    """
    inst = _inst(inst)
    return scale_scores(df, inst.area_items(), scale_min=1, scale_max=5, min_valid=min_valid)


def _top2_row(scores: pd.Series, clusters: np.ndarray | None) -> dict[str, Any]:
    """A theme's top-2 figures in one group; ``clusters``: the interviewer of each of ``scores``' rows.

    With interviewers the interval is :func:`~sosrake_lib.interviews.cluster.wilson_effective` (Wilson on
    the effective n) and ``deff`` the design effect of the share; without them (no ``student`` column)
    the plain Wilson interval with NaN ``deff``.
    """
    ok = scores.notna().to_numpy()
    x = scores[ok]
    n = int(len(x))
    count = int((x >= TOP2_THRESHOLD).sum())
    deff, n_int = math.nan, math.nan
    if clusters is None:
        low, high = proportion_ci(count, n)
    else:
        fit = cluster_fit((x >= TOP2_THRESHOLD).astype(float).to_numpy(), clusters[ok])
        deff, n_int = fit.deff, fit.n_clusters
        low, high = wilson_effective(count, n, deff, fit.n_clusters)
    return {
        "n": n,
        "top2_n": count,
        "top2_pct": 100 * count / n if n else math.nan,
        "ci_low": 100 * low if n else math.nan,
        "ci_high": 100 * high if n else math.nan,
        "mean": float(x.mean()) if n else math.nan,
        "deff": deff,
        "n_interviewers": n_int,
        "_students": len(pd.unique(clusters)) if clusters is not None else math.nan,
    }


def theme_top2(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    by: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    semester: str | None = None,
) -> pd.DataFrame:
    """Top-2-box % of each THL theme per semester (and per ``by`` group), with Wilson 95 % CIs.

    The unit is the interview: an interview is in the top-2 box of a theme when its theme mean is at least 4
    (on average "jokseenkin" or "täysin samaa mieltä"). Counting interviews rather than pooled item answers
    gives one observation per interview (the interviews of one interviewer are still alike: see below). Groups with ``n < min_n`` are suppressed within each semester (with secondary suppression; with
    ``by="service"`` also every cell :func:`service_counts` hides, as in :func:`nps_table`), and
    so are ``top2_n`` and its % and CI where either the agreeing or the other interviews number 1..min_n-1
    (:func:`~sosrake_lib.outputs.suppress_parts`: with ``n`` published, either count gives the other away).

    With ``by``, the rows of a semester add up to the semester's row, which is published: where the hidden
    rows of a theme would add up to a count of 1..min_n-1 (or be one row alone), the visible row with the fewest
    interviews is hidden too (as in :func:`nps_table`). A one-statement theme (turvallisuus) has no mean by
    group: with n and the top-2 count it would give the statement's answer counts (7 agreeing, mean 4.428571:
    four 4s and three 5s).

    ``semester``: only that semester's rows; the pattern shared with :func:`service_counts` still comes from
    every semester in ``df`` (the service counts are published for all of them).

    Interviews are clustered in interviewers (``student``), so the interval is the Wilson interval on the
    effective sample size n / deff, df-adjusted (:func:`~sosrake_lib.interviews.cluster.wilson_effective`,
    Korn & Graubard 1998), ``deff`` the design effect of the share (clustered over independent variance,
    published at two decimals and hidden with the share), ``n_interviewers`` the interviewers behind the
    row (a count of people: hidden where small or where, beside the students of the row's group, it gives a
    small count back, and where :func:`interview_counts` hides the semester's students:
    :func:`~sosrake_lib.interviews.cluster.protect_interviewer_counts`) and ``cluster_note`` says where
    fewer than 30 interviewers make the interval unreliable. Without a ``student`` column: the plain
    Wilson interval and no design effect.

    Returns
    -------
    DataFrame
        ``semester``, [``by``], ``theme``, ``theme_label``, ``n``, ``top2_n``, ``top2_pct``, ``ci_low``,
        ``ci_high`` (percent), ``mean`` (beside the distribution only), ``deff``, ``n_interviewers``,
        ``method``, ``cluster_note``.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 5, "TU1": [5, 4, 4, 2, np.nan]})
    >>> t = theme_top2(toy, min_n=1)
    >>> t.loc[t.theme == "turvallisuus", ["n", "top2_n", "top2_pct"]].values.tolist()
    [[4, 3, 75.0]]
    >>> t = theme_top2(toy, min_n=2)  # 3 agree, 1 does not: the 1 would be n - top2_n
    >>> t.loc[t.theme == "turvallisuus", ["n", "top2_n", "top2_pct"]].values.tolist()
    [[4, <NA>, <NA>]]
    """
    inst = _inst(inst)
    areas = {a: [i for i in items if i.lstrip("-") in df] for a, items in inst.area_items().items()}
    areas = {a: items for a, items in areas.items() if items}
    scores = scale_scores(df, areas, 1, 5)
    rows = []
    raw_rows: list[pd.DataFrame] = []  # before suppression: the margin rule needs the hidden counts
    group_sizes: list[int] = []  # interviews in each row's group, for the non-valid part
    hidden_cells = _service_hidden(df, inst, min_n, lang) if by == "service" else set()
    who = interviewers(df)
    for sem in _semesters(df):
        if semester is not None and sem != semester:
            continue
        in_sem = (df["semester"] == sem).to_numpy()
        groups: list[tuple[Any, np.ndarray]] = [(None, in_sem)]
        if by:
            labels = (
                _category_labels(inst, by, lang) if by in inst and inst.item(by).scale else None
            )
            values = df[by].astype("object")
            levels = list(labels) if labels else sorted(values.dropna().unique())
            groups = [
                (labels[g] if labels else g, in_sem & (values == g).to_numpy()) for g in levels
            ]
        block = []
        for glabel, mask in groups:
            for area in areas:
                row = {
                    "semester": sem,
                    **({by: glabel} if by else {}),
                    "theme": area,
                    "theme_label": inst.area_label(area, lang),
                    **_top2_row(scores.loc[mask, area], None if who is None else who[mask]),
                }
                block.append(row)
                group_sizes.append(int(mask.sum()))
        part = pd.DataFrame(block)
        raw_rows.append(part)
        if by:  # suppression and its secondary rule work per theme within the semester
            # the cells the service counts hide are hidden here too (one shared pattern): counted as small
            linked_hide = np.array(
                [(str(sem), str(g)) in hidden_cells for g in part[by]], dtype=bool
            )
            pieces = [
                suppress_by_n(g, "n", min_n, also_hide=linked_hide[part.index.get_indexer(g.index)])
                for _, g in part.groupby("theme", sort=False)
            ]
            part = pd.concat(pieces).sort_index()
            part.attrs = {
                k: sum(p.attrs[k] for p in pieces) for k in ("suppressed_rows", "suppressed_cells")
            }
        else:
            part = suppress_by_n(part, "n", min_n, secondary=False)
        rows.append(part)
    hidden = {
        k: sum(int(part.attrs.get(k, 0)) for part in rows)
        for k in ("suppressed_rows", "suppressed_cells")
    }
    out = pd.concat(rows, ignore_index=True)
    out["method"] = f"top-2-box: theme mean >= {TOP2_THRESHOLD:g}; " + (
        "Wilson 95 % CI"
        if who is None
        else "Wilson 95 % CI on the effective n = n / design effect, interviewers as clusters, "
        "t with interviewers - 1 df (Korn & Graubard 1998)"
    )
    n_interviewers_full = out["n_interviewers"].to_numpy(dtype=float)
    out["_other_n"] = pd.to_numeric(out["n"]) - pd.to_numeric(out["top2_n"])
    # the group's interviews are published (interview_counts, service_counts): n beside them gives the
    # interviews without a theme score ("En osaa sanoa", unanswered), so those are a part of the total too
    out["_nonvalid_n"] = np.array(group_sizes) - pd.to_numeric(out["n"])
    out.loc[out["n"].isna(), "_nonvalid_n"] = pd.NA
    parts = suppress_parts(
        out,
        ["top2_n", "_other_n", "_nonvalid_n"],
        min_n,
        linked={"top2_n": ["top2_pct", "ci_low", "ci_high", "deff"]},
        sums=[
            (
                "n",
                [["_nonvalid_n"], ["top2_n", "_other_n"]],
                ["top2_pct", "ci_low", "ci_high", "mean", "deff"],
            )
        ],
    )
    hidden["suppressed_cells"] += int(parts.attrs["suppressed_cells"])
    if by:
        hidden["suppressed_cells"] += _protect_group_margins(
            parts, pd.concat(raw_rows, ignore_index=True), np.array(group_sizes), areas, min_n
        )
    out = parts.drop(columns=["_other_n", "_nonvalid_n"])
    if not by:
        hidden["suppressed_cells"] += _single_item_as_published(out, df, inst, areas, min_n, lang)
    return _publish_cluster_columns(out, df, by, n_interviewers_full, hidden, min_n, lang)


def _publish_cluster_columns(
    out: pd.DataFrame,
    df: pd.DataFrame,
    by: str | None,
    n_interviewers_full: np.ndarray,
    hidden: dict[str, int],
    min_n: int,
    lang: Lang,
) -> pd.DataFrame:
    """The published form of :func:`theme_top2`'s interviewer columns (its docstring says what and why)."""
    out = out.copy()
    also_hide = None
    if not by and "student" in df.columns:  # the semester's number of students is hidden there
        counts = interview_counts(df, min_n).set_index("semester")["n_students"]
        also_hide = [pd.isna(counts.get(s, pd.NA)) for s in out["semester"]]
    out.attrs = {"suppressed_cells": 0}
    out = protect_interviewer_counts(out, out["_students"], min_n, also_hide=also_hide)
    hidden["suppressed_cells"] += int(out.attrs["suppressed_cells"])
    out["n_interviewers"] = pd.to_numeric(out["n_interviewers"]).astype("Int64")
    out["deff"] = pd.to_numeric(out["deff"]).astype("Float64").round(2)
    shown = out["ci_low"].notna().to_numpy()
    out["cluster_note"] = [
        few_clusters_note(g, lang) if ok else ""
        for g, ok in zip(n_interviewers_full, shown, strict=True)
    ]
    out = out.drop(columns="_students")
    out.attrs = {**hidden, "min_n": min_n}
    return out


def _protect_group_margins(
    out: pd.DataFrame,
    full: pd.DataFrame,
    sizes: np.ndarray,
    areas: Mapping[str, Sequence[str]],
    min_n: int,
) -> int:
    """The by-group rules of :func:`theme_top2` (its docstring); changes ``out`` in place, returns cells hidden.

    Declares what the rules of :mod:`sosrake_lib.sdc` need: a group row's interviews split into the theme's
    top-2 count, the rest of the scored and those without a score; the whole (the semester's row) is
    published, so the hidden groups' parts must not be worked out from it (:func:`protect_margins_within`).
    A one-statement theme's mean by group is its statement's mean in that group, which no table publishes.
    """
    full = full.assign(_other_n=full["n"] - full["top2_n"], _nonvalid_n=sizes - full["n"])
    cells = protect_margins_within(
        full,
        out,
        ["top2_n", "_other_n", "_nonvalid_n"],
        by="theme",
        shown=["n", "top2_n", "top2_pct", "ci_low", "ci_high", "mean", "deff", "n_interviewers"],
        min_n=min_n,
    )
    single = [a for a, items in areas.items() if len(items) == 1]
    return cells + publish_as(out, out["theme"].isin(single).to_numpy(), {"mean": pd.NA})


def _single_item_as_published(
    out: pd.DataFrame,
    df: pd.DataFrame,
    inst: Instrument,
    areas: Mapping[str, Sequence[str]],
    min_n: int,
    lang: Lang,
) -> int:
    """Make the rows of one-statement themes (turvallisuus: TU1) publish no more than the statement does.

    Such a theme's score is the statement's answer, so its n, top-2 count, share, interval and mean are the
    statement's ``n_valid``, ``top_box_n``, ``top_box_pct`` and mean in :func:`likert_distribution`, where the
    suppression knows every relation between the answer counts. A row that published them in full beside the
    distribution gave its hidden counts back (a mean of 4.128205 with n = 39 and the visible counts solves
    for the hidden two). Changes ``out`` in place (per semester); returns the number of cells it hid.
    """
    single = {a: items[0].lstrip("-") for a, items in areas.items() if len(items) == 1}
    if not single:
        return 0
    hidden = 0
    columns = {
        "n": "n_valid",
        "top2_n": "top_box_n",
        "top2_pct": "top_box_pct",
        "ci_low": "top_box_ci_low",
        "ci_high": "top_box_ci_high",
        "mean": "mean",
    }
    for sem in out["semester"].unique():
        dist = likert_distribution(df, inst, semester=sem, min_n=min_n, lang=lang).set_index("item")
        for area, item in single.items():
            rows = (out["semester"] == sem).to_numpy() & (out["theme"] == area).to_numpy()
            if not rows.any() or item not in dist.index:
                continue
            values = {col: dist.at[item, from_col] for col, from_col in columns.items()}
            # our interval is the design-adjusted one: it is shown where the statement's is shown
            for col in ("ci_low", "ci_high", "deff"):
                own = out.loc[rows, col].iloc[0]
                values[col] = pd.NA if pd.isna(dist.at[item, "top_box_ci_low"]) else own
            hidden += publish_as(out, rows, values)
    return hidden


def likert_distribution(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    semester: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Item-level answer distributions (counts, % of all answers incl. "En osaa sanoa", top-2-box with Wilson CI).

    Uses :func:`~sosrake_lib.scoring.likert_table`; rows are items in codebook (theme) order, labelled
    "Theme: statement". Percent columns (``pct: <label>``) use all answers, "En osaa sanoa" included, so the
    diverging figure shows it apart. Items with fewer than ``min_n`` answers are suppressed; in the other rows
    answer counts of 1..min_n-1 people are hidden with a second count of the row
    (:func:`~sosrake_lib.outputs.suppress_parts`), and ``n_valid`` / ``top_box_n`` too where they would give a
    hidden count away; the top-2 % and its CI go wherever either of those is hidden. Where one of an item's
    scale answers is hidden, its mean and SD are published rounded to one decimal if the brute-force audit
    (:func:`sosrake_lib.disclosure.restore_rounded_stats`) shows no hidden count can then be worked out, and
    hidden otherwise (at full precision, with the total, they would pin the hidden counts down). The
    ``pct:`` columns (for the figure) are computed from the published counts, so a hidden count has no share
    either; they repeat the counts, so drop them before publishing the table.
    """
    inst = _inst(inst)
    part = df if semester is None else df[df["semester"] == semester]
    items = [it for it in inst.likert_items() if it.id in part]
    scale = items[0].scale
    assert scale is not None
    labels = {int(c): scale.label(c, lang) for c in scale.codes}
    nsa = {k: scale.label(k, lang) for k in scale.non_substantive}
    table = likert_table(part, [it.id for it in items], labels, top=2, nsa_labels=nsa)
    table.insert(1, "theme", [it.area for it in items])
    table.insert(
        2, "label", [f"{inst.area_label(it.area or '', lang)}: {it.text(lang)}" for it in items]
    )
    for col in ("top_box_pct", "top_box_ci_low", "top_box_ci_high"):
        table[col] = table[col].astype(float)
    full = table  # before suppression: the audit's source of the rounded means (copy-on-write, no copy made)
    table = suppress_by_n(table, "n_total", min_n, secondary=False)
    codes = sorted(labels)
    top = [labels[c] for c in codes[-2:]]
    low = [labels[c] for c in codes[:-2]]
    nsa_cols = list(nsa.values())
    box = ["top_box_pct", "top_box_ci_low", "top_box_ci_high"]
    table = suppress_parts(
        table,
        [*low, *top, *nsa_cols],
        min_n,
        sums=[
            ("n_valid", [nsa_cols, [*low, *top]], box),
            ("top_box_n", [top, [*low, "n_valid"], [*low, *nsa_cols]], box),
        ],
        computed_from={"mean": [*low, *top], "sd": [*low, *top]},
    )
    table = restore_rounded_stats(
        table, full, answers=[*low, *top, *nsa_cols], scale={labels[c]: c for c in codes}, top=top
    )
    total = pd.to_numeric(table["n_total"]).astype("float64")
    for lab in [*labels.values(), *nsa.values()]:
        table[f"pct: {lab}"] = (
            100 * pd.to_numeric(table[lab]).astype("float64") / total.where(total > 0)
        )
    return table
