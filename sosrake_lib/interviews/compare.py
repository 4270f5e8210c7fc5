"""Change between semesters: pairwise comparison with Holm and trend tests over semesters (step 4)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from ..codebook import Instrument
from ..fmt import Lang, fmt_p, fmt_value
from ..labels import for_analysis
from ..scoring import scale_scores
from ..sdc.comparisons import hide_comparisons
from ..sdc.linked import changed_by_suppression
from ..sdc.parts import holm_carriers
from ..settings import MIN_N
from ..stats import holm, two_proportions, two_sample_ordinal
from ..stats.groups import CompareResult
from .cluster import (
    ClusterFit,
    cluster_fit,
    cluster_rank_test,
    few_clusters_note,
    interviewers,
    newcombe_effective,
    protect_interviewer_counts,
    wilson_effective,
)
from .common import ALPHA, TOP2_THRESHOLD, _inst, _semesters, verdict
from .counts import interview_counts
from .nps import nps_difference
from .themes import theme_scores, theme_top2


# --------------------------------------------------------------------------- 4. change between semesters
def compare_semesters(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    before: str | None = None,
    after: str | None = None,
    alpha: float = ALPHA,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Change of each THL theme and of NPS between two semesters (default: the last two), stated plainly.

    Three families of tests, each Holm-corrected on its own (Holm 1979, :func:`~sosrake_lib.stats.holm`):
    the five theme scores, the five top-2 shares, and the NPS (a family of one). Each family asks one
    question of the five themes ("did the theme scores change?", "did the share who agree change?"), so a
    theme counts as changed only after the correction for having asked it of five; the two theme families
    are not pooled because they are two readings of the same answers, and the NPS is another question.

    * ``theme_score``: interview theme means. ``test``: Mann-Whitney U as it ran (exact or normal
      approximation, :func:`mann_whitney_label`), effect size rank-biserial r (> 0: higher in ``after``),
      via :func:`~sosrake_lib.stats.two_sample_ordinal`; difference = difference of means (1-5 scale).
    * ``theme_top2``: top-2-box shares, ``test``: score test (or Fisher's exact test when an expected count
      < 5) and Cohen's h (:func:`~sosrake_lib.stats.two_proportions`); difference in percentage points.
    * ``nps``: :func:`nps_difference` (``p_holm == p_value``).

    **Interviews are clustered in interviewers** (about two per student), so each row also has a
    cluster-aware test (``cluster_test``, ``p_cluster``, ``p_holm_cluster``; :mod:`.cluster`): for theme
    scores the Mann-Whitney comparison as a regression of the pooled mid-ranks on the semester with an
    interviewer-clustered (CR1) variance and t on interviewers - 1 df (its estimate is the difference of mean
    ranks = r N / 2); for top-2 the same on the 0/1 top-2 indicator; for NPS Rocks' variance sum with each
    variance times its design effect. ``deff`` is the design effect of the tested estimate (clustered over
    independent variance), ``n_interviewers_before``/``_after`` the interviewers behind it, ``cluster_note``
    says when fewer than :data:`~sosrake_lib.interviews.cluster.MIN_CLUSTERS` interviewers make it unreliable.
    The intervals are the design-adjusted ones (top-2: Newcombe's hybrid score interval from the
    design-adjusted Wilson intervals; NPS: the design-adjusted variance sum). **The verdict** (``significant``,
    ``verdict_fi``/``_en``, ``statement``) comes from the cluster-aware Holm p and takes its direction from
    the sign of the statistic that test tested (difference of mean ranks, i.e. the sign of r; difference of
    shares; adjusted NPS difference), never from another statistic: a mean that rose while the ranks fell
    is no improvement. The statement shows r for theme scores.

    Small cells (``min_n``): a top-2 share of a published n is a count, so where a semester's top-2 count or
    its complement is 1..min_n-1 people the row's shares, difference, interval, statistic, p and effect size
    are hidden (the verdict word stays; the statement says the figures are hidden). The NPS difference's
    interval and test use each semester's promoters + detractors, so where a semester's NPS group is small
    they are hidden (and the NPS values too where the NPS alone gives the groups away, as in
    :func:`nps_table`). A Holm p that would carry a hidden p (:func:`~sosrake_lib.outputs.holm_carriers`) is
    hidden. Rows describing fewer than ``min_n`` interviews in a semester are hidden whole, and so are the
    figures and n of a theme whose n, top-2 count, share or mean :func:`theme_top2` hides or rounds in either
    semester (the same figures must not come out here in full: a one-statement theme is its statement). The
    cluster-aware figures go with the other test figures; the numbers of interviewers are counts of people,
    hidden where small or where, beside the semester's published number of students, they give a small
    count back (:func:`~sosrake_lib.interviews.cluster.protect_interviewer_counts`).

    Returns
    -------
    DataFrame
        One row per measure: ``family``, ``measure``, ``label``, ``before``, ``after``, ``n_before``,
        ``n_after``, ``value_before``, ``value_after``, ``difference``, ``ci_low``, ``ci_high``, ``ci_method``,
        ``test``, ``statistic``, ``p_value``, ``p_holm``, ``effect_size``, ``effect_size_name``,
        ``cluster_test``, ``p_cluster``, ``p_holm_cluster``, ``deff``, ``n_interviewers_before``,
        ``n_interviewers_after``, ``significant``, ``verdict_fi``, ``verdict_en``, ``cluster_note``,
        ``statement``.
    """
    inst = _inst(inst)
    sems = _semesters(df)
    if len(sems) < 2 and (before is None or after is None):
        return pd.DataFrame()
    before = before or sems[-2]
    after = after or sems[-1]
    scores = theme_scores(df, inst)
    m1 = (df["semester"] == before).to_numpy()
    m2 = (df["semester"] == after).to_numpy()
    rows: list[dict[str, Any]] = []
    small: list[bool] = []  # row hides its figures (see the docstring)

    def is_small(*counts: int) -> bool:
        return any(0 < int(c) < min_n for c in counts)

    guarded = _guarded_themes(df, inst, (before, after), min_n, lang)
    who = interviewers(df)
    w1 = who[m1] if who is not None else np.arange(int(m1.sum())).astype(object)
    w2 = who[m2] if who is not None else -np.arange(1, int(m2.sum()) + 1).astype(object)
    clustered: list[dict[str, Any]] = []  # the cluster-aware test of each row
    for area in scores.columns:
        x, y = scores.loc[m1, area].dropna(), scores.loc[m2, area].dropna()
        small.append(is_small(len(x), len(y)) or area in guarded["theme_score"])
        r = two_sample_ordinal(x, y, labels=(before, after))
        ok1, ok2 = scores.loc[m1, area].notna().to_numpy(), scores.loc[m2, area].notna().to_numpy()
        fit = cluster_rank_test(x, y, w1[ok1], w2[ok2])
        clustered.append(
            _cluster_row(fit, "rank", lang, len(pd.unique(w1[ok1])), len(pd.unique(w2[ok2])))
        )
        rows.append(
            {
                "family": "theme_score",
                "measure": area,
                "n_before": len(x),
                "n_after": len(y),
                "value_before": x.mean(),
                "value_after": y.mean(),
                "difference": y.mean() - x.mean(),
                "ci_low": math.nan,
                "ci_high": math.nan,
                "ci_method": "",
                "test": mann_whitney_label(r, x, y, lang),
                "statistic": r.statistic,
                "p_value": r.p_value,
                "effect_size": r.effect_size,
                "effect_size_name": f"rank-biserial r (> 0: {after} higher)",
            }
        )
    for area in scores.columns:
        x, y = scores.loc[m1, area].dropna(), scores.loc[m2, area].dropna()
        c1, c2 = int((x >= TOP2_THRESHOLD).sum()), int((y >= TOP2_THRESHOLD).sum())
        small.append(
            is_small(len(x), len(y), c1, len(x) - c1, c2, len(y) - c2)
            or area in guarded["theme_top2"]
        )
        tp = two_proportions(c1, len(x), c2, len(y))
        ok1, ok2 = scores.loc[m1, area].notna().to_numpy(), scores.loc[m2, area].notna().to_numpy()
        g1, g2 = w1[ok1], w2[ok2]
        top = np.r_[(x >= TOP2_THRESHOLD).to_numpy(float), (y >= TOP2_THRESHOLD).to_numpy(float)]
        fit = cluster_fit(top, np.r_[g1, g2], np.r_[np.zeros(len(x), bool), np.ones(len(y), bool)])
        f1 = cluster_fit((x >= TOP2_THRESHOLD).to_numpy(float), g1)
        f2 = cluster_fit((y >= TOP2_THRESHOLD).to_numpy(float), g2)
        ci1 = wilson_effective(c1, len(x), f1.deff, f1.n_clusters)
        ci2 = wilson_effective(c2, len(y), f2.deff, f2.n_clusters)
        d_low, d_high = (
            newcombe_effective(tp.p1, ci1, tp.p2, ci2) if len(x) and len(y) else (math.nan,) * 2
        )
        clustered.append(_cluster_row(fit, "top2", lang, f1.n_clusters, f2.n_clusters))
        rows.append(
            {
                "family": "theme_top2",
                "measure": area,
                "n_before": len(x),
                "n_after": len(y),
                "value_before": 100 * tp.p1,
                "value_after": 100 * tp.p2,
                "difference": 100 * tp.difference,
                "ci_low": 100 * d_low,
                "ci_high": 100 * d_high,
                "ci_method": tp.ci_method + " 95 % CI from the design-adjusted Wilson intervals"
                " (effective n = n / design effect, interviewers as clusters)",
                "test": tp.test,
                "statistic": tp.statistic,
                "p_value": tp.p_value,
                "effect_size": tp.effect_size,
                "effect_size_name": tp.effect_size_name,
            }
        )
    nd = nps_difference(df.loc[m1, "nps"], df.loc[m2, "nps"])
    fits = []
    for m, w in ((m1, w1), (m2, w2)):
        v = pd.to_numeric(df.loc[m, "nps"]).to_numpy(dtype=float)
        sign = np.where(v >= 9, 1.0, np.where(v <= 6, -1.0, 0.0))
        fits.append(cluster_fit(np.where(np.isnan(v), np.nan, sign), w))
    nc = nps_difference(df.loc[m1, "nps"], df.loc[m2, "nps"], deff=(fits[0].deff, fits[1].deff))
    clustered.append(
        {
            "cluster_test": for_analysis("interviews").text("cluster_test_nps", lang),
            "p_cluster": nc["p_value"],
            "_direction": nc["statistic"],
            "deff": nc["deff"],
            "n_interviewers_before": fits[0].n_clusters,
            "n_interviewers_after": fits[1].n_clusters,
        }
    )
    nps_groups, nps_extreme = [], False
    for m in (m1, m2):
        v = pd.to_numeric(df.loc[m, "nps"]).dropna()
        pro, det = int((v >= 9).sum()), int((v <= 6).sum())
        nps_groups += [len(v), pro, len(v) - pro - det, det]
        nps_extreme = nps_extreme or (
            is_small(pro, len(v) - pro - det, det) and len(v) - abs(pro - det) <= 1
        )
    small.append(is_small(*nps_groups))
    rows.append(
        {
            "family": "nps",
            "measure": "nps",
            "n_before": nd["n_before"],
            "n_after": nd["n_after"],
            "value_before": nd["nps_before"],
            "value_after": nd["nps_after"],
            "difference": nd["difference"],
            "ci_low": nc["ci_low"],
            "ci_high": nc["ci_high"],
            "ci_method": nc["ci_method"],
            "test": nd["test"],
            "statistic": nd["statistic"],
            "p_value": nd["p_value"],
            "effect_size": nd["effect_size"],
            "effect_size_name": nd["effect_size_name"],
        }
    )
    out = pd.DataFrame(rows)
    out.insert(
        2, "label", [inst.area_label(m, lang) if m in inst.areas else "NPS" for m in out["measure"]]
    )
    out.insert(3, "before", before)
    out.insert(4, "after", after)
    p_holm = np.full(len(out), np.nan)
    for fam in out["family"].unique():
        idx = np.flatnonzero(out["family"].to_numpy() == fam)
        p_holm[idx] = holm(out["p_value"].to_numpy(dtype=float)[idx])
    out.insert(out.columns.get_loc("p_value") + 1, "p_holm", p_holm)
    cl = pd.DataFrame(clustered)
    p_holm_c = np.full(len(out), np.nan)
    for fam in out["family"].unique():
        idx = np.flatnonzero(out["family"].to_numpy() == fam)
        p_holm_c[idx] = holm(cl["p_cluster"].to_numpy(dtype=float)[idx])
    for col in ("cluster_test", "p_cluster"):
        out[col] = cl[col]
    out["p_holm_cluster"] = p_holm_c
    for col in ("deff", "n_interviewers_before", "n_interviewers_after"):
        out[col] = cl[col]
    out["significant"] = np.nan_to_num(p_holm_c, nan=1.0) < alpha
    # the direction is the sign of the statistic the cluster-aware test tested (for theme scores the
    # difference of mean ranks, the sign of the rank-biserial r), never that of another statistic
    words = [verdict(d, p, alpha) for d, p in zip(cl["_direction"], p_holm_c, strict=True)]
    out["verdict_fi"] = [w[0] for w in words]
    out["verdict_en"] = [w[1] for w in words]
    few = out["n_interviewers_before"].combine(out["n_interviewers_after"], min)
    out["cluster_note"] = [few_clusters_note(g, lang) for g in few]
    hide_n = out["measure"].isin(guarded["n"]).to_numpy()
    return _hide_small_comparisons(
        out,
        np.array(small, dtype=bool),
        nps_extreme,
        min_n,
        lang,
        hide_n=hide_n,
        students=_students_hidden(df, (before, after), min_n),
    )


