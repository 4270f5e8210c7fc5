"""The fast path of :func:`~sosrake_lib.io.read_export` for large UTF-8 CSV files: the header rows
are read by pandas as on the grid path, the body by Arrow's multi-threaded CSV reader; anything
unusual goes back to the pandas path (:mod:`~sosrake_lib.io.csv_grid`)."""

from __future__ import annotations

import codecs
import csv
import io
import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Instrument
from ..errors import ExportError
from .csv_grid import _HEAD_CHARS, _head_width, _sniff_delimiter
from .frame import _CONVERTERS, _convert_columns, _filled, _finish
from .header import HEADER_SCAN_ROWS, _locate_header
from .values import _dictionary_series
from .xlsx import MAX_COLUMNS

# Files from this size on are read by Arrow's multi-threaded CSV reader when they allow it (below this the pandas
# path is fast anyway). Tests lower it to exercise the Arrow path on small files.
_ARROW_MIN_BYTES = 1 << 20
_ARROW_HEAD_BYTES = 1 << 22  # the header rows are looked for in the first 4 MiB


def _grid_read_options(delim: str, width: int) -> dict[str, Any]:
    """``pandas.read_csv`` options of the grid reader (:func:`_read_csv_grid`) for UTF-8 bytes."""
    return dict(
        sep=delim,
        header=None,
        names=range(width),
        dtype=object,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        engine="c",
        quoting=csv.QUOTE_MINIMAL,
        encoding="utf-8",
    )


