"""House style and figure functions for the SOSRAKE outputs.

Figure functions follow seaborn's convention: they take ``ax=None`` (a new figure is made with
:func:`new_figure` when none is given) and return the :class:`~matplotlib.axes.Axes` they drew on. They never
save: :func:`save_figure` writes SVG, PDF and PNG with deterministic metadata, so a re-run gives byte-identical
files (DESIGN.md, "Notebook conventions").

House style
-----------
- Colour-blind-safe colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design") for
  categories, and ColorBrewer's diverging RdBu (Brewer, colorbrewer2.org, flagged colour-blind safe) for
  Likert scales, with a **neutral grey centre**; "En osaa sanoa" is a separate light grey, drawn apart.
- DejaVu Sans (ships with matplotlib, has every Finnish letter, the minus sign and the NBSP).
- Finnish labels by default; numbers on axes and bars go through :mod:`sosrake_lib.fmt` (decimal comma).
- Every tick label is wrapped by :func:`wrap_label`, which also hyphenates long Finnish compound words.
- Diverging stacked bars for Likert items follow Heiberger & Robbins (2014), "Design of diverging stacked
  bar charts for Likert scales and other applications", J. Stat. Softw. 57(5).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> table = pd.DataFrame({"Eri mieltä": [10.0, 30.0], "Ei samaa eikä eri": [20.0, 20.0],
...                       "Samaa mieltä": [60.0, 40.0], "En osaa sanoa": [10.0, 10.0]},
...                      index=["Sain apua", "Minua kuunneltiin"])
>>> ax = likert_diverging(table, nsa_col="En osaa sanoa")
>>> [t.get_text() for t in ax.get_yticklabels()]
['Sain apua', 'Minua kuunneltiin']
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter
from matplotlib.transforms import Bbox

from sosrake_lib import fontcache
from sosrake_lib.atomic import atomic_path
from sosrake_lib.fmt import Lang, fmt_int, fmt_number, fmt_percent, fmt_suppressed, is_missing

from .settings import MIN_N

# --------------------------------------------------------------------------------------------------- style

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
BASE = OKABE_ITO[0]

FONT = "DejaVu Sans"
DEFAULT_SIZE = (6.3, 4.0)
"""Default figure size in inches (16 cm wide: the text width of an A4 report)."""

_TEXT = {
    "fi": {
        "competence": "Osaaminen, keskiarvo",
        "importance": "Tärkeys, keskiarvo",
        "pre": "Ennen",
        "post": "Jälkeen",
        "median": "mediaani",
        "q_hi_lo": "Tärkeä, osaamista\nkehitettävä",
        "q_hi_hi": "Tärkeä,\nosaaminen vahvaa",
        "q_lo_lo": "Vähemmän tärkeä,\nosaaminen heikompaa",
        "q_lo_hi": "Vähemmän tärkeä,\nosaaminen vahvaa",
        "top": "Suurin koulutustarve",
        "other": "Muut",
    },
    "en": {
        "competence": "Competence, mean",
        "importance": "Importance, mean",
        "pre": "Before",
        "post": "After",
        "median": "median",
        "q_hi_lo": "Important,\ncompetence to develop",
        "q_hi_hi": "Important,\ncompetence strong",
        "q_lo_lo": "Less important,\ncompetence weaker",
        "q_lo_hi": "Less important,\ncompetence strong",
        "top": "Largest training need",
        "other": "Other",
    },
}


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


# ------------------------------------------------------------------------------------------ wrapping

_VOWELS = set("aeiouyäöåAEIOUYÄÖÅéÉüÜ")


def _syllable_breaks(word: str) -> list[int]:
    """Positions where ``word`` may be hyphenated, by the Finnish consonant rule.

    A syllable boundary comes before the last consonant that precedes a vowel (Kielitoimiston ohjepankki,
    "Tavutus": *mie-len-ter-veys-pal-ve-lut*). Vowel-sequence rules are left out: fewer break points, never a
    wrong one. Each side keeps at least two letters.
    """
    breaks = []
    for i in range(2, len(word) - 1):
        c, nxt, prev = word[i], word[i + 1], word[i - 1]
        if (
            c.isalpha()
            and c not in _VOWELS
            and nxt in _VOWELS
            and prev.isalpha()
            and any(ch in _VOWELS for ch in word[:i])
            and any(ch in _VOWELS for ch in word[i:])
            and len(word) - i >= 2
        ):
            breaks.append(i)
    return breaks


def _split_long(word: str, width: int) -> list[str]:
    """Split a word longer than ``width`` into pieces ending with ``-`` (each piece <= width)."""
    pieces = []
    rest = word
    while len(rest) > width:
        limit = width - 1  # room for the hyphen
        candidates = [b for b in _syllable_breaks(rest) if b <= limit]
        cut = max(candidates) if candidates else max(limit, 1)
        pieces.append(rest[:cut] + "-")
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def wrap_label(text: Any, width: int = 16) -> str:
    """Wrap a label to lines of at most ``width`` characters, hyphenating long Finnish compounds.

    Lines break at spaces and after hyphens ("mielenterveys-"); a single word still longer than ``width`` is
    hyphenated at a syllable boundary with a ``-`` at the line end (fallback: a hard cut). Existing line
    breaks are kept. Used for every tick label, so long words wrap instead of overflowing.

    Examples
    --------
    >>> print(wrap_label("mielenterveyspalvelut", 12))
    mielenter-
    veyspalvelut
    >>> print(wrap_label("työllistymistä edistävä monialainen yhteispalvelu", 20))
    työllistymistä
    edistävä monialainen
    yhteispalvelu
    >>> print(wrap_label("Mielenterveys- ja päihdetyö", 16))
    Mielenterveys-
    ja päihdetyö
    """
    if width < 2:
        raise ValueError("width must be >= 2")
    text = "" if is_missing(text) else str(text)
    out_lines: list[str] = []
    for paragraph in text.split("\n"):
        # tokens: (piece, glue) where glue is the separator before the piece ("" joins within a word)
        tokens: list[tuple[str, str]] = []
        for word in paragraph.split():
            parts = [p for p in re.split(r"(?<=-)(?=.)", word) if p]
            for j, part in enumerate(parts):
                subs = _split_long(part, width) if len(part) > width else [part]
                for k, sub in enumerate(subs):
                    glue = " " if (j == 0 and k == 0) else ""
                    # a piece after a soft hyphen must start a new line
                    tokens.append((sub, "\n" if k > 0 else glue))
        line = ""
        for piece, glue in tokens:
            if not line:
                line = piece
            elif glue == "\n" or len(line) + len(glue) + len(piece) > width:
                out_lines.append(line)
                line = piece
            else:
                line += glue + piece
        out_lines.append(line)
    return "\n".join(out_lines)


# ------------------------------------------------------------------------------------------ helpers


class FmtFormatter(Formatter):
    """Tick formatter that writes numbers through :mod:`sosrake_lib.fmt` (decimal comma in Finnish).

    The number of decimals follows the tick spacing; ``percent=True`` appends ``%``; ``absolute=True``
    drops the sign (the left half of a diverging bar chart).

    Examples
    --------
    >>> f = FmtFormatter("fi")
    >>> f.set_locs([0.0, 0.5, 1.0]); f(0.5)
    '0,5'
    """

    def __init__(self, lang: Lang = "fi", *, percent: bool = False, absolute: bool = False) -> None:
        self.lang = lang
        self.percent = percent
        self.absolute = absolute
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        locs = np.asarray(locs, dtype=float)
        if locs.size >= 2:
            step = float(np.min(np.abs(np.diff(np.sort(locs)))))
            self.decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
            self.decimals = min(self.decimals, 4)

    def __call__(self, x: float, pos: int | None = None) -> str:
        value = abs(x) if self.absolute else x
        if self.percent:
            return fmt_percent(value, self.lang, self.decimals)
        return fmt_number(value, self.lang, self.decimals)


def _ax_or_new(ax: Axes | None, height: float | None = None, width: float | None = None) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = new_figure(width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1])
    return new_ax


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


def _wrap_ticklabels(ax: Axes, axis: str, width: int) -> None:
    if axis == "y":
        ticks = ax.get_yticks()
        labels = [wrap_label(t.get_text(), width) for t in ax.get_yticklabels()]
        ax.set_yticks(ticks, labels)
    else:
        ticks = ax.get_xticks()
        labels = [wrap_label(t.get_text(), width) for t in ax.get_xticklabels()]
        ax.set_xticks(ticks, labels)


# ------------------------------------------------------------------------------------------ figures


def _suppressed_legend(min_n: int, lang: Lang) -> str:
    """Legend text of a hidden (undrawn) segment: the neutral label and what it covers, in lines no wider
    than the other legend entries (a wider legend would squeeze the plot under constrained layout).

    >>> _suppressed_legend(5, "en")
    'suppressed:\\nfewer than 5\\nor derivable'
    """
    label, n = fmt_suppressed(min_n, lang), fmt_int(min_n, lang)
    return (
        f"{label}:\nalle {n} tai\nlaskettavissa"
        if lang == "fi"
        else f"{label}:\nfewer than {n}\nor derivable"
    )


def likert_diverging(
    table: pd.DataFrame,
    labels: Sequence[str] | None = None,
    *,
    nsa_col: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    lang: Lang = "fi",
    label_width: int = 28,
    min_label: float = 5.0,
    min_n: int = MIN_N,
) -> Axes:
    """Diverging stacked horizontal bars of the answer distribution (%) per item.

    Negative answers extend left of zero and positive ones right; an odd middle category is split in half
    across zero (Heiberger & Robbins 2014). The "En osaa sanoa" share (``nsa_col``) is drawn apart on the
    right in light grey, so it is shown but not mixed into the scale (DESIGN.md, Likert house rule).

    Parameters
    ----------
    table : DataFrame
        Percentages; rows are items (the index holds readable item labels, drawn top to bottom in order),
        columns are answer labels.
    labels : sequence of str, optional
        The scale's answer columns in order from most negative to most positive. Default: every column but
        ``nsa_col``, in table order.
    nsa_col : str, optional
        Column of "En osaa sanoa" (or "Ei koske minua") percentages.
    title : str, optional
    ax : Axes, optional
    lang : {"fi", "en"}
        Language of the number formatting.
    label_width : int
        Wrap width of the item labels.
    min_label : float
        Segments narrower than this (percentage points) get no value label.
    min_n : int
        The disclosure threshold, for the label of hidden shares.

    Returns
    -------
    Axes

    Notes
    -----
    Percentages are drawn as given: the caller chooses the denominator (with or without "En osaa sanoa").
    A missing share (NaN) is a suppressed cell: it is not drawn (its size would give the count away), the
    legend says that shares of fewer than ``min_n`` people, or shares a hidden one could be worked out from, are
    hidden, and a hidden "En osaa sanoa" share is labelled ``piilotettu``. Draw from the published (suppressed) table.

    Examples
    --------
    >>> t = pd.DataFrame({"Eri": [30.0, float("nan")], "Samaa": [65.0, 80.0], "EOS": [5.0, float("nan")]},
    ...                  index=["A", "B"])
    >>> ax = likert_diverging(t, nsa_col="EOS")
    >>> [round(p.get_width()) for p in ax.patches if p.get_width() > 0]
    [30, 65, 80, 5]
    >>> [t.get_text() for t in ax.texts][-2:], ax.get_legend().get_texts()[-1].get_text()
    (['5', 'piilotettu'], 'piilotettu:\\nalle 5 tai\\nlaskettavissa')
    >>> plt.close("all")
    """
    if labels is None:
        labels = [c for c in table.columns if c != nsa_col]
    labels = list(labels)
    missing = [c for c in [*labels, *([nsa_col] if nsa_col else [])] if c not in table.columns]
    if missing:
        raise KeyError(f"columns not in table: {missing}")
    raw = table[labels].astype(float)
    any_hidden = bool(raw.isna().any().any())
    data = raw.fillna(0.0).to_numpy()  # a hidden share is not drawn
    n_items, k = data.shape
    colors = likert_colors(k)
    half = k // 2
    if k % 2 == 1:
        left_extent = data[:, :half].sum(axis=1) + data[:, half] / 2
    else:
        left_extent = data[:, :half].sum(axis=1)
    right_extent = data.sum(axis=1) - left_extent

    ax = _ax_or_new(ax, height=1.3 + 0.42 * n_items)
    y = np.arange(n_items)
    for j in range(k):
        starts = -left_extent + data[:, :j].sum(axis=1)
        widths = data[:, j]
        ax.barh(
            y,
            widths,
            left=starts,
            color=colors[j],
            height=0.7,
            edgecolor="white",
            linewidth=0.5,
            label=str(labels[j]),
        )
        for yi, (s, w) in enumerate(zip(starts, widths, strict=True)):
            if w >= min_label:
                ax.text(
                    s + w / 2,
                    yi,
                    fmt_number(w, lang, 0),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=_text_color(colors[j]),
                )

    extent = float(max(left_extent.max(initial=0), right_extent.max(initial=0)))
    lim = max(20.0, math.ceil(extent / 20.0) * 20.0)  # ticks every lim/2: multiples of 10
    ax.axvline(
        0, color="#333333", linewidth=0.8, zorder=0.5
    )  # behind the bars: keeps labels readable
    handles = [
        Patch(facecolor=c, label=wrap_label(lab, 14)) for c, lab in zip(colors, labels, strict=True)
    ]

    right_lim = lim
    if nsa_col is not None:
        nsa_raw = table[nsa_col].astype(float).to_numpy()
        any_hidden = any_hidden or bool(np.isnan(nsa_raw).any())
        nsa = np.nan_to_num(nsa_raw, nan=0.0)
        gap = 0.08 * lim
        x0 = lim + gap
        ax.barh(y, nsa, left=x0, color=NSA_GREY, height=0.7, edgecolor="#9e9e9e", linewidth=0.5)
        for yi, (w, shown) in enumerate(zip(nsa, nsa_raw, strict=True)):
            ax.text(
                x0 + w + 0.01 * lim,
                yi,
                fmt_suppressed(min_n, lang) if np.isnan(shown) else fmt_number(w, lang, 0),
                ha="left",
                va="center",
                fontsize=7,
                color=TEXT_GREY,
            )
        nsa_width = max(float(nsa.max(initial=0)), 10.0)
        right_lim = x0 + nsa_width + 0.12 * lim
        ax.axvline(lim + gap / 2, color="#9e9e9e", linewidth=0.6, linestyle=":")
        handles.append(
            Patch(facecolor=NSA_GREY, edgecolor="#9e9e9e", label=wrap_label(nsa_col, 14))
        )
    if any_hidden:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#9e9e9e",
                linestyle=":",
                label=_suppressed_legend(min_n, lang),
            )
        )

    ax.set_xlim(-lim, right_lim)
    ax.set_xticks(np.linspace(-lim, lim, 5))
    ax.xaxis.set_major_formatter(FmtFormatter(lang, percent=True, absolute=True))
    ax.set_yticks(y, [wrap_label(i, label_width) for i in table.index])
    ax.set_ylim(n_items - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=len(handles),
        frameon=False,
        fontsize=7,
        handlelength=1.2,
        columnspacing=1.0,
    )
    if title:
        ax.set_title(title)
    return ax


def bar_with_ci(
    df: pd.DataFrame,
    x: str,
    y: str,
    low: str | None = None,
    high: str | None = None,
    *,
    ax: Axes | None = None,
    percent: bool = True,
    decimals: int | None = None,
    lang: Lang = "fi",
    n: str | None = None,
    min_n: int = MIN_N,
    color: str = BASE,
    title: str | None = None,
    xlabel: str | None = None,
    xlim: tuple[float, float] | None = None,
    label_width: int = 28,
) -> Axes:
    """Horizontal bars of percentages or means, with confidence-interval whiskers and value labels.

    Parameters
    ----------
    df : DataFrame
        One row per bar, drawn top to bottom in order.
    x, y : str
        Column of the value and column of the bar label (seaborn's horizontal convention).
    low, high : str, optional
        Columns of the CI bounds (whiskers are drawn when both are given).
    percent : bool
        Values are % (0–100): labels ``87 %`` and an axis from 0 to 100. ``False`` for means.
    decimals : int, optional
        Decimals of the value labels (default 0 for %, 1 for means).
    n, min_n : optional
        With a column of group sizes, rows with ``n < min_n`` get no bar and the label "piilotettu"
        (small-cell suppression is enforced in the figure too, not trusted to the caller).
    xlim : (float, float), optional
        Axis range (default 0–100 for %, from the data otherwise).

    Returns
    -------
    Axes
    """
    if decimals is None:
        decimals = 0 if percent else 1
    data = df.reset_index(drop=True)
    values = data[x].astype(float).to_numpy()
    lows = data[low].astype(float).to_numpy() if low and high else None
    highs = data[high].astype(float).to_numpy() if low and high else None
    suppressed = np.zeros(len(data), dtype=bool)
    if n is not None:
        sizes = pd.to_numeric(data[n], errors="coerce").to_numpy(dtype=float)
        suppressed = ~(sizes >= min_n)
    values = np.where(suppressed, np.nan, values)
    if lows is not None and highs is not None:
        lows = np.where(suppressed, np.nan, lows)
        highs = np.where(suppressed, np.nan, highs)

    ax = _ax_or_new(ax, height=1.0 + 0.38 * len(data))
    pos = np.arange(len(data))
    ax.barh(pos, np.nan_to_num(values), color=color, height=0.65, zorder=2)
    if lows is not None and highs is not None:
        err = np.vstack([values - lows, highs - values])
        ax.errorbar(
            values,
            pos,
            xerr=np.nan_to_num(err),
            fmt="none",
            ecolor="#333333",
            elinewidth=0.9,
            capsize=2.5,
            zorder=3,
        )
    finite_ends = [v for v in (highs if highs is not None else values) if np.isfinite(v)]
    if xlim is None:
        if percent:
            xlim = (0.0, 100.0)
        else:
            top = max(finite_ends, default=1.0)
            xlim = (
                min(0.0, float(np.nanmin(values)) if np.isfinite(values).any() else 0.0),
                top * 1.15,
            )
    span = xlim[1] - xlim[0]
    for i in range(len(data)):
        end = highs[i] if highs is not None and np.isfinite(highs[i]) else values[i]
        if suppressed[i]:
            text, end = fmt_suppressed(min_n, lang), xlim[0]
        elif percent:
            text = fmt_percent(values[i], lang, decimals)
        else:
            text = fmt_number(values[i], lang, decimals)
        if not np.isfinite(end):
            end = xlim[0]
        ax.text(
            end + 0.015 * span,
            i,
            text,
            va="center",
            ha="left",
            fontsize=8,
            color="#1a1a1a",
            zorder=4,
        )
    # room for the value labels to the right
    ax.set_xlim(xlim[0], xlim[1] + 0.12 * span)
    ax.set_yticks(pos, [wrap_label(v, label_width) for v in data[y]])
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(FmtFormatter(lang, percent=percent))
    if percent:
        ax.set_xticks(np.linspace(xlim[0], xlim[1], 6))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def _overlaps(box: Any, placed: list[Any]) -> bool:
    return any(box.overlaps(p) for p in placed)


def quadrant_plot(
    df: pd.DataFrame,
    x: str = "competence_mean",
    y: str = "importance_mean",
    label: str = "label",
    ax: Axes | None = None,
    *,
    need: str | None = None,
    top: int = 3,
    lang: Lang = "fi",
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    quadrant_labels: bool = True,
    label_width: int = 20,
) -> Axes:
    """Importance–competence quadrant plot with mean lines; the ``top`` largest training needs in colour.

    The mean lines split the areas into quadrants (importance-performance analysis, Martilla & James 1977,
    J. Marketing 41(1)); top-left — important but weak — is where training is needed. The needs ranking
    uses column ``need`` (e.g. a Borich mean weighted discrepancy score) if given, else the gap ``y - x``.
    Labels are placed at the first of a few offsets that does not overlap a label already placed.

    Returns
    -------
    Axes
    """
    text = _TEXT[lang]
    data = df.reset_index(drop=True)
    xs = data[x].astype(float).to_numpy()
    ys = data[y].astype(float).to_numpy()
    score = data[need].astype(float).to_numpy() if need else ys - xs
    order = np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable")
    is_top = np.zeros(len(data), dtype=bool)
    is_top[order[: min(top, len(data))]] = True

    ax = _ax_or_new(ax, height=4.8)
    ax.scatter(xs[~is_top], ys[~is_top], s=28, color=BASE, zorder=3, label=text["other"])
    ax.scatter(
        xs[is_top], ys[is_top], s=40, color=HIGHLIGHT, zorder=4, marker="D", label=text["top"]
    )
    mx, my = float(np.nanmean(xs)), float(np.nanmean(ys))
    ax.axvline(mx, color="#8c8c8c", linewidth=0.8, linestyle="--", zorder=1)
    ax.axhline(my, color="#8c8c8c", linewidth=0.8, linestyle="--", zorder=1)

    pad_x = max(0.15 * (np.nanmax(xs) - np.nanmin(xs)), 0.1)
    pad_y = max(0.15 * (np.nanmax(ys) - np.nanmin(ys)), 0.1)
    ax.set_xlim(np.nanmin(xs) - pad_x, np.nanmax(xs) + 1.6 * pad_x)
    ax.set_ylim(np.nanmin(ys) - pad_y, np.nanmax(ys) + pad_y)
    ax.xaxis.set_major_formatter(FmtFormatter(lang))
    ax.yaxis.set_major_formatter(FmtFormatter(lang))
    ax.set_xlabel(xlabel or text["competence"])
    ax.set_ylabel(ylabel or text["importance"])

    if quadrant_labels:
        style = {"fontsize": 7, "color": "#8c8c8c", "style": "italic", "zorder": 1}
        ax.text(0.01, 0.99, text["q_hi_lo"], transform=ax.transAxes, ha="left", va="top", **style)
        ax.text(0.99, 0.99, text["q_hi_hi"], transform=ax.transAxes, ha="right", va="top", **style)
        ax.text(
            0.01, 0.01, text["q_lo_lo"], transform=ax.transAxes, ha="left", va="bottom", **style
        )
        ax.text(
            0.99, 0.01, text["q_lo_hi"], transform=ax.transAxes, ha="right", va="bottom", **style
        )

    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()
    # markers count as occupied space too, so a label does not cover another point
    placed: list[Any] = []
    for px, py in ax.transData.transform(
        np.column_stack([xs, ys])[np.isfinite(xs) & np.isfinite(ys)]
    ):
        placed.append(Bbox.from_extents(px - 4, py - 4, px + 4, py + 4))
    offsets = [
        (6, 4, "left", "bottom"),
        (6, -4, "left", "top"),
        (-6, 4, "right", "bottom"),
        (-6, -4, "right", "top"),
        (0, 9, "center", "bottom"),
        (0, -9, "center", "top"),
    ]
    for i in order:  # top needs get the best places
        if not (np.isfinite(xs[i]) and np.isfinite(ys[i])):
            continue
        txt = wrap_label(data.loc[i, label], label_width)
        ann = None
        for dx, dy, ha, va in offsets:
            if ann is not None:
                ann.remove()
            ann = ax.annotate(
                txt,
                (xs[i], ys[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7,
                color=HIGHLIGHT if is_top[i] else "#1a1a1a",
                fontweight="bold" if is_top[i] else "normal",
                zorder=5,
            )
            box = ann.get_window_extent(renderer)
            if not _overlaps(box, placed):
                break
        if ann is not None:
            placed.append(ann.get_window_extent(renderer))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    if title:
        ax.set_title(title)
    return ax


def paired_slope(
    pre: pd.DataFrame | pd.Series,
    post: pd.DataFrame | pd.Series,
    labels: Mapping[str, str] | Sequence[str] | None = None,
    ax: Axes | None = None,
    *,
    individual: bool = False,
    lang: Lang = "fi",
    title: str | None = None,
    xlabel: str | None = None,
    label_width: int = 26,
) -> Axes:
    """Paired dot plot of pre → post medians per area (a "dumbbell"), with optional individual pairs.

    ``pre`` and ``post`` have one row per respondent (paired by index) and one column per area. Only
    complete pairs count, as in a Wilcoxon signed-rank test. Each area is a row: a hollow dot for the
    median before, a filled dot for the median after, an arrow between; ``n`` of pairs at the right. With
    ``individual=True`` each respondent's change is a thin line, spread evenly within the row.

    Returns
    -------
    Axes
    """
    text = _TEXT[lang]
    if isinstance(pre, pd.Series):
        pre = pre.to_frame()
    if isinstance(post, pd.Series):
        post = post.to_frame()
    areas = [c for c in pre.columns if c in post.columns]
    if isinstance(labels, Mapping):
        names = [labels.get(a, a) for a in areas]
    elif labels is not None:
        names = list(labels)
        if len(names) != len(areas):
            raise ValueError("labels must have one entry per area")
    else:
        names = [str(a) for a in areas]

    ax = _ax_or_new(ax, height=1.2 + 0.5 * len(areas))
    pre_c, post_c = OKABE_ITO[1], OKABE_ITO[0]
    all_vals: list[float] = []
    for row, area in enumerate(areas):
        pair = pd.concat([pre[area].rename("pre"), post[area].rename("post")], axis=1, join="inner")
        pair = pair.astype(float).dropna()
        all_vals.extend(pair.to_numpy().ravel().tolist())
        if individual and len(pair):
            offs = np.linspace(-0.3, 0.3, len(pair)) if len(pair) > 1 else np.zeros(1)
            for off, (a, b) in zip(offs, pair.to_numpy(), strict=True):
                ax.plot(
                    [a, b],
                    [row + off, row + off],
                    color="#9e9e9e",
                    linewidth=0.4,
                    alpha=0.6,
                    zorder=1,
                )
        if len(pair) == 0:
            continue
        m0, m1 = float(pair["pre"].median()), float(pair["post"].median())
        if m0 != m1:
            ax.annotate(
                "",
                xy=(m1, row),
                xytext=(m0, row),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#333333",
                    "lw": 1.2,
                    "shrinkA": 4,
                    "shrinkB": 5,
                },
                zorder=2,
            )
        ax.scatter(
            [m0],
            [row],
            s=50,
            facecolor="white",
            edgecolor=pre_c,
            linewidth=1.6,
            zorder=3,
            label=f"{text['pre']} ({text['median']})" if row == 0 else None,
        )
        ax.scatter(
            [m1],
            [row],
            s=50,
            color=post_c,
            zorder=4,
            label=f"{text['post']} ({text['median']})" if row == 0 else None,
        )
        ax.text(
            1.01,
            row,
            f"n = {fmt_int(len(pair), lang)}",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=7,
            color=TEXT_GREY,
        )
    if all_vals:
        lo, hi = min(all_vals), max(all_vals)
        pad = max(0.05 * (hi - lo), 0.2)
        ax.set_xlim(lo - pad, hi + pad)
    return finish_dot_axes(
        ax,
        names,
        lang=lang,
        label_width=label_width,
        legend_offset=-0.1,
        xlabel=xlabel,
        title=title,
    )


def finish_dot_axes(
    ax: Axes,
    labels: Sequence[str],
    *,
    lang: Lang = "fi",
    label_width: int = 28,
    legend_offset: float = -0.1,
    xlabel: str | None = None,
    title: str | None = None,
) -> Axes:
    """House finish of a dot plot with one row per category (top to bottom): wrapped row labels, Finnish
    number format on x, vertical grid only, the legend centred below the axes. Returns ``ax``."""
    ax.set_yticks(np.arange(len(labels)), [wrap_label(nm, label_width) for nm in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(FmtFormatter(lang))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, legend_offset), ncol=2, frameon=False)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def funnel(
    steps: pd.DataFrame,
    ax: Axes | None = None,
    *,
    step: str = "step_label",
    n: str = "n",
    pct: str = "pct",
    lang: Lang = "fi",
    color: str = BASE,
    title: str | None = None,
    label_width: int = 22,
) -> Axes:
    """Horizontal funnel: one centred bar per step, width = n, labelled ``n (pct %)``.

    ``steps`` has columns ``step_label``, ``n`` and ``pct`` (% of the first step, 0–100), drawn top to
    bottom, e.g. 63 enrolled → 35 completed (55,6 %). A step whose ``n`` is hidden shows ``piilotettu``.

    Returns
    -------
    Axes
    """
    data = steps.reset_index(drop=True)
    counts = data[n].astype(float).to_numpy()
    widest = float(np.nanmax(counts)) if len(counts) else 1.0
    ax = _ax_or_new(ax, height=1.0 + 0.55 * len(data))
    pos = np.arange(len(data))
    ax.barh(pos, counts, left=(widest - counts) / 2, color=color, height=0.72)
    for i in range(len(data)):
        if np.isnan(counts[i]):  # a hidden step: say so where its bar would be
            ax.text(
                widest / 2,
                i,
                fmt_suppressed(lang=lang),
                ha="center",
                va="center",
                fontsize=8,
                color=TEXT_GREY,
            )
            continue
        label_text = f"{fmt_int(counts[i], lang)} ({fmt_percent(data.loc[i, pct], lang, 1)})"
        inside = counts[i] >= 0.35 * widest
        ax.text(
            widest / 2 if inside else (widest + counts[i]) / 2 + 0.01 * widest,
            i,
            label_text,
            ha="center" if inside else "left",
            va="center",
            fontsize=8,
            color="white" if inside else "#1a1a1a",
        )
    ax.set_xlim(
        -0.02 * widest, widest * 1.02 + (0.3 * widest if (counts < 0.35 * widest).any() else 0)
    )
    ax.set_yticks(pos, [wrap_label(s, label_width) for s in data[step]])
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    ax.tick_params(axis="y", length=0)
    if title:
        ax.set_title(title)
    return ax


# ------------------------------------------------------------------------------------------ saving

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
) -> list[Path]:
    """:func:`save_figure`, then show the figure in the notebook at ``preview_dpi`` size, then close it.

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
    >>> [p.suffix for p in save_and_show(fig, Path(tempfile.mkdtemp()) / "kuva")]
    ['.svg', '.pdf', '.png']
    >>> plt.fignum_exists(fig.number)
    False
    """
    paths, preview = _save(
        fig, Path(path_without_suffix), formats, dpi=dpi, preview_dpi=preview_dpi
    )
    if close:
        plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython ships with the project
        return paths
    if preview is not None and get_ipython() is not None:
        png, width = preview
        display(Image(data=png, format="png", width=width))
    return paths


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
    fig.draw_without_rendering()  # runs the layout engine (constrained layout) with the canvas renderer
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


__all__ = [
    "LIKERT_5",
    "NSA_GREY",
    "OKABE_ITO",
    "FmtFormatter",
    "bar_with_ci",
    "funnel",
    "house_rc",
    "house_style",
    "likert_colors",
    "likert_diverging",
    "new_figure",
    "paired_slope",
    "quadrant_plot",
    "save_and_show",
    "save_figure",
    "set_house_style",
    "wrap_label",
]