def _cluster_row(
    fit: ClusterFit, kind: str, lang: Lang, n_int_before: int, n_int_after: int
) -> dict[str, Any]:
    """The cluster-aware test columns of one comparison row (:func:`compare_semesters`)."""
    name = for_analysis("interviews").text(f"cluster_test_{kind}", lang)
    return {
        "cluster_test": name,
        "p_cluster": fit.p_value,
        "_direction": fit.estimate,
        "deff": fit.deff,
        "n_interviewers_before": n_int_before,
        "n_interviewers_after": n_int_after,
    }


def _students_hidden(df: pd.DataFrame, semesters: Sequence[str], min_n: int) -> dict[str, Any]:
    """Each semester's number of interviewing students and whether :func:`interview_counts` hides it."""
    if "student" not in df.columns:
        return {}
    counts = interview_counts(df, min_n).set_index("semester")
    full = {s: int(df.loc[df["semester"] == s, "student"].nunique()) for s in semesters}
    return {s: (full[s], pd.isna(counts["n_students"].get(s, pd.NA))) for s in semesters}


def mann_whitney_label(result: CompareResult, x: Any, y: Any, lang: Lang = "fi") -> str:
    """What the Mann-Whitney test of ``result`` (on samples ``x`` and ``y``) was, exactly, in ``lang``.

    Taken from the options the test ran with (``result.options["method"]``, scipy's ``"auto"`` rule): the
    exact distribution of U, or the normal approximation with continuity correction, and tie correction
    where values tie (values compared at 9 decimals); always two-sided.

    Examples
    --------
    >>> from sosrake_lib.stats import two_sample_ordinal
    >>> x, y = [1, 2, 3], [4, 5, 6]
    >>> mann_whitney_label(two_sample_ordinal(x, y), x, y, "en")
    'Mann-Whitney U (two-sided, exact distribution)'
    >>> mann_whitney_label(two_sample_ordinal(x, y), x, y, "fi")
    'Mann–Whitneyn U-testi (kaksisuuntainen, tarkka jakauma)'
    >>> x, y = [1, 2, 2, 3] * 3, [3, 4, 4, 5] * 3
    >>> mann_whitney_label(two_sample_ordinal(x, y), x, y, "en")
    'Mann-Whitney U (two-sided, normal approximation with tie and continuity correction)'
    """
    texts = for_analysis("interviews")
    if result.options.get("method") == "exact":
        return texts.text("mw_exact", lang)
    values = np.round(np.r_[np.asarray(x, dtype=float), np.asarray(y, dtype=float)], 9)
    values = values[~np.isnan(values)]
    ties = np.unique(values).size < values.size
    return texts.text("mw_asymptotic_ties" if ties else "mw_asymptotic", lang)


