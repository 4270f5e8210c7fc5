"""Clean an imported export: drop empty, test and duplicate rows (counted, never silently), pseudonymise ids,
scrub identifiers from free text and drop names and e-mails.

Every raw row is accounted for in the cleaning log: ``kept + sum(dropped.values()) == raw_rows``.

Examples
--------
>>> import pandas as pd
>>> from sosrake_lib.io import read_export
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "feedback.csv"
>>> _ = p.write_text(
...     "ID;Kurssin sisältö vastasi sen tavoitteita;Mitä kehittäisit kurssissa?\\n"
...     "1;Hyvin;Soita 040 123 4567\\n"
...     "2;Hyvin;testi\\n"
...     "3;;\\n"
...     "1;Hyvin;Soita 040 123 4567\\n", encoding="utf-8")
>>> df = clean_responses(read_export(p, "course_feedback"), "course_feedback", key="k3y-for-the-examples-0123456789")
>>> df.attrs["cleaning_log"]["dropped"]
{'empty': 1, 'test': 1, 'duplicate': 1}
>>> df["open_develop"].tolist()
['Soita [puhelinnumero]']
>>> df["response_id"].str.startswith("ps_").all()
np.True_
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .atomic import atomic_path, atomic_write_text
from .codebook import Instrument, load_instrument
from .paths import PROCESSED_DIR, check_label
from .privacy import check_key, load_pseudonym_key, pseudonymise, scrub_pii_series

PSEUDONYM_PREFIX = "ps_"
PSEUDONYM_LENGTH = 16
_PSEUDONYM_RE = re.compile(rf"^{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_LENGTH}}}$")
_TEST_WORD = re.compile(
    r"(?i)(?<![a-zåäö])(?:test|testi|testaus|testaaja|testivastaus|kokeilu)(?![a-zåäö])"
)
_TEST_ANSWERS = {"test", "testi", "testivastaus", "testing", "asdf", "xxx", "kokeilu"}
DROP_REASONS = ("empty", "test", "duplicate")


_STATUS = ("kept", *DROP_REASONS)  # row status codes used inside clean_responses


def _scrubbed_rows(
    col: pd.Series, names: list[str], keep: np.ndarray | None, index: pd.Index
) -> pd.Series:
    """``scrub_pii_series(col.iloc[keep].astype("str"), names)`` on ``index``: each distinct text is scrubbed
    once and the results are taken straight to the kept rows (no filtered copy of the raw texts first)."""
    text = col.astype("str")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    done = scrub_pii_series(pd.Series(uniques, dtype=text.dtype), names=names)
    values = pd.api.extensions.take(
        done.array, codes if keep is None else codes[keep], allow_fill=True
    )
    return pd.Series(values, index=index, dtype=done.dtype).astype("str")


class RowLog(Sequence[dict[str, Any]]):
    """The per-row entries of a cleaning log, ``{"row": <file row>, "status": <kept|empty|test|duplicate>}``,
    stored as NumPy arrays and turned into dicts only when read. A dropped row also names the ``rule`` that
    dropped it and, for a duplicate, the row it repeats (``same_as``: the submission that was kept).

    It behaves as the read-only list of dicts it stands for (``len``, indexing, slicing, iteration, ``==``
    with a list), so code and tests read it as before. A million raw rows are a few arrays (17 MB) instead of
    a million dicts: building the list took ~0.4 s of a national import and left a million objects for
    every later garbage collection in the kernel to scan. ``copy.deepcopy`` shares it (pandas deep-copies
    ``DataFrame.attrs`` on every derived frame) because it is never modified. JSON: :meth:`to_list`.

    Examples
    --------
    >>> log = RowLog([2, 3, 5], ["kept", "duplicate", "kept"], rule=[0, 1, 0], same_as=[0, 5, 0],
    ...              rule_names=("", "duplicate: same e-mail (email) as a later submission"))
    >>> len(log), log[1]
    (3, {'row': 3, 'status': 'duplicate', 'rule': 'duplicate: same e-mail (email) as a later submission', 'same_as': 5})
    >>> [e["row"] for e in log if e["status"] == "kept"]
    [2, 5]
    >>> RowLog.from_entries(log.to_list()) == log
    True
    >>> RowLog([2, 3], ["kept", "test"])[1]  # no rule recorded
    {'row': 3, 'status': 'test'}
    """

    __slots__ = ("_rows", "_rule", "_rule_names", "_same_as", "_status")

    def __init__(
        self,
        rows: Iterable[int] | np.ndarray,
        status: Iterable[str] | np.ndarray,
        rule: Iterable[int] | np.ndarray | None = None,
        same_as: Iterable[int] | np.ndarray | None = None,
        rule_names: Sequence[str] = ("",),
    ) -> None:
        self._rows = np.asarray(rows, dtype=np.int64)
        codes = np.asarray(status)
        if codes.dtype.kind not in "iu":  # status texts -> codes into _STATUS
            lookup = {s: k for k, s in enumerate(_STATUS)}
            try:
                codes = np.fromiter(
                    (lookup[str(v)] for v in codes), dtype=np.uint8, count=len(codes)
                )
            except KeyError as exc:
                raise ValueError(
                    f"unknown row status {exc.args[0]!r}; expected one of {_STATUS}"
                ) from None
        self._status = codes.astype(np.uint8, copy=False)
        n = len(self._rows)
        self._rule = (
            np.zeros(n, dtype=np.uint8) if rule is None else np.asarray(rule, dtype=np.uint8)
        )
        self._same_as = (
            np.zeros(n, dtype=np.int64) if same_as is None else np.asarray(same_as, dtype=np.int64)
        )
        self._rule_names = tuple(rule_names) or ("",)
        if (
            not (self._rows.shape == self._status.shape == self._rule.shape == self._same_as.shape)
            or self._rows.ndim != 1
        ):
            raise ValueError(
                "rows, status, rule and same_as must be 1-d sequences of the same length"
            )

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, Any]]) -> RowLog:
        """From ``[{"row": ..., "status": ..., "rule": ..., "same_as": ...}, ...]`` (a log read back from JSON)."""
        entries = list(entries)
        names: dict[str, int] = {"": 0}
        rule = [names.setdefault(str(e.get("rule", "")), len(names)) for e in entries]
        return cls(
            [int(e["row"]) for e in entries],
            [e["status"] for e in entries],
            rule,
            [int(e.get("same_as", 0)) for e in entries],
            tuple(names),
        )

    def __len__(self) -> int:
        return len(self._rows)

    def _sub(self, i: Any) -> RowLog:
        return RowLog(
            self._rows[i], self._status[i], self._rule[i], self._same_as[i], self._rule_names
        )

    def __getitem__(self, i: Any) -> Any:  # int -> dict, slice -> list of dicts
        if isinstance(i, slice):
            return self._sub(i).to_list()
        k = range(len(self))[i]  # negative indices, IndexError as a list gives them
        return self._sub(slice(k, k + 1)).to_list()[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.to_list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowLog):
            return self.to_list() == other.to_list()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and self.to_list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking sequence semantics, like list

    def __repr__(self) -> str:
        return f"RowLog({len(self)} rows)"

    def __deepcopy__(self, memo: dict[int, Any]) -> RowLog:
        return self

    def to_list(self) -> list[dict[str, Any]]:
        """The entries as a plain list of dicts (for JSON)."""
        texts = np.array(_STATUS, dtype=object)[self._status].tolist()
        names = self._rule_names
        out = []
        for r, t, k, same in zip(
            self._rows.tolist(), texts, self._rule.tolist(), self._same_as.tolist(), strict=True
        ):
            e: dict[str, Any] = {"row": r, "status": t}
            if k:
                e["rule"] = names[k]
            if same:
                e["same_as"] = same
            out.append(e)
        return out

    def status_counts(self) -> dict[str, int]:
        """Rows per status, every status listed (zeros included).

        >>> RowLog([2, 3], ["kept", "test"]).status_counts()
        {'kept': 1, 'empty': 0, 'test': 1, 'duplicate': 0}
        """
        counts = np.bincount(self._status, minlength=len(_STATUS))
        return {s: int(c) for s, c in zip(_STATUS, counts, strict=True)}

    def rule_counts(self) -> dict[str, int]:
        """Dropped rows per rule that dropped them.

        >>> RowLog([2, 3], ["empty", "test"], [1, 2], None, ("", "empty: no answer", "test: a test word")).rule_counts()
        {'empty: no answer': 1, 'test: a test word': 1}
        """
        counts = np.bincount(self._rule, minlength=len(self._rule_names))
        return {self._rule_names[k]: int(c) for k, c in enumerate(counts) if k and c}


def _row_entries(
    rows: pd.Series,
    status: np.ndarray,
    rule: np.ndarray | None = None,
    same_as: np.ndarray | None = None,
    rule_names: Sequence[str] = ("",),
) -> RowLog:
    """The cleaning log's per-row entries: each raw row's file row number, status and the rule that fired."""
    numbers = (
        rows.to_numpy(dtype=np.int64)
        if rows.dtype.kind in "iu"
        else np.array([int(r) for r in rows])
    )
    return RowLog(numbers, status, rule, same_as, rule_names)


@dataclass
class CleaningLog:
    """What cleaning did to each raw row. ``rows`` has one entry per raw row: its file row and status."""

    source_file: str
    instrument: str
    raw_rows: int
    kept: int
    dropped: dict[str, int]
    pseudonym_key_is_demo: bool
    rows: Sequence[dict[str, Any]] = field(default_factory=list, repr=False)
    dropped_by_rule: dict[str, int] = field(default_factory=dict)
    notices: list[dict[str, Any]] = field(default_factory=list)

    def balanced(self) -> bool:
        """True when kept + dropped rows add up to the raw row count."""
        return self.kept + sum(self.dropped.values()) == self.raw_rows

    def to_dict(self, with_rows: bool = True) -> dict[str, Any]:
        # Not dataclasses.asdict: it would deep-copy every row entry (a million dicts on a national export).
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["dropped"] = dict(self.dropped)
        d["dropped_by_rule"] = dict(self.dropped_by_rule)
        d["notices"] = [dict(n) for n in self.notices]
        d["rows"] = self.rows if isinstance(self.rows, RowLog) else RowLog.from_entries(self.rows)
        if not with_rows:
            d.pop("rows")
        return d


def _answer_frame(df: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    kinds = ("likert", "nps", "text", "integer")
    cols = [it.id for it in inst.items if it.kind in kinds and it.id in df]
    if not cols:  # registers without questions (enrolment): categories are the answers
        cols = [it.id for it in inst.items if it.kind == "category" and it.id in df]
    cols += [c for c in df.columns if c.endswith("__nsa")]
    return df[cols]


def _is_pseudonym(s: pd.Series) -> pd.Series:
    text = s.astype("str")
    # Only values starting with the prefix can match; raw ids (none of them) skip the regex over every row.
    if not text.str.startswith(PSEUDONYM_PREFIX).fillna(False).astype(bool).any():
        return pd.Series(False, index=s.index, name=s.name)
    return text.str.fullmatch(_PSEUDONYM_RE.pattern).fillna(False).astype(bool)


def _substring_prefilter(s: pd.Series) -> np.ndarray:
    """Rows whose text contains "test" or "kokeilu" in any case (a superset of the rows _TEST_WORD matches)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        arr = pa.array(s.array)  # the column's own Arrow data, no copy
    else:
        arr = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string(), from_pandas=True)
    hit = pc.match_substring_regex(arr, "test|kokeilu", ignore_case=True)  # one pass for both words
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def _test_rows(df: pd.DataFrame, inst: Instrument) -> list[tuple[str, np.ndarray]]:
    """``(rule, rows)`` pairs of test rows, in the order the rules are tried (a row counts under its first)."""
    out: list[tuple[str, np.ndarray]] = []
    ident = [it.id for it in inst.items if it.kind in ("id", "pii", "pseudonym") and it.id in df]
    for c in ident:
        s = df[c].astype("str")
        # Every alternative of _TEST_WORD contains "test" or "kokeilu": a fast case-insensitive substring
        # prefilter (Arrow compute) leaves the exact Python regex only the few candidate rows.
        cand = _substring_prefilter(s)
        if not cand.any():
            continue
        hit = s[cand].str.contains(_TEST_WORD, na=False) & ~_is_pseudonym(df.loc[cand, c])
        mask = np.zeros(len(df), dtype=bool)
        mask[np.flatnonzero(cand)[hit.fillna(False).astype(bool).to_numpy()]] = True
        out.append((f"test: a test word (testi, test, kokeilu) in the {c} column", mask))
    # By the answers: a row whose every open answer is a test word ("testi", "asdf"); one "xxx" beside real
    # open answers is an answer, not a test submission, and never drops the interview.
    texts = [it.id for it in inst.items_of("text") if it.id in df]
    if texts:
        any_text = np.zeros(len(df), dtype=bool)
        all_test = np.ones(len(df), dtype=bool)
        for c in texts:
            codes, uniques = pd.factorize(df[c], use_na_sentinel=True)  # each distinct answer once
            is_test = np.array(
                [str(u).strip().casefold().strip(".!") in _TEST_ANSWERS for u in uniques] + [False]
            )
            has = codes >= 0
            any_text |= has
            all_test &= ~has | is_test[codes]
        out.append(("test: every open answer is only a test word", any_text & all_test))
    return out


