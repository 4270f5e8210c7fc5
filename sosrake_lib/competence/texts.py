"""Texts and codebook labels shared by the competence analysis: the figure titles and axis texts
(:data:`TEXTS`, :func:`text`) and the lookups that label a category or a grouping variable from the
instrument (used by the statistics and by :mod:`.display`)."""

from __future__ import annotations

from typing import Any

from ..codebook import Instrument
from ..fmt import Lang
from ..labels import for_analysis

#: Figure titles and axis texts in both languages (used by the notebook), from ``texts:`` in
#: ``sosrake_lib/labels_data/competence.yaml``.
TEXTS: dict[str, dict[str, str]] = {k: dict(v) for k, v in for_analysis("competence").texts.items()}


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
