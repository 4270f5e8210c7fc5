"""Areas: the area scales, each respondent's area scores, their reliability (Cronbach's alpha) and
summary (mean with t interval, median, n)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..fmt import Lang, fmt_number
from ..scoring import ScoringWarning, alpha_ci_method, cronbach_alpha, scale_scores
from ..sdc.cells import suppress_by_n
from ..settings import BOOTSTRAP_SEED, MIN_N, WEAK_ALPHA
from ..stats.means import mean_ci as _mean_ci
from .items import _role_of
from .texts import text

#: Cronbach's alpha below this marks a *weak scale* ("questionable" or worse in George & Mallery's rule of
#: thumb; Nunnally 1978 asks 0.7 for research use; 0.6 is the usual floor for short 3-item scales). A run
#: sets its own with ``Settings.weak_alpha`` (``sosrake run --weak-alpha``).
ALPHA_THRESHOLD = WEAK_ALPHA

Role = Literal["competence", "importance", "attitude"]


def area_scales(inst: Instrument, role: Role = "competence") -> dict[str, list[str]]:
    """Area -> item columns of one part of the questionnaire (reverse-coded items written ``-ID``).

    ``"competence"`` and ``"importance"`` are the paired Borich parts; ``"attitude"`` the Likert items with
    no role (the *edellytykset* scale, where ED3 is reverse-coded).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> list(area_scales(inst))
    ['tiedonkeruu', 'vaikuttavuustieto', 'raportointi', 'vaikuttaminen', 'yhteistyo', 'yhteiso']
    >>> area_scales(inst, "importance")["yhteiso"]
    ['I_YS1', 'I_YS2', 'I_YS3']
    """
    if role not in ("competence", "importance", "attitude"):
        raise ValueError(f"role must be 'competence', 'importance' or 'attitude', got {role!r}")
    out: dict[str, list[str]] = {}
    for it in inst.likert_items():
        if it.area and _role_of(it.role) == role:
            out.setdefault(it.area, []).append(("-" if it.reverse else "") + it.id)
    return out


def _scale_range(inst: Instrument, items: Sequence[str]) -> tuple[int, int]:
    scale = inst.item(items[0].lstrip("-")).scale
    assert scale is not None and scale.min is not None and scale.max is not None
    return int(scale.min), int(scale.max)


def area_scores(
    df: pd.DataFrame,
    inst: Instrument,
    role: Role = "competence",
    min_valid: float = 0.5,
) -> pd.DataFrame:
    """Each respondent's mean score per area (:func:`~sosrake_lib.scoring.scale_scores`, reverse items
    reversed, NaN when fewer than ``min_valid`` of the area's items were answered substantively).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"ED1": [5.0, 2], "ED2": [4.0, 2], "ED3": [1.0, 4], "ED4": [4.0, np.nan]})
    >>> area_scores(d, inst, "attitude")["edellytykset"].round(3).tolist()  # ED3 -> 6 - ED3
    [4.5, 2.0]
    """
    scales = area_scales(inst, role)
    lo, hi = _scale_range(inst, next(iter(scales.values())))
    return scale_scores(df, scales, scale_min=lo, scale_max=hi, min_valid=min_valid)


def _items_frame(df: pd.DataFrame, items: Sequence[str], lo: int, hi: int) -> pd.DataFrame:
    """Item columns as floats, reverse-coded items (``-ID``) reversed as ``lo + hi - x``."""
    cols = {}
    for spec in items:
        col = spec.lstrip("-")
        x = pd.to_numeric(df[col]).astype("float64")
        cols[col] = (lo + hi - x) if spec.startswith("-") else x
    return pd.DataFrame(cols, index=df.index)


def weak_scale_note(parts: Sequence[tuple[str, float]], threshold: float, lang: Lang = "fi") -> str:
    """The short readable note of a weak scale: which part's alpha is below ``threshold`` ("" if none).

    ``parts`` are ``(role, alpha)`` pairs of the area's scales below the threshold.

    Examples
    --------
    >>> weak_scale_note([("importance", 0.2893)], 0.6)
    'heikko mittari: tärkeyden alfa 0,29 < 0,6 – lue väittämittäin'
    >>> weak_scale_note([("competence", 0.37), ("importance", -0.33)], 0.6, "en")
    'weak scale: competence alpha 0.37, importance alpha -0.33 < 0.6 – read item by item'
    >>> weak_scale_note([], 0.6)
    ''
    """
    if not parts:
        return ""
    alphas = ", ".join(
        f"{text(f'weak_{role}', lang)} {fmt_number(a, lang, 2)}" for role, a in parts
    )
    return text("weak_note", lang).format(alphas=alphas, threshold=_limit(threshold, lang))


def _limit(threshold: float, lang: Lang) -> str:
    """The threshold as written in a text: 0.6 -> ``0,6`` (fi) / ``0.6`` (en)."""
    return f"{threshold:g}".replace(".", "," if lang == "fi" else ".")


def reliability_table(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    threshold: float = ALPHA_THRESHOLD,
    ci: float = 0.95,
    ci_method: Literal["auto", "feldt", "bca"] = "auto",
    n_resamples: int = 2000,
    seed: int = BOOTSTRAP_SEED,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Cronbach's alpha of every area scale (pairwise covariances as psych::alpha) with the interval the data
    call for, weak scales (alpha below ``threshold``) marked.

    Competence, importance and attitude (*edellytykset*, with ED3 reversed before alpha: alpha assumes all
    items point the same way) scales are all listed. A low alpha is *reported and marked* (``weak_scale``
    and a readable ``weak_scale_note``), never dropped: the area score then averages items that do not
    measure one thing consistently, and should be read item by item.

    *Interval* (``ci_method="auto"``): :func:`~sosrake_lib.scoring.alpha_ci_method` picks per area the BCa
    bootstrap (respondents resampled, ``n_resamples``, ``seed``) when an answer is missing, Feldt's F
    interval otherwise (the rule and the coverage simulation behind it: its docstring);
    ``alpha_ci_method`` says which. ``"feldt"`` / ``"bca"`` force one for every area.

    Returns
    -------
    DataFrame
        ``role``, ``area``, ``area_label``, ``n_items``, ``n`` (respondents with at least two items),
        ``alpha``, ``alpha_ci_low``, ``alpha_ci_high``, ``alpha_ci_method`` (``Feldt`` / ``BCa bootstrap``),
        ``weak_scale`` (bool), ``weak_scale_note``, ``reversed_items``, ``method``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"ED1": [1.0, 2, 3, 4], "ED2": [2.0, 1, 4, 3], "ED3": [5.0, 4, 3, 2],
    ...                   "ED4": [1.0, 2, 3, 4]})
    >>> t = reliability_table(d, inst)
    >>> t[["area", "n_items", "n", "reversed_items", "alpha_ci_method", "weak_scale"]].values.tolist()
    [['edellytykset', 4, 4, 'ED3', 'Feldt', False]]
    >>> # by hand, ED3 reversed: var = 5/3 each, cov = 5/3 among ED1, ED3r, ED4 and 1 with ED2,
    >>> # total = 20/3 + 2 (3 x 5/3 + 3 x 1) = 68/3, alpha = 4/3 (1 - 20/68) = 16/17
    >>> round(float(t.loc[0, "alpha"]), 4), round(16 / 17, 4)
    (0.9412, 0.9412)
    >>> reliability_table(d, inst, threshold=0.95).loc[0, "weak_scale_note"]
    'heikko mittari: alfa 0,94 < 0,95 – lue väittämittäin'
    """
    if ci_method not in ("auto", "feldt", "bca"):
        raise ValueError(f"ci_method must be 'auto', 'feldt' or 'bca', got {ci_method!r}")
    rows = []
    for role in ("competence", "importance", "attitude"):
        scales = area_scales(inst, role)  # type: ignore[arg-type]
        for area, items in scales.items():
            if not all(i.lstrip("-") in df.columns for i in items):
                continue
            lo, hi = _scale_range(inst, items)
            x = _items_frame(df, items, lo, hi)
            how = alpha_ci_method(x) if ci_method == "auto" else ci_method
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ScoringWarning)
                res = cronbach_alpha(
                    x,
                    ci=ci,
                    nan_policy="pairwise",
                    ci_method=how,
                    n_resamples=n_resamples,
                    seed=seed,
                )
            weak = bool(res.alpha < threshold)
            level = f"{round(100 * ci)} % CI"
            rows.append(
                {
                    "role": role,
                    "area": area,
                    "area_label": inst.area_label(area, lang),
                    "n_items": res.n_items,
                    "n": res.n_respondents,
                    "alpha": res.alpha,
                    "alpha_ci_low": res.ci_low,
                    "alpha_ci_high": res.ci_high,
                    "alpha_ci_method": "BCa bootstrap" if how == "bca" else "Feldt",
                    "weak_scale": weak,
                    "weak_scale_note": weak_scale_note(
                        [("scale", res.alpha)] if weak else [], threshold, lang
                    ),
                    "reversed_items": ", ".join(i[1:] for i in items if i.startswith("-")),
                    "method": "Cronbach's alpha, pairwise covariances; "
                    + (
                        f"BCa bootstrap {level} (respondents resampled, {n_resamples} resamples, "
                        f"seed {seed})"
                        if how == "bca"
                        else f"Feldt {level}"
                    ),
                }
            )
    return pd.DataFrame(rows)


