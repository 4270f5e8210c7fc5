"""Feedback survey: statement distributions, part means, NPS and the open-answer themes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument, load_instrument  # noqa: F401 (load_instrument: doctests)
from ..errors import ConfigError
from ..fmt import Lang
from ..scoring import NSA_LABELS, NSA_SUFFIX, NPSResult, likert_table, nps, scale_scores
from ..sdc.audit import restore_rounded_stats
from ..sdc.cells import suppress_by_n
from ..sdc.parts import suppress_nps_groups, suppress_parts
from ..settings import BOOTSTRAP_SEED, MIN_N
from ..stats import proportion_ci
from ..stats.means import mean_ci as _mean_ci
from .ranking import N_BOOT, attach_ranks, bootstrap_mean_ranks


# ----------------------------------------------------------------------------------------------- feedback
def _likert_labels(inst: Instrument, lang: Lang) -> tuple[dict[int, str], dict[str, str]]:
    item = inst.likert_items()[0]
    assert item.scale is not None
    labels = {int(k): item.scale.label(k, lang) for k in item.scale.codes}
    nsa = {k: v[lang] for k, v in item.scale.non_substantive.items()} or dict(NSA_LABELS)
    return labels, nsa


def feedback_items(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Answer distribution (% of all who answered the item, "En osaa sanoa" apart), mean and top-2-box %.

    Built on :func:`~sosrake_lib.scoring.likert_table`: the mean, SD and top-2-box (Wilson CI) use the
    substantive answers only; "En osaa sanoa" is a separate percentage column. Percentages of the answer
    options use ``n_total`` (all who answered the item, including "En osaa sanoa") so a row sums to 100.
    Items answered by fewer than ``min_n`` people are suppressed (:func:`~sosrake_lib.privacy.suppress_by_n`).
    With ``n_total`` published a percentage *is* a count, so in the other rows the share of an answer given
    by 1..min_n-1 people is hidden with a second share of the row (:func:`~sosrake_lib.outputs.suppress_parts`
    on the counts behind them), ``n_valid`` and the top-2 % with its CI where they would give a hidden count
    away. Where one of the scale answers is hidden, the mean and SD are published rounded to one decimal if the
    brute-force audit (:func:`sosrake_lib.disclosure.restore_rounded_stats`) shows no hidden count can then be
    worked out, and hidden otherwise. The figure is drawn from this table.
    ``attrs["answer_labels"]`` lists the answer columns (negative → positive), ``attrs["nsa_labels"]`` the
    non-substantive ones.

    Examples
    --------
    >>> inst = load_instrument("course_feedback")
    >>> fb = pd.DataFrame({it.id: [5.0] * 12 + [4.0] * 6 + [2.0] * 2 for it in inst.likert_items()})
    >>> out = feedback_items(fb, inst)
    >>> out.loc[0, out.attrs["answer_labels"]].astype("Float64").tolist()
    [0.0, <NA>, 0.0, <NA>, 60.0]
    >>> int(out.loc[0, "n_total"]), out.loc[0, "mean"], out.loc[0, "top_box_pct"]
    (20, <NA>, <NA>)
    """
    labels, nsa = _likert_labels(inst, lang)
    items = [it.id for it in inst.likert_items()]
    present_nsa = {k: v for k, v in nsa.items() if any(f"{i}{NSA_SUFFIX}" in fb for i in items)}
    table = likert_table(fb, items, labels, top=2, nsa_labels=present_nsa or nsa)
    nsa_cols = list((present_nsa or nsa).values())
    total = table["n_total"].astype(float).replace(0, np.nan)
    out = pd.DataFrame(
        {
            "item": items,
            "item_label": [inst.item(i).text(lang) for i in items],
            "part": [inst.item(i).area for i in items],
            "part_label": [inst.area_label(inst.item(i).area or "", lang) for i in items],
        }
    )
    answers = [*labels.values(), *nsa_cols]
    for col in answers:
        out[col] = 100.0 * table[col] / total
    for col in ("n_valid", "n_total", "mean", "sd", "top_box_pct"):
        out[col] = table[col]
    out["top_box_ci_low"] = table[
        "top_box_ci_low"
    ]  # likert_table gives the top box and its CI in %
    out["top_box_ci_high"] = table["top_box_ci_high"]
    published = list(out.columns)
    counts = {
        col: f"_n: {col}" for col in answers
    }  # the counts behind the shares, for the suppression only
    for col, count in counts.items():
        out[count] = table[col]
    out["_n: top"] = table["top_box_n"]  # = top_box_pct * n_valid, so it counts as published
    res = suppress_by_n(out, "n_total", min_n, secondary=False)
    scale = [counts[c] for c in labels.values()]
    top, low, nsa_n = scale[-2:], scale[:-2], [counts[c] for c in nsa_cols]
    box = ["top_box_pct", "top_box_ci_low", "top_box_ci_high"]
    res = suppress_parts(
        res,
        [*scale, *nsa_n],
        min_n,
        linked={counts[c]: [c] for c in answers},
        sums=[
            ("n_valid", [nsa_n, scale], box),
            ("_n: top", [top, [*low, "n_valid"], [*low, *nsa_n]], box),
        ],
        computed_from={"mean": scale, "sd": scale},
    )
    res = restore_rounded_stats(
        res,
        out,
        answers=[*scale, *nsa_n],
        scale={counts[lab]: code for code, lab in labels.items()},
        top=top,
    )
    hidden = int(sum((res[c].isna() & out[c].notna()).sum() for c in published))
    res = res[published]
    res.attrs = {
        "suppressed_cells": hidden,
        "min_n": min_n,
        "answer_labels": list(labels.values()),
        "nsa_labels": nsa_cols,
    }
    return res


