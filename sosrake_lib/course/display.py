"""Publishing plumbing of the course tables: column and table labels, the suppression summary, the
publish step, the cleaning log and what the notebook displays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..cleaning import write_cleaning_summary
from ..fmt import Lang
from ..labels import for_analysis
from ..report import CI_LABEL, CLEANING_COLUMNS
from ..settings import MIN_N

#: Readable column names of the published tables (machine name -> fi / en).
#: Published headers of this module's columns (``sosrake_lib/labels_data/course.yaml``).
COLUMN_LABELS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").columns.items()
}

#: File and sheet names of the published tables (key -> fi / en).
TABLE_NAMES: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("course").tables.items()
}


def write_cleaning_log(
    logs: Mapping[str, Mapping[str, Any]], out_dir: str | Path, *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`, keyed by the file's role:
    enrolment, pre, post, feedback, baseline)."""
    return write_cleaning_summary(logs, out_dir, semester=semester)


def localise(table: pd.DataFrame, lang: Lang = "fi", *, drop: Sequence[str] = ()) -> pd.DataFrame:
    """The table with readable column names in ``lang`` (:data:`COLUMN_LABELS`); ``drop`` removes columns.

    Examples
    --------
    >>> list(localise(pd.DataFrame({"step_label": ["x"], "n": [1], "pct": [5.0]}), "en").columns)
    ['Step', 'n', '% of enrolled']
    """
    from ..publish import label_table

    return label_table("course", table, lang, drop=drop)


# ------------------------------------------------------------------------------------------------ publishing
def suppression_summary(
    tables: Mapping[str, pd.DataFrame], *, min_n: int, lang: Lang = "fi"
) -> pd.DataFrame:
    """Which published table had cells hidden by the small-cell rule, and how many.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"funnel": t}, min_n=5, lang="en").values.tolist()
    [['completion_funnel', 2, 5]]
    """
    rows = [
        {
            "table": TABLE_NAMES.get(k, {}).get(lang, k),
            "suppressed_cells": int(t.attrs.get("suppressed_cells", 0)),
            "min_n": min_n,
        }
        for k, t in tables.items()
    ]
    out = pd.DataFrame(rows, columns=["table", "suppressed_cells", "min_n"])
    return out.set_axis([COLUMN_LABELS[c][lang] for c in out.columns], axis=1)


#: Machine-code columns the course tables leave out (their readable label columns stay).
CODE_COLUMNS = ("area", "part", "item", "question", "theme", "term", "step", "status", "file")


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    min_n: int = MIN_N,
    lang: Lang = "fi",
    drop: Sequence[str] = CODE_COLUMNS,
) -> list[Path]:
    """The tables plus a table of how many cells each one had suppressed, written by
    :func:`sosrake_lib.publish.publish_tables` (names and columns in ``lang``; ``drop`` left out)."""
    from ..publish import publish_tables as publish
    from ..settings import Settings

    named = {**tables, "suppression": suppression_summary(tables, min_n=min_n, lang=lang)}
    return publish("course", named, out_dir, Settings(min_n=min_n, lang=lang), drop=drop)


# ------------------------------------------------------------------------------------------------- display
_CI = CI_LABEL
_FILE_LABELS = {
    "enrolment": ("Ilmoittautumisrekisteri", "Enrolment register"),
    "pre": ("Alkukysely", "Pre-course survey"),
    "post": ("Loppukysely", "Post-course survey"),
    "feedback": ("Palautekysely", "Feedback survey"),
    "baseline": ("Osaamiskartoitus 2020", "Competence mapping 2020"),
}

