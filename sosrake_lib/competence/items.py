"""Items: answer distribution of every Likert item, its published (suppressed) form, and the shares
drawn as diverging stacked bars."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..fmt import Lang
from ..scoring import NSA_LABELS, likert_table
from ..sdc.audit import restore_rounded_stats
from ..sdc.cells import suppress_by_n
from ..sdc.parts import suppress_parts
from ..settings import MIN_N


def _scale_labels(
    inst: Instrument, item_id: str, lang: Lang
) -> tuple[dict[int, str], dict[str, str]]:
    scale = inst.item(item_id).scale
    assert scale is not None
    labels = {int(k): v[lang] for k, v in scale.codes.items()}
    nsa = {k: v[lang] for k, v in scale.non_substantive.items()} or dict(NSA_LABELS)
    return labels, nsa


def _role_of(item_role: str | None) -> str:
    return item_role if item_role in ("competence", "importance") else "attitude"


def item_distributions(
    df: pd.DataFrame, inst: Instrument, *, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Answer distribution of every Likert item, one row per item, in codebook order.

    Built with :func:`~sosrake_lib.scoring.likert_table` per answer scale (competence, importance, agreement),
    so counts per answer, "En osaa sanoa" counted apart, mean and SD of the substantive answers only, and the
    top-2-box % of the substantive answers with its Wilson interval. Because the three scales have different
    answer labels, the answer counts are in generic columns ``a1`` .. ``a5`` (1 = lowest) plus ``nsa``; use
    :func:`likert_percentages` for the labelled shares. Rows describing fewer than ``min_n`` people are
    suppressed (:func:`~sosrake_lib.privacy.suppress_by_n`).

    Returns
    -------
    DataFrame
        ``item``, ``item_label``, ``area``, ``area_label``, ``role`` (competence / importance / attitude),
        ``a1`` .. ``a5``, ``nsa``, ``n_valid``, ``n_total``, ``mean``, ``sd``, ``top_box_n``, ``top_box_pct``,
        ``top_box_ci_low``, ``top_box_ci_high``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"ED1": [5.0, 4, 4, 3, 1, np.nan],
    ...                   "ED1__nsa": pd.array([None] * 5 + ["dont_know"], dtype="string")})
    >>> t = item_distributions(d, inst)  # items not in the data are skipped
    >>> t[["item", "a1", "a4", "a5", "nsa", "n_valid", "top_box_pct"]].values.tolist()
    [['ED1', 1, 2, 1, 1, 5, 60.0]]
    """
    rows = []
    for it in inst.likert_items():
        if it.id not in df.columns:
            continue
        labels, nsa = _scale_labels(inst, it.id, lang)
        t = likert_table(df, [it.id], labels, top=2, nsa_labels=nsa)
        row: dict[str, Any] = {
            "item": it.id,
            "item_label": it.text(lang),
            "item_short": it.text(lang).split(": ", 1)[-1]
            if it.role == "importance"
            else it.text(lang),
            "area": it.area,
            "area_label": inst.area_label(it.area or "", lang),
            "role": _role_of(it.role),
        }
        for code in sorted(labels):
            row[f"a{code}"] = int(t.loc[0, labels[code]])
        row["nsa"] = int(sum(int(t.loc[0, lab]) for lab in nsa.values()))
        for col in (
            "n_valid",
            "n_total",
            "mean",
            "sd",
            "top_box_n",
            "top_box_pct",
            "top_box_ci_low",
            "top_box_ci_high",
        ):
            row[col] = t.loc[0, col]
        rows.append(row)
    out = pd.DataFrame(rows)
    count_cols = [c for c in out.columns if c.startswith("a") and c[1:].isdigit()] + [
        "nsa",
        "n_valid",
    ]
    value_cols = [
        *count_cols,
        "mean",
        "sd",
        "top_box_n",
        "top_box_pct",
        "top_box_ci_low",
        "top_box_ci_high",
    ]
    return suppress_by_n(out, "n_total", min_n, value_cols=value_cols, secondary=False)


