"""The competence mapping's page: its two charts (training need by area, self-rated competence by
area) and its spec (:data:`SPEC`, ``SPECS["competence"]``)."""

from __future__ import annotations

import math
from typing import Any

from .chart_data import Chart, Context, _bars_from_figures, _bars_from_table


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
    bars = _bars_from_figures(ctx, [f"need_rank_{i}" for i in range(1, 4)])
    bars = [b for b in bars if b.value is not None or b.suppressed]
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
    return Chart(
        "Oma osaaminen osaamisalueittain (1–5)" if fi else "Self-rated competence by area (1–5)",
        tuple(bars),
        kind="score",
        lo=1.0,
        hi=5.0,
        decimals=1,
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
    "Osuuksien 95\u00a0%:n luottamusvälit Wilsonin menetelmällä; useat vertailut Holmin korjauksella. "
    "”En osaa sanoa” on laskettu, mutta jätetty keskiarvojen ulkopuolelle.",
    "methods_en": "Training needs by the Borich model (weighted gap between importance and competence, MWDS). "
    "95% confidence intervals for proportions by Wilson; multiple comparisons Holm-corrected. "
    "“Don't know” is counted but left out of means.",
}