def weak_parts(
    df: pd.DataFrame, inst: Instrument, threshold: float = ALPHA_THRESHOLD
) -> dict[str, list[tuple[str, float]]]:
    """Area -> the ``(role, alpha)`` of its scales whose alpha is below ``threshold`` (point estimates only).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> x = [1.0, 2, 3, 4]
    >>> d = pd.DataFrame({"C_YS1": x, "C_YS2": [5 - v for v in x], "C_YS3": x})
    >>> {a: [(r, round(v, 9)) for r, v in p] for a, p in weak_parts(d, inst).items()}  # alpha = -3
    {'yhteiso': [('competence', -3.0)]}
    """
    out: dict[str, list[tuple[str, float]]] = {}
    for role in ("competence", "importance", "attitude"):
        for area, items in area_scales(inst, role).items():  # type: ignore[arg-type]
            if not all(i.lstrip("-") in df.columns for i in items):
                continue
            lo, hi = _scale_range(inst, items)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ScoringWarning)
                a = cronbach_alpha(_items_frame(df, items, lo, hi)).alpha
            if a < threshold:
                out.setdefault(area, []).append((role, float(a)))
    return out


def area_summary(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    ci: float = 0.95,
    min_n: int = MIN_N,
    threshold: float = ALPHA_THRESHOLD,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Mean (t interval), SD, median and n of each area score, for competence, importance and attitude.

    The mean of an area score is the natural summary of a mean of Likert items; it is shown beside the item
    distributions and top-2-box shares (house rule), not instead of them.

    Returns
    -------
    DataFrame
        ``role``, ``area``, ``area_label``, ``n``, ``mean``, ``ci_low``, ``ci_high``, ``sd``, ``median``,
        ``method``, ``weak_scale`` (this scale's alpha is below ``threshold``), ``weak_scale_note`` and
        ``plot_label`` (the label with the weak-scale mark appended, for figures).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"ED1": [1.0, 2, 3], "ED2": [1.0, 2, 3], "ED3": [5.0, 4, 3], "ED4": [1.0, 2, 3]})
    >>> t = area_summary(d, inst, min_n=1)
    >>> t[["area", "n", "mean", "median"]].values.tolist()
    [['edellytykset', 3, 2.0, 2.0]]
    >>> round(float(t.loc[0, "ci_high"]), 3)  # 2 + t(0.975, 2) * 1 / sqrt(3)
    4.484
    """
    rows = []
    for role in ("competence", "importance", "attitude"):
        scales = area_scales(inst, role)  # type: ignore[arg-type]
        if not all(i.lstrip("-") in df.columns for items in scales.values() for i in items):
            continue
        scores = area_scores(df, inst, role)  # type: ignore[arg-type]
        for area in scales:
            x = scores[area].dropna().to_numpy(dtype=float)
            low, high = _mean_ci(x, ci)
            rows.append(
                {
                    "role": role,
                    "area": area,
                    "area_label": inst.area_label(area, lang),
                    "n": int(x.size),
                    "mean": float(x.mean()) if x.size else math.nan,
                    "ci_low": low,
                    "ci_high": high,
                    "sd": float(x.std(ddof=1)) if x.size > 1 else math.nan,
                    "median": float(np.median(x)) if x.size else math.nan,
                    "method": f"mean of the area's items per respondent; Student t {round(100 * ci)} % CI",
                }
            )
    out = pd.DataFrame(rows)
    weak = {
        (role, area): a
        for area, parts in weak_parts(df, inst, threshold).items()
        for role, a in parts
    }
    out["weak_scale"] = [(r, a) in weak for r, a in zip(out["role"], out["area"], strict=True)]
    out["weak_scale_note"] = [
        weak_scale_note([("scale", weak[(r, a)])], threshold, lang) if (r, a) in weak else ""
        for r, a in zip(out["role"], out["area"], strict=True)
    ]
    out["plot_label"] = [
        f"{lab}\n{text('weak_flag', lang).format(threshold=_limit(threshold, lang))}"
        if low
        else lab
        for lab, low in zip(out["area_label"], out["weak_scale"], strict=True)
    ]
    return suppress_by_n(
        out, "n", min_n, value_cols=["mean", "ci_low", "ci_high", "sd", "median"], secondary=False
    )
