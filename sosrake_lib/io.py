"""Read survey-tool exports (.xlsx, .csv) into a coded data frame, finding columns by header text.

Real exports are messy: Microsoft Forms puts fixed columns first (ID, start and completion time, name, e-mail)
and heads each Likert statement by its text only; Moodle adds identity fields and locale dates; CSVs come
comma-, semicolon- or tab-separated, in UTF-8 with or without BOM, UTF-16 or Windows-1252, with metadata rows
above the header and sometimes two header rows. :func:`read_export` copes with all of these and turns answer
labels into codes through the instrument's codebook. Anything it cannot understand raises
:class:`~sosrake_lib.errors.ExportError` naming the file, row, column and value. The raw file is only read.

Result conventions
------------------
- ``_row``: the row number in the file as a spreadsheet shows it (1-based), for error messages and the
  cleaning log.
- Likert items: float codes (1..5) with NaN for blanks *and* for non-substantive answers; the companion column
  ``<item>__nsa`` says which non-substantive answer it was (``"dont_know"``, ``"not_applicable"``), so
  "En osaa sanoa" is counted but never enters a mean.
- NPS and integer items: float; categories: pandas ``Categorical`` of codebook codes in codebook order;
  dates: ``datetime64``; ids, pseudonym sources, names, e-mails and free text: strings. The raw frame still holds
  identifiers: pass it to :func:`~sosrake_lib.cleaning.clean_responses` and never write it anywhere.
- Optional items missing from the export are added as empty columns and listed in ``attrs["absent_items"]``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "feedback.csv"
>>> _ = p.write_text("Kyselyn nimi: palaute\\n"
...     "ID;Kurssin sisältö vastasi sen tavoitteita;Kuinka todennäköisesti suosittelisit kurssia kollegallesi?\\n"
...     "1;Erittäin hyvin;9\\n2; en osaa sanoa ;10\\n", encoding="utf-8-sig")
>>> df = read_export(p, "course_feedback")
>>> df[["_row", "response_id", "FB_SIS1", "FB_SIS1__nsa", "nps"]].to_dict("list")
{'_row': [3, 4], 'response_id': ['1', '2'], 'FB_SIS1': [5.0, nan], 'FB_SIS1__nsa': [nan, 'dont_know'], 'nps': [9.0, 10.0]}
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import mmap
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import export_check
from .codebook import (
    Instrument,
    Item,
    available_instruments,
    load_instrument,
    normalise_header,
    normalise_label,
)
from .errors import ExportError
from .paths import SAMPLE_MARKER, is_sample_path
from .privacy import is_shipped_sample

MAX_TEXT_CHARS = 10_000
HEADER_SCAN_ROWS = 30
_DELIMITERS = (",", ";", "\t", "|")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------------------------------- reading


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


# Files from this size on are read by Arrow's multi-threaded CSV reader when they allow it (below this the pandas
# path is fast anyway). Tests lower it to exercise the Arrow path on small files.
_ARROW_MIN_BYTES = 1 << 20
_ARROW_HEAD_BYTES = 1 << 22  # the header rows are looked for in the first 4 MiB


def _is_arrow_str(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"


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

    Speed (benchmarks/README.md, issue 8): the pandas path parses every cell into a Python object and converts
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


def _cell_text(v: Any) -> Any:
    if v is None:
        return np.nan
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float):
        if v != v:
            return np.nan
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    s = str(v)
    return s if s.strip() else np.nan


MAX_XLSX_ROWS = 500_000
"""Rows an .xlsx sheet may hold; larger exports are read as CSV (the streaming CSV reader has no such limit)."""
MAX_COLUMNS = 2_000
MAX_SHEETS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_BLANK_RUN = 10_000
"""Empty rows after which a row with data is refused (a sheet that claims a million rows to fill memory)."""
MAX_XLSX_UNPACKED = 512 << 20  # bytes of all parts of the workbook, unpacked
MAX_SHARED_STRINGS = 128 << 20


def _check_xlsx_parts(path: Path) -> None:
    """Refuse a workbook whose parts unpack beyond sane sizes, before anything is parsed (a zip bomb, or 400 MB
    of shared strings that openpyxl would load whole)."""
    file = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong
    total = sum(i.file_size for i in infos)
    shared = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if shared > MAX_SHARED_STRINGS or total > MAX_XLSX_UNPACKED:
        what = "its shared strings" if shared > MAX_SHARED_STRINGS else "its parts"
        raise ExportError(
            f"the workbook is too large to be a survey export: {what} unpack to "
            f"{max(shared, total) / 2**20:,.0f} MiB (limit {MAX_SHARED_STRINGS >> 20 if shared > MAX_SHARED_STRINGS else MAX_XLSX_UNPACKED >> 20} MiB)",
            file=file,
            hint="export the survey again; for very large exports choose CSV",
        )


def _sheet_grid(ws: Any, file: str) -> pd.DataFrame:
    """One worksheet as a grid of cell texts, streamed row by row with limits (rows, columns, cell size).

    The sheet's own size claim (``<dimension>``) is ignored (``reset_dimensions``): it can be wrong either way.
    Empty rows are counted but not stored; a row with data after :data:`MAX_BLANK_RUN` empty rows is refused.
    """
    ws.reset_dimensions()
    kept: dict[int, list[Any]] = {}
    width, last, blank_run = 0, -1, 0
    for i, row in enumerate(ws.iter_rows(values_only=True)):
        cells = [_cell_text(v) for v in row]
        filled = [j for j, c in enumerate(cells) if isinstance(c, str)]
        if not filled:
            blank_run += 1
            continue
        if blank_run > MAX_BLANK_RUN and last >= 0:
            raise ExportError(
                f"a row holds data after {blank_run:,} empty rows (the sheet claims far more rows "
                "than a survey export has)",
                file=file,
                row=i + 1,
                hint="delete the stray cells far below the answers, or export the survey again",
            )
        if i >= MAX_XLSX_ROWS:
            raise ExportError(
                f"the sheet has more than {MAX_XLSX_ROWS:,} rows",
                file=file,
                row=i + 1,
                hint="export the survey as CSV instead: large files are read as CSV",
            )
        blank_run = 0
        if filled[-1] >= MAX_COLUMNS:
            raise ExportError(
                f"the sheet has more than {MAX_COLUMNS:,} columns",
                file=file,
                row=i + 1,
                column=filled[-1] + 1,
                hint="check the export; delete stray cells far to the right",
            )
        long = next((j for j in filled if len(cells[j]) > MAX_CELL_CHARS), None)
        if long is not None:
            raise ExportError(
                f"a cell holds {len(cells[long]):,} characters (Excel's limit is {MAX_CELL_CHARS:,})",
                file=file,
                row=i + 1,
                column=long + 1,
                value=cells[long][:40],
                hint="check the cell: it may hold pasted data",
            )
        kept[i] = cells[: filled[-1] + 1]
        width = max(width, filled[-1] + 1)
        last = i
    n = last + 1
    pad = [np.nan] * width
    rows = [(kept[i] + pad[len(kept[i]) :]) if i in kept else pad for i in range(n)]
    grid = (
        pd.DataFrame(rows, columns=range(width), dtype=object)
        if n
        else pd.DataFrame(columns=range(width))
    )
    return grid.astype("str").where(grid.notna()) if width else grid


def _read_xlsx_sheets(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    import openpyxl  # local import: only needed for Excel files

    file = path.name
    head = path.read_bytes()[:8]
    if head.startswith(_OLE_MAGIC):
        raise ExportError(
            "the Excel file is password-protected (encrypted) or in the old .xls format",
            file=file,
            hint="remove the password in Excel (File > Info > Protect) or save as .xlsx, then retry",
        )
    if not head.startswith(b"PK"):
        raise ExportError(
            "this is not an Excel .xlsx file",
            file=file,
            hint="export the survey again as .xlsx, or save it as CSV and use the .csv name",
        )
    _check_xlsx_parts(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExportError(
            f"the Excel file is damaged or truncated ({type(exc).__name__})",
            file=file,
            hint="export the file again from the survey tool",
        ) from None
    sheets: dict[str, pd.DataFrame] = {}
    if len(wb.sheetnames) > MAX_SHEETS:
        wb.close()
        raise ExportError(
            f"the workbook has {len(wb.sheetnames):,} sheets; a survey export has a few",
            file=file,
            hint="export the survey again, or save the answer sheet alone as .xlsx",
        )
    try:
        for ws in wb.worksheets:
            sheets[ws.title] = _sheet_grid(
                ws, f"{file} [{ws.title}]" if len(wb.worksheets) > 1 else file
            )
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        if isinstance(exc, ExportError):
            raise
        raise ExportError(
            f"the Excel file is damaged or truncated ({type(exc).__name__})",
            file=file,
            hint="export the file again from the survey tool",
        ) from None
    finally:
        wb.close()
    return sheets, {"format": "xlsx"}


# ------------------------------------------------------------------------------------------ header finding


@dataclass(frozen=True)
class ColumnMatch:
    """How one export column was read: its header as found, the item it holds and by which rule.

    ``method`` is ``"header"`` (a header text of the codebook), ``"alias"`` (a header from a codebook overlay),
    ``"grid title"`` (a statement told apart by its grid's title), ``"grid order"`` (a statement that stands in
    several grids, placed by the run of columns it stands in: Microsoft Forms repeats bare statements),
    ``"grid answers"`` (such a run moved to the grid whose answer labels it holds), ``"statement"`` (a grid
    statement found in one grid only) or ``"label"`` (Moodle's ``(LABEL) Question``).
    """

    column: int
    header: str
    item: str | None = None
    method: str = ""
    block: int = (
        -1
    )  # for "grid order": which run of repeated statements (one grid) the column stands in


_MOODLE_LABEL = re.compile(r"^\s*\(([^()]{1,60})\)\s*(\S.*)$", re.S)
_EXCEL_SUFFIX = re.compile(r"^(.*\D)(\d{1,2})$", re.S)
_JOINED = re.compile(r"^(.*?\S)\s*(?:\s[-–—]\s|:\s)\s*(\S.*)$", re.S)
_BRACKETED = re.compile(r"^(.*?\S)\s*\[([^\[\]]+)\]\s*$", re.S)


def _clean_cell(v: Any) -> str | None:
    return v.strip() if isinstance(v, str) and v.strip() else None


def _header_cells(
    grid: pd.DataFrame | list[list[Any]],
    top: int,
    bottom: int,
) -> list[tuple[int, str | None, str]]:
    """``(column, grid title, text)`` of every non-empty header column of rows ``top..bottom``.

    One header row: the cell is the text. Two rows (Webropol): a grid's title stands on the first row, in its
    first column only (a merged cell in .xlsx) and is carried right; its statements stand on the second row.
    A single question has its text on the first row only.
    """
    rows = grid if isinstance(grid, list) else None  # the header rows as lists, from _find_header

    def row(i: int) -> list[Any]:
        return rows[i] if rows is not None else grid.iloc[i].tolist()  # type: ignore[union-attr]

    lower = row(bottom)
    upper = row(top) if top < bottom else None
    out: list[tuple[int, str | None, str]] = []
    title = None
    for j, cell in enumerate(lower):
        b = _clean_cell(cell)
        if upper is None:
            if b is not None:
                out.append((j, None, b))
            continue
        t = _clean_cell(upper[j])
        if t is not None:
            title = t
        if b is not None:
            out.append((j, title, b))
        elif t is not None:
            out.append((j, None, t))
    return out


def _resolve(
    inst: Instrument,
    title: str | None,
    text: str,
    taken: Mapping[str, Any],
    repeated: frozenset[str] = frozenset(),
) -> tuple[str | None, str]:
    """The item a header column holds and the rule that found it (see :class:`ColumnMatch`), or (None, "")."""
    body, label = text, None
    if title is None and inst.match_header(text) is None:
        # Google Forms grid column "Question [Statement]"; other tools write "Question - Statement" or
        # "Question: Statement" on one row
        m = _BRACKETED.match(text) or _JOINED.match(text)
        if m and (
            inst.match_header(m.group(2))
            or inst.statement_items(m.group(2))
            or inst.match_header(f"{m.group(1)} {m.group(2)}")
            or m.re is _BRACKETED
        ):
            title, body = m.group(1), m.group(2)
    m = _MOODLE_LABEL.match(body)  # Moodle feedback item: "(LABEL) Question"
    if m and inst.match_header(body) is None:
        label, body = m.group(1), m.group(2)
    direct, how = None, ""
    for key in (f"{title} {body}" if title else None, body, text):
        if key and (x := inst.match_header(key)):
            direct, how = x, inst.header_method(key)
            break
    if direct is None and label is not None and (x := inst.match_label(label)):
        direct, how = x, "label"
    group = inst.statement_group(direct) if direct else inst.statement_items(body)
    if direct is None and not group and (m := _EXCEL_SUFFIX.match(body)):
        # An Excel table needs unique headers, so a repeated statement may come as "Statement2": the
        # number only counts occurrences, the statement decides.
        retry, how2 = _resolve(inst, title, m.group(1), taken)
        if (
            retry is not None
            and len(inst.statement_group(retry) or inst.statement_items(m.group(1))) > 1
        ):
            return retry, how2
    if len(group) == 1 and direct is None:
        return group[0], "statement"
    if len(group) > 1:
        # The same statement stands in several grids: the grid title decides, else a full header that names
        # one item, else the order of occurrence (the first free item in grid order).
        if title and (g := inst.grid_of_title(title)):
            pick = next((i for i in group if inst.item(i).grid == g), None)
            if pick is not None:
                return pick, "grid title"
        if direct is not None and direct not in taken and normalise_header(text) not in repeated:
            return direct, how
        free = [i for i in group if i not in taken]
        if free:
            return free[0], "grid order"
    return direct, how


def _match_columns(
    inst: Instrument,
    grid: pd.DataFrame | list[list[Any]],
    top: int,
    bottom: int,
) -> list[ColumnMatch]:
    """Every non-empty header column of rows ``top..bottom`` with the item it holds (if any).

    Statements that stand in several grids without a grid title (Microsoft Forms) are placed by position, see
    :func:`_place_by_order`.
    """
    taken: dict[str, int] = {}
    out = []
    cells = _header_cells(grid, top, bottom)
    seen = [normalise_header(text) for _, title, text in cells if title is None]
    repeated = frozenset(
        t for t in seen if seen.count(t) > 1
    )  # one header twice: a statement of two grids
    for j, title, text in cells:
        item, how = _resolve(inst, title, text, taken, repeated)
        shown = f"{title} [{text}]" if title is not None else text
        if item is not None and item not in taken:
            taken[item] = j
        out.append(ColumnMatch(j, shown, item, how))
    return _place_by_order(inst, out)


def _statement_index(inst: Instrument, group: tuple[str, ...]) -> int:
    """The place of a statement in its grids (codebook order of the group's first item)."""
    first = inst.item(group[0])
    return [it.id for it in inst.items if it.grid == first.grid].index(first.id)


def _blocks(inst: Instrument, cols: list[ColumnMatch], by_order: bool) -> list[list[ColumnMatch]]:
    """Runs of repeated-statement columns, one per grid: a run ends where a column is not next to the previous
    one, where a statement repeats and, with ``by_order``, where the codebook order of the statements falls
    back (a grid asks its statements in codebook order; the next grid starts again from the first)."""
    blocks: list[list[ColumnMatch]] = []
    for m in cols:
        group = inst.statement_group(m.item)  # type: ignore[arg-type]
        cur = blocks[-1] if blocks else None
        new = cur is None or m.column != cur[-1].column + 1
        if cur is not None and not new:
            seen = {inst.statement_group(c.item) for c in cur}  # type: ignore[arg-type]
            prev = _statement_index(inst, inst.statement_group(cur[-1].item))  # type: ignore[arg-type]
            new = group in seen or (by_order and _statement_index(inst, group) < prev)
        if new:
            blocks.append([m])
        else:
            cur.append(m)  # type: ignore[union-attr]
    return blocks


def _place_by_order(inst: Instrument, out: list[ColumnMatch]) -> list[ColumnMatch]:
    """Place statements repeated across grids without a title by the run (block) they stand in.

    The grids that titled columns already fill are left out; the k-th block goes to the k-th remaining grid in
    the codebook's ``order``. A deleted column thus never shifts its twin into the other grid. Where the blocks
    cannot be matched to the grids, the columns are marked ``"grid order?"`` and the read stops.
    """
    idx = [k for k, m in enumerate(out) if m.method == "grid order"]
    if not idx:
        return out
    cols = [out[k] for k in idx]
    titled = {inst.item(m.item).grid for m in out if m.method == "grid title" and m.item}
    grids = [
        g.name for g in sorted(inst.grids.values(), key=lambda g: g.order) if g.name not in titled
    ]
    blocks = _blocks(inst, cols, by_order=True)
    if len(blocks) != len(grids):
        blocks = _blocks(inst, cols, by_order=False)
    placed: dict[int, ColumnMatch] = {}
    if len(blocks) == len(grids):
        for b, (block, g) in enumerate(zip(blocks, grids, strict=True)):
            for m in block:
                item = next(i for i in inst.statement_group(m.item) if inst.item(i).grid == g)  # type: ignore[arg-type]
                placed[m.column] = ColumnMatch(m.column, m.header, item, "grid order", b)
    else:
        for m in cols:
            placed[m.column] = ColumnMatch(m.column, m.header, m.item, "grid order?", -1)
    return [placed.get(m.column, m) if m.method == "grid order" else m for m in out]


def _n_items(matches: list[ColumnMatch]) -> int:
    return len({m.item for m in matches if m.item is not None})


def _find_header(inst: Instrument, grid: pd.DataFrame) -> tuple[int, int, int]:
    """``(top, bottom, items matched)`` of the header: one row, or two (grid titles above statements).

    Every row of the first :data:`HEADER_SCAN_ROWS` is tried alone and with the row below it; the reading that
    finds the most codebook items wins (one row on a tie). A Webropol export's statement row is thus part of
    the header, never read as a respondent.
    """
    n_rows = min(HEADER_SCAN_ROWS, len(grid))
    rows = grid.iloc[: n_rows + 1].to_numpy(dtype=object).tolist()  # once, not a pandas row per try
    single = [_n_items(_match_columns(inst, rows, i, i)) for i in range(n_rows)]
    best = (-1, -1, 0)
    for i in range(n_rows):
        if single[i] > best[2]:
            best = (i, i, single[i])
    for i in range(n_rows):
        below = single[i + 1] if i + 1 < n_rows else 0
        # two rows are tried where one of them finds something alone (grid titles carry single questions on
        # the first row, or the statements match on the second); answer rows find nothing either way
        if (
            i + 1 < len(rows)
            and (single[i] or below)
            and any(isinstance(v, str) for v in rows[i + 1])
        ):
            n2 = _n_items(_match_columns(inst, rows, i, i + 1))
            # two rows only where they find more than either row alone (a metadata line above a one-row
            # header finds the same items as the header row itself)
            if n2 > max(best[2], single[i], below):
                best = (i, i + 1, n2)
    return best


def _find_header_row(inst: Instrument, grid: pd.DataFrame) -> tuple[int, int]:
    """Return (last header row index, number of items matched)."""
    _, bottom, n = _find_header(inst, grid)
    return bottom, n


def _guess_instrument(grid: pd.DataFrame, exclude: str, matched: int = 0) -> str | None:
    """The instrument whose headers match at least three columns and more than ``matched`` (else ``None``)."""
    scores = {}
    for name in available_instruments():
        if name == exclude:
            continue
        other = load_instrument(name)
        _, n = _find_header_row(other, grid)
        scores[name] = n
    if not scores:
        return None
    name, n = max(scores.items(), key=lambda kv: kv[1])
    return name if n >= max(3, matched + 1) else None


def _map_columns(
    inst: Instrument,
    grid: pd.DataFrame,
    top: int,
    bottom: int,
    file: str,
) -> tuple[dict[int, str], dict[str, str], list[ColumnMatch]]:
    """Map grid column index -> item id (and item id -> header text as found); refuse a question twice."""
    matches = _check_grid_answers(
        inst, _match_columns(inst, grid, top, bottom), grid.iloc[bottom + 1 :], file, bottom
    )
    mapping: dict[int, str] = {}
    found_as: dict[str, str] = {}
    for m in matches:
        if m.item is None:
            continue
        if m.method == "grid order?":
            raise ExportError(
                "a statement stands in several grids without a grid title, and the columns cannot be told apart "
                "by their position (a grid's column may be missing or the statements shuffled)",
                file=file,
                row=bottom + 1,
                column=m.header,
                hint="export again with every grid column, or with grid titles (Webropol, Google Forms)",
            )
        if m.item in found_as:
            raise ExportError(
                f"two columns hold the same question ({m.item}): {found_as[m.item]!r} and this one",
                file=file,
                row=bottom + 1,
                column=m.header,
                value=m.header,
                hint="delete or rename the duplicate column, or say in the codebook which grid each belongs to",
            )
        mapping[m.column] = m.item
        found_as[m.item] = m.header
    return mapping, found_as, matches


def _scale_fit(inst: Instrument, item_id: str, values: Iterable[str]) -> float:
    """Share of the distinct answer labels (not digits, not "En osaa sanoa") that the item's scale knows."""
    scale = inst.item(item_id).scale
    words = [v for v in values if not v.strip().isdigit()]
    if scale is None:
        return 0.0
    words = [
        v for v in words if not isinstance(scale.code_of(v), str) or scale.code_of(v) in scale.codes
    ]
    if not words:
        return float("nan")
    return sum(scale.code_of(v) is not None for v in words) / len(words)


def _check_grid_answers(
    inst: Instrument, matches: list[ColumnMatch], body: pd.DataFrame, file: str, bottom: int
) -> list[ColumnMatch]:
    """Let the answers confirm the grids placed by order: a block whose labels belong to another grid's scale
    ("Ei lainkaan tärkeä" is importance, not competence) is moved there, and said so (``"grid answers"``)."""
    blocks: dict[int, list[ColumnMatch]] = {}
    for m in matches:
        if m.method == "grid order" and m.block >= 0:
            blocks.setdefault(m.block, []).append(m)
    if len(blocks) < 2:
        return matches
    sample = body.head(500)
    grids = sorted(
        {inst.item(ms[0].item).grid for ms in blocks.values()},  # type: ignore[arg-type]
        key=lambda g: inst.grids[g].order,
    )

    def fit(block: list[ColumnMatch], g: str) -> float:
        vals: set[str] = set()
        for m in block:
            if m.column in sample:
                vals.update(str(v) for v in sample[m.column].dropna().unique()[:50])
        item = next(i for i in inst.statement_group(block[0].item) if inst.item(i).grid == g)  # type: ignore[arg-type]
        f = _scale_fit(inst, item, vals)
        return 0.0 if f != f else f

    from itertools import permutations

    keys = sorted(blocks)
    current = tuple(inst.item(blocks[b][0].item).grid for b in keys)  # type: ignore[arg-type]
    scores = {
        perm: sum(fit(blocks[b], g) for b, g in zip(keys, perm, strict=True))
        for perm in permutations(grids, len(keys))
    }
    best = max(scores, key=lambda p: (scores[p], p == current))
    if best == current or scores[best] <= scores[current]:
        return matches
    moved: dict[int, ColumnMatch] = {}
    for b, g in zip(keys, best, strict=True):
        for m in blocks[b]:
            item = next(i for i in inst.statement_group(m.item) if inst.item(i).grid == g)  # type: ignore[arg-type]
            moved[m.column] = ColumnMatch(m.column, m.header, item, "grid answers", b)
    return [moved.get(m.column, m) for m in matches]


# --------------------------------------------------------------------------------------------- converting


def _categorise(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Factorise strings once so that label mapping touches each distinct label once (fast on 1M rows).

    A categorical column (the Arrow reader's dictionary-encoded labels) is already factorised: its codes and
    categories (every one of them occurs) are used as they are.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return np.asarray(s.cat.codes, dtype=np.intp), [str(u) for u in s.cat.categories]
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _dictionary_series(col: Any, name: int) -> pd.Series:
    """A pandas categorical Series of a dictionary-encoded Arrow column (labels in order of first appearance)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = col.unify_dictionaries()
    labels = col.chunk(0).dictionary if col.num_chunks else pa.array([], type=pa.large_string())
    indices = pa.chunked_array([c.indices for c in col.chunks], type=pa.int32())
    codes = pc.fill_null(indices, -1).to_numpy() if len(indices) else np.empty(0, dtype=np.int32)
    cats = pd.Index(labels, dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=cats), name=name)


def _first_row(s: pd.Series, rows: pd.Series, value: str) -> int:
    hit = s.to_numpy(dtype=object) == value
    return int(rows.to_numpy()[hit.argmax()])


def _fail(
    col: pd.Series, rows: pd.Series, value: str, msg: str, file: str, header: str, hint: str
) -> None:
    raise ExportError(
        msg, file=file, row=_first_row(col, rows, value), column=header, value=value, hint=hint
    )


def _convert_scaled(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> dict[str, pd.Series]:
    scale = item.scale
    assert scale is not None
    codes, uniques = _categorise(col)
    values = np.full(len(uniques), np.nan)
    nsa = np.empty(len(uniques), dtype=object)
    nsa[:] = None
    for k, label in enumerate(uniques):
        code = scale.code_of(label)
        if code is None and item.kind == "nps":
            code = _parse_number(label)
            if code is not None and (code != int(code) or not scale.min <= code <= scale.max):
                _fail(
                    col,
                    rows,
                    label,
                    f"number out of range: the answer must be a whole number "
                    f"{scale.min}–{scale.max}",
                    file,
                    header,
                    "correct the cell or leave it empty",
                )
        if code is None:
            allowed = "; ".join(scale.allowed_labels("fi"))
            _fail(
                col,
                rows,
                label,
                "unknown answer label",
                file,
                header,
                f"the codebook accepts: {allowed}. Fix the cell, or add the spelling to the scale's aliases "
                f"in sosrake_lib/instruments/_scales.yaml",
            )
        if isinstance(code, str) and code in scale.non_substantive:
            nsa[k] = code
        else:
            values[k] = float(code)
    valid = codes >= 0
    out_v = np.append(values, np.nan)[codes]  # code -1 (blank) picks the NaN at the end
    res = {item.id: pd.Series(out_v, index=col.index, name=item.id)}
    if item.kind == "likert" or scale.non_substantive:
        # The kind of non-substantive answer per row: one Arrow take from the few distinct labels (building a
        # million-cell object column and converting it to str took 0.1 s per item on 1M rows).
        import pyarrow as pa

        labels = pa.array(nsa.tolist(), type=pa.large_string())
        taken = (
            labels.take(pa.array(codes, mask=~valid))
            if len(labels)
            else pa.nulls(len(col), type=pa.large_string())
        )
        res[f"{item.id}__nsa"] = pd.Series(taken, index=col.index, dtype="str")
    return res


def _convert_category(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> pd.Series:
    scale = item.scale
    assert scale is not None
    codes, uniques = _categorise(col)
    cats = list(scale.codes)
    lookup = np.empty(len(uniques), dtype=np.int64)
    for k, label in enumerate(uniques):
        code = scale.code_of(label)
        if code is None or code not in scale.codes:
            allowed = "; ".join(v["fi"] for v in scale.codes.values())
            _fail(
                col,
                rows,
                label,
                "unknown answer label",
                file,
                header,
                f"the codebook accepts: {allowed}. Fix the cell, or add the spelling to the item's aliases in "
                f"the instrument codebook",
            )
        lookup[k] = cats.index(code)
    cat_codes = np.where(codes >= 0, lookup[np.maximum(codes, 0)] if len(lookup) else -1, -1)
    return pd.Series(
        pd.Categorical.from_codes(cat_codes, categories=cats, ordered=item.ordered),
        index=col.index,
        name=item.id,
    )


_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:$|[-–—:]\s*\D)")


def _parse_number(text: str) -> float | None:
    m = _NUMBER.match(text.replace("\u00a0", " "))
    if not m:
        return None
    return float(m.group(1).replace(",", "."))


def _convert_integer(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str
) -> pd.Series:
    codes, uniques = _categorise(col)
    values = np.full(len(uniques), np.nan)
    for k, label in enumerate(uniques):
        num = _parse_number(label)
        if num is None:
            _fail(
                col,
                rows,
                label,
                "not a number",
                file,
                header,
                "write a number (decimal comma is fine)",
            )
        if (item.min is not None and num < item.min) or (item.max is not None and num > item.max):
            _fail(
                col,
                rows,
                label,
                f"number out of range {item.min}–{item.max}",
                file,
                header,
                "correct the cell",
            )
        values[k] = num
    out = np.full(len(col), np.nan)
    out[codes >= 0] = values[codes[codes >= 0]]
    return pd.Series(out, index=col.index, name=item.id)


# Families of date formats; a column must fit one family throughout.
_DATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "d.m.yyyy": (
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H.%M.%S",
        "%d.%m.%Y %H.%M",
        "%d.%m.%Y klo %H.%M",
        "%d.%m.%Y klo %H:%M",
        "%d.%m.%Y",
    ),
    "yyyy-mm-dd": (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d",
    ),
    "m/d/yyyy": (
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%y %H:%M",
        "%m/%d/%y",
    ),
    "d/m/yyyy": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"),
    # Google Forms (English locale): 2021/10/02 2:19:36 PM GMT+3 (the zone is taken off first)
    "yyyy/mm/dd": (
        "%Y/%m/%d %I:%M:%S %p",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %I:%M %p",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d",
    ),
    # Moodle (English interface): Friday, 10 December 2021, 9:35 AM
    "weekday, d month yyyy": ("%A, %d %B %Y, %I:%M %p", "%A, %d %B %Y, %H:%M", "%A, %d %B %Y"),
}
_ZONE = re.compile(r"\s*(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$", re.IGNORECASE)
_FI_MONTHS = {
    m: k
    for k, m in enumerate(
        (
            "tammikuuta",
            "helmikuuta",
            "maaliskuuta",
            "huhtikuuta",
            "toukokuuta",
            "kesäkuuta",
            "heinäkuuta",
            "elokuuta",
            "syyskuuta",
            "lokakuuta",
            "marraskuuta",
            "joulukuuta",
        ),
        start=1,
    )
}
_FI_WEEKDAY_DATE = re.compile(
    r"^\s*(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai)?,?\s*(\d{1,2})\.\s*"
    r"([a-zåäö]+kuuta)\s+(\d{4})(?:,?\s*(?:klo\s*)?(\d{1,2})[.:](\d{2}))?\s*$",
    re.IGNORECASE,
)


def _normalise_date_text(text: str) -> str:
    """Date text of the survey tools in a form :data:`_DATE_FAMILIES` reads.

    Google Forms' time zone suffix is dropped (the wall-clock time is kept), Moodle's Finnish dates become
    d.m.yyyy H.MM.

    >>> _normalise_date_text("2021/10/02 2:19:36 PM GMT+3")
    '2021/10/02 2:19:36 PM'
    >>> _normalise_date_text("perjantai, 10. joulukuuta 2021, 9.35")
    '10.12.2021 9.35'
    """
    t = _ZONE.sub("", text)
    m = _FI_WEEKDAY_DATE.match(t)
    if m and m.group(2).casefold() in _FI_MONTHS:
        day, month, year = int(m.group(1)), _FI_MONTHS[m.group(2).casefold()], m.group(3)
        clock = f" {int(m.group(4))}.{m.group(5)}" if m.group(4) else ""
        return f"{day}.{month}.{year}{clock}"
    return t


def _parse_with(fmts: tuple[str, ...], text: str) -> dt.datetime | None:
    for f in fmts:
        try:
            return dt.datetime.strptime(text.strip(), f)
        except ValueError:
            continue
    return None


_FAST_DATES = 1000
"""From this many distinct date strings on, :func:`_parse_family` parses with pandas' vectorised ``strptime``."""


def _parse_family(fmts: tuple[str, ...], uniques: list[str]) -> np.ndarray:
    """Parse distinct date strings with the first format of ``fmts`` that fits; NaT where none does.

    Real exports carry a submission *time* per row, so a big export has about as many distinct strings as rows.
    From :data:`_FAST_DATES` strings on, each format is tried on all remaining strings at once with
    ``pandas.to_datetime(format=...)`` (a C port of :func:`datetime.datetime.strptime`); whatever it leaves is
    tried once more with :func:`datetime.datetime.strptime` itself, so no string Python accepts is lost.

    Examples
    --------
    >>> _parse_family(_DATE_FAMILIES["d.m.yyyy"], ["1.2.2022 9:05", " 31.12.1999", "29.2.2021"]).tolist()
    [datetime.datetime(2022, 2, 1, 9, 5), datetime.datetime(1999, 12, 31, 0, 0), None]
    """
    out = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = np.ones(len(uniques), dtype=bool)
    if len(uniques) >= _FAST_DATES:
        text = pd.Series(uniques, dtype=object).str.strip()
        for f in fmts:
            idx = np.flatnonzero(todo)
            if idx.size == 0:
                break
            got = pd.to_datetime(text.iloc[idx], format=f, errors="coerce").to_numpy(
                dtype="datetime64[s]"
            )
            ok = ~np.isnat(got)
            out[idx[ok]] = got[ok]
            todo[idx[ok]] = False
    for i in np.flatnonzero(todo):
        p = _parse_with(fmts, uniques[i])
        if p is not None:
            out[i] = np.datetime64(p, "s")
    return out


_SLASH_PAIR = {"m/d/yyyy": "d/m/yyyy", "d/m/yyyy": "m/d/yyyy"}


def _slash_order(
    inst: Instrument, mapping: Mapping[int, str], column: Callable[[int], pd.Series]
) -> str:
    """``"day_first"`` or ``"month_first"`` when one of the file's slash-date columns settles it (a value such as
    20/09/2021 fits only one order), else ``""``: one file comes from one tool in one locale."""
    for j, item_id in mapping.items():
        if inst.item(item_id).kind not in ("date", "datetime"):
            continue
        _, uniques = _categorise(column(j))
        if not any("/" in u for u in uniques[:20]):
            continue
        text = [_normalise_date_text(u) for u in uniques[:5000]]
        dm = ~np.isnat(_parse_family(_DATE_FAMILIES["d/m/yyyy"], text))
        md = ~np.isnat(_parse_family(_DATE_FAMILIES["m/d/yyyy"], text))
        if dm.all() and not md.all():
            return "day_first"
        if md.all() and not dm.all():
            return "month_first"
    return ""


def _convert_date(
    item: Item, col: pd.Series, rows: pd.Series, file: str, header: str, date_order: str = ""
) -> pd.Series:
    codes, raw_uniques = _categorise(col)
    # Tool-specific spellings (Google's time zone, Moodle's Finnish month names) only where letters occur:
    # plain numeric dates, the usual case on big exports, skip the per-value regex.
    if any(re.search(r"[^\d\s.:/\-T]", u) for u in raw_uniques[:50]):
        uniques = [_normalise_date_text(u) for u in raw_uniques]
    else:
        uniques = raw_uniques
    values: np.ndarray | None = None
    fits: dict[str, int] = {}
    families = list(_DATE_FAMILIES)
    if date_order == "day_first":  # the codebook overlay settles 01/09/2021 as 1 September
        families.remove("d/m/yyyy")
        families.insert(families.index("m/d/yyyy"), "d/m/yyyy")
    for family in families:
        attempt = _parse_family(_DATE_FAMILIES[family], uniques)
        fits[family] = int((~np.isnat(attempt)).sum())
        if fits[family] == len(uniques):
            values = attempt
            other = _SLASH_PAIR.get(family)
            if other and not date_order:
                twin = _parse_family(_DATE_FAMILIES[other], uniques)
                if (~np.isnat(twin)).all() and not np.array_equal(twin, attempt):
                    k = int(np.flatnonzero(twin != attempt)[0])
                    _fail(
                        col,
                        rows,
                        raw_uniques[k],
                        "the dates can be read day first or month first (every day "
                        "is 12 or less), and the two give different dates",
                        file,
                        header,
                        "add 'date_order: day_first' (or month_first) under the instrument in a codebook overlay "
                        "(--codebook-overlay), or export the dates as 1.9.2021 or 2021-09-01",
                    )
            break
    if values is None:
        family = max(fits, key=lambda f: fits[f])
        k = next(k for k, u in enumerate(uniques) if _parse_with(_DATE_FAMILIES[family], u) is None)
        anywhere = any(_parse_with(f, uniques[k]) for f in _DATE_FAMILIES.values())
        msg = (
            "dates in mixed formats: this value does not follow the column's main format "
            f"({family})"
            if anywhere and fits[family]
            else "not a date"
        )
        _fail(
            col,
            rows,
            raw_uniques[k],
            msg,
            file,
            header,
            "write every date in one format, e.g. 12.10.2022 or 2022-10-12",
        )
    out = np.full(len(col), np.datetime64("NaT"), dtype="datetime64[s]")
    out[codes >= 0] = values[codes[codes >= 0]]
    ser = pd.Series(out, index=col.index, name=item.id)
    return ser.dt.normalize() if item.kind == "date" else ser


def semester_of(when: pd.Series | dt.date) -> Any:
    """Finnish semester label of a date: January–July is spring (kevät), August–December autumn (syksy).

    >>> semester_of(dt.date(2021, 10, 12))
    '2021-syksy'
    >>> semester_of(pd.Series(pd.to_datetime(["2022-03-01", "2022-09-01"]))).tolist()
    ['2022-kevät', '2022-syksy']
    """
    if isinstance(when, pd.Series):
        season = np.where(when.dt.month >= 8, "syksy", "kevät")
        return (when.dt.year.astype("Int64").astype("str") + "-" + season).where(when.notna())
    return f"{when.year}-{'syksy' if when.month >= 8 else 'kevät'}"


def _blank_to_missing(s: pd.Series) -> pd.Series:
    """``s.where(s != "")``; without a copy of the column when no cell is empty (the usual case)."""
    empty = (s == "").to_numpy(dtype=bool, na_value=False)
    return s.where(~empty) if empty.any() else s


def _convert_text(item: Item, col: pd.Series, rows: pd.Series, file: str, header: str) -> pd.Series:
    s = _blank_to_missing(col.str.strip())
    too_long = s.str.len() > MAX_TEXT_CHARS
    if too_long.any():
        i = int(np.flatnonzero(too_long.fillna(False).to_numpy())[0])
        raise ExportError(
            f"the answer is {int(s.str.len().iloc[i]):,} characters long; the limit is "
            f"{MAX_TEXT_CHARS:,}",
            file=file,
            row=int(rows.iloc[i]),
            column=header,
            value=s.iloc[i][:40],
            hint="check the cell: it may hold pasted data; shorten it",
        )
    return s.rename(item.id)


_CONVERTERS: dict[str, Callable[..., Any]] = {
    "likert": _convert_scaled,
    "nps": _convert_scaled,
    "category": _convert_category,
    "integer": _convert_integer,
    "date": _convert_date,
    "datetime": _convert_date,
}


def _empty_column(item: Item, n: int, index: pd.Index) -> dict[str, pd.Series]:
    if item.kind in ("likert", "nps", "integer"):
        out = {item.id: pd.Series(np.nan, index=index, dtype="float64")}
        if item.kind == "likert":
            out[f"{item.id}__nsa"] = pd.Series(pd.NA, index=index, dtype="str")
        return out
    if item.kind == "category":
        assert item.scale is not None
        return {
            item.id: pd.Series(
                pd.Categorical([None] * n, categories=list(item.scale.codes), ordered=item.ordered),
                index=index,
            )
        }
    if item.kind in ("date", "datetime"):
        return {item.id: pd.Series(pd.NaT, index=index, dtype="datetime64[s]")}
    return {item.id: pd.Series(pd.NA, index=index, dtype="str")}


def _header_name(item: Item) -> str:
    """The name a user sees for an item's column: its Finnish text, else its first header, else its id."""
    return item.display_name


def _check_row_width(
    grid: pd.DataFrame, hrow: int, body: pd.DataFrame, rows: pd.Series, file: str
) -> None:
    """Refuse cells to the right of the last header column: the row's cells are shifted (stray separator)."""
    heads = grid.iloc[max(hrow - 1, 0) : hrow + 1].notna().any(axis=0).to_numpy()
    last = int(np.flatnonzero(heads).max()) if heads.any() else -1
    beyond = body.loc[:, body.columns > last] if len(body.columns) else body
    if beyond.shape[1] == 0:
        return
    filled = beyond.notna().any(axis=1).to_numpy()
    if filled.any():
        i = int(np.flatnonzero(filled)[0])
        j = int(beyond.columns[beyond.iloc[i].notna().to_numpy()][0])
        raise ExportError(
            f"a row has more cells than the header (a value in column {j + 1}, the header ends at "
            f"column {last + 1})",
            file=file,
            row=int(rows.iloc[i]),
            value=body.iat[i, j],
            hint="check the separator and the quotes on that row, or delete the stray cell",
        )


# ------------------------------------------------------------------------------------------------ public


def _load_grids(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    file = path.name
    if not path.exists():
        raise ExportError(
            "the file does not exist", file=str(path), hint="check the path and the file name"
        )
    if path.is_dir():
        raise ExportError(
            "this is a folder, not an export file", file=str(path), hint="give the path of one file"
        )
    if path.stat().st_size == 0:
        raise ExportError("the file is empty (0 bytes)", file=file, hint="export the survey again")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_sheets(path)
    if suffix in (".csv", ".txt", ".tsv"):
        grid, info = _read_csv_grid(path)
        return {"": grid}, info
    if suffix == ".xls":
        raise ExportError(
            "old .xls files are not supported", file=file, hint="save the file as .xlsx in Excel"
        )
    raise ExportError(
        f"unsupported file type {suffix!r}", file=file, hint="give an .xlsx or .csv export"
    )


def read_export(
    path: str | Path,
    instrument: Instrument | str,
    *,
    sheet: str | None = None,
    strict: bool = False,
    overlay: str | Path | None = None,
) -> pd.DataFrame:
    """Read one export file into a coded data frame (one row per respondent).

    Parameters
    ----------
    path : str or Path
        An .xlsx or .csv export as the survey tool wrote it. It is only read, never modified.
    instrument : Instrument or str
        The codebook (or its name) that says which header belongs to which item.
    sheet : str, optional
        Worksheet to read when an .xlsx has several sheets with answers.

    Returns
    -------
    pandas.DataFrame
        ``_row`` plus one column per codebook item (see the module docstring for types). ``attrs`` holds
        ``source_file``, ``instrument``, ``header_row``, ``ignored_columns``, ``absent_items``, ``semester``
        (when the instrument dates its rows), ``synthetic`` and ``read_info``.

    Raises
    ------
    ExportError
        For every problem: empty or binary file, encrypted workbook, missing required column, duplicate
        column, unknown label, number out of range, dates in mixed formats, two semesters in one file, a row
        with more cells than the header, no question of the instrument in the file (wrong instrument), ...
        The cases are collected in ``tests/data/bad/cases.yaml``.
    """
    inst = (
        load_instrument(instrument, overlay=overlay) if isinstance(instrument, str) else instrument
    )
    path = Path(path)
    if not is_sample_path(path):
        return _read_export_file(path, inst, sheet=sheet, strict=strict)
    # A file in the shipped sample folder may be pseudonymised with the public demo key only if it is one of
    # the shipped files byte for byte. So the bytes that are checked are the bytes that are read: a private
    # copy is hashed and parsed (checking the file and reading it again could be raced by swapping it).
    with tempfile.TemporaryDirectory(prefix="sosrake-sample-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        shipped = is_shipped_sample(path, copy.read_bytes())
        df = _read_export_file(copy, inst, sheet=sheet, strict=strict)
    df.attrs["source_path"] = str(path)
    df.attrs["shipped_sample"] = shipped
    return df


def _read_export_file(
    path: Path, inst: Instrument, *, sheet: str | None, strict: bool
) -> pd.DataFrame:
    if sheet is None and path.suffix.lower() in (".csv", ".txt", ".tsv"):
        fast = _read_csv_arrow(path, inst, strict)
        if fast is not None:
            return fast
    file = path.name
    sheets, info = _load_grids(path)
    sheet_name, grid, hrow, file_label, mapping, found_as, header = _locate_header(
        inst, sheets, sheet, file
    )

    body = grid.iloc[hrow + 1 :]
    if body.dropna(how="all").empty:
        raise ExportError(
            "the file has a header but no answers",
            file=file_label,
            row=hrow + 1,
            hint="export again after answers have come in",
        )
    rows = pd.Series(np.arange(hrow + 2, hrow + 2 + len(body)), index=range(len(body)), name="_row")
    body = body.reset_index(drop=True)
    _check_row_width(grid, hrow, body, rows, file_label)
    columns = _convert_columns(inst, mapping, found_as, body.__getitem__, rows, file_label)
    named = {m.column for m in header.matches if m.item is not None}
    filled = {j: _filled(body[j]) for j in body.columns if j not in named}
    return _finish(
        inst, columns, grid, hrow, mapping, found_as, file_label, path, info, header, strict, filled
    )


def _filled(col: pd.Series) -> tuple[int, list[str]]:
    """(non-empty cells, up to 20 distinct values) of an unmatched column, for the review of the export."""
    s = col.dropna()
    s = s[s.astype("str").str.strip() != ""]
    return int(len(s)), [str(v) for v in s.drop_duplicates().head(20)]


@dataclass(frozen=True)
class _Header:
    """Where the header stands (first row ``top``) and how each of its columns was read."""

    top: int
    matches: tuple[ColumnMatch, ...]


def _locate_header(
    inst: Instrument,
    sheets: dict[str, pd.DataFrame],
    sheet: str | None,
    file: str,
) -> tuple[str, pd.DataFrame, int, str, dict[int, str], dict[str, str], _Header]:
    """Choose the sheet, find the header row and map its columns; raise ExportError for a file that does not fit.

    Returns (sheet name, grid, last header row index, file label for messages, column mapping, headers as
    found, the header's rows and column matches).
    Only the first :data:`HEADER_SCAN_ROWS` rows of the grid decide a file that fits.
    """
    headers = {name: _find_header(inst, g) for name, g in sheets.items()}
    scored = {name: (bottom, n) for name, (_, bottom, n) in headers.items()}
    if sheet is not None:
        if sheet not in sheets:
            raise ExportError(
                f"there is no worksheet {sheet!r} (sheets: {', '.join(sheets)})",
                file=file,
                hint="give one of the listed sheet names",
            )
        candidates = [sheet]
    else:
        candidates = [name for name, (_, n) in scored.items() if n > 0]
    if len(candidates) > 1:
        raise ExportError(
            f"several worksheets hold answers ({', '.join(candidates)})",
            file=file,
            hint="keep the answers on one sheet, or name the sheet to read (sheet=...)",
        )
    if not candidates:
        grid = next(iter(sheets.values()))
        if grid.dropna(how="all").empty:
            raise ExportError("the file has no rows", file=file, hint="export the survey again")
        guess = _guess_instrument(grid, inst.name)
        one_column = grid.dropna(axis=1, how="all").shape[1] <= 1
        hint = (
            f"this looks like a {guess!r} export; choose that instrument"
            if guess
            else "every row is a single cell, so the separator is not one of comma, semicolon, tab or '|': "
            "save the export again as CSV (comma or semicolon separated) or .xlsx"
            if one_column
            else f"check that this is a {inst.name!r} export and that its header row is intact"
        )
        raise ExportError(
            f"no column of the {inst.name!r} codebook was found", file=file, hint=hint
        )
    sheet_name = candidates[0]
    grid = sheets[sheet_name]
    top, hrow, _ = headers[sheet_name]
    file_label = f"{file} [{sheet_name}]" if sheet_name and len(sheets) > 1 else file
    mapping, found_as, matches = _map_columns(inst, grid, top, hrow, file_label)

    missing = [
        it
        for it in inst.items
        if it.required
        and it.id not in found_as
        and not (it.id == inst.respondent_id and inst.generated_id)
    ]
    if missing:
        it = missing[0]
        guess = (
            _guess_instrument(grid, inst.name, len(found_as))
            if len(found_as) < len(inst.answer_columns()) / 2
            else None
        )
        hint = (
            f"this looks like a {guess!r} export, not {inst.name!r}; choose that instrument"
            if guess
            else f"the column may have been renamed: add its header to the {it.id!r} item's headers in "
            f"{Path(inst.source).name}, or restore it in the export"
        )
        raise ExportError(
            f"a required column is missing ({', '.join(_header_name(m) for m in missing[:3])})",
            file=file_label,
            row=hrow + 1,
            column=_header_name(it),
            hint=hint,
        )
    answer_ids = set(inst.answer_columns())
    if not answer_ids & set(found_as):
        guess = _guess_instrument(grid, inst.name, len(found_as))
        hint = (
            f"this looks like a {guess!r} export, not {inst.name!r}; choose that instrument"
            if guess
            else f"check that this is a {inst.name!r} export and that its question headers are intact"
        )
        raise ExportError(
            f"none of the questions of the {inst.name!r} codebook was found (only "
            f"{', '.join(sorted(found_as.values()))})",
            file=file_label,
            row=hrow + 1,
            hint=hint,
        )
    return sheet_name, grid, hrow, file_label, mapping, found_as, _Header(top, tuple(matches))


def _convert_columns(
    inst: Instrument,
    mapping: dict[int, str],
    found_as: dict[str, str],
    column: Callable[[int], pd.Series],
    rows: pd.Series,
    file_label: str,
) -> dict[str, pd.Series]:
    """``_row`` and the converted column of every item; ``column(j)`` gives grid column ``j`` of the body."""
    columns: dict[str, pd.Series] = {"_row": rows}
    index = pd.RangeIndex(len(rows))
    date_order = inst.date_order or _slash_order(inst, mapping, column)
    for item in inst.items:
        j = next((j for j, iid in mapping.items() if iid == item.id), None)
        if j is None:
            if item.kind != "pii":
                columns.update(_empty_column(item, len(rows), index))
            continue
        header = found_as[item.id]
        conv = _CONVERTERS.get(item.kind)
        # Label, number and date columns are factorised straight from the CSV parser's object cells (str or
        # NaN): converting a million cells to the string dtype first would only slow them down. The Arrow
        # reader's columns already have the str dtype, or are categorical (labels, already factorised).
        col = column(j)
        arrow = _is_arrow_str(col) or (
            conv is not None and isinstance(col.dtype, pd.CategoricalDtype)
        )
        if (conv is None or col.dtype != object) and not arrow:
            col = col.astype("str").where(col.notna())
        if conv is None:
            if item.kind == "text":
                columns[item.id] = _convert_text(item, col, rows, file_label, header)
            else:
                columns[item.id] = _blank_to_missing(col.str.strip()).rename(item.id)
            continue
        out = (
            conv(item, col, rows, file_label, header, date_order)
            if conv is _convert_date
            else conv(item, col, rows, file_label, header)
        )
        if isinstance(out, dict):
            columns.update(out)
        else:
            columns[item.id] = out
    return columns


def _finish(
    inst: Instrument,
    columns: dict[str, pd.Series],
    grid: pd.DataFrame,
    hrow: int,
    mapping: dict[int, str],
    found_as: dict[str, str],
    file_label: str,
    path: Path,
    info: dict[str, Any],
    header: _Header,
    strict: bool = False,
    filled: Mapping[int, tuple[int, list[str]]] | None = None,
) -> pd.DataFrame:
    """The frame of the converted columns, its semester check, the review of what the export holds
    (:mod:`~sosrake_lib.export_check`) and ``attrs`` (``grid``: at least the header rows)."""
    df = pd.DataFrame(columns)
    item_cols = [c for c in found_as if c in df]
    answered = int(df[item_cols].notna().any(axis=1).sum()) if item_cols else 0
    notes = export_check.replace_placeholders(df, inst)
    if inst.respondent_id not in found_as and inst.generated_id:
        notes.append(export_check.generate_ids(df, inst))

    semester = None
    for item in inst.items:
        if item.single_semester and item.id in found_as:
            # The semesters of the distinct dates decide (a few dozen dates for a million rows); the row-wise
            # labels are built only to name the offending row.
            distinct = semester_of(df[item.id].drop_duplicates()).dropna()
            if distinct.nunique() <= 1:
                semester = distinct.iloc[0] if len(distinct) else None
                continue
            sem = semester_of(df[item.id]).dropna()
            if sem.nunique() > 1:
                main = sem.value_counts().index[0]
                other = sem[sem != main]
                i = other.index[0]
                raise ExportError(
                    f"answers from more than one semester in one file ({', '.join(sorted(sem.unique()))})",
                    file=file_label,
                    row=int(df.at[i, "_row"]),
                    column=found_as[item.id],
                    value=str(df.at[i, item.id].date()),
                    hint="split the export into one file per semester and run each with its own semester label",
                )
            semester = sem.iloc[0] if len(sem) else None

    meta_text = " ".join(
        str(v) for v in grid.iloc[: header.top].to_numpy().ravel() if isinstance(v, str)
    )
    col_notes, tool_columns = export_check.review_columns(
        inst, header.matches, filled or {}, inst.ignore_headers
    )
    notes += col_notes
    notes += export_check.review_absent(inst, found_as, col_notes)
    by_order = [m for m in header.matches if m.method == "grid order"]
    if by_order:
        grids = sorted(
            {inst.item(m.item).grid for m in by_order}, key=lambda g: inst.grids[g].order
        )
        notes.append(
            export_check.notice(
                "warning",
                "grid_order",
                f"{len(by_order)} column(s) repeat a statement without a grid title (as "
                "Microsoft Forms writes grids): each run of them was placed in the next grid in the codebook's order "
                f"({', then '.join(grids)}); check that the survey asks the grids in that order (digit answers cannot "
                "tell the grids apart)",
                items=[m.item for m in by_order],
            )
        )
    by_answers = [m for m in header.matches if m.method == "grid answers"]
    if by_answers:
        notes.append(
            export_check.notice(
                "warning",
                "grid_answers",
                f"{len(by_answers)} column(s) repeat a statement without a grid title and "
                "were placed in the grid their answer labels belong to (the grids stand in another order than in the "
                "codebook); check the result",
                items=[m.item for m in by_answers],
            )
        )
    for m in header.matches:
        if m.method == "label":
            it = inst.item(m.item)
            text = it.display_name
            notes.append(
                export_check.notice(
                    "warning",
                    "label_only",
                    f"column {m.header!r} was read as {m.item} by its Moodle label only: its "
                    f"question text differs from the codebook's {text!r}; check that it is the same question",
                    item=m.item,
                    header=m.header,
                )
            )
    for m in header.matches:
        if m.method == "alias":
            notes.append(
                export_check.notice(
                    "info",
                    "alias",
                    f"column {m.header!r} was read as {m.item} through the codebook overlay",
                    item=m.item,
                    header=m.header,
                )
            )
    declared = export_check.declared_respondents(meta_text)
    if declared is not None and declared < answered:
        notes.append(
            export_check.notice(
                "warning",
                "respondent_count",
                f"the export says it has {declared} "
                f"respondents, but {answered} rows with answers were read",
            )
        )
    export_check.enforce(
        notes,
        inst,
        found_as,
        strict=strict,
        file=file_label,
        header_row=hrow + 1,
        declared=declared,
        answered_rows=answered,
    )
    df.attrs.update(
        {
            "source_file": file_label,
            "source_path": str(path),
            "instrument": inst.name,
            "header_row": hrow + 1,
            "header_rows": [header.top + 1, hrow + 1],
            "column_map": [
                {
                    "column": export_check._letter(m.column),
                    "header": m.header,
                    "item": m.item,
                    "method": m.method,
                }
                for m in header.matches
            ],
            "ignored_columns": [m.header for m in header.matches if m.item is None],
            "tool_columns": tool_columns,
            "absent_items": [
                it.id
                for it in inst.items
                if it.id not in found_as
                and it.kind != "pii"
                and not (it.id == inst.respondent_id and inst.generated_id)
            ],
            "import_notices": notes,
            "declared_respondents": declared,
            "codebook_overlay": Path(inst.overlay).name if inst.overlay else "",
            "semester": semester,
            "synthetic": normalise_label(SAMPLE_MARKER)
            in {
                normalise_label(v)
                for v in grid.iloc[: header.top].to_numpy().ravel()
                if isinstance(v, str)
            },
            "read_info": info,
            "n_raw_rows": len(df),
        }
    )
    return df


def detect_instrument(path: str | Path) -> str | None:
    """Name of the instrument whose headers best match the file, or ``None`` if none matches three columns."""
    sheets, _ = _load_grids(Path(path))
    best, best_n = None, 2
    for name in available_instruments():
        inst = load_instrument(name)
        n = max((_find_header_row(inst, g)[1] for g in sheets.values()), default=0)
        if n > best_n:
            best, best_n = name, n
    return best


def normalise_labels(values: Iterable[Any]) -> list[str]:
    """Normalise answer labels as the importer does (for tools that build their own lookups)."""
    return [normalise_label(v) for v in values]


def header_key(text: Any) -> str:
    """The normalised form under which a header is looked up in a codebook."""
    return normalise_header(text)
