"""Saving figures: SVG, PDF and PNG written deterministically and atomically with one shared layout
(:func:`save_figure`), and the notebooks' save-then-show (:func:`save_and_show`)."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from sosrake_lib import fontcache
from sosrake_lib.atomic import atomic_path, atomic_write_text
from sosrake_lib.fmt import Lang

from .alt import figure_alt
from .style import (
    house_rc,
    new_figure,  # noqa: F401 - the doctests draw their figures with it
)

_SAVE_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Date": None, "Creator": None},
    "ps": {"Creator": None, "CreationDate": None},
    "eps": {"Creator": None, "CreationDate": None},
}


def save_figure(
    fig: Figure,
    path_without_suffix: str | os.PathLike[str],
    formats: Sequence[str] = ("svg", "pdf", "png"),
    *,
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` in each format, deterministically and atomically; return the paths written.

    PNG at 300 dpi; PDF/PS with TrueType (fonttype 42) fonts so text stays editable; SVG with text kept as
    text (``svg.fonttype = "none"``) and a fixed ``svg.hashsalt`` so element ids do not change. Dates,
    creator and producer (matplotlib version) are left out of the metadata, so re-running a notebook gives
    byte-identical files. Each file is written to a temporary sibling and moved into place
    (:func:`sosrake_lib.atomic.atomic_path`). The figure is not closed: the caller decides.

    Speed: ``fig.savefig(bbox_inches="tight")`` lays the figure out (constrained layout) and measures its
    tight bounding box again for every file. Here the layout and the bounding box (0.05 in padding) are
    computed once and every format is drawn with them, so all formats show the same layout; the figure's
    layout engine is restored afterwards. PDF fonts are subset once per process
    (:mod:`sosrake_lib.fontcache`).

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = new_figure(3, 2)
    >>> _ = ax.plot([1, 2], [3, 4])
    >>> paths = save_figure(fig, Path(tempfile.mkdtemp()) / "kuva", formats=("png",))
    >>> [p.name for p in paths]
    ['kuva.png']
    >>> plt.close(fig)
    """
    return _save(fig, Path(path_without_suffix), formats, dpi=dpi)[0]


def save_and_show(
    fig: Figure,
    path_without_suffix: str | os.PathLike[str],
    formats: Sequence[str] = ("svg", "pdf", "png"),
    *,
    dpi: int = 300,
    preview_dpi: int = 110,
    close: bool = True,
    alt: str | None = None,
    lang: Lang = "fi",
) -> list[Path]:
    """:func:`save_figure`, then show the figure in the notebook at ``preview_dpi`` size, then close it.

    The figure's alternative text (``alt``, default :func:`~sosrake_lib.plots.alt.figure_alt`: what the
    figure functions say of their main numbers) is written next to the files as ``<name>.alt.txt`` and
    given to the picture in the notebook: it is shown as an ``<img alt="…">`` (HTML output, with the text as
    the plain-text output too), so the HTML report carries it for screen readers.

    The notebooks' one call per figure: the files for print and the web, and the picture in the notebook and
    its HTML report. When a PNG is written, the picture *is* that 300-dpi file, shown at the width it would
    have at ``preview_dpi`` (``IPython.display.Image(width=...)``): nothing is drawn or encoded again, and the
    report shows exactly the print file, sharp on high-resolution screens and when printed. The PNG bytes are
    embedded, which costs about 1.6 x the bytes of a PNG drawn at 110 dpi (190 kB instead of 115 kB for a
    competence Likert figure) but saves ~0.1 s of CPU per figure (benchmarks/README.md). Without a PNG in
    ``formats`` the picture is drawn at ``preview_dpi``. Outside IPython nothing is displayed. Returns the
    paths written.

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = new_figure(3, 2)
    >>> _ = ax.bar(["a", "b"], [1, 2])
    >>> [p.name for p in save_and_show(fig, Path(tempfile.mkdtemp()) / "kuva")]
    ['kuva.svg', 'kuva.pdf', 'kuva.png', 'kuva.alt.txt']
    >>> plt.fignum_exists(fig.number)
    False
    """
    base = Path(path_without_suffix)
    paths, preview = _save(fig, base, formats, dpi=dpi, preview_dpi=preview_dpi)
    text = " ".join((alt or figure_alt(fig, lang)).split())
    alt_path = base.with_name(base.name + ".alt.txt")
    atomic_write_text(alt_path, text + "\n")
    paths.append(alt_path)
    if close:
        plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the project
        return paths
    if preview is not None and get_ipython() is not None:
        png, width = preview
        display(preview_bundle(png, width, text), raw=True)
    return paths


def preview_bundle(png: bytes, width: int, alt: str) -> dict[str, str]:
    """The notebook output of a figure: an ``<img>`` with ``alt`` and the PNG inline, and ``alt`` as text.

    Examples
    --------
    >>> b = preview_bundle(b"png", 300, 'Osuus "A": 54 % & 3 %')
    >>> b["text/html"]
    '<img alt="Osuus &quot;A&quot;: 54 % &amp; 3 %" width="300" src="data:image/png;base64,cG5n">'
    >>> b["text/plain"]
    'Osuus "A": 54 % & 3 %'
    """
    import base64
    import html

    src = base64.b64encode(png).decode("ascii")
    return {
        "text/html": f'<img alt="{html.escape(alt)}" width="{width}" src="data:image/png;base64,{src}">',
        "text/plain": alt,
    }