def _str_key(col: pd.Series) -> pd.Series:
    """A column whose values are equal exactly where ``col.astype("str").fillna("\\x00")`` values are equal
    (for text: where the texts are equal; categories compare by code, floats by bits).

    Float columns (item codes) compare by their bits, NaN as one value: ``str(x)`` is the shortest repr that
    round-trips, so two floats print alike exactly when their bits are equal (0.0 and -0.0 differ in both).
    This skips formatting a million floats as text (benchmarks/README.md); other columns go through ``str``.
    """
    if col.dtype == np.float64:
        x = col.to_numpy()
        return pd.Series(
            np.where(np.isnan(x), np.int64(0x7FF8000000000000), x.view(np.int64)), index=col.index
        )
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pd.Series(col.cat.codes.to_numpy(), index=col.index)
    if pd.api.types.is_string_dtype(col.dtype):
        # text (read_export gives only str or missing): equal values <=> equal factor codes, hash-based with no
        # per-cell formatting; every missing value -> -1
        return pd.Series(pd.factorize(col, use_na_sentinel=True)[0], index=col.index)
    return col.astype("str").fillna("\x00")


def _submission_order(df: pd.DataFrame) -> np.ndarray:
    """Row positions in submission order: by ``submitted_at`` (missing first), then ``_row``, ties kept in order.

    The same order as ``df.sort_values(["submitted_at", "_row"], na_position="first", kind="stable")``; for the
    usual dtypes (``datetime64`` without time zone, integer ``_row``) one ``np.lexsort`` on the int64 values
    (NaT is the smallest int64, so missing times come first), which skips pandas' per-key factorising.
    """
    if "submitted_at" not in df or not df["submitted_at"].notna().any():
        return np.arange(len(df))
    when, row = df["submitted_at"], df["_row"]
    if (
        when.dtype.kind == "M"
        and isinstance(when.dtype, np.dtype)
        and row.dtype.kind in "iu"
        and isinstance(row.dtype, np.dtype)
    ):
        return np.lexsort((row.to_numpy(), when.to_numpy().view(np.int64)))
    order = df.sort_values(["submitted_at", "_row"], na_position="first", kind="stable").index
    return df.index.get_indexer(order)


