"""Privacy: scrub identifiers from free text, pseudonymise ids, suppress small cells.

Three tools, one for each place personal data can leak (README, "Tietosuoja / data protection"):

1. :func:`scrub_pii` (module :mod:`sosrake_lib.scrub`) replaces direct and strong indirect identifiers in open answers with a bracketed tag:
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

Examples
--------
>>> scrub_pii("Soita Maijalle 040 123 4567 tai maija.virtanen@kainuu.fi", names=["Maija Virtanen"])
'Soita [nimi] [puhelinnumero] tai [sähköposti]'
>>> pseudonymise("R-0012", b"an example key of 32 characters!")
'849e98e432281734'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sosrake_lib.errors import ConfigError
from sosrake_lib.paths import PROJECT_ROOT, is_sample_path, shipped_sample_digest
from sosrake_lib.scrub import TAGS, _is_na_scalar, find_pii, scrub_pii, scrub_pii_series

__all__ = [
    "hide_nested_differences",
    "DEFAULT_MIN_N",
    "DEMO_KEY",
    "KEY_ENV",
    "KEY_FILE_ENV",
    "init_key",
    "MIN_KEY_LENGTH",
    "SUPPRESSED_MARK",
    "TAGS",
    "check_key",
    "default_key_path",
    "is_shipped_sample",
    "key_problem",
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
    "Luo avain / create one: sosrake key init "
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


MIN_KEY_BITS = 64
"""Least estimated entropy of a key (its length times the Shannon entropy of its characters, in bits)."""

_NEW_KEY_FIX = "luo uusi / create a new one: sosrake key init"


def init_key(path: str | os.PathLike[str] | None = None) -> Path:
    """Create a new pseudonym key file that only its owner can read, and return its path.

    The folder is made if it is missing (``mkdir -p``, mode 700 for a new folder); the file is created with
    mode 600 in one step (``O_CREAT | O_EXCL``), so the key is never readable by others, not even for a
    moment. An existing key is never replaced: pseudonyms made with it would no longer match.

    Parameters
    ----------
    path
        Where to write the key; by default :func:`default_key_path` (``~/.config/sosrake/pseudonym.key``).

    Raises
    ------
    ConfigError
        When a file already exists there, or the path lies inside the repository (keys never enter git).

    Examples
    --------
    >>> import tempfile, stat
    >>> folder = Path(tempfile.mkdtemp())
    >>> key_file = init_key(folder / "new" / "pseudonym.key")
    >>> oct(stat.S_IMODE(key_file.stat().st_mode)), len(key_file.read_text().strip()) >= 43
    ('0o600', True)
    >>> init_key(key_file)
    Traceback (most recent call last):
    ...
    sosrake_lib.errors.ConfigError: avain on jo olemassa / a key already exists: ...
    """
    target = Path(path).expanduser() if path is not None else default_key_path()
    if target.absolute().resolve().is_relative_to(PROJECT_ROOT):
        raise ConfigError(
            f"avain ei saa olla repositorion sisällä / the key must not be inside the repository: {target}; "
            f"use e.g. {default_key_path()}"
        )
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(
            f"avain on jo olemassa / a key already exists: {target}; sitä ei korvata, koska pseudonyymit "
            "muuttuisivat / it is not replaced, because pseudonyms would change"
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(new_key() + "\n")
    return target


def key_problem(key: bytes | str) -> str | None:
    """Why a key is unfit to pseudonymise real data, or ``None`` for a good key.

    Refused: the public demo key (also with a byte-order mark, other case or punctuation), keys shorter than
    :data:`MIN_KEY_LENGTH`, one repeated character, fewer than 10 different characters, mostly consecutive or
    repeated characters (``0123456789abcdef``), a repeated shorter part, a text of several lines (a public
    file given as the key file), and keys whose estimated entropy (length x Shannon entropy of the character
    distribution) is below :data:`MIN_KEY_BITS`: a guessable key lets anyone recompute the pseudonyms of ids
    1-999.

    Examples
    --------
    >>> key_problem(new_key()) is None
    True
    >>> key_problem(DEMO_KEY)
    'it is the public demo key of the synthetic sample'
    >>> key_problem("k" * 32)
    'it is one repeated character'
    >>> key_problem("abababababababababab")
    'it has only 2 different characters (at least 10 needed)'
    """
    k = _key_bytes(key)
    if re.sub(rb"[\W_]", b"", k.lower()) == re.sub(rb"[\W_]", b"", DEMO_KEY.lower()):
        return "it is the public demo key of the synthetic sample"
    if len(k) < MIN_KEY_LENGTH:
        return f"it is too short ({len(k)} < {MIN_KEY_LENGTH} characters)"
    counts = np.bincount(np.frombuffer(k, dtype=np.uint8), minlength=256)
    if (counts > 0).sum() == 1:
        return "it is one repeated character"
    if b"\n" in k or len(k) > MAX_KEY_LENGTH:
        return "it is no key but a text (a key is one line of at most 256 characters)"
    if (counts > 0).sum() < 10:
        return f"it has only {(counts > 0).sum()} different characters (at least 10 needed)"
    steps = np.diff(np.frombuffer(k, dtype=np.uint8).astype(int))
    if np.isin(steps, (-1, 0, 1)).mean() > 0.7:  # 0123456789abcdef, abcdefghijklmnop, aaaabbbbcccc…
        return "it is mostly a run of consecutive or repeated characters"
    for period in range(1, len(k) // 2 + 1):
        if k == (k[:period] * (len(k) // period + 1))[: len(k)]:
            return "it repeats a shorter part"
    p = counts[counts > 0] / len(k)
    bits = float(-(p * np.log2(p)).sum() * len(k))
    if bits < MIN_KEY_BITS:
        return f"it is too easy to guess (about {bits:.0f} bits of entropy; at least {MIN_KEY_BITS} needed)"
    return None


MAX_KEY_LENGTH = 256


def _key_bytes(key: bytes | str) -> bytes:
    """A key as bytes the way it is used: a UTF-8 byte-order mark (Windows Notepad) and surrounding white space,
    no-break spaces included, taken off, so the same key in a file and in the environment is the same key."""
    text = key.decode("utf-8", errors="surrogateescape") if isinstance(key, bytes) else str(key)
    text = text.lstrip("\ufeff").strip().strip("\u00a0\u202f").strip()
    return text.encode("utf-8", errors="surrogateescape")


def check_key(key: bytes | str, source: str = "the key given") -> bytes:
    """The key as bytes, or :class:`ConfigError` (one line with the fix) when :func:`key_problem` finds one."""
    problem = key_problem(key)
    if problem is not None:
        raise ConfigError(
            f"pseudonymisointiavain ei kelpaa / the pseudonym key from {source} is refused: "
            f"{problem}; {_NEW_KEY_FIX}"
        )
    return _key_bytes(key)


def _check_key_text(text: str, source: str) -> bytes:
    return check_key(text, source)


def is_shipped_sample(path: str | os.PathLike[str], content: bytes | None = None) -> bool:
    """True only for the project's own synthetic sample files: under ``data/raw/sample`` *and* byte for byte
    one of the shipped files (SHA-256 in ``sosrake_lib/sample_sha256.json``). Only these may be pseudonymised
    with the public demo key; a line above an export's header proves nothing.

    ``content``: the bytes to check instead of reading the file again (:func:`sosrake_lib.io.read_export`
    passes the bytes it parsed, so the file cannot be swapped between the check and the read).

    >>> from sosrake_lib.paths import SAMPLE_DIR
    >>> is_shipped_sample(SAMPLE_DIR / "interviews_2021-syksy.csv"), is_shipped_sample(__file__)
    (True, False)
    >>> is_shipped_sample(SAMPLE_DIR / "interviews_2021-syksy.csv", b"a real export swapped in")
    False
    """
    p = Path(path)
    if not is_sample_path(p) or (content is None and not p.is_file()):
        return False
    want = shipped_sample_digest(p.name)
    if want is None:
        return False
    return hashlib.sha256(p.read_bytes() if content is None else content).hexdigest() == want


_WARNED_KEY_FILES: set[str] = set()


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
        if not path.is_file():  # a FIFO would hang, /dev/zero would fill the memory
            raise OSError(0, "it is not a regular file")
        if path.stat().st_size > 4 * MAX_KEY_LENGTH:
            raise OSError(0, f"it holds {path.stat().st_size:,} bytes, more than a key")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"avaintiedostoa ei voi lukea / cannot read key file {path} ({source}): "
            f"{exc.strerror if isinstance(exc, OSError) else 'it is not UTF-8 text'}; {_NEW_KEY_FIX}"
        ) from None
    if os.name == "posix":
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO) and str(path) not in _WARNED_KEY_FILES:
            _WARNED_KEY_FILES.add(str(path))  # once per file and process, not once per export read
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


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# Characters ``str.split()`` treats as whitespace among ASCII (Python's str.isspace): ids with none of them and
# only ASCII characters are already normalised up to case, and their casefold is their ASCII lower case.
_ASCII_SPACE_CLASS = r"[\t\n\x0b\x0c\r\x1c-\x1f ]"


def _hmac_sha256_many(key: bytes, messages: Iterable[bytes]) -> list[bytes]:
    """``[hmac.digest(key, m, "sha256") for m in messages]`` with the key set up once.

    :func:`hmac.new` keeps the inner and outer SHA-256 states after the padded key block; ``copy()`` reuses them
    for each message (``hmac.digest`` sets the key up again on every call). The standard library does it, so
    no hand-written RFC 2104 here: a hand-made version of the same idea was about 0.4 µs per id faster
    (142 vs 228 ms for 200 000 ids), half a second for a million distinct ids and nothing a semester notices.

    >>> k = b"an example key of 32 characters!"
    >>> _hmac_sha256_many(k, [b"r-0012", b""]) == [hmac.digest(k, m, "sha256") for m in (b"r-0012", b"")]
    True
    """
    base = hmac.new(key, digestmod=hashlib.sha256)

    def one(message: bytes) -> bytes:
        h = base.copy()
        h.update(message)
        return h.digest()

    return list(map(one, messages))


def _hex_rows(digests: list[bytes], length: int, prefix: str) -> np.ndarray:
    """``prefix + digest.hex()[:length]`` for each digest, as rows of a uint8 matrix (UTF-8 bytes)."""
    n = len(digests)
    nbytes = (length + 1) // 2
    raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(n, -1)[:, :nbytes]
    head = np.frombuffer(prefix.encode("utf-8"), dtype=np.uint8)
    buf = np.empty((n, len(head) + 2 * nbytes), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :: 2] = _HEX[raw >> 4]
    buf[:, len(head) + 1 :: 2] = _HEX[raw & 15]
    return buf[:, : len(head) + length]


_PSEUDONYM_CHUNK = (
    1 << 17
)  # distinct ids hashed per batch (bounds the Python objects alive at a time)


def _pseudonymise_arrow_strings(
    values: pd.Series, key: bytes, length: int, prefix: str
) -> pd.Series:
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
    simple = pc.and_(
        pc.string_is_ascii(arr), pc.invert(pc.match_substring_regex(arr, _ASCII_SPACE_CLASS))
    )
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
    table = pa.Array.from_buffers(
        pa.large_string(),
        n,
        [bitmap, pa.py_buffer(offsets), pa.py_buffer(data)],
        null_count=int(n - valid.sum()),
    )
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
    if (
        isinstance(values, pd.Series)
        and isinstance(values.dtype, pd.StringDtype)
        and values.dtype.storage == "pyarrow"
    ):
        # Fast path for text ids (a million of them at national scale, benchmarks/README.md): same pseudonyms.
        return _pseudonymise_arrow_strings(values, key, int(length), prefix)

    def one(value: Any) -> Any:
        if value is None or _is_na_scalar(value):
            return pd.NA
        text = _normalise_id(value)
        if not text:
            return pd.NA
        digest = hmac.digest(
            key, text.encode("utf-8"), "sha256"
        ).hex()  # one-shot C HMAC: same bytes, faster
        return prefix + digest[:length]

    if isinstance(values, pd.Series | pd.Index | np.ndarray | list | tuple):
        series = pd.Series(
            values if not isinstance(values, pd.Series) else values.to_numpy(), dtype=object
        )
        uniques = series.dropna().unique()
        # Fast path for text ids (a million of them at national scale): no per-value function call.
        norm = [" ".join(u.split()).casefold() if isinstance(u, str) else None for u in uniques]
        digest = hmac.digest
        mapping = {
            u: (prefix + digest(key, t.encode("utf-8"), "sha256").hex()[:length] if t else pd.NA)
            if t is not None
            else one(u)
            for u, t in zip(uniques, norm, strict=True)
        }
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
# 3. Disclosure control: moved to the package sosrake_lib.sdc; the old names keep working from here
# --------------------------------------------------------------------------------------------------------------
from sosrake_lib.sdc.cells import (  # noqa: E402
    DEFAULT_MIN_N,
    SUPPRESSED_MARK,
    hide_nested_differences,
    is_small,
    protect_hidden,
    suppress_by_n,
    suppress_small_cells,
    suppressed_label,
)
