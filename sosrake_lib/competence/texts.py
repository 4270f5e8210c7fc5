"""Texts and codebook labels shared by the competence analysis: the figure titles and axis texts
(:data:`TEXTS`, :func:`text`) and the lookups that label a category or a grouping variable from the
instrument (used by the statistics and by :mod:`.display`)."""

from __future__ import annotations

from typing import Any

from ..codebook import Instrument
from ..fmt import Lang

#: Figure titles and axis texts in both languages (used by the notebook).
TEXTS: dict[str, dict[str, str]] = {
    "area_means": {"fi": "Osaaminen osaamisalueittain", "en": "Competence by area"},
    "needs": {"fi": "Koulutustarve osaamisalueittain", "en": "Training need by area"},
    "quadrant": {
        "fi": "Tärkeys ja osaaminen osaamisalueittain",
        "en": "Importance and competence by area",
    },
    "themes": {
        "fi": "Millaista tukea tarvitset rakenteelliseen työhön?",
        "en": "What support do you need for structural work?",
    },
    "themes_axis": {
        "fi": "% vastanneista (jana = 95 %:n luottamusväli)",
        "en": "% of those answering (whisker = 95% confidence interval)",
    },
    "alpha_flag": {"fi": "(alfa < 0,6)", "en": "(alpha < 0.6)"},
    "competence": {"fi": "Osaaminen", "en": "Competence"},
    "importance": {"fi": "Tärkeys omassa työssä", "en": "Importance in own work"},
    "attitude": {"fi": "Rakenteellisen työn edellytykset", "en": "Conditions for structural work"},
    "mean": {
        "fi": "Keskiarvo 1–5 (jana = 95 %:n luottamusväli)",
        "en": "Mean 1–5 (whisker = 95% confidence interval)",
    },
    "mwds": {
        "fi": "Borichin MWDS: suurempi = suurempi koulutustarve (jana = 95 %:n LV)",
        "en": "Borich MWDS: larger = larger training need (whisker = 95% CI)",
    },
    "suppression_rule": {
        "fi": "Solu, joka kuvaa 1–{n} henkilöä, on piilotettu; lisäksi toissijainen piilotus",
        "en": "A cell describing 1–{n} people is hidden; plus secondary suppression",
    },
}


def text(key: str, lang: Lang = "fi") -> str:
    """A figure title or axis text from :data:`TEXTS` in ``lang``.

    >>> text("competence", "en")
    'Competence'
    """
    return TEXTS[key][lang]


def _category_label(inst: Instrument, item_id: str, code: Any, lang: Lang) -> str:
    scale = inst.item(item_id).scale
    if scale is not None and code in scale.codes:
        return scale.codes[code][lang]
    return str(code)


def _grouping_label(inst: Instrument, item_id: str, lang: Lang) -> str:
    return inst.item(item_id).text(lang)


def _codes(inst: Instrument, item_id: str) -> list[Any]:
    scale = inst.item(item_id).scale
    return list(scale.codes) if scale is not None else []
