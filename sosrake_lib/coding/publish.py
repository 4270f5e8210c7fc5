"""The coding agreement a run publishes beside its theme shares, and which themes it may headline.

When a run is given a coded worksheet (``sosrake run … --coded-worksheet PATH``), :func:`agreement_table`
joins the worksheet's ticks to the run's own codes (``answer_id``) and returns one row per theme: the
codebook's and the human coder's share of the coded answers, Cohen's kappa with its 95 % CI, the two coders'
own kappa (the ceiling) and ``uncertain`` = kappa below the bound (or not computable). The human reference is
the first coder who coded the answer sheet (*Koodaaja 1*; the second only when the first coded nothing).
The answer ids depend on the pseudonym key; when none of the worksheet's ids is of this run (a worksheet
made with another key, e.g. the shipped sample's on a machine with its own key), the codebook's codes are
computed from the worksheet's scrubbed text instead (``attrs["source"] = "text"``; the report says so).

Disclosure: the table says how many answers were coded, and its shares and kappas would give the counts of
coded positives back (with n and the two shares the whole 2 x 2 table follows). So for a theme with
``0 < count < min_n`` coded positives by the human or the codebook (:func:`sosrake_lib.sdc.is_small`), the
shares, kappas and CIs are hidden; when fewer than ``min_n`` answers were coded, everything is. The
``uncertain`` mark stays: it says only that the kappa is below the bound.

:func:`headline_themes` is the rule for headlines: a theme marked uncertain is never the headline; the most
frequent theme that passes is, or none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..sdc import is_small
from ..settings import MIN_N
from .agreement import binary_agreement
from .compare import codebook_codes, run_codes
from .worksheet import read_worksheet

__all__ = [
    "DEFAULT_KAPPA_BOUND",
    "add_agreement_figure",
    "agreement_notes",
    "agreement_table",
    "mark_uncertain",
    "passing_themes",
]

DEFAULT_KAPPA_BOUND = 0.6
_HIDDEN = ["codebook_pct", "human_pct", "kappa", "kappa_ci_low", "kappa_ci_high", "kappa_coders"]


def agreement_table(
    answers: pd.DataFrame,
    worksheet: str | Path,
    *,
    labels: Mapping[str, str] | None = None,
    min_n: int = MIN_N,
    kappa_bound: float = DEFAULT_KAPPA_BOUND,
) -> pd.DataFrame:
    """Per theme: codebook share, human share, kappa (95 % CI), the coders' kappa, n coded, uncertain.

    Parameters
    ----------
    answers : DataFrame
        The run's :func:`~sosrake_lib.coding.answers.coding_answers` (``answer_id`` and ``cb:<theme>``).
    worksheet : path
        The coded worksheet.
    labels : mapping, optional
        Theme id -> label in the run's language.
    min_n, kappa_bound : int, float
        Disclosure threshold and the smallest acceptable kappa.

    Returns
    -------
    DataFrame
        ``theme``, ``theme_label``, ``n_coded``, ``codebook_pct``, ``human_pct``, ``kappa``,
        ``kappa_ci_low``, ``kappa_ci_high``, ``kappa_coders``, ``uncertain``; hidden cells are missing.
        ``attrs``: ``mean_kappa`` (over the kappas the table shows: a mean over hidden ones too would
        give a hidden kappa back) and ``pooled_kappa`` (all theme decisions in one table; only when no
        theme is hidden), unrounded, for the key figure and the notes; ``n_coded``, ``n_uncoded``
        (coder -> rows left without a tick), ``n_unknown`` (coded answers not in this run), ``source``,
        ``not_defined`` (themes absent from the sample), ``suppressed_cells``, ``min_n``, ``kappa_bound``.
    """
    ws = read_worksheet(worksheet)
    codes = run_codes(answers, ws.themes)
    source = "run"
    if not any(v.index.isin(codes.index).any() for v in ws.coders.values()):
        # ids of another pseudonym key (or another run): code the worksheet's own text with the codebook
        codes = codebook_codes(ws, str(answers["codebook"].iloc[0]) if len(answers) else None)
        source = "text"
    coders = {k: v.loc[v.index.isin(codes.index)] for k, v in ws.coders.items()}
    n_unknown = max(
        (int((~v.index.isin(codes.index)).sum()) for v in ws.coders.values()), default=0
    )
    coders = {k: v for k, v in coders.items() if len(v)}
    ref_name = next(iter(coders))
    ref = coders[ref_name]
    other = [c for c in coders if c != ref_name]
    labels = labels or {}
    rows, hide = [], []
    kappas = []
    for theme in ws.themes:
        r = binary_agreement(ref[theme].to_numpy(bool), codes.loc[ref.index, theme].to_numpy(bool))
        k2 = math.nan
        if other:
            o = coders[other[0]]
            both = ref.index.intersection(o.index)
            k2 = binary_agreement(ref.loc[both, theme], o.loc[both, theme])["kappa"]
        kappas.append(r["kappa"])
        rows.append(
            {
                "theme": theme,
                "theme_label": labels.get(theme, theme),
                "n_coded": r["n"],
                "codebook_pct": r["codebook_pct"],
                "human_pct": r["human_pct"],
                "kappa": r["kappa"],
                "kappa_ci_low": r["kappa_low"],
                "kappa_ci_high": r["kappa_high"],
                "kappa_coders": k2,
                "uncertain": bool(math.isnan(r["kappa"]) or r["kappa"] < kappa_bound),
            }
        )
        hide.append(
            is_small(r["human_count"], min_n)
            or is_small(r["codebook_count"], min_n)
            or is_small(r["n"], min_n)
        )
    out = pd.DataFrame(rows)
    mask = np.asarray(hide, dtype=bool)
    for col in _HIDDEN:
        out[col] = out[col].astype("Float64").mask(mask)
    n_coded = len(ref)
    out["n_coded"] = (
        out["n_coded"].astype("Int64").mask(np.full(len(out), is_small(n_coded, min_n)))
    )
    pooled = binary_agreement(
        ref[ws.themes].to_numpy(bool).ravel(),
        codes.loc[ref.index, ws.themes].to_numpy(bool).ravel(),
    )
    # overall figures from what the table shows: a mean over every theme beside the shown kappas would
    # give a hidden one back, and the pooled table holds the hidden themes' counts
    valid = [float(k) for k in out["kappa"].dropna()]
    out.attrs = {
        "mean_kappa": float(np.mean(valid)) if valid else math.nan,
        "n_mean_themes": len(valid),
        "pooled_kappa": pooled["kappa"] if not mask.any() else math.nan,
        "n_coded": n_coded,
        "n_uncoded": dict(ws.uncoded),
        "n_unknown": n_unknown,
        "source": source,
        # themes with no variation in the sample (kappa not defined): uncertain because unverified
        "not_defined": [t for t, k in zip(ws.themes, kappas, strict=True) if math.isnan(k)],
        "suppressed_cells": int(mask.sum()) * len(_HIDDEN),
        "min_n": min_n,
        "kappa_bound": kappa_bound,
    }
    return out


def passing_themes(agreement: pd.DataFrame | None) -> set[str] | None:
    """The themes a headline may name: those not marked uncertain (``None``: no agreement, any theme).

    >>> t = pd.DataFrame({"theme": ["a", "b"], "uncertain": [False, True]})
    >>> passing_themes(t), passing_themes(None)
    ({'a'}, None)
    """
    if agreement is None:
        return None
    return set(agreement.loc[~agreement["uncertain"].astype(bool), "theme"].astype(str))


def mark_uncertain(table: pd.DataFrame, agreement: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """``table`` with "(epävarma luokittelu)" / "(uncertain coding)" after the label of every theme the
    agreement marks uncertain (``theme`` and ``theme_label`` columns).

    >>> t = pd.DataFrame({"theme": ["a", "b"], "theme_label": ["A", "B"]})
    >>> a = pd.DataFrame({"theme": ["a", "b"], "uncertain": [True, False]})
    >>> mark_uncertain(t, a)["theme_label"].tolist()
    ['A (epävarma luokittelu)', 'B']
    """
    bad = set(agreement.loc[agreement["uncertain"].astype(bool), "theme"].astype(str))
    word = "uncertain coding" if lang == "en" else "epävarma luokittelu"
    out = table.copy()
    hit = out["theme"].astype(str).isin(bad).to_numpy()
    out["theme_label"] = out["theme_label"].astype(object)
    out.loc[hit, "theme_label"] = [f"{x} ({word})" for x in out.loc[hit, "theme_label"]]
    return out


def agreement_notes(agreement: pd.DataFrame) -> tuple[str, str]:
    """What the reader must know beside the agreement table (fi, en): the reference coder, the bound, the
    overall kappas, rows left out, where the codebook's codes came from, what an empty kappa means."""
    from ..fmt import fmt_number

    a = agreement.attrs
    bound = a.get("kappa_bound", 0.6)
    left = sum(a.get("n_uncoded", {}).values())
    unknown = int(a.get("n_unknown", 0))
    text = a.get("source") == "text"
    fi = [
        f"Vertailukohta on ensimmäinen koodaaja ({a.get('n_coded')} koodattua vastausta); raja: kappa "
        f"{fmt_number(bound, 'fi', 2)}. Kaikki teemat yhdessä (poolattu) kappa "
        f"{fmt_number(a.get('pooled_kappa'), 'fi', 2)}, taulukossa näkyvien "
        f"{a.get('n_mean_themes', '')} teeman kappojen keskiarvo {fmt_number(a.get('mean_kappa'), 'fi', 2)}.",
        f"Rivit, joilla ei ollut yhtään merkintää, jätettiin pois: {left} riviä (koodaajat yhteensä).",
        f"{unknown} koodattua vastausta ei kuulunut tähän ajoon, ne jätettiin pois."
        if unknown
        else "",
        "Lomakkeen tunnisteet eivät olleet tämän ajon (toinen pseudonymisointiavain), joten koodiston "
        "koodit laskettiin lomakkeen siivotusta tekstistä."
        if text
        else "",
        "Viiva (–) kappan kohdalla: teemaa ei ollut otoksessa (kappa ei määritelty; teema lasketaan "
        "epävarmaksi) tai luku on piilotettu, koska teeman koodattuja mainintoja oli alle "
        f"{a.get('min_n')} (silloin myös osuudet ovat piilotettuja).",
    ]
    en = [
        f"The reference is the first coder ({a.get('n_coded')} coded answers); bound: kappa "
        f"{fmt_number(bound, 'en', 2)}. All themes pooled: kappa "
        f"{fmt_number(a.get('pooled_kappa'), 'en', 2)}; mean of the kappas of the "
        f"{a.get('n_mean_themes', '')} themes the table shows {fmt_number(a.get('mean_kappa'), 'en', 2)}.",
        f"Rows with no tick were left out: {left} rows (coders together).",
        f"{unknown} coded answers were not of this run and were left out." if unknown else "",
        "The worksheet's ids were not of this run (another pseudonym key), so the codebook's codes were "
        "computed from the worksheet's scrubbed text."
        if text
        else "",
        "A dash (–) for kappa: the theme was not in the sample (kappa not defined; the theme counts as "
        "uncertain) or the figure is hidden because the theme had fewer than "
        f"{a.get('min_n')} coded mentions (then the shares are hidden too).",
    ]
    return " ".join(x for x in fi if x), " ".join(x for x in en if x)