def feedback_parts(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    min_n: int = MIN_N,
    min_valid: float = 0.5,
    lang: Lang = "fi",
    ci: float = 0.95,
    n_boot: int = N_BOOT,
    seed: int = BOOTSTRAP_SEED,
) -> pd.DataFrame:
    """Part (area) means of the feedback, ranked from best to weakest, with the uncertainty of the ranks.

    Each respondent's part score is the mean of that part's items (:func:`~sosrake_lib.scoring.scale_scores`,
    "En osaa sanoa" left out); a part's mean is the mean of those scores with a t-based 95 % CI
    (:func:`scipy.stats.ttest_1samp`'s ``confidence_interval``), beside the median. ``rank`` 1 is the best
    rated part; parts with fewer than ``min_n`` scores are suppressed and not ranked.

    The ranks carry their uncertainty (:func:`~sosrake_lib.course.ranking.bootstrap_mean_ranks`: ``n_boot``
    bootstrap replicates of the respondents, seeded with ``seed``): ``p_best`` is the share of replicates
    where the part has the highest mean, ``p_worst`` the lowest, ``rank_ci_low`` / ``rank_ci_high`` its 95 %
    rank interval, among the ranked parts. A best (weakest) part is named only when its ``p_best``
    (``p_worst``) is at least :data:`~sosrake_lib.course.ranking.CLEAR_P`; otherwise there is no clear
    difference. The probabilities of a part whose mean is published rounded (below) are kept: they say less
    than its rank.

    Examples
    --------
    >>> from sosrake_lib.codebook import load_instrument
    >>> inst = load_instrument("course_feedback")
    >>> cols = {i: [4.0, 5.0, 4.0, 5.0, 4.0] for i in inst.area_items()["sisalto"]}
    >>> cols |= {i: [2.0, 3.0, 2.0, 3.0, 2.0] for i in inst.area_items()["kuormitus"]}
    >>> t = feedback_parts(pd.DataFrame(cols), inst)
    >>> t[["part", "n", "mean", "rank"]].astype(object).values.tolist()  # one statement, answers 3 x 2 and 2 x 3:
    [['sisalto', 5, 4.4, 1], ['kuormitus', 5, <NA>, 2]]

    ``kuormitus`` has one statement whose answer counts (3 and 2) are hidden in :func:`feedback_items`, so its
    mean is shown as that table shows it (here hidden), never at full precision.
    """
    areas = {
        a: items for a, items in inst.area_items().items() if all(i in fb.columns for i in items)
    }
    scores = scale_scores(fb, areas, min_valid=min_valid)
    rows = []
    for a in areas:
        x = scores[a].dropna().to_numpy(dtype=float)
        lo, hi = _mean_ci(x, ci)
        rows.append(
            {
                "part": a,
                "part_label": inst.area_label(a, lang),
                "n": int(x.size),
                "mean": float(x.mean()) if x.size else np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "sd": float(x.std(ddof=1)) if x.size > 1 else np.nan,
                "median": float(np.median(x)) if x.size else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    ok = table["n"] >= min_n
    table = pd.concat(
        [table[ok].sort_values("mean", ascending=False, kind="mergesort"), table[~ok]]
    )
    table["rank"] = pd.array(
        [*range(1, int(ok.sum()) + 1), *[pd.NA] * int((~ok).sum())], dtype="Int64"
    )
    table = table.reset_index(drop=True)
    ranked = [str(p) for p in table.loc[ok.to_numpy(), "part"]]
    boot = bootstrap_mean_ranks(scores[ranked], n_boot=n_boot, seed=seed) if ranked else None
    table = attach_ranks(
        table,
        "part",
        boot,
        {
            "p_best": "p_first",
            "p_worst": "p_last",
            "rank_ci_low": "rank_ci_low",
            "rank_ci_high": "rank_ci_high",
        },
    )
    out = suppress_by_n(
        table, "n", min_n, secondary=False, value_cols=["mean", "ci_low", "ci_high", "sd", "median"]
    )
    # A part of one statement repeats that statement's statistics: where the statement's row in
    # feedback_items hides an answer count, the part's mean and SD at full precision would give the hidden
    # counts back (mean + SD fix a five-point distribution). The part then shows the statement's published
    # mean and SD (rounded by the audit, or hidden), no CI or median, and its n only where the statement shows
    # n_valid. Its rank (from the exact mean) stays: it says less than the rounded mean.
    missing = [it.id for it in inst.likert_items() if it.id not in fb]
    items = feedback_items(
        fb.assign(**dict.fromkeys(missing, np.nan)) if missing else fb, inst, min_n=min_n, lang=lang
    )
    answers = [*items.attrs["answer_labels"], *items.attrs["nsa_labels"]]
    answered: dict[str, int] = {}
    for i, part in enumerate(out["part"]):
        single = items[items["part"] == part]
        if len(single) != 1 or pd.isna(out.at[i, "n"]):
            continue
        row = single.iloc[0]
        if any(pd.isna(row[c]) for c in answers) or pd.isna(row["mean"]):
            out.loc[i, ["ci_low", "ci_high", "median"]] = np.nan
            out.loc[i, "mean"], out.loc[i, "sd"] = row["mean"], row["sd"]
            if pd.isna(row["n_valid"]):
                out.loc[i, "n"] = pd.NA
                answered[part] = int(row["n_total"])  # published in the statements' table
    out.attrs["n_answered"] = answered  # parts whose n is hidden: all who answered the statement
    return out


def feedback_nps(fb: pd.DataFrame, column: str = "nps") -> NPSResult:
    """Net Promoter Score of the recommendation question (:func:`~sosrake_lib.scoring.nps`, adjusted Wald CI)."""
    return nps(fb[column])


def open_themes(
    fb: pd.DataFrame,
    inst: Instrument,
    *,
    codebook: str | None = None,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Theme frequencies of the open answers with the course theme codebook (:func:`sosrake_lib.text.code_themes`).

    For each text item (its codebook's ``themes`` names the theme codebook unless ``codebook`` is given):
    ``n_answered`` (non-empty answers), ``count`` of answers mentioning the theme, ``pct_answered`` with a
    Wilson CI. A theme mentioned by 1..``min_n``-1 people has its count, % and CI hidden (themes overlap, so
    they are not parts of one total and no secondary suppression is needed). If the theme codebook cannot be
    loaded the table is empty and ``attrs["missing_codebook"]`` holds the reason.
    """
    from ..text import UNCODED, code_themes, load_theme_codebook

    cols = [
        "question",
        "question_label",
        "theme",
        "theme_label",
        "n_answered",
        "count",
        "pct_answered",
        "ci_low",
        "ci_high",
    ]
    rows: list[dict[str, Any]] = []
    reasons: list[str] = []
    for it in inst.items_of("text"):
        name = codebook or it.themes
        if it.id not in fb or not name:
            continue
        try:
            cb = load_theme_codebook(name)
        except ConfigError as exc:
            reasons.append(str(exc))
            continue
        texts = fb[it.id].astype("str")
        coded = code_themes(texts, cb)
        answered = texts.fillna("").str.strip().str.len().gt(0)
        n_ans = int(answered.sum())
        theme_labels = {**cb.labels(lang), UNCODED: {"fi": "Ei luokiteltu", "en": "Uncoded"}[lang]}
        for tid in [*cb.ids, UNCODED]:
            c = int(coded[tid].sum())
            lo, hi = proportion_ci(c, n_ans, ci=ci) if n_ans else (np.nan, np.nan)
            rows.append(
                {
                    "question": it.id,
                    "question_label": it.text(lang),
                    "theme": tid,
                    "theme_label": theme_labels[tid],
                    "n_answered": n_ans,
                    "count": c,
                    "pct_answered": 100.0 * c / n_ans if n_ans else np.nan,
                    "ci_low": 100.0 * lo,
                    "ci_high": 100.0 * hi,
                }
            )
    table = pd.DataFrame(rows, columns=cols)
    table = suppress_by_n(
        table,
        "n_answered",
        min_n,
        secondary=False,
        value_cols=["count", "pct_answered", "ci_low", "ci_high"],
    )
    hidden_cells = table.attrs.get("suppressed_cells", 0)
    small = table["count"].notna() & table["count"].astype("Float64").between(1, min_n - 1).fillna(
        False
    )
    for col in ("count", "pct_answered", "ci_low", "ci_high"):
        table[col] = table[col].mask(small.to_numpy(dtype=bool))
    table.attrs = {"suppressed_cells": int(hidden_cells + 4 * small.sum()), "min_n": min_n}
    if reasons and not rows:
        table.attrs["missing_codebook"] = "; ".join(reasons)
    return table


def nps_table(res: NPSResult, *, min_n: int = MIN_N, lang: Lang = "fi") -> pd.DataFrame:
    """NPS with its interval and the promoter / passive / detractor counts (small counts hidden).

    Where one of the three counts is 1..min_n-1 people all three are hidden: with ``n`` and the NPS, two of
    them would give the third away (:func:`~sosrake_lib.outputs.suppress_nps_groups`, which also hides an NPS
    within one person of ±100). Fewer than ``min_n`` answers: everything but ``n`` is hidden.

    Examples
    --------
    >>> r = nps([10] * 6 + [8] * 5 + [3] * 2)
    >>> nps_table(r, min_n=5).loc[0, ["nps", "promoters", "passives", "detractors"]].isna().tolist()  # 2 < 5
    [False, True, True, True]
    """
    small = 0 < res.n < min_n
    row = {
        "nps": np.nan if small else res.nps,
        "ci_low": np.nan if small else res.ci_low,
        "ci_high": np.nan if small else res.ci_high,
        "n": res.n,
        "promoters": res.promoters,
        "passives": res.passives,
        "detractors": res.detractors,
        "method": res.method,
    }
    table = pd.DataFrame([row])
    if small:
        for col in ("promoters", "passives", "detractors"):
            table[col] = table[col].astype("Int64").mask([True])
        table.attrs = {"suppressed_cells": 6, "min_n": min_n}
        return table
    return suppress_nps_groups(table, min_n)
