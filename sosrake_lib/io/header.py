"""Finding the header: its row (or two rows) among the first rows, the sheet that holds the
answers, the column mapping (with the answers confirming grids placed by order), and the errors for
a file that does not fit the instrument (with a guess of the instrument it fits)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..codebook import Instrument, Item, available_instruments, load_instrument
from ..errors import ExportError
from .columns import ColumnMatch, _match_columns

HEADER_SCAN_ROWS = 30


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


def _header_name(item: Item) -> str:
    """The name a user sees for an item's column: its Finnish text, else its first header, else its id."""
    return item.display_name


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
