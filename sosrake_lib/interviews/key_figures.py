"""Key figures of the interviews analysis (the infographic's big numbers) with their sources."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..codebook import load_instrument
from ..fmt import fmt_int, fmt_number, fmt_percent, fmt_semester, fmt_value
from ..outputs import KeyFigures, source
from ..text import load_theme_codebook
from .cluster import few_clusters_note
from .common import _TOP2_LABELS


def _design(row: Mapping[str, Any], n_col: str = "n_interviewers") -> str:
    """``"; design effect 1.08 (41 interviewers)"`` from a published row (what it shows of the two)."""
    deff, n_int = row.get("deff"), row.get(n_col)
    if deff is None or pd.isna(deff):
        return ""
    who = "" if n_int is None or pd.isna(n_int) else f" ({int(n_int)} interviewers)"
    return f"; design effect {float(deff):.2f}{who}"


def _few(row: Mapping[str, Any]) -> str:
    """The row's too-few-interviewers note in English (as key-figure notes are), or ``""``."""
    if not str(row.get("cluster_note") or ""):
        return ""
    return few_clusters_note(0, "en")


def _labels(
    instrument: str = "interviews", themes: str = "interviews"
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Id -> (Finnish, English) label of the THL themes (the codebook's areas) and of the open-answer themes
    (the theme codebook): a key figure's ``label_en`` is English whatever the language of the run's tables.

    >>> areas, themes = _labels()
    >>> areas["kohtaaminen"], themes["asuminen"]
    (('Kohtaaminen ja osallistuminen', 'Being met and involved'), ('Asuminen', 'Housing'))
    """
    inst = load_instrument(instrument)
    areas = {str(a): (inst.area_label(a, "fi"), inst.area_label(a, "en")) for a in inst.areas}
    book = load_theme_codebook(themes)
    return areas, {t.id: (t.label_fi, t.label_en) for t in book.themes}


def _period(semester: Any) -> tuple[str, str]:
    """A semester as people read it, in Finnish and English (``('Syksy 2022', 'Autumn 2022')``)."""
    return fmt_semester(semester, "fi"), fmt_semester(semester, "en")


# ---------------------------------------------------------------------------------------- key figures
def build_key_figures(
    *,
    counts: pd.DataFrame,
    top2: pd.DataFrame,
    nps_sem: pd.DataFrame,
    comparison: pd.DataFrame,
    open_freq: pd.DataFrame,
    semester: str,
    lang_question: str = "open_missing",
    agreement: pd.DataFrame | None = None,
) -> KeyFigures:
    """The key figures of the run's ``semester`` (the latest one) for the infographic.

    ``n_interviews``, ``n_students``, ``nps`` (with CI), ``nps_change`` (vs the previous semester, with the
    variance-sum CI), ``<theme>_top2`` for each THL theme, ``<theme>_change`` (verdict of the theme mean), and
    ``top_missing_theme`` / ``top_missing_theme_pct`` (most frequent theme in "what help did you miss").
    Labels are built with :mod:`sosrake_lib.fmt`; no free text from answers is ever a key figure.

    With ``agreement`` (:func:`sosrake_lib.coding.publish.agreement_table` of a coded worksheet), a theme
    marked uncertain (kappa below the bound) is never ``top_missing_theme``: the most frequent theme that
    passes is, and when none passes the figure says so (value empty). ``coding_agreement`` is then the mean
    of the themes' kappas (codebook vs the human coder), with the uncertain themes named in its label.
    """
    kf = KeyFigures()
    labels, open_labels = _labels()
    sem_fi, sem_en = _period(semester)
    row = counts[counts["semester"] == semester].iloc[0]
    n_int = None if pd.isna(row["n_interviews"]) else int(row["n_interviews"])
    n_stu = None if pd.isna(row["n_students"]) else int(row["n_students"])
    kf.add(
        "n_interviews",
        n_int,
        "n",
        n=n_int,
        method="count of interviews after cleaning",
        label_fi=f"{fmt_int(n_int, 'fi')} haastattelua ({sem_fi})",
        label_en=f"{fmt_int(n_int, 'en')} interviews ({sem_en})",
        suppressed=n_int is None,
        source=source("interview_counts", "n_interviews", semester=semester),
    )
    kf.add(
        "n_students",
        n_stu,
        "n",
        n=n_stu,
        method="distinct pseudonymised interviewers",
        label_fi=f"{fmt_int(n_stu, 'fi')} sosionomiopiskelijaa haastatteli",
        label_en=f"{fmt_int(n_stu, 'en')} sosionomi students interviewed",
        suppressed=n_stu is None,
        source=source("interview_counts", "n_students", semester=semester),
    )
    r = nps_sem[nps_sem["semester"] == semester].iloc[0]
    ok = not pd.isna(r["nps"])
    kf.add(
        "nps",
        round(float(r["nps"])) if ok else None,
        "NPS",
        n=None if pd.isna(r["n"]) else int(r["n"]),
        ci_low=None if pd.isna(r["ci_low"]) else float(r["ci_low"]),
        ci_high=None if pd.isna(r["ci_high"]) else float(r["ci_high"]),
        method="NPS = % 9-10 minus % 0-6 (THL/Reichheld); "
        + str(r.get("ci_method", "adjusted-Wald 95 % CI (Rocks 2016)"))
        + _design(r),
        note=_few(r),
        label_fi=f"Suositteluindeksi (NPS) {fmt_value(r['nps'], 'NPS', 'fi')}",
        label_en=f"Net Promoter Score {fmt_value(r['nps'], 'NPS', 'en')}",
        suppressed=not ok,
        source=source("nps_by_semester", "nps", semester=semester),
    )
    if len(comparison):
        c = comparison[comparison["family"] == "nps"].iloc[0]
        shown = not pd.isna(c["difference"])  # hidden when an NPS alone gives its groups away
        d = float(c["difference"]) if shown else math.nan
        hidden_test = pd.isna(
            c["p_value"]
        )  # a small NPS group: the interval and test would give it back
        kf.add(
            "nps_change",
            round(d) if shown else None,
            "NPS points",
            n=int(min(c["n_before"], c["n_after"])),
            ci_low=None if pd.isna(c["ci_low"]) else float(c["ci_low"]),
            ci_high=None if pd.isna(c["ci_high"]) else float(c["ci_high"]),
            method=f"{c['ci_method']}; {c['cluster_test']}"
            + ("" if hidden_test else f", p = {c['p_cluster']:.3g}")
            + _design(c, "n_interviewers_after"),
            note="interval and test suppressed: a small NPS group" if hidden_test else _few(c),
            label_fi=f"NPS {c['verdict_fi']}: {fmt_value(d, 'NPS', 'fi')} pistettä "
            f"({_period(c['before'])[0]} → {_period(c['after'])[0]})",
            label_en=f"NPS {c['verdict_en']}: {fmt_value(d, 'NPS', 'en')} points "
            f"({_period(c['before'])[1]} → {_period(c['after'])[1]})",
            source=source("semester_comparison", "difference", family="nps", measure="nps"),
            suppressed=not shown,
        )
    t = top2[top2["semester"] == semester]
    for rec in t.to_dict(orient="records"):
        theme = rec["theme"]
        hidden = pd.isna(rec["top2_pct"])
        pct = None if hidden else float(rec["top2_pct"])
        own = labels.get(theme, (rec["theme_label"], rec["theme_label"]))
        fi_t, en_t = _TOP2_LABELS.get(theme, ("{pct}: " + own[0], "{pct}: " + own[1]))
        kf.add(
            f"{theme}_top2",
            None if hidden else round(pct),
            "%",
            n=None if pd.isna(rec["n"]) else int(rec["n"]),
            ci_low=None if hidden else float(rec["ci_low"]),
            ci_high=None if hidden else float(rec["ci_high"]),
            method=rec["method"] + _design(rec),
            note=_few(rec),
            label_fi=fi_t.format(pct=fmt_percent(pct, "fi")),
            label_en=en_t.format(pct=fmt_percent(pct, "en")),
            suppressed=hidden,
            source=source("theme_top2", "top2_pct", semester=semester, theme=theme),
        )
    if len(comparison):
        for rec in comparison[comparison["family"] == "theme_score"].to_dict(orient="records"):
            shown = not pd.isna(rec["effect_size"]) and not pd.isna(rec["p_holm_cluster"])
            ns = [rec["n_before"], rec["n_after"]]
            few = _few(rec)
            kf.add(  # the value is the tested statistic (r), whose sign the verdict follows
                f"{rec['measure']}_change",
                round(float(rec["effect_size"]), 2) if shown else None,
                "rank-biserial r",
                n=None if any(pd.isna(v) for v in ns) else int(min(ns)),
                method=f"{rec['cluster_test']}; Holm across the five themes, "
                f"p_holm = {rec['p_holm_cluster']:.3g}; {rec['effect_size_name']}"
                f"{_design(rec, 'n_interviewers_after')}"
                if shown
                else f"{rec['cluster_test']}; Holm across themes; figures suppressed (small cells)",
                label_fi=f"{labels.get(rec['measure'], (rec['label'],))[0]}: {rec['verdict_fi']}",
                label_en=f"{labels.get(rec['measure'], ('', rec['label']))[1]}: {rec['verdict_en']}",
                note=rec["verdict_en"] + (f"; {few}" if few else ""),
                suppressed=not shown,
                source=source(
                    "semester_comparison",
                    "difference",
                    family="theme_score",
                    measure=rec["measure"],
                ),
            )
    f = open_freq[
        (open_freq["question"] == lang_question)
        & (open_freq["semester"] == semester)
        & (open_freq["theme"] != "uncoded")
    ].dropna(subset=["pct"])
    if agreement is not None:
        _agreement_figure(kf, agreement, open_labels)
        from ..coding.publish import passing_themes

        passing = passing_themes(agreement) or set()
        if len(f) and not f["theme"].astype(str).isin(passing).any():
            bound_fi = fmt_number(agreement.attrs.get("kappa_bound", 0.6), "fi", 2)
            bound_en = fmt_number(agreement.attrs.get("kappa_bound", 0.6), "en", 2)
            kf.add(
                "top_missing_theme",
                None,
                "theme",
                n=int(f["n_answers"].iloc[0]),
                method="most frequent theme of 'Millaista apua jäit kaipaamaan?' whose coding agreement "
                "passes the kappa bound",
                label_fi=f"Yksikään kaivatun avun teema ei läpäissyt luokittelun luotettavuusrajaa "
                f"(kappa ≥ {bound_fi})",
                label_en=f"No theme of missed help passed the coding-agreement bound (kappa ≥ {bound_en})",
                note="no theme passes the coding-agreement bound",
            )
            return kf
        f = f[f["theme"].astype(str).isin(passing)]
    if len(f):
        best = f.sort_values(["pct", "theme"], ascending=[False, True]).iloc[0]
        pct = float(best["pct"])
        n_ans = int(best["n_answers"])
        lab_fi, lab_en = open_labels.get(
            str(best["theme"]), (best["theme_label"], best["theme_label"])
        )
        kf.add(
            "top_missing_theme",
            str(best["theme"]),
            "theme",
            n=n_ans,
            method="most frequent theme of 'Millaista apua jäit kaipaamaan?' (theme codebook 'interviews')",
            label_fi=f"Eniten kaivattiin apua: {lab_fi.lower()} ({fmt_percent(pct, 'fi')} vastauksista)",
            label_en=f"Most missed help: {lab_en.lower()} ({fmt_percent(pct, 'en')} of answers)",
            source=source(
                "open_answer_themes",
                "theme",
                question=lang_question,
                semester=semester,
                theme=str(best["theme"]),
            ),
        )
        kf.add(
            "top_missing_theme_pct",
            round(pct),
            "%",
            n=n_ans,
            ci_low=float(best["ci_low"]),
            ci_high=float(best["ci_high"]),
            method="share of non-empty answers; Wilson 95 % CI",
            label_fi=f"{fmt_percent(pct, 'fi')} kaipasi apua: {lab_fi.lower()}",
            label_en=f"{fmt_percent(pct, 'en')} missed help: {lab_en.lower()}",
            source=source(
                "open_answer_themes",
                "pct",
                question=lang_question,
                semester=semester,
                theme=str(best["theme"]),
            ),
        )
    return kf


def _agreement_figure(
    kf: KeyFigures, agreement: pd.DataFrame, open_labels: dict[str, tuple[str, str]]
) -> None:
    from ..coding.publish import add_agreement_figure

    add_agreement_figure(kf, agreement, open_labels)
