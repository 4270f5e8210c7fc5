"""From the grid to the result frame: every mapped column through its converter, the row-width
check, the semester check, the review of what the export holds (:mod:`~sosrake_lib.export_check`)
and ``attrs``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import export_check
from ..codebook import Instrument, normalise_label
from ..errors import ExportError
from ..paths import SAMPLE_MARKER
from .dates import _convert_date, _slash_order, semester_of
from .header import _Header
from .values import (
    _blank_to_missing,
    _convert_category,
    _convert_integer,
    _convert_scaled,
    _convert_text,
    _empty_column,
)


def _is_arrow_str(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"


_CONVERTERS: dict[str, Callable[..., Any]] = {
    "likert": _convert_scaled,
    "nps": _convert_scaled,
    "category": _convert_category,
    "integer": _convert_integer,
    "date": _convert_date,
    "datetime": _convert_date,
}


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


def _filled(col: pd.Series) -> tuple[int, list[str]]:
    """(non-empty cells, up to 20 distinct values) of an unmatched column, for the review of the export."""
    s = col.dropna()
    s = s[s.astype("str").str.strip() != ""]
    return int(len(s)), [str(v) for v in s.drop_duplicates().head(20)]


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
