"""Development needs (Borich MWDS of the area means, bootstrap CIs) and the themes of the open
answers on the support needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    load_instrument,  # noqa: F401  (used by the examples)
)
from ..fmt import Lang
from ..scoring import borich_needs
from ..sdc.cells import suppress_by_n
from ..settings import MIN_N
from ..stats import proportion_ci
from .scales import ALPHA_THRESHOLD, area_scores, weak_parts, weak_scale_note


def development_needs(
    df: pd.DataFrame,
    inst: Instrument,
    *,
    n_boot: int = 2000,
    seed: int = 2020,
    ci: float = 0.95,
    top: int = 3,
    threshold: float = ALPHA_THRESHOLD,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Borich (1980) training needs of the competence areas, ranked, with bootstrap CIs of MWDS and rank.

    Each respondent's importance and competence *area means* (:func:`area_scores`) are the Borich pairs
    (:func:`~sosrake_lib.scoring.borich_needs`); respondents are resampled jointly across areas with a fixed
    ``seed``, so the rank intervals say how sure the ordering is (Narine & Harder 2021). ``top_need`` marks the
    ``top`` areas with the largest MWDS: the headline of the mapping.

    An area is a *weak scale* here (``weak_scale``, ``weak_scale_note`` naming the part) when the alpha of
    its competence or its importance items is below ``threshold``: its MWDS then combines means of items
    that do not measure one thing consistently, and the ranking should be checked item by item.

    Returns
    -------
    DataFrame
        ``area``, ``area_label``, ``n``, ``importance_mean``, ``competence_mean``, ``discrepancy_mean``,
        ``mwds``, ``rank``, ``mwds_ci_low``, ``mwds_ci_high``, ``rank_ci_low``, ``rank_ci_high``, ``top_need``,
        ``weak_scale``, ``weak_scale_note``; sorted by rank.

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
    weak = {
        area: [(role, a) for role, a in parts if role in ("competence", "importance")]
        for area, parts in weak_parts(df, inst, threshold).items()
    }
    res["weak_scale"] = [bool(weak.get(a)) for a in res["area"]]
    res["weak_scale_note"] = [
        weak_scale_note(weak.get(a, []), threshold, lang) for a in res["area"]
    ]
    return res


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
    from ..text import code_themes, theme_frequencies

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


def write_coding_answers(
    df: pd.DataFrame,
    out_dir: str | Path,
    *,
    column: str = "support_needed",
    codebook: str = "competence",
    lang: Lang = "fi",
) -> Path:
    """Write ``<out_dir>/review/coding_answers.csv``: the open answers on support needed, scrubbed, with
    their ids and the codebook's codes, for ``sosrake coding-sample`` (review material; see
    :mod:`sosrake_lib.coding.answers`)."""
    from ..coding.answers import write_coding_answers as _write

    table = _coding_table(df, column=column, codebook=codebook, lang=lang)
    return _write(table, out_dir)


def _coding_table(df: pd.DataFrame, *, column: str, codebook: str, lang: Lang) -> pd.DataFrame:
    from ..coding.answers import coding_answers
    from ..text import code_themes

    label = "Millaista tukea tarvitset?" if lang == "fi" else "What support do you need?"
    return coding_answers(
        df,
        {column: code_themes(df[column], codebook)},
        id_column="respondent_id",
        codebook=codebook,
        question_label=lambda q: label,
    )


def coding_agreement(
    df: pd.DataFrame,
    worksheet: str | Path,
    *,
    column: str = "support_needed",
    codebook: str = "competence",
    lang: Lang = "fi",
    min_n: int = MIN_N,
    kappa_bound: float = 0.6,
) -> pd.DataFrame:
    """The theme codebook's agreement with the coders of ``worksheet`` for the support question, per theme
    (:func:`sosrake_lib.coding.publish.agreement_table`: shares and kappas of a theme with fewer than
    ``min_n`` coded mentions hidden)."""
    from ..coding.publish import agreement_table
    from ..text import load_theme_codebook

    table = _coding_table(df, column=column, codebook=codebook, lang=lang)
    labels = load_theme_codebook(codebook).labels(lang)
    return agreement_table(table, worksheet, labels=labels, min_n=min_n, kappa_bound=kappa_bound)


def add_agreement_figure(kf: Any, agreement: pd.DataFrame, codebook: str = "competence") -> None:
    """Key figure ``coding_agreement`` of the support themes (see
    :func:`sosrake_lib.coding.publish.add_agreement_figure`)."""
    from ..coding.publish import add_agreement_figure as _add
    from ..text import load_theme_codebook

    cb = load_theme_codebook(codebook)
    _add(kf, agreement, {t.id: (t.label("fi"), t.label("en")) for t in cb.themes})
