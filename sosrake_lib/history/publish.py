"""Writing the history: ``sosrake history`` (:func:`write_history`) and each report's *Kehitys* / *Trend*
section (:func:`trend_section`): the same table, figures and texts, one code path.

:func:`write_history` writes ``<root>/history/`` atomically: ``history.csv`` (every column of
:data:`~sosrake_lib.history.table.HISTORY_COLUMNS`, UTF-8, comma, ``.`` decimals, empty = missing or
hidden), ``history.xlsx`` (one sheet in the chosen language), the trend figures of every analysis with two
or more rounds (``figures/<analysis>_<figure>.svg/.pdf/.png`` and ``.alt.txt``) and ``summary.md`` (runs
used, folders skipped and why, guessed rounds, series breaks, how to read a trend).

:func:`trend_section` is called by the runner before the report is exported: it reads the earlier runs of
the same analysis under the run's output root together with the run being written, and when there are two
or more rounds it draws the analysis' trend figures into the run's ``figures/`` and returns the notebook
cells of the section (heading, table, figures). Its ``runs`` go into the manifest (``history``), so the
report can be made again from the same output root.

Examples
--------
>>> import tempfile
>>> trend_section(tempfile.mkdtemp(), "course", lang="fi") is None
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..atomic import atomic_write_bytes, atomic_write_text
from ..fmt import Lang, fmt_ci, fmt_semester, fmt_suppressed, fmt_value
from ..outputs import display_decimals, neutralise_frame
from ..settings import MIN_N
from .runs import HISTORY_DIR, Run, Skipped, find_runs, read_run
from .table import at_threshold, breaks, guessed_runs, history_table, round_key, rounds_of
from .texts import matches, spec, text, theme_label, unit_label


# ------------------------------------------------------------------------------------------------ tables
def trend_rows(table: pd.DataFrame, analysis: str) -> pd.DataFrame:
    """The rows of ``analysis`` whose key figure has numbers in two or more rounds (what a trend shows)."""
    t = table[table["analysis"] == analysis]
    numeric = t[t["value"].map(lambda v: v is None or isinstance(v, int | float))]
    counts = numeric.groupby("name")["round"].nunique()
    keep = counts[counts >= 2].index
    return numeric[numeric["name"].isin(keep)]


def _note(r: Mapping[str, Any], lang: Lang) -> str:
    parts = []
    if r.get(f"break_reason_{lang}"):
        parts.append(f"{text('series_word', lang)} {int(r['series'])}: {r[f'break_reason_{lang}']}")
    if r.get("ci_suppressed") is True:
        parts.append(text("ci_suppressed", lang))
    if r.get("census"):
        parts.append(text("census", lang))
    if r.get("round_guessed"):
        parts.append(text("guessed", lang))
    return "; ".join(parts)


def _named(r: Mapping[str, Any], lang: Lang) -> str:
    """A named result as people read it: a theme's label, not its code (history.csv keeps the code)."""
    if str(r.get("unit")) == "theme":
        return theme_label(str(r["value"]), str(r.get("method") or ""), str(r["analysis"]), lang)
    return str(r["value"])


def display_rows(rows: pd.DataFrame, lang: Lang, min_n: int = MIN_N) -> pd.DataFrame:
    """The trend table as people read it (formatted strings): measure, round, value, n, CI, note."""
    out = []
    for r in rows.to_dict("records"):
        unit = str(r["unit"])
        if r["suppressed"] or r["value"] is None:
            value = fmt_suppressed(min_n, lang)
        elif isinstance(r["value"], str):  # a named result (the most mentioned theme)
            value = _named(r, lang)
        else:
            value = fmt_value(r["value"], unit, lang, display_decimals(unit))
        low, high = r["ci_low"], r["ci_high"]
        if (
            low is None
            or high is None
            or any(isinstance(v, float) and math.isnan(v) for v in (low, high))
        ):
            ci = "–"
        else:
            ci = fmt_ci(
                low, high, lang, 0 if unit == "%" else display_decimals(unit), percent=unit == "%"
            )
        n = r["n"]
        out.append(
            {
                "measure": r[f"label_{lang}"],
                "round": fmt_semester(r["round"], lang),
                "value": value,
                "n": "–" if n is None or n is pd.NA else str(int(n)),
                "ci": ci,
                "note": _note(r, lang),
            }
        )
    cols = ["measure", "round", "value", "n", "ci", "note"]
    frame = pd.DataFrame(out, columns=cols)
    return frame.rename(columns={c: text(f"col_{c}", lang) for c in cols})


