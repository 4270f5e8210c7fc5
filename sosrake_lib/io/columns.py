"""Which codebook item a header column holds: the tools' header layouts (Webropol's two header
rows with grid titles, Google Forms' ``Question [Statement]``, ``Question - Statement``, Moodle's
``(LABEL) Question``, Excel's ``Statement2``) and statements that stand in several grids (Microsoft
Forms, placed by order)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..codebook import Instrument, normalise_header


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
