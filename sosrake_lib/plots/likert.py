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

from sosrake_lib.fmt import Lang, fmt_int, fmt_number, fmt_suppressed

from ..settings import MIN_N
from .style import NSA_GREY, TEXT_GREY, _ax_or_new, _text_color, likert_colors
from .ticks import FmtFormatter, wrap_label


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
