"""Scrubbing identifiers from free text (moved from :mod:`sosrake_lib.privacy`, which re-exports it).

:func:`scrub_pii` replaces direct and strong indirect identifiers in open answers with a bracketed tag. The kinds
follow the Finnish Social Science Data Archive (FSD, *Aineistonhallinnan käsikirja*, anonymisation section):
names, henkilötunnus and name-based e-mail are direct identifiers; address, phone number, bank account and car
registration plate are strong indirect ones. Covered, in the forms Finns write them:

- ``personal_id`` henkilötunnus: ``131052-308T``, the 2023 century signs (``- Y X W V U`` for the 1900s,
  ``A B C D E F`` for the 2000s, ``+`` for the 1800s), an en dash, a space before the sign (``131052 -308T``),
  lower-case letters;
- ``phone``: ``040 123 4567``, ``040-1234567``, ``040/123 4567``, ``040.123.4567``, ``040–123 4567``,
  ``(09) 123 4567``, ``+358 40 123 4567``, ``+358 (0)40/123 4567``, ``00358 ...``;
- ``email``: ``maija.virtanen@kunta.fi``, ``maija @ kunta.fi``, ``maija(at)kunta.fi``, ``maija [at] kunta.fi``,
  ``maija at kunta.fi``;
- ``iban`` bank account: ``FI21 1234 5600 0007 85``, ``FI2112345600000785`` and other countries' IBANs;
- ``address``: a street name with a street-type ending (``Kauppakatu 12 B 5``, ``Rantatiellä 3``,
  ``Pohjoisesplanadi 11``, ``Storgatan 5``), or any capitalised word with a house number *and* a staircase
  letter and flat number, an apartment (``as. 5``) or a postal code and town (``Storgatan 5 B 12``,
  ``Ilmarinen 5 C 17``, ``Ahonen 3, 70100 Kuopio``);
- ``plate`` car registration plate: ``ABC-123``, ``AB-1`` (not ``ICD-10``, ``PHQ-9``, ``WHO-5``...);
- ``name``: the names the caller knows about, whole, as a prefix (``Maijalle``), with two stem rules
  (``Virtaselle``, ``Pekan``) and, for capitalised words, by the Finnish lemmatiser (``Järven`` of Järvi,
  ``Mäeltä`` of Mäki, ``Tuomaksen`` of Tuomas).

Dates, times, years, amounts, percentages, counts, credits, postal codes on their own, business ids and
ordinary codes stay. Scrubbing is pattern based and errs on the side of removing too much; quotes still go to a
human for approval. :func:`find_pii` finds exactly what :func:`scrub_pii` removes (the same patterns), for
``sosrake scan``.

Examples
--------
>>> scrub_pii("Soita Maijalle 040 123 4567 tai maija.virtanen@kainuu.fi", names=["Maija Virtanen"])
'Soita [nimi] [puhelinnumero] tai [sähköposti]'
>>> scrub_pii("Kiitos Järven tiimille! Tili FI21 1234 5600 0007 85, auto ABC-123.", names=["Laura Järvi"])
'Kiitos [nimi] tiimille! Tili [tilinumero], auto [rekisterinumero].'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
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
        "iban": "[tilinumero]",
        "address": "[osoite]",
        "plate": "[rekisterinumero]",
        "name": "[nimi]",
    },
    "en": {
        "personal_id": "[personal id]",
        "phone": "[phone]",
        "email": "[email]",
        "iban": "[account number]",
        "address": "[address]",
        "plate": "[registration plate]",
        "name": "[name]",
    },
}

# Henkilötunnus: DDMMYY, century sign (- + A-F Y X W V U; an en dash or a non-breaking hyphen from word
# processors too, optionally after a space: "131052 -308T"), three digits and the check character, either letter
# case. The check character is not validated: a mistyped code is still an identifier.
_HETU = (
    r"(?<![\w+-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d(?:[ \u00a0]?[-+–\u2011A-FUVWXYa-fuvwxy]|[ \u00a0])"
    r"\d{3}[0-9A-Za-z]"
    r"(?!\w)"
)

# E-mail, also with the "(at)"/"[at]" spelling that Finnish web pages use against harvesters, "at" between
# spaces ("maija at kunta.fi"; not before www./http, "available at www.thl.fi") and spaces around "@"; \w covers
# ä ö å.
_AT = r"(?:[ \u00a0]?[@\uff20][ \u00a0]?|\s?[(\[](?i:at)[)\]]\s?|[ \u00a0](?i:at)[ \u00a0](?!(?i:www\.|https?:)))"
_DOT = r"(?:[ \u00a0]?\.|\s?[(\[](?i:dot|piste)[)\]]\s?|[ \u00a0](?i:dot|piste)[ \u00a0])"
_EMAIL = (
    r"(?<![\w.+'-])[\w.+'-]+"
    + _AT
    + r"[\w-]+(?:"
    + _DOT
    + r"[\w-]+)*"
    + _DOT
    + r"[^\W\d_]{2,}(?!\w)"
)

# Phone numbers. International: +358 / 00358, optional (0), area or operator code, subscriber digits.
# Domestic: a leading 0 (or "(09)"), then 5-8 more digits in groups separated by single spaces, hyphens or en
# dashes. After the area code a slash ("040/123 4567", also with spaces) or a dot ("040.123.4567") may separate
# too, when at least three digits follow it: dates (01.10.2022, 05/2022, 01/2021-02/2022) and times (09.35) do
# not. Never starts after a word character, so years, amounts, dates and postal codes do not qualify; a
# business id (Y-tunnus, 1234567-8) is not a phone number.
_SEP = r"(?:[ \u00a0]{1,2}|[ \u00a0]?[\-–—\u2011][ \u00a0]?)"
_MARKED = (  # a slash or a dot after the area code, then 3-4 digits and more groups (dots allowed)
    r"(?:[ \u00a0]?/[ \u00a0]?|\.)\d{3,4}(?:(?:" + _SEP + r"|\.)?\d){2,5}(?!\d|[./]\d)"
)
_PHONE = (
    r"(?:(?<![\w+])(?:\+|00)?358(?:" + _SEP + r"|\.)?(?:\(0\)" + _SEP + r"?)?\d{1,3}"
    r"(?:(?:" + _SEP + r"?\d){4,8}(?!\d)|" + _MARKED + ")"
    r"|(?<![\w+])\+(?!358)\d{1,3}(?:[ \u00a0.\-]?\d){6,12}(?!\d)"
    r"|(?<![\w+])(?!\d{7}[-–]\d(?!\d))(?:\(0\d{1,3}\)|0\d{1,3})"
    r"(?:(?:" + _SEP + r"?\d){5,8}(?!\d)|" + _MARKED + "))"
)

# IBAN: Finnish ones (FI + 16 digits) in either letter case, other countries' in capitals (2 letters, 2 check
# digits, 12-30 more letters and digits, in groups of four or not). Check digits are not validated.
_IBAN = (
    r"(?<![\w-])(?:(?i:fi)[ \u00a0-]?\d{2}(?:[ \u00a0-]?\d){14}(?!\d)"
    r"|[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){3,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?)(?![\w-])"
)

# Street address: a word ending in a street-type suffix (base form or a common case form such as Kauppakadulla,
# Rantatiellä; Swedish -gatan, -vägen...), a house number or range, optional staircase letter and apartment,
# optional postal code + town. Without a listed suffix, any capitalised word followed by a house number counts
# only with a staircase letter and flat number, an apartment or a postal code and town ("Storgatan 5 B 12",
# "Ilmarinen 5 C 17"): a capitalised word and a number alone is as often "Kurssi 5", "Ryhmä 3", "Vastaajia 12".
_STREET_SUFFIX = (
    r"(?:katu|kadu|tie|kuja|polku|polu|raitti|raiti|väylä|ranta|ranna|rinne|rintee|tori|kaari|kaare|piha|aukio"
    r"|esplanadi|bulevardi|puisto|puistikko|kaarre|kaartee|ahde|ahtee|kumpu|kummu|mäki|mäe"
    r"|gatan|gata|vägen|väg|gränd|stigen|torget|backen|allén)"
    r"(?:n|ll[aä]|lle|lt[aä])?"
)
_HOUSE = r"\s+\d{1,4}(?:\s?[-–]\s?\d{1,4})?(?!\d)"  # house number or range: 12, 12-14
_HOUSE_SHORT = (
    r"\s+\d{1,3}(?:\s?[-–]\s?\d{1,3})?(?!\d)"  # without a street suffix: never a year (2019)
)
_APARTMENT = r"\s(?i:as|asunto)\.?\s?\d{1,3}(?!\d)"  # apartment alone: 12 as. 5
_POSTAL = r",?\s\d{5}\s[A-ZÅÄÖ][a-zåäö]+"  # postal code and town: , 70100 Kuopio
# After a word that says an address follows ("osoitteessa", "asun"), any capitalised word and a house number
# is one: "asun Mäntylä 5" (a surname or a village as the street name, no suffix to go by).
_ADDRESS_CUE = (
    "(?:"
    + "|".join(
        rf"(?<=(?i:{cue})\s)"
        for cue in (
            "osoite",
            "osoite:",
            "osoitteessa",
            "osoitteeseen",
            "osoitteesta",
            "osoitteena",
            "kotiosoite",
            "os.",
            "asun",
            "asuu",
            "asumme",
            "asuvat",
            "asuin",
            "adress",
            "address",
            "bor på",
        )
    )
    + ")"
)
_ADDRESS = (
    r"(?<![\w-])(?=[^\W\d_][\w-]*(?:\s(?i:tie|katu|kuja|polku|väylä|raitti|kaari|tori|aukio|gatan|vägen))?"
    r"\s+\d)(?:"  # a word (or "Myllymäen tie"), then a number: checked first, it is quick
    r"(?:(?:[^\W\d_]+-)+[^\W\d_]*|[^\W\d_]+)(?i:"
    + _STREET_SUFFIX
    + r")"
    + _HOUSE
    + r"(?:\s?[A-Za-zÅÄÖåäö](?!\w)(?:\s?\d{1,3}(?!\d))?|"
    + _APARTMENT
    + r")?"  # staircase + apartment: 12 B 5
    + r"(?:"
    + _POSTAL
    + r")?"
    r"|[A-ZÅÄÖ][^\W\d_]+\s(?i:tie|katu|kuja|polku|väylä|raitti|kaari|tori|aukio|gatan|vägen)"
    + _HOUSE
    + r"(?:\s?[A-Za-zÅÄÖåäö](?!\w)(?:\s?\d{1,3}(?!\d))?)?"  # two words: Myllymäen tie 7
    + r"|[A-ZÅÄÖ][^\W\d_]+(?:-[^\W\d_]+)*"
    + _HOUSE_SHORT
    + r"(?:(?:\s?[A-ZÅÄÖ](?![^\W\d_])\s?\d{1,3}(?!\d)|"
    + _APARTMENT
    + r")(?:"
    + _POSTAL
    + r")?"
    + r"|(?:\s?[A-Za-zÅÄÖåäö](?!\w))?"
    + _POSTAL
    + r")"
    r"|"
    + _ADDRESS_CUE
    + r"[A-ZÅÄÖ][^\W\d_]+(?:-[^\W\d_]+)*(?<!ssa)(?<!ssä)(?<!lla)(?<!llä)(?<!sta)(?<!stä)"
    + _HOUSE_SHORT
    + r"(?!\s(?i:vuo|v\.|kk|kuu|viik|päiv|vrk|kerta|henk|lasta|hlö))"  # "asun Mäntylä 5", not
    # "asun Kuopiossa 5 vuotta"
    + r"(?:\s?[A-ZÅÄÖ](?![^\W\d_])(?:\s?\d{1,3}(?!\d))?|"
    + _APARTMENT
    + r")?)"
)

# Car registration plate: 2-3 capital letters, a hyphen (or en dash) and 1-3 digits. Codes of the same shape that
# social and health care texts use (ICD-10, DSM-5, PHQ-9, GAD-7, WHO-5, EU-27...) and technical ones that reports
# print (UTF-8, SHA-256) are not plates.
_PLATE = (
    r"(?<![\w-])(?!(?:ICD|DSM|PHQ|GAD|HPV|EKG|WHO|BDI|ALV|EU|CO|MMR|RAI|BMI|TV|UTF|SHA|AES|ISO|RFC|USB|TYP|AMK"
    r"|THL|SHL|OP|NPS)[-– \u00a0])(?:[A-ZÅÄÖ]{2,3}[-–]\d{1,3}|(?i:[a-zåäö]{3})[-–]\d{3}|[A-ZÅÄÖ]{3}[ \u00a0]\d{3})(?![\w-]|[.,]\d)"
)

_BASE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("email", _EMAIL),
    ("personal_id", _HETU),
    ("iban", _IBAN),
    ("phone", _PHONE),
    ("address", _ADDRESS),
    ("plate", _PLATE),
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
            anchors.add(
                re.sub(r"\\(.)", r"\1", variant.removesuffix(r"\w*").removesuffix(r"(?!\w)"))
            )
    return sorted(anchors)


# Names whose stem changes when inflected (Järvi -> Järven, Mäki -> Mäeltä, Kangas -> Kankaan, Tuomas ->
# Tuomaksen) are found with simplemma, the Finnish lemmatiser :mod:`sosrake_lib.text` uses (through its block
# cache of simplemma's dictionary and its lemma cache). Finnish surnames are often common nouns (järvi "lake",
# lahti "bay", mäki "hill", kangas "heath", lampi "pond"), so only *capitalised* words are lemmatised: in an
# answer "järven rannalla" is the lake and "Järven kanssa" the person. Only candidate words are looked up: a
# capitalised word whose first letters are those every inflected form of a name shares (three, or two when the
# third is a k, p, t or s that consonant gradation changes: Mäki -> Mäen, Susi -> Suden), so most words of an
# answer never reach the lemmatiser. simplemma gets all of Järven, Lahden, Mäen, Kankaan, Lammen, Tuomaksen and
# Markuksen (and their other cases) right; the two hand stem rules of :func:`_name_variants` stay for the
# names it does not know (Tervonen -> Tervoselle, which it takes for Tervo).
_GRADATING = "kpts"


def _lemma_prefix(word: str) -> str:
    """The letters (casefolded) every inflected form of a one-word name starts with."""
    return word[:2] if word[2] in _GRADATING else word[:3]


@functools.lru_cache(maxsize=64)
def _lemma_names(names: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str], str] | None:
    """(regex of candidate words, casefolded one-word names, RE2 prefilter of the candidates); ``None`` without
    names of 3+ letters.

    A candidate starts with the capital of a name's first letter followed by the rest of its prefix in any
    case (``Jär``, ``JÄR``, ``Mä``...). The prefilter is the same literal text, so every text the candidate regex
    matches in Python also passes it in RE2.
    """
    words = frozenset(
        c.casefold()
        for c in _name_candidates(names)
        if len(c) >= 3 and c.isalpha() and " " not in c
    )
    alternatives = set()
    for word in words:
        prefix = _lemma_prefix(word)
        head = prefix[0].upper()
        if len(head) != 1 or not head.isupper():
            continue
        alternatives.add(re.escape(head) + "(?i:" + re.escape(prefix[1:]) + ")")
    if not alternatives:
        return None
    anchors = "|".join(sorted(alternatives))
    candidates = re.compile(r"(?<![\w\[])(?:" + anchors + r")[^\W\d_]*(?!\w)")
    return candidates, words, anchors


@functools.lru_cache(maxsize=200_000)
def _lemma_of(word: str) -> str:
    """Casefolded lemma of a capitalised word, looked up in title case (simplemma takes "Kangasta" for a form of
    Kangas but "kangasta" for one of kangastaa, and "TUOMAKSEN" as written for one of tuoda)."""
    from sosrake_lib.text import _lemma

    return _lemma(word[0] + word[1:].lower()).casefold()


def _lemma_spans(
    text: str, names: tuple[str, ...], taken: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Capitalised words of ``text`` that are inflected forms of the names by their lemma, outside ``taken``
    (sorted spans the patterns matched)."""
    found = _lemma_names(names)
    if found is None:
        return []
    candidates, words, _ = found
    out = []
    k = 0
    for m in candidates.finditer(text):
        start, end = m.span()
        while k < len(taken) and taken[k][1] <= start:
            k += 1
        if k < len(taken) and taken[k][0] < end:
            continue
        if _lemma_of(m.group()) in words:
            out.append((start, end, "name"))
    return out


