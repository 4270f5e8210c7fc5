"""Instrument codebooks: what each export column means, read from YAML package data.

A codebook (``sosrake_lib/instruments/<name>.yaml``) lists every item of a questionnaire: its id, Finnish and
English text, the header texts it may appear under in an export, its kind (id, pii, category, likert, nps,
text, ...), its answer scale and its area (competence area, THL theme, course part). Answer scales are shared
in ``_scales.yaml``. Staff can edit the YAML: add a header spelling or an answer alias without touching code.

Examples
--------
>>> inst = load_instrument("competence")
>>> inst.name, len(inst.likert_items(role="competence"))
('competence', 18)
>>> inst.match_header("12. Organisaatio")
'organisation'
>>> inst.scales["agree5"].code_of("  täysin SAMAA mieltä ")
5
>>> inst.scales["agree5"].code_of("En osaa sanoa")
'dont_know'
>>> sorted(available_instruments())[:2]
['competence', 'course_enrolment']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .paths import INSTRUMENTS_DIR

ITEM_KINDS = {"id", "pii", "pseudonym", "datetime", "date", "category", "likert", "nps", "integer", "text"}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_LEADING_NUMBER = re.compile(r"^\s*(?:q|k|kysymys|question)?\s*\d{1,3}\s*[.):]\s*|^\s*(?:q|k)\d{1,3}\s+", re.I)
_NON_WORD = re.compile(r"[^\w]+")


def normalise_label(text: Any) -> str:
    """Normalise an answer label for matching: Unicode NFC, case-folded, dashes unified, spaces collapsed.

    >>> normalise_label("  Täysin   SAMAA mieltä\\u00a0")
    'täysin samaa mieltä'
    >>> normalise_label("2–5 vuotta") == normalise_label("2-5 vuotta")
    True
    """
    s = unicodedata.normalize("NFC", str(text)).translate(_DASHES)
    return " ".join(s.casefold().split())


def normalise_header(text: Any) -> str:
    """Normalise a column header: like :func:`normalise_label`, and without punctuation or leading numbering.

    >>> normalise_header("3. Tulin kuulluksi:")
    'tulin kuulluksi'
    >>> normalise_header("Q12 Organisaatio")
    'organisaatio'
    """
    s = unicodedata.normalize("NFC", str(text)).translate(_DASHES)
    s = _LEADING_NUMBER.sub("", s)
    return " ".join(_NON_WORD.sub(" ", s.casefold()).split())


@dataclass(frozen=True)
class Scale:
    """An answer scale: codes with their labels, and the non-substantive answers."""

    name: str
    kind: str
    min: int | None
    max: int | None
    codes: dict[Any, dict[str, str]]
    non_substantive: dict[str, dict[str, str]]
    label_fi: str = ""
    label_en: str = ""
    lookup: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, name: str, d: dict[str, Any]) -> Scale:
        kind = d.get("kind", "likert")
        codes_src = d.get("codes") if kind != "category" else d.get("categories")
        codes = {k: {"fi": v["fi"], "en": v["en"]} for k, v in (codes_src or {}).items()}
        nsa = {k: {"fi": v["fi"], "en": v["en"]} for k, v in (d.get("non_substantive") or {}).items()}
        lookup: dict[str, Any] = {}
        for key, spec in [*((codes_src or {}).items()), *((d.get("non_substantive") or {}).items())]:
            for label in [spec["fi"], spec["en"], *spec.get("aliases", [])]:
                lookup.setdefault(normalise_label(label), key)
            if kind in ("likert", "nps"):
                lookup.setdefault(normalise_label(key), key)
        if kind in ("likert", "nps"):
            for code in range(int(d["min"]), int(d["max"]) + 1):
                lookup.setdefault(str(code), code)
        return cls(name, kind, d.get("min"), d.get("max"), codes, nsa, d.get("label_fi", ""), d.get("label_en", ""), lookup)

    def code_of(self, label: Any) -> Any:
        """The code of an answer label, the non-substantive key (e.g. ``'dont_know'``), or ``None`` if unknown."""
        return self.lookup.get(normalise_label(label))

    def label(self, code: Any, lang: str = "fi") -> str:
        """The label of a code or non-substantive key in ``lang``."""
        if code in self.codes:
            return self.codes[code][lang]
        if code in self.non_substantive:
            return self.non_substantive[code][lang]
        return str(code)

    def allowed_labels(self, lang: str = "fi") -> list[str]:
        """The answers this scale accepts, for error messages."""
        if self.kind == "nps":
            return [f"{self.min}–{self.max}", *(v[lang] for v in self.non_substantive.values())]
        return [v[lang] for v in self.codes.values()] + [v[lang] for v in self.non_substantive.values()]


@dataclass(frozen=True)
class Item:
    """One question (column) of an instrument."""

    id: str
    kind: str
    text_fi: str = ""
    text_en: str = ""
    headers: tuple[str, ...] = ()
    required: bool = False
    scale: Scale | None = None
    area: str | None = None
    role: str | None = None
    pair: str | None = None
    reverse: bool = False
    ordered: bool = False
    themes: str | None = None
    single_semester: bool = False
    min: float | None = None
    max: float | None = None

    def text(self, lang: str = "fi") -> str:
        """The item text in ``lang`` (falls back to the id)."""
        return (self.text_fi if lang == "fi" else self.text_en) or self.id

    @property
    def all_headers(self) -> list[str]:
        return [h for h in (self.text_fi, self.text_en, *self.headers, self.id) if h]


@dataclass(frozen=True)
class Instrument:
    """A questionnaire's codebook. Create with :func:`load_instrument`."""

    name: str
    title_fi: str
    title_en: str
    description_fi: str
    description_en: str
    items: tuple[Item, ...]
    scales: dict[str, Scale]
    areas: dict[str, dict[str, str]]
    respondent_id: str
    duplicate_key: tuple[str, ...] = ()
    file_patterns: tuple[str, ...] = ()
    source: str = ""
    header_lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"{self.name} has no item {item_id!r}")

    def __contains__(self, item_id: object) -> bool:
        return any(it.id == item_id for it in self.items)

    def items_of(self, *kinds: str) -> list[Item]:
        """Items of the given kinds, in codebook order."""
        return [it for it in self.items if it.kind in kinds]

    def likert_items(self, area: str | None = None, role: str | None = None) -> list[Item]:
        """Likert items, optionally of one area and/or role (``'competence'``, ``'importance'``)."""
        return [it for it in self.items if it.kind == "likert" and (area is None or it.area == area)
                and (role is None or it.role == role)]

    def area_items(self, role: str | None = None) -> dict[str, list[str]]:
        """Area -> Likert item ids, e.g. the ``scales`` argument of ``scale_scores`` (reverse items as ``-ID``)."""
        out: dict[str, list[str]] = {}
        for it in self.likert_items(role=role):
            if it.area:
                out.setdefault(it.area, []).append(("-" if it.reverse else "") + it.id)
        return out

    def area_label(self, area: str, lang: str = "fi") -> str:
        return self.areas.get(area, {}).get(f"label_{lang}", area)

    @property
    def title(self) -> str:
        return self.title_fi

    def answer_columns(self) -> list[str]:
        """Columns that hold substantive answers (likert, nps, category, integer, text)."""
        return [it.id for it in self.items if it.kind in ("likert", "nps", "category", "integer", "text")]

    def match_header(self, header: Any) -> str | None:
        """The item id a column header belongs to, or ``None``."""
        return self.header_lookup.get(normalise_header(header))