def _casefold(s: pd.Series) -> pd.Series:
    """``s.str.casefold()``; for an Arrow-backed column of ASCII text Arrow's ASCII lower case, which is the same
    there (pandas maps ``str.casefold`` over every value in Python)."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(s.array)
        if pc.all(pc.string_is_ascii(arr)).as_py() is not False:
            return pd.Series(pc.ascii_lower(arr), index=s.index, name=s.name, dtype=s.dtype)
    return s.str.casefold()


def _normalised_codes(col: pd.Series) -> np.ndarray:
    """Integer codes equal exactly where ``col.astype("str").str.strip().str.casefold()`` is equal; -1 where that
    is missing or empty. The string operations run on the distinct values only (ids are mostly distinct, but
    names and e-mails repeat), which gives the same result as running them on every row."""
    text = col.astype("str")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    norm = _casefold(pd.Series(uniques, dtype=text.dtype).str.strip())
    has = (norm.notna() & (norm != "")).to_numpy(dtype=bool)
    ncodes, _ = pd.factorize(norm, use_na_sentinel=True)
    lookup = np.append(np.where(has, ncodes, -1), -1)  # position -1 (missing raw value) -> -1
    return lookup[codes]


def _duplicate_rows(
    df: pd.DataFrame,
    inst: Instrument,
    candidates: pd.Series,
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(rule, rows, kept row)`` for all but the last submission of the same respondent (or of an identical
    answer row): ``kept row`` holds, for each dropped row, the file row of the submission that was kept.

    Works on row positions and integer keys (no reordered copy of the frame): ``live`` are the candidate rows
    in submission order, and ``duplicated(keep="last")`` over them keeps each respondent's last submission.
    """
    order = _submission_order(df)
    dup = np.zeros(len(df), dtype=bool)
    file_rows = df["_row"].to_numpy()
    out: list[tuple[str, np.ndarray, np.ndarray]] = []
    live = order[candidates.to_numpy(dtype=bool)[order]]

    def mark(rule: str, positions: np.ndarray, codes: np.ndarray) -> None:
        d = pd.Series(codes).duplicated(keep="last").to_numpy()
        if not d.any():
            return
        last = pd.Series(positions).groupby(codes).transform("last").to_numpy()
        mask = np.zeros(len(df), dtype=bool)
        kept = np.zeros(len(df), dtype=np.int64)
        mask[positions[d]] = True
        kept[positions[d]] = file_rows[last[d]]
        dup[positions[d]] = True
        out.append((rule, mask, kept))

    keys = [k for k in inst.duplicate_key if k in df]
    for key in [*keys, inst.respondent_id]:
        if key not in df:
            continue
        alive = live[~dup[live]]
        codes = _normalised_codes(df[key])[alive]
        has = codes >= 0
        what = "respondent id" if key == inst.respondent_id else f"{key}"
        mark(f"duplicate: same {what} as a later submission (same_as)", alive[has], codes[has])
    # An identical answer row under a new id is a double submission (Forms gives each submission an id). Only
    # for questionnaires: in a register (enrolment) different people share the same categories. Names, e-mails
    # and tool user ids are part of the comparison: two Moodle users with different ids who gave the same short
    # answers are two people, never one double submission (a missing or placeholder identity compares equal).
    has_questions = any(it.kind in ("likert", "nps", "text", "integer") for it in inst.items)
    ignore = {"_row", inst.respondent_id, "started_at", "submitted_at", *inst.duplicate_key}
    content = [c for c in df.columns if c not in ignore]
    alive = live[~dup[live]]
    if len(alive) and has_questions and content:
        # One integer per row, equal exactly where all the content columns' _str_key values are equal (what
        # DataFrame.duplicated over the _str_key frame compares), built on whole columns and read at the live rows.
        ids = _row_ids(_dense_key(df[c]) for c in content)[
            alive
        ]  # one column's key alive at a time
        mark("duplicate: identical answers to a later submission (same_as)", alive, ids)
    return out


