"""CSV exports as a grid of cell texts: the encoding (UTF-8 with or without BOM, UTF-16,
Windows-1252), the separator and the width of the rows are found, then pandas' C parser reads the
cells."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ExportError
from .xlsx import MAX_COLUMNS

_DELIMITERS = (",", ";", "\t", "|")


_HEAD_CHARS = 200_000  # the delimiter and the column count are found in the first characters
_DECODE_CHUNK = 1 << 22


def _decoded(data: bytes | memoryview, encoding: str, head: int | None) -> str:
    """``bytes(data).decode(encoding)``, or with ``head`` only its first ``head`` characters.

    With ``head`` the whole input is still decoded (strictly, so an invalid byte anywhere raises
    ``UnicodeDecodeError`` just the same) but chunk by chunk, so a 500 MB export is never held as one str
    (1 GB as soon as one character needs two bytes).
    """
    if head is None or len(data) <= _DECODE_CHUNK:
        text = bytes(data).decode(encoding)
        return text if head is None else text[:head]
    decoder = codecs.getincrementaldecoder(encoding)()
    first = ""
    for start in range(0, len(data), _DECODE_CHUNK):
        part = decoder.decode(data[start : start + _DECODE_CHUNK])
        if start == 0:
            first = part[:head]  # a chunk of 4 MiB holds at least 1 Mi characters > head
    decoder.decode(b"", final=True)
    return first


def _decode(data: bytes, file: str, head: int | None = None) -> tuple[str, str]:
    """Decode bytes of a text export; return (text, encoding name).

    With ``head`` only the first ``head`` characters are returned (the encoding is checked on the whole file);
    UTF-16 files always come back whole.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ExportError(
                "the file claims to be UTF-16 but cannot be decoded",
                file=file,
                hint="save the export again as CSV UTF-8",
            ) from exc
    sample = data[:65536]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample[:4096]) > 8:
        raise ExportError(
            "this is not a text CSV file (it contains binary data)",
            file=file,
            hint="export the survey again as .xlsx or CSV; do not rename other files to .csv",
        )
    view = memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else memoryview(data)
    try:
        return _decoded(view, "utf-8", head), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _decoded(view, "cp1252", head), "cp1252"
    except UnicodeDecodeError:
        return _decoded(view, "latin-1", head), "latin-1"


def _sniff_delimiter(text: str) -> str:
    # Lines cut at 20 000 characters: a cell over the csv module's field limit must not hide the separator
    # (the width check then names that cell).
    lines = [ln[:20_000] for ln in text[:200_000].splitlines()[:60] if ln.strip()]
    best, best_score = ",", (-1, -1)
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        width = max(counts)
        score = (sum(c == width for c in counts) if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _head_width(text: str, delim: str, file: str) -> int:
    """The widest of the first 60 rows; a cell over the csv module's field limit is an :class:`ExportError`
    naming its row and column (not ``Error: field larger than field limit``)."""
    lines = text[:200_000].splitlines()[:60]
    reader = csv.reader(lines, delimiter=delim)
    width = 1
    try:
        for r in reader:
            width = max(width, len(r))
    except csv.Error as exc:
        row = reader.line_num or 1
        cells = lines[row - 1].split(delim) if row - 1 < len(lines) else []
        col = next((j + 1 for j, c in enumerate(cells) if len(c) > csv.field_size_limit()), None)
        raise ExportError(
            f"a cell is too long to be an answer ({exc})",
            file=file,
            row=row,
            column=col,
            hint="check the cell: it may hold pasted data, or a quote that is never closed",
        ) from None
    return width


def _read_csv_grid(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    file = path.name
    data = path.read_bytes()
    text, encoding = _decode(data, file, head=_HEAD_CHARS)
    if (not text or text.isspace()) and len(
        text
    ) == _HEAD_CHARS:  # only blanks so far: look at all of it
        text, encoding = _decode(data, file)
    if not text or text.isspace():  # == not text.strip(), without copying the text
        raise ExportError(
            "the file is empty", file=file, hint="export the survey again; the file has no rows"
        )
    delim = _sniff_delimiter(text)
    width = _head_width(text, delim, file)
    if (
        width > MAX_COLUMNS
    ):  # before pandas makes a frame of them (a 5 MB line of "a," is 2.5 M columns)
        raise ExportError(
            f"a row has {width:,} cells; a survey export has at most {MAX_COLUMNS:,} columns",
            file=file,
            hint="check the separator, or that this is a survey export at all",
        )
    # Speed and memory (benchmarks/README.md): the C parser reads the raw bytes in the detected encoding, which
    # is twice as fast as re-encoding the decoded text, and lets the decoded copy go now. Cells are read as
    # object (str or NaN): read_export converts only the columns it uses, and ``dtype=str`` would convert every
    # cell of every column first (3 x slower on a million rows). UTF-16 is rare: it keeps the text path.
    if encoding == "utf-16":
        source: io.StringIO | io.BytesIO = io.StringIO(text)
    else:
        source = io.BytesIO(data)  # shares the bytes, no copy
        source.seek(3 if data.startswith(b"\xef\xbb\xbf") else 0)
    del text, data
    try:
        grid = pd.read_csv(
            source,
            sep=delim,
            header=None,
            names=range(width),
            dtype=object,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
            encoding=None if encoding == "utf-16" else encoding,
        )
    except pd.errors.ParserError as exc:
        msg = str(exc).strip()
        m = re.search(r"line (\d+)", msg)
        row = int(m.group(1)) if m else None
        m_eof = re.search(r"starting at row (\d+)", msg)  # 0-based row where the open quote began
        if m_eof:
            row = int(m_eof.group(1)) + 1
        if "EOF" in msg:
            raise ExportError(
                "the file ends in the middle of a quoted cell (is it truncated?)",
                file=file,
                row=row,
                hint="export the file again; check that it was copied completely",
            ) from None
        raise ExportError(
            f"a row has more cells than the header ({msg.split(': ')[-1]})",
            file=file,
            row=row,
            hint=f"check the separator ({delim!r} was detected) and quotes on that row",
        ) from None
    except (UnicodeError, ValueError) as exc:
        raise ExportError(
            f"the file cannot be read as CSV ({exc})",
            file=file,
            hint="export the survey again as CSV UTF-8 or .xlsx",
        ) from None
    return grid, {"format": "csv", "encoding": encoding, "delimiter": delim}
