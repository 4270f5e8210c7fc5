"""Labels and display of the interviews tables: readable names, suppression summary, cleaning log."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..cleaning import write_cleaning_summary
from ..fmt import Lang
from ..labels import for_analysis
from ..report import CI_LABEL, CLEANING_COLUMNS
from .common import question_label


def write_cleaning_log(df: pd.DataFrame, out_dir: str | Path, *, semester: str = "") -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`), one entry per semester's
    export, without the per-row list."""
    return write_cleaning_summary(df.attrs.get("cleaning_logs", {}), out_dir, semester=semester)


# ------------------------------------------------------------------------------------- readable tables
#: Published headers (fi, en) of this module's columns (``sosrake_lib/labels_data/interviews.yaml``).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    k: (v["fi"], v["en"]) for k, v in for_analysis("interviews").columns.items()
}


def readable(df: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename known columns to readable labels in ``lang`` (for the notebook and the .xlsx sheets).

    >>> list(readable(pd.DataFrame(columns=["semester", "top2_pct"]), "en").columns)
    ['Semester', 'Agree %']
    """
    from ..publish import label_table

    return label_table("interviews", df, lang)


def suppression_summary(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How many cells each table hides for small n (from the suppression functions' ``attrs``).

    >>> t = pd.DataFrame({"n": [1]}); t.attrs["suppressed_cells"] = 2
    >>> suppression_summary({"a": t, "b": pd.DataFrame()})["suppressed_cells"].tolist()
    [2, 0]
    """
    return pd.DataFrame(
        {
            "table": list(tables),
            "suppressed_cells": [int(t.attrs.get("suppressed_cells", 0)) for t in tables.values()],
        }
    )


# ------------------------------------------------------------------------------------------------- display
_CI = CI_LABEL

#: What the notebook shows of each table for people to read (:func:`sosrake_lib.report.display_table`):
#: ``{column or (low, high): (label_fi, label_en, kind)}``. Display only: the published tables are unchanged.
DISPLAY: dict[str, dict[Any, tuple[str, str, str]]] = {
    "cleaning": {"semester": ("Lukukausi", "Semester", "text"), **CLEANING_COLUMNS},
    "counts": {
        "semester": ("Lukukausi", "Semester", "text"),
        "n_interviews": ("Haastatteluja", "Interviews", "int"),
        "n_students": ("Haastatelleita opiskelijoita", "Interviewing students", "int"),
        "interviews_per_student": (
            "Haastatteluja opiskelijaa kohden",
            "Interviews per student",
            "num1",
        ),
    },
    "likert": {
        "label": ("Väittämä", "Statement", "text"),
        "n_valid": ("Vastauksia asteikolla", "Answers on the scale", "int"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
        "top_box_pct": ("Samaa mieltä %", "Agree %", "pct"),
        ("top_box_ci_low", "top_box_ci_high"): (*_CI, "ci_pct"),
    },
    "top2": {
        "semester": ("Lukukausi", "Semester", "text"),
        "service": ("Palvelu", "Service", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "n": ("Haastatteluja", "Interviews", "int"),
        "top2_pct": ("Samaa mieltä %", "Agree %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "mean": ("Keskiarvo\u00a0(1\u2060–\u20605)", "Mean\u00a0(1\u2060–\u20605)", "num1"),
    },
    "nps": {
        "semester": ("Lukukausi", "Semester", "text"),
        "service": ("Palvelu", "Service", "text"),
        "n": ("Haastatteluja", "Interviews", "int"),
        "nps": ("NPS", "NPS", "signed0"),
        ("ci_low", "ci_high"): (*_CI, "ci0"),
        "pct_promoters": ("Suosittelijat (9–10) %", "Promoters (9–10) %", "pct0"),
        "pct_passives": ("Passiiviset (7–8) %", "Passives (7–8) %", "pct0"),
        "pct_detractors": ("Arvostelijat (0–6) %", "Detractors (0–6) %", "pct0"),
    },
    "trend": {
        "label": ("Mittari", "Measure", "text"),
        "semesters": ("Lukukaudet", "Semesters", "text"),
        "test": ("Testi", "Test", "text"),
        "statistic": ("Testisuure", "Statistic", "num2"),
        "p_value": ("p", "p", "p"),
        "p_holm": ("p (Holm)", "p (Holm)", "p"),
        "significant": ("Trendi (Holm p < 0,05)", "Trend (Holm p < 0.05)", "bool"),
    },
    "open": {
        "semester": ("Lukukausi", "Semester", "text"),
        "theme_label": ("Teema", "Theme", "text"),
        "count": ("Mainintoja", "Mentions", "int"),
        "pct": ("Osuus vastauksista %", "Share of answers %", "pct"),
        ("ci_low", "ci_high"): (*_CI, "ci_pct"),
        "n_answers": ("Vastauksia", "Answers", "int"),
    },
    "quote_themes": {
        "question_label": ("Kysymys", "Question", "text"),
        "theme_label": ("Teema", "Theme", "text"),
    },
    "suppression": {
        "table_label": ("Taulukko", "Table", "text"),
        "suppressed_cells": ("Piilotettuja soluja", "Suppressed cells", "int"),
    },
}

#: Readable names of the notebook's tables (the suppression summary names them).
TABLE_TITLES: dict[str, tuple[str, str]] = {
    "interview_counts": ("Haastattelut lukukausittain", "Interviews by semester"),
    "interviews_per_student": ("Haastatteluja opiskelijaa kohden", "Interviews per student"),
    "service_counts": ("Haastattelut palveluittain", "Interviews by service"),
    "client_background": ("Haastateltujen tausta", "Background of the interviewed"),
    "likert_items": ("Kokemusväittämät", "Experience statements"),
    "theme_top2": ("Teemat: samaa mieltä", "Themes: agree"),
    "theme_top2_by_service": ("Teemat palveluittain", "Themes by service"),
    "nps_by_semester": ("Suositteluindeksi lukukausittain", "NPS by semester"),
    "nps_by_service": ("Suositteluindeksi palveluittain", "NPS by service"),
    "semester_comparison": (
        "Vertailu edelliseen lukukauteen",
        "Comparison with the previous semester",
    ),
    "trend": ("Trenditestit", "Trend tests"),
    "open_answer_themes": ("Avovastausten teemat", "Themes of open answers"),
}


def display_ready(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """A copy of ``table`` with the readable columns :data:`DISPLAY` names (question and table names).

    Examples
    --------
    >>> display_ready(pd.DataFrame({"table": ["trend"], "question": ["open_good"]}), "en").iloc[0].tolist()[2:]
    ['Trend tests', 'What was good in the service?']
    """
    out = table.copy()
    if "table" in out.columns:
        out["table_label"] = [
            TABLE_TITLES.get(t, (t, t))[0 if lang == "fi" else 1] for t in out["table"]
        ]
    if "question" in out.columns and "question_label" not in out.columns:
        out["question_label"] = [question_label(q, lang) for q in out["question"]]
    if "semester" in out.columns:
        out["semester"] = out["semester"].astype("string")
    return out


def cleaning_frame(logs: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """The cleaning logs of the exports (``df.attrs["cleaning_logs"]``) as one row per semester, for display.

    Examples
    --------
    >>> cleaning_frame({"2021-syksy": {"source_file": "a.csv", "raw_rows": 83, "kept": 80,
    ...                                "dropped": {"empty": 1, "test": 1, "duplicate": 1}}}).iloc[0].astype(str).tolist()
    ['2021-syksy', 'a.csv', '83', '80', '1', '1', '1']
    """
    return pd.DataFrame(
        [
            {
                "semester": s,
                "source_file": log.get("source_file", ""),
                "raw_rows": log.get("raw_rows"),
                "kept": log.get("kept"),
                **{
                    f"dropped_{k}": (log.get("dropped") or {}).get(k, 0)
                    for k in ("empty", "test", "duplicate")
                },
            }
            for s, log in logs.items()
        ]
    )
