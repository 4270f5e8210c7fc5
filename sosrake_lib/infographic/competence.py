"""The competence mapping's page: its two charts (training need by area, self-rated competence by
area; in a follow-up run the change of each area since the earlier round instead of the latter) and its spec
(:data:`SPEC`, ``SPECS["competence"]``)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from sosrake_lib.fmt import Lang, fmt_int, fmt_semester

from .chart_data import (
    Bar,
    Chart,
    Context,
    _bars_from_figures,
    _bars_from_table,
    _is_suppressed,
    _num,
)
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

#: The training-need chart rests on two scales per area (competence and importance): its note says either may
#: be the weak one, so a reader does not take a weak importance scale for weak competence answers.
_WEAK_NOTE_NEEDS = {
    "fi": "* Heikko mittari: alueen osaamis- tai tärkeysasteikon Cronbachin alfa alle rajan (kumpi, kertoo "
    "raportin luotettavuustaulukko); lue tulos väittämittäin.",
    "en": "* Weak scale: Cronbach's alpha of the area's competence or importance scale is below the threshold "
    "(the report's reliability table says which); read the result item by item.",
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
            caption += " " + _WEAK_NOTE_NEEDS[ctx.lang]
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


#: Key figures a follow-up run writes (``sosrake run competence --earlier-round``): with any of them the
#: page shows the change since the earlier round.
FOLLOWUP_FIGURES = ("followup_linked_n", "followup_did", "followup_did_unlinked")

_FOLLOWUP_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "title": "Muutos {span} osaamisalueittain (samat henkilöt)",
        "span_unknown": "edellisestä kierroksesta",
        "trained": "Koulutettu: ",
        "people": "Samat {n} henkilöä molemmilla kierroksilla",
        "people_hidden": "Samat henkilöt molemmilla kierroksilla",
        "caption": ": osaamisalueen keskiarvon muutos asteikolla 1–5; pystyviiva = ei muutosta; viiksi = "
        "95\u00a0%:n luottamusväli; oranssi = koulutettu alue. Muutosten ero (kortti ylhäällä) = koulutettujen "
        "alueiden muutos miinus muiden. Tulos on itsearvio, ei osaamisen mittaus, eikä vertailuryhmää ole: "
        "muutos ei osoita koulutuksen vaikutusta. Vain toiselle kierrokselle vastanneiden vertailu on raportissa.",
        "did_label": "Muutosten ero: koulutetut − muut alueet",
    },
    "en": {
        "title": "Change {span} by competence area (same people)",
        "span_unknown": "since the earlier round",
        "trained": "Trained: ",
        "people": "The same {n} people in both rounds",
        "people_hidden": "The same people in both rounds",
        "caption": ": change of the area's mean on the 1–5 scale; vertical rule = no change; whisker = 95% "
        "confidence interval; orange = trained area. Difference in change (card above) = the change of the "
        "trained areas minus that of the others. This is self-assessment, not a measurement of competence, and "
        "there is no control group: the change does not show an effect of the training. The report compares "
        "those who answered one round only.",
        "did_label": "Difference in change: trained − other areas",
    },
}


def _is_followup(ctx: Context) -> bool:
    """Whether the run compares with an earlier round (:data:`FOLLOWUP_FIGURES` are there)."""
    return any(ctx.fig(name) is not None for name in FOLLOWUP_FIGURES)


def _round_text(label: str, lang: Lang) -> str:
    """A round as the page writes it: ``"2020"``, ``"syksy 2022"`` (lower case inside a Finnish title).

    Examples
    --------
    >>> _round_text("2020", "fi"), _round_text("2022-syksy", "fi"), _round_text("2022-syksy", "en")
    ('2020', 'syksy 2022', 'Autumn 2022')
    """
    shown = fmt_semester(label, lang)
    return shown[:1].lower() + shown[1:] if lang == "fi" and shown != label else shown


def _followup_chart(ctx: Context) -> Chart | None:
    """The change of each area's mean between the rounds for the people who answered both (paired, the
    linked rows of ``followup_areas``): trained areas first, marked in words and in orange; a hidden row
    shows ``piilotettu``. ``None`` unless the run is a follow-up.

    The same people's change is shown rather than the comparison of those who answered one round only:
    a change between two different groups of people may come from who answered, not from anyone's
    competence changing.
    """
    if not _is_followup(ctx):
        return None
    t = _FOLLOWUP_TEXT[ctx.lang]
    where = ("linkage", "linked")
    rows = [r for r in ctx.rows("followup_areas") if str(r.get("linkage", "")).strip() == where[1]]
    bars = _bars_from_table(
        ctx,
        "followup_areas",
        "unit_label",
        "mean_change",
        low="ci_low",
        high="ci_high",
        n="n_later",
        code="unit",
        top=len(rows),
        where=where,
    )
    if not bars:
        return None
    marked: list[tuple[bool, Bar]] = []
    for r, b in zip(rows, bars, strict=True):
        trained = str(r.get("trained", "")).strip().lower() in ("true", "1")
        label = (t["trained"] if trained else "") + b.label
        marked.append((trained, dataclasses.replace(b, label=label, highlight=trained)))
    bars = [b for trained, b in marked if trained] + [b for trained, b in marked if not trained]
    ends = [abs(v) for b in bars for v in (b.value, b.ci_low, b.ci_high) if v is not None]
    half = max(0.5, math.ceil(2 * max(ends, default=0.0)) / 2)  # symmetric, in steps of 0.5
    if ctx.rounds is not None:
        span = " → ".join(_round_text(x, ctx.lang) for x in ctx.rounds)
    else:
        span = t["span_unknown"]
    linked = ctx.fig("followup_linked_n")
    n = None if linked is None or _is_suppressed(linked) else _num(linked.get("value"))
    people = t["people"].format(n=fmt_int(n, ctx.lang)) if n is not None else t["people_hidden"]
    return Chart(
        t["title"].format(span=span),
        tuple(bars),
        kind="change",
        lo=-half,
        hi=half,
        decimals=1,
        caption=people + t["caption"],
        caption_lines=3,
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
        {  # a follow-up run's headline; hidden, it keeps its tile and says so
            "name": "followup_did",
            "label_fi": _FOLLOWUP_TEXT["fi"]["did_label"],
            "label_en": _FOLLOWUP_TEXT["en"]["did_label"],
            "signed": True,
            "show_suppressed": True,
        },
        {
            "name": "strongest_area",
            "caption_fi": "Vahvin osaamisalue",
            "caption_en": "Strongest area",
            "replaced_by": "followup_did",
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
    # a follow-up run's change panel takes the place of the self-rated competence (two charts a page)
    "charts": [_competence_chart, _followup_chart, _competence_chart2],
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
