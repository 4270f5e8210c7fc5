"""The A4 page: its size and colours, and :class:`_Page`, which draws text fitted into a box,
rectangles and rules in inch coordinates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Text

from sosrake_lib.fmt import NBSP
from sosrake_lib.plots import OKABE_ITO, wrap_label

DPI = 300
PAGE_W = 2480 / DPI
"""A4 width in inches, chosen so the 300-dpi PNG is exactly 2480 px (210 mm = 8.268 in)."""
PAGE_H = 3508 / DPI
"""A4 height in inches (3508 px at 300 dpi; 297 mm = 11.693 in)."""
MARGIN = 0.55

BLUE = OKABE_ITO[0]
DARK = "#1a1a1a"
TRACK = "#e8eef5"
TILE_BG = "#f1f5fa"


def _wrap(text: str, width: int) -> str:
    """:func:`~sosrake_lib.plots.wrap_label` that never breaks a line at a no-break space (``55,6 %``)."""
    return wrap_label(text.replace(NBSP, "\x00"), width).replace("\x00", NBSP)


class _Page:
    """A4 page: one axes in inch coordinates (origin bottom-left) and a renderer to measure text."""

    def __init__(self) -> None:
        self.fig = Figure(
            figsize=(PAGE_W, PAGE_H), dpi=DPI, layout="none"
        )  # measure as the PNG renders
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, PAGE_W)
        self.ax.set_ylim(0, PAGE_H)
        self.ax.set_axis_off()
        self.renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def extent(self, t: Text) -> tuple[float, float]:
        bb = t.get_window_extent(self.renderer)
        return bb.width / self.fig.dpi, bb.height / self.fig.dpi

    def text(
        self,
        x: float,
        y: float,
        s: str,
        *,
        width: float,
        size: float,
        min_size: float | None = None,
        max_lines: int = 99,
        height: float | None = None,
        ha: str = "left",
        va: str = "top",
        **kw: Any,
    ) -> Text:
        """Draw ``s`` so it fits ``width`` (and ``height``/``max_lines``): wrap, then shrink the font.

        Returns the text artist; if even ``min_size`` cannot fit, the smallest wrapped version is kept and
        the lines beyond ``max_lines`` are cut with "…" (never overflowing the box).
        """
        min_size = size if min_size is None else min_size
        longest = max((len(w) for w in s.split()), default=1)
        # first pass: shrink (to 80 %) before hyphenating a word; second pass: hyphenate as well
        whole = self._fit(
            x, y, s, width, size, max(min_size, 0.8 * size), max_lines, height, longest, ha, va, kw
        )
        if whole is not None:
            return whole
        fs = size
        last: Text | None = None
        while True:
            est = max(4, int(width * 72 / (fs * 0.5)) + 2)
            for chars in range(est, 3, -1):
                wrapped = _wrap(s, chars)
                t = self.ax.text(x, y, wrapped, fontsize=fs, ha=ha, va=va, **kw)
                w, h = self.extent(t)
                lines = wrapped.count("\n") + 1
                if w <= width * 0.98:
                    if lines <= max_lines and (height is None or h <= height):
                        if last is not None:
                            last.remove()
                        return t
                    if last is not None:
                        last.remove()
                    last = t
                    break
                t.remove()
            if fs - 0.5 < min_size - 1e-9:
                break
            fs -= 0.5
        assert last is not None
        lines = last.get_text().split("\n")
        keep = max_lines
        if height is not None:
            per_line = self.extent(last)[1] / len(lines)
            keep = min(keep, max(1, int(height / per_line)))
        if len(lines) > keep:
            cut = lines[:keep]
            cut[-1] = cut[-1].rstrip("-").rstrip() + " …"
            last.set_text("\n".join(cut))
        return last

    def _fit(
        self,
        x: float,
        y: float,
        s: str,
        width: float,
        size: float,
        min_size: float,
        max_lines: int,
        height: float | None,
        min_chars: int,
        ha: str,
        va: str,
        kw: Mapping[str, Any],
    ) -> Text | None:
        """Largest font in ``[min_size, size]`` whose wrap without breaking words fits; else ``None``."""
        fs = size
        while fs >= min_size - 1e-9:
            est = max(min_chars, int(width * 72 / (fs * 0.5)) + 2)
            for chars in range(est, min_chars - 1, -1):
                wrapped = _wrap(s, chars)
                t = self.ax.text(x, y, wrapped, fontsize=fs, ha=ha, va=va, **kw)
                w, h = self.extent(t)
                if w <= width * 0.98:
                    if wrapped.count("\n") + 1 <= max_lines and (height is None or h <= height):
                        return t
                    t.remove()
                    break
                t.remove()
            fs -= 0.5
        return None

    def rect(
        self, x: float, y: float, w: float, h: float, color: str, *, rounded: float = 0.0, **kw: Any
    ) -> None:
        if rounded:
            self.ax.add_patch(
                FancyBboxPatch(
                    (x, y),
                    w,
                    h,
                    boxstyle=f"round,pad=0,rounding_size={rounded}",
                    facecolor=color,
                    edgecolor="none",
                    **kw,
                )
            )
        else:
            self.ax.add_patch(Rectangle((x, y), w, h, facecolor=color, edgecolor="none", **kw))

    def line(self, x0: float, x1: float, y: float, color: str = "#b0b0b0", lw: float = 0.8) -> None:
        self.ax.plot([x0, x1], [y, y], color=color, linewidth=lw, solid_capstyle="butt")
