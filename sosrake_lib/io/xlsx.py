"""Excel workbooks as grids of cell texts, streamed row by row with limits (unpacked size, shared
strings, sheets, rows, columns, cell length, empty rows) so that a hostile or broken file is refused
early."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ExportError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
