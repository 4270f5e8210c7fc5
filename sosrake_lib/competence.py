"""Analysis of the SOSRAKE competence mapping (osaamiskartoitus): where staff stand, and what to train first.

The notebook ``notebooks/01_competence_mapping.ipynb`` only calls these functions, shows their tables and
figures and explains them in Finnish. Each function does one step and returns a tidy :class:`pandas.DataFrame`
that can be written as it is (after :func:`localise`) by :func:`sosrake_lib.outputs.write_tables`.

Steps
-----
1. Respondents: :func:`respondent_counts` (one-way, by organisation, role, work area, experience band),
   :func:`respondent_crosstab` (organisation x role, with secondary suppression: supervisors are few),
   :func:`response_rate` (Wilson interval).
2. Items: :func:`item_distributions` (counts, "En osaa sanoa" apart, mean, top-2-box % with Wilson CI) and
   :func:`likert_percentages` (the shares drawn as diverging stacked bars).
3. Areas: :func:`area_scales`, :func:`area_scores` (mean of the area's items, reverse-coded ED3), and
   :func:`reliability_table` (Cronbach's alpha with Feldt CI, pairwise; ``alpha < 0.6`` is *flagged*, not
   hidden), :func:`area_summary` (mean with t interval, median, n).
4. Group differences: :func:`group_tests` (Mann-Whitney U / Kruskal-Wallis per area with effect size, Holm
   across the areas of one grouping variable), :func:`group_descriptives` (n, median, mean per group,
   small groups suppressed) and :func:`ordinal_checks` (proportional-odds model as the model-based check).
5. Development needs: :func:`development_needs` (Borich MWDS of the area means, bootstrap CIs of the ranks).
6. Open answers: :func:`support_themes` (theme frequencies with the ``competence`` theme codebook).
7. Output: :func:`build_key_figures`, :func:`localise`, :func:`cleaning_summary`, :func:`write_cleaning_log`.

Key figures (``key_figures.json``; the infographic depends on these names)
--------------------------------------------------------------------------
``n_respondents`` (unit ``n``), ``response_rate`` (``%``, Wilson CI; value null when the target group size
is not known), ``strongest_area`` and ``weakest_area`` (the competence area with the highest/lowest mean
competence score, unit ``score 1–5``, t interval), ``need_rank_1`` .. ``need_rank_3`` (the Borich MWDS of
the three largest training needs, unit ``MWDS``, percentile-bootstrap CI of the MWDS) and ``alpha_<area>``
for every area (Cronbach's alpha, Feldt CI).

*Which area a figure is about*: ``KeyFigure`` has no field of its own for it, so for every area figure the
**area label** is ``label_fi`` / ``label_en`` (exactly the codebook label, ready for the infographic) and the
**area id** is in ``note`` as ``area=<id>``. The note is a ``"; "``-separated list of ``key=value`` pairs,
e.g. ``"area=raportointi; rank=2; rank_ci_low=1; rank_ci_high=3"`` for a need rank and
``"area=yhteiso; alpha_flag=low"`` for an alpha below 0.6; :func:`parse_note` reads it back. (A suppressed
figure gets ``"; suppressed: n < 5"`` appended by ``KeyFigures.write``; :func:`parse_note` skips it.)

Disclosure control
------------------
Every breakdown by a background variable passes :func:`sosrake_lib.privacy.suppress_small_cells` (count
tables, secondary suppression) or :func:`sosrake_lib.privacy.suppress_by_n` (one row of statistics per
group); groups below ``min_n`` are also left out of the tests. The item distributions describe the whole
respondent group, not a breakdown, so only rows with ``n < min_n`` are hidden there.

Examples
--------
>>> inst = load_instrument("competence")
>>> area_scales(inst, "attitude")
{'edellytykset': ['ED1', 'ED2', '-ED3', 'ED4']}
>>> parse_note("area=raportointi; rank=2; suppressed: n < 5")
{'area': 'raportointi', 'rank': '2'}
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .cleaning import SUMMARY_KEYS, clean_responses, write_cleaning_summary
from .codebook import Instrument, load_instrument
from .fmt import Lang
from .io import read_export
from .labels import for_analysis
from .outputs import KeyFigures, source
from .report import CI_LABEL, CLEANING_COLUMNS
from .scoring import (
    NSA_LABELS,
    ScoringWarning,
    borich_needs,
    cronbach_alpha,
    likert_table,
    scale_scores,
)
from .sdc.audit import restore_rounded_stats
from .sdc.cells import protect_hidden, suppress_by_n, suppress_small_cells
from .sdc.parts import suppress_parts
from .settings import MIN_N
from .stats import compare_groups, holm, ordinal_logit, proportion_ci

__all__ = [
    "ALPHA_THRESHOLD",
    "BACKGROUND",
    "DISPLAY",
    "TABLE_TITLES",
    "GROUPINGS",
    "TEXTS",
    "RateResult",
    "area_scales",
    "area_scores",
    "area_summary",
    "build_key_figures",
    "cleaning_frame",
    "cleaning_summary",
    "development_needs",
    "display_ready",
    "group_descriptives",
    "group_tests",
    "item_distributions",
    "suppress_answer_counts",
    "likert_percentages",
    "load_responses",
    "localise",
    "ordinal_checks",
    "parse_note",
    "reliability_table",
    "respondent_counts",
    "respondent_crosstab",
    "response_rate",
    "likert_area_figure",
    "suppression_report",
    "visible_groups",
    "support_themes",
    "text",
    "write_cleaning_log",
]

#: Cronbach's alpha below this is flagged ("questionable" or worse in George & Mallery's rule of thumb;
#: Nunnally 1978 asks 0.7 for research use; 0.6 is the usual floor for short 3-item scales).
ALPHA_THRESHOLD = 0.6
#: Background variables compared between groups.
GROUPINGS: tuple[str, ...] = ("organisation", "role", "work_area")
#: Background variables counted in the respondent tables.
BACKGROUND: tuple[str, ...] = ("organisation", "role", "work_area", "experience")

Role = Literal["competence", "importance", "attitude"]

# ------------------------------------------------------------------------------------------- labels

#: Published headers of this module's columns (``sosrake_lib/labels_data/competence.yaml``).
_COLUMNS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("competence").columns.items()
}

#: Figure titles and axis texts in both languages (used by the notebook).
TEXTS: dict[str, dict[str, str]] = {
    "area_means": {"fi": "Osaaminen osaamisalueittain", "en": "Competence by area"},
    "needs": {"fi": "Koulutustarve osaamisalueittain", "en": "Training need by area"},
    "quadrant": {
        "fi": "Tärkeys ja osaaminen osaamisalueittain",
        "en": "Importance and competence by area",
    },
    "themes": {
        "fi": "Millaista tukea tarvitset rakenteelliseen työhön?",
        "en": "What support do you need for structural work?",
    },
    "themes_axis": {
        "fi": "% vastanneista (jana = 95 %:n luottamusväli)",
        "en": "% of those answering (whisker = 95% confidence interval)",
    },
    "alpha_flag": {"fi": "(alfa < 0,6)", "en": "(alpha < 0.6)"},
    "competence": {"fi": "Osaaminen", "en": "Competence"},
    "importance": {"fi": "Tärkeys omassa työssä", "en": "Importance in own work"},
    "attitude": {"fi": "Rakenteellisen työn edellytykset", "en": "Conditions for structural work"},
    "mean": {
        "fi": "Keskiarvo 1–5 (jana = 95 %:n luottamusväli)",
        "en": "Mean 1–5 (whisker = 95% confidence interval)",
    },
    "mwds": {
        "fi": "Borichin MWDS: suurempi = suurempi koulutustarve (jana = 95 %:n LV)",
        "en": "Borich MWDS: larger = larger training need (whisker = 95% CI)",
    },
    "suppression_rule": {
        "fi": "Solu, joka kuvaa 1–{n} henkilöä, on piilotettu; lisäksi toissijainen piilotus",
        "en": "A cell describing 1–{n} people is hidden; plus secondary suppression",
    },
}


def text(key: str, lang: Lang = "fi") -> str:
    """A figure title or axis text from :data:`TEXTS` in ``lang``.

    >>> text("competence", "en")
    'Competence'
    """
    return TEXTS[key][lang]


def localise(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename this module's column names to readable Finnish (default) or English headers.

    Columns this module does not know keep their name (e.g. answer labels, which are already readable).

    Examples
    --------
    >>> t = pd.DataFrame({"area_label": ["Sosiaalinen raportointi"], "mean": [2.5], "n": [118]})
    >>> list(localise(t).columns), list(localise(t, "en").columns)
    (['Osaamisalue', 'Keskiarvo', 'n'], ['Competence area', 'Mean', 'n'])
    """
    from .publish import label_table

    return label_table("competence", table, lang)


