"""Horizontal bar figures: percentages or means with confidence-interval whiskers
(:func:`bar_with_ci`) and the centred funnel of a course's steps (:func:`funnel`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sosrake_lib.fmt import Lang, fmt_ci, fmt_int, fmt_number, fmt_percent, fmt_suppressed

from ..settings import MIN_N
from .alt import set_alt
from .style import BASE, TEXT_GREY, _ax_or_new
from .ticks import FmtFormatter, wrap_label


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
    alt_rows = []
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
        alt_rows.append(
            f"{data[y].iloc[i]} {text}" + _ci_alt(lows, highs, i, percent, decimals, lang)
        )
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
        ax.set_title(wrap_label(title, 60))
    set_alt(ax, alt_rows, title=title or xlabel)
    return ax


def _ci_alt(
    lows: np.ndarray | None,
    highs: np.ndarray | None,
    i: int,
    percent: bool,
    decimals: int,
    lang: Lang,
) -> str:
    """`` (95 % LV 80–92 %)`` of row ``i`` for the alternative text, or nothing without an interval."""
    if lows is None or highs is None or not (np.isfinite(lows[i]) and np.isfinite(highs[i])):
        return ""
    inner = fmt_ci(lows[i], highs[i], lang, decimals, percent=percent)
    return f" (95 % LV {inner})" if lang == "fi" else f" (95% CI {inner})"


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
    alt_rows = []
    for i in range(len(data)):
        if np.isnan(counts[i]):
            alt_rows.append(
                f"{data[step].iloc[i]} {fmt_suppressed(lang=lang)}"
            )  # a hidden step: say so where its bar would be
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
        alt_rows.append(f"{data[step].iloc[i]} {label_text}")
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
        ax.set_title(wrap_label(title, 60))
    set_alt(ax, alt_rows, title=title)
    return ax
