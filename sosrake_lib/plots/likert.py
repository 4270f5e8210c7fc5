"""Diverging stacked bars of Likert answer distributions (:func:`likert_diverging`), "En osaa sanoa"
drawn apart and hidden shares labelled."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401 - the doctests close their figures with it
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from sosrake_lib.fmt import Lang, fmt_int, fmt_number, fmt_percent, fmt_suppressed

from ..settings import MIN_N
from .alt import set_alt
from .style import NSA_GREY, TEXT_GREY, _ax_or_new, _text_color, likert_colors
from .ticks import FmtFormatter, wrap_label

HIDDEN_FACE = "#f7f7f7"
HIDDEN_EDGE = "#8c8c8c"
HIDDEN_HATCH = "////"
"""The hidden categories of a row: one light segment hatched in mid grey, labelled "piilotettu"."""


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
    total: float = 100.0,
    title_width: int = 60,
) -> Axes:
    """Diverging stacked horizontal bars of the answer distribution (%) per item.

    Negative answers extend left of zero and positive ones right; an odd middle category is split in half
    across zero (Heiberger & Robbins 2014). The "En osaa sanoa" share (``nsa_col``) is drawn apart on the
    right in light grey, so it is shown but not mixed into the scale (the house rule: "En osaa sanoa" is counted but kept out of means and scales).

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
    total : float
        What a row's shares add up to, "En osaa sanoa" included (100 for percentages).
    title_width : int
        Wrap width of the title (characters); :func:`~sosrake_lib.plots.save_figure` wraps it further
        if it would still run past the canvas.

    Returns
    -------
    Axes

    Notes
    -----
    Percentages are drawn as given: the caller chooses the denominator (with or without "En osaa sanoa").
    A missing share (NaN) is a suppressed cell (draw from the published table). The hidden categories of a
    row are drawn together as **one** hatched grey segment labelled ``piilotettu`` (on the side of its
    categories, or across zero when they lie on both sides), with their combined width ``total`` minus the shown parts: every bar still adds up to 100 %, so
    a reader does not conclude that nobody chose a category, and the width is only the complement of what
    is shown (it reveals no hidden count on its own). When only "En osaa sanoa" is hidden, the hatched
    segment stands in its place apart. The legend says what "piilotettu" covers.

    The axes gets an alternative text (:func:`~sosrake_lib.plots.alt.set_alt`) stating each row's shares:
    the positive and negative sides, the middle, "En osaa sanoa" and the hidden part.

    Examples
    --------
    >>> t = pd.DataFrame({"Eri": [30.0, float("nan")], "Samaa": [65.0, 80.0], "EOS": [5.0, float("nan")]},
    ...                  index=["A", "B"])
    >>> ax = likert_diverging(t, nsa_col="EOS")
    >>> [round(p.get_width()) for p in ax.patches if p.get_width() > 0]
    [30, 65, 80, 20, 5]
    >>> [t.get_text() for t in ax.texts][-3:], ax.get_legend().get_texts()[-1].get_text()
    (['80', '5', 'piilotettu'], 'piilotettu:\\nalle 5 tai\\nlaskettavissa')
    >>> from sosrake_lib.plots.alt import axes_alt
    >>> axes_alt(ax)
    'A: Samaa 65 %, Eri 30 %, EOS 5 %; B: Samaa 80 %, piilotettu 20 %.'
    >>> plt.close("all")
    """
    if labels is None:
        labels = [c for c in table.columns if c != nsa_col]
    labels = list(labels)
    missing = [c for c in [*labels, *([nsa_col] if nsa_col else [])] if c not in table.columns]
    if missing:
        raise KeyError(f"columns not in table: {missing}")
    raw = table[labels].astype(float).to_numpy()
    n_items, k = raw.shape
    nsa_raw = table[nsa_col].astype(float).to_numpy() if nsa_col is not None else np.zeros(n_items)
    data = np.nan_to_num(raw, nan=0.0)
    nsa = np.nan_to_num(nsa_raw, nan=0.0)
    scale_hidden = np.isnan(raw).any(axis=1)
    nsa_hidden = np.isnan(nsa_raw)
    # the hidden categories of a row together: what the shown parts leave of the total (reveals nothing)
    hidden = np.where(
        scale_hidden | nsa_hidden,
        np.clip(total - data.sum(axis=1) - nsa, 0.0, None),
        0.0,
    )
    in_scale = np.where(scale_hidden, hidden, 0.0)  # drawn in the scale bar ...
    in_nsa = np.where(
        scale_hidden, 0.0, hidden
    )  # ... or, when only "En osaa sanoa" is hidden, apart
    colors = likert_colors(k)
    starts, hidden_start, left_extent = _stack(data, in_scale, np.isnan(raw))
    right_extent = data.sum(axis=1) + in_scale - left_extent

    ax = _ax_or_new(ax, height=1.5 + 0.42 * n_items)
    y = np.arange(n_items)
    for j in range(k):
        ax.barh(
            y,
            data[:, j],
            left=starts[:, j],
            color=colors[j],
            height=0.7,
            edgecolor="white",
            linewidth=0.5,
        )
        for yi in range(n_items):
            if data[yi, j] >= min_label:
                ax.text(
                    starts[yi, j] + data[yi, j] / 2,
                    yi,
                    fmt_number(data[yi, j], lang, 0),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=_text_color(colors[j]),
                )
    hidden_label = fmt_suppressed(min_n, lang)
    if scale_hidden.any():
        _hidden_bars(ax, y[scale_hidden], in_scale[scale_hidden], hidden_start[scale_hidden])

    extent = float(max(left_extent.max(initial=0), right_extent.max(initial=0)))
    lim = max(20.0, math.ceil(extent / 20.0) * 20.0)  # ticks every lim/2: multiples of 10
    # behind the bars: keeps labels readable
    ax.axvline(0, color="#333333", linewidth=0.8, zorder=0.5)
    handles = [
        Patch(facecolor=c, label=wrap_label(lab, 14)) for c, lab in zip(colors, labels, strict=True)
    ]

    right_lim = lim
    if nsa_col is not None:
        gap = 0.08 * lim
        x0 = lim + gap
        ax.barh(y, nsa, left=x0, color=NSA_GREY, height=0.7, edgecolor="#9e9e9e", linewidth=0.5)
        if in_nsa.any():
            _hidden_bars(
                ax, y[in_nsa > 0], in_nsa[in_nsa > 0], np.full(int((in_nsa > 0).sum()), x0)
            )
        for yi in range(n_items):
            w = nsa[yi] + in_nsa[yi]
            ax.text(
                x0 + w + 0.01 * lim,
                yi,
                hidden_label if nsa_hidden[yi] else fmt_number(nsa[yi], lang, 0),
                ha="left",
                va="center",
                fontsize=7,
                color=TEXT_GREY,
            )
        nsa_width = max(float((nsa + in_nsa).max(initial=0)), 10.0)
        right_lim = x0 + nsa_width + 0.16 * lim
        ax.axvline(lim + gap / 2, color="#9e9e9e", linewidth=0.6, linestyle=":")
        handles.append(
            Patch(facecolor=NSA_GREY, edgecolor="#9e9e9e", label=wrap_label(nsa_col, 14))
        )
    if hidden.any():
        handles.append(
            Patch(
                facecolor=HIDDEN_FACE,
                edgecolor=HIDDEN_EDGE,
                hatch=HIDDEN_HATCH,
                label=_suppressed_legend(min_n, lang),
            )
        )

    ax.set_xlim(-lim, right_lim)
    for yi in np.flatnonzero(in_scale >= 0.14 * (right_lim + lim)):  # "piilotettu" fits inside
        ax.text(
            hidden_start[yi] + in_scale[yi] / 2,
            yi,
            hidden_label,
            ha="center",
            va="center",
            fontsize=6.5,
            color=TEXT_GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
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
        ncol=len(handles) if len(handles) <= 4 else math.ceil(len(handles) / 2),
        frameon=False,
        fontsize=7,
        handlelength=1.6,
        handleheight=1.1,
        columnspacing=1.0,
    )
    if title:
        ax.set_title(wrap_label(title, title_width))
    set_alt(ax, _alt_rows(table.index, labels, raw, nsa_col, nsa_raw, hidden, lang), title=title)
    return ax


def _stack(
    data: np.ndarray, hidden: np.ndarray, is_hidden: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts of the segments of each row, the start of its hidden segment and its extent left of zero.

    The middle of the scale (the middle category, or the boundary between the halves) is at zero. The
    hidden segment (width ``hidden``) stands where its categories are: just before the first of them when
    they all lie on one side, and across zero, before the middle category, when they include the middle
    or lie on both sides (so a hidden positive answer is never drawn as a negative one).

    >>> row = np.array([[10.0, 0.0, 40.0, 20.0, 10.0]])
    >>> starts, h0, left = _stack(row, np.array([20.0]), np.isnan([[1, np.nan, 1, 1, 1]]))
    >>> starts.tolist(), h0.tolist(), left.tolist()  # one negative category hidden: left of the middle
    ([[-50.0, -20.0, -20.0, 20.0, 40.0]], [-40.0], [50.0])
    >>> starts, h0, left = _stack(row, np.array([20.0]), np.isnan([[np.nan, 1, 1, 1, np.nan]]))
    >>> h0.tolist(), float(starts[0, 2]), left.tolist()  # both ends hidden: hidden and middle around zero
    ([-30.0], -10.0, [40.0])
    """
    n, k = data.shape
    half = k // 2
    starts = np.zeros((n, k))
    hidden_start = np.zeros(n)
    left = np.zeros(n)
    for i in range(n):
        where = np.flatnonzero(is_hidden[i])
        neg, pos = (where < half).any(), (where >= k - half).any()
        centred = bool(where.size) and ((neg and pos) or (k % 2 == 1 and half in where))
        first = half if centred else (int(where[0]) if where.size else k)
        at = 0.0
        for j in range(k):
            if j == first:
                hidden_start[i] = at
                at += hidden[i]
            starts[i, j] = at
            at += data[i, j]
        if centred:  # the hidden segment and the middle category together straddle zero
            centre = hidden_start[i] + (hidden[i] + (data[i, half] if k % 2 else 0.0)) / 2
        elif k % 2 == 1:
            centre = starts[i, half] + data[i, half] / 2
        else:
            centre = hidden_start[i] if first == half else starts[i, half]
        starts[i] -= centre
        hidden_start[i] -= centre
        left[i] = centre
    return starts, hidden_start, left


