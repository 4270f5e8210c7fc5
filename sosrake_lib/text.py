"""Finnish-aware theme coding of open answers with staff-editable stem codebooks.

Open answers ("Mikä palvelussa oli hyvää?", "Millaista tukea tarvitset rakenteelliseen työhön?", "Mikä
motivoi sinua?") are coded deductively against a *theme codebook*: a YAML file in ``sosrake_lib/themes/``
where each theme lists Finnish word beginnings (``stems``) and optional ``exclude`` entries. This is the
dictionary-based step of directed content analysis (Hsieh & Shannon 2005, *Qualitative Health Research*
15(9):1277-1288); a person still reads the uncoded answers (:func:`uncoded_answers`) and approves every quote
(:func:`candidate_quotes`).

How a word matches a theme entry (all lower case, Unicode NFC; hyphens split words, so "vuokra-asunnossa" is
"vuokra" + "asunnossa"):

* **prefix**: the word begins with the stem ("asun" → "asunnon", "asunnottomuus");
* **compound part**: a stem of at least ``min_compound_length`` letters (default 4) also matches inside a
  word when at least 3 letters precede it ("palvelu" → "päihdepalveluissa"); shorter stems such as "työ"
  match only at the start, which keeps "sosiaalityöntekijä" out of the employment theme;
* **lemma**: the same two tests on the word's dictionary form from simplemma (Barbaresi 2023, *simplemma*,
  https://github.com/adbar/simplemma), which undoes consonant gradation and stem changes the prefix test
  cannot see ("kohdattiin" → "kohdata", "arjessa" → "arki", "työttömänä" → "työtön");
* an entry written ``=word`` matches only that whole word or a word whose lemma is exactly it ("=typ");
  ``^stem`` matches only at the beginning of a word, never inside a compound ("^odot" keeps
  "hoitomuodot" out of waiting);
* an entry with a space is a phrase: its words must follow each other ("sama työntekijä" → "saman
  työntekijän");
* ``exclude`` entries use the same rules but are tested on the written word only (lemmas are sometimes
  wrong: simplemma gives "tavoite" for "tavoitettavissa"); a word matching an exclude entry never counts for
  that theme ("työntekij" keeps "työntekijä" out of *työ*).

Why this design: a stem list is something staff can edit without regular expressions, simplemma is pure
Python with a 3.5-million-form Finnish dictionary, and matching is done once per *distinct* word (with
pyarrow's vectorised regular expressions), so 100 000 short answers code in a few seconds. simplemma's
dictionary is read from a block cache (:func:`prepare_lemma_cache`, built once per machine in a few seconds)
that loads in a few hundredths of a second instead of the 2-3 s simplemma's own loader takes in every kernel.

Examples
--------
>>> cb = load_theme_codebook("interviews")
>>> answers = pd.Series(["Vuokra-asunnossa asuminen on kallista.", "Työntekijä kuunteli minua.", "", "Kiitos"])
>>> coded = code_themes(answers, cb)
>>> coded.loc[0, "asuminen"], coded.loc[1, "kohtaaminen"], coded.loc[1, "tyo"]
(np.True_, np.True_, np.False_)
>>> coded["uncoded"].tolist()
[False, False, False, True]
"""

from __future__ import annotations

import array
import bisect
import hashlib
import os
import re
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .atomic import atomic_write_bytes
from .errors import ConfigError
from .paths import THEMES_DIR

__all__ = [
    "Theme",
    "ThemeCodebook",
    "available_codebooks",
    "candidate_quotes",
    "code_themes",
    "explain_matches",
    "load_theme_codebook",
    "theme_frequencies",
    "uncoded_answers",
]