# ----------------------------------------------------------------------------------------------- figures
@dataclass
class Figure:
    """A trend figure written to disk: its name, files, alternative text and the preview PNG."""

    name: str
    paths: list[Path]
    alt: str
    png: bytes = b""
    width: int = 0


def draw_figures(
    table: pd.DataFrame, analysis: str, folder: Path, lang: Lang, *, prefix: str = "trend_"
) -> list[Figure]:
    """Draw the trend figures of ``analysis`` (``figures:`` of ``history.yaml``) that have ≥2 rounds."""
    import matplotlib.pyplot as plt

    from ..plots.alt import figure_alt
    from ..plots.saving import _save
    from .figures import trend_plot

    rows = trend_rows(table, analysis)
    drawn = []
    for entry in (spec().get("figures") or {}).get(analysis) or []:
        patterns = list(entry["measures"])
        sel = rows[[any(matches(p, n) for p in patterns) for n in rows["name"]]]
        if sel.empty or sel["round"].nunique() < 2:
            continue
        ax = trend_plot(sel, lang=lang, title=entry["title"][lang], ylabel=entry["axis"][lang])
        fig = ax.figure
        base = folder / f"{prefix}{entry['name']}"
        paths, preview = _save(fig, base, ("svg", "pdf", "png"), dpi=300, preview_dpi=110)
        alt = " ".join(figure_alt(fig, lang).split())
        alt_path = base.with_name(base.name + ".alt.txt")
        atomic_write_text(alt_path, alt + "\n")
        plt.close(fig)
        png, width = preview if preview else (b"", 0)
        drawn.append(Figure(entry["name"], [*paths, alt_path], alt, png, width))
    return drawn


# ------------------------------------------------------------------------------------ the history folder
@dataclass
class HistoryResult:
    """What :func:`write_history` read and wrote."""

    table: pd.DataFrame
    runs: list[Run]
    skipped: list[Skipped]
    paths: list[Path] = field(default_factory=list)


def _csv(table: pd.DataFrame) -> str:
    frame = table.copy()
    text_cols = [
        c
        for c in frame.columns
        if frame[c].dtype == object and c not in ("value", "ci_low", "ci_high")
    ]
    frame[text_cols] = neutralise_frame(frame[text_cols].astype(object))
    return frame.to_csv(index=False, sep=",", decimal=".", na_rep="", lineterminator="\n")


def _analysis_title(analysis: str, lang: Lang) -> str:
    """The analysis' title as its report names it (the machine name only for an unknown analysis)."""
    from ..registry import ANALYSES

    return ANALYSES[analysis].title(lang) if analysis in ANALYSES else analysis


def _xlsx(table: pd.DataFrame, lang: Lang, min_n: int) -> bytes:
    """One sheet for people: numbers stay numbers (units differ by row, so they show as stored), a hidden
    value is the report's word, the note says series breaks, census and guessed rounds."""
    from ..workbook import Sheet, workbook_bytes

    title = text("summary_title", lang)
    hidden = fmt_suppressed(min_n, lang)
    rows = []
    for r in table.to_dict("records"):
        n = None if r["n"] is None or r["n"] is pd.NA else int(r["n"])
        rows.append(
            {
                "analysis": _analysis_title(r["analysis"], lang),
                "measure": r[f"label_{lang}"],
                "round": fmt_semester(r["round"], lang),
                "value": hidden
                if r["suppressed"]
                else (_named(r, lang) if isinstance(r["value"], str) else r["value"]),
                "unit": unit_label(str(r["unit"]), lang),
                "n": n,
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "series": int(r["series"]),
                "note": _note(r, lang),
            }
        )
    heads = {
        "analysis": "Analyysi" if lang == "fi" else "Analysis",
        "measure": text("col_measure", lang),
        "round": text("col_round", lang),
        "value": text("col_value", lang),
        "unit": "Yksikkö" if lang == "fi" else "Unit",
        "n": "n",
        "ci_low": "95 %:n LV alaraja" if lang == "fi" else "95% CI low",
        "ci_high": "95 %:n LV yläraja" if lang == "fi" else "95% CI high",
        "series": text("col_series", lang),
        "note": text("col_note", lang),
    }
    cells = neutralise_frame(
        pd.DataFrame(rows, columns=list(heads), dtype=object).rename(columns=heads)
    )
    note = text("summary_reading", lang)
    return workbook_bytes([Sheet(title[:31], title, note, cells, {"n": "#,##0"})])


