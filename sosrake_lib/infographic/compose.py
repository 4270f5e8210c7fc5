"""Composing the whole page: header band, big-number tiles, footnote, charts, themes and quotes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Circle

from sosrake_lib.fmt import Lang, fmt_int, fmt_suppressed
from sosrake_lib.plots import HIGHLIGHT, NSA_GREY, TEXT_GREY

from .chart_data import Context, _is_suppressed, _num
from .chart_drawing import _draw_chart
from .key_figures import _any_suppressed, _big_numbers, _themes
from .page import BLUE, DARK, MARGIN, PAGE_H, PAGE_W, TILE_BG, _Page
from .texts import _TEXT, _translate, subtitle_period

#: Charts on one page: the first two of a spec's ``charts`` that have bars (a builder gives ``None`` when its
#: data is not there, so a later builder in the list can stand in for an earlier one).
MAX_CHARTS = 2


def _compose(
    ctx: Context,
    spec: Mapping[str, Any],
    *,
    lang: Lang,
    semester: str,
    quotes: list[dict[str, str]],
    synthetic: bool,
    n_suppressed: int,
) -> Figure:
    t = _TEXT[lang]
    page = _Page()
    inner = PAGE_W - 2 * MARGIN
    x0 = MARGIN

    # --- header band
    band_h = 1.75
    page.rect(0, PAGE_H - band_h, PAGE_W, band_h, BLUE)
    y = PAGE_H - 0.38
    k = page.text(
        x0,
        y,
        t["kicker"].upper(),
        width=inner * 0.62,
        size=8,
        min_size=6.5,
        max_lines=1,
        color="white",  # opaque: 5.2:1 on the blue band (4.2:1 at 85 %)
    )
    y -= page.extent(k)[1] + 0.1
    title = page.text(
        x0,
        y,
        spec[f"title_{lang}"],
        width=inner,
        size=24,
        min_size=14,
        max_lines=2,
        height=0.82,
        color="white",
        fontweight="bold",
    )
    y -= page.extent(title)[1] + 0.1
    n_rec = next((ctx.fig(nm) for nm in spec["n"] if ctx.fig(nm) is not None), None)
    sub = [spec[f"subtitle_{lang}"]]
    if period := subtitle_period(semester, lang, synthetic=synthetic):
        sub.append(period)
    if n_rec is not None:
        n_shown = (
            fmt_suppressed(ctx.min_n, lang)
            if _is_suppressed(n_rec)
            else fmt_int(_num(n_rec.get("value")), lang)
        )
        sub.append(f"n = {n_shown} {spec[f'n_word_{lang}']}")
    page.text(
        x0, y, "  ·  ".join(sub), width=inner, size=11.5, min_size=8, max_lines=1, color="white"
    )

    # --- big numbers (tiles)
    bigs = _big_numbers(ctx, spec, lang)
    tiles_top = PAGE_H - band_h - 0.3
    tile_h = 1.5
    if bigs:
        gap = 0.14
        tw = (inner - gap * (len(bigs) - 1)) / len(bigs)
        for i, b in enumerate(bigs):
            tx = x0 + i * (tw + gap)
            page.rect(tx, tiles_top - tile_h, tw, tile_h, TILE_BG, rounded=0.08)
            pad = 0.12
            size = 15 if b.is_text else 30
            v = page.text(
                tx + pad,
                tiles_top - 0.14,
                b.value,
                width=tw - 2 * pad,
                size=size,
                min_size=8,
                max_lines=4 if b.is_text else 1,
                height=0.72,
                color=BLUE,
                fontweight="bold",
            )
            ly = tiles_top - 0.14 - max(page.extent(v)[1], 0.45) - 0.08
            n_sub = b.sub.count(" · ") + 1 if b.sub else 0
            lab = page.text(
                tx + pad,
                ly,
                b.label,
                width=tw - 2 * pad,
                size=9,
                min_size=6.5,
                max_lines=3,
                height=tile_h - (tiles_top - ly) - 0.14 * n_sub - 0.12,
                color=DARK,
            )
            if b.sub:
                page.text(
                    tx + pad,
                    tiles_top - tile_h + 0.1,
                    b.sub.replace(" · ", "\n"),
                    width=tw - 2 * pad,
                    size=7,
                    min_size=5.5,
                    max_lines=3,
                    va="bottom",
                    color=TEXT_GREY,
                )
            del lab

    # --- footnote (bottom up)
    foot_parts = [
        f"{t['source']}: {spec[f'source_{lang}']}"
        + (
            f", {period}"
            if (period := subtitle_period(semester, lang, synthetic=synthetic))
            else ""
        )
        + (
            f"; n = {fmt_int(_num(n_rec.get('value')), lang)}."
            if n_rec is not None
            and not _is_suppressed(n_rec)
            and _num(n_rec.get("value")) is not None
            else "."
        ),
        f"{t['methods']}: {spec[f'methods_{lang}']}",
    ]
    if _any_suppressed(ctx, n_suppressed):
        foot_parts.append(
            t["suppressed"].format(
                n=fmt_int(ctx.min_n, lang), label=fmt_suppressed(ctx.min_n, lang)
            )
        )
    if quotes:
        foot_parts.append(t["quotes_note"])
    agreement = ctx.fig("coding_agreement")  # only a run given a coded worksheet has it
    if agreement is not None and not _is_suppressed(agreement):
        label = agreement.get(f"label_{lang}") or agreement.get("label_fi") or ""
        if label:
            foot_parts.append(label.rstrip(".") + ".")
    if synthetic:
        foot_parts.append(t["synthetic"])
    foot = page.text(
        x0,
        MARGIN,
        " ".join(foot_parts),
        width=inner,
        size=7.5,
        min_size=6,
        max_lines=6,
        va="bottom",
        color=TEXT_GREY,
    )
    foot.set_gid("footnote")  # read last in the text alternative
    foot_top = MARGIN + page.extent(foot)[1]
    page.line(x0, x0 + inner, foot_top + 0.12)
    if synthetic:  # a visible stamp as well, so a printout is never mistaken for real results
        stamp = page.text(
            PAGE_W - MARGIN,
            PAGE_H - 0.38,
            t["synthetic"].split(" –")[0].upper(),
            width=inner * 0.35,
            size=8,
            min_size=6.5,
            max_lines=1,
            color="white",
            ha="right",
            fontweight="bold",
        )
        stamp.set_gid("stamp")  # the footnote says it in full

    # --- charts: natural height (capped rows), sharing what is left above a minimum theme/quote block
    charts = [c for c in (b(ctx) for b in spec["charts"]) if c is not None and c.bars][:MAX_CHARTS]
    c_top = tiles_top - tile_h - 0.35
    min_block = 2.35
    avail = c_top - (foot_top + 0.3 + min_block + 0.35) - 0.3 * max(len(charts) - 1, 0)
    heights = []
    if charts:
        natural = [
            0.45
            + 0.62 * len(c.bars)
            + (0.25 if c.caption else 0.0)
            + 0.12 * max(c.caption_lines - 2, 0)  # a caption allowed more lines gets room for them
            for c in charts
        ]
        scale = min(1.3, avail / sum(natural))
        heights = [h * scale for h in natural]
        c_top -= max(avail - sum(heights), 0.0) / 2  # spare room: split above and below the charts
    cy = c_top
    for c, h in zip(charts, heights, strict=True):
        _draw_chart(page, c, x0, cy, inner, h, lang, ctx.min_n)
        cy -= h + 0.3
    block_top = (cy + 0.3 - 0.35) if charts else c_top
    block_h = block_top - foot_top - 0.3

    # --- themes (left) and quotes (right)
    left_w = inner * 0.40
    right_x = x0 + left_w + 0.3
    right_w = inner - left_w - 0.3
    themes = _themes(ctx, spec, lang)[:4]
    ht = page.text(
        x0,
        block_top,
        spec.get(f"themes_title_{lang}", t["themes"]),
        width=left_w,
        size=11,
        min_size=8.5,
        max_lines=2,
        fontweight="bold",
        color=DARK,
    )
    yy = block_top - page.extent(ht)[1] - 0.16
    if not themes:
        page.text(x0, yy, t["no_themes"], width=left_w, size=9, color=TEXT_GREY)
    per = min((yy - (block_top - block_h)) / max(len(themes), 1), 0.75)
    for i, (txt, detail) in enumerate(themes):
        ry = yy - i * per
        page.ax.add_patch(
            Circle(
                (x0 + 0.14, ry - 0.13),
                0.13,
                facecolor=HIGHLIGHT if i == 0 else BLUE,
                edgecolor="none",
            )
        )
        page.ax.text(
            x0 + 0.14,
            ry - 0.13,
            str(i + 1),
            gid="theme-number",  # joins its theme in the text alternative
            fontsize=9,
            fontweight="bold",
            color="white",
            ha="center",
            va="center",
        )
        has_detail = bool(detail) and detail != txt
        tt = page.text(
            x0 + 0.38,
            ry,
            txt,
            width=left_w - 0.38,
            size=10,
            min_size=7,
            max_lines=2,
            height=per - (0.24 if has_detail else 0.08),
            fontweight="bold",
            color=DARK,
        )
        if has_detail:
            page.text(
                x0 + 0.38,
                ry - page.extent(tt)[1] - 0.03,
                detail,
                width=left_w - 0.38,
                size=8,
                min_size=6,
                max_lines=1,
                color=TEXT_GREY,
            )

    hq = page.text(
        right_x,
        block_top,
        t["quotes"],
        width=right_w,
        size=11,
        max_lines=1,
        fontweight="bold",
        color=DARK,
    )
    qy = block_top - page.extent(hq)[1] - 0.16
    q_bottom = block_top - block_h
    if not quotes:
        box_h = min(qy - q_bottom, 1.1)
        page.rect(right_x, qy - box_h, right_w, box_h, NSA_GREY, rounded=0.06, alpha=0.6)
        page.text(
            right_x + 0.2,
            qy - 0.18,
            t["no_quotes"],
            width=right_w - 0.4,
            size=10,
            min_size=7,
            max_lines=4,
            height=box_h - 0.3,
            color=TEXT_GREY,
        )
    else:
        shown_q = quotes[:3]
        per_q = min((qy - q_bottom) / len(shown_q), 1.3)
        for i, q in enumerate(shown_q):
            top_q = qy - i * per_q
            theme = _translate(q["theme"], lang, prefer="theme") if q["theme"] else ""
            room = per_q - 0.16 - (0.2 if theme else 0)
            qt = page.text(
                right_x + 0.18,
                top_q,
                f"”{q['quote']}”" if lang == "fi" else f"“{q['quote']}”",
                width=right_w - 0.18,
                size=10,
                min_size=6.5,
                height=room,
                style="italic",
                color=DARK,
            )
            used = page.extent(qt)[1]
            if theme:
                th = page.text(
                    right_x + 0.18,
                    top_q - used - 0.05,
                    theme,
                    width=right_w - 0.18,
                    size=7.5,
                    min_size=6,
                    max_lines=1,
                    color=TEXT_GREY,
                )
                used += 0.05 + page.extent(th)[1]
            page.rect(right_x, top_q - used, 0.05, used, BLUE)
    return page.fig