UNCODED = "uncoded"
_UNCODED_LABELS = {"fi": "Ei luokiteltu", "en": "Uncoded"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOKEN_RE = re.compile(
    r"[^\W\d_]+"
)  # runs of letters; digits, '_', '-' and punctuation split words
MIN_STEM_LENGTH = 3
MIN_PRECEDING = 3  # letters that must precede a stem found inside a compound word


# --------------------------------------------------------------------------------------------- codebook
def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@dataclass(frozen=True)
class _Term:
    """One word of a codebook entry: ``text`` (lower case letters) and whether it must match exactly."""

    text: str
    exact: bool
    anchored: bool = False


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook.

    ``stems`` and ``exclude`` keep the entries as written in the YAML (lower-cased); see the module docstring
    for how they match.
    """

    id: str
    label_fi: str
    label_en: str
    stems: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    description_fi: str = ""
    description_en: str = ""

    def label(self, lang: str = "fi") -> str:
        """The label in ``lang`` ("fi" or "en")."""
        return self.label_en if lang == "en" else self.label_fi


@dataclass(frozen=True)
class ThemeCodebook:
    """A set of themes read from YAML with :func:`load_theme_codebook`."""

    name: str
    themes: tuple[Theme, ...]
    title_fi: str = ""
    title_en: str = ""
    min_compound_length: int = 4
    path: Path | None = field(default=None, compare=False)

    @property
    def ids(self) -> list[str]:
        """Theme ids in codebook order."""
        return [t.id for t in self.themes]

    def labels(self, lang: str = "fi") -> dict[str, str]:
        """Theme id → label in ``lang``, plus the ``uncoded`` pseudo-theme."""
        out = {t.id: t.label(lang) for t in self.themes}
        out[UNCODED] = _UNCODED_LABELS.get(lang, _UNCODED_LABELS["en"])
        return out


def available_codebooks() -> list[str]:
    """Names of the theme codebooks shipped in ``sosrake_lib/themes``.

    >>> available_codebooks()
    ['competence', 'course', 'interviews']
    """
    return sorted(p.stem for p in THEMES_DIR.glob("*.yaml") if not p.name.startswith("_"))


def _parse_entry(raw: Any, where: str) -> tuple[_Term, ...]:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"{where}: every stem must be a non-empty text, got {raw!r}")
    words = _norm(raw).split()
    terms = []
    for w in words:
        exact = w.startswith("=")
        anchored = w.startswith("^")
        body = w[1:] if exact or anchored else w
        if not body.isalpha():
            raise ConfigError(
                f"{where}: stem {raw!r} may contain only letters (a leading '=' means 'whole word only', "
                "'^' 'beginning of a word only'); write a hyphenated word as two stems"
            )
        if not exact and len(body) < MIN_STEM_LENGTH:
            raise ConfigError(
                f"{where}: stem {raw!r} is shorter than {MIN_STEM_LENGTH} letters and would match far too "
                f"many words; write it as '={body}' to match the whole word only"
            )
        terms.append(_Term(body, exact, anchored))
    return tuple(terms)


def load_theme_codebook(name_or_path: str | Path) -> ThemeCodebook:
    """Read and check a theme codebook.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped codebook name ("interviews", "competence", "course") or the path of a YAML file.

    Returns
    -------
    ThemeCodebook

    Raises
    ------
    ConfigError
        When the file is missing or a theme is malformed (the message names the file and the theme).

    Examples
    --------
    >>> cb = load_theme_codebook("interviews")
    >>> cb.ids[:3]
    ['asuminen', 'toimeentulo', 'tyo']
    >>> cb.themes[0].label("en")
    'Housing'
    """
    path = Path(name_or_path)
    if path.suffix.lower() not in {".yaml", ".yml"}:
        path = THEMES_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ConfigError(
            f"theme codebook {str(name_or_path)!r} not found (looked for {path}); "
            f"shipped codebooks: {', '.join(available_codebooks())}"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise ConfigError(f"{path}: expected a mapping with a non-empty list 'themes'")
    min_compound = int(data.get("min_compound_length", 4))
    if min_compound < MIN_STEM_LENGTH:
        raise ConfigError(f"{path}: min_compound_length must be at least {MIN_STEM_LENGTH}")
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["themes"], start=1):
        where = f"{path.name}: theme {i}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping with id, label_fi, label_en, stems")
        tid = str(raw.get("id", ""))
        where = f"{path.name}: theme {tid or i!r}"
        if not _ID_RE.match(tid) or tid == UNCODED:
            raise ConfigError(
                f"{where}: id must be ASCII snake_case (a-z, 0-9, _) and not {UNCODED!r}"
            )
        if tid in seen:
            raise ConfigError(f"{where}: duplicate id")
        seen.add(tid)
        for key in ("label_fi", "label_en"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ConfigError(f"{where}: missing {key}")
        stems = raw.get("stems")
        if not isinstance(stems, list) or not stems:
            raise ConfigError(f"{where}: 'stems' must be a non-empty list")
        exclude = raw.get("exclude") or []
        if not isinstance(exclude, list):
            raise ConfigError(f"{where}: 'exclude' must be a list")
        for entry in exclude:
            if len(_parse_entry(entry, where)) != 1:
                raise ConfigError(f"{where}: exclude entry {entry!r} must be a single word")
        for entry in stems:
            _parse_entry(entry, where)
        themes.append(
            Theme(
                id=tid,
                label_fi=raw["label_fi"].strip(),
                label_en=raw["label_en"].strip(),
                stems=tuple(" ".join(_norm(s).split()) for s in stems),
                exclude=tuple(_norm(s).strip() for s in exclude),
                description_fi=str(raw.get("description_fi", "")).strip(),
                description_en=str(raw.get("description_en", "")).strip(),
            )
        )
    return ThemeCodebook(
        name=str(data.get("name", path.stem)),
        themes=tuple(themes),
        title_fi=str(data.get("title_fi", "")),
        title_en=str(data.get("title_en", "")),
        min_compound_length=min_compound,
        path=path,
    )


# --------------------------------------------------------------------------------------------- lemmas
# simplemma 2.0 ships its Finnish dictionary (3.5 million word forms) as an lzma-compressed front-coded stream
# that it decodes record by record in Python into a dict: about 2-3 s in every process that lemmatises, for
# the few hundred distinct words of a semester's open answers. The same dictionary is kept here, once per
# machine, as sorted blocks of 128 entries (zlib) with the first key of each block: it loads in ~0.02 s and a
# lookup bisects to a block and decodes only that one. Lemmas are identical (the same simplemma strategies
# run on the same dictionary; only the storage differs), see ``tests/test_text.py``.
_LEMMA_LANG = "fi"
_BLOCK = 128
_CACHE_MAGIC = b"SOSRAKE-LEMMA-BLOCKS-1\n"
_HEADER = struct.Struct(
    "<QQQI"
)  # entries, blocks, bytes of the first-key list, CRC-32 of the blocks


def lemma_cache_dir() -> Path:
    """Folder of the lemma-dictionary cache: ``$SOSRAKE_CACHE_DIR``, else ``$XDG_CACHE_HOME/sosrake``, else
    ``~/.cache/sosrake``.

    >>> lemma_cache_dir().name != ""
    True
    """
    env = os.environ.get("SOSRAKE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sosrake"


def _cache_file() -> Path:
    """Cache file name tied to the simplemma version and the shipped dictionary file's content."""
    import simplemma
    from simplemma.strategies.dictionaries import dictionary_factory as dfac

    data = (Path(dfac.__file__).parent / "data" / f"{_LEMMA_LANG}.plzma").read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    return lemma_cache_dir() / f"simplemma-{simplemma.__version__}-{_LEMMA_LANG}-{digest}.blocks"


class _BlockDictionary(Mapping[str, str]):
    """Read-only ``str -> str`` view of a sorted dictionary stored in zlib-compressed blocks."""

    def __init__(self, firsts: list[str], offsets: list[int], blob: bytes, count: int) -> None:
        self._firsts = firsts
        self._offsets = offsets
        self._blob = blob
        self._count = count
        self._blocks: dict[int, dict[str, str]] = {}

    def _block(self, i: int) -> dict[str, str]:
        block = self._blocks.get(i)
        if block is None:
            parts = (
                zlib.decompress(self._blob[self._offsets[i] : self._offsets[i + 1]])
                .decode("utf-8")
                .split("\0")
            )
            block = self._blocks[i] = dict(zip(parts[::2], parts[1::2], strict=True))
        return block

    def get(
        self, key: str, default: Any = None
    ) -> Any:  # the only method simplemma's strategies call
        i = bisect.bisect_right(self._firsts, key) - 1
        if i < 0:
            return default
        return self._block(i).get(key, default)

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return str(value)

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self._firsts)):
            yield from self._block(i)

    def __len__(self) -> int:
        return self._count


