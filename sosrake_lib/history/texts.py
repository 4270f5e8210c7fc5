"""Texts and settings of the history (``sosrake_lib/labels_data/history.yaml``) in Finnish and English.

Examples
--------
>>> text("heading", "fi"), text("heading", "en")
('Kehitys', 'Trend')
>>> measure_label("interviews", "kohtaaminen_top2", "fi")
'Kohtaaminen ja osallistuminen: samaa mieltä'
>>> measure_label("competence", "area_mean_raportointi", "en")
'Social reporting'
>>> matches("*_top2", "saatavuus_top2"), matches("nps", "nps_change")
(True, False)
"""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path
from typing import Any

from ..fmt import Lang

HISTORY_TEXTS = Path(__file__).resolve().parent.parent / "labels_data" / "history.yaml"


@functools.cache
def spec() -> dict[str, Any]:
    """The whole ``history.yaml``."""
    import yaml

    return yaml.safe_load(HISTORY_TEXTS.read_text(encoding="utf-8")) or {}


def text(key: str, lang: Lang, **fields: Any) -> str:
    """A text of ``texts:`` in ``lang`` with ``fields`` filled in (``KeyError`` for a typo)."""
    return str(spec()["texts"][key][lang]).format(**fields)


def matches(pattern: str, name: str) -> bool:
    """Whether key-figure ``name`` matches a ``measures:`` pattern (``*`` = any characters)."""
    return fnmatch.fnmatchcase(name, pattern)


_INSTRUMENT = {"interviews": "interviews", "competence": "competence"}


def _code_label(analysis: str, name: str, pattern: str, lang: Lang) -> str:
    """The readable label of the code a pattern's ``*`` stands for (a theme, an area of the codebook)."""
    head, _, tail = pattern.partition("*")
    code = name[len(head) : len(name) - len(tail)] if tail else name[len(head) :]
    if analysis in _INSTRUMENT:
        from ..codebook import load_instrument

        areas = load_instrument(_INSTRUMENT[analysis]).areas
        if code in areas:
            return str(areas[code].get(f"label_{lang}") or code)
    return code


def measure_label(analysis: str, name: str, lang: Lang) -> str:
    """A stable readable name of a trended key figure (the name itself when none is set)."""
    measures = (spec().get("measures") or {}).get(analysis) or {}
    if name in measures:
        return str(measures[name][lang])
    for pattern, labels in measures.items():
        if "*" in pattern and matches(pattern, name):
            code = _code_label(analysis, name, pattern, lang)
            return str(labels[lang]).format(theme=code, area=code)
    return name


def unit_label(unit: str, lang: Lang) -> str:
    """A key figure's unit as people read it in ``lang`` (``units:``; the code itself when none is set).

    >>> unit_label("score change 1–5", "fi"), unit_label("NPS points", "fi"), unit_label("odd", "fi")
    ('muutos 1–5', 'NPS-pistettä', 'odd')
    """
    labels = (spec().get("units") or {}).get(unit)
    return str(labels[lang]) if labels else unit


def theme_label(code: str, method: str, analysis: str, lang: Lang) -> str:
    """The readable label of a theme a key figure names (its value is the theme's code), from the shipped
    theme codebook its method names (``theme codebook 'interviews'``), else the analysis' own; the code
    itself when no codebook knows it.

    >>> theme_label("asuminen", "most frequent theme (theme codebook 'interviews')", "interviews", "fi")
    'Asuminen'
    >>> theme_label("asuminen", "", "interviews", "en"), theme_label("xyz", "", "interviews", "fi")
    ('Housing', 'xyz')
    """
    import re

    from ..text import available_codebooks, load_theme_codebook

    named = re.search(r"theme codebook '([^']+)'", str(method or ""))
    shipped = available_codebooks()
    for name in (named.group(1) if named else "", analysis):
        if name in shipped:
            return load_theme_codebook(name).labels(lang).get(code, code)
    return code


__all__ = ["HISTORY_TEXTS", "matches", "measure_label", "spec", "text", "theme_label", "unit_label"]