def _guarded_themes(
    df: pd.DataFrame, inst: Instrument, semesters: Sequence[str], min_n: int, lang: Lang
) -> dict[str, set[str]]:
    """Themes whose figures :func:`theme_top2` hides or rounds in one of ``semesters``, by what they guard.

    The comparison must not publish them at full precision either: its n, means and shares are the same
    figures (a one-statement theme's mean is the statement's mean, its n the statement's valid answers).
    Returns ``{"n": themes whose n is hidden, "theme_score": ... whose n or mean is, "theme_top2": ... whose
    n, top-2 count or share is}``.
    """
    part = df[df["semester"].isin(list(semesters))]
    published = theme_top2(part, inst, min_n=min_n, lang=lang)
    full = theme_top2(part, inst, min_n=1, lang=lang)
    guarded = changed_by_suppression(published, full, "theme", ["n", "top2_n", "top2_pct", "mean"])
    return {
        "n": guarded["n"],
        "theme_score": guarded["n"] | guarded["mean"],
        "theme_top2": guarded["n"] | guarded["top2_n"] | guarded["top2_pct"],
    }


def _hide_small_comparisons(
    out: pd.DataFrame,
    small: np.ndarray,
    nps_extreme: bool,
    min_n: int,
    lang: Lang,
    *,
    hide_n: np.ndarray | None = None,
    students: Mapping[str, tuple[int, bool]] | None = None,
) -> pd.DataFrame:
    """The published form of :func:`compare_semesters` (its docstring says what is hidden and why);
    ``hide_n`` marks rows whose n is hidden in every family (:func:`_guarded_themes`), ``students`` gives
    each semester's number of interviewing students and whether :func:`interview_counts` hides it."""
    family = out["family"].to_numpy()
    # shares are counts over n; a theme's mean with n gives its sum; an NPS only where it gives the groups away
    hide_values = (
        (family == "theme_top2") | ((family == "nps") & nps_extreme) | (family == "theme_score")
    )
    hide_n_rows = (family == "theme_score") | (hide_n if hide_n is not None else False)
    out, cells = hide_comparisons(out, small, hide_values=hide_values, hide_n=hide_n_rows)
    cells += _hide_cluster_columns(out, small, min_n, students or {})
    out["statement"] = [_statement(r, lang, min_n) for r in out.to_dict(orient="records")]
    out.attrs["suppressed_cells"] = cells
    out.attrs["min_n"] = min_n
    return out