# ``sosrake scan`` looks for names in outputs as whole, case-sensitive words: the scrubber's prefix forms are too
# often ordinary words there (Aino -> "Ainoa" the only, "ainoastaan"; Laura -> "Laurakatu"). Of the inflected
# forms the scrubber removes, it reports the capitalised ones that cannot be such a word: a stem-changed form by
# the lemmatiser (Järven, Mäeltä, Tuomaksen, Virtaselle) and a name or one of its hand stems followed by a
# case ending and/or clitic (Maijalle, Ainon, Lauralta, Maijakin, Virtasen, Pekan).
_CASE_ENDINGS = frozenset("n lle lla llä lta ltä ssa ssä sta stä na nä ksi tta ttä ta tä".split())
_CLITICS = ("", "kin", "kaan", "kään", "han", "hän", "ko", "kö", "pa", "pä")


def _is_case_form(rest: str, stem: str) -> bool:
    """Whether ``rest`` (after a vowel stem) is a case ending and/or a clitic; the illative repeats the stem's
    last vowel (Ainoon, not "Ainoan", the genitive of ainoa "only")."""
    for clitic in _CLITICS:
        if not rest.endswith(clitic):
            continue
        core = rest[: len(rest) - len(clitic)]
        if (
            (clitic and not core)
            or core in _CASE_ENDINGS
            or core in (stem[-1] + "n", "h" + stem[-1] + "n")
        ):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _vowel_stems(names: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(casefolded one-word names, hyphenated ones too; their vowel stems: the name itself when it ends in a
    vowel, and the stems of :func:`_name_variants` as vowel stems: Virtanen -> virtase, Pekka -> peka)."""
    words = frozenset(c.casefold() for c in _name_candidates(names) if " " not in c)
    stems = set()
    for word in words:
        if len(word) < 3:
            continue
        if word[-1] in "aeiouyäö":
            stems.add(word)
        if word.endswith("nen") and len(word) > 4:
            stems.add(word[:-3] + "se")
        m = re.search(r"(kk|pp|tt)([aeiouyäö])$", word)
        if m:
            stems.add(word[: m.start()] + word[m.start()] + word[-1])
    return words, tuple(sorted(stems, key=len, reverse=True))


def find_name_forms(text: Any, names: Iterable[str] | str = ()) -> list[str]:
    """Capitalised inflected forms of ``names`` in ``text`` that cannot be an ordinary word, for ``sosrake scan``.

    A subset of the names :func:`find_pii` reports (the same search), without whole names (the scanner looks for
    those as case-sensitive whole words) and without prefix forms that are also ordinary words: see the comment
    above :data:`_CASE_ENDINGS`.

    Examples
    --------
    >>> find_name_forms("Ainoa kerta: Ainolle ja Järven kanssa, järven rannalla, Aino.", ["Aino Järvi"])
    ['Ainolle', 'Järven']
    """
    if text is None or _is_na_scalar(text):
        return []
    return _find_name_forms(str(text), _names_key(names))


def _find_name_forms(text: str, key: tuple[str, ...]) -> list[str]:
    lemma = _lemma_names(key)
    if lemma is None or lemma[0].search(text) is None:  # every form starts like a candidate word
        return []
    lemma_words = lemma[1]
    words, stems = _vowel_stems(key)
    out = []
    for start, end, kind in _matches(text, key):
        if kind != "name":
            continue
        for word in text[start:end].split():
            folded = word.casefold()
            if not word[0].isupper() or folded in words:
                continue
            base = _lemma_of(word) if word.isalpha() else ""
            if (base in lemma_words and not folded.startswith(base)) or any(
                folded.startswith(stem) and _is_case_form(folded[len(stem) :], stem)
                for stem in stems
            ):
                out.append(word)
    return out


# Characters whose case-insensitive matching differs between engines (Python folds them onto ASCII letters):
# a text containing one is always scrubbed in full.
_FOLD_SPECIAL = "\u017f\u212a\u0130\u0131\ufb05\ufb06"


_BASE_PREFILTER = (
    r"\p{Nd}|@|[(\[](?i:at)[)\]]|" + "[ \u00a0](?i:at)[ \u00a0]|\uff20"
)  # RE2 has no \u escape
"""RE2: every text the identifier patterns (not names) can match has a Unicode digit (henkilötunnus, phone,
IBAN, street address: house number, plate), an ``@``, a bracketed ``at`` or an ``at`` between spaces
(e-mail)."""


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


def _lemma_prefilter(names: tuple[str, ...]) -> str | None:
    """RE2: every text the lemma search can find a name in holds a candidate word's start (:func:`_lemma_names`:
    the same literal text). ``None`` without names of 3+ letters."""
    lemma = _lemma_names(names)
    return None if lemma is None else "[" + _FOLD_SPECIAL + "]|" + lemma[2]


@functools.lru_cache(maxsize=64)
def _compiled(names: tuple[str, ...]) -> re.Pattern[str]:
    parts = [f"(?P<{kind}>{pattern})" for kind, pattern in _BASE_PATTERNS]
    name_pattern = _name_pattern(names)
    if name_pattern is not None:
        parts.append(f"(?P<name>{name_pattern})")
    return re.compile("|".join(parts))


def _matches(text: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every identifier in ``text``, in text order: what :func:`scrub_pii` replaces
    and :func:`find_pii` lists."""
    return _spans(text, names, _compiled(names))