def suppress_answer_counts(dist: pd.DataFrame, min_n: int = MIN_N) -> pd.DataFrame:
    """The published form of :func:`item_distributions`: answer counts of 1..min_n-1 people hidden.

    Each item row is a one-way table whose total (``n_total``) is published, so a small answer count is hidden
    together with the row's next smallest count (:func:`~sosrake_lib.outputs.suppress_parts`); ``n_valid``
    (= ``n_total`` - "En osaa sanoa") and ``top_box_n`` are hidden too where they would give a hidden count
    away, the top-2 % and its CI wherever either of them is hidden (``top_box_n / n_valid`` gives ``n_valid``
    back). Where one of an item's scale answers is hidden, its mean and SD at full precision would pin the
    hidden counts down: they are published rounded to one decimal where the brute-force audit
    (:func:`sosrake_lib.disclosure.restore_rounded_stats`) shows that no hidden count can then be worked out,
    and hidden otherwise. :func:`likert_area_figure` draws this published frame, so the figure shows nothing
    the table hides.

    Examples
    --------
    >>> dist = pd.DataFrame({"item": ["X"], "a1": [0], "a2": [3], "a3": [40], "a4": [50], "a5": [20],
    ...                      "nsa": [5], "n_valid": [113], "n_total": [118], "top_box_n": [70],
    ...                      "top_box_pct": [61.9], "top_box_ci_low": [52.7], "top_box_ci_high": [70.3]})
    >>> out = suppress_answer_counts(dist)
    >>> out[["a1", "a2", "a3", "a4", "a5", "nsa", "n_valid", "top_box_n", "top_box_pct"]].values.tolist()
    [[0, <NA>, 40, 50, 20, <NA>, <NA>, 70, <NA>]]
    """
    codes = sorted(int(c[1:]) for c in dist.columns if c.startswith("a") and c[1:].isdigit())
    top = [f"a{c}" for c in codes[-2:]]
    low = [f"a{c}" for c in codes[:-2]]
    box = ["top_box_pct", "top_box_ci_low", "top_box_ci_high"]
    stats = {c: [*low, *top] for c in ("mean", "sd") if c in dist.columns}
    out = suppress_parts(
        dist,
        [*low, *top, "nsa"],
        min_n,
        sums=[
            ("n_valid", [["nsa"], [*low, *top]], box),
            ("top_box_n", [top, [*low, "n_valid"], [*low, "nsa"]], box),
        ],
        computed_from=stats,
    )
    if not stats:
        return out
    return restore_rounded_stats(
        out,
        dist,
        answers=[*low, *top, "nsa"],
        scale={f"a{c}": c for c in codes},
        stats={c: 1 for c in stats},
        top=top,
    )


def likert_percentages(dist: pd.DataFrame, inst: Instrument, *, lang: Lang = "fi") -> pd.DataFrame:
    """Shares (%) of each answer of the items in ``dist`` (rows of :func:`item_distributions` on ONE scale),
    indexed by the item text, with the answer labels as columns and "En osaa sanoa" last.

    The denominator is every answer including "En osaa sanoa" (``n_total``), so the scale and the
    "En osaa sanoa" bar add up to 100 %; this is the table :func:`sosrake_lib.plots.likert_diverging` draws.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> dist = pd.DataFrame({"item": ["ED1"], "item_label": ["Väite"], "a1": [1], "a2": [0], "a3": [0],
    ...                      "a4": [2], "a5": [1], "nsa": [1], "n_total": [5]})
    >>> likert_percentages(dist, inst).iloc[0].tolist()
    [20.0, 0.0, 0.0, 40.0, 20.0, 20.0]
    """
    labels, nsa = _scale_labels(inst, str(dist["item"].iloc[0]), lang)
    nsa_label = nsa.get("dont_know", next(iter(nsa.values())))
    total = pd.to_numeric(dist["n_total"]).to_numpy(dtype=float, na_value=np.nan)
    data = {}
    for code in sorted(labels):
        data[labels[code]] = (
            100 * pd.to_numeric(dist[f"a{code}"]).to_numpy(dtype=float, na_value=np.nan) / total
        )
    data[nsa_label] = (
        100 * pd.to_numeric(dist["nsa"]).to_numpy(dtype=float, na_value=np.nan) / total
    )
    names = dist["item_short"] if "item_short" in dist.columns else dist["item_label"]
    return pd.DataFrame(data, index=pd.Index(names.tolist(), name="item_label"))
