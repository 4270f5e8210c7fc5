"""What the page takes from the key figures: the big-number tiles, the ranked theme list and whether
the footnote must say that groups were hidden."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sosrake_lib.fmt import (
    Lang,
    fmt_change,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_suppressed,
    fmt_value,
)

from .chart_data import Context, _bars_from_table, _is_suppressed, _num
from .texts import _TEXT, _translate, _unit


@dataclass(frozen=True)
class _Big:
    value: str
    label: str
    sub: str
    is_text: bool


def _big_numbers(ctx: Context, spec: Mapping[str, Any], lang: Lang) -> list[_Big]:
    """The big-number tiles: the first five entries of ``spec["big"]`` whose key figure is there.

    An entry is a name, ``(name, decimals)`` or a dict with ``name`` and optionally ``decimals``,
    ``caption_fi``/``caption_en`` (put before the figure's label), ``label_fi``/``label_en`` (instead of
    it), ``signed`` (a change: ``+0,3``), ``show_suppressed`` (a hidden figure keeps its tile and says
    ``piilotettu``, where otherwise the next figure takes it) and ``replaced_by`` (a key figure name: the
    entry is left out when that figure exists, so a tile gives way in a follow-up run).
    """
    out: list[_Big] = []
    t = _TEXT[lang]
    for entry in spec["big"]:
        opts: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}
        if isinstance(entry, Mapping):
            name, decimals, caption = (
                entry["name"],
                entry.get("decimals"),
                entry.get(f"caption_{lang}", ""),
            )
        else:
            (name, decimals), caption = ((entry, None) if isinstance(entry, str) else entry), ""
        rec = ctx.fig(name)
        if rec is None or len(out) >= 5:
            continue
        if opts.get("replaced_by") and ctx.fig(opts["replaced_by"]) is not None:
            continue
        unit = _unit(rec)
        value = rec.get("value")
        n = _num(rec.get("n"))
        sub_parts = []
        is_text = False
        if _is_suppressed(rec) and opts.get("show_suppressed"):
            ctx.used.add(name)
            label = opts.get(f"label_{lang}") or ctx.label(rec)
            out.append(_Big(fmt_suppressed(ctx.min_n, lang), label, "", True))
            continue
        if _is_suppressed(rec):
            continue  # a hidden number is no headline: the next figure takes the tile (the chart says it is hidden)
        if isinstance(value, str) and _num(value) is None:
            shown, is_text = _translate(value, lang), True
        elif _num(value) is None:
            continue  # not known (e.g. no target group size given): leave the tile to the next figure
        else:
            v = _num(value)
            shown = (
                fmt_change(v, lang, 1 if decimals is None else decimals)
                if opts.get("signed")
                else fmt_value(v, unit, lang, decimals)
            )
            lo, hi = _num(rec.get("ci_low")), _num(rec.get("ci_high"))
            if lo is not None and hi is not None:
                d = (
                    0
                    if decimals is None and unit in ("%", "NPS", "nps")
                    else (1 if decimals is None else decimals)
                )
                sub_parts.append(f"{t['ci']} {fmt_ci(lo, hi, lang, d, percent=unit == '%')}")
        if n is not None and unit != "n":
            sub_parts.append(t["n_people"].format(n=fmt_int(n, lang)))
        ctx.used.add(name)
        label = opts.get(f"label_{lang}") or ctx.label(rec)
        if caption and not is_text and caption.lower() not in label.lower():
            label = f"{caption}: {label}"
        out.append(_Big(shown, label, " · ".join(sub_parts), is_text))
    # fewer than 3: fill with other numeric figures, in file order
    for name, rec in ctx.figures.items():
        if len(out) >= 3:
            break
        if name in ctx.used or _num(rec.get("value")) is None:
            continue
        ctx.used.add(name)
        out.append(
            _Big(
                fmt_value(_num(rec.get("value")), str(rec.get("unit") or ""), lang),
                ctx.label(rec),
                "",
                False,
            )
        )
    return out


def _unit_value(rec: Mapping[str, Any], lang: Lang) -> str:
    """A value with a word for its unit: ``MWDS 7,2``, ``muutos +1,0``, ``keskiarvo 4,5``, ``57 %``."""
    unit, v = _unit(rec), _num(rec.get("value"))
    if v is None:
        return ""
    low = unit.lower()
    if "change" in low or "muutos" in low or "difference" in low:
        sign = "+" if v > 0 else ""
        return f"{'muutos' if lang == 'fi' else 'change'} {sign}{fmt_number(v, lang, 1)}"
    if low.startswith(("mean", "score")):
        return f"{'keskiarvo' if lang == 'fi' else 'mean'} {fmt_number(v, lang, 1)}"
    if unit in ("%", "n", "NPS"):
        return fmt_value(v, unit, lang)
    return f"{unit} {fmt_number(v, lang, 1)}".strip()


def _themes(ctx: Context, spec: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """(theme text, detail) pairs for the ranked list."""
    if callable(spec.get("themes")):
        return list(spec["themes"](ctx))
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in spec.get("themes", []):
        rec = ctx.fig(name)
        if rec is None:
            continue
        value = rec.get("value")
        if _is_suppressed(rec):
            text, detail = ctx.label(rec), fmt_suppressed(ctx.min_n, lang)
        elif isinstance(value, str) and _num(value) is None:
            text, detail = _translate(value, lang), ctx.label(rec)
        else:
            label = ctx.label(rec)
            text = label.rsplit(": ", 1)[
                -1
            ]  # "Suurin kasvu 1: Sosiaalinen raportointi" -> the area
            detail = _unit_value(rec, lang)
        if text and text not in seen:
            seen.add(text)
            items.append((text, detail))
    table_spec = spec.get("themes_table")
    if table_spec and len(items) < 3:
        key, label_col, value_col = table_spec  # a table key and two machine column names
        for b in _bars_from_table(ctx, key, label_col, value_col, sort_desc=True, top=5):
            if len(items) >= 4:
                break
            if b.label and b.label not in seen and (b.value or b.suppressed):
                seen.add(b.label)
                detail = (
                    fmt_suppressed(ctx.min_n, lang) if b.suppressed else fmt_percent(b.value, lang)
                )
                items.append((b.label, detail))
    return items


def _any_suppressed(ctx: Context, n_suppressed: int) -> bool:
    """Whether the page says that groups were hidden: a hidden key figure, or cells the analysis' own
    suppression table (``suppression``: cells hidden per table) counts."""
    if n_suppressed or any(_is_suppressed(r) for r in ctx.figures.values()):
        return True
    return any((_num(r.get("suppressed_cells")) or 0) > 0 for r in ctx.rows("suppression"))