def _save(
    fig: Figure, base: Path, formats: Sequence[str], *, dpi: int, preview_dpi: int | None = None
) -> tuple[list[Path], tuple[bytes, int] | None]:
    """Write each format with one shared layout; with ``preview_dpi``, also return ``(png_bytes, width_px)``:
    the picture for the notebook and the width (CSS pixels) to show it at."""
    wanted = [fmt.lower().lstrip(".") for fmt in formats]
    for fmt in wanted:
        if fmt not in _SAVE_METADATA:
            raise ValueError(
                f"unsupported figure format {fmt!r}; use one of {sorted(_SAVE_METADATA)}"
            )
    fontcache.install()  # PDF/PS: each font is subset once per process, not once per file
    rc = {k: v for k, v in house_rc().items() if k.startswith(("pdf.", "ps.", "svg."))}
    written = []
    preview = None
    with mpl.rc_context(rc), _frozen_layout(fig) as bbox:
        for fmt in wanted:
            target = base.with_name(base.name + "." + fmt)
            with atomic_path(target) as tmp:
                fig.savefig(
                    tmp, format=fmt, dpi=dpi, metadata=_SAVE_METADATA[fmt], bbox_inches=bbox
                )
            written.append(target)
        if preview_dpi:
            png = next((p for p in written if p.suffix == ".png"), None)
            if png is not None:  # the print file itself, shown at the preview width
                data = png.read_bytes()
                preview = (data, max(1, round(_png_width(data) * preview_dpi / dpi)))
            else:  # no PNG written: draw the preview
                buf = io.BytesIO()
                fig.savefig(
                    buf,
                    format="png",
                    dpi=preview_dpi,
                    metadata=_SAVE_METADATA["png"],
                    bbox_inches=bbox,
                )
                data = buf.getvalue()
                preview = (data, _png_width(data))
    return written, preview


def _png_width(data: bytes) -> int:
    """Pixel width of PNG ``data`` (Pillow reads only the header: ``Image.open`` is lazy)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return im.width


def fit_to_canvas(fig: Figure, *, max_rounds: int = 4) -> None:
    """Lay ``fig`` out and keep its titles and legends inside the canvas.

    Constrained layout makes room for the text it knows about, but a title wider than the canvas, or a
    legend wider than its axes, still runs past the edge (and was cut when saved). Here a title that runs
    past the right edge is wrapped again (:func:`~sosrake_lib.plots.wrap_label`, at the width that fits),
    and a legend that runs past either edge gets fewer columns, then the figure is laid out again.

    Examples
    --------
    >>> fig, ax = new_figure(3, 2)
    >>> _ = ax.set_title("Tiedon kerääminen asiakastyöstä: tärkeys omassa työssä ja osaaminen")
    >>> fit_to_canvas(fig)
    >>> ax.get_title().count("\\n") >= 1
    True
    >>> plt.close(fig)
    """
    from .ticks import wrap_label

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    right = fig.bbox.x1 - 2
    for _ in range(max_rounds):
        changed = False
        titles = [t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)]
        if getattr(fig, "_suptitle", None) is not None:
            titles.append(fig._suptitle)
        for t in titles:
            text = t.get_text()
            if not text or not t.get_visible():
                continue
            box = t.get_window_extent(renderer)
            if box.x1 <= right and box.x0 >= fig.bbox.x0:
                continue
            flat = " ".join(text.replace("-\n", "").split())
            room = max(right - max(box.x0, fig.bbox.x0), 1.0)
            longest = max(len(line) for line in text.split("\n"))
            width = max(int(longest * room / max(box.width, 1.0)), 8)  # characters that fit
            while width > 8:
                t.set_text(wrap_label(flat, width))
                if t.get_window_extent(renderer).width <= room:
                    break
                width -= 2
            changed = True
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None or not legend.get_visible():
                continue
            box = legend.get_window_extent(renderer)
            ncols = legend._ncols
            if (box.x0 < fig.bbox.x0 or box.x1 > fig.bbox.x1) and ncols > 1:
                legend.set_ncols(ncols - 1)
                changed = True
        if not changed:
            return
        fig.draw_without_rendering()


@contextlib.contextmanager
def _frozen_layout(fig: Figure, pad_inches: float = 0.05) -> Iterator[Bbox]:
    """Lay ``fig`` out once, yield its padded tight bounding box (inches) with the layout engine switched off.

    What ``savefig(bbox_inches="tight", pad_inches=pad_inches)`` computes before each file, done once.
    """
    if not hasattr(
        fig.canvas, "get_renderer"
    ):  # a bare Figure(): give it an Agg canvas to measure with
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fit_to_canvas(fig)  # runs the layout engine (constrained layout) with the canvas renderer
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad_inches)
    engine = fig.get_layout_engine()
    # No layout engine at all (not even the "none" placeholder): the positions just computed stay, and
    # savefig skips its own layout pre-draw, which would measure every text again with a new renderer.
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    try:
        yield bbox
    finally:
        fig.set_layout_engine(engine)