def _dense_key(col: pd.Series) -> tuple[np.ndarray, int]:
    """``(codes, size)``: codes in ``0..size-1``, equal exactly where :func:`_str_key` values are equal.

    Float columns of whole numbers in a small range (item codes) are shifted to their codes directly (NaN -> 0);
    a -0.0 or other values take ``pd.factorize`` of the bits key. Factor codes are shifted by one (missing -> 0).
    """
    if col.dtype == np.float64:
        x = col.to_numpy()
        nan = np.isnan(x)
        finite = x[~nan]
        if (
            len(finite)
            and np.isfinite(finite).all()
            and (finite == np.round(finite)).all()
            and not ((finite == 0) & np.signbit(finite)).any()
            and finite.max() - finite.min() < 1 << 20
        ):
            low = finite.min()
            codes = np.where(nan, 0, x - low + 1).astype(np.int64)
            return codes, int(finite.max() - low) + 2
        if not len(finite):
            return np.zeros(len(x), dtype=np.int64), 1
    elif isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.int64) + 1, len(col.cat.categories) + 1
    elif isinstance(col.dtype, np.dtype) and col.dtype.kind == "M":
        # one unit and format per column, so str() of two dates is equal exactly where the dates are (NaT: one)
        codes, uniques = pd.factorize(col.to_numpy().view(np.int64))
        return codes.astype(np.int64), len(uniques)
    elif pd.api.types.is_string_dtype(col.dtype):
        codes, uniques = pd.factorize(col, use_na_sentinel=True)  # = _str_key's codes
        return codes.astype(np.int64) + 1, len(uniques) + 1
    codes, uniques = pd.factorize(_str_key(col), use_na_sentinel=True)
    return codes.astype(np.int64) + 1, len(uniques) + 1