def add_agreement_figure(
    kf: Any, agreement: pd.DataFrame, labels: Mapping[str, tuple[str, str]]
) -> None:
    """Add key figure ``coding_agreement``: the mean of the shown kappas (codebook vs the human coder), the
    themes below the bound and those absent from the sample named; ``labels``: theme id -> (fi, en).
    The infographic's footnote says it when the figure is there."""
    from ..fmt import fmt_number
    from ..outputs import source

    mean = agreement.attrs.get("mean_kappa", math.nan)
    n = int(agreement.attrs.get("n_coded", 0))
    k = int(agreement.attrs.get("n_mean_themes", 0))
    absent = set(agreement.attrs.get("not_defined", []))
    marked = agreement.loc[agreement["uncertain"].astype(bool), "theme"].astype(str).tolist()
    bad = [t for t in marked if t not in absent]

    def names(themes: list[str], k: int) -> str:
        return ", ".join(labels.get(t, (t, t))[k].lower() for t in themes)

    names_fi, names_en = names(bad, 0), names(bad, 1)
    gone = [t for t in marked if t in absent]
    gone_fi = f"; ei otoksessa (ei tarkistettu): {names(gone, 0)}" if gone else ""
    gone_en = f"; not in the sample (not checked): {names(gone, 1)}" if gone else ""
    value = None if math.isnan(mean) else float(mean)
    k_fi = fmt_number(value, "fi", 2)
    k_en = fmt_number(value, "en", 2)
    kf.add(
        "coding_agreement",
        value,
        "kappa",
        n=n,
        method="Cohen's kappa of the theme codebook against a human coder on a coded sample of the open "
        "answers, mean over the themes whose kappa is published (not hidden, defined); a theme below the bound is marked uncertain and not headlined",
        label_fi=f"Teemaluokittelu vastasi ihmiskoodaajaa: kappa keskimäärin {k_fi} "
        f"({k} teeman keskiarvo, {n} vastausta)"
        + (f"; epävarma luokittelu: {names_fi}" if bad else "")
        + gone_fi,
        label_en=f"Theme coding agreed with a human coder: mean kappa {k_en} "
        f"(mean over {k} themes, {n} answers)"
        + (f"; uncertain coding: {names_en}" if bad else "")
        + gone_en,
        source=source("coding_agreement", "kappa"),
    )
