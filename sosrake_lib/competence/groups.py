"""Group differences: which groups may be published, their descriptives, rank tests (Holm across the
areas of one background variable) and proportional-odds models as the model-based check.

Families of tests (Holm 1979), stated in every table's ``family`` column
-------------------------------------------------------------------------
Each background variable is one research question ("do organisations differ, and in which area?"), so
the tests that answer it form one family, corrected together with Holm:

- rank tests (:func:`group_tests`): the six competence areas of one background variable (6 tests);
- proportional-odds models (:func:`ordinal_checks`): their six likelihood-ratio tests, a family of their
  own (the same question asked with a model; the check confirms the rank tests, it does not add findings);
- odds ratios of the models: every level-vs-reference Wald test of one background variable, over all six
  areas (6 x (groups - 1) tests), Holm-corrected as one family (``p_holm`` beside the unadjusted ``p_value``).

The three background variables are three questions, read and reported separately; the correction is not
taken over all 18 rank tests, which would answer "does anything differ anywhere?", a question this report
does not ask. :func:`family_label` names each family.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..fmt import Lang
from ..sdc.cells import protect_hidden, suppress_by_n
from ..settings import MIN_N
from ..stats import compare_groups, holm, ordinal_logit
from .respondents import respondent_counts
from .scales import Role, area_scales, area_scores
from .texts import _category_label, _codes, _grouping_label, text

#: Background variables compared between groups.
GROUPINGS: tuple[str, ...] = ("organisation", "role", "work_area")


def _group_frame(df: pd.DataFrame, inst: Instrument, group: str, role: Role) -> pd.DataFrame:
    scores = area_scores(df, inst, role)
    g = pd.Categorical(df[group].astype(object), categories=_codes(inst, group))
    return scores.assign(_group=g)


def visible_groups(
    sizes: Mapping[Any, int], min_n: int = MIN_N, *, hidden: Iterable[Any] = ()
) -> list[Any]:
    """The groups whose statistics may be published, given each group's number of answers.

    The area's own n is published (:func:`area_summary`), so the hidden groups together are that n minus the
    visible ones: the hidden set must never be one group alone, nor add up to 1..min_n-1 people. Groups of
    1..min_n-1 are hidden, and while the hidden set breaks either rule the smallest visible group joins it
    (the secondary rule, applied to the union as well). Descriptives, rank tests and ordinal models all use
    this one set, so a test's n or an excluded group cannot undo the descriptives' suppression (a test over
    the other groups published n = 108 of 118, i.e. the hidden "Muu" group's 10). ``hidden`` names groups
    hidden elsewhere (the respondent counts), which stay hidden here.

    Examples
    --------
    >>> visible_groups({"a": 62, "b": 20, "c": 26, "d": 10}, min_n=20)  # d alone would be 118 - 108
    ['a', 'c']
    >>> visible_groups({"a": 50, "b": 3, "c": 2, "d": 30}, min_n=5)  # b + c = 5 people: enough together
    ['a', 'd']
    >>> visible_groups({"a": 50, "b": 2, "c": 2, "d": 30})  # b + c = 4: d joins them
    ['a']
    >>> visible_groups({"a": 50, "b": 12, "c": 30}, hidden=["b", "c"])  # hidden in the respondent counts
    ['a']
    """
    n = {g: int(v) for g, v in sizes.items() if int(v) > 0}
    hidden = protect_hidden(
        n, {g for g, v in n.items() if v < min_n} | {g for g in hidden if g in n}, min_n
    )
    return [g for g in n if g not in hidden]


def _hidden_respondents(df: pd.DataFrame, inst: Instrument, group: str, min_n: int) -> set[Any]:
    counts = respondent_counts(df, inst, group, min_n=min_n)
    return set(counts.loc[counts["n"].isna(), "group"])


def _area_groups(
    frame: pd.DataFrame, area: str, min_n: int, hidden: Iterable[Any] = ()
) -> tuple[pd.DataFrame, list[Any]]:
    """The frame restricted to the area's visible groups (:func:`visible_groups`), and those groups."""
    valid = frame[frame[area].notna()]
    sizes = valid["_group"].value_counts(sort=False)
    keep = visible_groups(
        {g: sizes.get(g, 0) for g in frame["_group"].cat.categories}, min_n, hidden=hidden
    )
    return frame[frame["_group"].isin(keep)], keep


def family_label(inst: Instrument, grouping: str, kind: str, m: int, lang: Lang = "fi") -> str:
    """The readable name of one Holm family: ``kind`` is ``"tests"``, ``"models"`` or ``"terms"``, ``m``
    the number of tests in it.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> family_label(inst, "organisation", "tests", 6)
    'Organisaatio: 6 osaamisalueen järjestyslukutestit'
    >>> family_label(inst, "role", "terms", 12, "en")
    'Role: 12 odds ratios (all areas)'
    """
    return f"{_grouping_label(inst, grouping, lang)}: " + text(f"family_{kind}", lang).format(m=m)


def group_descriptives(
    df: pd.DataFrame,
    inst: Instrument,
    groups: Sequence[str] = GROUPINGS,
    *,
    role: Role = "competence",
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """n, median, quartiles, mean and SD of each area score in each group; groups below ``min_n`` hidden.

    In each (grouping, area) block the groups :func:`visible_groups` leaves out are hidden (the small ones and
    a secondary one, so that no hidden group can be worked out from the area's n); ``in_test`` marks the
    groups shown, which are exactly those that enter :func:`group_tests` and :func:`ordinal_checks`.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"organisation": ["essote"] * 6 + ["kainuu"] * 3,
    ...                   "ED1": [3.0] * 9, "ED2": [3.0] * 9, "ED3": [3.0] * 9, "ED4": [4.0] * 9})
    >>> t = group_descriptives(d, inst, ["organisation"], role="attitude")
    >>> t[["group", "n", "mean", "in_test"]].values.tolist()  # kainuu (3) alone would be 9 - 6: both go
    [['essote', <NA>, <NA>, False], ['kainuu', <NA>, <NA>, False]]
    """
    blocks = []
    for group in groups:
        frame = _group_frame(df, inst, group, role)
        base = _hidden_respondents(df, inst, group, min_n)
        for area in area_scales(inst, role):
            _, keep = _area_groups(frame, area, min_n, base)
            res = compare_groups(frame, area, "_group", min_n=1)
            t = res.table.reset_index()
            t = t[t["n"] > 0]
            shown = t["group"].isin(keep).to_numpy()
            block = pd.DataFrame(
                {
                    "grouping": group,
                    "grouping_label": _grouping_label(inst, group, lang),
                    "area": area,
                    "area_label": inst.area_label(area, lang),
                    "group": t["group"].astype(str).to_numpy(),
                    "group_label": [_category_label(inst, group, c, lang) for c in t["group"]],
                    "n": t["n"].to_numpy(dtype="int64"),
                    "median": t["median"].to_numpy(dtype=float),
                    "q1": t["q1"].to_numpy(dtype=float),
                    "q3": t["q3"].to_numpy(dtype=float),
                    "mean": t["mean"].to_numpy(dtype=float),
                    "sd": t["sd"].to_numpy(dtype=float),
                    "in_test": shown,
                }
            )
            blocks.append(
                suppress_by_n(
                    block,
                    "n",
                    min_n,
                    secondary=False,
                    also_hide=~shown,
                    value_cols=["median", "q1", "q3", "mean", "sd"],
                )
            )
    out = pd.concat(blocks, ignore_index=True)
    out.attrs["suppressed_cells"] = int(sum(b.attrs["suppressed_cells"] for b in blocks))
    return out


def group_tests(
    df: pd.DataFrame,
    inst: Instrument,
    groups: Sequence[str] = GROUPINGS,
    *,
    role: Role = "competence",
    min_n: int = MIN_N,
    alpha: float = 0.05,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Rank test of each area score between the groups of each background variable, Holm within a variable.

    :func:`~sosrake_lib.stats.compare_groups`: Mann-Whitney U with rank-biserial r for two groups,
    Kruskal-Wallis H with epsilon-squared for more; the groups :func:`visible_groups` hides (fewer than
    ``min_n`` respondents, and a secondary one) are left out of the test (``excluded_groups``), so the test's
    n is the sum of published group sizes. The family for the Holm (1979) correction is the set of areas tested
    for one background variable (six tests answer one question: "do organisations differ, and where?"; module
    docstring), named in ``family``.

    Returns
    -------
    DataFrame
        ``grouping``, ``grouping_label``, ``area``, ``area_label``, ``test``, ``n``, ``n_groups``,
        ``statistic``, ``df``, ``p_value``, ``p_holm``, ``significant``, ``family`` (the Holm family),
        ``effect_size``, ``effect_size_name``, ``higher_group`` (code of the group with higher values, two
        groups only), ``excluded_groups``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"organisation": ["essote"] * 5 + ["kainuu"] * 5,
    ...                   "ED1": [1.0, 2, 2, 1, 2, 4, 5, 4, 5, 5], "ED2": [2.0] * 10,
    ...                   "ED3": [3.0] * 10, "ED4": [2.0] * 10})
    >>> t = group_tests(d, inst, ["organisation"], role="attitude")
    >>> t.loc[0, "test"], float(t.loc[0, "statistic"]), float(t.loc[0, "effect_size"])
    ('Mann-Whitney U', 0.0, 1.0)
    """
    rows = []
    for group in groups:
        frame = _group_frame(df, inst, group, role)
        base = _hidden_respondents(df, inst, group, min_n)
        block = []
        for area in area_scales(inst, role):
            shown, keep = _area_groups(frame, area, min_n, base)
            if not keep:  # nothing publishable: a test over no groups
                shown = frame.iloc[:0]
                keep = list(frame["_group"].cat.categories[:1])
            res = compare_groups(
                shown.assign(_group=shown["_group"].cat.set_categories(keep)),
                area,
                "_group",
                min_n=1,
            )
            counts = frame.loc[frame[area].notna(), "_group"].value_counts()
            excluded = [
                g
                for g in frame["_group"].cat.categories
                if counts.get(g, 0) > 0 and g not in res.groups
            ]
            name, higher = res.effect_size_name, ""
            if res.test == "Mann-Whitney U":
                a, b = (_category_label(inst, group, g, lang) for g in res.groups)
                name = f"rank-biserial r (> 0: {b} higher than {a})"
                if res.effect_size != 0:
                    higher = str(res.groups[1] if res.effect_size > 0 else res.groups[0])
            block.append(
                {
                    "grouping": group,
                    "grouping_label": _grouping_label(inst, group, lang),
                    "area": area,
                    "area_label": inst.area_label(area, lang),
                    "test": res.test,
                    "n": res.n,
                    "n_groups": len(res.groups),
                    "statistic": res.statistic,
                    "df": res.df,
                    "p_value": res.p_value,
                    "effect_size": res.effect_size,
                    "effect_size_name": name,
                    "higher_group": higher,
                    "excluded_groups": ", ".join(
                        _category_label(inst, group, g, lang) for g in excluded
                    ),
                }
            )
        t = pd.DataFrame(block)
        t.insert(
            t.columns.get_loc("p_value") + 1, "p_holm", holm(t["p_value"].to_numpy(dtype=float))
        )
        t.insert(
            t.columns.get_loc("p_holm") + 1,
            "significant",
            np.nan_to_num(t["p_holm"].to_numpy(dtype=float), nan=1.0) < alpha,
        )
        m = int(t["p_value"].notna().sum())
        t.insert(
            t.columns.get_loc("significant") + 1,
            "family",
            family_label(inst, group, "tests", m, lang),
        )
        rows.append(t)
    return pd.concat(rows, ignore_index=True)


def _round_half_up(x: pd.Series) -> pd.Series:
    return np.floor(x + 0.5)


def ordinal_checks(
    df: pd.DataFrame,
    inst: Instrument,
    groups: Sequence[str] = GROUPINGS,
    *,
    role: Role = "competence",
    min_n: int = MIN_N,
    alpha: float = 0.05,
    lang: Lang = "fi",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Proportional-odds model of each area score on each background variable: the model-based check.

    Outcome: the respondent's area score rounded half up to the nearest whole scale point (1..5). One row
    per respondent keeps the respondent as the unit, as in the rank test; modelling the three items as
    separate rows would count each person three times and need a mixed or cluster-robust model that
    statsmodels' ``OrderedModel`` does not offer. Fitted with :func:`~sosrake_lib.stats.ordinal_logit`
    (``OrderedModel``, ``distr="logit"``); the likelihood-ratio test against the threshold-only model is
    Holm-corrected across the areas of one background variable (its own family, ``family``), and the Wald
    tests of the odds ratios across every level contrast of one background variable, all areas together
    (``p_holm``; families: module docstring). The groups :func:`visible_groups` hides are left out.

    Returns
    -------
    (summary, terms)
        ``summary``: ``grouping``, ``area``, ``area_label``, ``model``, ``n``, ``lr_stat``, ``lr_df``,
        ``lr_p``, ``lr_p_holm``, ``significant``, ``family``, ``converged``, ``warning``. ``terms``:
        ``grouping``, ``area``, ``area_label``, ``term`` (level vs the reference level, readable),
        ``odds_ratio``, ``ci_low``, ``ci_high``, ``p_value`` (Wald, unadjusted), ``p_holm``, ``family``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> rng = np.random.default_rng(3)
    >>> org = np.repeat(["essote", "kainuu"], 60)
    >>> ed1 = np.clip(np.rint(3 + (org == "kainuu") * 1.0 + rng.normal(0, 0.8, 120)), 1, 5)
    >>> d = pd.DataFrame({"organisation": org, "ED1": ed1, "ED2": ed1, "ED3": 6 - ed1, "ED4": ed1})
    >>> summary, terms = ordinal_checks(d, inst, ["organisation"], role="attitude")
    >>> bool(summary.loc[0, "lr_p"] < 0.001), bool(terms.loc[0, "odds_ratio"] > 1)
    (True, True)
    """
    summaries, term_rows = [], []
    for group in groups:
        frame = _group_frame(df, inst, group, role)
        base = _hidden_respondents(df, inst, group, min_n)
        block = []
        for area in area_scales(inst, role):
            shown, keep = _area_groups(frame, area, min_n, base)
            sub = shown[[area, "_group"]].dropna()
            data = pd.DataFrame(
                {
                    "y": _round_half_up(sub[area]).to_numpy(dtype=float),
                    "g": pd.Categorical(sub["_group"].astype(object), categories=keep),
                }
            )
            res = ordinal_logit(data, "y", ["g"]) if len(keep) >= 2 else None
            block.append(
                {
                    "grouping": group,
                    "grouping_label": _grouping_label(inst, group, lang),
                    "area": area,
                    "area_label": inst.area_label(area, lang),
                    "model": "proportional-odds (cumulative logit), OrderedModel distr='logit'; outcome: area "
                    "score rounded half up to a whole scale point",
                    "n": res.n if res else len(data),
                    "lr_stat": res.lr_stat if res else math.nan,
                    "lr_df": res.lr_df if res else 0,
                    "lr_p": res.lr_p if res else math.nan,
                    "converged": bool(res.converged) if res else False,
                    "warning": res.warning if res else "fewer than two groups large enough",
                }
            )
            if res is not None:
                ref = _category_label(inst, group, keep[0], lang)
                for _, tr in res.table.iterrows():
                    level = str(tr["term"]).removeprefix("g[T.").removesuffix("]")
                    term_rows.append(
                        {
                            "grouping": group,
                            "area": area,
                            "area_label": inst.area_label(area, lang),
                            "term": f"{_category_label(inst, group, level, lang)} vs {ref}",
                            "odds_ratio": tr["odds_ratio"],
                            "ci_low": tr["ci_low"],
                            "ci_high": tr["ci_high"],
                            "p_value": tr["p_value"],
                        }
                    )
        t = pd.DataFrame(block)
        t.insert(t.columns.get_loc("lr_p") + 1, "lr_p_holm", holm(t["lr_p"].to_numpy(dtype=float)))
        t.insert(
            t.columns.get_loc("lr_p_holm") + 1,
            "significant",
            np.nan_to_num(t["lr_p_holm"].to_numpy(dtype=float), nan=1.0) < alpha,
        )
        t.insert(
            t.columns.get_loc("significant") + 1,
            "family",
            family_label(inst, group, "models", int(t["lr_p"].notna().sum()), lang),
        )
        summaries.append(t)
    terms = pd.DataFrame(
        term_rows,
        columns=[
            "grouping",
            "area",
            "area_label",
            "term",
            "odds_ratio",
            "ci_low",
            "ci_high",
            "p_value",
        ],
    )
    terms["p_holm"] = np.nan
    terms["family"] = ""
    for group, idx in terms.groupby("grouping", sort=False).groups.items():
        p = terms.loc[idx, "p_value"].to_numpy(dtype=float)
        terms.loc[idx, "p_holm"] = holm(p)
        terms.loc[idx, "family"] = family_label(
            inst, str(group), "terms", int((~np.isnan(p)).sum()), lang
        )
    return pd.concat(summaries, ignore_index=True), terms