def _row_ids(keys: Iterable[tuple[np.ndarray, int]]) -> np.ndarray:
    """Combine per-column codes into one int64 per row (mixed radix), equal exactly where every code is equal.

    When the product of the sizes would overflow, the ids so far are renumbered densely first (as pandas'
    ``get_group_index`` does), so any number of columns fits.
    """
    ids: np.ndarray | None = None
    size = 1
    for codes, n in keys:
        if ids is None:
            ids = np.zeros(len(codes), dtype=np.int64)
        if size * n >= 1 << 62:
            ids, uniques = pd.factorize(ids)
            size = len(uniques)
        ids *= n
        ids += codes
        size *= n
    return np.zeros(0, dtype=np.int64) if ids is None else ids


def clean_responses(
    raw: pd.DataFrame,
    instrument: Instrument | str,
    *,
    key: str | bytes | None = None,
    allow_demo_key: bool | None = None,
) -> pd.DataFrame:
    """Clean a frame from :func:`~sosrake_lib.io.read_export`.

    Parameters
    ----------
    raw : DataFrame
        As returned by ``read_export`` (must contain ``_row``).
    instrument : Instrument or str
        The codebook used for reading.
    key : str or bytes, optional
        The pseudonymisation key. By default it is read with
        :func:`~sosrake_lib.privacy.load_pseudonym_key` (``SOSRAKE_PSEUDONYM_KEY``, a key file).
    allow_demo_key : bool, optional
        Whether the built-in demo key may be used when no key is configured. By default only for the shipped
        synthetic sample: ``raw.attrs["shipped_sample"]``, which :func:`~sosrake_lib.io.read_export` sets for a
        file under ``data/raw/sample`` whose bytes, as read, are one of the shipped files. Real data without a key stop with instructions, and so do
        weak keys (:func:`~sosrake_lib.privacy.key_problem`), also a ``key`` given here.

    Returns
    -------
    DataFrame
        The kept rows with pseudonymised ids (``ps_`` + 16 hex), free text scrubbed of identifiers and
        name/e-mail columns removed. ``attrs["cleaning_log"]`` holds the :class:`CleaningLog` as a dict.

    Notes
    -----
    Dropping order: empty rows (no answer at all), then test rows (``testi`` in an id, name or e-mail field, or
    an answer that is only "testi"), then duplicates (same respondent id or e-mail, or an identical answer row;
    the last submission is kept; identical answers count only between rows whose names, e-mails and tool
    user ids, where the export has them, are equal too). Ids already pseudonymised are left as they are, so
    cleaning a cleaned frame again keeps its rows, unless two of them differed only by the names or e-mails
    the first cleaning removed.
    """
    inst = load_instrument(instrument) if isinstance(instrument, str) else instrument
    if "_row" not in raw:
        raise ValueError("clean_responses expects a frame from read_export (no '_row' column)")
    df = raw.reset_index(drop=True)
    source = str(raw.attrs.get("source_file", ""))
    if key is None:
        if allow_demo_key is None:
            # set by read_export from the very bytes it parsed (hashing the file again here could be raced)
            allow_demo_key = bool(raw.attrs.get("shipped_sample", False))
        key_bytes, is_demo = load_pseudonym_key(allow_demo=allow_demo_key)
    else:
        key_bytes, is_demo = check_key(key), False

    # Row status as codes into DROP_STATUS (0 kept, 1 empty, 2 test, 3 duplicate): no million-string column.
    # ``rule`` names the rule that dropped a row (codes into ``rule_names``), ``same_as`` the kept submission.
    status = np.zeros(len(df), dtype=np.int8)
    rule = np.zeros(len(df), dtype=np.uint8)
    same_as = np.zeros(len(df), dtype=np.int64)
    rule_names = [""]

    def drop(code: int, name: str, rows: np.ndarray, kept: np.ndarray | None = None) -> None:
        rows = rows & (status == 0)
        if rows.any():
            rule_names.append(name)
            status[rows] = code
            rule[rows] = len(rule_names) - 1
            if kept is not None:
                same_as[rows] = kept[rows]

    answers = _answer_frame(df, inst)
    empty = (
        answers.isna().all(axis=1).to_numpy(dtype=bool)
        if answers.shape[1]
        else np.ones(len(df), dtype=bool)
    )
    drop(1, "empty: no answer in any question column", empty)
    for name, rows in _test_rows(df, inst):
        drop(2, name, rows)
    for name, rows, kept in _duplicate_rows(df, inst, pd.Series(status == 0, index=df.index)):
        drop(3, name, rows, kept)

    # Names to scrub from free text: every name and e-mail column of the whole file (each distinct value once).
    names: set[str] = set()
    for it in inst.items_of("pii"):
        if it.id in df and "name" in it.id:  # names, not e-mails or tool user ids (numbers)
            names.update(
                v for v in df[it.id].dropna().astype("str").unique() if len(v.strip()) >= 3
            )
    # All rows kept (the usual case): a shallow copy, which copy-on-write copies only column by column as the
    # ids and texts are replaced, instead of a filtered copy of the whole frame.
    # Names and e-mails are dropped, ids and texts replaced: only the other columns are filtered as they are
    # (all rows kept, the usual case: a shallow copy). The new ids and texts are computed for the kept rows only.
    keep = np.flatnonzero(status == 0) if status.any() else None
    pii = [it.id for it in inst.items_of("pii") if it.id in df]
    replaced = [it for it in inst.items if it.id in df and it.kind in ("id", "pseudonym", "text")]
    kept = df.drop(columns=pii + [it.id for it in replaced])
    kept = kept.copy(deep=False) if keep is None else kept.take(keep)
    columns = [c for c in df.columns if c not in pii]  # the order of the result
    for it in replaced:
        if it.kind in ("id", "pseudonym"):
            s = df[it.id].astype("str")
            s = s if keep is None else s.take(keep)
            already = _is_pseudonym(s)
            if (
                not already.any()
            ):  # raw ids (the usual case): the same as below, without two copies of the column
                new = pseudonymise(s, key_bytes, length=PSEUDONYM_LENGTH, prefix=PSEUDONYM_PREFIX)
            else:
                hashed = pseudonymise(
                    s.where(~already), key_bytes, length=PSEUDONYM_LENGTH, prefix=PSEUDONYM_PREFIX
                )
                new = s.where(already, hashed).astype("str")
        else:
            new = _scrubbed_rows(df[it.id], sorted(names), keep, kept.index)
        kept.insert(sum(c in kept for c in columns[: columns.index(it.id)]), it.id, new)
    kept = kept.reset_index(drop=True)
    if inst.link_key and inst.link_key in df:
        kept["person_key"] = _person_keys(df[inst.link_key], keep, key_bytes)

    counts = np.bincount(status, minlength=len(_STATUS))
    log = CleaningLog(
        source_file=source,
        instrument=inst.name,
        raw_rows=len(df),
        kept=int(counts[0]),
        dropped={r: int(counts[k]) for k, r in enumerate(_STATUS) if k},
        pseudonym_key_is_demo=is_demo,
        rows=_row_entries(df["_row"], status, rule, same_as, rule_names),
        notices=list(raw.attrs.get("import_notices", [])),
    )
    log.dropped_by_rule = log.rows.rule_counts() if isinstance(log.rows, RowLog) else {}
    assert log.balanced(), "row accounting does not add up"
    kept.attrs = {k: v for k, v in raw.attrs.items() if k != "source_path"}
    kept.attrs["cleaning_log"] = log.to_dict()
    return kept