def _category_label(inst: Instrument, item_id: str, code: Any, lang: Lang) -> str:
    scale = inst.item(item_id).scale
    if scale is not None and code in scale.codes:
        return scale.codes[code][lang]
    return str(code)


def _grouping_label(inst: Instrument, item_id: str, lang: Lang) -> str:
    return inst.item(item_id).text(lang)


def _codes(inst: Instrument, item_id: str) -> list[Any]:
    scale = inst.item(item_id).scale
    return list(scale.codes) if scale is not None else []


# ------------------------------------------------------------------------------------------- input


def load_responses(path: str | os.PathLike[str], inst: Instrument | None = None) -> pd.DataFrame:
    """Read and clean a competence-mapping export (:func:`~sosrake_lib.io.read_export` then
    :func:`~sosrake_lib.cleaning.clean_responses`). A relative ``path`` is resolved against the project root.

    Examples
    --------
    >>> df = load_responses("data/raw/sample/competence_2020.xlsx")
    >>> len(df), cleaning_summary(df)["raw_rows"]
    (118, 121)
    """
    from .paths import PROJECT_ROOT

    p = Path(path)
    if not p.is_absolute():
        p = PROJECT_ROOT / p
    inst = inst or load_instrument("competence")
    return clean_responses(read_export(p, inst), inst)