def available_instruments() -> list[str]:
    """Names of the codebooks shipped with the package."""
    return sorted(p.stem for p in INSTRUMENTS_DIR.glob("*.yaml") if not p.name.startswith("_"))


@lru_cache(maxsize=1)
def _shared_scales() -> dict[str, Scale]:
    data = yaml.safe_load((INSTRUMENTS_DIR / "_scales.yaml").read_text(encoding="utf-8"))
    return {name: Scale.from_dict(name, d) for name, d in data["scales"].items()}


def _build_item(d: dict[str, Any], scales: dict[str, Scale], source: str) -> Item:
    kind = d.get("kind")
    if kind not in ITEM_KINDS:
        raise ConfigError(f"{source}: item {d.get('id')!r} has unknown kind {kind!r}; use one of {sorted(ITEM_KINDS)}")
    scale = None
    if "categories" in d:
        scale = Scale.from_dict(f"{d['id']}_categories", {"kind": "category", "categories": d["categories"]})
    elif d.get("scale"):
        if d["scale"] not in scales:
            raise ConfigError(f"{source}: item {d['id']!r} refers to unknown scale {d['scale']!r}")
        scale = scales[d["scale"]]
    elif kind == "nps":
        scale = scales["nps11"]
    if kind in ("likert", "category", "nps") and scale is None:
        raise ConfigError(f"{source}: item {d['id']!r} of kind {kind} needs a scale or categories")
    return Item(
        id=d["id"], kind=kind, text_fi=d.get("text_fi", ""), text_en=d.get("text_en", ""),
        headers=tuple(d.get("headers", ())), required=bool(d.get("required", False)), scale=scale,
        area=d.get("area"), role=d.get("role"), pair=d.get("pair"), reverse=bool(d.get("reverse", False)),
        ordered=bool(d.get("ordered", False)), themes=d.get("themes"),
        single_semester=bool(d.get("single_semester", False)), min=d.get("min"), max=d.get("max"),
    )


def load_instrument(name_or_path: str | Path) -> Instrument:
    """Load a codebook by name (``"competence"``, ``"interviews"``, ``"course_enrolment"``,
    ``"course_selfassessment"``, ``"course_feedback"``) or from a YAML file path.

    Raises
    ------
    ConfigError
        When the name is unknown or the codebook is inconsistent (e.g. two items share a header).
    """
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = INSTRUMENTS_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ConfigError(f"unknown instrument {name_or_path!r}; available: {', '.join(available_instruments())}")
    return _load(str(path))


@lru_cache(maxsize=32)
def _load(path: str) -> Instrument:
    d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    scales = dict(_shared_scales())
    for name, sd in (d.get("scales") or {}).items():
        scales[name] = Scale.from_dict(name, sd)
    items = tuple(_build_item(it, scales, path) for it in d["items"])
    ids = [it.id for it in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ConfigError(f"{path}: item ids used twice: {sorted(dupes)}")
    lookup: dict[str, str] = {}
    for it in items:
        for h in it.all_headers:
            key = normalise_header(h)
            if lookup.get(key, it.id) != it.id:
                raise ConfigError(f"{path}: header {h!r} belongs to both {lookup[key]!r} and {it.id!r}")
            lookup[key] = it.id
    if d.get("respondent_id") not in ids:
        raise ConfigError(f"{path}: respondent_id {d.get('respondent_id')!r} is not an item")
    return Instrument(
        name=d["name"], title_fi=d.get("title_fi", ""), title_en=d.get("title_en", ""),
        description_fi=d.get("description_fi", ""), description_en=d.get("description_en", ""),
        items=items, scales=scales, areas=d.get("areas") or {}, respondent_id=d["respondent_id"],
        duplicate_key=tuple(d.get("duplicate_key") or ()), file_patterns=tuple(d.get("file_patterns") or ()),
        source=path, header_lookup=lookup,
    )