def _hide_cluster_columns(
    out: pd.DataFrame, small: np.ndarray, min_n: int, students: Mapping[str, tuple[int, bool]]
) -> int:
    """Hide the cluster-aware columns of :func:`compare_semesters` like its other test figures (in place).

    A small row hides its cluster-aware p, Holm p and design effect as :func:`hide_comparisons` hides the
    other test figures, and a Holm p that carries a hidden one goes (:func:`holm_carriers`). The numbers of
    interviewers are counts of people: a small row hides them, and each semester's is a part of that
    semester's students (:func:`~sosrake_lib.interviews.cluster.protect_interviewer_counts`). Returns the
    number of cells hidden.
    """
    cells = 0
    fam = out["family"].to_numpy()
    carried = np.zeros(len(out), dtype=bool)
    for f in np.unique(fam):
        idx = np.flatnonzero(fam == f)
        carried[idx] = holm_carriers(out["p_cluster"].to_numpy(dtype=float)[idx], small[idx])
    for col, mask in (
        ("p_cluster", small),
        ("deff", small),
        ("p_holm_cluster", small | carried),
        ("n_interviewers_before", small),
        ("n_interviewers_after", small),
    ):
        values = pd.to_numeric(out[col]).astype("Int64" if col.startswith("n_") else "Float64")
        cells += int((mask & values.notna().to_numpy()).sum())
        out[col] = values.mask(mask)
    out["deff"] = out["deff"].round(2)
    for side, col in (("before", "n_interviewers_before"), ("after", "n_interviewers_after")):
        sem = str(out[side].iloc[0])
        if sem not in students:
            continue
        total, total_hidden = students[sem]
        part = protect_interviewer_counts(
            pd.DataFrame({"n_interviewers": out[col]}),
            [total] * len(out),
            min_n,
            also_hide=[total_hidden] * len(out),
        )
        cells += int(part.attrs["suppressed_cells"])
        out[col] = part["n_interviewers"].astype("Int64").array
    out.loc[out["p_cluster"].isna().to_numpy(), "cluster_note"] = ""
    return cells


