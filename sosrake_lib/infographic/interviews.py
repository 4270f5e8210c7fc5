"""The client interviews' page: its two charts (positive experiences by THL theme, what clients
missed), its key-findings list and its spec (:data:`SPEC`, ``SPECS["interviews"]``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from sosrake_lib.fmt import fmt_percent

from .chart_data import Bar, Chart, Context, _bars_from_figures, _is_suppressed, _num
from .texts import _UNCODED, _translate, period_label


def _interviews_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = [
        dataclasses.replace(b, label=_translate(t, ctx.lang))
        for t in INTERVIEW_THEMES
        for b in _bars_from_figures(ctx, [f"{t}_top2"])
    ]
    if not bars:
        return None
    return Chart(
        "Myönteiset kokemukset teemoittain (osuus 4–5 asteikolla 1–5)"
        if fi
        else "Positive experiences by theme (share 4–5 on a 1–5 scale)",
        tuple(bars),
        kind="percent",
        caption="Viiksi = 95\u00a0%:n luottamusväli (Wilson, haastattelijat huomioiden)."
        if fi
        else "Whisker = 95% confidence interval (Wilson, allowing for interviewers).",
    )


def _interviews_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    rows = [r for r in ctx.rows("open_answer_themes") if r.get("question") == "open_missing"]
    sems = sorted({str(r.get("semester", "")) for r in rows})
    latest = ctx.semester if ctx.semester in sems else (sems[-1] if sems else "")
    bars = []
    for r in rows:
        if str(r.get("semester", "")) != latest:
            continue
        v, c = _num(r.get("pct")), _num(r.get("count"))
        if (
            c == 0
            or (v is not None and v <= 0)
            or str(r.get("theme", "")).strip().lower() in _UNCODED
        ):
            continue
        suppressed = v is None or (c is not None and c < ctx.min_n)
        label = (
            str(r.get("theme_label") or "")
            if fi
            else _translate(str(r["theme"]), ctx.lang, prefer="theme")
        )
        bars.append(Bar(label, None if suppressed else v, suppressed=suppressed))
    bars.sort(key=lambda b: -(b.value if b.value is not None else -1.0))
    bars = bars[:5]
    if not bars:
        return None
    bars[0] = dataclasses.replace(bars[0], highlight=bars[0].value is not None)
    return Chart(
        "Mitä asiakkaat kaipasivat (% avovastauksista)"
        if fi
        else "What clients missed (% of open answers)",
        tuple(bars),
        kind="percent",
        caption=(
            f"Kysymys: Mitä palvelusta puuttui? {period_label(latest, 'fi')}."
            if fi
            else f"Question: what was missing from the service? {period_label(latest, 'en')}."
        ),
    )


def _interviews_themes(ctx: Context) -> list[tuple[str, str]]:
    """Strongest and weakest THL theme (share of 4–5 answers) and the theme clients missed most."""
    fi = ctx.lang == "fi"
    found = []
    for theme in INTERVIEW_THEMES:
        rec = ctx.fig(f"{theme}_top2")
        if rec is not None and not _is_suppressed(rec) and _num(rec.get("value")) is not None:
            found.append((float(_num(rec.get("value"))), theme))  # type: ignore[arg-type]
    items: list[tuple[str, str]] = []
    if len(found) >= 2:
        best, worst = max(found), min(found)
        pos = "myönteisiä" if fi else "positive"
        items.append(
            (
                _translate(best[1], ctx.lang),
                f"{'Vahvin kokemus' if fi else 'Strongest experience'} · {fmt_percent(best[0], ctx.lang)} {pos}",
            )
        )
        items.append(
            (
                _translate(worst[1], ctx.lang),
                f"{'Eniten kehitettävää' if fi else 'Most to improve'} · {fmt_percent(worst[0], ctx.lang)} {pos}",
            )
        )
    rec = ctx.fig("top_missing_theme")
    if rec is not None and isinstance(rec.get("value"), str) and not _is_suppressed(rec):
        detail = "Eniten kaivattiin avovastauksissa" if fi else "Missed most in open answers"
        pct = ctx.fig("top_missing_theme_pct")
        if pct is not None and not _is_suppressed(pct) and _num(pct.get("value")) is not None:
            detail += f" · {fmt_percent(_num(pct.get('value')), ctx.lang)}"
        items.append((_translate(rec["value"], ctx.lang, prefer="theme"), detail))
    return items


INTERVIEW_THEMES = ("saatavuus", "kohtaaminen", "turvallisuus", "tiedonsaanti", "hyodyllisyys")


SPEC: dict[str, Any] = {
    "title_fi": "Palvelukokemukset näkyväksi",
    "title_en": "Making service experiences visible",
    "subtitle_fi": "Aikuissosiaalityön asiakkaiden haastattelut",
    "subtitle_en": "Interviews with adult social work clients",
    "n": ["n_interviews"],
    "n_word_fi": "haastattelua",
    "n_word_en": "interviews",
    "big": [
        "n_interviews",
        "nps",
        "nps_change",
        "turvallisuus_top2",
        "n_students",
        "kohtaaminen_top2",
    ],
    "charts": [_interviews_chart, _interviews_chart2],
    "themes": _interviews_themes,
    "themes_title_fi": "Keskeiset havainnot",
    "themes_title_en": "Key findings",
    "source_fi": "sosionomiopiskelijoiden tekemät asiakashaastattelut (Xamk, Essote)",
    "source_en": "client interviews by social services students (Xamk, Essote)",
    "methods_fi": "THL:n asiakaspalautemalli. NPS = suosittelijoiden (9–10) % − arvostelijoiden (0–6) %, "
    "asteikko −100…100. Myönteiset = vastaukset 4–5; 95\u00a0%:n luottamusvälit Wilsonin "
    "menetelmällä ja vertailut Holmin korjauksella, kummassakin huomioiden, että saman opiskelijan "
    "haastattelut muistuttavat toisiaan (asetelmakerroin). Teemat avovastauksista koodikirjalla.",
    "methods_en": "THL client feedback model. NPS = % promoters (9–10) − % detractors (0–6), range −100…100. "
    "Positive = answers 4–5; 95% confidence intervals by Wilson and comparisons Holm-corrected, "
    "both allowing for one student's interviews being alike (design effect). Themes coded from open "
    "answers with a codebook.",
}
