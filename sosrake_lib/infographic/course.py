"""The course pilot's page: its two charts (participants through the course, feedback on course
parts) and its spec (:data:`SPEC`, ``SPECS["course"]``)."""

from __future__ import annotations

from typing import Any

from sosrake_lib.fmt import fmt_percent

from .chart_data import (
    Bar,
    Chart,
    Context,
    _bars_from_figures,
    _bars_from_table,
    _is_suppressed,
    _num,
)
from .texts import _TEXT


def _course_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    steps = [
        ("enrolled", "Ilmoittautui", "Enrolled"),
        ("started", "Aloitti", "Started"),
        ("completed", "Suoritti", "Completed"),
    ]
    base = _num((ctx.fig("enrolled") or {}).get("value"))
    bars = []
    for name, lab_fi, lab_en in steps:
        rec = ctx.fig(name)
        if rec is None:
            continue
        v = _num(rec.get("value"))
        pct = None if (v is None or not base) else 100 * v / base
        note = (
            ""
            if pct is None or name == "enrolled"
            else _TEXT[ctx.lang]["pct_of"].format(pct=fmt_percent(pct, ctx.lang, 1))
        )
        bars.append(Bar(lab_fi if fi else lab_en, v, suppressed=_is_suppressed(rec), note=note))
    if len(bars) < 2:
        return None
    hi = max((b.value or 0) for b in bars) or 1.0
    return Chart(
        "Osallistujat kurssin aikana" if fi else "Participants through the course",
        tuple(bars),
        kind="count",
        lo=0.0,
        hi=hi,
    )


def _course_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx, "feedback_parts", "part_label", "mean", low="ci_low", high="ci_high", n="n", top=7
    )
    if bars:
        return Chart(
            "Palaute kurssin osista (keskiarvo 1–5)"
            if fi
            else "Feedback on course parts (mean 1–5)",
            tuple(bars),
            kind="score",
            lo=1.0,
            hi=5.0,
            decimals=1,
        )
    bars = _bars_from_figures(ctx, [f"gain_rank_{i}" for i in range(1, 4)])
    bars = [b for b in bars if b.value is not None or b.suppressed]
    if not bars:
        return None
    return Chart(
        "Suurimmat osaamisen muutokset (mediaani, 1–5)"
        if fi
        else "Largest competence gains (median, 1–5)",
        tuple(bars),
        kind="score",
        lo=0.0,
        hi=max(2.0, max(b.value or 0 for b in bars)),
        decimals=1,
    )


SPEC: dict[str, Any] = {
    "title_fi": "Rakenteellisen sosiaalityön koulutuspilotti",
    "title_en": "Structural social work course pilot",
    "subtitle_fi": "Kurssin arviointi (5 op)",
    "subtitle_en": "Course evaluation (5 ECTS)",
    "n": ["enrolled"],
    "n_word_fi": "ilmoittautunutta",
    "n_word_en": "enrolled",
    "big": ["enrolled", "completed", ("completion_rate", 1), "nps", "best_part", "n_pairs"],
    "charts": [_course_chart, _course_chart2],
    "themes": ["gain_rank_1", "gain_rank_2", "gain_rank_3"],
    "themes_title_fi": "Osaaminen kasvoi eniten",
    "themes_title_en": "Largest competence gains",
    "source_fi": "kurssin ilmoittautumiset, osaamisen itsearvio alussa ja lopussa sekä loppupalaute",
    "source_en": "course enrolments, competence self-assessment at start and end, and final feedback",
    "methods_fi": "Suoritusosuuden 95\u00a0%:n luottamusväli Wilsonin menetelmällä. Osaamisen muutos parittain "
    "(Wilcoxonin merkittyjen sijalukujen testi), osa-alueet Holmin korjauksella. "
    "NPS = suosittelijoiden (9–10) % − arvostelijoiden (0–6) %.",
    "methods_en": "95% confidence interval of the completion rate by Wilson. Competence change paired "
    "(Wilcoxon signed-rank test), areas Holm-corrected. NPS = % promoters (9–10) − % "
    "detractors (0–6).",
}