def _person_keys(col: pd.Series, keep: np.ndarray | None, key: bytes) -> np.ndarray:
    """Keyed hashes of the codebook's ``link_key`` column (an e-mail), so one person's answers in two rounds
    can be linked without keeping the address: the same key gives the same ``person_key``. A value without
    ``@`` (``anonymous``, empty) gets none: it cannot link anyone."""
    s = col.astype("str")
    s = s if keep is None else s.take(keep)
    s = s.where(s.str.contains("@", regex=False).fillna(False).astype(bool))
    return np.asarray(
        pseudonymise(s, key, length=PSEUDONYM_LENGTH, prefix=PSEUDONYM_PREFIX), dtype=object
    )


def cleaning_log(df: pd.DataFrame) -> dict[str, Any]:
    """The cleaning log attached to a cleaned frame."""
    return df.attrs["cleaning_log"]


def write_processed(
    df: pd.DataFrame, semester: str, name: str, out_dir: str | Path = PROCESSED_DIR
) -> Path:
    """Write a cleaned frame to ``<out_dir>/<semester>/<name>.parquet`` with its cleaning log as JSON, atomically.

    Returns the parquet path. The log (``<name>.cleaning_log.json``) lists every raw row's file row number and
    status, never an identifier.
    """
    folder = Path(out_dir) / check_label(semester)
    target = folder / f"{name}.parquet"
    table = df.copy()
    table.attrs = {}
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    log = dict(df.attrs.get("cleaning_log", {}))
    if isinstance(log.get("rows"), RowLog):
        log["rows"] = log["rows"].to_list()
    meta = {k: v for k, v in df.attrs.items() if k not in ("cleaning_log",)}
    atomic_write_text(
        folder / f"{name}.cleaning_log.json",
        json.dumps({"meta": meta, **log}, ensure_ascii=False, indent=2, default=str) + "\n",
    )
    return target


