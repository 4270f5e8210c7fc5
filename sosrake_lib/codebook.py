"""Instrument codebooks: what each export column means, read from YAML package data.

A codebook (``sosrake_lib/instruments/<name>.yaml``) lists every item of a questionnaire: its id, Finnish and
English text, the header texts it may appear under in an export, its kind (id, pii, category, likert, nps,
text, ...), its answer scale and its area (competence area, THL theme, course part). Answer scales are shared
in ``_scales.yaml``. Staff can edit the YAML: add a header spelling or an answer alias without touching code,
or keep their own spellings in an overlay file (``sosrake map --write``, :func:`load_instrument` ``overlay=``).

Grids: items with the same ``statement`` in two ``grids`` (competence and importance of one skill) are told
apart by the grid title an export carries (Webropol's first header row, Google's ``Question [Statement]``) or,
without one (Microsoft Forms), by order of occurrence. An item id is never a header; it matches only as a
Moodle label ``(ID) Question``. ``generated_id: true`` lets an export without a respondent id (Google Forms)
be read with ids made from the submission time. Which missing items stop a read and which only warn is
written in :mod:`sosrake_lib.export_check`.

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
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .paths import INSTRUMENTS_DIR

ITEM_KINDS = {
    "id",
    "pii",
    "pseudonym",
    "datetime",
    "date",
    "category",
    "likert",
    "nps",
    "integer",
    "text",
}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:q|k|kysymys|question)?\s*\d{1,3}\s*[.):]\s*|^\s*(?:q|k)\d{1,3}\s+", re.I
)
_NON_WORD = re.compile(r"[^\w]+")
_VALUE_PREFIX = re.compile(r"^\(?(\d{1,2})\)?\s*(?:[=:.)-]\s*)?(\D.*)$")


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
    return _normalise_header(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 16)  # header texts repeat: every header row is tried against every codebook
def _normalise_header(text: str) -> str:
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
        nsa = {
            k: {"fi": v["fi"], "en": v["en"]} for k, v in (d.get("non_substantive") or {}).items()
        }
        lookup: dict[str, Any] = {}
        for key, spec in [
            *((codes_src or {}).items()),
            *((d.get("non_substantive") or {}).items()),
        ]:
            for label in [spec["fi"], spec["en"], *spec.get("aliases", [])]:
                lookup.setdefault(normalise_label(label), key)
            if kind in ("likert", "nps"):
                lookup.setdefault(normalise_label(key), key)
        if kind in ("likert", "nps"):
            for code in range(int(d["min"]), int(d["max"]) + 1):
                lookup.setdefault(str(code), code)
        return cls(
            name,
            kind,
            d.get("min"),
            d.get("max"),
            codes,
            nsa,
            d.get("label_fi", ""),
            d.get("label_en", ""),
            lookup,
        )

    def code_of(self, label: Any) -> Any:
        """The code of an answer label, the non-substantive key (e.g. ``'dont_know'``), or ``None`` if unknown.

        A label the tool prefixed with its value (Moodle's rated choices ``(5) Erittäin hyvin``, ``5 = …``) is
        known by its text; a prefix that contradicts the text's code is not accepted.

        >>> s = _shared_scales()["xamk5"]
        >>> s.code_of("Erittäin hyvin"), s.code_of("(5) Erittäin hyvin"), s.code_of("(2) Erittäin hyvin")
        (5, 5, None)
        """
        key = normalise_label(label)
        code = self.lookup.get(key)
        if code is None and (m := _VALUE_PREFIX.match(key)):
            code = self.lookup.get(m.group(2))
            if code is not None and not isinstance(code, str) and int(m.group(1)) != code:
                return None
        return code

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
        return [v[lang] for v in self.codes.values()] + [
            v[lang] for v in self.non_substantive.values()
        ]


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
    grid: str | None = None
    statement: str = ""
    labels: tuple[str, ...] = ()
    previous_id: str | None = None

    def text(self, lang: str = "fi") -> str:
        """The item text in ``lang`` (falls back to the id)."""
        return (self.text_fi if lang == "fi" else self.text_en) or self.id

    @property
    def display_name(self) -> str:
        """The name a user sees for the item's column: its Finnish text, else its first header, else its id."""
        return self.text_fi or (self.headers[0] if self.headers else self.id)

    @property
    def all_headers(self) -> list[str]:
        """Header texts the item's column may carry. Not its id: a tool column such as Moodle's "Group(s)" must
        never be read as the ``group`` question by accident (an id matches only as a Moodle label, ``(ID)``)."""
        return [h for h in (self.text_fi, self.text_en, *self.headers) if h]


@dataclass(frozen=True)
class Grid:
    """A question grid (matrix) of an instrument: its order among the grids and the titles it may carry."""

    name: str
    order: int
    titles: tuple[str, ...] = ()


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
    grids: dict[str, Grid] = field(default_factory=dict)
    generated_id: bool = False
    statement_lookup: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    label_lookup: dict[str, str] = field(default_factory=dict, repr=False)
    alias_keys: frozenset[str] = frozenset()
    overlay: str = ""
    ignore_headers: tuple[str, ...] = ()
    date_order: str = (
        ""  # "day_first" or "month_first" for slash dates that fit both (from an overlay)
    )
    version: int = 1
    dropped: dict[str, dict[str, str]] = field(default_factory=dict)
    link_key: str = ""

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
        return [
            it
            for it in self.items
            if it.kind == "likert"
            and (area is None or it.area == area)
            and (role is None or it.role == role)
        ]

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
        return [
            it.id
            for it in self.items
            if it.kind in ("likert", "nps", "category", "integer", "text")
        ]

    def match_header(self, header: Any) -> str | None:
        """The item id a column header belongs to, or ``None``."""
        return self.header_lookup.get(normalise_header(header))

    def header_method(self, header: Any) -> str:
        """``"alias"`` when a header is known only from a codebook overlay, else ``"header"``."""
        return "alias" if normalise_header(header) in self.alias_keys else "header"

    def match_label(self, label: Any) -> str | None:
        """The item a Moodle item label (``(LABEL) Question``) names: its ``labels`` or its id, else ``None``."""
        return self.label_lookup.get(normalise_label(label))

    def statement_items(self, text: Any) -> tuple[str, ...]:
        """Items, in grid order, whose grid statement is ``text`` (one per grid), else ``()``."""
        return self.statement_lookup.get(normalise_header(text), ())

    def statement_group(self, item_id: str) -> tuple[str, ...]:
        """The items that share ``item_id``'s statement across grids, in grid order (``()`` if none)."""
        it = self.item(item_id)
        group = self.statement_items(it.statement) if it.statement else ()
        return group if len(group) > 1 else ()

    def grid_of_title(self, title: Any) -> str | None:
        """The grid a grid title names, or ``None``.

        A title matches a grid when it equals one of the grid's ``titles`` or contains one as whole words
        (after :func:`normalise_header`, so numbering and punctuation do not count); the longest such title
        wins. Ties between grids give ``None``: the caller must then decide by order and say so.

        >>> inst = load_instrument("competence")
        >>> inst.grid_of_title("5. Arvioi osaamistasi seuraavissa asioissa")
        'competence'
        >>> inst.grid_of_title("Arvioi, kuinka tärkeitä seuraavat asiat ovat työssäsi")
        'importance'
        >>> inst.grid_of_title("Taustatiedot") is None
        True
        """
        t = f" {normalise_header(title)} "
        best: dict[str, int] = {}
        for g in self.grids.values():
            for title_text in g.titles:
                key = normalise_header(title_text)
                if key and f" {key} " in t:
                    best[g.name] = max(best.get(g.name, 0), len(key))
        if not best:
            return None
        top = max(best.values())
        winners = [g for g, n in best.items() if n == top]
        return winners[0] if len(winners) == 1 else None


def editions(name: str) -> list[Path]:
    """The codebook files of one shipped instrument, oldest version first: ``NAME.yaml`` and the later
    versions ``_NAME_v2.yaml``, ``_NAME_v3.yaml``, ... (written as changes with ``extends:``).

    >>> [p.name for p in editions("competence")]
    ['competence.yaml', '_competence_v2.yaml']
    >>> load_instrument(editions("competence")[1]).item("C_VT2b").previous_id
    'C_VT2'
    """
    later = sorted(
        INSTRUMENTS_DIR.glob(f"_{name}_v*.yaml"),
        key=lambda p: int(p.stem.rsplit("_v", 1)[1]) if p.stem.rsplit("_v", 1)[1].isdigit() else 0,
    )
    return [INSTRUMENTS_DIR / f"{name}.yaml", *later]


def available_instruments() -> list[str]:
    """Names of the codebooks shipped with the package."""
    return sorted(p.stem for p in INSTRUMENTS_DIR.glob("*.yaml") if not p.name.startswith("_"))


@cache
def instrument_version(name: str) -> str | None:
    """The ``version:`` of a shipped codebook (``None`` when it has none): raise it when a question's
    meaning or scale changes, so results of the old and the new version are not joined in a trend.

    >>> instrument_version("interviews")
    '1'
    """
    path = INSTRUMENTS_DIR / f"{name}.yaml"
    if not path.is_file():
        return None
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    version = doc.get("version") if isinstance(doc, dict) else None
    return None if version is None else str(version)


@lru_cache(maxsize=1)
def _shared_scales() -> dict[str, Scale]:
    data = yaml.safe_load((INSTRUMENTS_DIR / "_scales.yaml").read_text(encoding="utf-8"))
    return {name: Scale.from_dict(name, d) for name, d in data["scales"].items()}


def _build_item(d: dict[str, Any], scales: dict[str, Scale], source: str) -> Item:
    kind = d.get("kind")
    if kind not in ITEM_KINDS:
        raise ConfigError(
            f"{source}: item {d.get('id')!r} has unknown kind {kind!r}; use one of {sorted(ITEM_KINDS)}"
        )
    scale = None
    if "categories" in d:
        scale = Scale.from_dict(
            f"{d['id']}_categories", {"kind": "category", "categories": d["categories"]}
        )
    elif d.get("scale"):
        if d["scale"] not in scales:
            raise ConfigError(f"{source}: item {d['id']!r} refers to unknown scale {d['scale']!r}")
        scale = scales[d["scale"]]
    elif kind == "nps":
        scale = scales["nps11"]
    if kind in ("likert", "category", "nps") and scale is None:
        raise ConfigError(f"{source}: item {d['id']!r} of kind {kind} needs a scale or categories")
    return Item(
        id=d["id"],
        kind=kind,
        text_fi=d.get("text_fi", ""),
        text_en=d.get("text_en", ""),
        headers=tuple(d.get("headers", ())),
        required=bool(d.get("required", False)),
        scale=scale,
        area=d.get("area"),
        role=d.get("role"),
        pair=d.get("pair"),
        reverse=bool(d.get("reverse", False)),
        ordered=bool(d.get("ordered", False)),
        themes=d.get("themes"),
        single_semester=bool(d.get("single_semester", False)),
        min=d.get("min"),
        max=d.get("max"),
        grid=d.get("grid"),
        statement=str(d.get("statement") or ""),
        labels=tuple(str(x) for x in d.get("labels", ())),
        previous_id=d.get("previous_id"),
    )


def load_instrument(name_or_path: str | Path, overlay: str | Path | None = None) -> Instrument:
    """Load a codebook by name (``"competence"``, ``"interviews"``, ``"course_enrolment"``,
    ``"course_selfassessment"``, ``"course_feedback"``) or from a YAML file path.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped codebook's name or a codebook YAML file.
    overlay : str or Path, optional
        A codebook overlay (YAML, written by ``sosrake map`` and reviewed by staff) that adds header aliases
        to items without editing the package: ``{"sosrake_overlay": 1, "instruments": {NAME: {"aliases":
        {ITEM_ID: [header, ...]}}}}``. Sections for other instruments are ignored.

    Raises
    ------
    ConfigError
        When the name is unknown or the codebook is inconsistent (e.g. two items share a header), or the
        overlay names an unknown item or gives an alias that another item already has.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ov = pathlib.Path(tempfile.mkdtemp()) / "aliases.yaml"
    >>> _ = ov.write_text("sosrake_overlay: 1\\ninstruments:\\n  interviews:\\n    aliases:\\n"
    ...                   "      KO2: [Tulin kuulluksi asioidessani]\\n", encoding="utf-8")
    >>> inst = load_instrument("interviews", overlay=ov)
    >>> inst.match_header("Tulin kuulluksi asioidessani"), inst.header_method("Tulin kuulluksi asioidessani")
    ('KO2', 'alias')
    >>> load_instrument("interviews").match_header("Tulin kuulluksi asioidessani") is None
    True
    """
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = INSTRUMENTS_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ConfigError(
                f"unknown instrument {name_or_path!r}; available: {', '.join(available_instruments())}"
            )
    if overlay is None or str(overlay) == "":
        return _load(str(path))
    ov = Path(overlay).resolve()
    if not ov.is_file():
        raise ConfigError(f"the codebook overlay does not exist: {overlay}")
    return _with_overlay(
        str(path), str(ov), ov.stat().st_mtime_ns
    )  # an edited overlay is read again


def read_overlay(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a codebook overlay file: instrument name -> ``{"aliases": {item id: [header, ...]}, "ignore":
    [header, ...]}`` (``ignore``: export columns staff have checked are no codebook item).

    Raises :class:`ConfigError` (one line naming the file) for a missing, unreadable or malformed file.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"the codebook overlay does not exist: {p}")
    try:
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"the codebook overlay {p.name} is not valid UTF-8 YAML ({type(exc).__name__}); "
            "write it again with `sosrake map`"
        ) from None
    if not isinstance(d, dict) or not isinstance(d.get("instruments"), dict):
        raise ConfigError(
            f"the codebook overlay {p.name} has no 'instruments:' section; write it with `sosrake map`"
        )
    out: dict[str, dict[str, Any]] = {}
    for name, sect in d["instruments"].items():
        aliases = (sect or {}).get("aliases") or {}
        ignore = (sect or {}).get("ignore") or []
        order = str((sect or {}).get("date_order") or "")
        if order not in ("", "day_first", "month_first"):
            raise ConfigError(
                f"the codebook overlay {p.name}: date_order of {name!r} must be day_first or "
                f"month_first, not {order!r}"
            )
        if not isinstance(aliases, dict) or not isinstance(ignore, list):
            raise ConfigError(
                f"the codebook overlay {p.name}: 'aliases' of {name!r} must map item ids to headers "
                "and 'ignore' must be a list of headers"
            )
        out[str(name)] = {
            "aliases": {
                str(k): [str(h) for h in (v if isinstance(v, list) else [v]) if h is not None]
                for k, v in aliases.items()
            },
            "ignore": [str(h) for h in ignore if h is not None],
            "date_order": order,
        }
    return out


