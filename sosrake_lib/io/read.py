"""The public entry points: :func:`read_export` (with the private copy of a file in the sample
folder), :func:`detect_instrument` and the normalisers of labels and headers."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import (
    Instrument,
    available_instruments,
    load_instrument,
    normalise_header,
    normalise_label,
)
from ..errors import ExportError
from ..paths import is_sample_path
from ..privacy import is_shipped_sample
from .csv_arrow import _read_csv_arrow
from .csv_grid import _read_csv_grid
from .frame import _check_row_width, _convert_columns, _filled, _finish
from .header import _find_header_row, _locate_header
from .xlsx import _read_xlsx_sheets


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