def read_processed(semester: str, name: str, in_dir: str | Path = PROCESSED_DIR) -> pd.DataFrame:
    """Read a frame written by :func:`write_processed` (log back in ``attrs["cleaning_log"]``)."""
    folder = Path(in_dir) / semester
    df = pd.read_parquet(folder / f"{name}.parquet")
    log_path = folder / f"{name}.cleaning_log.json"
    if log_path.exists():
        data = json.loads(log_path.read_text(encoding="utf-8"))
        df.attrs.update(data.pop("meta", {}))
        if isinstance(data.get("rows"), list):
            data["rows"] = RowLog.from_entries(data["rows"])
        df.attrs["cleaning_log"] = data
    return df


def row_accounting(df: pd.DataFrame) -> pd.DataFrame:
    """The cleaning log as a small table (reason, rows) ending with the raw total, for reports.

    >>> fake = pd.DataFrame(); fake.attrs["cleaning_log"] = {"raw_rows": 5, "kept": 3,
    ...     "dropped": {"empty": 1, "test": 1, "duplicate": 0}}
    >>> row_accounting(fake)["rows"].tolist()
    [3, 1, 1, 0, 5]
    """
    log = df.attrs["cleaning_log"]
    rows = [("kept", log["kept"]), *log["dropped"].items(), ("raw total", log["raw_rows"])]
    return pd.DataFrame(rows, columns=["status", "rows"]).astype({"rows": np.int64})