def _statement(row: Mapping[str, Any], lang: Lang, min_n: int = MIN_N) -> str:
    word = row["verdict_en"] if lang == "en" else row["verdict_fi"]
    kind = {
        "theme_score": ("keskiarvo", "mean"),
        "theme_top2": ("top-2", "top-2"),
        "nps": ("NPS", "NPS"),
    }
    k = kind[row["family"]][1 if lang == "en" else 0]
    p = row["p_holm_cluster"]
    if pd.isna(row["difference"]) or pd.isna(p):
        why = (
            f"luvut piilotettu: alle {min_n} hengen ryhmä"
            if lang == "fi"
            else f"figures suppressed: a group of fewer than {min_n}"
        )
        diff = (
            ""
            if pd.isna(row["difference"])
            else fmt_value(row["difference"], "NPS", lang, 0) + ", "
        )
        return f"{row['label']} ({k}): {word} ({diff}{why})"
    p_txt = fmt_p(min(float(p), 1.0), lang)
    unit = {"theme_score": "", "theme_top2": " %-yks." if lang == "fi" else " pp", "nps": ""}[
        row["family"]
    ]
    if row["family"] == "theme_score":  # the tested statistic: the rank-biserial r, not the mean
        diff = "r = " + fmt_value(row["effect_size"], "", lang, 2)
        if not diff.startswith(("r = −", "r = -")):
            diff = diff.replace("r = ", "r = +")
    else:
        diff = fmt_value(row["difference"], "NPS" if row["family"] == "nps" else "", lang, 0)
        if row["family"] != "nps" and not diff.startswith(("−", "-")):
            diff = "+" + diff
    return f"{row['label']} ({k}): {word} ({diff}{unit}, {'Holm ' if row['family'] != 'nps' else ''}{p_txt})"


