"""Scrubbing identifiers from free text (moved from :mod:`sosrake_lib.privacy`, which re-exports it).

:func:`scrub_pii` replaces direct and strong indirect identifiers in open answers with a bracketed tag:
henkilötunnus (personal identity code), phone numbers, e-mail addresses, street addresses and the names the
caller knows about. The kinds follow the Finnish Social Science Data Archive (FSD, *Aineistonhallinnan
käsikirja*, anonymisation section): names, henkilötunnus and name-based e-mail are direct identifiers;
address and phone number are strong indirect ones. Scrubbing is pattern based and errs on the side of
removing too much; quotes still go to a human for approval. :func:`find_pii` finds the same forms for
``sosrake scan``.

Examples
--------
>>> scrub_pii("Soita Maijalle 040 123 4567 tai maija.virtanen@kainuu.fi", names=["Maija Virtanen"])
'Soita [nimi] [puhelinnumero] tai [sähköposti]'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from sosrake_lib.errors import ConfigError

Lang = Literal["fi", "en"]

# --------------------------------------------------------------------------------------------------------------
# 1. Scrubbing identifiers from free text
# --------------------------------------------------------------------------------------------------------------

#: Replacement tags, by language and kind of identifier.
TAGS: dict[str, dict[str, str]] = {
    "fi": {
        "personal_id": "[henkilötunnus]",
        "phone": "[puhelinnumero]",
        "email": "[sähköposti]",
        "address": "[osoite]",
        "name": "[nimi]",
    },
    "en": {
        "personal_id": "[personal id]",
        "phone": "[phone]",
        "email": "[email]",
        "address": "[address]",
        "name": "[name]",
    },
}

# Henkilötunnus: DDMMYY, century sign (- + A-F Y X W V U; an en dash from word processors too), three digits
# and the check character. The check character is not validated: a mistyped code is still an identifier.
_HETU = r"(?<![\w+-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[-+–A-FUVWXYa-fuvwxy]\d{3}[0-9A-Za-z](?!\w)"

# E-mail, also with the "(at)" spelling that Finnish web pages use against harvesters; \w covers ä ö å.
_EMAIL = r"(?<![\w.+'-])[\w.+'-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)"

# Phone numbers. International: +358 / 00358, optional (0), area or operator code, subscriber digits.
# Domestic: a leading 0 (or "(09)"), then 5-8 more digits in groups separated by single spaces or hyphens.
# Never starts after a word character, so years, amounts, dates (dots) and postal codes do not qualify; a
# business id (Y-tunnus, 1234567-8) is not a phone number.
_SEP = r"[ \u00a0-]"
_PHONE = (
    r"(?:(?<![\w+])(?:\+|00)358" + _SEP + r"?(?:\(0\)" + _SEP + r"?)?\d{1,3}(?:" + _SEP + r"?\d){4,8}(?!\d)"
    r"|(?<![\w+])(?!\d{7}-\d(?!\d))(?:\(0\d{1,3}\)|0\d{1,3})(?:" + _SEP + r"?\d){5,8}(?!\d))"
)

# Street address: a word ending in a street-type suffix (base form or a common case form such as Kauppakadulla,
# Rantatiellä), a house number or range, optional staircase letter and apartment, optional postal code + town.
_STREET_SUFFIX = (
    r"(?:katu|kadu|tie|kuja|polku|polu|raitti|raiti|väylä|ranta|ranna|rinne|rintee|tori|kaari|kaare|piha|aukio)"
    r"(?:n|ll[aä]|lle|lt[aä])?"
)
_ADDRESS = (
    r"(?<![\w-])(?:(?:[^\W\d_]+-)+[^\W\d_]*|[^\W\d_]+)(?i:" + _STREET_SUFFIX + r")"
    r"\s+\d{1,4}(?:\s?[-–]\s?\d{1,4})?(?!\d)"  # house number or range: 12, 12-14
    r"(?:\s?[A-Za-zÅÄÖåäö](?!\w)(?:\s?\d{1,3}(?!\d))?"  # staircase + apartment: 12 B 5, 12b
    r"|\s(?i:as|asunto)\.?\s?\d{1,3}(?!\d))?"  # apartment alone: 12 as. 5
    r"(?:,?\s\d{5}\s[A-ZÅÄÖ][a-zåäö]+)?"  # postal code and town: , 70100 Kuopio
)

_BASE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("email", _EMAIL),
    ("personal_id", _HETU),
    ("phone", _PHONE),
    ("address", _ADDRESS),
)


def _name_variants(name: str) -> list[str]:
    """Regex alternatives for one name: itself and the stems of its common inflected forms.

    Finnish names inflect (Maija -> Maijalle, Virtanen -> Virtaselle, Pekka -> Pekan); names of 3+ characters
    match as a word prefix (``Maija\\w*``), and two stem rules cover the commonest consonant changes:
    ``-nen -> -s-`` (Virtanen -> Virtas-) and a doubled k/p/t before the final vowel (Pekka -> Peka-).
    """
    parts = name.split()
    head = r"\s+".join(re.escape(p) for p in parts[:-1])
    last = parts[-1]
    stems = [last]
    if len(last) >= 3:
        if last.casefold().endswith("nen") and len(last) > 4:
            stems.append(last[:-3] + "s")
        m = re.search(r"(kk|pp|tt)([aeiouyäö])$", last, flags=re.IGNORECASE)
        if m:
            stems.append(last[: m.start()] + last[m.start()] + last[-1])
    out = []
    for stem in stems:
        body = (head + r"\s+" if head else "") + re.escape(stem)
        full = " ".join([*parts[:-1], stem])
        out.append(body + (r"\w*" if len(full) >= 3 else r"(?!\w)"))
    return out


def _name_candidates(names: tuple[str, ...]) -> set[str]:
    """Every full name and each of its parts; hyphenated first names also by part ("Anna-Liisa": "Anna", "Liisa",
    3+ characters)."""
    candidates: set[str] = set()
    for raw in names:
        full = " ".join(raw.split())
        if not full:
            continue
        candidates.update({full, *full.split()})
        for part in full.split():
            candidates.update(p for p in part.split("-") if len(p) >= 3)
    return candidates


def _name_pattern(names: tuple[str, ...]) -> str | None:
    variants: dict[str, int] = {}
    for cand in _name_candidates(names):
        for variant in _name_variants(cand):
            variants[variant] = len(cand)
    if not variants:
        return None
    # longest names first: regex alternation takes the first alternative that matches
    ordered = sorted(variants, key=lambda v: (-variants[v], -len(v), v))
    return r"(?<![\w\[])(?i:" + "|".join(ordered) + ")"


def _name_anchors(names: tuple[str, ...]) -> list[str]:
    """Literal text every match of the names pattern starts with: the first word of each name variant.

    Same candidates and stems as :func:`_name_pattern`; a variant is ``head + stem``, so a match of it begins
    with the literal first word of the head, or with the stem when there is no head.
    """
    anchors: set[str] = set()
    for cand in _name_candidates(names):
        parts = cand.split()
        if len(parts) > 1:
            anchors.add(parts[0])
            continue
        anchors.add(cand)
        for variant in _name_variants(cand):  # the shortened stems (Virtas-, Peka-)
            anchors.add(re.sub(r"\\(.)", r"\1", variant.removesuffix(r"\w*").removesuffix(r"(?!\w)")))
    return sorted(anchors)


# Characters whose case-insensitive matching differs between engines (Python folds them onto ASCII letters):
# a text containing one is always scrubbed in full.
_FOLD_SPECIAL = "\u017f\u212a\u0130\u0131\ufb05\ufb06"


_BASE_PREFILTER = r"\p{Nd}|@|[(\[]at[)\]]"
"""RE2: every text the identifier patterns (not names) can match has a Unicode digit (henkilötunnus, phone,
street address: house number), an ``@`` or a bracketed ``at`` (e-mail)."""


@functools.lru_cache(maxsize=64)
def _name_prefilter(names: tuple[str, ...]) -> str | None:
    """RE2: every text the names pattern can match holds one of :func:`_name_anchors` in some letter case.

    Texts with a character whose case folding differs between engines (Python folds ``ſ`` onto ``s``, the
    Kelvin sign onto ``k`` ...) are flagged too. ``None`` without names.
    """
    anchors = _name_anchors(names)
    if not anchors:
        return None
    return "[" + _FOLD_SPECIAL + "]|(?i:" + "|".join(re.escape(a) for a in anchors) + ")"


@functools.lru_cache(maxsize=64)
def _compiled(names: tuple[str, ...]) -> re.Pattern[str]:
    parts = [f"(?P<{kind}>{pattern})" for kind, pattern in _BASE_PATTERNS]
    name_pattern = _name_pattern(names)
    if name_pattern is not None:
        parts.append(f"(?P<name>{name_pattern})")
    return re.compile("|".join(parts))


def _names_key(names: Iterable[Any] | str | None) -> tuple[str, ...]:
    if names is None:
        return ()
    if isinstance(names, str):
        names = (names,)
    out = set()
    for name in names:
        if name is None or (not isinstance(name, str) and pd.isna(name)):
            continue
        text = " ".join(str(name).split())
        if text:
            out.add(text)
    return tuple(sorted(out))


def _tags(lang: str) -> dict[str, str]:
    try:
        return TAGS[lang]
    except KeyError:
        raise ConfigError(f"lang must be 'fi' or 'en', not {lang!r}") from None


def _is_na_scalar(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def scrub_pii(text: Any, names: Iterable[str] | str = (), *, lang: Lang = "fi") -> Any:
    """Replace identifiers in ``text`` with bracketed tags.

    Removes, in the forms Finns write them: henkilötunnus (``131052-308T``, ``010101A123N``), phone numbers
    (``040 123 4567``, ``+358 40 123 4567``, ``(09) 123 4567``, ``050 12 34 567``...), e-mail addresses (also
    ``etunimi.sukunimi(at)kainuu.fi``), street addresses (``Kauppakatu 12 B 5``, ``Rantatie 3``, with an
    optional ``, 70100 Kuopio``) and the given ``names``. Ordinary numbers stay: years, amounts, percentages,
    dates (``12.10.2022``), credits, times (``klo 9-15``) and postal codes on their own.

    Parameters
    ----------
    text : str or None
        The free text. ``None``/NaN/``pd.NA`` are returned unchanged; other non-strings are scrubbed as
        ``str(text)``.
    names : iterable of str, optional
        Names of people who may be mentioned (e.g. the interviewer, staff). Each full name and each of its parts
        is removed as a whole word, case-insensitively; a part of 3 or more characters also when followed by a
        Finnish case ending (``Maijalle``, ``Virtaselle``, ``Pekan``).
    lang : {"fi", "en"}
        Language of the tags: ``[henkilötunnus]`` ``[puhelinnumero]`` ``[sähköposti]`` ``[osoite]`` ``[nimi]``,
        or ``[personal id]`` ``[phone]`` ``[email]`` ``[address]`` ``[name]``.

    Returns
    -------
    str
        The scrubbed text.

    Notes
    -----
    Which identifiers count as direct or strong indirect: FSD, *Aineistonhallinnan käsikirja* (anonymisation). Pattern matching cannot recognise a name it was not told about or a described person
    ("the only Swedish-speaking social worker in Kajaani"), so quotes still need human approval.

    Examples
    --------
    >>> scrub_pii("Hetu 131052-308T, puh. 044 797 0363, osoite Kauppakatu 12 B 5.")
    'Hetu [henkilötunnus], puh. [puhelinnumero], osoite [osoite].'
    >>> scrub_pii("Kiitos Virtaselle! Ryhmässä 12 henkeä, 500 euroa, 12.10.2022 klo 9-15.", names=["Virtanen"])
    'Kiitos [nimi]! Ryhmässä 12 henkeä, 500 euroa, 12.10.2022 klo 9-15.'
    >>> scrub_pii("call +358401234567", lang="en")
    'call [phone]'
    >>> scrub_pii(None) is None
    True
    """
    tags = _tags(lang)
    if text is None or _is_na_scalar(text):
        return text
    pattern = _compiled(_names_key(names))
    return pattern.sub(lambda m: tags[m.lastgroup or "name"], str(text))


def scrub_pii_series(series: pd.Series, names: Iterable[str] | str = (), *, lang: Lang = "fi") -> pd.Series:
    """:func:`scrub_pii` over a column, with pandas' ``.str.replace`` and one precompiled regex.

    Missing values stay missing; the index, name and (string or object) dtype are kept. In an ``object`` column
    only the string cells are scrubbed, other values pass through.

    Examples
    --------
    >>> s = pd.Series(["puh 0401234567", None, "ei tunnisteita, 5 ECTS"])
    >>> scrub_pii_series(s).tolist()
    ['puh [puhelinnumero]', nan, 'ei tunnisteita, 5 ECTS']
    """
    tags = _tags(lang)
    if not isinstance(series, pd.Series):
        raise TypeError(f"scrub_pii_series expects a pandas Series, not {type(series).__name__}")
    pattern = _compiled(_names_key(names))

    def repl(m: re.Match[str]) -> str:
        return tags[m.lastgroup or "name"]

    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        # Each distinct text is scrubbed once (open answers repeat: "Ei.", "Hyvä näin."); a regex pass over a
        # million cells is the slowest step of cleaning a national export (benchmarks/README.md).
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        distinct = pd.Series(uniques, dtype=series.dtype)
        done = _scrub_distinct(distinct, pattern, repl, _names_key(names))
        if len(uniques) == len(series) and (codes == np.arange(len(series))).all():
            return pd.Series(done.array, index=series.index, name=series.name, dtype=done.dtype)
        values = pd.api.extensions.take(done.array, codes, allow_fill=True)
        return pd.Series(values, index=series.index, name=series.name, dtype=done.dtype)
    is_text = series.map(lambda v: isinstance(v, str)).astype(bool)
    if not is_text.any():
        return series.copy()
    out = series.copy()
    out[is_text] = series[is_text].astype(str).str.replace(pattern, repl, regex=True).astype(object)
    return out


def _scrub_distinct(distinct: pd.Series, pattern: re.Pattern[str], repl: Any, names: tuple[str, ...]) -> pd.Series:
    """Scrub distinct texts; with Arrow strings, each goes through the least regex that gives the same result.

    The full pattern (a long alternation of name variants) costs ~20 µs per text without names and ~190 µs with
    580 names; most answers hold no identifier at all. pyarrow's RE2 checks the whole column at once for what
    each part of the pattern needs (:data:`_BASE_PREFILTER`, :func:`_name_prefilter`: supersets of what the
    parts can match): a text that may hold a name goes through the full pattern, one that may only hold a
    number or an e-mail address through the pattern without names (where no name can match, the two give the
    same result), and the rest stay as they are. Same results as :func:`scrub_pii` text by text (tested on
    random texts full of names, numbers and e-mail addresses).
    """
    if not (isinstance(distinct.dtype, pd.StringDtype) and distinct.dtype.storage == "pyarrow") or len(distinct) < 64:
        return distinct.str.replace(pattern, repl, regex=True)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(distinct.array)

    def flags(regex: str) -> np.ndarray:
        found = pc.fill_null(pc.match_substring_regex(arr, regex), False)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)

    try:
        base = flags(_BASE_PREFILTER)
        name_regex = _name_prefilter(names)
        named = flags(name_regex) if name_regex is not None else np.zeros(len(distinct), dtype=bool)
    except pa.ArrowInvalid:  # RE2 refused a pattern (e.g. too many names): scrub everything
        return distinct.str.replace(pattern, repl, regex=True)
    out = distinct.copy()
    if named.any():
        out[named] = distinct[named].str.replace(pattern, repl, regex=True)
    only_base = base & ~named
    if only_base.any():
        out[only_base] = distinct[only_base].str.replace(_compiled(()), repl, regex=True)
    return out


def find_pii(text: Any, names: Iterable[str] | str = ()) -> list[tuple[str, str]]:
    """List the identifiers :func:`scrub_pii` would remove, as ``(kind, matched text)`` in text order.

    Kinds: ``"personal_id"``, ``"phone"``, ``"email"``, ``"address"``, ``"name"``. Meant for scanners (is any
    identifier left in an output file?) and tests.

    Examples
    --------
    >>> find_pii("Maija: 040-1234567, 010101A123N")
    [('phone', '040-1234567'), ('personal_id', '010101A123N')]
    >>> find_pii("Maija: 040-1234567", names=["Maija"])
    [('name', 'Maija'), ('phone', '040-1234567')]
    >>> find_pii(None)
    []
    """
    if text is None or _is_na_scalar(text):
        return []
    pattern = _compiled(_names_key(names))
    return [(m.lastgroup or "name", m.group(0)) for m in pattern.finditer(str(text))]


