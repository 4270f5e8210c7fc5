"""The competence mapping's page: its two charts (training need by area, self-rated competence by
area) and its spec (:data:`SPEC`, ``SPECS["competence"]``)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from .chart_data import Bar, Chart, Context, _bars_from_figures, _bars_from_table
from .texts import _label_lookup, _translate

#: Put before the label of an area whose scale is weak (Cronbach's alpha below the run's threshold): in
#: front, because a long label is shortened with "…" at its end, which would cut a mark there off.
WEAK_MARK = "* "
_WEAK_NOTE = {
    "fi": "* Heikko mittari: Cronbachin alfa alle rajan; alueen väittämät eivät mittaa yhtä asiaa "
    "yhtenäisesti, joten lue tulos väittämittäin.",
    "en": "* Weak scale: Cronbach's alpha below the threshold; the area's statements do not measure one "
    "thing consistently, so read the result item by item.",
}


def _weak_labels(ctx: Context, key: str, where: tuple[str, str] | None = None) -> set[str]:
    """Bar labels (as :func:`_bars_from_table` writes them) of the areas the table marks ``weak_scale``."""
    out = set()
    for r in ctx.rows(key):
        if where is not None and str(r.get(where[0], "")).strip() != where[1]:
            continue
        if str(r.get("weak_scale", "")).strip().lower() in ("true", "1"):
            code = str(r.get("area", "")).strip()
            lab = code if code in _label_lookup() else str(r.get("area_label", ""))
            out.add(_translate(lab, ctx.lang))
    return out


def _mark_weak(bars: Sequence[Bar], weak: set[str]) -> list[Bar]:
    """The bars, :data:`WEAK_MARK` put before the labels in ``weak``."""
    return [
        dataclasses.replace(b, label=WEAK_MARK + b.label) if b.label in weak else b for b in bars
    ]


def _marked(bars: Sequence[Bar]) -> bool:
    return any(b.label.startswith(WEAK_MARK) for b in bars)


def _competence_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx,
        "development_needs",
        "area_label",
        "mwds",
        low="mwds_ci_low",
        high="mwds_ci_high",
        n="n",
        code="area",
        sort_desc=True,
        top=7,
        highlight_top=3,
    )
    if bars:
        bars = _mark_weak(bars, _weak_labels(ctx, "development_needs"))
        whisker = any(b.ci_low is not None for b in bars)
        caption = (
            (
                "Suurempi luku = suurempi ero tärkeyden ja osaamisen välillä; oranssi = kolme suurinta"
                + ("; viiksi = 95\u00a0%:n luottamusväli." if whisker else ".")
            )
            if fi
            else (
                "Higher = larger gap between importance and competence; orange = top three"
                + ("; whisker = 95% confidence interval." if whisker else ".")
            )
        )
        if _marked(bars):
            caption += " " + _WEAK_NOTE[ctx.lang]
        top = max(max(b.ci_high or 0 for b in bars), max(b.value or 0 for b in bars))
        return Chart(
            "Koulutustarve osaamisalueittain (Borichin MWDS)"
            if fi
            else "Training need by competence area (Borich MWDS)",
            tuple(bars),
            kind="score",
            lo=0.0,
            hi=float(math.ceil(top)),
            decimals=1,
            caption=caption,
        )
    names = [f"need_rank_{i}" for i in range(1, 4)]
    bars = _bars_from_figures(ctx, names)
    bars = [b for b in bars if b.value is not None or b.suppressed]
    weak = {
        ctx.label(rec)
        for rec in (ctx.fig(n) for n in names)
        if rec and "weak_scale=" in str(rec.get("note") or "")
    }
    bars = _mark_weak(bars, weak)
    if bars:
        return Chart(
            "Suurimmat koulutustarpeet (Borichin MWDS)"
            if fi
            else "Largest training needs (Borich MWDS)",
            tuple(bars),
            kind="score",
            lo=0.0,
            hi=max(5.0, max(b.value or 0 for b in bars)),
            decimals=1,
            caption=_WEAK_NOTE[ctx.lang] if weak else "",
        )
    return None


def _competence_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx,
        "area_scores",
        "area_label",
        "mean",
        low="ci_low",
        high="ci_high",
        n="n",
        code="area",
        top=7,
        where=("role", "competence"),
    )
    if not bars:
        return None
    bars = _mark_weak(bars, _weak_labels(ctx, "area_scores", ("role", "competence")))
    return Chart(
        "Oma osaaminen osaamisalueittain (1–5)" if fi else "Self-rated competence by area (1–5)",
        tuple(bars),
        kind="score",
        lo=1.0,
        hi=5.0,
        decimals=1,
        caption=_WEAK_NOTE[ctx.lang] if _marked(bars) else "",
    )


SPEC: dict[str, Any] = {
    "title_fi": "Rakenteellisen sosiaalityön osaaminen aikuissosiaalipalveluissa",
    "title_en": "Structural social work competence in adult social services",
    "subtitle_fi": "Osaamiskartoitus",
    "subtitle_en": "Competence mapping",
    "n": ["n_respondents"],
    "n_word_fi": "vastaajaa",
    "n_word_en": "respondents",
    "big": [
        "n_respondents",
        ("response_rate", 1),
        {
            "name": "strongest_area",
            "caption_fi": "Vahvin osaamisalue",
            "caption_en": "Strongest area",
        },
        {
            "name": "weakest_area",
            "caption_fi": "Heikoin osaamisalue",
            "caption_en": "Weakest area",
        },
        {
            "name": "need_rank_1",
            "caption_fi": "Suurin koulutustarve",
            "caption_en": "Largest training need",
        },
    ],
    "charts": [_competence_chart, _competence_chart2],
    "themes": ["need_rank_1", "need_rank_2", "need_rank_3"],
    "themes_title_fi": "Suurimmat koulutustarpeet",
    "themes_title_en": "Largest training needs",
    "source_fi": "sähköinen osaamiskartoitus aikuissosiaalipalvelujen työntekijöille ja esihenkilöille",
    "source_en": "online competence self-assessment of adult social services staff and supervisors",
    "methods_fi": "Koulutustarpeet Borichin mallilla (tärkeyden ja osaamisen painotettu erotus, MWDS). "
    "Osuuksien 95\u00a0%:n luottamusvälit Wilsonin menetelmällä; useat vertailut Holmin korjauksella "
    "taustamuuttujittain. Vastanneiden osuus kohderyhmästä on laskettu koko kohderyhmästä, ei otoksesta, "
    "joten sillä ei ole luottamusväliä. * = heikko mittari (Cronbachin alfa alle rajan). "
    "”En osaa sanoa” on laskettu, mutta jätetty keskiarvojen ulkopuolelle.",
    "methods_en": "Training needs by the Borich model (weighted gap between importance and competence, MWDS). "
    "95% confidence intervals for proportions by Wilson; multiple comparisons Holm-corrected per grouping. "
    "The response rate counts the whole target group, not a sample, so it has no confidence interval. "
    "* = weak scale (Cronbach's alpha below the threshold). "
    "“Don't know” is counted but left out of means.",
}
