"""Open answers and quotes: theme coding, theme frequencies, uncoded answers, quote candidates (steps 5-6)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_write_text
from ..fmt import Lang
from ..outputs import neutralise_frame
from ..quotes import review_candidates
from ..scrub import scrub_pii
from ..settings import MIN_N
from ..stats import proportion_ci
from .common import OPEN_QUESTIONS, _semesters, question_label


# ------------------------------------------------------------------------------------- 5. open answers
def code_open_answers(
    df: pd.DataFrame, questions: Sequence[str] = OPEN_QUESTIONS, codebook: str = "interviews"
) -> dict[str, pd.DataFrame]:
    """Code each open question with :func:`sosrake_lib.text.code_themes` (Finnish-aware stems + lemmas).

    Returns question -> boolean theme frame (same index as ``df``; one column per theme plus ``uncoded``).
    """
    from ..text import code_themes, load_theme_codebook

    cb = load_theme_codebook(codebook)
    return {q: code_themes(df[q], cb) for q in questions if q in df}


def _theme_label_map(coded: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return dict(coded.attrs.get("theme_labels", {}).get(lang, {}))


def _answered(texts: pd.Series) -> np.ndarray:
    return texts.astype("str").str.strip().str.len().fillna(0).gt(0).to_numpy(dtype=bool)


def open_theme_frequencies(
    df: pd.DataFrame, coded: Mapping[str, pd.DataFrame], *, min_n: int = MIN_N, lang: Lang = "fi"
) -> pd.DataFrame:
    """Share of non-empty answers that mention each theme, by question and semester, with Wilson 95 % CIs.

    An answer may mention several themes, so shares do not add up to 100 % and a hidden count cannot be
    worked out from the others: primary suppression only (counts of 1..min_n-1 answers are hidden with their
    share and CI). The ``uncoded`` row is the share no theme matched.

    Returns
    -------
    DataFrame
        ``question``, ``question_label``, ``semester``, ``theme``, ``theme_label``, ``n_answers``, ``count``,
        ``pct``, ``ci_low``, ``ci_high``.
    """
    rows = []
    for q, c in coded.items():
        labels = _theme_label_map(c, lang)
        answered = _answered(df[q])
        for sem in _semesters(df):
            mask = answered & (df["semester"] == sem).to_numpy()
            n = int(mask.sum())
            for theme in c.columns:
                count = int(c.loc[mask, theme].sum())
                low, high = proportion_ci(count, n)
                rows.append(
                    {
                        "question": q,
                        "question_label": question_label(q, lang),
                        "semester": sem,
                        "theme": theme,
                        "theme_label": labels.get(theme, theme),
                        "n_answers": n,
                        "count": count,
                        "pct": 100 * count / n if n else math.nan,
                        "ci_low": 100 * low,
                        "ci_high": 100 * high,
                    }
                )
    out = pd.DataFrame(rows)
    small = (out["count"] > 0) & (out["count"] < min_n)
    small_n = (out["n_answers"] > 0) & (out["n_answers"] < min_n)
    hide = (small | small_n).to_numpy()
    for col in ("count", "pct", "ci_low", "ci_high"):
        out[col] = out[col].astype("Float64" if col != "count" else "Int64").mask(hide)
    out["n_answers"] = out["n_answers"].astype("Int64").mask(small_n.to_numpy())
    out.attrs = {"suppressed_cells": int(hide.sum()), "min_n": min_n}
    return out


def uncoded_answers_table(
    df: pd.DataFrame, coded: Mapping[str, pd.DataFrame], *, lang: Lang = "fi", min_n: int = MIN_N
) -> pd.DataFrame:
    """Answers no theme matched, for staff to read and extend the theme codebook (not for publication).

    Text is scrubbed again with :func:`~sosrake_lib.privacy.scrub_pii` (cleaning already did it once);
    identical answers are merged with a count, rows sorted by semester, question and text, so the list
    carries no row order that could link an answer to an interview. The list still leaves the analysis
    folder, so a count of 1..min_n-1 answers is hidden (the answer is listed without it);
    ``attrs["n_answers"]`` is the number of uncoded answers in all.

    Examples
    --------
    >>> toy = pd.DataFrame({"semester": ["s"] * 6, "open_good": ["Kiitos."] * 5 + ["Hyvä."]})
    >>> coded = {"open_good": pd.DataFrame({"uncoded": [True] * 6})}
    >>> t = uncoded_answers_table(toy, coded)
    >>> t[["answer", "count"]].values.tolist(), t.attrs["n_answers"]
    ([['Hyvä.', <NA>], ['Kiitos.', 5]], 6)
    """
    parts = []
    for q, c in coded.items():
        mask = c["uncoded"].to_numpy(dtype=bool)
        parts.append(
            pd.DataFrame(
                {
                    "semester": df.loc[mask, "semester"].astype("str").to_numpy(),
                    "question": q,
                    "question_label": question_label(q, lang),
                    "answer": [scrub_pii(str(t).strip()) for t in df.loc[mask, q]],
                }
            )
        )
    if not parts:
        empty = pd.DataFrame(columns=["semester", "question", "question_label", "answer", "count"])
        empty.attrs = {"n_answers": 0, "suppressed_cells": 0, "min_n": min_n}
        return empty
    allp = pd.concat(parts, ignore_index=True)
    out = (
        allp.groupby(["semester", "question", "question_label", "answer"], sort=True)
        .size()
        .rename("count")
        .reset_index()
    )
    small = ((out["count"] > 0) & (out["count"] < min_n)).to_numpy()
    total = int(out["count"].sum())
    out["count"] = out["count"].astype("Int64").mask(small)
    out.attrs = {"n_answers": total, "suppressed_cells": int(small.sum()), "min_n": min_n}
    return out


REVIEW_DIR = "review"
"""Folder of an analysis's staff work material (scrubbed but unreviewed free text): never to be forwarded."""


