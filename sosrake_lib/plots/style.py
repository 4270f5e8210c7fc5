"""House style of the figures: the colour-blind-safe palettes, the font and size, the rcParams
(:func:`house_rc`, :func:`set_house_style`, :func:`house_style`), a new figure in that style
(:func:`new_figure`) and the colours of Likert scales (:func:`likert_colors`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe–Ito colour-blind-safe categorical palette (blue first: it reads well on white)."""

LIKERT_5: tuple[str, ...] = ("#ca0020", "#f4a582", "#bdbdbd", "#92c5de", "#0571b0")
"""ColorBrewer RdBu, 5 classes, with the near-white centre replaced by a neutral grey."""
NEUTRAL_GREY = "#bdbdbd"
NSA_GREY = "#e3e3e3"
"""Light grey for "En osaa sanoa" / "Ei koske minua", drawn apart from the scale."""
TEXT_GREY = "#4d4d4d"
HIGHLIGHT = OKABE_ITO[3]  # vermillion: top needs
HIGHLIGHT_TEXT = "#b04a00"
"""Vermillion darkened for text on white: 5.5:1 contrast (WCAG AA asks 4.5:1 of small text; the
marker colour :data:`HIGHLIGHT` has 3.9:1)."""
QUIET_TEXT = "#6b6b6b"
"""Grey of secondary labels on white (5.3:1 contrast)."""
BASE = OKABE_ITO[0]

FONT = "DejaVu Sans"
DEFAULT_SIZE = (6.3, 4.0)
"""Default figure size in inches (16 cm wide: the text width of an A4 report)."""


def house_rc() -> dict[str, Any]:
    """The rcParams of the house style (also the save settings: fonttype 42, text kept as text in SVG).

    Examples
    --------
    >>> house_rc()["pdf.fonttype"]
    42
    """
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 9,
        "axes.labelcolor": TEXT_GREY,
        "axes.edgecolor": "#b0b0b0",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO)),
        "axes.unicode_minus": True,
        "xtick.color": TEXT_GREY,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "ytick.color": TEXT_GREY,
        "legend.frameon": False,
        "legend.fontsize": 8,
        "figure.figsize": DEFAULT_SIZE,
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,
        "savefig.dpi": 300,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "sosrake",
    }


def set_house_style() -> None:
    """Apply the house style globally (seaborn ``whitegrid`` theme plus :func:`house_rc`).

    Seaborn is used for the theme only; the figure functions draw with matplotlib so they control the
    stacking and the Finnish number formatting themselves.
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid", font=FONT, rc=house_rc())


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Context manager: the house style for the figures made inside the block only.

    Examples
    --------
    >>> with house_style():
    ...     mpl.rcParams["pdf.fonttype"]
    42
    """
    with mpl.rc_context(house_rc()):
        yield


def new_figure(
    width: float = DEFAULT_SIZE[0],
    height: float = DEFAULT_SIZE[1],
    *,
    nrows: int = 1,
    ncols: int = 1,
) -> tuple[Figure, Any]:
    """Make a figure in the house style with constrained layout (labels are not clipped).

    Returns
    -------
    (Figure, Axes or array of Axes)

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> tuple(fig.get_size_inches()), fig.get_layout_engine().__class__.__name__
    ((np.float64(4.0), np.float64(3.0)), 'ConstrainedLayoutEngine')
    >>> plt.close(fig)
    """
    with house_style():
        fig, ax = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained")
    return fig, ax


def _ax_or_new(ax: Axes | None, height: float | None = None, width: float | None = None) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = new_figure(width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1])
    return new_ax


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1–21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1), round(contrast_ratio(QUIET_TEXT, "white"), 1)
    (21.0, 5.3)
    """

    def lum(c: str) -> float:
        rgb = np.array(to_rgb(c))
        lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(lin @ np.array([0.2126, 0.7152, 0.0722]))

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _text_color(face: str) -> str:
    r, g, b = to_rgb(face)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.5 else "#1a1a1a"


def likert_colors(k: int) -> list[str]:
    """``k`` diverging colours, negative (red) to positive (blue), a neutral grey centre when ``k`` is odd.

    ``k = 5`` gives :data:`LIKERT_5`; other ``k`` are sampled from matplotlib's ColorBrewer ``RdBu``.

    Examples
    --------
    >>> likert_colors(5)[2] == NEUTRAL_GREY
    True
    >>> len(likert_colors(4))
    4
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    if k == 5:
        return list(LIKERT_5)
    cmap = mpl.colormaps["RdBu"]
    colors = [mpl.colors.to_hex(cmap(v)) for v in np.linspace(0.08, 0.92, k)]
    if k % 2 == 1:
        colors[k // 2] = NEUTRAL_GREY
    return colors