@lru_cache(maxsize=32)
def _with_overlay(path: str, overlay: str, _mtime: int) -> Instrument:
    inst = _load(path)
    sections = read_overlay(overlay)
    unknown = sorted(set(sections) - set(available_instruments()))
    if unknown:
        raise ConfigError(
            f"the codebook overlay {Path(overlay).name} names unknown instrument(s) "
            f"{', '.join(map(repr, unknown))}; use one of {', '.join(available_instruments())}"
        )
    section = sections.get(inst.name, {"aliases": {}, "ignore": [], "date_order": ""})
    aliases = section["aliases"]
    lookup = dict(inst.header_lookup)
    added: set[str] = set()
    name = Path(overlay).name
    for item_id, headers in aliases.items():
        if item_id not in inst:
            raise ConfigError(
                f"the codebook overlay {name} names item {item_id!r}, which the {inst.name!r} "
                "codebook does not have; correct the item id"
            )
        for h in headers:
            key = normalise_header(h)
            if not key:
                continue
            if lookup.get(key, item_id) != item_id:
                raise ConfigError(
                    f"the codebook overlay {name}: header {h!r} of {item_id!r} already belongs to "
                    f"{lookup[key]!r}; remove one of them"
                )
            if key not in lookup:
                added.add(key)
            lookup[key] = item_id
    return replace(
        inst,
        header_lookup=lookup,
        alias_keys=frozenset(added),
        overlay=overlay,
        ignore_headers=tuple(section["ignore"]),
        date_order=section.get("date_order", ""),
    )