def _summary_md(result: HistoryResult, lang: Lang) -> str:
    t = result.table
    none = text("summary_none", lang)
    lines = [f"# {text('summary_title', lang)}", "", text("summary_reading", lang), ""]
    lines += [f"## {text('summary_runs', lang)}", ""]
    for run in result.runs:
        lines.append(f"- `{run.relative}`: {fmt_semester(run.round.round, lang)}")
    lines += ["", f"## {text('summary_skipped', lang)}", ""]
    lines += [f"- `{s.folder}`: {s.reason(lang)}" for s in result.skipped] or [f"- {none}"]
    lines += ["", f"## {text('summary_guessed', lang)}", ""]
    lines += [f"- `{run}`: {fi if lang == 'fi' else en}" for run, fi, en in guessed_runs(t)] or [
        f"- {none}"
    ]
    lines += ["", f"## {text('summary_breaks', lang)}", ""]
    brk = breaks(t)
    lines += [
        f"- {r[f'label_{lang}']} ({_analysis_title(r['analysis'], lang)}), {fmt_semester(r['round'], lang)}: "
        f"{r[f'break_reason_{lang}']}"
        for r in brk.to_dict("records")
    ] or [f"- {none}"]
    for analysis in dict.fromkeys(t["analysis"]):
        rows = trend_rows(t, analysis)
        if rows.empty:
            continue
        lines += [
            "",
            f"## {_analysis_title(analysis, lang)}: {', '.join(fmt_semester(r, lang) for r in rounds_of(rows))}",
            "",
        ]
        shown = display_rows(rows, lang, int(rows["min_n"].max()))
        lines.append("| " + " | ".join(shown.columns) + " |")
        lines.append("|" + "---|" * len(shown.columns))
        lines += [
            "| " + " | ".join(str(v) for v in row) + " |" for row in shown.itertuples(index=False)
        ]
    return "\n".join(lines) + "\n"


def write_history(
    root: str | Path, out: str | Path | None = None, *, lang: Lang = "fi"
) -> HistoryResult:
    """Collect every completed run under ``root`` and write the history into ``out`` (``root/history``).

    The folder is written whole and atomically (:func:`sosrake_lib.atomic.atomic_dir`): it appears complete
    or not at all, and figures of an earlier history that no longer apply do not linger. A non-empty folder
    that holds no ``history.csv`` is not replaced (``ConfigError``): ``--out`` must not wipe other files.
    """
    from ..atomic import atomic_dir
    from ..errors import ConfigError

    root = Path(root).resolve()
    folder = Path(out).resolve() if out is not None else root / HISTORY_DIR
    runs, skipped = find_runs(root)
    table = history_table(runs)
    result = HistoryResult(table, runs, skipped)
    if not runs:
        return result
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "history.csv").is_file():
        raise ConfigError(
            f"{folder} is not empty and holds no history.csv: it is not replaced; give an empty or new folder"
        )
    if root == folder or root.is_relative_to(folder):
        raise ConfigError(f"{folder} would replace the runs it reads; give another folder")
    min_n = max(r.min_n for r in runs)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with atomic_dir(folder) as tmp:
        atomic_write_text(tmp / "history.csv", _csv(table))
        atomic_write_bytes(tmp / "history.xlsx", _xlsx(table, lang, min_n))
        written = [tmp / "history.csv", tmp / "history.xlsx"]
        for analysis in dict.fromkeys(table["analysis"]):
            for fig in draw_figures(table, analysis, tmp / "figures", lang, prefix=f"{analysis}_"):
                written += fig.paths
        written.append(tmp / "summary.md")
        result.paths = [folder / p.relative_to(tmp) for p in written]
        atomic_write_text(tmp / "summary.md", _summary_md(result, lang))
    return result


# ------------------------------------------------------------------------------------ the report section
@dataclass
class TrendSection:
    """The *Kehitys* / *Trend* section of one report: the notebook cells and the runs it was made from."""

    cells: list[Any]
    runs: list[dict[str, str]]
    figures: list[Figure]
    skipped: list[dict[str, str]] = field(default_factory=list)


def history_runs(runs: Sequence[Run]) -> list[dict[str, str]]:
    """The manifest's record of the runs a history was made from: folder, round and key-figure hash."""
    return [
        {"run": r.relative, "round": r.round.round, "key_figures_sha256": r.key_figures_sha256}
        for r in sorted(runs, key=lambda r: (round_key(r.round.round), r.relative))
    ]