SUMMARY_KEYS = (
    "source_file",
    "instrument",
    "raw_rows",
    "kept",
    "dropped",
    "dropped_by_rule",
    "notices",
)


def write_cleaning_summary(
    logs: Mapping[str, Mapping[str, Any]], out_dir: str | Path, *, semester: str = ""
) -> Path:
    """Write an analysis's ``cleaning_log.json``: for each input (keyed by its role or semester) the file name,
    instrument, raw rows, kept rows and drops by reason — never the per-row list. One schema for every analysis::

        {"semester": "...", "files": {"<key>": {"source_file": ..., "raw_rows": ..., "kept": ..., "dropped": {...}}}}

    Examples
    --------
    >>> import tempfile, json
    >>> log = {"source_file": "a.csv", "instrument": "interviews", "raw_rows": 3, "kept": 2,
    ...        "dropped": {"empty": 1, "test": 0, "duplicate": 0}, "rows": [{"row": 2, "status": "kept"}]}
    >>> p = write_cleaning_summary({"2021-syksy": log}, tempfile.mkdtemp(), semester="2021-syksy")
    >>> entry = json.loads(p.read_text(encoding="utf-8"))["files"]["2021-syksy"]
    >>> entry["kept"], sorted(entry)  # no per-row list
    (2, ['dropped', 'instrument', 'kept', 'raw_rows', 'source_file'])
    """
    doc = {
        "semester": semester,
        "files": {k: {kk: v[kk] for kk in SUMMARY_KEYS if kk in v} for k, v in logs.items()},
    }
    path = Path(out_dir) / "cleaning_log.json"
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n")
    return path
