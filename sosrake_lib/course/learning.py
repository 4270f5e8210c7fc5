"""Learning: area scores, pre→post change, gain ranking, pair accounting and the 2020 baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..fmt import Lang
from ..scoring import scale_scores
from ..sdc.cells import suppress_by_n, suppress_small_cells
from ..sdc.parts import suppress_parts
from ..sdc.stat_tests import hide_invertible_tests
from ..settings import BOOTSTRAP_SEED, MIN_N
from ..stats import holm, paired_change_table, two_sample_ordinal
from .completion import _done
from .constants import _TXT
from .feedback import _mean_ci
from .ranking import N_BOOT, attach_ranks, bootstrap_change_ranks


# ----------------------------------------------------------------------------------------------- learning
def area_scores(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    role: str | None = None,
    id_col: str | None = None,
    min_valid: float = 0.5,
) -> pd.DataFrame:
    """Area means per respondent (:func:`~sosrake_lib.scoring.scale_scores` over the codebook's area items).

    Indexed by the (pseudonymised) respondent id, so pre and post scores pair by index label. "En osaa sanoa"
    is NaN and left out; with fewer than ``min_valid`` of an area's items answered the area score is NaN.

    Examples
    --------
    >>> from sosrake_lib.codebook import load_instrument
    >>> inst = load_instrument("course_selfassessment")
    >>> df = pd.DataFrame({"participant_id": ["ps_a"], **{c: [3.0] for c in inst.area_items()["raportointi"]}})
    >>> area_scores(df, inst).loc["ps_a", "raportointi"]
    np.float64(3.0)
    """
    id_col = id_col or inst.respondent_id
    areas = {
        a: items
        for a, items in inst.area_items(role=role).items()
        if all(i.lstrip("-") in df.columns for i in items)
    }
    scores = scale_scores(df, areas, min_valid=min_valid)
    scores.index = pd.Index(df[id_col].astype("str"), name=id_col)
    return scores


def learning_change(
    pre_scores: pd.DataFrame,
    post_scores: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    zero_method: str = "wilcox",
    alpha: float = 0.05,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    n_boot: int = N_BOOT,
    seed: int = BOOTSTRAP_SEED,
) -> pd.DataFrame:
    """Pre→post change per area: Wilcoxon signed-rank, median change, rank-biserial r, Holm across areas.

    Wraps :func:`~sosrake_lib.stats.paired_change_table` (scipy's ``wilcoxon``): pairs are matched on the index
    (the pseudonymised participant id); only participants with both scores in an area count. ``zero_method``
    ("wilcox": zero differences dropped before ranking, Wilcoxon 1945; "pratt" or "zsplit") is reported in
    every row. The Holm family is the set of areas. Areas are ranked by median change, ties broken by the mean
    change and then the effect size (``gain_rank`` 1 = grew most). The ranks carry their uncertainty
    (:func:`~sosrake_lib.course.ranking.bootstrap_change_ranks`: ``n_boot`` bootstrap replicates of the paired
    participants, seeded with ``seed``, ranked by median and then mean change): ``p_top_gain`` is the share
    of replicates where the area grew most, ``gain_rank_ci_low`` / ``gain_rank_ci_high`` its 95 % rank
    interval; the largest gain is named only when ``p_top_gain`` is at least
    :data:`~sosrake_lib.course.ranking.CLEAR_P`. ``test`` says what ran, from the result: the p-value's
    method (scipy's exact or permutation distribution, or the normal approximation), or that no test ran (all
    differences zero); in a row whose p is hidden (below) it names the test only. ``family`` names the Holm
    family: every area with pairs, one family (one question: did self-assessed competence change?).
    Areas with fewer than ``min_n`` pairs are
    suppressed and not ranked; in the others, counts of 1..min_n-1 participants who rose, fell or stayed are
    hidden with a second count of the row (:func:`~sosrake_lib.outputs.suppress_parts`).

    The test statistics of a row with a hidden count would give it back: W and r together fix the number of
    non-zero pairs (``S = 2 W / (1 - r)`` rank sum), hence "stayed" = pairs minus that, and a full-precision
    p-value does much the same. In such a row the statistic, p and Holm p are hidden (``significant`` stays),
    and r is published at two decimals, or one, where the audit
    :func:`~sosrake_lib.disclosure.signed_rank_possible_values` shows every hidden count can still take two
    values or more (hidden otherwise; always hidden for ``zero_method`` other than "wilcox"). Holm p of another
    row that equals a hidden row's adjusted p (Holm's step-down maximum) is hidden too.

    Returns
    -------
    DataFrame
        ``area``, ``area_label``, ``n_pairs``, ``n_increase``, ``n_decrease``, ``n_zero``, medians before/after,
        ``median_change`` and its CI, ``mean_change``, ``statistic``, ``p_value``, ``p_holm``, ``effect_size``
        (rank-biserial r), ``effect_size_name``, ``significant`` (``p_holm < alpha``), ``gain_rank``,
        ``test``, ``zero_method``.

    Examples
    --------
    >>> pre = pd.DataFrame({"A": [1.0, 2, 3, 4, 2, 3], "B": [3.0, 3, 3, 3, 3, 3]}, index=list("abcdef"))
    >>> post = pd.DataFrame({"A": [2.0, 3, 4, 5, 3, 4], "B": [3.0, 3, 3, 3, 3, 4]}, index=list("fedcba")[::-1])
    >>> t = learning_change(pre, post, min_n=1)
    >>> t[["area", "n_pairs", "median_change", "effect_size", "gain_rank"]].values.tolist()
    [['A', 6, 1.0, 1.0, 1], ['B', 6, 0.0, 1.0, 2]]
    >>> t[["p_top_gain", "gain_rank_ci_low", "gain_rank_ci_high"]].values.tolist()
    [[1.0, 1, 1], [0.0, 2, 2]]
    >>> t["test"].tolist()  # tied differences, 6 pairs: scipy used the permutation distribution
    ['Wilcoxon signed-rank (permutation p)', 'Wilcoxon signed-rank (permutation p)']
    """
    areas = [a for a in pre_scores.columns if a in post_scores.columns]
    table = paired_change_table(pre_scores, post_scores, areas, zero_method=zero_method)  # type: ignore[arg-type]
    table = table.rename(columns={"column": "area"})
    table.insert(
        1, "area_label", [inst.area_label(a, lang) if inst is not None else a for a in areas]
    )
    table["significant"] = np.nan_to_num(table["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha
    rankable = table["n_pairs"] >= min_n
    order = table[rankable].sort_values(
        ["median_change", "mean_change", "effect_size"], ascending=False, kind="mergesort"
    )
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    rank[order.index] = np.arange(1, len(order) + 1)
    table["gain_rank"] = rank
    ranked = [str(a) for a in table.loc[rankable.to_numpy(), "area"]]
    ids = pre_scores.index.intersection(post_scores.index)
    boot = (
        bootstrap_change_ranks(
            post_scores.loc[ids, ranked].astype(float) - pre_scores.loc[ids, ranked].astype(float),
            n_boot=n_boot,
            seed=seed,
        )
        if ranked
        else None
    )
    table = attach_ranks(
        table,
        "area",
        boot,
        {
            "p_top_gain": "p_first",
            "gain_rank_ci_low": "rank_ci_low",
            "gain_rank_ci_high": "rank_ci_high",
        },
    )
    table["test"] = [_wilcoxon_label(m) for m in table["method"]]
    table["family"] = HOLM_FAMILY_AREAS
    keep = [
        "area",
        "area_label",
        "n_pairs",
        "n_increase",
        "n_decrease",
        "n_zero",
        "median_pre",
        "median_post",
        "median_change",
        "median_change_ci_low",
        "median_change_ci_high",
        "mean_change",
        "statistic",
        "p_value",
        "p_holm",
        "effect_size",
        "effect_size_name",
        "significant",
        "gain_rank",
        "p_top_gain",
        "gain_rank_ci_low",
        "gain_rank_ci_high",
        "test",
        "zero_method",
        "family",
    ]
    out = table[keep]
    p_full = out["p_value"].to_numpy(
        dtype=float, na_value=np.nan
    )  # before suppression: Holm used them all
    out = suppress_by_n(
        out,
        "n_pairs",
        min_n,
        secondary=False,
        value_cols=[c for c in keep[3:17] if c != "effect_size_name"],
    )
    out = suppress_parts(out, ["n_increase", "n_decrease", "n_zero"], min_n)
    out = hide_invertible_tests(out, p_full, zero_method, parts=_CHANGE_PARTS)
    # a hidden p has no method to name (and "exact" would say there were no zero differences)
    p_hidden = out["p_value"].isna().to_numpy() & ~np.isnan(p_full)
    out["test"] = out["test"].mask(p_hidden, WILCOXON)
    return out


_CHANGE_PARTS = ("n_increase", "n_decrease", "n_zero")

WILCOXON = "Wilcoxon signed-rank"
#: The Holm family of the learning table (``family`` column).
#: Code of the family (its readable text: ``values: family:`` in ``labels_data/course.yaml``).
HOLM_FAMILY_AREAS = "areas_with_pairs"
_P_METHODS = {
    "exact": "exact p",
    "permutation": "permutation p",
    "asymptotic": "normal approximation",
}


def _wilcoxon_label(method: str) -> str:
    """The test as it ran, from :attr:`~sosrake_lib.stats.PairedChangeResult.method`.

    >>> _wilcoxon_label("asymptotic"), _wilcoxon_label("none")
    ('Wilcoxon signed-rank (normal approximation)', 'Wilcoxon signed-rank (not run: no non-zero difference)')
    """
    if method in _P_METHODS:
        return f"{WILCOXON} ({_P_METHODS[method]})"
    return f"{WILCOXON} (not run: no non-zero difference)"


def gain_ranking(change: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The ``k`` areas that grew most (rows of :func:`learning_change` by ``gain_rank``).

    Examples
    --------
    >>> t = pd.DataFrame({"area": ["a", "b", "c"], "gain_rank": pd.array([2, 1, pd.NA], dtype="Int64")})
    >>> gain_ranking(t, 2)["area"].tolist()
    ['b', 'a']
    """
    ranked = change[change["gain_rank"].notna()].sort_values("gain_rank")
    return ranked.head(k).reset_index(drop=True)


def pair_accounting(
    enrol: pd.DataFrame,
    pre_ids: Sequence[str] | pd.Index,
    post_ids: Sequence[str] | pd.Index,
    *,
    id_col: str = "participant_id",
    outcome: str = "completed",
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Who answered the pre- and post-course survey, who forms a pair and who was lost, by completion.

    Joined on the pseudonymised id: rows are completers, non-completers, survey respondents not found in the
    register, and the total; columns ``enrolled``, ``answered_pre``, ``answered_post``, ``paired``,
    ``pre_only`` (answered before, not after: lost from the pair) and ``post_only``. Counts pass
    :func:`~sosrake_lib.privacy.suppress_small_cells` (the total row is a margin).

    Examples
    --------
    >>> e = pd.DataFrame({"participant_id": list("abcdefghij"), "completed": ["yes"] * 6 + ["no"] * 4})
    >>> t = pair_accounting(e, list("abcdefghij"), list("abcdef"), min_n=1)
    >>> t.set_index("status")[["enrolled", "paired", "pre_only"]].astype(int).values.tolist()
    [[6, 6, 0], [4, 0, 4], [0, 0, 0], [10, 6, 4]]
    """
    reg = pd.Series(_done(enrol[outcome]).to_numpy(), index=enrol[id_col].astype("str"))
    pre, post = set(map(str, pre_ids)), set(map(str, post_ids))
    everyone = sorted(set(reg.index) | pre | post)
    status = pd.Series(
        [
            ("completed_yes" if reg[i] else "completed_no") if i in reg.index else "not_in_register"
            for i in everyone
        ],
        index=everyone,
    )
    flags = pd.DataFrame(
        {
            "enrolled": [i in reg.index for i in everyone],
            "answered_pre": [i in pre for i in everyone],
            "answered_post": [i in post for i in everyone],
        },
        index=everyone,
    )
    flags["paired"] = flags["answered_pre"] & flags["answered_post"]
    flags["pre_only"] = flags["answered_pre"] & ~flags["answered_post"]
    flags["post_only"] = flags["answered_post"] & ~flags["answered_pre"]
    # not published, but given by subtraction: the enrolled who did not answer before / after
    flags["_no_pre"] = flags["enrolled"] & ~flags["answered_pre"]
    flags["_no_post"] = flags["enrolled"] & ~flags["answered_post"]
    order = ["completed_yes", "completed_no", "not_in_register"]
    counts = flags.groupby(status).sum().reindex(order, fill_value=0).astype("int64")
    counts.loc["total"] = counts.sum()
    # answered_pre = paired + pre_only and answered_post = paired + post_only in every row: declared, so no
    # hidden part can be worked out by subtraction (33 answered after - 31 paired = 2 post-only); so are
    # enrolled = answered + did not answer (22 completers - 20 answered before = 2 who did not; in the total
    # row the respondents outside the register make it an inequality, treated as a sum: it only hides more).
    # The number of pairs and the enrolled are published anyway (a key figure, the learning table, the funnel
    # and completion tables), and so are the pre-course respondents and those of them lost from the pairs (the
    # attrition report): they are never the cell hidden to protect a small count; another cell goes instead.
    supp = suppress_small_cells(
        counts,
        min_n,
        total_rows=["total"],
        relations=[
            ("answered_pre", ["paired", "pre_only"]),
            ("answered_post", ["paired", "post_only"]),
            ("enrolled", ["answered_pre", "_no_pre"]),
            ("enrolled", ["answered_post", "_no_post"]),
        ],
        # the attrition report (attrition_counts) publishes the pre-course respondents and those lost
        keep=[
            ("total", "paired"),
            ("total", "answered_pre"),
            ("total", "pre_only"),
            *((s, "enrolled") for s in (*order[:2], "total")),
        ],
    )
    helpers = ["_no_pre", "_no_post"]
    cells = int(supp.attrs["suppressed_cells"]) - int(supp[helpers].isna().sum().sum())
    supp = supp.drop(columns=helpers)
    supp.attrs["suppressed_cells"] = cells
    out = supp.reset_index(names="status")
    out.insert(1, "status_label", [_TXT[lang][s] for s in out["status"]])
    out.attrs = supp.attrs
    return out


# ---------------------------------------------------------------------------------------------- attrition
#: Rows of :func:`attrition_counts`: (key, column of :func:`pair_accounting`).
_ATTRITION_ROWS = (
    ("answered_pre", "answered_pre"),
    ("stayed", "paired"),
    ("left", "pre_only"),
)
#: The Holm family of :func:`attrition_comparison` and :func:`baseline_comparison` (``family`` column): the
#: areas where both groups are shown.
#: Code of the family (its readable text: ``values: family:`` in ``labels_data/course.yaml``).
HOLM_FAMILY_COMPARED = "areas_compared"


def attrition_counts(pairs: pd.DataFrame, *, lang: Lang = "fi") -> pd.DataFrame:
    """Pre→post attrition as the pair table publishes it: pre-course respondents, stayed, left, completers.

    Rows: everyone who answered the pre-course survey (``answered_pre``), those of them who answered the
    post-course survey too (``stayed``: the pairs) and those who did not (``left``); columns ``n``,
    ``pct_of_pre`` (% of the pre-course respondents), ``completed`` (completers among them) and
    ``pct_completed``. Every count is read from :func:`pair_accounting`'s *published* table (its total row
    and its completers' row), so what that table hides is hidden here too, and a share is shown only where
    both its counts are: nothing new can be worked out.

    Examples
    --------
    >>> e = pd.DataFrame({"participant_id": list("abcdefghijkl"), "completed": ["yes"] * 7 + ["no"] * 5})
    >>> pairs = pair_accounting(e, list("abcdefghijkl"), list("abcdef"), min_n=1)
    >>> t = attrition_counts(pairs, lang="en")
    >>> t[["subset", "n", "pct_of_pre", "completed", "pct_completed"]].astype(object).values.tolist()
    [['answered_pre', 12, 100.0, 7, 58.333333333333336], ['stayed', 6, 50.0, 6, 100.0], ['left', 6, 50.0, 1, 16.666666666666668]]
    """
    p = pairs.set_index("status")
    rows = []
    for key, col in _ATTRITION_ROWS:
        n, done = p.at["total", col], p.at["completed_yes", col]
        base = p.at["total", "answered_pre"]
        rows.append(
            {
                "subset": key,
                "subset_label": _TXT[lang][f"attrition_{key}"],
                "n": n,
                "pct_of_pre": np.nan if pd.isna(n) or pd.isna(base) or not base else 100 * n / base,
                "completed": done,
                "pct_completed": np.nan if pd.isna(n) or pd.isna(done) or not n else 100 * done / n,
            }
        )
    out = pd.DataFrame(rows).astype(
        {"n": "Int64", "completed": "Int64", "pct_of_pre": "Float64", "pct_completed": "Float64"}
    )
    out.attrs = {"suppressed_cells": int(out[["n", "completed"]].isna().sum().sum())}
    return out


def _mann_whitney_label(res: Any) -> str:
    """The Mann-Whitney test as it ran (scipy's ``method`` and continuity correction, from the result).

    >>> from sosrake_lib.stats import two_sample_ordinal
    >>> _mann_whitney_label(two_sample_ordinal([1, 2, 3], [4, 5, 6]))
    'Mann-Whitney U (exact p)'
    """
    opts = getattr(res, "options", {}) or {}
    if res.test != "Mann-Whitney U":
        return str(res.test)
    if opts.get("method") == "exact":
        return "Mann-Whitney U (exact p)"
    cc = ", continuity correction" if opts.get("use_continuity") else ""
    return f"Mann-Whitney U (normal approximation{cc})"


def attrition_comparison(
    pre_scores: pd.DataFrame,
    post_ids: Sequence[str] | pd.Index,
    inst: Instrument | None = None,
    *,
    alpha: float = 0.05,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Pre-course area scores of those who stayed (answered after, too) and those who left: selection check.

    If the participants lost from the pairs started lower (or higher) than those who stayed, the change
    measured on the pairs describes a selected group, and the gain may be overstated (or understated). Per
    area: Mann-Whitney U (:func:`~sosrake_lib.stats.two_sample_ordinal`, two-sided, scipy's ``method="auto"``,
    named in ``test`` from what ran), rank-biserial r (> 0: those who stayed scored higher before the course),
    means and medians of both groups. ``family``: the areas compared are one Holm family (one question: do
    the two groups differ at the start?). An area where either group has fewer than ``min_n`` scores is
    suppressed (:func:`~sosrake_lib.sdc.suppress_by_n`) and left out of the family before Holm, so no
    hidden p-value shapes a published one.

    Examples
    --------
    Those who left (d, e, f) started lower than those who stayed (a, b, c):

    >>> pre = pd.DataFrame({"A": [4.0, 5, 4, 2, 1, 2]}, index=list("abcdef"))
    >>> t = attrition_comparison(pre, ["a", "b", "c"], min_n=1)
    >>> t[["n_stayed", "n_left", "mean_stayed", "mean_left", "statistic", "effect_size"]].values.tolist()
    [[3, 3, 4.333333333333333, 1.6666666666666667, 0.0, 1.0]]
    """
    stayed_ids = pre_scores.index.isin(pd.Index([str(i) for i in post_ids]))
    rows = []
    for a in pre_scores.columns:
        x = pre_scores.loc[~stayed_ids, a].dropna().to_numpy(dtype=float)  # left
        y = pre_scores.loc[stayed_ids, a].dropna().to_numpy(dtype=float)  # stayed
        res = two_sample_ordinal(x, y, labels=("left", "stayed"))
        rows.append(
            {
                "area": a,
                "area_label": inst.area_label(a, lang) if inst is not None else a,
                "n_stayed": int(y.size),
                "mean_stayed": float(y.mean()) if y.size else np.nan,
                "median_stayed": float(np.median(y)) if y.size else np.nan,
                "n_left": int(x.size),
                "mean_left": float(x.mean()) if x.size else np.nan,
                "median_left": float(np.median(x)) if x.size else np.nan,
                "statistic": res.statistic,
                "p_value": res.p_value,
                "effect_size": res.effect_size,
                "effect_size_name": "rank-biserial r (> 0: stayed higher)",
                "test": _mann_whitney_label(res),
            }
        )
    cols = [
        "area",
        "area_label",
        "n_stayed",
        "mean_stayed",
        "median_stayed",
        "n_left",
        "mean_left",
        "median_left",
        "statistic",
        "p_value",
        "effect_size",
        "effect_size_name",
        "test",
    ]
    table = pd.DataFrame(rows, columns=cols)
    small = ((table["n_stayed"] < min_n) | (table["n_left"] < min_n)).to_numpy()
    table["p_value"] = table["p_value"].astype(float).where(~small)
    table.insert(
        table.columns.get_loc("p_value") + 1, "p_holm", holm(table["p_value"].to_numpy(dtype=float))
    )
    table["significant"] = np.nan_to_num(table["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha
    table["family"] = HOLM_FAMILY_COMPARED
    table["n_min"] = np.minimum(table["n_stayed"], table["n_left"])
    values = [c for c in cols[2:11] if c != "area_label"] + ["p_holm"]
    out = suppress_by_n(table, "n_min", min_n, secondary=False, value_cols=values)
    out["significant"] = out["significant"].where(out["p_holm"].notna(), False)
    return out.drop(columns="n_min")


# ----------------------------------------------------------------------------------------------- baseline
def baseline_comparison(
    baseline_scores: pd.DataFrame,
    course_scores: pd.DataFrame,
    inst: Instrument | None = None,
    *,
    alpha: float = 0.05,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Area means of the 2020 competence mapping beside the course participants' pre-course scores.

    Two independent samples per area: Mann-Whitney U with rank-biserial r
    (:func:`~sosrake_lib.stats.two_sample_ordinal`; r > 0 means the course participants rated themselves higher
    than the 2020 respondents), Holm across the areas, means with t-based CIs and medians beside. The groups
    differ in who they are (the 2020 mapping: social services staff; the course: staff and sosionomi students),
    so a difference describes the groups, not an effect of anything. An area where either group has fewer than
    ``min_n`` scores is suppressed and left out of the Holm family (``family``: the areas compared). ``test``
    names the p-value's method as scipy ran it (exact, or the normal approximation with continuity
    correction).

    Examples
    --------
    >>> b = pd.DataFrame({"A": [1.0, 2.0, 2.0, 3.0]})
    >>> c = pd.DataFrame({"A": [3.0, 4.0, 4.0, 5.0]})
    >>> t = baseline_comparison(b, c, min_n=1)
    >>> t[["area", "n_baseline", "n_course", "statistic", "effect_size"]].values.tolist()
    [['A', 4, 4, 0.5, 0.9375]]
    """
    areas = [a for a in baseline_scores.columns if a in course_scores.columns]
    rows = []
    for a in areas:
        x = baseline_scores[a].dropna().to_numpy(dtype=float)
        y = course_scores[a].dropna().to_numpy(dtype=float)
        res = two_sample_ordinal(x, y, labels=("baseline", "course"))
        bl, bh = _mean_ci(x, ci)
        cl, chh = _mean_ci(y, ci)
        rows.append(
            {
                "area": a,
                "area_label": inst.area_label(a, lang) if inst is not None else a,
                "n_baseline": int(x.size),
                "mean_baseline": float(x.mean()) if x.size else np.nan,
                "mean_baseline_ci_low": bl,
                "mean_baseline_ci_high": bh,
                "median_baseline": float(np.median(x)) if x.size else np.nan,
                "n_course": int(y.size),
                "mean_course": float(y.mean()) if y.size else np.nan,
                "mean_course_ci_low": cl,
                "mean_course_ci_high": chh,
                "median_course": float(np.median(y)) if y.size else np.nan,
                "test": _mann_whitney_label(res),
                "statistic": res.statistic,
                "p_value": res.p_value,
                "effect_size": res.effect_size,
                "effect_size_name": "rank-biserial r (> 0: course higher)",
            }
        )
    table = pd.DataFrame(rows)
    small = ((table["n_baseline"] < min_n) | (table["n_course"] < min_n)).to_numpy()
    table["p_value"] = table["p_value"].where(~small)
    table.insert(
        table.columns.get_loc("p_value") + 1, "p_holm", holm(table["p_value"].to_numpy(dtype=float))
    )
    table["significant"] = np.nan_to_num(table["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha
    table["family"] = HOLM_FAMILY_COMPARED
    stat_cols = [c for c in table.columns if c.startswith(("mean_", "median_"))] + [
        "statistic",
        "p_value",
        "p_holm",
        "effect_size",
    ]
    table["n_min"] = np.minimum(table["n_baseline"], table["n_course"])
    out = suppress_by_n(
        table, "n_min", min_n, secondary=False, value_cols=[*stat_cols, "n_baseline", "n_course"]
    )
    return out.drop(columns="n_min")


def baseline_figure(table: pd.DataFrame, *, lang: Lang = "fi", title: str | None = None) -> Any:
    """Dot plot: per area the 2020 mean and the course pre-course mean with 95 % CIs (returns the Axes)."""
    from ..plots import OKABE_ITO, _ax_or_new, finish_dot_axes

    data = table.reset_index(drop=True)
    ax = _ax_or_new(None, height=1.4 + 0.55 * len(data))
    pos = np.arange(len(data))
    series = (
        ("baseline", _TXT[lang]["baseline"], OKABE_ITO[1], -0.14, "o"),
        ("course", _TXT[lang]["course_pre"], OKABE_ITO[0], 0.14, "s"),
    )
    for key, name, color, off, marker in series:
        m = pd.to_numeric(data[f"mean_{key}"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        lo = pd.to_numeric(data[f"mean_{key}_ci_low"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        hi = pd.to_numeric(data[f"mean_{key}_ci_high"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        ax.errorbar(
            m,
            pos + off,
            xerr=np.vstack([m - lo, hi - m]),
            fmt=marker,
            color=color,
            ecolor=color,
            elinewidth=1.0,
            capsize=2.5,
            markersize=5.5,
            label=name,
        )
    ax.set_xlim(1, 5)
    return finish_dot_axes(
        ax,
        list(data["area_label"]),
        lang=lang,
        label_width=34,
        legend_offset=-0.16,
        xlabel=_TXT[lang]["mean_axis"],
        title=title,
    )