#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = {
    "cleaning": {"file_label": ("Aineisto", "Data", "text"), **CLEANING_COLUMNS},
    "funnel": {
        "step_label": ("Vaihe", "Step", "text"),
        "n": ("Henkilöitä", "People", "int"),
        "pct": ("% ilmoittautuneista", "% of enrolled", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "pct_of_previous": ("% edellisestä vaiheesta", "% of previous step", "pct"),
    },
    "completion": {
        "label": ("Ryhmä", "Group", "text"),
        "n": ("Ilmoittautuneita", "Enrolled", "int"),
        "completed": ("Suoritti", "Completed", "int"),
        "not_completed": ("Ei suorittanut", "Did not complete", "int"),
        "pct_completed": ("Suorittaneita %", "Completed %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
    },
    "model": {
        "term_label": ("Selittäjä (vertailuryhmä)", "Term (reference)", "text"),
        "n": ("n", "n", "int"),
        "odds_ratio": ("Vetosuhde (OR)", "Odds ratio", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "p_value": ("p", "p", "p"),
    },
    "pairs": {
        "status_label": ("Osallistuja", "Participant", "text"),
        "enrolled": ("Ilmoittautui", "Enrolled", "int"),
        "answered_pre": ("Vastasi alkukyselyyn", "Answered pre", "int"),
        "answered_post": ("Vastasi loppukyselyyn", "Answered post", "int"),
        "paired": ("Pari (molemmat)", "Paired (both)", "int"),
        "pre_only": ("Vain alkukysely", "Pre only", "int"),
        "post_only": ("Vain loppukysely", "Post only", "int"),
    },
    "learning": {
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "n_pairs": ("Pareja", "Pairs", "int"),
        "n_increase": ("Nousi", "Increased", "int"),
        "n_decrease": ("Laski", "Decreased", "int"),
        "n_zero": ("Ei muutosta", "No change", "int"),
        "median_pre": ("Mediaani ennen", "Median before", "num2"),
        "median_post": ("Mediaani jälkeen", "Median after", "num2"),
        "median_change": ("Muutoksen mediaani", "Median change", "num2"),
        ("median_change_ci_low", "median_change_ci_high"): (*_CI, "ci2"),
        "effect_size": ("Efektikoko r", "Effect size r", "num2"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Muutos (Holm p < 0,05)", "Change (Holm p < 0.05)", "bool"),
        "gain_rank": ("Kasvun sija", "Gain rank", "int"),
    },
    "feedback_items": {
        "item_label": ("Väittämä", "Statement", "text"),
        "part_label": ("Osa-alue", "Part", "text"),
        "n_total": ("Vastauksia", "Answers", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
        "top_box_pct": ("Hyvin tai erittäin hyvin %", "Well or very well %", "pct"),
        ("top_box_ci_low", "top_box_ci_high"): (*_CI, "ci_pct"),
    },
    "feedback_parts": {
        "rank": ("Sija", "Rank", "int"),
        "part_label": ("Osa-alue", "Part", "text"),
        "n": ("Vastaajia", "Respondents", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num2"),
        ("ci_low", "ci_high"): (*_CI, "ci2"),
        "sd": ("Keskihajonta", "SD", "num2"),
        "median": ("Mediaani", "Median", "num1"),
    },
    "nps": {
        "nps": ("NPS", "NPS", "signed0"),
        ("ci_low", "ci_high"): (*_CI, "ci0"),
        "n": ("Vastaajia", "Respondents", "int"),
        "promoters": ("Suosittelijat (9–10)", "Promoters (9–10)", "int"),
        "passives": ("Passiiviset (7–8)", "Passives (7–8)", "int"),
        "detractors": ("Arvostelijat (0–6)", "Detractors (0–6)", "int"),
    },
    "themes": {
        "question_label": ("Kysymys", "Question", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "count": ("Mainintoja", "Mentions", "int"),
        "pct_answered": ("% vastanneista", "% of answers", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "n_answered": ("Vastanneita", "Answered", "int"),
    },
    "baseline": {
        "area_label": ("Osaamisalue", "Competence area", "text"),
        "n_baseline": ("n 2020", "n 2020", "int"),
        "mean_baseline": ("Keskiarvo 2020", "Mean 2020", "num2"),
        ("mean_baseline_ci_low", "mean_baseline_ci_high"): (
            "2020: 95 %:n LV",
            "2020: 95% CI",
            "ci2",
        ),
        "n_course": ("n kurssi", "n course", "int"),
        "mean_course": ("Keskiarvo kurssin alussa", "Mean at course start", "num2"),
        ("mean_course_ci_low", "mean_course_ci_high"): (
            "Kurssi: 95 %:n LV",
            "Course: 95% CI",
            "ci2",
        ),
        "effect_size": ("Efektikoko r", "Effect size r", "num2"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Ero (Holm p < 0,05)", "Difference (Holm p < 0.05)", "bool"),
    },
}


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (the data set of a cleaning row).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"file": ["pre"]}), "en")["file_label"].tolist()
    ['Pre-course survey']
    """
    out = table.copy()
    if "file" in out.columns:
        out["file_label"] = [
            _FILE_LABELS.get(f, (f, f))[0 if lang == "fi" else 1] for f in out["file"]
        ]
    return out
