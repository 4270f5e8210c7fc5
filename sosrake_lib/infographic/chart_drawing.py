"""Drawing one chart on the page: horizontal bars with value labels, notes and CI whiskers."""

from __future__ import annotations

from sosrake_lib.fmt import Lang, fmt_change, fmt_int, fmt_number, fmt_percent, fmt_suppressed
from sosrake_lib.plots import HIGHLIGHT, TEXT_GREY

from .chart_data import Chart
from .page import BLUE, DARK, TRACK, _Page
from .texts import _TEXT


def _draw_chart(
    page: _Page,
    chart: Chart,
    x: float,
    top: float,
    width: float,
    height: float,
    lang: Lang,
    min_n: int,
) -> None:
    """Horizontal bars with value labels and optional CI whiskers.

    A ``"change"`` chart draws each bar from zero (marked by a short vertical rule on every track) to its
    value, to the left for a fall, and writes the value with its sign. With room (rows of 0.45 in or more) each bar sits under its own full-width label, so long Finnish
    labels get the whole width; in tighter charts the label goes in a left column beside its bar (wrapped
    to two lines, font shrunk to fit).
    """
    title = page.text(
        x,
        top,
        chart.title,
        width=width,
        size=11,
        min_size=8.5,
        max_lines=2,
        fontweight="bold",
        color=DARK,
    )
    y = top - page.extent(title)[1] - 0.12
    bottom = top - height
    caption_h = 0.0
    if chart.caption:
        cap = page.text(
            x,
            bottom,
            chart.caption,
            width=width,
            size=7,
            min_size=6,
            max_lines=chart.caption_lines,
            va="bottom",
            color=TEXT_GREY,
        )
        caption_h = page.extent(cap)[1] + 0.06
    avail = y - bottom - caption_h
    k = len(chart.bars)
    row = avail / max(k, 1)
    bar_h = min(0.2, row * 0.38)
    label_size = min(9.0, max(6.5, row * 72 * 0.27))
    value_w = 1.05
    inline = row < 0.45
    # a change needs less track (zero in the middle) and its labels say "trained": a wider label column
    label_w = width * (0.46 if chart.kind == "change" else 0.36) if inline else width
    track_x = x + label_w + 0.15 if inline else x
    track_w = x + width - value_w - track_x
    span = (chart.hi - chart.lo) or 1.0
    if inline:
        bar_h = min(0.2, row * 0.5)
    change = chart.kind == "change"
    zero = track_x + track_w * min(max((0.0 - chart.lo) / span, 0.0), 1.0)
    for i, b in enumerate(chart.bars):
        if inline:
            mid = y - (i + 0.5) * row
            page.text(
                x,
                mid,
                b.label,
                width=label_w,
                size=8.5,
                min_size=6.5,
                max_lines=3,
                height=row * 0.95,
                va="center",
                color=DARK,
            )
            by = mid - bar_h / 2
        else:
            r_top = (
                y - i * row - (min(0.06, row * 0.12) if i else 0.0)
            )  # air between a bar and the next label
            lab = page.text(
                x,
                r_top,
                b.label,
                width=width,
                size=label_size,
                min_size=6,
                max_lines=2,
                height=row - bar_h - 0.1,
                color=DARK,
            )
            by = r_top - page.extent(lab)[1] - 0.04 - bar_h
        page.rect(track_x, by, track_w, bar_h, TRACK)
        if b.suppressed or b.value is None:
            shown = fmt_suppressed(min_n, lang) if b.suppressed else _TEXT[lang]["missing"]
            page.ax.text(
                track_x + 0.06,
                by + bar_h / 2,
                shown,
                fontsize=8,
                va="center",
                ha="left",
                color=TEXT_GREY,
            )
            continue
        frac = min(max((b.value - chart.lo) / span, 0.0), 1.0)
        color = HIGHLIGHT if b.highlight else BLUE
        if change:  # from zero, marked on every track with a value: a bar is read from it
            end = track_x + track_w * frac
            page.rect(min(zero, end), by, abs(end - zero), bar_h, color)
            page.ax.plot(
                [zero, zero],
                [by - 0.04, by + bar_h + 0.04],
                color=TEXT_GREY,
                linewidth=0.8,
                solid_capstyle="butt",
                zorder=2,
            )
        else:
            page.rect(track_x, by, track_w * frac, bar_h, color)
        if b.ci_low is not None and b.ci_high is not None:
            lo = track_x + track_w * min(max((b.ci_low - chart.lo) / span, 0), 1)
            hi = track_x + track_w * min(max((b.ci_high - chart.lo) / span, 0), 1)
            cy = by + bar_h / 2
            page.ax.plot(
                [lo, hi], [cy, cy], color=DARK, linewidth=0.9, solid_capstyle="butt", zorder=3
            )
            for xx in (lo, hi):
                page.ax.plot(
                    [xx, xx],
                    [cy - bar_h * 0.28, cy + bar_h * 0.28],
                    color=DARK,
                    linewidth=0.9,
                    zorder=3,
                )
        if change:
            shown = fmt_change(b.value, lang, chart.decimals)
        elif chart.kind == "percent":
            shown = fmt_percent(b.value, lang, chart.decimals)
        elif chart.kind == "count":
            shown = fmt_int(b.value, lang)
        else:
            shown = fmt_number(b.value, lang, chart.decimals)
        page.ax.text(
            track_x + track_w + 0.08,
            by + bar_h / 2,
            shown,
            fontsize=10,
            fontweight="bold",
            va="center",
            ha="left",
            color=color,
        )
        if b.note:
            page.ax.text(
                track_x + track_w * frac + 0.06,
                by + bar_h / 2,
                b.note,
                fontsize=7.5,
                va="center",
                ha="left",
                color=TEXT_GREY,
            ) if frac < 0.62 else page.ax.text(
                track_x + track_w * frac - 0.06,
                by + bar_h / 2,
                b.note,
                fontsize=7.5,
                va="center",
                ha="right",
                color="white",
            )