def write_uncoded_answers(
    table: pd.DataFrame, out_dir: str | Path, name: str = "uncoded_answers"
) -> Path:
    """Write the uncoded-answer list to ``<out_dir>/review/<name>.csv`` (UTF-8, comma), formula-safe.

    It is a working list for staff (scrubbed but unreviewed free text), not a publishable table: it stays out
    of ``tables/`` and ``tables.xlsx``, in the review folder beside ``quotes_for_review.csv``; free text leaves
    the workbench only as approved quotes.
    """
    path = Path(out_dir) / REVIEW_DIR / f"{name}.csv"
    safe = neutralise_frame(
        table.astype({c: object for c in table.columns if table[c].dtype != "int64"})
    )
    atomic_write_text(path, safe.to_csv(index=False, lineterminator="\n"))
    return path


def write_coding_answers(
    df: pd.DataFrame,
    coded: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    lang: Lang = "fi",
    codebook: str = "interviews",
) -> Path:
    """Write ``<out_dir>/review/coding_answers.csv``: every non-empty open answer, scrubbed, with its id and
    the codebook's codes, the material ``sosrake coding-sample`` draws a worksheet from (review material,
    see :mod:`sosrake_lib.coding.answers`)."""
    from ..coding.answers import coding_answers
    from ..coding.answers import write_coding_answers as _write

    table = coding_answers(
        df,
        coded,
        id_column="interview_id",
        codebook=codebook,
        question_label=lambda q: question_label(q, lang),
    )
    return _write(table, out_dir)


def coding_agreement(
    df: pd.DataFrame,
    coded: Mapping[str, pd.DataFrame],
    worksheet: str | Path,
    *,
    lang: Lang = "fi",
    min_n: int = MIN_N,
    kappa_bound: float = 0.6,
    codebook: str = "interviews",
) -> pd.DataFrame:
    """The codebook's agreement with the coders of ``worksheet``, per theme, for publication.

    Joins the worksheet to this run's codes by answer id; see
    :func:`sosrake_lib.coding.publish.agreement_table` (disclosure: a theme with fewer than ``min_n`` coded
    positives shows no shares or kappas).
    """
    from ..coding.answers import coding_answers
    from ..coding.publish import agreement_table
    from ..text import load_theme_codebook

    table = coding_answers(df, coded, id_column="interview_id", codebook=codebook)
    labels = load_theme_codebook(codebook).labels(lang)
    return agreement_table(table, worksheet, labels=labels, min_n=min_n, kappa_bound=kappa_bound)


def mark_uncertain(table: pd.DataFrame, agreement: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """The theme labels of ``table`` marked where the agreement says uncertain
    (:func:`sosrake_lib.coding.publish.mark_uncertain`)."""
    from ..coding.publish import mark_uncertain as _mark

    return _mark(table, agreement, lang)


def agreement_notes(agreement: pd.DataFrame) -> tuple[str, str]:
    """What the reader must know beside the agreement table, (fi, en)
    (:func:`sosrake_lib.coding.publish.agreement_notes`)."""
    from ..coding.publish import agreement_notes as _notes

    return _notes(agreement)


# ------------------------------------------------------------------------------------------- 6. quotes
def candidate_quotes(
    df: pd.DataFrame,
    coded: Mapping[str, pd.DataFrame],
    *,
    semester: str | None = None,
    per_theme: int = 3,
    min_chars: int = 20,
    max_chars: int = 200,
    lang: Lang = "fi",
) -> pd.DataFrame:
    """Candidate quotes of one semester (default: the latest) per question and theme, for a person to approve.

    The selection rules are those of :func:`sosrake_lib.quotes.review_candidates`: scrubbed, length-limited,
    answers that named a person left out, deterministic, every row ``approved = False``.
    """
    semester = semester or _semesters(df)[-1]
    in_sem = (df["semester"] == semester).to_numpy()
    texts = {q: df.loc[in_sem, q] for q in coded}
    flags = {q: c.loc[in_sem] for q, c in coded.items()}
    labels = {q: _theme_label_map(c, lang) for q, c in coded.items()}
    return review_candidates(
        texts,
        flags,
        labels,
        semester=semester,
        per_theme=per_theme,
        min_chars=min_chars,
        max_chars=max_chars,
    )