def _encode_blocks(items: Sequence[tuple[str, str]], block_size: int = _BLOCK) -> bytes:
    """The cache file's bytes for sorted ``(key, value)`` pairs: magic, header (entries, blocks, length of
    the first-key list, CRC-32 of the blocks), the blocks' first keys, their offsets, the zlib blocks."""
    if any(
        "\0" in k or "\0" in v for k, v in items
    ):  # never in simplemma 2.0; NUL separates the fields
        raise ValueError("dictionary entry with a NUL character")
    firsts: list[str] = []
    offsets = [0]
    chunks: list[bytes] = []
    for start in range(0, len(items), block_size):
        block = items[start : start + block_size]
        firsts.append(block[0][0])
        chunks.append(zlib.compress("\0".join(x for kv in block for x in kv).encode("utf-8"), 6))
        offsets.append(offsets[-1] + len(chunks[-1]))
    keys = "\0".join(firsts).encode("utf-8")
    blob = b"".join(chunks)
    return b"".join(
        [
            _CACHE_MAGIC,
            _HEADER.pack(len(items), len(firsts), len(keys), zlib.crc32(blob)),
            keys,
            array.array("Q", offsets).tobytes(),
            blob,
        ]
    )


def _decode_blocks(data: bytes) -> _BlockDictionary | None:
    """The dictionary stored by :func:`_encode_blocks`; ``None`` for a damaged or foreign file."""
    if not data.startswith(_CACHE_MAGIC):
        return None
    try:
        pos = len(_CACHE_MAGIC)
        count, n_blocks, n_keys, crc = _HEADER.unpack_from(data, pos)
        pos += _HEADER.size
        firsts = data[pos : pos + n_keys].decode("utf-8").split("\0") if n_blocks else []
        pos += n_keys
        offsets = array.array("Q")
        offsets.frombytes(data[pos : pos + 8 * (n_blocks + 1)])
        blob = data[pos + 8 * (n_blocks + 1) :]
    except (ValueError, struct.error):
        return None
    if (
        len(firsts) != n_blocks
        or len(offsets) != n_blocks + 1
        or offsets[-1] != len(blob)
        or zlib.crc32(blob) != crc
    ):
        return None
    return _BlockDictionary(firsts, offsets.tolist(), blob, count)


