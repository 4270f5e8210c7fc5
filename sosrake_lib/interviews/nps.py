"""Recommendation: NPS per semester or group and the NPS difference between semesters (step 3)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sps

from ..codebook import Instrument
from ..fmt import Lang
from ..scoring import _NPS_PSEUDO, nps, nps_by
from ..sdc.cells import suppress_by_n
from ..sdc.margins import protect_margins
from ..sdc.parts import suppress_nps_groups
from ..settings import MIN_N
from .cluster import (
    cluster_fit,
    few_clusters_note,
    interviewers,
    nps_effective,
    protect_interviewer_counts,
)
from .common import _inst
from .counts import _category_labels, _service_hidden, interview_counts


# ------------------------------------------------------------------------------------------ 3. NPS
def nps_table(
    df: pd.DataFrame,
    by: str | Sequence[str] = "semester",
    min_n: int = MIN_N,
    inst: Instrument | str | None = None,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """NPS per group (:func:`~sosrake_lib.scoring.nps_by`, adjusted-Wald 95 % CI, Rocks 2016), suppressed.

    With ``by=["semester", "service"]`` the services are labelled in ``lang`` and small services are hidden
    within each semester, with secondary suppression so a hidden one cannot be worked out from the total;
    every (semester, service) that :func:`service_counts` hides is hidden too (one pattern for all tables by
    service, so that one table cannot undo another's secondary suppression).
    Where a promoter, passive or detractor count is 1..min_n-1 people, all three counts of the row are hidden
    with their % (with ``n`` and the NPS, two of them would give the third away:
    :func:`~sosrake_lib.outputs.suppress_nps_groups`); the NPS itself stays unless it is within one person of
    ±100.

    Interviews are clustered in interviewers (``student``): each row's ``deff`` is the design effect of its
    NPS (the -1/0/+1 scores, :func:`~sosrake_lib.interviews.cluster.cluster_fit`), and the interval is the
    adjusted-Wald one with its variance times the design effect and a t quantile on interviewers - 1 df
    (:func:`~sosrake_lib.interviews.cluster.nps_effective`; ``ci_method`` says so; ``method`` stays the
    base method the suppression audits). Where the suppression rounds or hides the adjusted-Wald interval
    (a hidden NPS group), no audit covers the design-adjusted one, so it and ``deff`` are hidden.
    ``n_interviewers`` is protected as in :func:`theme_top2`; ``cluster_note`` says where fewer than 30
    interviewers make the interval unreliable.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 10, "nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]})
    >>> nps_table(toy)[["semester", "n", "nps"]].values.tolist()
    [['s', 10, 20.0]]
    """
    keys = [by] if isinstance(by, str) else list(by)
    table = nps_by(
        df[[*keys, "nps"]], "nps", keys
    )  # categoricals: codebook order, observed groups only
    inst_ = _inst(inst)
    for k in keys:
        if k != "semester":
            table[k] = table[k].astype("object")
            if k in inst_ and inst_.item(k).scale is not None:
                table[k] = table[k].map(_category_labels(inst_, k, lang))
    table["semester"] = table["semester"].astype("object")
    groups = ["promoters", "passives", "detractors"]
    linked = {g: [f"pct_{g}"] for g in groups}
    if keys == ["semester"]:
        out = suppress_nps_groups(
            suppress_by_n(table, "n", min_n, secondary=False), min_n, groups=groups, linked=linked
        )
        return _cluster_columns(out, table, df, keys, inst_, min_n, lang)
    hidden_cells = (
        _service_hidden(df, inst_, min_n, lang) if keys == ["semester", "service"] else set()
    )
    linked_hide = np.array(
        [
            (str(sem), str(g)) in hidden_cells
            for sem, g in zip(table["semester"], table[keys[-1]], strict=True)
        ],
        dtype=bool,
    )
    parts = [
        suppress_by_n(g, "n", min_n, also_hide=linked_hide[table.index.get_indexer(g.index)])
        for _, g in table.groupby("semester", sort=False)
    ]  # hidden in the service counts: hidden here
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {
        "suppressed_cells": sum(p.attrs["suppressed_cells"] for p in parts),
        "min_n": min_n,
    }
    first = suppress_nps_groups(out, min_n, groups=groups, linked=linked)
    extra = protect_margins(table.reset_index(drop=True), first, groups, min_n)
    if extra.any():
        first = suppress_nps_groups(out, min_n, groups=groups, linked=linked, also_hide=extra)
    return _cluster_columns(first, table, df, keys, inst_, min_n, lang)


def _cluster_columns(
    out: pd.DataFrame,
    full: pd.DataFrame,
    df: pd.DataFrame,
    keys: list[str],
    inst: Instrument,
    min_n: int,
    lang: Lang,
) -> pd.DataFrame:
    """:func:`nps_table`'s published table with its interval made cluster-aware (its docstring says how).

    ``out`` is the suppressed table, ``full`` the same rows before suppression. The interval replaces the
    adjusted-Wald one only where the suppression published that one at full precision: where it rounded
    or hid it (a hidden NPS group), no audit covers a design-adjusted interval, so it and ``deff`` go.
    """
    who = interviewers(df)
    out = out.reset_index(drop=True).copy()
    if who is None:
        return out
    full = full.reset_index(drop=True)
    group_keys = [df["semester"].astype("object").to_numpy()]
    for k in keys[1:]:
        vals = df[k].astype("object")
        if k in inst and inst.item(k).scale is not None:
            vals = vals.map(_category_labels(inst, k, lang))
        group_keys.append(vals.to_numpy())
    score = pd.to_numeric(df["nps"]).to_numpy(dtype=float)
    sign = np.where(score >= 9, 1.0, np.where(score <= 6, -1.0, 0.0))
    sign[np.isnan(score)] = np.nan
    stats: dict[str, list[Any]] = {"deff": [], "n_interviewers": [], "_students": [], "ci": []}
    for i in range(len(full)):
        mask = np.ones(len(df), dtype=bool)
        for k, vals in zip(keys, group_keys, strict=True):
            mask &= vals == full.at[i, k]
        fit = cluster_fit(sign[mask], who[mask])
        centre, variance, _ = _nps_parts(score[mask])
        stats["deff"].append(fit.deff)
        stats["n_interviewers"].append(fit.n_clusters)
        stats["_students"].append(len(pd.unique(who[mask])))
        stats["ci"].append(nps_effective(centre, variance, fit.deff, fit.n_clusters))
    kept = np.array(
        [
            pd.notna(lo) and pd.notna(hi) and float(lo) == a and float(hi) == b
            for lo, hi, a, b in zip(
                out["ci_low"], out["ci_high"], full["ci_low"], full["ci_high"], strict=True
            )
        ],
        dtype=bool,
    )
    cells = int(out["ci_low"].notna().sum() + out["ci_high"].notna().sum())
    ci = np.array(stats["ci"], dtype=float).reshape(-1, 2)
    out["ci_low"] = pd.array(np.where(kept, ci[:, 0], np.nan), dtype="Float64")
    out["ci_high"] = pd.array(np.where(kept, ci[:, 1], np.nan), dtype="Float64")
    hidden = cells - int(out["ci_low"].notna().sum() + out["ci_high"].notna().sum())
    deff = np.where(kept, np.array(stats["deff"], dtype=float), np.nan)
    out["deff"] = pd.array(np.round(deff, 2), dtype="Float64")
    shown_n = out["n"].notna().to_numpy()
    out["n_interviewers"] = pd.array(
        np.where(shown_n, np.array(stats["n_interviewers"], dtype=float), np.nan), dtype="Float64"
    )
    out["_students"] = stats["_students"]
    also_hide = None
    if keys == ["semester"]:  # the semester's number of students is hidden there
        counts = interview_counts(df, min_n).set_index("semester")["n_students"]
        also_hide = [pd.isna(counts.get(s, pd.NA)) for s in out["semester"]]
    attrs = dict(out.attrs)
    out.attrs = {"suppressed_cells": 0}
    out = protect_interviewer_counts(out, out["_students"], min_n, also_hide=also_hide)
    hidden += int(out.attrs["suppressed_cells"])
    out["n_interviewers"] = out["n_interviewers"].astype("Int64")
    out["ci_method"] = (
        "adjusted Wald 95 % CI (Rocks 2016) with its variance x design effect, interviewers as "
        "clusters, t with interviewers - 1 df"
    )
    out["cluster_note"] = [
        few_clusters_note(g, lang) if ok else ""
        for g, ok in zip(stats["n_interviewers"], kept, strict=True)
    ]
    out = out.drop(columns="_students")
    out.attrs = {**attrs, "suppressed_cells": int(attrs.get("suppressed_cells", 0)) + hidden}
    return out


def _nps_parts(scores: Any) -> tuple[float, float, int]:
    """Raw NPS (-1..1 scale), adjusted-Wald centre and variance of the mean, and n."""
    r = nps(pd.Series(scores, dtype="float64"))
    d_det, d_pas, d_pro = _NPS_PSEUDO
    n_a = r.n + d_det + d_pas + d_pro
    p_pro, p_det = (r.promoters + d_pro) / n_a, (r.detractors + d_det) / n_a
    centre = p_pro - p_det
    return centre, (p_pro + p_det - centre**2) / n_a, r.n


def nps_difference(
    before: Any, after: Any, ci: float = 0.95, *, deff: tuple[float, float] = (1.0, 1.0)
) -> dict[str, Any]:
    """Difference of two independent NPS (after - before) with a variance-sum adjusted-Wald interval.

    Each NPS gets Rocks' (2016) adjusted-Wald pseudo-observations (0.75 detractors, 1.5 passives,
    0.75 promoters); the interval is ``(adj2 - adj1) ± z sqrt(v1 + v2)`` with ``v = (p_pro + p_det -
    (p_pro - p_det)^2) / (n + 3)`` (the variance-sum method Rocks (2016, sec. 5) recommends for comparing two
    NPS). The test is the matching Wald z-test of the adjusted difference (two-sided). The effect size is the
    difference itself in NPS points (the raw NPS, not the adjusted one). Closed form, so deterministic
    without a bootstrap.

    ``deff``: the design effects of the two NPS (:func:`~sosrake_lib.interviews.cluster.cluster_fit` of the
    -1/0/+1 scores with the interviewers as clusters); each variance is multiplied by its design effect
    (below 1 or NaN taken as 1) before the sum, so the interval and test allow for interviews clustered in
    interviewers. The result's ``deff`` is the design effect of the difference, ``(d1 v1 + d2 v2) / (v1 + v2)``.

    Returns
    -------
    dict
        ``nps_before``, ``nps_after``, ``n_before``, ``n_after``, ``difference`` (points), ``ci_low``,
        ``ci_high``, ``ci_method``, ``test``, ``statistic`` (z), ``p_value``, ``effect_size``,
        ``effect_size_name``.

    Examples
    --------
    Before 3 promoters, 4 passives, 3 detractors (NPS 0); after 6, 2, 2 (NPS 40). By hand: adjusted shares
    3.75/13 each before (v1 = 0.5769/13), 6.75/13 and 2.75/13 after (v2 = 0.6361/13); 0.3077 ± 1.96 x 0.3055.

    >>> r = nps_difference([10, 9, 9, 8, 8, 7, 7, 6, 5, 0], [10, 10, 9, 9, 9, 9, 8, 7, 3, 1])
    >>> r["difference"], round(r["ci_low"], 1), round(r["ci_high"], 1), round(r["p_value"], 3)
    (40.0, -29.1, 90.6, 0.314)
    """
    c1, v1, n1 = _nps_parts(before)
    c2, v2, n2 = _nps_parts(after)
    raw1, raw2 = (
        nps(pd.Series(before, dtype="float64")).nps,
        nps(pd.Series(after, dtype="float64")).nps,
    )
    nan = float("nan")
    d1, d2 = (d if np.isfinite(d) and d > 1 else 1.0 for d in deff)
    if n1 == 0 or n2 == 0:
        low = high = z = p = d_diff = nan
    else:
        se = math.sqrt(d1 * v1 + d2 * v2)
        d_diff = (d1 * v1 + d2 * v2) / (v1 + v2)
        zc = float(_sps.norm.ppf(1 - (1 - ci) / 2))
        diff_a = c2 - c1
        low, high = max(-200.0, 100 * (diff_a - zc * se)), min(200.0, 100 * (diff_a + zc * se))
        z = diff_a / se
        p = float(2 * _sps.norm.sf(abs(z)))
    design = "" if deff == (1.0, 1.0) else ", each variance x its design effect (interviewers)"
    return {
        "nps_before": raw1,
        "nps_after": raw2,
        "n_before": n1,
        "n_after": n2,
        "difference": raw2 - raw1,
        "ci_low": low,
        "ci_high": high,
        "ci_method": f"variance sum of two adjusted-Wald variances (Rocks 2016){design}, {100 * ci:g} % CI",
        "test": f"Wald z-test of the adjusted NPS difference{design} (two-sided)",
        "statistic": z,
        "p_value": p,
        "effect_size": raw2 - raw1,
        "effect_size_name": "NPS difference (points)",
        "deff": d_diff,
    }