def trend_tests(
    df: pd.DataFrame,
    inst: Instrument | str | None = None,
    *,
    alpha: float = ALPHA,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Monotonic trend over three or more semesters: Kendall's tau-b between semester order and the outcome.

    The semester's position (0, 1, 2, ...) is an ordinal predictor; :func:`scipy.stats.kendalltau`
    (``variant="b"``, tie-corrected, two-sided asymptotic p) tests whether theme means (and the NPS category
    detractor -1 / passive 0 / promoter +1) rise or fall steadily with it. Tau-b with one ordered grouping
    variable is the Jonckheere-Terpstra idea (Jonckheere 1954) in correlation form (Kendall 1938); it uses
    the whole order rather than only the last two semesters. Holm across the five themes; NPS separately.
    Tau-b is the effect size. Returns an empty frame with fewer than three semesters.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": pd.Categorical(["a"] * 6 + ["b"] * 6 + ["c"] * 6, ordered=True),
    ...                     "TU1": [2, 3, 2, 3, 2, 3, 3, 4, 3, 4, 3, 4, 4, 5, 4, 5, 4, 5],
    ...                     "nps": [5] * 18})
    >>> t = trend_tests(toy)
    >>> t.loc[t.measure == "turvallisuus", ["verdict_fi"]].iloc[0, 0], round(float(t.loc[0, "effect_size"]), 3)
    ('parani', 0.801)
    """
    inst = _inst(inst)
    sems = _semesters(df)
    if len(sems) < 3:
        return pd.DataFrame()
    pos = (
        df["semester"]
        .astype("object")
        .map({s: i for i, s in enumerate(sems)})
        .to_numpy(dtype=float)
    )
    areas = {a: [i for i in items if i.lstrip("-") in df] for a, items in inst.area_items().items()}
    scores = scale_scores(df, {a: v for a, v in areas.items() if v}, 1, 5)
    nps_cat = np.sign(np.where(df["nps"] >= 9, 1.0, np.where(df["nps"] <= 6, -1.0, 0.0)))
    nps_cat = np.where(df["nps"].isna(), np.nan, nps_cat)
    series = {**{a: scores[a].to_numpy(dtype=float) for a in scores.columns}, "nps": nps_cat}
    rows = []
    for name, y in series.items():
        ok = ~np.isnan(y) & ~np.isnan(pos)
        res = _sps.kendalltau(pos[ok], y[ok], variant="b")
        tau = float(res.statistic) if not np.isnan(res.statistic) else 0.0
        pv = float(res.pvalue) if not np.isnan(res.pvalue) else 1.0
        rows.append(
            {
                "family": "nps" if name == "nps" else "theme_score",
                "measure": name,
                "label": inst.area_label(name, lang) if name in inst.areas else "NPS",
                "semesters": " < ".join(sems),
                "n": int(ok.sum()),
                "test": "Kendall's tau-b trend test on semester order (two-sided)",
                "statistic": tau,
                "p_value": pv,
                "effect_size": tau,
                "effect_size_name": "Kendall's tau-b",
            }
        )
    out = pd.DataFrame(rows)
    fam = out["family"].to_numpy()
    p_holm = out["p_value"].to_numpy(dtype=float).copy()
    p_holm[fam == "theme_score"] = holm(p_holm[fam == "theme_score"])
    out.insert(out.columns.get_loc("p_value") + 1, "p_holm", p_holm)
    words = [verdict(t, p, alpha) for t, p in zip(out["statistic"], out["p_holm"], strict=True)]
    out["significant"] = out["p_holm"] < alpha
    out["verdict_fi"] = [w[0] for w in words]
    out["verdict_en"] = [w[1] for w in words]
    return out