def _extended(d: dict[str, Any], path: Path) -> dict[str, Any]:
    """A later codebook version written as changes to an earlier one (``extends:``): the earlier codebook's
    keys, with ``drop_items`` (item id -> why) left out and ``replace_items`` (earlier id -> the new item, which
    names the earlier one in ``previous_id``) put in the earlier item's place."""
    base_path = path.parent / str(d["extends"])
    try:
        base = yaml.safe_load(base_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"{path.name}: extends {d['extends']!r}, which cannot be read ({exc.strerror})"
        ) from None
    drop = d.get("drop_items") or {}
    repl = d.get("replace_items") or {}
    base_ids = {it["id"] for it in base["items"]}
    unknown = sorted((set(drop) | set(repl)) - base_ids)
    if unknown:
        raise ConfigError(f"{path.name}: drop_items/replace_items name unknown items {unknown}")
    items = [repl.get(it["id"], it) for it in base["items"] if it["id"] not in drop]
    return {**base, **{k: v for k, v in d.items() if k != "extends"}, "items": items}


def _reason(value: Any) -> dict[str, str]:
    """A dropped item's reason in both languages: ``{fi: …, en: …}`` in the codebook, or one text for both.

    >>> _reason({"fi": "ei kysytty", "en": "not asked"})["en"], _reason("ei kysytty")["en"]
    ('not asked', 'ei kysytty')
    """
    if isinstance(value, dict):
        return {"fi": str(value.get("fi", "")), "en": str(value.get("en") or value.get("fi", ""))}
    return {"fi": str(value), "en": str(value)}