def _cells(
    rows: pd.DataFrame, figures: Sequence[Figure], analysis: str, lang: Lang, min_n: int
) -> list[Any]:
    import html

    import nbformat

    from ..plots.saving import preview_bundle
    from ..report import display_table

    rounds = ", ".join(fmt_semester(r, lang) for r in rounds_of(rows))
    head = nbformat.v4.new_markdown_cell(
        f"## {text('heading', lang)}\n\n{text('intro', lang, rounds=rounds)}"
    )
    shown = display_rows(rows, lang, min_n)
    cols = {c: (c, c, "text") for c in shown.columns}
    styler = display_table(shown, cols, lang, min_n)
    table_html = styler.to_html()
    outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": table_html, "text/plain": html.unescape(shown.to_string())},
        )
    ]
    for fig in figures:
        outputs.append(
            nbformat.v4.new_output("display_data", data=preview_bundle(fig.png, fig.width, fig.alt))
        )
    code = nbformat.v4.new_code_cell(
        f"# {text('heading', lang)}: sosrake_lib.history.trend_section({analysis!r})",
        outputs=outputs,
    )
    code.execution_count = None
    for cell in (head, code):
        cell["id"] = f"trend-{cell.cell_type}"
    return [head, code]


def trend_section(
    root: str | Path,
    analysis: str,
    *,
    lang: Lang = "fi",
    current: Path | None = None,
    manifest: Mapping[str, Any] | None = None,
    exclude: Iterable[Path] = (),
    min_n: int = MIN_N,
    figures_dir: Path | None = None,
) -> TrendSection | None:
    """The trend section of a report of ``analysis``, or ``None`` with fewer than two rounds.

    ``current`` (with its ``manifest``, not yet on disk) is the run being written; ``exclude`` the folders
    it will replace. Figures go to ``figures_dir`` (default ``current/figures``) as ``trend_<figure>``.
    """
    runs, skipped = find_runs(root, analysis=analysis, exclude=exclude)
    if current is not None and manifest is not None:
        got = read_run(current, Path(root), manifest=manifest)
        if isinstance(got, Run):
            label = str(manifest.get("semester") or "")
            got.relative = f"{label}/{analysis}"
            runs.append(got)
    if not runs:
        return None
    table = at_threshold(history_table(runs), min_n)  # earlier rounds under this report's threshold
    rows = trend_rows(table, analysis)
    if rows.empty or len(rounds_of(rows)) < 2:
        return None
    folder = figures_dir or (
        current / "figures" if current is not None else Path(root) / HISTORY_DIR
    )
    figures = draw_figures(table, analysis, folder, lang)
    left_out = [{"folder": x.folder, "reason": x.reason_en} for x in skipped]
    cells = _cells(rows, figures, analysis, lang, min_n)
    return TrendSection(cells, history_runs(runs), figures, left_out)


#: Tag of the notebook cell that explains in Finnish how to read a trend: the section goes around it.
TREND_TAG = "trend"


def place_trend_section(notebook: Path, section: TrendSection | None) -> None:
    """Put the section into an executed notebook (before its report is exported), or take the tagged
    explanation out when there is no trend: a report with one round is as before.

    The heading goes before the cell tagged :data:`TREND_TAG`, the table and figures after it; a notebook
    without the tag gets the section at its end.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    at = next(
        (i for i, c in enumerate(nb.cells) if TREND_TAG in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if section is None:
        if at is None:
            return
        del nb.cells[at]
    elif at is None:
        nb.cells.extend(section.cells)
    else:
        head, *rest = section.cells
        nb.cells[at + 1 : at + 1] = rest
        nb.cells.insert(at, head)
    atomic_write_text(notebook, nbformat.writes(nb) + "\n")


def manifest_record(section: TrendSection | None) -> dict[str, Any]:
    """The manifest's ``history`` entry: the runs the trend section was made from (``[]``: no section) and,
    with a section, the folders of the analysis that were not used and why."""
    if section is None:
        return {"trend_section": False, "runs": []}
    record: dict[str, Any] = {"trend_section": True, "runs": section.runs}
    if section.skipped:
        record["skipped"] = section.skipped
    return record


__all__ = [
    "Figure",
    "HistoryResult",
    "TrendSection",
    "display_rows",
    "draw_figures",
    "history_runs",
    "manifest_record",
    "place_trend_section",
    "trend_rows",
    "trend_section",
    "write_history",
]
