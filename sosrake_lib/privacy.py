"""Privacy: scrub identifiers from free text, pseudonymise ids, suppress small cells.

Three tools, one for each place personal data can leak (see ``DOMAIN.md``, "Privacy and disclosure control"):

1. :func:`scrub_pii` replaces direct and strong indirect identifiers in open answers with a bracketed tag:
   henkilötunnus (personal identity code), phone numbers, e-mail addresses, street addresses and the names the
   caller knows about. The kinds follow the Finnish Social Science Data Archive (FSD, *Aineistonhallinnan
   käsikirja*, anonymisation section): names, henkilötunnus and name-based e-mail are direct identifiers;
   address and phone number are strong indirect ones. Scrubbing is pattern based and errs on the side of
   removing too much; quotes still go to a human for approval.
2. :func:`pseudonymise` turns respondent ids into keyed HMAC-SHA-256 hashes (RFC 2104, via :mod:`hmac` and
   :mod:`hashlib` from the standard library). Without the key a pseudonym cannot be reversed, even by trying
   every plausible id, and with the same key it is the same every semester. Pseudonymised data are still
   personal data (Tietosuojavaltuutettu), so the key lives outside the repository: :func:`load_pseudonym_key`.
3. Disclosure control for published aggregates: :func:`suppress_small_cells` (count tables such as
   organisation x role) and :func:`suppress_by_n` (one row of statistics per group).

The suppression rule
--------------------
*Primary suppression*: a cell that describes ``0 < n < min_n`` people is hidden (``min_n`` defaults to 5 and
is configurable). Zeros are published as 0: they describe nobody. This is the threshold (frequency) rule of
Statistics Finland's disclosure control (kynnysarvosääntö) and of FSD's guidance on publishing aggregates; the
project brief (``DOMAIN.md``) sets the threshold to 5.

*Secondary suppression*: where totals are published, a single hidden cell in a row or column could be worked out
as the total minus the visible cells. So in every line (row, column, or a one-way table) with exactly one hidden
cell, the smallest remaining non-zero visible cell of that line is hidden too, and this is repeated until no line
has exactly one hidden cell (Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley, ch. 5). The
heuristic is written out here because no well-kept Python library implements cell suppression (sdcTable is R,
tau-ARGUS a Java program whose Modular/Optimal methods find cheaper patterns with a mixed-integer optimiser); it
is deliberately simple, so that a reader can check by hand which cells went and why. It can hide more cells than
an optimal solver would. A line whose single hidden cell has only zeros beside it cannot be protected inside
the table; such lines are reported in ``attrs["unprotected_lines"]``.

Examples
--------
>>> scrub_pii("Soita Maijalle 040 123 4567 tai maija.virtanen@kainuu.fi", names=["Maija Virtanen"])
'Soita [nimi] [puhelinnumero] tai [sähköposti]'
>>> pseudonymise("R-0012", b"an example key of 32 characters!")
'849e98e432281734'
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import stat
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sosrake_lib.errors import ConfigError
from sosrake_lib.fmt import fmt_suppressed
from sosrake_lib.paths import PROJECT_ROOT

__all__ = [
    "DEFAULT_MIN_N",
    "DEMO_KEY",
    "KEY_ENV",
    "KEY_FILE_ENV",
    "MIN_KEY_LENGTH",
    "SUPPRESSED_MARK",
    "TAGS",
    "default_key_path",
    "find_pii",
    "is_small",
    "load_pseudonym_key",
    "new_key",
    "pseudonymise",
    "scrub_pii",
    "scrub_pii_series",
    "protect_hidden",
    "suppress_by_n",
    "suppress_small_cells",
    "suppressed_label",
]

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


# --------------------------------------------------------------------------------------------------------------
# 2. Pseudonyms
# --------------------------------------------------------------------------------------------------------------

#: Environment variable holding the key text itself.
KEY_ENV = "SOSRAKE_PSEUDONYM_KEY"
#: Environment variable holding the path of a key file.
KEY_FILE_ENV = "SOSRAKE_PSEUDONYM_KEY_FILE"
#: Shortest accepted key, in characters.
MIN_KEY_LENGTH = 16
#: Public key for the synthetic sample data only. Pseudonyms made with it protect nothing.
DEMO_KEY = b"sosrake-DEMO-key-for-synthetic-sample-data-only"

_KEY_HELP = (
    "Pseudonymisointiavain puuttuu / pseudonym key not found. "
    "Luo avain / create one: mkdir -p ~/.config/sosrake && "
    'python -c "import secrets; print(secrets.token_urlsafe(32))" > ~/.config/sosrake/pseudonym.key '
    f"(tai/or set {KEY_ENV} or {KEY_FILE_ENV}). "
    "Säilytä avain turvassa repositorion ulkopuolella ja käytä samaa avainta joka lukukausi, jotta pseudonyymit "
    "pysyvät samoina / keep it safe outside the repository and use the same key every semester so pseudonyms "
    "stay stable."
)


def new_key() -> str:
    """A fresh random key (32 bytes from :mod:`secrets`, URL-safe text of 43 characters).

    Examples
    --------
    >>> len(new_key()) >= 43 and new_key() != new_key()
    True
    """
    return secrets.token_urlsafe(32)


def default_key_path() -> Path:
    """Where the key file is looked for when no environment variable is set.

    ``$XDG_CONFIG_HOME/sosrake/pseudonym.key``, by default ``~/.config/sosrake/pseudonym.key``.

    Examples
    --------
    >>> default_key_path().name
    'pseudonym.key'
    """
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "sosrake" / "pseudonym.key"


def _check_key_text(text: str, source: str) -> bytes:
    key = text.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"pseudonymisointiavain on liian lyhyt / pseudonym key from {source} is too short "
            f"({len(key)} < {MIN_KEY_LENGTH} characters); create a new one with sosrake_lib.privacy.new_key()"
        )
    return key.encode("utf-8")


def _read_key_file(path: Path, source: str) -> bytes:
    path = path.expanduser()
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    if resolved.is_relative_to(PROJECT_ROOT):
        raise ConfigError(
            f"avaintiedosto on repositorion sisällä / the key file {path} ({source}) is inside the repository "
            f"{PROJECT_ROOT}; move it outside, e.g. to {default_key_path()}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"avaintiedostoa ei voi lukea / cannot read key file {path} ({source}): {exc}"
        ) from None
    if os.name == "posix":
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            warnings.warn(
                f"key file {path} is readable by other users; restrict it with: chmod 600 {path}",
                UserWarning,
                stacklevel=3,
            )
    return _check_key_text(text, f"file {path}")


def load_pseudonym_key(*, allow_demo: bool = False) -> tuple[bytes, bool]:
    """Find the pseudonymisation key; return ``(key, is_demo)``.

    Looked for, in order: the environment variable ``SOSRAKE_PSEUDONYM_KEY`` (the key text itself), the file
    named by ``SOSRAKE_PSEUDONYM_KEY_FILE``, and :func:`default_key_path` (``~/.config/sosrake/pseudonym.key``).
    Surrounding whitespace is stripped; the key must have at least 16 characters. A key file inside the project
    repository is refused: the key must be kept apart from the data (Tietosuojavaltuutettu).

    Parameters
    ----------
    allow_demo : bool
        When no key is found, return :data:`DEMO_KEY` with ``is_demo=True`` instead of raising. Only for the
        synthetic sample data: pseudonyms made with a public key can be reversed by anyone.

    Returns
    -------
    (bytes, bool)
        The key and whether it is the demo key.

    Raises
    ------
    ConfigError
        No key found (and ``allow_demo`` is false), a key file named by the environment is unreadable, a key
        is too short, or a key file is inside the repository. The message says in Finnish and English how to
        create a key.

    Examples
    --------
    >>> import os
    >>> os.environ["SOSRAKE_PSEUDONYM_KEY"] = "0123456789abcdef-example"
    >>> load_pseudonym_key()
    (b'0123456789abcdef-example', False)
    >>> del os.environ["SOSRAKE_PSEUDONYM_KEY"]
    """
    env_key = os.environ.get(KEY_ENV, "")
    if env_key.strip():
        return _check_key_text(env_key, f"${KEY_ENV}"), False
    env_file = os.environ.get(KEY_FILE_ENV, "")
    if env_file.strip():
        return _read_key_file(Path(env_file.strip()), f"${KEY_FILE_ENV}"), False
    path = default_key_path()
    if path.is_file():
        return _read_key_file(path, "default location"), False
    if allow_demo:
        return DEMO_KEY, True
    raise ConfigError(_KEY_HELP)


_HMAC_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104: B)
_IPAD = bytes(x ^ 0x36 for x in range(256))  # bytes.translate tables: XOR with ipad / opad
_OPAD = bytes(x ^ 0x5C for x in range(256))
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Characters ``str.split()`` treats as whitespace among ASCII (Python's str.isspace): ids with none of them and
# only ASCII characters are already normalised up to case, and their casefold is their ASCII lower case.
_ASCII_SPACE_CLASS = r"[\t\n\x0b\x0c\r\x1c-\x1f ]"


def _hmac_sha256_many(key: bytes, messages: Iterable[bytes]) -> list[bytes]:
    """``[hmac.digest(key, m, "sha256") for m in messages]``, about twice as fast for many short messages.

    HMAC as RFC 2104 defines it, ``H((K ^ opad) || H((K ^ ipad) || m))``, with the SHA-256 states after the
    padded key block computed once and copied per message, so each message costs two SHA-256 compressions
    instead of four (``hmac.digest`` sets the key up again for every call). Same bytes: checked against
    :func:`hmac.digest` in ``tests/test_privacy.py``.

    >>> k = b"an example key of 32 characters!"
    >>> _hmac_sha256_many(k, [b"r-0012", b""]) == [hmac.digest(k, m, "sha256") for m in (b"r-0012", b"")]
    True
    """
    if len(key) > _HMAC_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_HMAC_BLOCK, b"\0")
    icopy = hashlib.sha256(key.translate(_IPAD)).copy
    ocopy = hashlib.sha256(key.translate(_OPAD)).copy

    def one(message: bytes) -> bytes:
        inner = icopy()
        inner.update(message)
        outer = ocopy()
        outer.update(inner.digest())
        return outer.digest()

    return list(map(one, messages))


def _hex_rows(digests: list[bytes], length: int, prefix: str) -> np.ndarray:
    """``prefix + digest.hex()[:length]`` for each digest, as rows of a uint8 matrix (UTF-8 bytes)."""
    n = len(digests)
    nbytes = (length + 1) // 2
    raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(n, -1)[:, :nbytes]
    head = np.frombuffer(prefix.encode("utf-8"), dtype=np.uint8)
    buf = np.empty((n, len(head) + 2 * nbytes), dtype=np.uint8)
    buf[:, :len(head)] = head
    buf[:, len(head)::2] = _HEX[raw >> 4]
    buf[:, len(head) + 1::2] = _HEX[raw & 15]
    return buf[:, :len(head) + length]


_PSEUDONYM_CHUNK = 1 << 17  # distinct ids hashed per batch (bounds the Python objects alive at a time)


def _pseudonymise_arrow_strings(values: pd.Series, key: bytes, length: int, prefix: str) -> pd.Series:
    """:func:`pseudonymise` of an Arrow-backed ``str`` Series: each distinct id once, no per-row Python.

    Distinct ids come from Arrow's hash table (``pd.factorize``); ids that are pure ASCII without whitespace
    are normalised by Arrow's ASCII lower case (equal to ``casefold`` there), the others by the same Python
    expression as :func:`_normalise_id`. They are hashed in batches into one fixed-width byte matrix that
    becomes an Arrow string array, spread back to the rows with one ``take``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(values.array, use_na_sentinel=True)
    arr = pa.array(uniques, type=pa.large_string())
    n = len(arr)
    simple = pc.and_(pc.string_is_ascii(arr), pc.invert(pc.match_substring_regex(arr, _ASCII_SPACE_CLASS)))
    simple_np = np.asarray(pc.fill_null(simple, False).to_numpy(zero_copy_only=False), dtype=bool)
    valid = np.asarray(pc.binary_length(arr).to_numpy(zero_copy_only=False), dtype=np.int64) > 0
    lowered = pc.ascii_lower(arr).cast(pa.large_binary())
    width = len(prefix.encode("utf-8")) + length
    data = np.empty((n, width), dtype=np.uint8)
    for lo in range(0, n, _PSEUDONYM_CHUNK):
        hi = min(lo + _PSEUDONYM_CHUNK, n)
        messages = lowered.slice(lo, hi - lo).to_pylist()
        for i in (np.flatnonzero(~simple_np[lo:hi]) + lo).tolist():
            text = " ".join(uniques[i].split()).casefold()
            messages[i - lo] = text.encode("utf-8")
            valid[i] = bool(text)
        data[lo:hi] = _hex_rows(_hmac_sha256_many(key, messages), length, prefix)
    offsets = np.arange(n + 1, dtype=np.int64) * width
    bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    table = pa.Array.from_buffers(pa.large_string(), n, [bitmap, pa.py_buffer(offsets), pa.py_buffer(data)],
                                  null_count=int(n - valid.sum()))
    taken = table.take(pa.array(codes, mask=codes < 0))
    return pd.Series(taken, index=values.index, name=values.name, dtype="str")


