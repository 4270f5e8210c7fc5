"""What a chart is made of: :class:`Bar`, :class:`Chart`, the :class:`Context` a chart builder reads
(key figures by name, tables by key), and the helpers that turn key figures or a table into bars."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sosrake_lib.fmt import Lang, is_missing
from sosrake_lib.labels import for_analysis

from .texts import _label, _label_lookup, _translate


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, a value (or suppressed), an optional CI and a highlight flag."""

    label: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False
    highlight: bool = False
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """What one chart shows: ``kind`` is ``"percent"`` (0–100), ``"score"`` (``lo``–``hi``), ``"count"`` or
    ``"change"`` (signed values on ``lo``–``hi``, bars drawn from zero either way); ``caption_lines``: how many
    lines the caption may take."""

    title: str
    bars: tuple[Bar, ...]
    kind: str = "percent"
    lo: float = 0.0
    hi: float = 100.0
    decimals: int = 0
    caption: str = ""
    caption_lines: int = 2


@dataclass
class Context:
    """What a chart or theme builder may read: key figures by name, tables by key (:meth:`rows`), language;
    ``rounds``: the earlier and the later round of a follow-up run (``("2020", "2022")``), when known."""

    figures: dict[str, dict[str, Any]]
    lang: Lang
    min_n: int
    semester: str = ""
    analysis: str = ""
    folder: Path | None = None
    used: set[str] = field(default_factory=set)
    rounds: tuple[str, str] | None = None

    def fig(self, name: str) -> dict[str, Any] | None:
        return self.figures.get(name)

    def rows(self, key: str) -> list[dict[str, str]]:
        """A published table of the analysis by its key, with machine column names
        (:meth:`sosrake_lib.labels.Labels.read_table`): never by its translated headers."""
        if self.folder is None or not self.analysis:
            return []
        return for_analysis(self.analysis).read_table(self.folder, key, self.lang)

    def label(self, rec: Mapping[str, Any]) -> str:
        return _label(rec, self.lang)


ChartBuilder = Callable[[Context], Chart | None]


def _num(x: Any) -> float | None:
    if x is None or isinstance(x, bool) or is_missing(x):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        s = (
            str(x)
            .strip()
            .replace("\u2212", "-")
            .replace(",", ".")
            .replace("\u00a0", "")
            .rstrip("%")
            .strip()
        )
        try:
            v = float(s)
        except ValueError:
            return None
    return v if math.isfinite(v) else None


def _is_suppressed(rec: Mapping[str, Any]) -> bool:
    s = rec.get("suppressed")
    return bool(s) and str(s).strip().lower() not in ("false", "0", "")


def _bars_from_figures(
    ctx: Context, names: Sequence[str], *, label_from: str = "label", highlight_top: int = 0
) -> list[Bar]:
    """Bars from key figures (in ``names`` order, missing ones skipped). ``label_from="value"`` uses the
    figure's text value (e.g. an area id) as the bar label, for ranks whose value is a name."""
    bars = []
    for name in names:
        rec = ctx.fig(name)
        if rec is None:
            continue
        value = _num(rec.get("value"))
        bars.append(
            Bar(
                label=ctx.label(rec),
                value=value,
                ci_low=_num(rec.get("ci_low")),
                ci_high=_num(rec.get("ci_high")),
                suppressed=_is_suppressed(rec),
            )
        )
    if highlight_top:
        order = sorted(
            (i for i, b in enumerate(bars) if b.value is not None), key=lambda i: -bars[i].value
        )
        top = set(order[:highlight_top])
        bars = [
            Bar(b.label, b.value, b.ci_low, b.ci_high, b.suppressed, i in top)
            for i, b in enumerate(bars)
        ]
    return bars


def _bars_from_table(
    ctx: Context,
    key: str,
    label: str,
    value: str,
    *,
    low: str | None = None,
    high: str | None = None,
    n: str | None = None,
    code: str | None = None,
    top: int = 8,
    sort_desc: bool = False,
    highlight_top: int = 0,
    where: tuple[str, str] | None = None,
) -> list[Bar]:
    """Bars from the table ``key`` of the analysis, every column named by its machine name."""
    rows = ctx.rows(key)
    if where is not None:  # keep rows whose column equals the value
        rows = [r for r in rows if str(r.get(where[0], "")).strip() == where[1]]
    if not rows or label not in rows[0] or value not in rows[0]:
        return []
    bars = []
    for r in rows:
        raw = r.get(value, "")
        size = _num(r.get(n)) if n else None
        # a published table leaves a hidden cell empty: an empty value of a row about somebody is hidden
        suppressed = (size is not None and 0 < size < ctx.min_n) or (
            str(raw).strip() == "" and size != 0
        )
        v = None if suppressed else _num(raw)
        c = str(r.get(code, "")).strip() if code else ""
        text = (
            _translate(c, ctx.lang)
            if c in _label_lookup()
            else _translate(str(r.get(label, "")), ctx.lang)
        )
        bars.append(
            Bar(
                text,
                v,
                None if suppressed or not low else _num(r.get(low)),
                None if suppressed or not high else _num(r.get(high)),
                suppressed,
            )
        )
    if sort_desc:
        bars.sort(key=lambda b: -(b.value if b.value is not None else -math.inf))
    bars = bars[:top]
    if highlight_top:
        ranked = sorted(
            (i for i, b in enumerate(bars) if b.value is not None), key=lambda i: -bars[i].value
        )
        top_i = set(ranked[:highlight_top])
        bars = [
            Bar(b.label, b.value, b.ci_low, b.ci_high, b.suppressed, i in top_i)
            for i, b in enumerate(bars)
        ]
    return bars
