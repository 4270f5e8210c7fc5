"""Publishing plumbing of the competence analysis: published headers (:func:`localise`), the
cleaning log, the Likert figure of an area, the suppression summary and what the notebook shows of
each table (:data:`DISPLAY`, :data:`TABLE_TITLES`, :func:`display_ready`, :func:`cleaning_frame`).
No statistics."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cleaning import write_cleaning_summary
from ..codebook import Instrument
from ..fmt import Lang
from ..labels import for_analysis
from ..report import CI_LABEL, CLEANING_COLUMNS
from ..settings import MIN_N
from .items import likert_percentages
from .texts import TEXTS, _grouping_label, text

#: Published headers of this module's columns (``sosrake_lib/labels_data/competence.yaml``).
_COLUMNS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in for_analysis("competence").columns.items()
}


def localise(table: pd.DataFrame, lang: Lang = "fi") -> pd.DataFrame:
    """Rename this module's column names to readable Finnish (default) or English headers.

    Columns this module does not know keep their name (e.g. answer labels, which are already readable).

    Examples
    --------
    >>> t = pd.DataFrame({"area_label": ["Sosiaalinen raportointi"], "mean": [2.5], "n": [118]})
    >>> list(localise(t).columns), list(localise(t, "en").columns)
    (['Osaamisalue', 'Keskiarvo', 'n'], ['Competence area', 'Mean', 'n'])
    """
    from ..publish import label_table

    return label_table("competence", table, lang)


def write_cleaning_log(
    summaries: Sequence[Mapping[str, Any]], out_dir: str | os.PathLike[str], *, semester: str = ""
) -> Path:
    """Write ``cleaning_log.json`` (:func:`sosrake_lib.cleaning.write_cleaning_summary`; the export is keyed
    ``"export"``, further files ``"export_2"``, ...)."""
    keys = ["export" if i == 0 else f"export_{i + 1}" for i in range(len(summaries))]
    return write_cleaning_summary(
        dict(zip(keys, summaries, strict=True)), out_dir, semester=semester
    )


def likert_area_figure(
    dist: pd.DataFrame, inst: Instrument, area: str, *, lang: Lang = "fi", min_n: int = MIN_N
) -> Any:
    """Diverging stacked bars of one area's items: competence above, importance below (or the attitude
    items alone), "En osaa sanoa" drawn apart (:func:`sosrake_lib.plots.likert_diverging`).

    Give it the published frame (:func:`suppress_answer_counts`): hidden answer counts are then not drawn,
    so the bars cannot be measured to recover them. Returns the matplotlib Figure (the caller saves and
    closes it).
    """
    from ..plots import likert_diverging, new_figure

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
