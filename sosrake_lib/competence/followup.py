"""Follow-up round of the competence mapping: what changed since an earlier round, and for whom.

Two rounds of the same survey are two groups of people that partly overlap. Whoever answered both (the same
e-mail, so the same ``person_key`` under the same pseudonym key) is *linked*; the others answered only the
earlier or only the later round. The two kinds are never mixed in one test:

- **linked** respondents are compared *within person* (paired): Wilcoxon signed-rank test of the change
  (:func:`~sosrake_lib.stats.paired_change`, ``zero_method="wilcox"``), mean change with a Student t interval,
  matched-pairs rank-biserial r; top-2 shares with McNemar's exact test and a Bonett-Price interval;
- **unlinked** respondents (earlier-only vs later-only) are compared as *independent samples*: Mann-Whitney U
  with rank-biserial r (:func:`~sosrake_lib.stats.two_sample_ordinal`), difference of means with a Welch t
  interval; top-2 shares with a Newcombe interval (:func:`~sosrake_lib.stats.two_proportions`).

Each table has a ``family`` column: the areas (or items) of one group and one measure form one Holm family.
Only items that the later codebook shows as the same item (same id) or as an explicit successor
(``previous_id``) are compared; :func:`item_mapping` lists every item and why it can or cannot be compared. Area
scores of the follow-up use the comparable items only, so both rounds measure an area with the same items.

Examples
--------
>>> from sosrake_lib.codebook import editions, load_instrument
>>> m = item_mapping(load_instrument(editions("competence")[0]), load_instrument(editions("competence")[1]))
>>> m.loc[~m["comparable"] | (m["status"] == "mapped"), ["item", "earlier_item", "status"]].to_numpy().tolist()
[['C_VT2b', 'C_VT2', 'mapped'], ['', 'C_YS3', 'dropped'], ['I_VT2b', 'I_VT2', 'mapped'], ['', 'I_YS3', 'dropped']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..codebook import Instrument
from ..fmt import Lang
from ..outputs import KeyFigures
from ..scoring import scale_scores
from ..sdc.cells import suppress_by_n
from ..settings import MIN_N
from ..stats import holm, mean_ci, paired_change, two_proportions, two_sample_ordinal
from .texts import text

#: An area score at or above this counts as top-2 (on average "fairly well" or better on the 1-5 scale).
TOP_BOX = 4.0
ROLES = ("competence", "importance")


def item_mapping(earlier: Instrument, later: Instrument, lang: Lang = "fi") -> pd.DataFrame:
    """Every Likert item of the two rounds' codebooks and whether it can be compared.

    ``status``: ``same`` (the same id in both), ``mapped`` (reworded: the later item names the earlier one in
    ``previous_id``), ``new`` (only in the later codebook) or ``dropped`` (only in the earlier one; the later
    codebook's ``drop_items`` says why). Only ``same`` and ``mapped`` items are ``comparable``.

    Returns
    -------
    DataFrame
        ``item`` (later id, ``""`` if dropped), ``earlier_item`` (``""`` if new), ``item_label``, ``area``,
        ``role``, ``status``, ``comparable``, ``reason``.
    """
    rows = []
    reached: set[str] = set()
    for it in later.likert_items():
        prev = it.previous_id if it.previous_id else (it.id if it.id in earlier else None)
        if prev is not None and prev not in earlier:
            prev = None
        status = "new" if prev is None else ("mapped" if prev != it.id else "same")
        reached.add(prev or "")
        rows.append((it.id, prev or "", it.text(lang), it.area, it.role, status, ""))
    for it in earlier.likert_items():
        if it.id not in reached:
            why = later.dropped.get(it.id, "")
            rows.append(("", it.id, it.text(lang), it.area, it.role, "dropped", why))
    out = pd.DataFrame(
        rows,
        columns=["item", "earlier_item", "item_label", "area", "role", "status", "reason"],
    )
    out["comparable"] = out["status"].isin(["same", "mapped"])
    out["reason"] = [
        r if r else text(f"followup_{s}", lang)
        for r, s in zip(out["reason"], out["status"], strict=True)
    ]
    order = {r: k for k, r in enumerate([*ROLES, None])}
    key = out["role"].map(lambda r: order.get(r, len(order)))
    out = out.assign(_k=key).sort_values(["_k"], kind="stable").drop(columns="_k")
    return out.reset_index(drop=True)[
        ["item", "earlier_item", "item_label", "area", "role", "status", "comparable", "reason"]
    ]


def not_comparable(mapping: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`item_mapping` that cannot be compared (new and dropped items), with the reason."""
    return mapping[~mapping["comparable"]].reset_index(drop=True)


@dataclass(frozen=True)
class Rounds:
    """Scores of two rounds on the comparable items, indexed by ``person_key``, and who is linked.

    ``earlier`` / ``later``: one column per unit (area or earlier item id); ``linked_earlier`` /
    ``linked_later``: booleans, True for people who answered both rounds.
    """

    earlier: pd.DataFrame
    later: pd.DataFrame
    linked_earlier: np.ndarray
    linked_later: np.ndarray

    @property
    def n_linked(self) -> int:
        return int(self.linked_later.sum())


def comparable_scores(
    early: pd.DataFrame,
    late: pd.DataFrame,
    earlier: Instrument,
    later: Instrument,
    *,
    unit: str = "area",
    role: str = "competence",
) -> Rounds:
    """Area scores (``unit="area"``, mean of the area's comparable items, at least half answered) or item
    answers (``unit="item"``, named by the earlier item id) of both rounds, on the comparable items only.
    "En osaa sanoa" is missing in the item columns, so it is left out of the scores."""
    mapping = item_mapping(earlier, later)
    comp = mapping[mapping["comparable"] & (mapping["role"] == role)]
    rename = {i: e for i, e in zip(comp["item"], comp["earlier_item"], strict=True) if i != e}
    if unit == "area":
        scales: dict[str, list[str]] = {}
        for e_id, area in zip(comp["earlier_item"], comp["area"], strict=True):
            scales.setdefault(str(area), []).append(
                ("-" if earlier.item(e_id).reverse else "") + e_id
            )
    else:
        scales = {e: [e] for e in comp["earlier_item"]}
    e = scale_scores(early, scales, min_valid=0.5)
    lt = scale_scores(late.rename(columns=rename), scales, min_valid=0.5)
    keys_e, keys_l = _keys(early), _keys(late)
    e.index, lt.index = keys_e, keys_l
    both = set(keys_e.dropna()) & set(keys_l.dropna())
    return Rounds(
        e,
        lt,
        keys_e.isin(both).to_numpy(dtype=bool),
        keys_l.isin(both).to_numpy(dtype=bool),
    )


def _keys(df: pd.DataFrame) -> pd.Series:
    if "person_key" not in df:
        raise ValueError(
            "the frame has no person_key column: read the export with a codebook that has link_key "
            "(the competence codebook links rounds by the keyed hash of the e-mail)"
        )
    # a row without a key (an anonymous answer) is never linked: missing keys are left out of the overlap
    return df["person_key"].astype("object")


def linkage_counts(rounds: Rounds, *, min_n: int = MIN_N, lang: Lang = "fi") -> pd.DataFrame:
    """Respondents of the two rounds: all, linked (both rounds), earlier only, later only.

    The round totals are published elsewhere, so linked + earlier-only = earlier total: one small part would
    give the other away by subtraction. When any of linked, earlier-only or later-only is 1..min_n-1, all
    three are hidden (``attrs["split_hidden"] = True``); the totals stay.
    """
    n_e, n_l, n_link = len(rounds.earlier), len(rounds.later), rounds.n_linked
    parts = {"linked": n_link, "earlier_only": n_e - n_link, "later_only": n_l - n_link}
    out = pd.DataFrame(
        {
            "group": ["earlier_all", "later_all", *parts],
            "group_label": [
                text(f"followup_{g}", lang) for g in ["earlier_all", "later_all", *parts]
            ],
            "n": pd.array([n_e, n_l, *parts.values()], dtype="Int64"),
        }
    )
    out["pct_of_earlier"] = 100 * out["n"].astype("Float64") / n_e if n_e else np.nan
    out.loc[out["group"].isin(["later_all", "later_only"]), "pct_of_earlier"] = np.nan
    hidden = any(0 < v < min_n for v in parts.values())
    before = int(out[["n", "pct_of_earlier"]].isna().sum().sum())
    if hidden:
        out.loc[out["group"].isin(list(parts)), ["n", "pct_of_earlier"]] = pd.NA
    out.attrs["split_hidden"] = hidden
    out.attrs["suppressed_cells"] = int(out[["n", "pct_of_earlier"]].isna().sum().sum()) - before
    out.attrs["min_n"] = min_n
    return out


def _label(unit: str, key: str, earlier: Instrument, lang: Lang) -> str:
    return earlier.area_label(key, lang) if unit == "area" else earlier.item(key).text(lang)


def mean_changes(
    rounds: Rounds,
    earlier: Instrument,
    *,
    unit: str = "area",
    trained: Sequence[str] = (),
    min_n: int = MIN_N,
    split_hidden: bool = False,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Change of the mean per area (or item), linked respondents paired, the others as independent samples.

    One row per unit and ``linkage`` (``linked``, ``unlinked``). Linked: complete pairs (``n_earlier`` =
    ``n_later``), mean change
    (later - earlier) with a Student t interval, Wilcoxon signed-rank (``zero_method="wilcox"``, scipy's
    ``method="auto"``), matched-pairs rank-biserial r. Unlinked: ``n_earlier`` earlier-only and ``n_later``
    later-only respondents, difference of means with a Welch t interval, Mann-Whitney U (two-sided, with tie
    correction), rank-biserial r (> 0: later higher). ``p_holm``: Holm within the group's family (its units).
    Rows with fewer than ``min_n`` people in a compared group are hidden; with ``split_hidden`` (see
    :func:`linkage_counts`) every count is hidden too.

    Returns
    -------
    DataFrame
        ``unit``, ``unit_label``, ``trained``, ``linkage``, ``design``, ``n_earlier``, ``n_later``,
        ``mean_earlier``, ``mean_later``, ``mean_change``, ``ci_low``, ``ci_high``, ``ci_method``,
        ``median_change``, ``test``, ``statistic``, ``p_value``, ``p_holm``, ``significant``,
        ``effect_size``, ``effect_size_name``, ``family``.
    """
    rows = []
    le, ll = rounds.linked_earlier, rounds.linked_later
    for key in rounds.earlier.columns:
        e, lt = rounds.earlier[key], rounds.later[key]
        pairs = pd.concat([e[le].rename("e"), lt[ll].rename("l")], axis=1, join="inner").dropna()
        d = (pairs["l"] - pairs["e"]).to_numpy(dtype=float)
        base = {"unit": key, "unit_label": _label(unit, key, earlier, lang)}
        base["trained"] = key in trained if unit == "area" else earlier.item(key).area in trained
        if len(d) >= 2:
            res = paired_change(pairs["e"], pairs["l"])
            lo, hi = mean_ci(d)
            rows.append(
                base
                | {
                    "linkage": "linked",
                    "design": "paired",
                    "n_earlier": len(d),
                    "n_later": len(d),
                    "mean_earlier": pairs["e"].mean(),
                    "mean_later": pairs["l"].mean(),
                    "mean_change": d.mean(),
                    "ci_low": lo,
                    "ci_high": hi,
                    "ci_method": "t",
                    "median_change": res.median_change,
                    "test": "Wilcoxon signed-rank (zero_method=wilcox)",
                    "statistic": res.statistic,
                    "p_value": res.p_value,
                    "effect_size": res.effect_size,
                    "effect_size_name": "matched-pairs rank-biserial r",
                }
            )
        x = e[~le].dropna().to_numpy(dtype=float)
        y = lt[~ll].dropna().to_numpy(dtype=float)
        if len(x) >= 2 and len(y) >= 2:
            mw = two_sample_ordinal(x, y, labels=("earlier", "later"))
            ci = sps.ttest_ind(y, x, equal_var=False).confidence_interval(0.95)
            rows.append(
                base
                | {
                    "linkage": "unlinked",
                    "design": "independent",
                    "n_earlier": len(x),
                    "n_later": len(y),
                    "mean_earlier": x.mean(),
                    "mean_later": y.mean(),
                    "mean_change": y.mean() - x.mean(),
                    "ci_low": float(ci.low),
                    "ci_high": float(ci.high),
                    "ci_method": "Welch t",
                    "median_change": float(np.median(y) - np.median(x)),
                    "test": "Mann-Whitney U (two-sided)",
                    "statistic": mw.statistic,
                    "p_value": mw.p_value,
                    "effect_size": mw.effect_size,
                    "effect_size_name": "rank-biserial r",
                }
            )
    return _finish(pd.DataFrame(rows), unit, "mean", min_n, split_hidden, lang)


def top2_changes(
    rounds: Rounds,
    earlier: Instrument,
    *,
    unit: str = "area",
    trained: Sequence[str] = (),
    min_n: int = MIN_N,
    split_hidden: bool = False,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Change of the top-2 share (score >= :data:`TOP_BOX`; for an item, answer 4 or 5) per area or item.

    Linked: McNemar's exact test (binomial on the discordant pairs, :func:`statsmodels.stats.contingency_tables.
    mcnemar` ``exact=True``) and the Bonett-Price (2012) adjusted Wald interval of the paired difference.
    Unlinked: Newcombe's hybrid score interval and the score (or Fisher's exact) test of
    :func:`~sosrake_lib.stats.two_proportions`. Effect size in both: Cohen's h of the two shares. A share whose
    count of top-2 or of other answers is 1..min_n-1 is hidden, and with it the row's change and test (they
    would give it back).
    """
    from statsmodels.stats.contingency_tables import mcnemar

    rows = []
    le, ll = rounds.linked_earlier, rounds.linked_later
    for key in rounds.earlier.columns:
        e, lt = rounds.earlier[key], rounds.later[key]
        base = {"unit": key, "unit_label": _label(unit, key, earlier, lang)}
        base["trained"] = key in trained if unit == "area" else earlier.item(key).area in trained
        pairs = pd.concat([e[le].rename("e"), lt[ll].rename("l")], axis=1, join="inner").dropna()
        be, bl = (pairs["e"] >= TOP_BOX).to_numpy(), (pairs["l"] >= TOP_BOX).to_numpy()
        n = len(pairs)
        if n >= 2:
            n10, n01 = int((be & ~bl).sum()), int((~be & bl).sum())
            p = mcnemar(
                [[int((be & bl).sum()), n10], [n01, int((~be & ~bl).sum())]], exact=True
            ).pvalue
            p1, p2 = (n10 + 1) / (n + 2), (n01 + 1) / (n + 2)
            se = np.sqrt(max(p1 + p2 - (p2 - p1) ** 2, 0.0) / (n + 2))
            rows.append(
                base
                | _shares(be.sum(), n, bl.sum(), n, min_n)
                | {
                    "linkage": "linked",
                    "design": "paired",
                    "change_pp": 100 * (n01 - n10) / n,
                    "ci_low": 100 * (p2 - p1 - 1.959964 * se),
                    "ci_high": 100 * (p2 - p1 + 1.959964 * se),
                    "ci_method": "Bonett-Price",
                    "test": "McNemar exact",
                    "p_value": float(p),
                }
            )
        x, y = e[~le].dropna(), lt[~ll].dropna()
        if len(x) >= 2 and len(y) >= 2:
            cx, cy = int((x >= TOP_BOX).sum()), int((y >= TOP_BOX).sum())
            r = two_proportions(cx, len(x), cy, len(y))
            rows.append(
                base
                | _shares(cx, len(x), cy, len(y), min_n)
                | {
                    "linkage": "unlinked",
                    "design": "independent",
                    "change_pp": 100 * r.difference,
                    "ci_low": 100 * r.ci_low,
                    "ci_high": 100 * r.ci_high,
                    "ci_method": "Newcombe",
                    "test": r.test,
                    "p_value": r.p_value,
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        pe, pl = out["top2_earlier_pct"] / 100, out["top2_later_pct"] / 100
        out["effect_size"] = 2 * np.arcsin(np.sqrt(pl)) - 2 * np.arcsin(np.sqrt(pe))
        out["effect_size_name"] = "Cohen's h"
    return _finish(out, unit, "top2", min_n, split_hidden, lang)


def _shares(ce: int, ne: int, cl: int, nl: int, min_n: int) -> dict[str, object]:
    small = any(0 < c < min_n or 0 < n - c < min_n for c, n in ((ce, ne), (cl, nl)))
    return {
        "n_earlier": ne,
        "n_later": nl,
        "top2_earlier_pct": 100 * ce / ne,
        "top2_later_pct": 100 * cl / nl,
        "_small_count": small,
    }


def _finish(
    out: pd.DataFrame, unit: str, measure: str, min_n: int, split_hidden: bool, lang: Lang
) -> pd.DataFrame:
    """Holm within each group's family, the family's name, then disclosure control."""
    if out.empty:
        return out
    out["p_holm"] = np.nan
    out["family"] = ""
    for g, idx in out.groupby("linkage", sort=False).indices.items():
        out.loc[out.index[idx], "p_holm"] = holm(out["p_value"].to_numpy(dtype=float)[idx])
        out.loc[out.index[idx], "family"] = text(f"family_followup_{g}_{measure}", lang).format(
            m=len(idx), units=text(f"followup_units_{unit}", lang)
        )
    out["significant"] = out["p_holm"] < 0.05
    out["n_min"] = out[["n_earlier", "n_later"]].min(axis=1)
    extra = out.pop("_small_count").to_numpy(dtype=bool) if "_small_count" in out else None
    values = [
        c
        for c in out.columns
        if c not in ("unit", "unit_label", "trained", "linkage", "design", "ci_method", "test")
        and c not in ("effect_size_name", "family", "n_min", "significant")
        and pd.api.types.is_numeric_dtype(out[c])
    ]
    res = suppress_by_n(out, "n_min", min_n, value_cols=values, secondary=False, also_hide=extra)
    hidden = res["n_min"].isna().to_numpy()
    _hide_partner_counts(res, hidden)
    res["significant"] = res["significant"].astype("boolean")
    res.loc[hidden, "significant"] = pd.NA
    if split_hidden:
        res[["n_earlier", "n_later"]] = pd.NA
    res = res.drop(columns="n_min")
    res.attrs = {k: v for k, v in res.attrs.items() if k != "suppressed_rows"} | {
        "suppressed_cells": int(res[values].isna().sum().sum() - out[values].isna().sum().sum())
    }
    return res


def _hide_partner_counts(res: pd.DataFrame, hidden: np.ndarray, by: str | None = "unit") -> None:
    """A unit's linked and unlinked rows add up to the round's count of that unit (published in the round's
    own report): where one row is hidden, the other row's counts are hidden too, so the hidden one cannot be
    worked out by subtraction. In place."""
    keys = res[by] if by else pd.Series(0, index=res.index)
    for key in set(keys[hidden]):
        res.loc[keys == key, ["n_earlier", "n_later"]] = pd.NA


def difference_in_change(
    rounds: Rounds,
    trained: Sequence[str],
    *,
    n_boot: int = 2000,
    seed: int = 2022,
    min_n: int = MIN_N,
    split_hidden: bool = False,
) -> pd.DataFrame:
    """Did the trained areas improve more than the others? (difference in change, DiD)

    Each person's *contrast* is the mean of their trained-area scores minus the mean of their other area
    scores (both parts needed). The DiD is the change of the mean contrast:

    - ``linked``: per-person change of the contrast (later - earlier); mean with a Student t interval, the
      one-sample t test, Wilcoxon signed-rank on the same differences, effect size Cohen's d_z;
    - ``unlinked``: mean contrast of the later-only minus the earlier-only respondents; the interval is the
      percentile bootstrap over respondents, resampled within each round (``n_boot``, ``seed``), the test is
      Welch's t test, effect size Hedges' g.

    Returns
    -------
    DataFrame
        ``linkage``, ``design``, ``n_earlier``, ``n_later``, ``trained_areas``, ``did``, ``ci_low``,
        ``ci_high``, ``ci_method``, ``test``, ``p_value``, ``wilcoxon_p``, ``effect_size``,
        ``effect_size_name``.
    """
    areas = list(rounds.earlier.columns)
    others = [a for a in areas if a not in trained]
    trained = [a for a in trained if a in areas]
    if not trained or not others:
        raise ValueError(f"trained areas {list(trained)} must be some, not all, of {areas}")

    def contrast(s: pd.DataFrame) -> pd.Series:
        return s[trained].mean(axis=1) - s[others].mean(axis=1)

    ce, cl = contrast(rounds.earlier), contrast(rounds.later)
    le, ll = rounds.linked_earlier, rounds.linked_later
    rows = []
    pairs = pd.concat([ce[le].rename("e"), cl[ll].rename("l")], axis=1, join="inner").dropna()
    d = (pairs["l"] - pairs["e"]).to_numpy(dtype=float)
    names = "+".join(trained)
    if len(d) >= 3:
        lo, hi = mean_ci(d)
        sd = d.std(ddof=1)
        rows.append(
            {
                "linkage": "linked",
                "design": "paired",
                "n_earlier": len(d),
                "n_later": len(d),
                "trained_areas": names,
                "did": d.mean(),
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": "t",
                "test": "one-sample t test of the per-person DiD",
                "p_value": float(sps.ttest_1samp(d, 0.0).pvalue),
                "wilcoxon_p": paired_change(pairs["e"], pairs["l"]).p_value,
                "effect_size": d.mean() / sd if sd > 0 else np.nan,
                "effect_size_name": "Cohen's d_z",
            }
        )
    x, y = ce[~le].dropna().to_numpy(dtype=float), cl[~ll].dropna().to_numpy(dtype=float)
    if len(x) >= 3 and len(y) >= 3:
        rng = np.random.default_rng(seed)
        boot = np.array(
            [
                rng.choice(y, len(y)).mean() - rng.choice(x, len(x)).mean()
                for _ in range(max(n_boot, 0))
            ]
        )
        lo, hi = np.quantile(boot, [0.025, 0.975]) if len(boot) else (np.nan, np.nan)
        sp = np.sqrt(
            ((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / (len(x) + len(y) - 2)
        )
        g = (y.mean() - x.mean()) / sp * (1 - 3 / (4 * (len(x) + len(y)) - 9)) if sp > 0 else np.nan
        rows.append(
            {
                "linkage": "unlinked",
                "design": "independent",
                "n_earlier": len(x),
                "n_later": len(y),
                "trained_areas": names,
                "did": y.mean() - x.mean(),
                "ci_low": float(lo),
                "ci_high": float(hi),
                "ci_method": f"percentile bootstrap ({n_boot}, seed {seed})",
                "test": "Welch t test",
                "p_value": float(sps.ttest_ind(y, x, equal_var=False).pvalue),
                "wilcoxon_p": np.nan,
                "effect_size": g,
                "effect_size_name": "Hedges' g",
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["n_min"] = out[["n_earlier", "n_later"]].min(axis=1)
    values = ["did", "ci_low", "ci_high", "p_value", "wilcoxon_p", "effect_size"]
    res = suppress_by_n(out, "n_min", min_n, value_cols=values, secondary=False)
    _hide_partner_counts(res, res["n_min"].isna().to_numpy(), by=None)
    if split_hidden:
        res[["n_earlier", "n_later"]] = pd.NA
    shown = [*values, "n_earlier", "n_later"]
    res.attrs["suppressed_cells"] = int(
        res[shown].isna().sum().sum() - out[shown].isna().sum().sum()
    )
    return res.drop(columns="n_min")


def needs_side_by_side(
    needs_earlier: pd.DataFrame,
    needs_later: pd.DataFrame,
    *,
    trained: Sequence[str] = (),
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """The Borich ranking then and now (two :func:`development_needs` tables, each round on its own items).

    Returns
    -------
    DataFrame
        ``area``, ``area_label``, ``trained``, then ``n``, ``mwds``, ``mwds_ci_low``, ``mwds_ci_high``,
        ``rank``, ``rank_ci_low``, ``rank_ci_high`` with the suffixes ``_earlier`` and ``_later``; sorted by
        the earlier rank. A round with fewer than ``min_n`` respondents shows no figures.
    """
    cols = ["n", "mwds", "mwds_ci_low", "mwds_ci_high", "rank", "rank_ci_low", "rank_ci_high"]
    parts = []
    for t, suffix in ((needs_earlier, "earlier"), (needs_later, "later")):
        s = suppress_by_n(t[["area", *[c for c in cols if c in t]]], "n", min_n, secondary=False)
        parts.append(s.set_index("area").add_suffix(f"_{suffix}"))
    out = needs_earlier[["area", "area_label"]].set_index("area").join(parts[0]).join(parts[1])
    out.insert(1, "trained", [a in trained for a in out.index])
    out = out.reset_index().sort_values("rank_earlier", kind="stable").reset_index(drop=True)
    out.attrs["suppressed_cells"] = int(sum(p.attrs.get("suppressed_cells", 0) for p in parts))
    return out


def default_trained(needs_earlier: pd.DataFrame, override: str | Sequence[str] = "") -> list[str]:
    """The trained areas: ``override`` (comma-separated area ids, or a list) if given, else the earlier
    round's top needs (``top_need`` of :func:`development_needs`), in rank order.

    >>> t = pd.DataFrame({"area": ["a", "b", "c", "d"], "rank": [2, 1, 4, 3], "top_need": [True, True, False, True]})
    >>> default_trained(t), default_trained(t, "c, d")
    (['b', 'a', 'd'], ['c', 'd'])
    """
    if isinstance(override, str):
        override = [a.strip() for a in override.split(",") if a.strip()]
    if override:
        known = set(needs_earlier["area"])
        unknown = [a for a in override if a not in known]
        if unknown:
            from ..errors import ConfigError

            raise ConfigError(
                f"unknown trained area(s) {', '.join(unknown)}; use the area ids {', '.join(sorted(known))}"
            )
        return list(override)
    top = needs_earlier[needs_earlier["top_need"].astype(bool)].sort_values("rank")
    return [str(a) for a in top["area"]]


def followup_tables(
    early: pd.DataFrame,
    late: pd.DataFrame,
    earlier: Instrument,
    later: Instrument,
    *,
    needs_later: pd.DataFrame | None = None,
    trained_areas: str | Sequence[str] = "",
    n_boot: int = 2000,
    seed: int = 2020,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table of the follow-up comparison, ready to publish, and the trained areas used.

    ``early`` / ``late``: the cleaned rounds (with ``person_key``); ``earlier`` / ``later``: the codebook
    versions they were read with; ``needs_later``: the later round's :func:`development_needs` when already
    computed. Tables: ``followup_counts`` (:func:`linkage_counts`), ``followup_mapping``
    (:func:`item_mapping`), ``followup_not_comparable``, ``followup_areas`` (:func:`mean_changes` of the
    competence areas), ``followup_top2`` (:func:`top2_changes` of the areas), ``followup_items``
    (:func:`mean_changes` of the comparable competence items), ``followup_items_top2`` (their top-2-box
    shares, answer 4 or 5), ``followup_did``
    (:func:`difference_in_change`), ``followup_needs`` (:func:`needs_side_by_side`).
    """
    from .needs import development_needs

    needs_e = development_needs(early, earlier, n_boot=n_boot, seed=seed, lang=lang)
    if needs_later is None:
        needs_later = development_needs(late, later, n_boot=n_boot, seed=seed, lang=lang)
    trained = default_trained(needs_e, trained_areas)
    areas = comparable_scores(early, late, earlier, later)
    items = comparable_scores(early, late, earlier, later, unit="item")
    counts = linkage_counts(areas, min_n=min_n, lang=lang)
    hide = bool(counts.attrs["split_hidden"])
    opts = {"trained": trained, "min_n": min_n, "split_hidden": hide, "lang": lang}
    mapping = item_mapping(earlier, later, lang)
    tables = {
        "followup_counts": counts,
        "followup_mapping": mapping,
        "followup_not_comparable": not_comparable(mapping),
        "followup_areas": mean_changes(areas, earlier, **opts),
        "followup_top2": top2_changes(areas, earlier, **opts),
        "followup_items": mean_changes(items, earlier, unit="item", **opts),
        "followup_items_top2": top2_changes(items, earlier, unit="item", **opts),
        "followup_did": difference_in_change(
            areas, trained, n_boot=n_boot, seed=seed, min_n=min_n, split_hidden=hide
        ),
        "followup_needs": needs_side_by_side(needs_e, needs_later, trained=trained, min_n=min_n),
    }
    return tables, trained


def add_key_figures(kf: KeyFigures, tables: dict[str, pd.DataFrame]) -> KeyFigures:
    """Add the follow-up's key figures to ``kf``: ``followup_linked_n`` (people who answered both rounds,
    unit ``n``), ``followup_did`` (difference in change of the linked people, trained minus other areas, t
    interval) and ``followup_did_unlinked`` (the same between the earlier-only and later-only respondents,
    percentile-bootstrap interval). A figure the tables hide is written as suppressed, without a value."""
    counts = tables["followup_counts"]
    linked = counts.loc[counts["group"] == "linked", "n"].iloc[0]
    kf.add(
        "followup_linked_n",
        None if pd.isna(linked) else int(linked),
        "n",
        n=None if pd.isna(linked) else int(linked),
        method="respondents of both rounds, linked by the keyed hash of their e-mail (same key)",
        label_fi="Vastasi molemmille kierroksille",
        label_en="Answered both rounds",
        suppressed=bool(pd.isna(linked)),
        source={"table": "followup_counts", "column": "n", "row": {"group": "linked"}},
    )
    did = tables["followup_did"]
    for group, name in (("linked", "followup_did"), ("unlinked", "followup_did_unlinked")):
        row = did[did["linkage"] == group] if len(did) else did
        if row.empty:
            continue
        r = row.iloc[0]
        value = r["did"]
        n = r["n_earlier"] if group == "linked" else min(r["n_earlier"], r["n_later"])
        kf.add(
            name,
            None if pd.isna(value) else float(value),
            "score 1–5 difference",
            n=None if pd.isna(n) else int(n),
            ci_low=None if pd.isna(r["ci_low"]) else float(r["ci_low"]),
            ci_high=None if pd.isna(r["ci_high"]) else float(r["ci_high"]),
            method=f"difference in change, trained minus other areas; {r['design']}; "
            f"{r['ci_method']} 95 % CI; {r['test']}",
            label_fi="Koulutettujen alueiden muutos verrattuna muihin"
            + (" (samat henkilöt)" if group == "linked" else " (eri henkilöt)"),
            label_en="Change of the trained areas compared with the others"
            + (" (same people)" if group == "linked" else " (different people)"),
            note=f"group={group}; trained={r['trained_areas']}",
            suppressed=bool(pd.isna(value)),
            source={"table": "followup_did", "column": "did", "row": {"linkage": group}},
        )
    return kf


__all__ = [
    "ROLES",
    "TOP_BOX",
    "Rounds",
    "add_key_figures",
    "followup_tables",
    "comparable_scores",
    "default_trained",
    "difference_in_change",
    "item_mapping",
    "linkage_counts",
    "mean_changes",
    "needs_side_by_side",
    "not_comparable",
    "top2_changes",
]