def _spans(
    text: str, names: tuple[str, ...], pattern: re.Pattern[str] | None
) -> list[tuple[int, int, str]]:
    """:func:`_matches` with ``pattern`` instead of ``_compiled(names)``: the one without names for a text the
    names pattern cannot match, ``None`` for one no pattern can match (the lemma search only)."""
    spans = (
        []
        if pattern is None
        else [(m.start(), m.end(), m.lastgroup or "name") for m in pattern.finditer(text)]
    )
    if names:
        extra = _lemma_spans(text, names, spans)
        if extra:
            spans = sorted(spans + extra)
    return spans


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


def _scrubber(
    names: tuple[str, ...],
    tags: dict[str, str],
    *,
    name_pattern: bool = True,
    base_patterns: bool = True,
) -> Callable[[str], str]:
    """``text -> scrubbed text`` for these names and tags. For texts a part of the search cannot match
    (:func:`_scrub_distinct`), ``name_pattern=False`` leaves the names pattern out (names by lemma only) and
    ``base_patterns=False`` also the identifier patterns."""
    pattern = _compiled(names if name_pattern else ()) if base_patterns or name_pattern else None

    def repl(m: re.Match[str]) -> str:
        return tags[m.lastgroup or "name"]

    if _lemma_names(names) is None:
        return functools.partial(pattern.sub, repl) if pattern is not None else str

    def scrub(text: str) -> str:
        spans = _spans(text, names, pattern)
        if not spans:
            return text
        out = []
        pos = 0
        for start, end, kind in spans:
            out.append(text[pos:start])
            out.append(tags[kind])
            pos = end
        out.append(text[pos:])
        return "".join(out)

    return scrub