def _hidden_bars(ax: Axes, y: np.ndarray, widths: np.ndarray, starts: np.ndarray) -> None:
    ax.barh(
        y,
        widths,
        left=starts,
        height=0.7,
        color=HIDDEN_FACE,
        edgecolor=HIDDEN_EDGE,
        hatch=HIDDEN_HATCH,
        linewidth=0.5,
    )


def _alt_rows(
    index: Sequence[object],
    labels: Sequence[str],
    raw: np.ndarray,
    nsa_col: str | None,
    nsa_raw: np.ndarray,
    hidden: np.ndarray,
    lang: Lang,
) -> list[str]:
    """Per row: the positive side, the negative side, the middle, "En osaa sanoa" and the hidden part (%)."""
    k = len(labels)
    half = k // 2
    pos_idx = list(range(k - half, k))[::-1]
    neg_idx = list(range(half))
    mid_idx = [half] if k % 2 else []
    joiner = " tai " if lang == "fi" else " or "

    def part(idx: list[int], row: np.ndarray) -> list[str]:
        """The side's share; with a hidden category in it, its shown categories one by one."""
        if not np.isnan(row[idx]).any():
            name = joiner.join(str(labels[j]) for j in idx)
            return [f"{name} {fmt_percent(float(row[idx].sum()), lang, 0)}"]
        return [
            f"{labels[j]} {fmt_percent(float(row[j]), lang, 0)}"
            for j in idx
            if not np.isnan(row[j])
        ]

    rows = []
    for i, item in enumerate(index):
        row = raw[i]
        bits = part(pos_idx, row) + part(neg_idx, row) + (part(mid_idx, row) if mid_idx else [])
        if nsa_col is not None and not np.isnan(nsa_raw[i]):
            bits.append(f"{nsa_col} {fmt_percent(float(nsa_raw[i]), lang, 0)}")
        if hidden[i] > 0:
            bits.append(f"{fmt_suppressed(lang=lang)} {fmt_percent(float(hidden[i]), lang, 0)}")
        rows.append(f"{item}: " + ", ".join(bits))
    return rows
