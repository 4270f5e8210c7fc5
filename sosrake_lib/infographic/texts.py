"""The page's fixed texts (Finnish and English), readable period labels, and codebook labels.

:data:`_TEXT` holds every fixed phrase of the page; :func:`period_label` turns a semester code into
"Syksy 2021"; :func:`_translate` turns an area or open-answer theme id into its codebook label (read
once, :func:`_lookups` is cached); :func:`_label` and :func:`_unit` read a key figure's label and
unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from sosrake_lib.fmt import Lang, fmt_semester

_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "kicker": "SOSRAKE-osaamisverkosto · rakenteellinen sosiaalityö",
        "themes": "Keskeiset teemat",
        "quotes": "Lainauksia",
        "no_quotes": "Lainauksia ei ole vielä hyväksytty – tarkista quotes_for_review.csv",
        "no_themes": "Teemoja ei ole raportoitu.",
        "source": "Lähde",
        "methods": "Menetelmät",
        "suppressed": "”{label}”: luku kuvaa alle {n} vastaajaa, tai siitä voisi laskea toisen piilotetun luvun.",
        "synthetic": "Synteettinen esimerkkiaineisto – keksityt henkilöt, ei oikeita vastauksia.",
        "quotes_note": "Lainaukset on tarkistettu ja hyväksytty ennen julkaisua.",
        "ci": "95\u00a0% lv",
        "n_people": "n = {n}",
        "pct_of": "{pct} ilmoittautuneista",
        "missing": "ei tietoa",
        "sample_period": "Esimerkkiaineisto",
    },
    "en": {
        "kicker": "SOSRAKE competence network · structural social work",
        "themes": "Key themes",
        "quotes": "Quotes",
        "no_quotes": "No quotes have been approved yet – check quotes_for_review.csv",
        "no_themes": "No themes reported.",
        "source": "Source",
        "methods": "Methods",
        "suppressed": "“{label}”: the figure describes fewer than {n} respondents, or a hidden one could be worked out from it.",
        "synthetic": "Synthetic sample data – invented people, not real answers.",
        "quotes_note": "Quotes were reviewed and approved before publication.",
        "ci": "95%\u00a0CI",
        "n_people": "n = {n}",
        "pct_of": "{pct} of enrolled",
        "missing": "no data",
        "sample_period": "Sample data",
    },
}


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def subtitle_period(semester: str, lang: Lang = "fi", *, synthetic: bool = False) -> str:
    """The period on the page (subtitle, source line): ``"Syksy 2022"`` for a semester code; on synthetic data
    "Esimerkkiaineisto" / "Sample data" for a run label that is no semester (``sample``), with the year when
    the label holds one (``sample_2022``: "Esimerkkiaineisto 2022", so the 2020 and 2022 sample rounds differ);
    otherwise a label with a year as it is (``2023-uusinta``) and nothing (``""``) for one without: a machine
    label such as ``sample`` or ``s`` is never shown.

    Examples
    --------
    >>> subtitle_period("2022-syksy"), subtitle_period("sample", "en", synthetic=True)
    ('Syksy 2022', 'Sample data')
    >>> subtitle_period("sample_2022", synthetic=True), subtitle_period("sample_2022", "en", synthetic=True)
    ('Esimerkkiaineisto 2022', 'Sample data 2022')
    >>> subtitle_period("sample"), subtitle_period("2023-uusinta")
    ('', '2023-uusinta')
    """
    shown = fmt_semester(semester, lang)
    if shown != str(semester):
        return shown
    if synthetic:
        years = set(_YEAR.findall(shown))  # two years: which round is it? none shown
        year = f" {years.pop()}" if len(years) == 1 else ""
        return _TEXT[lang]["sample_period"] + year
    return shown if re.search(r"\d{4}", shown) else ""


def period_label(semester: str, lang: Lang = "fi") -> str:
    """A readable period from a semester code: ``"2021-syksy"`` → ``"Syksy 2021"`` / ``"Autumn 2021"``
    (:func:`sosrake_lib.fmt.fmt_semester`, the one way a semester is written on a page).

    Codes that do not look like ``<year>-<season>`` (or ``<season>-<year>``) are returned unchanged.

    Examples
    --------
    >>> period_label("2021-syksy"), period_label("2022-kevat", "en"), period_label("sample")
    ('Syksy 2021', 'Spring 2022', 'sample')
    """
    return fmt_semester(semester, lang)


@lru_cache(maxsize=1)
def _lookups() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(areas, themes): id → (label_fi, label_en) from the codebooks' areas and the theme codebooks."""
    import yaml

    from sosrake_lib.codebook import available_instruments, load_instrument
    from sosrake_lib.paths import THEMES_DIR

    areas: dict[str, tuple[str, str]] = {}
    themes: dict[str, tuple[str, str]] = {}
    for name in available_instruments():
        try:
            inst = load_instrument(name)
        except Exception:  # a broken codebook must not stop the page
            continue
        for area_id, area in inst.areas.items():
            areas.setdefault(
                str(area_id), (area.get("label_fi", area_id), area.get("label_en", area_id))
            )
    for path in sorted(Path(THEMES_DIR).glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except Exception:
            continue
        for theme in doc.get("themes", []) or []:
            tid = str(theme.get("id", ""))
            if tid:
                themes.setdefault(tid, (theme.get("label_fi", tid), theme.get("label_en", tid)))
    # a Finnish label is a key too, so a table written in Finnish still gets English labels on an English page
    for table in (areas, themes):
        for pair in list(table.values()):
            table.setdefault(str(pair[0]), pair)
    return areas, themes


def _label_lookup() -> dict[str, tuple[str, str]]:
    areas, themes = _lookups()
    return themes | areas


def _translate(value: str, lang: Lang, *, prefer: str = "area") -> str:
    """A codebook id (area, or open-answer theme) becomes its label in ``lang``; other text is unchanged."""
    areas, themes = _lookups()
    order = (areas, themes) if prefer == "area" else (themes, areas)
    key = str(value).strip()
    for table in order:
        if key in table:
            return table[key][0 if lang == "fi" else 1]
    return str(value)


_UNCODED = {"uncoded", "_uncoded", "ei_luokiteltu", "other", "muu"}
_TRAILING_NUMBER = re.compile(r"\s+[+\u2212-]?\d[\d\u00a0,.]*(?:\s?%)?$")
_LEADING_NUMBER = re.compile(r"^[+\u2212-]?\d[\d\s\u00a0,.]*(?:\s?%)?\s+(?=\w)")


def _label(rec: Mapping[str, Any], lang: Lang) -> str:
    """The key figure's label; a leading copy of the number ("20 % koki ...") is dropped: the tile shows it."""
    for key in (f"label_{lang}", "label_fi", "name"):
        v = rec.get(key)
        if isinstance(v, str) and v.strip():
            text = _TRAILING_NUMBER.sub("", _LEADING_NUMBER.sub("", v.strip()))
            return text[:1].upper() + text[1:]
    return ""


def _unit(rec: Mapping[str, Any]) -> str:
    unit = str(rec.get("unit") or "")
    return "NPS" if unit.lower().startswith("nps") else unit