def cleaning_summary(df: pd.DataFrame) -> dict[str, Any]:
    """The cleaning log of a cleaned frame without its per-row list: source file, raw rows, kept, dropped.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [1]})
    >>> d.attrs["cleaning_log"] = {"source_file": "a.xlsx", "raw_rows": 3, "kept": 1,
    ...                            "dropped": {"empty": 1, "test": 1, "duplicate": 0}, "rows": [{"row": 1}]}
    >>> cleaning_summary(d)
    {'source_file': 'a.xlsx', 'raw_rows': 3, 'kept': 1, 'dropped': {'empty': 1, 'test': 1, 'duplicate': 0}}
    """
    log = df.attrs.get("cleaning_log")
    if not log:
        raise ValueError(
            "the frame has no attrs['cleaning_log']; pass the output of clean_responses"
        )
    return {k: log[k] for k in SUMMARY_KEYS if k in log}


def write_cleaning_log(
    summaries: Sequence[Mapping[str, Any]], out_dir: str | os.PathLike[str], *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`; the export is keyed
    ``"export"``, further files ``"export_2"``, ...)."""
    keys = ["export" if i == 0 else f"export_{i + 1}" for i in range(len(summaries))]
    return write_cleaning_summary(
        dict(zip(keys, summaries, strict=True)), out_dir, semester=semester
    )


# ------------------------------------------------------------------------------------- respondents


def respondent_counts(
    df: pd.DataFrame, inst: Instrument, by: str, *, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Number and share of respondents per category of a background variable, small cells suppressed.

    Every codebook category is listed (0 is published as 0); "Ei vastausta" counts a missing answer. Counts
    pass :func:`~sosrake_lib.privacy.suppress_small_cells` as a one-way table whose total is published
    (secondary suppression); the share and its Wilson interval (:func:`~sosrake_lib.stats.proportion_ci`)
    are hidden with the count.

    Returns
    -------
    DataFrame
        ``group`` (code), ``group_label``, ``n`` (Int64, NA = hidden), ``pct``, ``pct_ci_low``,
        ``pct_ci_high`` (0..100); ``attrs["suppressed_cells"]``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"role": ["supervisor"] * 3 + ["social_worker"] * 10 + ["social_counsellor"] * 8})
    >>> t = respondent_counts(d, inst, "role")
    >>> t[["group", "n"]].values.tolist()
    [['social_worker', 10], ['social_counsellor', <NA>], ['supervisor', <NA>], ['other', 0]]
    """
    values = df[by].astype(object)
    codes = _codes(inst, by)
    counts = pd.Series(
        [int((values == c).sum()) for c in codes], index=codes, dtype="int64", name=by
    )
    missing = int(values.isna().sum())
    if missing:
        counts = pd.concat([counts, pd.Series({"(missing)": missing})])
    hidden = suppress_small_cells(counts, min_n)
    total = int(counts.sum())
    low, high = proportion_ci(counts.to_numpy(), np.full(len(counts), total))
    shown = hidden.notna().to_numpy()
    labels = [
        ("Ei vastausta" if lang == "fi" else "No answer")
        if c == "(missing)"
        else _category_label(inst, by, c, lang)
        for c in counts.index
    ]
    out = pd.DataFrame(
        {
            "group": list(counts.index),
            "group_label": labels,
            "n": hidden.to_numpy(),
            "pct": np.where(shown, 100 * counts.to_numpy() / total if total else np.nan, np.nan),
            "pct_ci_low": np.where(shown, 100 * np.asarray(low), np.nan),
            "pct_ci_high": np.where(shown, 100 * np.asarray(high), np.nan),
        }
    )
    out["n"] = out["n"].astype("Int64")
    out.attrs["suppressed_cells"] = int(hidden.attrs["suppressed_cells"])
    return out


def respondent_crosstab(
    df: pd.DataFrame,
    inst: Instrument,
    rows: str = "organisation",
    cols: str = "role",
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Cross-tabulation of respondents (e.g. organisation x role) with primary and secondary suppression.

    Row and column totals are included (``Yhteensä`` / ``Total``), and are treated as published margins by
    :func:`~sosrake_lib.privacy.suppress_small_cells`, so a hidden supervisor count cannot be recovered by
    subtraction. Rows and columns carry readable labels in ``lang``.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> d = pd.DataFrame({"organisation": ["essote"] * 12 + ["kainuu"] * 14,
    ...                   "role": ["supervisor"] * 2 + ["social_worker"] * 10 + ["social_worker"] * 8
    ...                           + ["supervisor"] * 6})
    >>> t = respondent_crosstab(d, inst, "organisation", "role")
    >>> t.loc["Essote", "Esihenkilö"] is pd.NA, t.loc["Essote", "Sosiaalityöntekijä"] is pd.NA
    (True, True)
    >>> t.attrs["suppressed_cells"] >= 2
    True
    """
    total = "Yhteensä" if lang == "fi" else "Total"
    r_codes, c_codes = _codes(inst, rows), _codes(inst, cols)
    sub = df[[rows, cols]].astype(object).dropna()
    table = pd.DataFrame(0, index=r_codes, columns=c_codes, dtype="int64")
    for (r, c), k in sub.value_counts().items():
        table.loc[r, c] = int(k)
    table.index = [_category_label(inst, rows, c, lang) for c in table.index]
    table.columns = [_category_label(inst, cols, c, lang) for c in table.columns]
    table[total] = table.sum(axis=1)
    table.loc[total] = table.sum(axis=0)
    out = suppress_small_cells(table, min_n, total_rows=[total], total_cols=[total])
    out.index.name = _grouping_label(inst, rows, lang)
    out.columns.name = _grouping_label(inst, cols, lang)
    return out


class RateResult(NamedTuple):
    """Response rate in percent with its Wilson interval."""

    rate: float
    ci_low: float
    ci_high: float
    n: int
    target_size: int
    method: str


def response_rate(n: int, target_size: int, ci: float = 0.95) -> RateResult | None:
    """Response rate ``100 n / target_size`` with a Wilson score interval; ``None`` when ``target_size`` is 0.

    The Wilson interval (:func:`sosrake_lib.stats.proportion_ci`) treats the respondents as a sample of the
    target group's possible answers; it is the house default for proportions (Newcombe 1998).

    Raises
    ------
    ValueError
        If ``target_size`` is negative or smaller than ``n`` (the target group size is then wrong).

    Examples
    --------
    >>> r = response_rate(118, 160)
    >>> round(r.rate, 2), round(r.ci_low, 1), round(r.ci_high, 1)
    (73.75, 66.4, 80.0)
    >>> response_rate(118, 0) is None
    True
    """
    if target_size == 0:
        return None
    if target_size < 0 or n > target_size:
        raise ValueError(
            f"target_size ({target_size}) must be at least the number of respondents ({n}); "
            "set target_size = 0 if the size of the target group is not known"
        )
    low, high = proportion_ci(n, target_size, ci=ci)
    return RateResult(
        100 * n / target_size,
        100 * float(low),
        100 * float(high),
        int(n),
        int(target_size),
        f"Wilson {round(100 * ci)} % CI",
    )


# ------------------------------------------------------------------------------------------- items


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


def likert_area_figure(
    dist: pd.DataFrame, inst: Instrument, area: str, *, lang: Lang = "fi", min_n: int = MIN_N
) -> Any:
    """Diverging stacked bars of one area's items: competence above, importance below (or the attitude
    items alone), "En osaa sanoa" drawn apart (:func:`sosrake_lib.plots.likert_diverging`).

    Give it the published frame (:func:`suppress_answer_counts`): hidden answer counts are then not drawn,
    so the bars cannot be measured to recover them. Returns the matplotlib Figure (the caller saves and
    closes it).
    """
    from .plots import likert_diverging, new_figure

    rows = dist[dist["area"] == area]
    parts = [r for r in ("competence", "importance", "attitude") if (rows["role"] == r).any()]
    heights = [1.2 + 0.55 * int((rows["role"] == r).sum()) for r in parts]
    fig, axes = new_figure(6.3, sum(heights) + 0.3, nrows=len(parts))
    axes = np.atleast_1d(axes)
    for ax, part in zip(axes, parts, strict=True):
        sub = rows[rows["role"] == part]
        table = likert_percentages(sub, inst, lang=lang)
        likert_diverging(
            table,
            nsa_col=table.columns[-1],
            ax=ax,
            lang=lang,
            label_width=34,
            min_n=min_n,
            title=f"{inst.area_label(area, lang)}: {text(part, lang).lower()}"
            if part != "attitude"
            else text(part, lang),
        )
    return fig


def suppression_report(
    tables: Mapping[str, pd.DataFrame], min_n: int, lang: Lang = "fi"
) -> pd.DataFrame:
    """How many cells each table hid (from its ``attrs["suppressed_cells"]``), with the rule in words.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [3]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_report({"roles": t, "other": pd.DataFrame()}, 5).values.tolist()
    [['roles', 2, 'Solu, joka kuvaa 1–4 henkilöä, on piilotettu; lisäksi toissijainen piilotus'], ['other', 0, 'Solu, joka kuvaa 1–4 henkilöä, on piilotettu; lisäksi toissijainen piilotus']]
    """
    rule = text("suppression_rule", lang).format(n=min_n - 1)
    return pd.DataFrame(
        [
            {
                "table": name,
                "suppressed_cells": int(t.attrs.get("suppressed_cells", 0)),
                "rule": rule,
            }
            for name, t in tables.items()
        ]
    )


# ------------------------------------------------------------------------------------------- areas


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


def _mean_ci(x: np.ndarray, ci: float) -> tuple[float, float]:
    """t interval of a mean (scipy's Student t quantiles)."""
    if x.size < 2:
        return (math.nan, math.nan)
    sem = float(x.std(ddof=1)) / math.sqrt(x.size)
    if sem == 0:
        return (float(x.mean()), float(x.mean()))
    low, high = _sps.t.interval(ci, x.size - 1, loc=float(x.mean()), scale=sem)
    return float(low), float(high)


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


# ------------------------------------------------------------------------------- group differences


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
    for one background variable (six tests answer one question: "do organisations differ, and where?").

    Returns
    -------
    DataFrame
        ``grouping``, ``grouping_label``, ``area``, ``area_label``, ``test``, ``n``, ``n_groups``,
        ``statistic``, ``df``, ``p_value``, ``p_holm``, ``significant``, ``effect_size``,
        ``effect_size_name``, ``higher_group`` (code of the group with higher values, two groups only),
        ``excluded_groups``.

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
    Holm-corrected across the areas of one background variable. The groups :func:`visible_groups` hides
    are left out.

    Returns
    -------
    (summary, terms)
        ``summary``: ``grouping``, ``area``, ``area_label``, ``model``, ``n``, ``lr_stat``, ``lr_df``,
        ``lr_p``, ``lr_p_holm``, ``significant``, ``converged``, ``warning``. ``terms``: ``grouping``,
        ``area``, ``area_label``, ``term`` (level vs the reference level, readable), ``odds_ratio``,
        ``ci_low``, ``ci_high``, ``p_value``.

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
    return pd.concat(summaries, ignore_index=True), terms


# ------------------------------------------------------------------------------------- development needs


def development_needs(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    n_boot: int = 2000,
    seed: int = 2020,
    ci: float = 0.95,
    top: int = 3,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Borich (1980) training needs of the competence areas, ranked, with bootstrap CIs of MWDS and rank.

    Each respondent's importance and competence *area means* (:func:`area_scores`) are the Borich pairs
    (:func:`~sosrake_lib.scoring.borich_needs`); respondents are resampled jointly across areas with a fixed
    ``seed``, so the rank intervals say how sure the ordering is (Narine & Harder 2021). ``top_need`` marks the
    ``top`` areas with the largest MWDS: the headline of the mapping.

    Returns
    -------
    DataFrame
        ``area``, ``area_label``, ``n``, ``importance_mean``, ``competence_mean``, ``discrepancy_mean``,
        ``mwds``, ``rank``, ``mwds_ci_low``, ``mwds_ci_high``, ``rank_ci_low``, ``rank_ci_high``, ``top_need``;
        sorted by rank.

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> cols = [it.id for it in inst.likert_items() if it.role]
    >>> d = pd.DataFrame(np.nan, index=range(3), columns=cols)
    >>> d[["I_TK1", "I_TK2", "I_TK3"]] = [[4.0] * 3, [5.0] * 3, [4.0] * 3]
    >>> d[["C_TK1", "C_TK2", "C_TK3"]] = [[2.0] * 3, [2.0] * 3, [3.0] * 3]
    >>> t = development_needs(d, inst, n_boot=0)
    >>> # gaps 2, 3, 1 -> mean 2; mean importance 13/3; MWDS = 2 x 13/3 = 26/3
    >>> t.loc[0, "area"], round(float(t.loc[0, "mwds"]), 4)
    ('tiedonkeruu', 8.6667)
    """
    comp = area_scores(df, inst, "competence")
    imp = area_scores(df, inst, "importance")
    areas = [a for a in comp.columns if a in imp.columns]
    joined = pd.concat([imp[areas].add_prefix("i_"), comp[areas].add_prefix("c_")], axis=1)
    res = borich_needs(
        joined, {a: (f"i_{a}", f"c_{a}") for a in areas}, n_boot=n_boot, ci=ci, seed=seed
    )
    res = res.rename(columns={"item": "area"})
    res.insert(1, "area_label", [inst.area_label(a, lang) for a in res["area"]])
    res["top_need"] = res["rank"].to_numpy(dtype=float, na_value=np.nan) <= top
    return res


# ------------------------------------------------------------------------------------------ open answers


def support_themes(
    df: pd.DataFrame,
    *,
    column: str = "support_needed",
    codebook: str = "competence",
    min_n: int = MIN_N,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """How many of those who answered the open question mention each theme, with Wilson CIs.

    Codes with :func:`sosrake_lib.text.code_themes` (the ``competence`` theme codebook; an answer may have
    several themes), counts per theme and ``uncoded`` (answers no theme matched: a person should read them).
    Themes mentioned by fewer than ``min_n`` people are suppressed (:func:`~sosrake_lib.privacy.suppress_by_n`);
    the themes are not exclusive, so no total can reveal a hidden count and there is no secondary suppression.

    Returns
    -------
    DataFrame
        ``theme``, ``theme_label``, ``n`` (answers mentioning it), ``n_answered``, ``pct``, ``pct_ci_low``,
        ``pct_ci_high`` (percent of answered), sorted by ``n`` descending, ``uncoded`` last.
    """
    from .text import code_themes, theme_frequencies

    coded = code_themes(df[column], codebook)
    freq = theme_frequencies(coded, lang=lang, sort=True)
    counts = freq["n"].to_numpy(dtype="int64")
    n_answered = freq["n_answering"].to_numpy(dtype="int64")
    low, high = proportion_ci(counts, n_answered)
    out = pd.DataFrame(
        {
            "theme": freq["theme"].to_numpy(dtype=object),
            "theme_label": freq["label"].to_numpy(dtype=object),
            "n": counts,
            "n_answered": n_answered,
            "pct": freq["percent"].to_numpy(dtype=float),
            "pct_ci_low": 100 * np.asarray(low, dtype=float),
            "pct_ci_high": 100 * np.asarray(high, dtype=float),
        }
    )
    return suppress_by_n(
        out, "n", min_n, value_cols=["pct", "pct_ci_low", "pct_ci_high"], secondary=False
    )


# ------------------------------------------------------------------------------------------- key figures


def parse_note(note: str | None) -> dict[str, str]:
    """Read the ``key=value; key=value`` pairs of a key figure's ``note`` (other remarks are skipped).

    Examples
    --------
    >>> parse_note("area=yhteiso; alpha_flag=low")
    {'area': 'yhteiso', 'alpha_flag': 'low'}
    >>> parse_note(None)
    {}
    """
    out: dict[str, str] = {}
    for part in (note or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key and " " not in key:
            out[key] = value.strip()
    return out


def build_key_figures(
    *,
    n_respondents: int,
    rate: RateResult | None,
    summary: pd.DataFrame,
    needs: pd.DataFrame,
    reliability: pd.DataFrame,
    inst: Instrument,
    threshold: float = ALPHA_THRESHOLD,
    tests: pd.DataFrame | None = None,
) -> KeyFigures:
    """The key figures of the competence mapping (names and the ``note`` convention: module docstring).

    ``summary`` is :func:`area_summary`, ``needs`` :func:`development_needs` (with bootstrap CIs),
    ``reliability`` :func:`reliability_table`, ``tests`` (optional) :func:`group_tests`: every difference
    significant after Holm becomes ``diff_<grouping>_<area>`` (value = effect size, note with ``area``,
    ``grouping``, ``higher`` group code and ``p_holm``). Suppression by ``n`` is enforced when the figures are written
    (:meth:`sosrake_lib.outputs.KeyFigures.write`).

    Examples
    --------
    >>> inst = load_instrument("competence")
    >>> summ = pd.DataFrame({"role": ["competence"] * 2, "area": ["tiedonkeruu", "raportointi"], "n": [50, 49],
    ...                      "mean": [3.7, 2.5], "ci_low": [3.5, 2.3], "ci_high": [3.9, 2.7]})
    >>> needs = pd.DataFrame({"area": ["raportointi", "tiedonkeruu"], "n": [49, 50], "mwds": [7.2, 2.1],
    ...                       "rank": [1, 2], "mwds_ci_low": [6.7, 1.6], "mwds_ci_high": [7.7, 2.6],
    ...                       "rank_ci_low": [1, 2], "rank_ci_high": [1, 2]})
    >>> rel = pd.DataFrame({"role": ["competence"], "area": ["raportointi"], "n": [49], "alpha": [0.71],
    ...                     "alpha_ci_low": [0.6], "alpha_ci_high": [0.8]})
    >>> kf = build_key_figures(n_respondents=50, rate=None, summary=summ, needs=needs, reliability=rel,
    ...                        inst=inst)
    >>> [f.name for f in kf]
    ['n_respondents', 'response_rate', 'strongest_area', 'weakest_area', 'need_rank_1', 'need_rank_2', 'alpha_raportointi']
    >>> kf["weakest_area"].label_fi, kf["weakest_area"].note, kf["need_rank_1"].value
    ('Sosiaalinen raportointi', 'area=raportointi', 7.2)
    """
    kf = KeyFigures()
    kf.add(
        "n_respondents",
        int(n_respondents),
        "n",
        n=int(n_respondents),
        method="rows kept after cleaning",
        label_fi="Vastaajia",
        label_en="Respondents",
    )
    if rate is None:
        kf.add(
            "response_rate",
            None,
            "%",
            n=int(n_respondents),
            method="target group size not given",
            label_fi="Vastausosuus",
            label_en="Response rate",
            note="target_size=unknown",
        )
    else:
        kf.add(
            "response_rate",
            rate.rate,
            "%",
            n=rate.n,
            ci_low=rate.ci_low,
            ci_high=rate.ci_high,
            method=rate.method,
            label_fi="Vastausosuus",
            label_en="Response rate",
            note=f"target_size={rate.target_size}",
        )
    comp = summary[(summary["role"] == "competence") & summary["mean"].notna()]
    comp = comp.sort_values(["mean", "area"], ascending=[False, True], kind="stable")
    method = (
        "highest/lowest mean competence score (mean of the area's items, 1–5); Student t 95 % CI"
    )
    for name, row in (("strongest_area", comp.iloc[0]), ("weakest_area", comp.iloc[-1])):
        area = str(row["area"])
        kf.add(
            name,
            float(row["mean"]),
            "score 1–5",
            n=int(row["n"]),
            ci_low=row.get("ci_low"),
            ci_high=row.get("ci_high"),
            method=method,
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=f"area={area}",
            source=source("area_scores", "mean", role="competence", area=area),
        )
    ranked = needs[needs["mwds"].notna()].sort_values(["rank", "area"], kind="stable").head(3)
    for position, (_, row) in enumerate(ranked.iterrows(), start=1):
        area = str(row["area"])
        note = f"area={area}; rank={int(row['rank'])}"
        if "rank_ci_low" in row.index and not pd.isna(row["rank_ci_low"]):
            note += (
                f"; rank_ci_low={int(row['rank_ci_low'])}; rank_ci_high={int(row['rank_ci_high'])}"
            )
        kf.add(
            f"need_rank_{position}",
            float(row["mwds"]),
            "MWDS",
            n=int(row["n"]),
            ci_low=row.get("mwds_ci_low"),
            ci_high=row.get("mwds_ci_high"),
            method="Borich mean weighted discrepancy score of area means; percentile bootstrap 95 % CI "
            "(respondents resampled jointly, fixed seed)",
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=note,
            source=source("development_needs", "mwds", area=area),
        )
    for _, row in reliability[reliability["role"].isin(["competence", "attitude"])].iterrows():
        area = str(row["area"])
        low = bool(row["alpha"] < threshold)
        kf.add(
            f"alpha_{area}",
            float(row["alpha"]),
            "alpha",
            n=int(row["n"]),
            ci_low=row["alpha_ci_low"],
            ci_high=row["alpha_ci_high"],
            method="Cronbach's alpha, pairwise; Feldt 95 % CI",
            label_fi=inst.area_label(area, "fi"),
            label_en=inst.area_label(area, "en"),
            note=f"area={area}" + (f"; alpha_flag=low; threshold={threshold}" if low else ""),
            source=source("reliability", "alpha", role=str(row["role"]), area=area),
        )
    if tests is not None:
        for _, row in tests[tests["significant"]].iterrows():
            area, grouping = str(row["area"]), str(row["grouping"])
            note = f"area={area}; grouping={grouping}"
            if row.get("higher_group"):
                note += f"; higher={row['higher_group']}"
            note += f"; p_holm={float(row['p_holm']):.2g}"
            kf.add(
                f"diff_{grouping}_{area}",
                float(row["effect_size"]),
                str(row["effect_size_name"]).split(" (")[0],
                n=int(row["n"]),
                method=f"{row['test']}, two-sided; Holm across areas; effect size "
                f"{row['effect_size_name']}",
                label_fi=f"{inst.item(grouping).text('fi')}: {inst.area_label(area, 'fi')}",
                label_en=f"{inst.item(grouping).text('en')}: {inst.area_label(area, 'en')}",
                note=note,
                source=source("group_tests", "effect_size", grouping=grouping, area=area),
            )
    return kf


# ------------------------------------------------------------------------------------------- display
_CI = CI_LABEL

#: What the notebook shows of each table, for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = {
    "respondents": {
        "group_label": ("Ryhmä", "Group", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "pct": ("Osuus %", "Share %", "pct"),
        ("pct_ci_low", "pct_ci_high"): (*_CI, "ci_pct"),
    },
    "items": {
        "item_label": ("Väittämä", "Statement", "text"),
        "area_label": ("Alue", "Area", "text"),
        "n_total": ("Vastauksia", "Answers", "int"),
        "nsa": ("En osaa sanoa", "Don't know", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
        "top_box_pct": ("Kaksi myönteisintä %", "Top two %", "pct"),
        ("top_box_ci_low", "top_box_ci_high"): (*_CI, "ci_pct"),
    },
    "reliability": {
        "role_label": ("Osio", "Part", "text"),
        "area_label": ("Alue", "Area", "text"),
        "n_items": ("Väittämiä", "Items", "int"),
        "n": ("Vastaajia", "Respondents", "int"),
        "alpha": ("Cronbachin alfa", "Cronbach's alpha", "num2"),
        ("alpha_ci_low", "alpha_ci_high"): (*_CI, "ci2"),
        "alpha_low": ("Alfa alle 0,6", "Alpha below 0.6", "bool"),
    },
    "area_scores": {
        "role_label": ("Osio", "Part", "text"),
        "area_label": ("Alue", "Area", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "sd": ("Keskihajonta", "SD", "num2"),
        "median": ("Mediaani", "Median", "num2"),
        "alpha_low": ("Alfa alle 0,6", "Alpha below 0.6", "bool"),
    },
    "group_tests": {
        "grouping_label": ("Taustamuuttuja", "Grouping", "text"),
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "test": ("Testi", "Test", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "statistic": ("Testisuure", "Statistic", "num1"),
        "p_value": ("p", "p", "p"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Ero (Holm p < 0,05)", "Difference (Holm p < 0.05)", "bool"),
        "effect_size": ("Efektikoko", "Effect size", "num2"),
        "effect_size_name": ("Efektikoon mittari", "Effect size measure", "text"),
    },
    "ordinal_models": {
        "grouping_label": ("Taustamuuttuja", "Grouping", "text"),
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "lr_stat": ("LR-testisuure", "LR statistic", "num1"),
        "lr_df": ("Vapausasteet", "df", "int"),
        "lr_p": ("p", "p", "p"),
        "lr_p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Ero (Holm p < 0,05)", "Difference (Holm p < 0.05)", "bool"),
    },
    "ordinal_terms": {
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "term": ("Vertailu", "Comparison", "text"),
        "odds_ratio": ("Vetosuhde", "Odds ratio", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "p_value": ("p", "p", "p"),
    },
    "development_needs": {
        "rank": ("Sija", "Rank", "int"),
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "importance_mean": ("Tärkeys (ka.)", "Importance (mean)", "num2"),
        "competence_mean": ("Osaaminen (ka.)", "Competence (mean)", "num2"),
        "mwds": ("Koulutustarve (MWDS)", "Training need (MWDS)", "num2"),
        ("mwds_ci_low", "mwds_ci_high"): (*_CI, "ci2"),
        ("rank_ci_low", "rank_ci_high"): ("Sijan 95 %:n LV", "Rank 95% CI", "ci0"),
        "top_need": ("Kärkikolmikossa", "In the top three", "bool"),
        "n": ("Vastaajia", "Respondents", "int"),
    },
    "support_themes": {
        "theme_label": ("Teema", "Theme", "text"),
        "n": ("Mainintoja", "Mentions", "int"),
        "pct": ("Osuus vastanneista %", "Share of answers %", "pct"),
        ("pct_ci_low", "pct_ci_high"): (*_CI, "ci_pct"),
    },
    "suppression": {
        "table_label": ("Taulukko", "Table", "text"),
        "suppressed_cells": ("Piilotettuja soluja", "Suppressed cells", "int"),
    },
    "cleaning": {**CLEANING_COLUMNS},
}

#: Readable names of the notebook's tables (the suppression summary names them).
TABLE_TITLES: dict[str, dict[str, str]] = {
    "respondents_organisation": {
        "fi": "Vastaajat organisaatioittain",
        "en": "Respondents by organisation",
    },
    "respondents_role": {"fi": "Vastaajat tehtävittäin", "en": "Respondents by role"},
    "respondents_work_area": {"fi": "Vastaajat työalueittain", "en": "Respondents by work area"},
    "respondents_experience": {
        "fi": "Vastaajat työkokemuksen mukaan",
        "en": "Respondents by experience",
    },
    "respondents_org_x_role": {"fi": "Organisaatio × tehtävä", "en": "Organisation × role"},
    "items": {"fi": "Väittämien jakaumat", "en": "Statement distributions"},
    "area_scores": {"fi": "Osaamisalueiden pistemäärät", "en": "Competence area scores"},
    "importance_attitude_scores": {
        "fi": "Tärkeys ja edellytykset",
        "en": "Importance and conditions",
    },
    "reliability": {"fi": "Luotettavuus (Cronbachin alfa)", "en": "Reliability (Cronbach's alpha)"},
    "group_tests": {"fi": "Ryhmävertailut", "en": "Group comparisons"},
    "group_descriptives": {"fi": "Ryhmien tunnusluvut", "en": "Group descriptives"},
    "ordinal_models": {"fi": "Järjestysasteikon mallit", "en": "Ordinal models"},
    "ordinal_terms": {"fi": "Mallien vetosuhteet", "en": "Model odds ratios"},
    "development_needs": {"fi": "Koulutustarpeet (MWDS)", "en": "Training needs (MWDS)"},
    "support_themes": {"fi": "Tuen tarpeen teemat", "en": "Themes of support needed"},
}


def display_ready(
    table: pd.DataFrame, inst: Instrument | None = None, lang: Lang = "fi"
) -> pd.DataFrame:
    """Add the readable columns :data:`DISPLAY` names (part, grouping and table names) to a copy of ``table``.

    Examples
    --------
    >>> display_ready(pd.DataFrame({"role": ["importance"], "table": ["items"]}), lang="en").iloc[0].tolist()
    ['importance', 'items', 'Importance in own work', 'Statement distributions']
    """
    out = table.copy()
    if "role" in out.columns:
        out["role_label"] = [TEXTS[r][lang] if r in TEXTS else r for r in out["role"]]
    if "grouping" in out.columns and inst is not None and "grouping_label" not in out.columns:
        out["grouping_label"] = [_grouping_label(inst, g, lang) for g in out["grouping"]]
    if "table" in out.columns:
        out["table_label"] = [TABLE_TITLES.get(t, {}).get(lang, t) for t in out["table"]]
    return out


def cleaning_frame(summaries: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The cleaning summaries (:func:`cleaning_summary`) as one row per file, for display.

    Examples
    --------
    >>> cleaning_frame([{"source_file": "x.csv", "raw_rows": 5, "kept": 4,
    ...                  "dropped": {"empty": 1, "test": 0, "duplicate": 0}}]).iloc[0].astype(str).tolist()
    ['x.csv', '5', '4', '1', '0', '0']
    """
    rows = [
        {
            "source_file": s.get("source_file", ""),
            "raw_rows": s.get("raw_rows"),
            "kept": s.get("kept"),
            **{
                f"dropped_{k}": (s.get("dropped") or {}).get(k, 0)
                for k in ("empty", "test", "duplicate")
            },
        }
        for s in summaries
    ]
    return pd.DataFrame(rows)