def scrub_pii(text: Any, names: Iterable[str] | str = (), *, lang: Lang = "fi") -> Any:
    """Replace identifiers in ``text`` with bracketed tags.

    Removes, in the forms Finns write them (the module docstring lists them): henkilötunnus (``131052-308T``,
    ``010101A123N``, ``131052 -308T``), phone numbers (``040 123 4567``, ``+358 40 123 4567``, ``(09) 123 4567``,
    ``040/123 4567``, ``040.123.4567``...), e-mail addresses (also ``etunimi.sukunimi(at)kainuu.fi`` and
    ``maija at kunta.fi``), IBANs (``FI21 1234 5600 0007 85``), street addresses (``Kauppakatu 12 B 5``,
    ``Rantatie 3``, ``Storgatan 5 B 12``, with an optional ``, 70100 Kuopio``), car registration plates
    (``ABC-123``) and the given ``names``. Ordinary numbers stay: years, amounts, percentages, dates
    (``12.10.2022``), credits, times (``klo 9-15``), counts and postal codes on their own.

    Parameters
    ----------
    text : str or None
        The free text. ``None``/NaN/``pd.NA`` are returned unchanged; other non-strings are scrubbed as
        ``str(text)``.
    names : iterable of str, optional
        Names of people who may be mentioned (e.g. the interviewer, staff). Each full name and each of its parts
        is removed as a whole word, case-insensitively; a part of 3 or more characters also when followed by a
        Finnish case ending (``Maijalle``, ``Virtaselle``, ``Pekan``) and, written with a capital, in any
        inflected form the Finnish lemmatiser traces back to it (``Järven``, ``Mäeltä``, ``Tuomaksen``).
    lang : {"fi", "en"}
        Language of the tags: ``[henkilötunnus]`` ``[puhelinnumero]`` ``[sähköposti]`` ``[tilinumero]``
        ``[osoite]`` ``[rekisterinumero]`` ``[nimi]``, or ``[personal id]`` ``[phone]`` ``[email]``
        ``[account number]`` ``[address]`` ``[registration plate]`` ``[name]``.

    Returns
    -------
    str
        The scrubbed text.

    Notes
    -----
    Which identifiers count as direct or strong indirect: FSD, *Aineistonhallinnan käsikirja* (anonymisation).
    Pattern matching cannot recognise a name it was not told about or a described person ("the only
    Swedish-speaking social worker in Kajaani"), so quotes still need human approval.

    Examples
    --------
    >>> scrub_pii("Hetu 131052-308T, puh. 044 797 0363, osoite Kauppakatu 12 B 5.")
    'Hetu [henkilötunnus], puh. [puhelinnumero], osoite [osoite].'
    >>> scrub_pii("Kiitos Virtaselle! Ryhmässä 12 henkeä, 500 euroa, 12.10.2022 klo 9-15.", names=["Virtanen"])
    'Kiitos [nimi]! Ryhmässä 12 henkeä, 500 euroa, 12.10.2022 klo 9-15.'
    >>> scrub_pii("Tuomaksen mukaan järven rannalla", names=["Tuomas Järvi"])
    '[nimi] mukaan järven rannalla'
    >>> scrub_pii("call +358401234567 or 040/123 4567", lang="en")
    'call [phone] or [phone]'
    >>> scrub_pii(None) is None
    True
    """
    tags = _tags(lang)
    if text is None or _is_na_scalar(text):
        return text
    return _scrubber(_names_key(names), tags)(str(text))


