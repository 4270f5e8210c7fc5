"""The course pilot's page: its two charts (participants through the course, feedback on course
parts) and its spec (:data:`SPEC`, ``SPECS["course"]``)."""

from __future__ import annotations

from typing import Any

from sosrake_lib.course.ranking import CLEAR_P
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
from .key_figures import _themes
from .texts import _TEXT

_GAINS = ["gain_rank_1", "gain_rank_2", "gain_rank_3"]


def _top_gain_unclear(ctx: Context) -> bool:
    """Whether the learning table says the largest gain cannot be told apart from the next (P < 0.95)."""
    for row in ctx.rows("learning"):
        if _num(row.get("gain_rank")) == 1:
            p = _num(row.get("p_top_gain"))
            return p is not None and p < CLEAR_P
    return False


def _course_themes(ctx: Context) -> list[tuple[str, str]]:
    """The largest competence gains; the first says "no clear difference" when the bootstrap cannot tell
    it from the next (the learning table's ``p_top_gain`` below 0.95)."""
    items = _themes(ctx, {"themes": _GAINS}, ctx.lang)
    if items and _top_gain_unclear(ctx):
        text, detail = items[0]
        note = (
            "ei selvää eroa seuraavaan" if ctx.lang == "fi" else "no clear difference to the next"
        )
        items[0] = (text, f"{detail} · {note}" if detail else note)
    return items


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
    "themes": _course_themes,
    "themes_title_fi": "Osaaminen kasvoi eniten",
    "themes_title_en": "Largest competence gains",
    "source_fi": "kurssin ilmoittautumiset, osaamisen itsearvio alussa ja lopussa sekä loppupalaute",
    "source_en": "course enrolments, competence self-assessment at start and end, and final feedback",
    "methods_fi": "Suoritusaste koskee koko kohorttia (ei otos), joten sillä ei ole luottamusväliä. "
    "Osaamisen muutos parittain (Wilcoxonin testi), osa-alueet Holmin korjauksella. Paras osa ja "
    "suurin kasvu nimetään vain, jos ne ovat kärjessä vähintään 95\u00a0%:ssa bootstrap-toistoista; "
    "muuten ”ei selvää eroa”. NPS = suosittelijoiden (9–10) % − arvostelijoiden (0–6) %.",
    "methods_en": "The completion rate covers the whole cohort (not a sample), so it has no confidence "
    "interval. Competence change paired (Wilcoxon test), areas Holm-corrected. The best part and the "
    "largest gain are named only when they come first in at least 95% of bootstrap replicates; "
    "otherwise \u201cno clear difference\u201d. NPS = % promoters (9–10) − % detractors (0–6).",
}
