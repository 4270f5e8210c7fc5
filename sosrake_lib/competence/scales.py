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
from ..fmt import Lang
from ..scoring import ScoringWarning, cronbach_alpha, scale_scores
from ..sdc.cells import suppress_by_n
from ..settings import MIN_N
from ..stats.means import mean_ci as _mean_ci
from .items import _role_of
from .texts import text

#: Cronbach's alpha below this is flagged ("questionable" or worse in George & Mallery's rule of thumb;
#: Nunnally 1978 asks 0.7 for research use; 0.6 is the usual floor for short 3-item scales).
ALPHA_THRESHOLD = 0.6

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


def reliability_table(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    threshold: float = ALPHA_THRESHOLD,
    ci: float = 0.95,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Cronbach's alpha (Feldt CI, pairwise covariances as psych::alpha) of every area scale, flagged below
    ``threshold``.

    Competence, importance and attitude (*edellytykset*, with ED3 reversed before alpha: alpha assumes all
    items point the same way) scales are all listed. A low alpha is *reported and flagged* (``alpha_low``),
    never dropped: the area score then summarises items that do not measure one thing, and should be read
    item by item.

    Returns
    -------
    DataFrame
        ``role``, ``area``, ``area_label``, ``n_items``, ``n`` (respondents with at least two items),
        ``alpha``, ``alpha_ci_low``, ``alpha_ci_high``, ``alpha_low`` (bool), ``reversed_items``, ``method``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"ED1": [1.0, 2, 3, 4], "ED2": [2.0, 1, 4, 3], "ED3": [5.0, 4, 3, 2],
    ...                   "ED4": [1.0, 2, 3, 4]})
    >>> t = reliability_table(d, inst)
    >>> t[["area", "n_items", "n", "reversed_items"]].values.tolist()
    [['edellytykset', 4, 4, 'ED3']]
    >>> # by hand, ED3 reversed: var = 5/3 each, cov = 5/3 among ED1, ED3r, ED4 and 1 with ED2,
    >>> # total = 20/3 + 2 (3 x 5/3 + 3 x 1) = 68/3, alpha = 4/3 (1 - 20/68) = 16/17
    >>> round(float(t.loc[0, "alpha"]), 4), round(16 / 17, 4)
    (0.9412, 0.9412)
    """
    rows = []
    for role in ("competence", "importance", "attitude"):
        scales = area_scales(inst, role)  # type: ignore[arg-type]
        for area, items in scales.items():
            if not all(i.lstrip("-") in df.columns for i in items):
                continue
            lo, hi = _scale_range(inst, items)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ScoringWarning)
                res = cronbach_alpha(_items_frame(df, items, lo, hi), ci=ci, nan_policy="pairwise")
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
                    "alpha_low": bool(res.alpha < threshold),
                    "reversed_items": ", ".join(i[1:] for i in items if i.startswith("-")),
                    "method": f"Cronbach's alpha, pairwise covariances; Feldt {round(100 * ci)} % CI",
                }
            )
    return pd.DataFrame(rows)


def area_summary(
    df: pd.DataFrame, inst: Instrument, *, ci: float = 0.95, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Mean (t interval), SD, median and n of each area score, for competence, importance and attitude.

    The mean of an area score is the natural summary of a mean of Likert items; it is shown beside the item
    distributions and top-2-box shares (house rule), not instead of them.

    Returns
    -------
    DataFrame
        ``role``, ``area``, ``area_label``, ``n``, ``mean``, ``ci_low``, ``ci_high``, ``sd``, ``median``,
        ``method``, ``alpha_low`` (the area's alpha is below :data:`ALPHA_THRESHOLD`) and ``plot_label``
        (the label with the flag appended, for figures).

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
    flags = reliability_table(df, inst, lang=lang)[["role", "area", "alpha_low"]]
    out = out.merge(flags, on=["role", "area"], how="left", validate="one_to_one")
    out["alpha_low"] = out["alpha_low"].fillna(False).astype(bool)
    out["plot_label"] = [
        f"{lab}\n{text('alpha_flag', lang)}" if low else lab
        for lab, low in zip(out["area_label"], out["alpha_low"], strict=True)
    ]
    return suppress_by_n(
        out, "n", min_n, value_cols=["mean", "ci_low", "ci_high", "sd", "median"], secondary=False
    )