@lru_cache(maxsize=32)
def _load(path: str) -> Instrument:
    try:
        d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"the codebook {path} cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise ConfigError(
            f"the codebook {Path(path).name} is not valid UTF-8 YAML{at} ({type(exc).__name__}; "
            "tags such as !!python/... are refused); correct the file"
        ) from None
    if isinstance(d, dict) and d.get("extends"):
        d = _extended(d, Path(path))
    if not isinstance(d, dict) or not isinstance(d.get("items"), list):
        raise ConfigError(
            f"the codebook {Path(path).name} has no 'items:' list; start from a shipped codebook"
        )
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
                raise ConfigError(
                    f"{path}: header {h!r} belongs to both {lookup[key]!r} and {it.id!r}"
                )
            lookup[key] = it.id
    if d.get("respondent_id") not in ids:
        raise ConfigError(f"{path}: respondent_id {d.get('respondent_id')!r} is not an item")
    grids = {
        str(g): Grid(
            str(g), int(gd.get("order", k + 1)), tuple(str(t) for t in gd.get("titles", ()))
        )
        for k, (g, gd) in enumerate((d.get("grids") or {}).items())
    }
    by_statement: dict[str, list[Item]] = {}
    for it in items:
        if it.grid is not None and it.grid not in grids:
            raise ConfigError(
                f"{path}: item {it.id!r} names grid {it.grid!r}, which 'grids:' does not list"
            )
        if it.statement:
            by_statement.setdefault(normalise_header(it.statement), []).append(it)
    statements: dict[str, tuple[str, ...]] = {}
    for key, group in by_statement.items():
        order = [grids[it.grid].order if it.grid else 0 for it in group]
        if len(set(order)) != len(order):
            raise ConfigError(
                f"{path}: statement {group[0].statement!r} is used twice in one grid "
                f"({', '.join(it.id for it in group)})"
            )
        statements[key] = tuple(it.id for _, it in sorted(zip(order, group, strict=True)))
    labels: dict[str, str] = {}
    for it in items:
        for lab in (it.id, *it.labels):
            labels.setdefault(normalise_label(lab), it.id)
    return Instrument(
        name=d["name"],
        title_fi=d.get("title_fi", ""),
        title_en=d.get("title_en", ""),
        description_fi=d.get("description_fi", ""),
        description_en=d.get("description_en", ""),
        items=items,
        scales=scales,
        areas=d.get("areas") or {},
        respondent_id=d["respondent_id"],
        duplicate_key=tuple(d.get("duplicate_key") or ()),
        file_patterns=tuple(d.get("file_patterns") or ()),
        source=path,
        header_lookup=lookup,
        grids=grids,
        generated_id=bool(d.get("generated_id", False)),
        statement_lookup=statements,
        label_lookup=labels,
        version=int(d.get("version") or 1),
        dropped={str(k): _reason(v) for k, v in (d.get("drop_items") or {}).items()},
        link_key=str(d.get("link_key") or ""),
    )