def scrub_pii_series(
    series: pd.Series, names: Iterable[str] | str = (), *, lang: Lang = "fi"
) -> pd.Series:
    """:func:`scrub_pii` over a column, each distinct text once, with a precompiled regex.

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
    key = _names_key(names)

    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        # Each distinct text is scrubbed once (open answers repeat: "Ei.", "Hyvä näin."); a regex pass over a
        # million cells is the slowest step of cleaning a national export (benchmarks/README.md).
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        distinct = pd.Series(uniques, dtype=series.dtype)
        done = _scrub_distinct(distinct, key, tags)
        if len(uniques) == len(series) and (codes == np.arange(len(series))).all():
            return pd.Series(done.array, index=series.index, name=series.name, dtype=done.dtype)
        values = pd.api.extensions.take(done.array, codes, allow_fill=True)
        return pd.Series(values, index=series.index, name=series.name, dtype=done.dtype)
    is_text = series.map(lambda v: isinstance(v, str)).astype(bool)
    if not is_text.any():
        return series.copy()
    out = series.copy()
    scrub = _scrubber(key, tags)
    texts = series[is_text]
    out[is_text] = pd.Series([scrub(t) for t in texts], index=texts.index, dtype=object)
    return out


def _scrub_texts(texts: pd.Series, scrub: Callable[[str], str]) -> pd.Series:
    return pd.Series([scrub(t) for t in texts], index=texts.index, dtype=texts.dtype)


def _scrub_distinct(distinct: pd.Series, names: tuple[str, ...], tags: dict[str, str]) -> pd.Series:
    """Scrub distinct texts; with Arrow strings, each goes through the least work that gives the same result.

    The full pattern (a long alternation of name variants) costs ~20 µs per text without names and ~190 µs with
    580 names; most answers hold no identifier at all. pyarrow's RE2 checks the whole column at once for what
    each part of the search needs (:data:`_BASE_PREFILTER`, :func:`_name_prefilter`, :func:`_lemma_prefilter`:
    supersets of what the parts can match): a text the names pattern may match goes through the full search,
    one with only a candidate word for the lemmatiser through the pattern without names and the lemma search,
    one that may only hold a number or an e-mail address through the pattern without names (where a part
    cannot match, leaving it out gives the same result), and the rest stay as they are. Same results as :func:`scrub_pii` text by
    text (tested on random texts full of names, numbers and e-mail addresses).
    """
    full = _scrubber(names, tags)
    if (
        not (isinstance(distinct.dtype, pd.StringDtype) and distinct.dtype.storage == "pyarrow")
        or len(distinct) < 64
    ):
        return _scrub_texts(distinct, full)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(distinct.array)

    def flags(regex: str) -> np.ndarray:
        found = pc.fill_null(pc.match_substring_regex(arr, regex), False)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)

    none = np.zeros(len(distinct), dtype=bool)
    try:
        base = flags(_BASE_PREFILTER)
        name_regex = _name_prefilter(names)
        named = flags(name_regex) if name_regex is not None else none
        lemma_regex = _lemma_prefilter(names)
        lemma = flags(lemma_regex) & ~named if lemma_regex is not None else none
    except pa.ArrowInvalid:  # RE2 refused a pattern (e.g. too many names): scrub everything
        return _scrub_texts(distinct, full)
    out = distinct.copy()
    if named.any():
        out[named] = _scrub_texts(distinct[named], full)
    for with_base in (True, False):
        part = lemma & (base if with_base else ~base)
        if part.any():
            out[part] = _scrub_texts(
                distinct[part], _scrubber(names, tags, name_pattern=False, base_patterns=with_base)
            )
    only_base = base & ~named & ~lemma
    if only_base.any():
        out[only_base] = _scrub_texts(distinct[only_base], _scrubber((), tags))
    return out


def find_pii(text: Any, names: Iterable[str] | str = ()) -> list[tuple[str, str]]:
    """List the identifiers :func:`scrub_pii` would remove, as ``(kind, matched text)`` in text order.

    Kinds: ``"personal_id"``, ``"phone"``, ``"email"``, ``"iban"``, ``"address"``, ``"plate"``, ``"name"``. The
    same search as :func:`scrub_pii` (patterns and lemmas), so whatever the scrubber removes a scanner finds.
    Meant for scanners (is any identifier left in an output file?) and tests.

    Examples
    --------
    >>> find_pii("Maija: 040-1234567, 010101A123N")
    [('phone', '040-1234567'), ('personal_id', '010101A123N')]
    >>> find_pii("Maija: 040/123 4567", names=["Maija"])
    [('name', 'Maija'), ('phone', '040/123 4567')]
    >>> find_pii("Lahden kanssa, ABC-123", names=["Pekka Lahti"])
    [('name', 'Lahden'), ('plate', 'ABC-123')]
    >>> find_pii(None)
    []
    """
    if text is None or _is_na_scalar(text):
        return []
    text = str(text)
    return [(kind, text[start:end]) for start, end, kind in _matches(text, _names_key(names))]