def _normalise_id(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)  # Excel gives 123.0 for id 123 when the column has blanks
    return " ".join(str(value).split()).casefold()


def pseudonymise(values: Any, key: bytes | str, *, length: int = 16, prefix: str = "") -> Any:
    """Keyed pseudonyms: ``prefix + HMAC-SHA-256(key, normalised value)`` as hex, cut to ``length``.

    The value is normalised before hashing (``str()``, surrounding whitespace stripped, inner whitespace
    collapsed, :meth:`str.casefold`; an integer-valued float such as ``123.0`` counts as ``123``), so
    ``"  ABC "`` and ``"abc"`` get the same pseudonym. Missing and empty values stay missing. HMAC (RFC 2104)
    rather than a plain hash: without the key nobody can hash candidate ids and compare.

    Parameters
    ----------
    values : scalar, list, tuple, numpy array or pandas Series/Index
        The ids. The result has the same kind (a list for a tuple); a Series keeps its index and name and
        gets the ``str`` dtype. Each distinct value is hashed once.
    key : bytes or str
        The secret key, e.g. from :func:`load_pseudonym_key`. Text is encoded as UTF-8.
    length : int
        Number of hex characters kept, 1-64. 16 hex characters (64 bits) make an accidental collision among
        a million ids about a 1 in 36 million event.
    prefix : str
        Put in front of every pseudonym, e.g. ``"R-"``.

    Returns
    -------
    str or pd.NA, or a container of them

    Examples
    --------
    >>> key = b"an example key of 32 characters!"
    >>> pseudonymise(["  R-0012 ", "r-0012", None], key, length=8, prefix="p")
    ['p849e98e4', 'p849e98e4', <NA>]
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes | bytearray):
        raise TypeError(
            f"key must be bytes or str, not {type(key).__name__} (load_pseudonym_key returns a tuple)"
        )
    if not key:
        raise ConfigError("pseudonym key is empty")
    if not isinstance(length, int | np.integer) or not 1 <= length <= 64:
        raise ValueError(f"length must be an integer from 1 to 64, not {length!r}")
    key = bytes(key)
    if (isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype)
            and values.dtype.storage == "pyarrow"):
        # Fast path for text ids (a million of them at national scale, benchmarks/README.md): same pseudonyms.
        return _pseudonymise_arrow_strings(values, key, int(length), prefix)

    def one(value: Any) -> Any:
        if value is None or _is_na_scalar(value):
            return pd.NA
        text = _normalise_id(value)
        if not text:
            return pd.NA
        digest = hmac.digest(key, text.encode("utf-8"), "sha256").hex()  # one-shot C HMAC: same bytes, faster
        return prefix + digest[:length]

    if isinstance(values, pd.Series | pd.Index | np.ndarray | list | tuple):
        series = pd.Series(values if not isinstance(values, pd.Series) else values.to_numpy(), dtype=object)
        uniques = series.dropna().unique()
        # Fast path for text ids (a million of them at national scale): no per-value function call.
        norm = [" ".join(u.split()).casefold() if isinstance(u, str) else None for u in uniques]
        digest = hmac.digest
        mapping = {u: (prefix + digest(key, t.encode("utf-8"), "sha256").hex()[:length] if t else pd.NA)
                   if t is not None else one(u) for u, t in zip(uniques, norm, strict=True)}
        mapped = series.map(mapping)
        if isinstance(values, pd.Series):
            return pd.Series(mapped.to_numpy(), index=values.index, name=values.name, dtype="str")
        if isinstance(values, pd.Index):
            return pd.Index(mapped.to_numpy(), name=values.name, dtype="str")
        result = [pd.NA if _is_na_scalar(v) else v for v in mapped.tolist()]
        if isinstance(values, np.ndarray):
            return np.array(result, dtype=object)
        return result
    return one(values)


# --------------------------------------------------------------------------------------------------------------
# 3. Disclosure control
# --------------------------------------------------------------------------------------------------------------

#: Default threshold: a cell describing 1-4 people is not published.
DEFAULT_MIN_N = 5
#: Short mark for a hidden cell (Statistics Finland's symbol for confidential data).
SUPPRESSED_MARK = ".."


def suppressed_label(min_n: int = DEFAULT_MIN_N, lang: Lang = "fi", *, short: bool = False) -> str:
    """Text to show instead of a hidden number: :func:`sosrake_lib.fmt.fmt_suppressed`, or ``..`` when short.

    The same neutral label for cells hidden because they are small and for cells hidden so that a small one
    cannot be worked out (secondary rule); see :func:`~sosrake_lib.fmt.fmt_suppressed` for why.

    Examples
    --------
    >>> suppressed_label()
    'piilotettu'
    >>> suppressed_label(3, "en")
    'suppressed'
    >>> suppressed_label(short=True)
    '..'
    """
    if lang not in ("fi", "en"):
        raise ConfigError(f"lang must be 'fi' or 'en', not {lang!r}")
    _check_min_n(min_n)
    return SUPPRESSED_MARK if short else fmt_suppressed(min_n, lang)


def _check_min_n(min_n: Any) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise ConfigError(f"min_n must be a positive integer, not {min_n!r}")
    return int(min_n)


def is_small(n: Any, min_n: int = DEFAULT_MIN_N) -> bool:
    """Whether a count must be hidden by the primary rule: ``0 < n < min_n``.

    Zero is not small (it describes nobody). A missing ``n`` raises ``ValueError``: decide explicitly.

    Examples
    --------
    >>> is_small(4), is_small(5), is_small(0), is_small(2, min_n=3)
    (True, False, False, True)
    """
    min_n = _check_min_n(min_n)
    if n is None or _is_na_scalar(n):
        raise ValueError("n is missing: cannot tell whether the group is small")
    return bool(0 < n < min_n)


def _count_matrix(table: pd.DataFrame | pd.Series) -> np.ndarray:
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    for col in frame.columns:
        dtype = frame[col].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise ValueError(f"column {col!r} is not a column of counts (dtype {dtype})")
    values = frame.to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any():
        raise ValueError("the count table has missing cells; counts must be complete (use 0 for none)")
    if (values < 0).any():
        raise ValueError("the count table has negative cells; counts must be non-negative")
    if not np.array_equal(values, np.round(values)):
        raise ValueError("the count table has non-integer cells; pass counts, not percentages or means")
    return values.astype(np.int64)


def _label_mask(labels: pd.Index, wanted: Iterable[Any], what: str) -> np.ndarray:
    wanted = list(wanted)
    missing = [w for w in wanted if w not in labels]
    if missing:
        raise ValueError(f"{what} not in the table: {missing!r}")
    return np.asarray(labels.isin(wanted), dtype=bool)


def protect_hidden(sizes: Mapping[Any, float], hidden: Iterable[Any], min_n: int = DEFAULT_MIN_N) -> set[Any]:
    """Grow ``hidden`` until the hidden non-zero entries of one line cannot be worked out from its total.

    The entries of a line (a one-way table, a row of parts) add up to a published total, so the hidden ones
    add up to the total minus the shown ones. That sum must not single out one entry (one hidden entry alone)
    nor be a small count itself (1..min_n-1 people). While either holds, the smallest shown non-zero entry is
    hidden too (ties: the first). Zeros describe nobody and are never needed. Returns the grown set.

    Examples
    --------
    >>> sorted(protect_hidden({"a": 50, "b": 2, "c": 2, "d": 30}, {"b", "c"}))  # 2 + 2 = 4 people: d joins
    ['b', 'c', 'd']
    >>> sorted(protect_hidden({"a": 50, "b": 3, "c": 2, "d": 30}, {"b", "c"}))
    ['b', 'c']
    >>> sorted(protect_hidden({"a": 50, "b": 12}, {"b"}))  # one alone: a joins
    ['a', 'b']
    """
    hidden = set(hidden)
    while True:
        hidden_vals = [v for k, v in sizes.items() if k in hidden and v > 0]
        if not hidden_vals or (len(hidden_vals) >= 2 and sum(hidden_vals) >= min_n):
            return hidden
        visible = [k for k, v in sizes.items() if k not in hidden and v > 0]
        if not visible:
            return hidden
        hidden.add(min(visible, key=lambda k: sizes[k]))


def _secondary_pass(
    values: np.ndarray, supp: np.ndarray, total_row: np.ndarray, total_col: np.ndarray, min_n: int = 1
) -> bool:
    """One sweep over all rows, then all columns; returns whether anything changed.

    A line needs one more hidden cell when it has exactly one, or when its hidden cells (its own total aside,
    if that is shown) add up to 1..min_n-1 people: that sum is the line's total minus the shown cells, a small
    count of its own.
    """
    changed = False
    n_rows, n_cols = values.shape
    for axis in (0, 1):
        for i in range(n_rows if axis == 0 else n_cols):
            if axis == 0:
                line = (np.full(n_cols, i), np.arange(n_cols))
                own_total = total_col  # a row's own total is its cell in a total column
            else:
                line = (np.arange(n_rows), np.full(n_rows, i))
                own_total = total_row
            k = int(supp[line].sum())
            if k == 0:
                continue
            if k >= 2:
                inner = supp[line] & ~own_total
                if own_total.any() and supp[line][own_total].any():
                    continue  # the line's total is hidden too: the hidden cells' sum is not given away
                hidden_sum = values[line][inner].sum()
                if hidden_sum == 0 or hidden_sum >= min_n:
                    continue
            cand = ~supp[line] & (values[line] > 0) & ~own_total
            if not cand.any():
                continue
            masked = np.where(cand, values[line], np.iinfo(np.int64).max)
            k = int(np.argmin(masked))  # smallest; ties: the first in table order
            supp[line[0][k], line[1][k]] = True
            changed = True
    return changed


def suppress_small_cells(
    table: pd.DataFrame | pd.Series,
    min_n: int = DEFAULT_MIN_N,
    *,
    secondary: bool = True,
    total_rows: Iterable[Any] = (),
    total_cols: Iterable[Any] = (),
) -> pd.DataFrame | pd.Series:
    """Hide small counts in a frequency table, with secondary suppression.

    Parameters
    ----------
    table : DataFrame or Series
        Non-negative integer counts, e.g. ``pd.crosstab(df.organisation, df.role)``, or a one-way frequency
        table (a Series) whose total is published.
    min_n : int
        Primary rule: cells with ``0 < n < min_n`` are hidden. Zeros are published as 0.
    secondary : bool
        Secondary rule (module docstring): in every row and every column with exactly one hidden cell, hide the
        smallest non-zero visible cell of that line too; repeat until stable. Row and column totals are
        assumed to be published, whether or not they are in the table.
    total_rows, total_cols : labels
        Rows/columns of ``table`` that are totals (margins). They are hidden if ``0 < n < min_n`` and are never
        chosen as a line's extra suppression, except within the total row/column itself, where every cell is a
        margin. (For a Series, ``total_rows`` names the total entries.)

    Returns
    -------
    DataFrame or Series
        A copy with dtype ``Int64``; hidden cells are ``pd.NA``. ``attrs["suppressed_cells"]`` is the number
        of hidden cells, ``attrs["min_n"]`` the threshold, ``attrs["unprotected_lines"]`` a list of
        ``("row"|"column", label)`` lines left with exactly one hidden cell because the line had nothing else
        to hide but zeros: that cell can be worked out from the line's total (if it is a small cell, its total is
        small as well and must not be published either).

    Examples
    --------
    >>> t = pd.DataFrame({"työntekijä": [20, 14, 9], "esihenkilö": [3, 6, 5]},
    ...                  index=["Kainuun sote", "Essote", "Muu"])
    >>> out = suppress_small_cells(t)
    >>> out
                  työntekijä  esihenkilö
    Kainuun sote        <NA>        <NA>
    Essote                14           6
    Muu                 <NA>        <NA>
    >>> out.attrs["suppressed_cells"]
    4
    >>> suppress_small_cells(pd.Series({"A": 10, "B": 3, "C": 7, "D": 0})).tolist()
    [10, <NA>, <NA>, 0]
    """
    min_n = _check_min_n(min_n)
    if not isinstance(table, pd.DataFrame | pd.Series):
        raise TypeError(f"suppress_small_cells expects a DataFrame or Series, not {type(table).__name__}")
    is_series = isinstance(table, pd.Series)
    values = _count_matrix(table)
    if is_series:
        total_row = _label_mask(table.index, total_rows, "total_rows")
        if list(total_cols):
            raise ValueError("total_cols makes no sense for a Series; name its total entry in total_rows")
        total_col = np.zeros(1, dtype=bool)
    else:
        total_row = _label_mask(table.index, total_rows, "total_rows")
        total_col = _label_mask(table.columns, total_cols, "total_cols")
    supp = (values > 0) & (values < min_n)
    if secondary:
        if is_series:
            # a one-way table has one line: the column; its "rows" are single cells with nothing to add
            while _secondary_pass(values, supp, total_row, np.ones(1, dtype=bool), min_n):
                pass
        else:
            while _secondary_pass(values, supp, total_row, total_col, min_n):
                pass
    unprotected: list[tuple[str, Any]] = []
    if secondary:
        if is_series:
            if supp.sum() == 1:
                unprotected.append(("column", table.name))
        else:
            unprotected += [
                ("row", lab) for lab, s in zip(table.index, supp.sum(axis=1), strict=True) if s == 1
            ]
            unprotected += [
                ("column", lab) for lab, s in zip(table.columns, supp.sum(axis=0), strict=True) if s == 1
            ]
    if is_series:
        result: pd.DataFrame | pd.Series = table.astype("Int64").mask(supp[:, 0])
    else:
        result = table.astype("Int64").mask(supp)
    result.attrs = {
        **table.attrs,
        "suppressed_cells": int(supp.sum()),
        "min_n": min_n,
        "unprotected_lines": unprotected,
    }
    return result


def _nullable(series: pd.Series) -> pd.Series:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return series
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.na_value is pd.NA:
        return series
    if pd.api.types.is_integer_dtype(dtype):
        return series.astype("Int64")
    return series.astype("Float64")


def suppress_by_n(
    df: pd.DataFrame,
    n_col: str = "n",
    min_n: int = DEFAULT_MIN_N,
    *,
    value_cols: Iterable[str] | None = None,
    group_cols: Iterable[str] = (),
    secondary: bool = True,
    also_hide: Iterable[bool] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Hide the statistics of groups with fewer than ``min_n`` people, one row per group.

    For tables like ``organisation | n | top2_pct | ci_low | ci_high | mean``: in every row with
    ``0 < n < min_n`` the ``n`` and all ``value_cols`` become missing. With ``secondary=True`` and exactly one
    such row, the row with the next-smallest non-zero ``n`` is hidden too, so the hidden group cannot be worked
    out from a published total.

    Parameters
    ----------
    df : DataFrame
        One row per group.
    n_col : str
        The column with each group's number of people.
    min_n : int
        Threshold of the primary rule (default 5).
    value_cols : list of str, optional
        Columns to hide. Default: every numeric (non-boolean) column except ``n_col`` and ``group_cols``.
    group_cols : list of str
        Numeric columns that label the group (e.g. a year) and must stay visible under the default.
    secondary : bool
        Apply the secondary rule.
    also_hide : booleans, one per row, optional
        Rows to hide as if they were small (e.g. groups another published table hides, so that the tables
        share one pattern); they count as hidden for the secondary rule.

    Returns
    -------
    DataFrame
        A copy; ``n_col`` and ``value_cols`` become nullable (``Int64``/``Float64``), label columns are kept.
        ``attrs["suppressed_cells"]`` counts the cells hidden, ``attrs["suppressed_rows"]`` the rows,
        ``attrs["min_n"]`` is the threshold.

    Examples
    --------
    >>> t = pd.DataFrame({"rooli": ["työntekijä", "esihenkilö", "opiskelija"], "n": [40, 3, 11],
    ...                   "keskiarvo": [3.9, 4.3, 3.1]})
    >>> out = suppress_by_n(t)
    >>> out
            rooli     n  keskiarvo
    0  työntekijä    40        3.9
    1  esihenkilö  <NA>       <NA>
    2  opiskelija  <NA>       <NA>
    >>> out.attrs["suppressed_cells"], out.attrs["suppressed_rows"]
    (4, 2)
    """
    min_n = _check_min_n(min_n)
    if n_col not in df.columns:
        raise ValueError(f"column {n_col!r} (the group sizes) is not in the table; pass n_col=")
    group_cols = list(group_cols)
    n = pd.to_numeric(df[n_col], errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    hide = (n > 0) & (n < min_n)  # NaN compares False: an unknown n is left as it is
    if also_hide is not None:
        hide |= np.asarray(also_hide, dtype=bool) & (n > 0)
    if secondary and hide.sum() == 1:
        cand = ~hide & (n > 0)
        if cand.any():
            hide[int(np.argmin(np.where(cand, n, np.inf)))] = True
    if value_cols is None:
        value_cols = [
            c
            for c in df.columns
            if c != n_col
            and c not in group_cols
            and pd.api.types.is_numeric_dtype(df[c].dtype)
            and not pd.api.types.is_bool_dtype(df[c].dtype)
        ]
    else:
        value_cols = list(value_cols)
        missing = [c for c in value_cols if c not in df.columns]
        if missing:
            raise ValueError(f"value_cols not in the table: {missing!r}")
    out = df.copy()
    cells = 0
    for col in [n_col, *[c for c in value_cols if c != n_col]]:
        before = _nullable(df[col])
        cells += int((hide & before.notna().to_numpy()).sum())
        out[col] = before.mask(hide)
    out.attrs = {**df.attrs, "suppressed_cells": cells, "suppressed_rows": int(hide.sum()), "min_n": min_n}
    return out
