"""The entry points: :func:`make_infographic` reads an analysis' output folder and writes the PDF
and the PNG; :func:`page_charts` gives the charts as data; the inputs (key figures, approved quotes)
are read here."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from sosrake_lib import fontcache
from sosrake_lib.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from sosrake_lib.fmt import Lang
from sosrake_lib.plots import house_rc
from sosrake_lib.quotes import load_approved_quotes

from ..settings import MIN_N
from .chart_data import Chart, Context
from .compose import MAX_CHARTS, _compose
from .page import DPI
from .specs import SPECS
from .texts import _TEXT, period_label

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


def _save(fig: Figure, pdf: Path, png: Path, *, info: Mapping[str, str], lang: Lang) -> None:
    """Write the PDF (with ``info`` as its document information and ``/Lang``) and the PNG."""
    fontcache.install()  # the PDF's fonts are subset once per process (shared with the analysis figures)
    rc = {k: v for k, v in house_rc().items() if k.startswith(("pdf.", "ps.", "svg."))}
    with mpl.rc_context(rc):
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata={**_PDF_META, **info})
        atomic_write_bytes(pdf, pdf_with_language(buf.getvalue(), lang))
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, metadata=_PNG_META)


def pdf_with_language(data: bytes, lang: str) -> bytes:
    """``data`` (a PDF written by matplotlib) with ``/Lang (lang)`` in its document catalog.

    A screen reader reads a PDF in the language its catalog names (PDF 1.7, 14.9.2; WCAG technique PDF16);
    matplotlib writes no ``/Lang``. The entry is put into the catalog dictionary and the cross-reference
    offsets of the objects after it are moved by its length, so the file stays valid (pypdf reads it in the
    tests) and deterministic, with no PDF library at run time.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> buf = io.BytesIO(); plt.figure().savefig(buf, format="pdf"); plt.close("all")
    >>> out = pdf_with_language(buf.getvalue(), "fi")
    >>> b"/Lang (fi)" in out and len(out) == len(buf.getvalue()) + len(b" /Lang (fi)")
    True
    """
    if not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", lang):
        raise ValueError(f"not a language tag: {lang!r}")
    catalog = re.search(rb"<< */Type */Catalog\b", data)
    xref = data.rfind(b"\nxref\n")
    if catalog is None or xref < 0 or catalog.start() > xref:
        raise ValueError("no catalog or cross-reference table found in the PDF")
    entry = b" /Lang (" + lang.encode("ascii") + b")"
    at = catalog.end()
    shift = len(entry)
    head, tail = data[:at] + entry + data[at:xref], data[xref:]

    def moved(m: re.Match[bytes]) -> bytes:
        offset = int(m.group(1))
        return b"%010d" % (offset + shift if offset > at else offset) + m.group(2)

    table_end = tail.find(b"trailer")
    table = re.sub(rb"(\d{10})( \d{5} n)", moved, tail[:table_end])
    trailer = re.sub(
        rb"startxref\n(\d+)",
        lambda m: b"startxref\n%d" % (int(m.group(1)) + shift),
        tail[table_end:],
    )
    return head + table + trailer


def text_alternative(fig: Figure) -> str:
    """The words and numbers of the infographic page as plain text, in reading order.

    The page's texts in the order they are drawn (header, big numbers, charts, themes, quotes), the
    footnote last, wrapped lines joined; a theme's number joins its text ("1. …").
    """
    texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    body = [t for t in texts if t.get_gid() not in ("footnote", "stamp")]
    foot = [t for t in texts if t.get_gid() == "footnote"]
    lines: list[str] = []
    pending = ""
    for t in body + foot:
        line = " ".join(re.sub(r"(?<=[a-zåäö])-\n(?=[a-zåäö])", "", t.get_text()).split())
        if t.get_gid() == "theme-number":  # the number in a theme's circle
            pending = f"{line}. "
            continue
        lines.append(pending + line)
        pending = ""
    return "\n".join(lines) + "\n"


def _context(
    folder: Path,
    analysis: str,
    lang: Lang,
    min_cell_size: int,
    semester: str,
    rounds: tuple[str, str] | None = None,
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
        rounds=rounds if rounds is not None else _manifest_rounds(folder),
    )
    return ctx, n_suppressed, records


def _manifest_rounds(folder: Path) -> tuple[str, str] | None:
    """The rounds of a follow-up run from the folder's ``manifest.json``, when the run is already written
    (the runner draws the page before the manifest and passes the rounds itself)."""
    import json

    from ..history.runs import followup_rounds

    path = folder / "manifest.json"
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return followup_rounds(manifest) if isinstance(manifest, dict) else None


def page_charts(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    min_cell_size: int = MIN_N,
    rounds: tuple[str, str] | None = None,
) -> list[Chart]:
    """The charts the infographic of an analysis draws, as data (for checks: the Finnish and the English page
    must carry the same numbers)."""
    ctx, _, _ = _context(Path(analysis_dir), analysis, lang, min_cell_size, semester, rounds)
    charts = [c for c in (build(ctx) for build in SPECS[analysis]["charts"]) if c is not None]
    return [c for c in charts if c.bars][:MAX_CHARTS]


def make_infographic(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    approved_quotes: Path | str | None = None,
    min_cell_size: int = MIN_N,
    synthetic: bool | None = None,
    rounds: tuple[str, str] | None = None,
) -> list[Path]:
    """Compose the one-page A4 infographic of an analysis and write ``infographic.pdf``, ``.png`` and
    ``.txt``.

    The PDF names its title, subject, author, keywords and language (``/Lang``) for screen readers and
    search; ``infographic.txt`` is its text alternative: every word and number on the page as plain text
    (:func:`text_alternative`), for readers who cannot see the picture.

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
    rounds : (str, str), optional
        The earlier and the later round of a follow-up run (``("2020", "2022")``, semester codes shown as
        "Syksy 2022"), named in the title of the change panel. ``None``: read from the folder's
        ``manifest.json`` when there is one (:func:`sosrake_lib.history.runs.followup_rounds`), else the
        panel says "since the earlier round".

    Returns
    -------
    list of Path
        ``[infographic.pdf, infographic.png, infographic.txt]``.

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
    ctx, n_suppressed, records = _context(folder, analysis, lang, min_cell_size, semester, rounds)
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
        _save(fig, pdf, png, info=_pdf_info(SPECS[analysis], lang, semester), lang=lang)
    txt = folder / "infographic.txt"
    atomic_write_text(txt, text_alternative(fig))
    return [pdf, png, txt]


def _pdf_info(spec: Mapping[str, Any], lang: Lang, semester: str) -> dict[str, str]:
    """Document information of the PDF: title, subject, author and keywords in the page's language."""
    period = period_label(semester, lang)
    return {
        "Title": f"{spec[f'title_{lang}']} – {spec[f'subtitle_{lang}']}, {period}",
        "Subject": f"{spec[f'subtitle_{lang}']}, {period}: {_TEXT[lang]['kicker']}",
        "Author": "SOSRAKE",
        "Keywords": ", ".join(
            ["SOSRAKE", spec[f"subtitle_{lang}"], period]
            + (["infografiikka", "sosiaalityö"] if lang == "fi" else ["infographic", "social work"])
        ),
    }
