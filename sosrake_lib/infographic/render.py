"""The entry points: :func:`make_infographic` reads an analysis' output folder and writes the PDF
and the PNG; :func:`page_charts` gives the charts as data; the inputs (key figures, approved quotes)
are read here."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from sosrake_lib import fontcache
from sosrake_lib.atomic import atomic_path
from sosrake_lib.fmt import Lang
from sosrake_lib.plots import house_rc
from sosrake_lib.quotes import load_approved_quotes

from ..settings import MIN_N
from .chart_data import Chart, Context
from .compose import _compose
from .page import DPI
from .specs import SPECS

_PDF_META = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
_PNG_META = {"Software": None}


def _read_key_figures(path: Path) -> list[dict[str, Any]]:
    import json

    if not path.exists():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = doc.get("key_figures", []) if isinstance(doc, dict) else doc
    return [dict(r) for r in rows if isinstance(r, Mapping) and r.get("name")]


def read_approved_quotes(path: Path | str | None) -> list[dict[str, str]]:
    """Approved rows of a quotes file as ``{"theme", "quote"}`` dicts (see
    :func:`sosrake_lib.quotes.load_approved_quotes`: scrubbed once more; a missing file gives ``[]``)."""
    table = load_approved_quotes(path)
    themes = table["theme"] if "theme" in table else [""] * len(table)
    return [
        {"theme": str(t).strip(), "quote": q} for t, q in zip(themes, table["quote"], strict=True)
    ]


def _save(fig: Figure, pdf: Path, png: Path) -> None:
    fontcache.install()  # the PDF's fonts are subset once per process (shared with the analysis figures)
    rc = {k: v for k, v in house_rc().items() if k.startswith(("pdf.", "ps.", "svg."))}
    with mpl.rc_context(rc):
        with atomic_path(pdf) as tmp:
            fig.savefig(tmp, format="pdf", metadata=_PDF_META)
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, metadata=_PNG_META)


def _context(
    folder: Path, analysis: str, lang: Lang, min_cell_size: int, semester: str
) -> tuple[Context, int, list[dict[str, Any]]]:
    import json

    kf_path = folder / "key_figures.json"
    if not kf_path.exists():
        raise ValueError(f"{kf_path} not found: run the analysis first")
    doc = json.loads(kf_path.read_text(encoding="utf-8"))
    n_suppressed = int(doc.get("n_suppressed", 0) or 0) if isinstance(doc, dict) else 0
    records = _read_key_figures(kf_path)
    ctx = Context(
        {str(r["name"]): r for r in records},
        lang,
        int(min_cell_size),
        semester=str(semester),
        analysis=analysis,
        folder=folder,
    )
    return ctx, n_suppressed, records


def page_charts(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    min_cell_size: int = MIN_N,
) -> list[Chart]:
    """The charts the infographic of an analysis draws, as data (for checks: the Finnish and the English page
    must carry the same numbers)."""
    ctx, _, _ = _context(Path(analysis_dir), analysis, lang, min_cell_size, semester)
    return [c for c in (build(ctx) for build in SPECS[analysis]["charts"]) if c is not None]


def make_infographic(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    approved_quotes: Path | str | None = None,
    min_cell_size: int = MIN_N,
    synthetic: bool | None = None,
) -> list[Path]:
    """Compose the one-page A4 infographic of an analysis and write ``infographic.pdf`` and ``.png``.

    Parameters
    ----------
    analysis_dir : path
        The analysis output folder holding ``key_figures.json``, ``tables/*.csv`` and possibly
        ``quotes_for_review.csv``. The infographic is written into it.
    analysis : {"competence", "interviews", "course"}
        Which page specification (:data:`SPECS`) to use.
    lang : {"fi", "en"}
        Language of every text on the page (Finnish by default).
    semester : str
        Period code, e.g. ``"2021-syksy"`` (shown as "Syksy 2021").
    approved_quotes : path, optional
        Quotes file to use instead of ``analysis_dir/quotes_for_review.csv``; only rows with a truthy
        ``approved`` cell are printed, otherwise a placeholder says none are approved.
    min_cell_size : int
        Disclosure threshold: suppressed values show "alle N" and the footnote says groups were hidden.
    synthetic : bool, optional
        Mark the page as synthetic sample data. ``None``: inferred from the key figures (a note or method
        mentioning synthetic data) or an ``analysis_dir`` path containing ``sample``.

    Returns
    -------
    list of Path
        ``[infographic.pdf, infographic.png]``.

    Raises
    ------
    ValueError
        For an unknown ``analysis`` or ``lang``, or when ``key_figures.json`` is missing.
    """
    if analysis not in SPECS:
        raise ValueError(f"analysis must be one of {sorted(SPECS)}, not {analysis!r}")
    if lang not in ("fi", "en"):
        raise ValueError(f"lang must be 'fi' or 'en', not {lang!r}")
    folder = Path(analysis_dir)
    ctx, n_suppressed, records = _context(folder, analysis, lang, min_cell_size, semester)
    quotes_file = (
        Path(approved_quotes) if approved_quotes is not None else folder / "quotes_for_review.csv"
    )
    quotes = read_approved_quotes(quotes_file)
    if synthetic is None:
        blob = " ".join(str(r.get(k, "")) for r in records for k in ("note", "method")).lower()
        synthetic = (
            "synteet" in blob
            or "synthetic" in blob
            or "sample" in {p.lower() for p in folder.resolve().parts}
        )
    rc = house_rc() | {
        "figure.constrained_layout.use": False
    }  # the page is laid out by hand, in inches
    with mpl.rc_context(rc):
        fig = _compose(
            ctx,
            SPECS[analysis],
            lang=lang,
            semester=semester,
            quotes=quotes,
            synthetic=bool(synthetic),
            n_suppressed=n_suppressed,
        )
        pdf, png = folder / "infographic.pdf", folder / "infographic.png"
        _save(fig, pdf, png)
    return [pdf, png]