def _arrow_body(
    data: bytes | mmap.mmap, start: int, delim: str, width: int, coded: set[int] = frozenset()
) -> Any:
    """Arrow table (``width`` string columns) of the CSV records from byte ``start`` on, or ``None``.

    Columns in ``coded`` (labels, numbers, dates: few distinct values) come dictionary-encoded, so a million
    label cells are never stored as text, only as indices into the distinct labels.

    ``None`` whenever Arrow's reading could differ from the pandas C parser's (the caller then takes the pandas
    path): a row with another number of cells (pandas pads short rows, Arrow stops), a whitespace-only line, or a
    file that ends inside a quoted cell (Arrow keeps the rest of the file as the cell, pandas stops with "EOF
    inside string"). Otherwise the two agree cell by cell: quotes open a cell only at its start, ``""`` inside
    quotes is one quote, text after a closing quote is appended, a quote inside an unquoted cell is kept, an empty
    line is a row of missing cells, ``\r``, ``\n`` and ``\r\n`` end rows outside quotes and are kept inside, an
    empty (also quoted empty) cell is missing (``tests/test_io.py`` holds these cases).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[start:]),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={
                    c: pa.dictionary(pa.int32(), pa.large_string())
                    if j in coded
                    else pa.large_string()
                    for j, c in enumerate(names)
                },
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_columns != width or table.num_rows == 0:
        return None
    last_cell = table.column(width - 1)[table.num_rows - 1]
    last = (
        last_cell.value if isinstance(last_cell, pa.DictionaryScalar) else last_cell
    ).as_py() or ""
    tail = b'"' + last.replace('"', '""').encode("utf-8")
    if len(data) - start >= len(tail) and data[len(data) - len(tail) :] == tail:
        return None  # possibly an unterminated quoted cell at the end (or a quoted last cell: pandas decides)
    return table


def _read_csv_arrow(path: Path, inst: Instrument, strict: bool = False) -> pd.DataFrame | None:
    """:func:`read_export` of a large UTF-8 CSV through Arrow's multi-threaded reader, or ``None``.

    Speed (benchmarks/README.md, target 2): the pandas path parses every cell into a Python object and converts
    the text columns again; here the body is read by ``pyarrow.csv`` straight into Arrow string columns, which
    the converters factorise with Arrow's hash tables. The header rows are parsed by the same pandas call as the
    pandas path (:func:`_grid_read_options`), so header finding, metadata and column mapping see the same cells.
    Anything unusual returns ``None`` and :func:`read_export` takes the pandas path, which gives the result or
    error it always gave: not UTF-8, a NUL byte, fewer than 31 rows in the first 4 MiB, header rows that span
    lines, rows of another width, no answers, cells right of the header, and every ExportError (the pandas path
    then raises it, with the row number found on the whole grid).
    """
    try:
        if not path.is_file() or path.stat().st_size < _ARROW_MIN_BYTES:
            return None
        with open(path, "rb") as fh:
            # Mapped, not read: the parser reads the page cache directly (no 500 MB copy, a tenth of the page
            # faults); the file is only read.
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        parsed = _parse_mapped_csv(path, inst, data)
    finally:
        try:
            data.close()  # before converting: the mapped pages count towards the peak memory
        except BufferError:  # an Arrow buffer still points into it: closed when collected
            pass
    if parsed is None:
        return None
    import pyarrow as pa

    table, grid, hrow, file_label, mapping, found_as, delim, header = parsed
    try:
        n = table.num_rows
        rows = pd.Series(np.arange(hrow + 2, hrow + 2 + n), index=range(n), name="_row")
        body = list(table.columns)
        del table

        def column(j: int) -> pd.Series:
            if pa.types.is_dictionary(body[j].type):
                return _dictionary_series(body[j], j)
            return pd.Series(body[j], dtype="str", name=j)

        columns = _convert_columns(inst, mapping, found_as, column, rows, file_label)
        named = {m.column for m in header.matches if m.item is not None}
        filled = {j: _filled(column(j)) for j in range(len(body)) if j not in named}
        body.clear()  # the label columns' text can go before the frame is assembled
        info = {"format": "csv", "encoding": "utf-8", "delimiter": delim}
        return _finish(
            inst,
            columns,
            grid,
            hrow,
            mapping,
            found_as,
            file_label,
            path,
            info,
            header,
            strict,
            filled,
        )
    except (ExportError, ValueError):
        return None


def _parse_mapped_csv(path: Path, inst: Instrument, data: mmap.mmap) -> tuple[Any, ...] | None:
    """Checks, header rows (pandas) and body (Arrow) of a mapped CSV for :func:`_read_csv_arrow`, or ``None``."""
    first = data[:65536]
    if first.startswith((b"\xff\xfe", b"\xfe\xff")) or data.find(b"\x00") >= 0:
        return None
    if sum(b < 9 or 13 < b < 32 for b in first[:4096]) > 8:
        return None
    start = 3 if first.startswith(b"\xef\xbb\xbf") else 0
    # UTF-8 is checked strictly where it is read: the head here, the header rows by pandas and every body cell
    # by Arrow (check_utf8; bytes between cells are ASCII separators, quotes and line ends, so a bad byte
    # anywhere is in some cell). Any invalid byte sends the file to the pandas path, which picks the encoding.
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(
            data[start : start + 4 * _HEAD_CHARS]
        )[:_HEAD_CHARS]
    except UnicodeDecodeError:
        return None
    if not text or text.isspace():
        return None
    delim = _sniff_delimiter(text)
    try:
        width = _head_width(text, delim, path.name)
    except ExportError:
        return None  # the pandas path says where
    if width < 2 or width > MAX_COLUMNS:
        return None  # the pandas path refuses too many columns with its message
    opts = _grid_read_options(delim, width)
    try:
        head = pd.read_csv(
            io.BytesIO(data[start : start + _ARROW_HEAD_BYTES]), nrows=HEADER_SCAN_ROWS + 1, **opts
        )
        if len(head) <= HEADER_SCAN_ROWS:
            return None
        head = head.iloc[:HEADER_SCAN_ROWS]
        _, grid, hrow, file_label, mapping, found_as, header = _locate_header(
            inst, {"": head}, None, path.name
        )
        # The body starts after the header's line: the rows up to the header must be exactly the first lines.
        cut = start
        for _ in range(hrow + 1):
            cut = data.find(b"\n", cut) + 1
            if cut == 0:
                return None
        top = pd.read_csv(io.BytesIO(data[start:cut]), **opts)
        if len(top) != hrow + 1 or not top.equals(head.iloc[: hrow + 1]):
            return None
    except (ExportError, ValueError, pd.errors.ParserError):
        return None
    coded = {j for j, item_id in mapping.items() if inst.item(item_id).kind in _CONVERTERS}
    table = _arrow_body(data, cut, delim, width, coded)
    if table is None:
        return None
    n = table.num_rows
    if all(c.null_count == n for c in table.columns):
        return None  # no answers: the pandas path says so
    heads = grid.iloc[max(hrow - 1, 0) : hrow + 1].notna().any(axis=0).to_numpy()
    last = int(np.flatnonzero(heads).max()) if heads.any() else -1
    if any(table.column(j).null_count != n for j in range(last + 1, width)):
        return None  # cells right of the header: the pandas path names the row
    return table, grid, hrow, file_label, mapping, found_as, delim, header