def prepare_lemma_cache() -> Path | None:
    """Build the lemma-dictionary cache if it is missing; return its path (``None``: it cannot be written).

    Decodes simplemma's shipped Finnish dictionary with simplemma's own loader and stores it sorted, in
    blocks. Takes about 5 s once per machine and simplemma version; the runner calls it before it starts the
    notebooks, so parallel kernels do not each build it.
    """
    try:
        path = _cache_file()
        if not path.is_file():
            from simplemma.strategies.dictionaries.dictionary_factory import (
                DefaultDictionaryFactory,
            )

            full = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(_LEMMA_LANG)
            atomic_write_bytes(path, _encode_blocks(sorted((k, full[k]) for k in full)))
        return path
    except (OSError, ValueError):
        return None


def _load_block_dictionary() -> _BlockDictionary | None:
    path = prepare_lemma_cache()
    if path is None:
        return None
    try:
        return _decode_blocks(path.read_bytes())
    except OSError:
        return None


class _CachedFinnishFactory:
    """simplemma ``DictionaryFactory``: the Finnish dictionary from the block cache; other languages, and
    Finnish when the cache cannot be used, from simplemma's default factory."""

    def __init__(self) -> None:
        self._fi: Mapping[str, str] | None = None

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY

        if lang != _LEMMA_LANG:
            return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
        if self._fi is None:
            cached = _load_block_dictionary()
            self._fi = (
                cached if cached is not None else DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
            )
        return self._fi


@lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    """simplemma's default lemmatizer (as ``simplemma.lemmatize(token, lang)`` uses: default strategies,
    not greedy) on the cached dictionary."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(
        lemmatization_strategy=DefaultStrategy(
            greedy=False, dictionary_factory=_CachedFinnishFactory()
        )
    )


# --------------------------------------------------------------------------------------------- matching
@lru_cache(maxsize=500_000)
def _lemma(token: str) -> str:
    return str(_lemmatizer().lemmatize(token, _LEMMA_LANG)).lower()


def _terms_regex(terms: Sequence[_Term], min_compound: int) -> str | None:
    """One anchored regular expression for a set of single-word terms (literal letters only, so Python's
    ``re`` and pyarrow's RE2 give the same answer)."""
    exact = sorted({t.text for t in terms if t.exact})
    short = sorted(
        {t.text for t in terms if not t.exact and (t.anchored or len(t.text) < min_compound)}
    )
    long_ = sorted(
        {t.text for t in terms if not t.exact and not t.anchored and len(t.text) >= min_compound}
    )
    parts = []
    if exact:
        parts.append(f"^(?:{'|'.join(exact)})$")
    if short:
        parts.append(f"^(?:{'|'.join(short)})")
    if long_:
        parts.append(f"^(?:.{{{MIN_PRECEDING},}})?(?:{'|'.join(long_)})")
    return "|".join(parts) if parts else None


def _contains(values: pd.Series, pattern: str | None) -> np.ndarray:
    if pattern is None or values.empty:
        return np.zeros(len(values), dtype=bool)
    return values.str.contains(pattern, regex=True).to_numpy(dtype=bool, copy=True)


@dataclass
class _Compiled:
    single: dict[str, str | None]  # theme id -> regex for its one-word entries
    exclude: dict[str, str | None]
    phrases: dict[
        str, list[list[str]]
    ]  # theme id -> list of phrases, each a list of one-term regexes


@lru_cache(maxsize=32)
def _compile(codebook: ThemeCodebook) -> _Compiled:
    mc = codebook.min_compound_length
    single: dict[str, str | None] = {}
    exclude: dict[str, str | None] = {}
    phrases: dict[str, list[list[str]]] = {}
    for theme in codebook.themes:
        words: list[_Term] = []
        phrases[theme.id] = []
        for entry in theme.stems:
            terms = _parse_entry(entry, theme.id)
            if len(terms) == 1:
                words.extend(terms)
            else:
                phrases[theme.id].append([_terms_regex([t], mc) or "" for t in terms])
        single[theme.id] = _terms_regex(words, mc)
        exclude[theme.id] = _terms_regex([_parse_entry(e, theme.id)[0] for e in theme.exclude], mc)
    return _Compiled(single, exclude, phrases)


def _tokenise(texts: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Row position and token of every word (lower case, NFC, hyphens split); ``texts`` has a RangeIndex."""
    s = texts.astype("str").str.normalize("NFC").str.lower()
    toks = s.str.findall(_TOKEN_RE.pattern).explode()
    toks = toks[toks.notna()]
    return toks.index.to_numpy(dtype=np.int64), toks.astype("str").reset_index(drop=True)


def _token_matrix(
    uniq: pd.Series, codebook: ThemeCodebook, lemmatize: bool
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, list[list[np.ndarray]]]]:
    """Per distinct token: which themes' single-word entries, excludes and phrase words it matches."""
    comp = _compile(codebook)
    lemmas = pd.Series([_lemma(t) for t in uniq], dtype="str") if lemmatize else None

    def hit(pattern: str | None, use_lemma: bool = True) -> np.ndarray:
        m = _contains(uniq, pattern)
        if use_lemma and lemmas is not None:
            m |= _contains(lemmas, pattern)
        return m

    single = {tid: hit(p) for tid, p in comp.single.items()}
    excl = {tid: hit(p, use_lemma=False) for tid, p in comp.exclude.items()}
    phr = {tid: [[hit(p) for p in phrase] for phrase in lst] for tid, lst in comp.phrases.items()}
    return single, excl, phr


def _phrase_hits(
    phrase: list[np.ndarray], codes: np.ndarray, ok: np.ndarray, row_pos: np.ndarray
) -> np.ndarray:
    """True at token position i when tokens i, i+1, ... match the phrase's words within one answer."""
    m = len(codes)
    out = np.ones(m, dtype=bool)
    for off, term_hit in enumerate(phrase):
        step = np.zeros(m, dtype=bool)
        step[: m - off] = (term_hit[codes] & ok)[off:] & (row_pos[off:] == row_pos[: m - off])
        out &= step
    return out


def code_themes(
    texts: pd.Series,
    codebook: ThemeCodebook | str | Path,
    *,
    multi: bool = True,
    lemmatize: bool = True,
) -> pd.DataFrame:
    """Code open answers against a theme codebook.

    Parameters
    ----------
    texts : pandas.Series
        Open answers, one per respondent (already scrubbed of identifiers if the result will be shown).
    codebook : ThemeCodebook, str or Path
        A codebook or the name/path to load one.
    multi : bool, default True
        ``True``: an answer gets every theme it mentions. ``False``: only the theme with the most matching
        words (ties go to the theme listed first in the codebook).
    lemmatize : bool, default True
        Also test each word's simplemma lemma (catches consonant gradation). ``False`` is faster and skips
        loading the dictionary, at the cost of missing forms such as "kohdattiin".

    Returns
    -------
    pandas.DataFrame
        Same index as ``texts``; one boolean column per theme id in codebook order, then ``uncoded``: True
        for a non-empty answer that matched no theme. Empty or missing answers are False everywhere (they are
        not answers). ``attrs["theme_labels"]`` holds the labels for :func:`theme_frequencies`.

    Examples
    --------
    >>> cb = load_theme_codebook("interviews")
    >>> s = pd.Series(["Jonossa odotin kuukauden ja sain toimeentulotuen", None, "Hyvä"])
    >>> c = code_themes(s, cb)
    >>> sorted(c.columns[c.loc[0]])
    ['saatavuus', 'toimeentulo']
    >>> c.loc[1].any(), bool(c.loc[2, "uncoded"])
    (np.False_, True)
    >>> code_themes(s, cb, multi=False).loc[0].sum()
    np.int64(1)
    """
    if not isinstance(codebook, ThemeCodebook):
        codebook = load_theme_codebook(codebook)
    ids = codebook.ids
    n = len(texts)
    plain = texts.reset_index(drop=True)
    present = plain.astype("str").str.strip().str.len().fillna(0).gt(0).to_numpy(dtype=bool)
    counts = np.zeros((n, len(ids)), dtype=np.int64)
    if present.any():
        row_pos, toks = _tokenise(plain.where(pd.Series(present)))
        if len(toks):
            codes, uniq = pd.factorize(toks)
            uniq_s = pd.Series(np.asarray(uniq, dtype=object), dtype="str")
            single, excl, phr = _token_matrix(uniq_s, codebook, lemmatize)
            for j, tid in enumerate(ids):
                ok = ~excl[tid][codes]
                hit = single[tid][codes] & ok
                for phrase in phr[tid]:
                    hit |= _phrase_hits(phrase, codes, ok, row_pos)
                np.add.at(counts[:, j], row_pos[hit], 1)
    matched = counts > 0
    if not multi and len(ids):
        best = counts.argmax(axis=1)
        single_theme = np.zeros_like(matched)
        single_theme[np.arange(n), best] = True
        matched &= single_theme
    out = pd.DataFrame(matched, index=texts.index, columns=ids)
    out[UNCODED] = present & ~matched.any(axis=1)
    out.attrs["theme_labels"] = {"fi": codebook.labels("fi"), "en": codebook.labels("en")}
    out.attrs["codebook"] = codebook.name
    return out


# --------------------------------------------------------------------------------------------- summaries
def _label_map(coded: pd.DataFrame, codebook: ThemeCodebook | None, lang: str) -> dict[str, str]:
    """Labels from the codebook, else from ``coded.attrs``, else from the shipped codebook whose theme ids
    the columns are (``DataFrame.join`` and friends drop ``attrs``)."""
    if codebook is not None:
        return codebook.labels(lang)
    labels = coded.attrs.get("theme_labels", {})
    if labels:
        return dict(labels.get(lang) or labels.get("fi") or {})
    cols = set(coded.columns)
    for name in available_codebooks():
        cb = load_theme_codebook(name)
        if set(cb.ids) <= cols:
            return cb.labels(lang)
    return {UNCODED: _UNCODED_LABELS.get(lang, _UNCODED_LABELS["en"])}


def theme_frequencies(
    coded: pd.DataFrame,
    by: str | Sequence[str] | pd.Series | pd.DataFrame | None = None,
    *,
    lang: str = "fi",
    codebook: ThemeCodebook | None = None,
    sort: bool = True,
) -> pd.DataFrame:
    """How many answering respondents mentioned each theme, overall or by group.

    Parameters
    ----------
    coded : pandas.DataFrame
        The result of :func:`code_themes` (boolean theme columns and ``uncoded``), possibly joined with group
        columns.
    by : column name(s) of ``coded``, or a Series/DataFrame aligned on its index, optional
        Groups such as question or semester.
    lang : {"fi", "en"}
        Language of the ``label`` column.
    codebook : ThemeCodebook, optional
        Source of labels; by default they come from ``coded.attrs`` (set by :func:`code_themes`).
    sort : bool, default True
        Most frequent theme first within each group (codebook order breaks ties); ``uncoded`` always last.

    Returns
    -------
    pandas.DataFrame
        Group columns, then ``theme``, ``label``, ``n`` (respondents mentioning the theme), ``n_answering``
        (respondents in the group with a non-empty answer) and ``percent`` (100 * n / n_answering; themes
        overlap, so percentages may add up to more than 100). Not yet protected against small cells: pass it
        through ``privacy.suppress_small_cells`` before publishing.

    Examples
    --------
    >>> cb = load_theme_codebook("interviews")
    >>> s = pd.Series(["Asunto", "Vuokra ja velat", "", "Kiitos", "Toimeentulotuki"])
    >>> f = theme_frequencies(code_themes(s, cb))
    >>> f.head(3)[["theme", "label", "n", "n_answering", "percent"]]
             theme                  label  n  n_answering  percent
    0     asuminen               Asuminen  2            4     50.0
    1  toimeentulo  Toimeentulo ja talous  2            4     50.0
    2          tyo  Työ ja työllistyminen  0            4      0.0
    """
    theme_cols = [c for c in coded.columns if coded[c].dtype == bool]
    if UNCODED not in theme_cols:
        raise ValueError(
            "coded must be the result of code_themes (it has no boolean 'uncoded' column)"
        )
    if by is None:
        groups = pd.DataFrame(index=coded.index)
    elif isinstance(by, pd.Series):
        groups = by.to_frame()
    elif isinstance(by, pd.DataFrame):
        groups = by
    else:
        cols = [by] if isinstance(by, str) else list(by)
        groups = coded[cols]
        theme_cols = [c for c in theme_cols if c not in cols]
    group_cols = list(groups.columns)
    labels = _label_map(coded, codebook, lang)
    flags = coded[theme_cols].astype(bool)
    answering = flags.any(axis=1)
    data = flags.join(groups.reindex(coded.index)).assign(_answering=answering)
    order = [c for c in theme_cols if c != UNCODED] + [UNCODED]
    if group_cols:
        sums = data.groupby(group_cols, dropna=False, sort=True, observed=True)[
            [*order, "_answering"]
        ].sum()
    else:
        sums = data[[*order, "_answering"]].sum().to_frame().T
    long = sums.melt(
        id_vars=None, value_vars=order, var_name="theme", value_name="n", ignore_index=False
    )
    long["n_answering"] = sums["_answering"].reindex(long.index).to_numpy()
    long = long.reset_index(drop=not group_cols)
    long["rank"] = long["theme"].map({t: i for i, t in enumerate(order)})
    long["is_uncoded"] = long["theme"].eq(UNCODED)
    keys = [*group_cols, "is_uncoded"] + (["n"] if sort else []) + ["rank"]
    asc = [True] * (len(group_cols) + 1) + ([False] if sort else []) + [True]
    long = long.sort_values(keys, ascending=asc, kind="stable")
    long["label"] = [labels.get(t, t) for t in long["theme"]]
    long["n"] = long["n"].astype("int64")
    long["n_answering"] = long["n_answering"].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        long["percent"] = np.where(
            long["n_answering"] > 0, 100.0 * long["n"] / long["n_answering"], np.nan
        )
    return long[[*group_cols, "theme", "label", "n", "n_answering", "percent"]].reset_index(
        drop=True
    )


def uncoded_answers(texts: pd.Series, coded: pd.DataFrame) -> pd.Series:
    """Non-empty answers that matched no theme, for staff to read and to extend the codebook with.

    Examples
    --------
    >>> cb = load_theme_codebook("interviews")
    >>> s = pd.Series(["Asunto", "Kiitos kaikesta", None, "  "])
    >>> uncoded_answers(s, code_themes(s, cb)).tolist()
    ['Kiitos kaikesta']
    """
    mask = coded[UNCODED].reindex(texts.index).fillna(False).astype(bool)
    return texts[mask].astype("str").str.strip()


def _shorten(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars`` characters at a word boundary, ending with "…"."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if " " in cut and not text[max_chars - 1].isspace():
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—.") + "…"


def candidate_quotes(
    texts: pd.Series,
    coded: pd.DataFrame,
    *,
    max_chars: int = 200,
    per_theme: int = 3,
    seed: int = 0,
    scrub: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Draw a few example answers per theme for a person to review (``quotes_for_review.csv``).

    Quotes are a *proposal*: every row has ``approved = False`` until someone has read it. The texts must
    already be free of identifiers (``privacy.scrub_pii`` in cleaning) or a ``scrub`` function must be given;
    it is applied to the whole answer before shortening, so a phone number is never cut in half and missed.

    Parameters
    ----------
    texts : pandas.Series
        The answers that were coded.
    coded : pandas.DataFrame
        The result of :func:`code_themes` for ``texts``.
    max_chars : int, default 200
        Longer answers are cut at a word boundary and end with "…" (the result is at most ``max_chars``).
    per_theme : int, default 3
        At most this many quotes per theme (fewer when fewer distinct answers exist).
    seed : int, default 0
        Random seed (numpy ``default_rng``): the same data and seed give the same quotes.
    scrub : callable, optional
        ``str -> str`` applied to each answer first, e.g. ``sosrake_lib.privacy.scrub_pii``.

    Returns
    -------
    pandas.DataFrame
        Columns ``theme``, ``quote``, ``length`` (characters), ``approved`` (False) and ``source``
        (index label of the answer in ``texts``), themes in codebook order.

    Examples
    --------
    >>> cb = load_theme_codebook("interviews")
    >>> s = pd.Series(["Asunto löytyi nopeasti, kiitos siitä koko tiimille", "Kela-asiat selvisivät"])
    >>> q = candidate_quotes(s, code_themes(s, cb), max_chars=30)
    >>> q[["theme", "quote", "length", "approved"]]
             theme                    quote  length  approved
    0     asuminen  Asunto löytyi nopeasti…      23     False
    1  toimeentulo    Kela-asiat selvisivät      21     False
    2    saatavuus  Asunto löytyi nopeasti…      23     False
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    themes = [c for c in coded.columns if coded[c].dtype == bool and c != UNCODED]
    clean = texts.astype("str").str.strip()
    for theme in themes:
        mask = coded[theme].reindex(texts.index).fillna(False).astype(
            bool
        ) & clean.str.len().fillna(0).gt(0)
        pool = clean[mask].drop_duplicates()
        if pool.empty or per_theme <= 0:
            continue
        take = rng.choice(len(pool), size=min(per_theme, len(pool)), replace=False)
        for i in sorted(take):
            text = str(pool.iloc[i])
            if scrub is not None:
                text = scrub(text)
            quote = _shorten(text, max_chars)
            rows.append(
                {
                    "theme": theme,
                    "quote": quote,
                    "length": len(quote),
                    "approved": False,
                    "source": pool.index[i],
                }
            )
    return pd.DataFrame(rows, columns=["theme", "quote", "length", "approved", "source"])


def explain_matches(text: str, codebook: ThemeCodebook | str | Path) -> pd.DataFrame:
    """Which word of ``text`` matched which theme, and through which entry: for checking a codebook edit.

    A phrase entry is listed under the word that matches its first word (whether the whole phrase matched is
    what :func:`code_themes` reports).

    Examples
    --------
    >>> explain_matches("Odotin vuokra-asunnossa", "interviews")
           token    lemma      theme   entry  excluded
    0     odotin  odottaa  saatavuus   ^odot     False
    1     vuokra   vuokra   asuminen  vuokra     False
    2  asunnossa   asunto   asuminen    asun     False
    """
    if not isinstance(codebook, ThemeCodebook):
        codebook = load_theme_codebook(codebook)
    mc = codebook.min_compound_length
    rows = []
    for token in _TOKEN_RE.findall(_norm(text)):
        lemma = _lemma(token)
        for theme in codebook.themes:
            excluded = any(
                re.search(_terms_regex(_parse_entry(e, theme.id), mc) or "$^", token)
                for e in theme.exclude
            )
            for entry in theme.stems:
                terms = _parse_entry(entry, theme.id)
                pat = _terms_regex(terms[:1], mc) or "$^"
                if re.search(pat, token) or re.search(pat, lemma):
                    rows.append(
                        {
                            "token": token,
                            "lemma": lemma,
                            "theme": theme.id,
                            "entry": entry,
                            "excluded": excluded,
                        }
                    )
    return pd.DataFrame(rows, columns=["token", "lemma", "theme", "entry", "excluded"])
