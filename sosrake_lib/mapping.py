"""``sosrake map``: how each column of an export maps to a codebook item, and a reviewable overlay of aliases.

Question wording drifts between semesters and survey tools. :func:`map_export` reads only the header of an
export (it never fails on the answers) and tells, for every column, whether it was found by the codebook's own
header text (``header``), an overlay alias (``alias``), its grid title or order, a Moodle label, or not at
all; for each column that matches no item it suggests the closest absent item with a similarity score
(rapidfuzz ``WRatio``, 0–100). :func:`write_overlay` writes those suggestions as a YAML overlay that staff
review and keep beside their exports; ``validate``, ``prepare`` and ``run`` take it with
``--codebook-overlay``, so the package's codebooks stay untouched.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "fb.csv").write_text("ID;Kurssin sisältö vastasi tavoitteitaan;Mitä kehittäisit kurssissa?\\n"
...                               "1;Hyvin;Ei mitään\\n", encoding="utf-8")
>>> m = map_export(d / "fb.csv", "course_feedback")
>>> [(r.header, r.item, r.method) for r in m.columns]
[('ID', 'response_id', 'header'), ('Kurssin sisältö vastasi tavoitteitaan', 'FB_SIS1', 'fuzzy 92'), ('Mitä kehittäisit kurssissa?', 'open_develop', 'header')]
>>> p = write_overlay(m, d / "overlay.yaml")
>>> from sosrake_lib.codebook import load_instrument
>>> load_instrument("course_feedback", overlay=p).match_header("Kurssin sisältö vastasi tavoitteitaan")
'FB_SIS1'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .codebook import Instrument, load_instrument, read_overlay
from .errors import ExportError
from .export_check import _letter, _similarity, is_tool_column

SUGGEST_FROM = 75
"""Similarity from which ``map`` proposes an alias (below it the column is listed without a proposal)."""


@dataclass(frozen=True)
class MappedColumn:
    """One export column: its letter, header, the item it maps to and how (``fuzzy NN`` = only a proposal)."""

    column: str
    header: str
    item: str | None
    method: str
    answers: int = 0


@dataclass
class ExportMap:
    """What ``sosrake map`` found in one export."""

    file: str
    instrument: str
    header_rows: tuple[int, int]
    columns: list[MappedColumn] = field(default_factory=list)
    absent: list[tuple[str, str]] = field(
        default_factory=list
    )  # (item id, its text) not in the export

    def proposals(self) -> dict[str, list[tuple[str, str]]]:
        """Item id -> [(header, method)] for every column mapped only by a fuzzy proposal."""
        out: dict[str, list[tuple[str, str]]] = {}
        for c in self.columns:
            if c.item is not None and c.method.startswith("fuzzy"):
                out.setdefault(c.item, []).append((c.header, c.method))
        return out


def map_export(
    path: str | Path,
    instrument: Instrument | str,
    *,
    overlay: str | Path | None = None,
    sheet: str | None = None,
) -> ExportMap:
    """Map the columns of one export to its codebook without reading the answers (see the module docstring).

    Raises
    ------
    ExportError
        When the file cannot be opened or no header row matches the codebook at all.
    """
    from .io import _filled, _find_header, _load_grids, _match_columns

    inst = (
        load_instrument(instrument, overlay=overlay) if isinstance(instrument, str) else instrument
    )
    path = Path(path)
    sheets, _ = _load_grids(path)
    if sheet is not None:
        sheets = {sheet: sheets[sheet]} if sheet in sheets else {}
    scored = {name: _find_header(inst, g) for name, g in sheets.items()}
    if not scored or max(n for _, _, n in scored.values()) == 0:
        raise ExportError(
            f"no column of the {inst.name!r} codebook was found",
            file=path.name,
            hint="check --instrument; map needs at least one header the codebook knows",
        )
    name = max(scored, key=lambda k: scored[k][2])
    grid = sheets[name]
    top, bottom, _ = scored[name]
    matches = _match_columns(inst, grid, top, bottom)
    body = grid.iloc[bottom + 1 :]
    found = {m.item for m in matches if m.item is not None}
    absent = [
        it
        for it in inst.items
        if it.id not in found
        and it.kind != "pii"
        and not (it.id == inst.respondent_id and inst.generated_id)
    ]
    # Proposals: the best pairs of an unmatched column and an absent item, each used once, best first.
    pairs: list[tuple[float, int, str]] = []
    for m in matches:
        if m.item is None and not is_tool_column(m.header):
            for it in absent:
                score = max((_similarity(t, m.header) for t in it.all_headers), default=0.0)
                if score >= SUGGEST_FROM:
                    pairs.append((score, m.column, it.id))
    chosen: dict[int, tuple[str, float]] = {}
    used: set[str] = set()
    for score, col, item_id in sorted(pairs, key=lambda t: (-t[0], t[1])):
        if col not in chosen and item_id not in used:
            chosen[col] = (item_id, score)
            used.add(item_id)
    out = ExportMap(path.name, inst.name, (top + 1, bottom + 1))
    for m in matches:
        answers = _filled(body[m.column])[0] if m.column in body else 0
        if m.item is not None:
            out.columns.append(MappedColumn(_letter(m.column), m.header, m.item, m.method, answers))
        elif m.column in chosen:
            item_id, score = chosen[m.column]
            out.columns.append(
                MappedColumn(_letter(m.column), m.header, item_id, f"fuzzy {score:.0f}", answers)
            )
        else:
            how = "tool column" if is_tool_column(m.header) else "no match"
            out.columns.append(MappedColumn(_letter(m.column), m.header, None, how, answers))
    out.absent = [(it.id, it.display_name) for it in absent if it.id not in used]
    return out


def format_map(m: ExportMap) -> str:
    """The map as plain text lines for the terminal."""
    lines = [
        f"{m.file}: {m.instrument}, header on row {m.header_rows[0]}"
        + (f"-{m.header_rows[1]}" if m.header_rows[1] != m.header_rows[0] else "")
    ]
    width = max((len(c.header) for c in m.columns), default=10)
    width = min(width, 70)
    for c in m.columns:
        head = c.header if len(c.header) <= 70 else c.header[:67] + "..."
        lines.append(
            f"  {c.column:>3}  {head:<{width}}  -> {c.item or '-':<14} {c.method}"
            + (f" ({c.answers} answers)" if c.item is None and c.answers else "")
        )
    for item_id, text in m.absent:
        lines.append(f"  not in the export: {item_id} {text!r}")
    return "\n".join(lines)


def write_overlay(m: ExportMap, target: str | Path) -> Path:
    """Write (or extend) a codebook overlay with the fuzzy proposals of ``m``; return its path.

    Existing entries of the file are kept; each new alias carries a comment with its similarity and the file
    it came from, so a reviewer can delete what is wrong before using it.
    """
    target = Path(target)
    data: dict[str, Any] = {"sosrake_overlay": 1, "instruments": {}}
    if target.exists():
        for name, sect in read_overlay(target).items():
            data["instruments"][name] = {k: v for k, v in sect.items() if v}
    sect = data["instruments"].setdefault(m.instrument, {"aliases": {}})
    sect.setdefault("aliases", {})
    notes: dict[str, str] = {}
    inst = load_instrument(m.instrument)
    claimed: dict[
        str, str
    ] = {}  # a header repeated across grids is an alias of the first grid's item only:
    for (
        item_id,
        headers,
    ) in m.proposals().items():  # its repeats then go to the other grids by position
        group = inst.statement_group(item_id) or (item_id,)
        for header, how in headers:
            if claimed.setdefault(header, group[0]) != group[0]:
                continue
            item_id = group[0]
            if header not in sect["aliases"].setdefault(item_id, []):
                sect["aliases"][item_id].append(header)
                notes[header] = f"{how}, {m.file}"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=1000)
    lines = []
    for line in body.splitlines():
        text = line.strip().removeprefix("- ").strip("'\"")
        lines.append(f"{line}  # TARKISTA / REVIEW: {notes[text]}" if text in notes else line)
    head = (
        "# SOSRAKE-koodikirjan lisäosa / codebook overlay (sosrake map). Tarkista jokainen rivi: poista väärät.\n"
        "# Käyttö / use: sosrake validate|prepare|run ... --codebook-overlay THIS_FILE\n"
        "# aliases: item id -> export headers that mean that item; ignore: export headers that are no item.\n"
    )
    from .atomic import atomic_write_text

    atomic_write_text(target, head + "\n".join(lines) + "\n")
    return target
