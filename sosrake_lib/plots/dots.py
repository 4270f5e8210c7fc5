"""Dot figures: the importance–competence quadrant plot (:func:`quadrant_plot`), the paired
pre → post medians (:func:`paired_slope`) and the house finish of a dot plot
(:func:`finish_dot_axes`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from sosrake_lib.fmt import Lang, fmt_int, fmt_number

from .alt import set_alt
from .style import BASE, HIGHLIGHT, HIGHLIGHT_TEXT, OKABE_ITO, QUIET_TEXT, TEXT_GREY, _ax_or_new
from .ticks import FmtFormatter, wrap_label

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
        style = {"fontsize": 7, "color": QUIET_TEXT, "style": "italic", "zorder": 1}
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
                color=HIGHLIGHT_TEXT if is_top[i] else "#1a1a1a",
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
        ax.set_title(wrap_label(title, 60))
    x_name, y_name = xlabel or text["competence"], ylabel or text["importance"]
    set_alt(
        ax,
        [
            f"{text['top'] if is_top[i] else text['other']}: {data.loc[i, label]} "
            f"({x_name.lower()} {fmt_number(xs[i], lang, 2)}, {y_name.lower()} {fmt_number(ys[i], lang, 2)})"
            for i in order
            if np.isfinite(xs[i]) and np.isfinite(ys[i])
        ],
        title=title,
    )
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
    alt_rows: list[str] = []
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
        alt_rows.append(
            f"{names[row]}: {text['pre'].lower()} {fmt_number(m0, lang, 2)}, "
            f"{text['post'].lower()} {fmt_number(m1, lang, 2)} (n = {fmt_int(len(pair), lang)})"
        )
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
    set_alt(ax, alt_rows, title=f"{title or xlabel or ''} ({text['median']})".strip())
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
        ax.set_title(wrap_label(title, 60))
    if not getattr(ax, "_sosrake_alt", None):
        set_alt(ax, _series_alt(ax, labels, lang), title=title or xlabel)
    return ax


def _series_alt(ax: Axes, labels: Sequence[str], lang: Lang) -> list[str]:
    """Per row: each labelled series' value there (the dots of error bars or a scatter), for the alt text."""
    values: dict[int, list[str]] = {i: [] for i in range(len(labels))}
    for container in ax.containers:
        name = container.get_label()
        line = getattr(container, "lines", (None,))[0]
        if not name or name.startswith("_") or line is None:
            continue
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            row = int(round(float(y)))
            if 0 <= row < len(labels) and np.isfinite(x):
                values[row].append(f"{name} {fmt_number(float(x), lang, 2)}")
    return [f"{labels[i]}: {', '.join(v)}" for i, v in values.items() if v]
