"""Change between two rounds per competence area or item: linked people paired, the others as independent
samples, Holm within each family; the difference in change of the trained areas; the Borich ranking then and
now. Every table is finished with disclosure control (:func:`_finish`). The scores come from
:func:`.rounds.comparable_scores`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..codebook import Instrument
from ..fmt import Lang
from ..sdc.cells import suppress_by_n
from ..settings import MIN_N
from ..stats import holm, mean_ci, paired_change, two_proportions, two_sample_ordinal
from .rounds import TOP_BOX, Rounds, unit_label
from .texts import text


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
        base = {"unit": key, "unit_label": unit_label(unit, key, earlier, lang)}
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
        base = {"unit": key, "unit_label": unit_label(unit, key, earlier, lang)}
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


__all__ = ["difference_in_change", "mean_changes", "needs_side_by_side", "top2_changes"]
