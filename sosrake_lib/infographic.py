"""One-page A4 infographics composed from an analysis's key figures, tables and approved quotes.

:func:`make_infographic` reads what an analysis wrote into its output folder (``key_figures.json``,
``tables/*.csv`` and, for quotes, ``quotes_for_review.csv`` or a file the runner names) and draws one A4
portrait page, Finnish by default: a title band with the period and *n*, three to five big numbers, one or
two bar charts, the top themes, approved quotes (or a clear placeholder) and a footnote on method and
suppression. It writes ``infographic.pdf`` (TrueType fonts embedded, text editable: ``pdf.fonttype`` 42)
and ``infographic.png`` (300 dpi, 2480 × 3508 px), atomically and byte-identically on re-runs.

Design
------
- The page is one full-page axes measured in inches; every element is drawn natively (vector rectangles and
  text), no pasted bitmaps. Colours are the house Okabe–Ito palette (:mod:`sosrake_lib.plots`).
- What goes on the page is data, not code: :data:`SPECS` holds a small dict per analysis (title, which key
  figures become big numbers, which key figures or table feed each chart, which key figures are the top
  themes). The engine is tolerant: a missing or suppressed key figure is skipped as a big number and the
  next one used; in a chart a suppressed bar shows ``piilotettu`` / ``suppressed``
  (:func:`sosrake_lib.fmt.fmt_suppressed`).
- Every number goes through :mod:`sosrake_lib.fmt` (``55,6 %`` / ``55.6%``). Every text is fitted into its
  box by measuring it with the renderer: it is wrapped (:func:`sosrake_lib.plots.wrap_label` hyphenates
  long Finnish compounds) and its font shrunk until it fits, so long words never overflow.
- Only quotes whose ``approved`` cell is truthy (``true``, ``1``, ``kyllä``, ``x``, ``yes``) are printed;
  they are passed through :func:`sosrake_lib.privacy.scrub_pii` once more as a safety net.

Examples
--------
>>> import json, tempfile
>>> from pypdf import PdfReader
>>> d = Path(tempfile.mkdtemp())
>>> figs = [{"name": "enrolled", "value": 63, "unit": "n", "n": 63, "label_fi": "Ilmoittautuneet",
...          "label_en": "Enrolled"},
...         {"name": "completion_rate", "value": 55.56, "unit": "%", "n": 63, "ci_low": 43.3,
...          "ci_high": 67.2, "label_fi": "Suorittaneet", "label_en": "Completed"}]
>>> _ = (d / "key_figures.json").write_text(json.dumps({"key_figures": figs}), encoding="utf-8")
>>> [p.name for p in make_infographic(d, "course", semester="2021-syksy", synthetic=True)]
['infographic.pdf', 'infographic.png']
>>> text = PdfReader(d / "infographic.pdf").pages[0].extract_text().replace("\\u00a0", " ")
>>> "55,6 %" in text and "Synteettinen esimerkkiaineisto" in text
True
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from matplotlib.text import Text

from sosrake_lib import fontcache
from sosrake_lib.atomic import atomic_path
from sosrake_lib.fmt import (
    NBSP,
    Lang,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_suppressed,
    fmt_value,
    is_missing,
)
from sosrake_lib.labels import for_analysis
from sosrake_lib.plots import HIGHLIGHT, NSA_GREY, OKABE_ITO, TEXT_GREY, house_rc, wrap_label
from sosrake_lib.quotes import is_approved, load_approved_quotes
from sosrake_lib.registry import ANALYSES as REGISTRY

from .settings import MIN_N

ANALYSES = tuple(REGISTRY)  # the analyses that have an infographic: every one in the registry

DPI = 300
PAGE_W = 2480 / DPI
"""A4 width in inches, chosen so the 300-dpi PNG is exactly 2480 px (210 mm = 8.268 in)."""
PAGE_H = 3508 / DPI
"""A4 height in inches (3508 px at 300 dpi; 297 mm = 11.693 in)."""
MARGIN = 0.55

BLUE = OKABE_ITO[0]
DARK = "#1a1a1a"
TRACK = "#e8eef5"
TILE_BG = "#f1f5fa"


_PDF_META = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
_PNG_META = {"Software": None}

# ------------------------------------------------------------------------------------------ page texts

_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "kicker": "SOSRAKE-osaamisverkosto · rakenteellinen sosiaalityö",
        "themes": "Keskeiset teemat",
        "quotes": "Lainauksia",
        "no_quotes": "Lainauksia ei ole vielä hyväksytty – tarkista quotes_for_review.csv",
        "no_themes": "Teemoja ei ole raportoitu.",
        "source": "Lähde",
        "methods": "Menetelmät",
        "suppressed": "”{label}”: luku kuvaa alle {n} vastaajaa, tai siitä voisi laskea toisen piilotetun luvun.",
        "synthetic": "Synteettinen esimerkkiaineisto – keksityt henkilöt, ei oikeita vastauksia.",
        "quotes_note": "Lainaukset on tarkistettu ja hyväksytty ennen julkaisua.",
        "ci": "95\u00a0% lv",
        "n_people": "n = {n}",
        "pct_of": "{pct} ilmoittautuneista",
        "missing": "ei tietoa",
    },
    "en": {
        "kicker": "SOSRAKE competence network · structural social work",
        "themes": "Key themes",
        "quotes": "Quotes",
        "no_quotes": "No quotes have been approved yet – check quotes_for_review.csv",
        "no_themes": "No themes reported.",
        "source": "Source",
        "methods": "Methods",
        "suppressed": "“{label}”: the figure describes fewer than {n} respondents, or a hidden one could be worked out from it.",
        "synthetic": "Synthetic sample data – invented people, not real answers.",
        "quotes_note": "Quotes were reviewed and approved before publication.",
        "ci": "95%\u00a0CI",
        "n_people": "n = {n}",
        "pct_of": "{pct} of enrolled",
        "missing": "no data",
    },
}

_SEASONS = {
    "syksy": ("Syksy", "Autumn"),
    "kevat": ("Kevät", "Spring"),
    "kevät": ("Kevät", "Spring"),
    "kesa": ("Kesä", "Summer"),
    "kesä": ("Kesä", "Summer"),
    "talvi": ("Talvi", "Winter"),
    "autumn": ("Syksy", "Autumn"),
    "fall": ("Syksy", "Autumn"),
    "spring": ("Kevät", "Spring"),
    "summer": ("Kesä", "Summer"),
}


def period_label(semester: str, lang: Lang = "fi") -> str:
    """A readable period from a semester code: ``"2021-syksy"`` → ``"Syksy 2021"`` / ``"Autumn 2021"``.

    Codes that do not look like ``<year>-<season>`` (or ``<season>-<year>``) are returned unchanged.

    Examples
    --------
    >>> period_label("2021-syksy"), period_label("2022-kevat", "en"), period_label("sample")
    ('Syksy 2021', 'Spring 2022', 'sample')
    """
    m = re.fullmatch(r"\s*(\d{4})[-_ ]([^\d\W]+)\s*|\s*([^\d\W]+)[-_ ](\d{4})\s*", str(semester))
    if not m:
        return str(semester)
    year = m.group(1) or m.group(4)
    season = (m.group(2) or m.group(3)).lower()
    if season not in _SEASONS:
        return str(semester)
    return f"{_SEASONS[season][0 if lang == 'fi' else 1]} {year}"


# ------------------------------------------------------------------------------------------ specs


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
    """What one chart shows: ``kind`` is ``"percent"`` (0–100), ``"score"`` (``lo``–``hi``) or ``"count"``."""

    title: str
    bars: tuple[Bar, ...]
    kind: str = "percent"
    lo: float = 0.0
    hi: float = 100.0
    decimals: int = 0
    caption: str = ""


@dataclass
class Context:
    """What a chart or theme builder may read: key figures by name, tables by key (:meth:`rows`), language."""

    figures: dict[str, dict[str, Any]]
    lang: Lang
    min_n: int
    semester: str = ""
    analysis: str = ""
    folder: Path | None = None
    used: set[str] = field(default_factory=set)

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


# --- per-analysis chart builders ----------------------------------------------------------------------


def _competence_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx,
        "development_needs",
        "area_label",
        "mwds",
        low="mwds_ci_low",
        high="mwds_ci_high",
        n="n",
        code="area",
        sort_desc=True,
        top=7,
        highlight_top=3,
    )
    if bars:
        whisker = any(b.ci_low is not None for b in bars)
        caption = (
            (
                "Suurempi luku = suurempi ero tärkeyden ja osaamisen välillä; oranssi = kolme suurinta"
                + ("; viiksi = 95\u00a0%:n luottamusväli." if whisker else ".")
            )
            if fi
            else (
                "Higher = larger gap between importance and competence; orange = top three"
                + ("; whisker = 95% confidence interval." if whisker else ".")
            )
        )
        top = max(max(b.ci_high or 0 for b in bars), max(b.value or 0 for b in bars))
        return Chart(
            "Koulutustarve osaamisalueittain (Borichin MWDS)"
            if fi
            else "Training need by competence area (Borich MWDS)",
            tuple(bars),
            kind="score",
            lo=0.0,
            hi=float(math.ceil(top)),
            decimals=1,
            caption=caption,
        )
    bars = _bars_from_figures(ctx, [f"need_rank_{i}" for i in range(1, 4)])
    bars = [b for b in bars if b.value is not None or b.suppressed]
    if bars:
        return Chart(
            "Suurimmat koulutustarpeet (Borichin MWDS)"
            if fi
            else "Largest training needs (Borich MWDS)",
            tuple(bars),
            kind="score",
            lo=0.0,
            hi=max(5.0, max(b.value or 0 for b in bars)),
            decimals=1,
        )
    return None


def _competence_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx,
        "area_scores",
        "area_label",
        "mean",
        low="ci_low",
        high="ci_high",
        n="n",
        code="area",
        top=7,
        where=("role", "competence"),
    )
    if not bars:
        return None
    return Chart(
        "Oma osaaminen osaamisalueittain (1–5)" if fi else "Self-rated competence by area (1–5)",
        tuple(bars),
        kind="score",
        lo=1.0,
        hi=5.0,
        decimals=1,
    )


def _interviews_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = [
        dataclasses.replace(b, label=_translate(t, ctx.lang))
        for t in INTERVIEW_THEMES
        for b in _bars_from_figures(ctx, [f"{t}_top2"])
    ]
    if not bars:
        return None
    return Chart(
        "Myönteiset kokemukset teemoittain (osuus 4–5 asteikolla 1–5)"
        if fi
        else "Positive experiences by theme (share 4–5 on a 1–5 scale)",
        tuple(bars),
        kind="percent",
        caption="Viiksi = 95\u00a0%:n luottamusväli (Wilson)."
        if fi
        else "Whisker = 95% confidence interval (Wilson).",
    )


def _interviews_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    rows = [r for r in ctx.rows("open_answer_themes") if r.get("question") == "open_missing"]
    sems = sorted({str(r.get("semester", "")) for r in rows})
    latest = ctx.semester if ctx.semester in sems else (sems[-1] if sems else "")
    bars = []
    for r in rows:
        if str(r.get("semester", "")) != latest:
            continue
        v, c = _num(r.get("pct")), _num(r.get("count"))
        if (
            c == 0
            or (v is not None and v <= 0)
            or str(r.get("theme", "")).strip().lower() in _UNCODED
        ):
            continue
        suppressed = v is None or (c is not None and c < ctx.min_n)
        label = (
            str(r.get("theme_label") or "")
            if fi
            else _translate(str(r["theme"]), ctx.lang, prefer="theme")
        )
        bars.append(Bar(label, None if suppressed else v, suppressed=suppressed))
    bars.sort(key=lambda b: -(b.value if b.value is not None else -1.0))
    bars = bars[:5]
    if not bars:
        return None
    bars[0] = dataclasses.replace(bars[0], highlight=bars[0].value is not None)
    return Chart(
        "Mitä asiakkaat kaipasivat (% avovastauksista)"
        if fi
        else "What clients missed (% of open answers)",
        tuple(bars),
        kind="percent",
        caption=(
            f"Kysymys: Mitä palvelusta puuttui? {period_label(latest, 'fi')}."
            if fi
            else f"Question: what was missing from the service? {period_label(latest, 'en')}."
        ),
    )


def _course_chart(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    steps = [
        ("enrolled", "Ilmoittautui", "Enrolled"),
        ("started", "Aloitti", "Started"),
        ("completed", "Suoritti", "Completed"),
    ]
    base = _num((ctx.fig("enrolled") or {}).get("value"))
    bars = []
    for name, lab_fi, lab_en in steps:
        rec = ctx.fig(name)
        if rec is None:
            continue
        v = _num(rec.get("value"))
        pct = None if (v is None or not base) else 100 * v / base
        note = (
            ""
            if pct is None or name == "enrolled"
            else _TEXT[ctx.lang]["pct_of"].format(pct=fmt_percent(pct, ctx.lang, 1))
        )
        bars.append(Bar(lab_fi if fi else lab_en, v, suppressed=_is_suppressed(rec), note=note))
    if len(bars) < 2:
        return None
    hi = max((b.value or 0) for b in bars) or 1.0
    return Chart(
        "Osallistujat kurssin aikana" if fi else "Participants through the course",
        tuple(bars),
        kind="count",
        lo=0.0,
        hi=hi,
    )


def _course_chart2(ctx: Context) -> Chart | None:
    fi = ctx.lang == "fi"
    bars = _bars_from_table(
        ctx, "feedback_parts", "part_label", "mean", low="ci_low", high="ci_high", n="n", top=7
    )
    if bars:
        return Chart(
            "Palaute kurssin osista (keskiarvo 1–5)"
            if fi
            else "Feedback on course parts (mean 1–5)",
            tuple(bars),
            kind="score",
            lo=1.0,
            hi=5.0,
            decimals=1,
        )
    bars = _bars_from_figures(ctx, [f"gain_rank_{i}" for i in range(1, 4)])
    bars = [b for b in bars if b.value is not None or b.suppressed]
    if not bars:
        return None
    return Chart(
        "Suurimmat osaamisen muutokset (mediaani, 1–5)"
        if fi
        else "Largest competence gains (median, 1–5)",
        tuple(bars),
        kind="score",
        lo=0.0,
        hi=max(2.0, max(b.value or 0 for b in bars)),
        decimals=1,
    )


def _interviews_themes(ctx: Context) -> list[tuple[str, str]]:
    """Strongest and weakest THL theme (share of 4–5 answers) and the theme clients missed most."""
    fi = ctx.lang == "fi"
    found = []
    for theme in INTERVIEW_THEMES:
        rec = ctx.fig(f"{theme}_top2")
        if rec is not None and not _is_suppressed(rec) and _num(rec.get("value")) is not None:
            found.append((float(_num(rec.get("value"))), theme))  # type: ignore[arg-type]
    items: list[tuple[str, str]] = []
    if len(found) >= 2:
        best, worst = max(found), min(found)
        pos = "myönteisiä" if fi else "positive"
        items.append(
            (
                _translate(best[1], ctx.lang),
                f"{'Vahvin kokemus' if fi else 'Strongest experience'} · {fmt_percent(best[0], ctx.lang)} {pos}",
            )
        )
        items.append(
            (
                _translate(worst[1], ctx.lang),
                f"{'Eniten kehitettävää' if fi else 'Most to improve'} · {fmt_percent(worst[0], ctx.lang)} {pos}",
            )
        )
    rec = ctx.fig("top_missing_theme")
    if rec is not None and isinstance(rec.get("value"), str) and not _is_suppressed(rec):
        detail = "Eniten kaivattiin avovastauksissa" if fi else "Missed most in open answers"
        pct = ctx.fig("top_missing_theme_pct")
        if pct is not None and not _is_suppressed(pct) and _num(pct.get("value")) is not None:
            detail += f" · {fmt_percent(_num(pct.get('value')), ctx.lang)}"
        items.append((_translate(rec["value"], ctx.lang, prefer="theme"), detail))
    return items


INTERVIEW_THEMES = ("saatavuus", "kohtaaminen", "turvallisuus", "tiedonsaanti", "hyodyllisyys")

SPECS: dict[str, dict[str, Any]] = {
    "competence": {
        "title_fi": "Rakenteellisen sosiaalityön osaaminen aikuissosiaalipalveluissa",
        "title_en": "Structural social work competence in adult social services",
        "subtitle_fi": "Osaamiskartoitus",
        "subtitle_en": "Competence mapping",
        "n": ["n_respondents"],
        "n_word_fi": "vastaajaa",
        "n_word_en": "respondents",
        "big": [
            "n_respondents",
            ("response_rate", 1),
            {
                "name": "strongest_area",
                "caption_fi": "Vahvin osaamisalue",
                "caption_en": "Strongest area",
            },
            {
                "name": "weakest_area",
                "caption_fi": "Heikoin osaamisalue",
                "caption_en": "Weakest area",
            },
            {
                "name": "need_rank_1",
                "caption_fi": "Suurin koulutustarve",
                "caption_en": "Largest training need",
            },
        ],
        "charts": [_competence_chart, _competence_chart2],
        "themes": ["need_rank_1", "need_rank_2", "need_rank_3"],
        "themes_title_fi": "Suurimmat koulutustarpeet",
        "themes_title_en": "Largest training needs",
        "source_fi": "sähköinen osaamiskartoitus aikuissosiaalipalvelujen työntekijöille ja esihenkilöille",
        "source_en": "online competence self-assessment of adult social services staff and supervisors",
        "methods_fi": "Koulutustarpeet Borichin mallilla (tärkeyden ja osaamisen painotettu erotus, MWDS). "
        "Osuuksien 95\u00a0%:n luottamusvälit Wilsonin menetelmällä; useat vertailut Holmin korjauksella. "
        "”En osaa sanoa” on laskettu, mutta jätetty keskiarvojen ulkopuolelle.",
        "methods_en": "Training needs by the Borich model (weighted gap between importance and competence, MWDS). "
        "95% confidence intervals for proportions by Wilson; multiple comparisons Holm-corrected. "
        "“Don't know” is counted but left out of means.",
    },
    "interviews": {
        "title_fi": "Palvelukokemukset näkyväksi",
        "title_en": "Making service experiences visible",
        "subtitle_fi": "Aikuissosiaalityön asiakkaiden haastattelut",
        "subtitle_en": "Interviews with adult social work clients",
        "n": ["n_interviews"],
        "n_word_fi": "haastattelua",
        "n_word_en": "interviews",
        "big": [
            "n_interviews",
            "nps",
            "nps_change",
            "turvallisuus_top2",
            "n_students",
            "kohtaaminen_top2",
        ],
        "charts": [_interviews_chart, _interviews_chart2],
        "themes": _interviews_themes,
        "themes_title_fi": "Keskeiset havainnot",
        "themes_title_en": "Key findings",
        "source_fi": "sosionomiopiskelijoiden tekemät asiakashaastattelut (Xamk, Essote)",
        "source_en": "client interviews by social services students (Xamk, Essote)",
        "methods_fi": "THL:n asiakaspalautemalli. NPS = suosittelijoiden (9–10) % − arvostelijoiden (0–6) %, "
        "asteikko −100…100. Myönteiset = vastaukset 4–5; 95\u00a0%:n luottamusvälit Wilsonin "
        "menetelmällä; useat vertailut Holmin korjauksella. Teemat avovastauksista koodikirjalla.",
        "methods_en": "THL client feedback model. NPS = % promoters (9–10) − % detractors (0–6), range −100…100. "
        "Positive = answers 4–5; 95% confidence intervals by Wilson; multiple comparisons "
        "Holm-corrected. Themes coded from open answers with a codebook.",
    },
    "course": {
        "title_fi": "Rakenteellisen sosiaalityön koulutuspilotti",
        "title_en": "Structural social work course pilot",
        "subtitle_fi": "Kurssin arviointi (5 op)",
        "subtitle_en": "Course evaluation (5 ECTS)",
        "n": ["enrolled"],
        "n_word_fi": "ilmoittautunutta",
        "n_word_en": "enrolled",
        "big": ["enrolled", "completed", ("completion_rate", 1), "nps", "best_part", "n_pairs"],
        "charts": [_course_chart, _course_chart2],
        "themes": ["gain_rank_1", "gain_rank_2", "gain_rank_3"],
        "themes_title_fi": "Osaaminen kasvoi eniten",
        "themes_title_en": "Largest competence gains",
        "source_fi": "kurssin ilmoittautumiset, osaamisen itsearvio alussa ja lopussa sekä loppupalaute",
        "source_en": "course enrolments, competence self-assessment at start and end, and final feedback",
        "methods_fi": "Suoritusosuuden 95\u00a0%:n luottamusväli Wilsonin menetelmällä. Osaamisen muutos parittain "
        "(Wilcoxonin merkittyjen sijalukujen testi), osa-alueet Holmin korjauksella. "
        "NPS = suosittelijoiden (9–10) % − arvostelijoiden (0–6) %.",
        "methods_en": "95% confidence interval of the completion rate by Wilson. Competence change paired "
        "(Wilcoxon signed-rank test), areas Holm-corrected. NPS = % promoters (9–10) − % "
        "detractors (0–6).",
    },
}
"""Per-analysis page specification. ``big`` lists key-figure names (or ``(name, decimals)``) in priority
order: the first 3–5 that exist become big numbers. ``charts`` are builders ``Context -> Chart | None``.
``themes`` lists key figures shown as the ranked theme list (text values are translated through the
codebooks' area and theme labels)."""


# ------------------------------------------------------------------------------------------ labels


@lru_cache(maxsize=1)
def _lookups() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(areas, themes): id → (label_fi, label_en) from the codebooks' areas and the theme codebooks."""
    import yaml

    from sosrake_lib.codebook import available_instruments, load_instrument
    from sosrake_lib.paths import THEMES_DIR

    areas: dict[str, tuple[str, str]] = {}
    themes: dict[str, tuple[str, str]] = {}
    for name in available_instruments():
        try:
            inst = load_instrument(name)
        except Exception:  # a broken codebook must not stop the page
            continue
        for area_id, area in inst.areas.items():
            areas.setdefault(
                str(area_id), (area.get("label_fi", area_id), area.get("label_en", area_id))
            )
    for path in sorted(Path(THEMES_DIR).glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except Exception:
            continue
        for theme in doc.get("themes", []) or []:
            tid = str(theme.get("id", ""))
            if tid:
                themes.setdefault(tid, (theme.get("label_fi", tid), theme.get("label_en", tid)))
    # a Finnish label is a key too, so a table written in Finnish still gets English labels on an English page
    for table in (areas, themes):
        for pair in list(table.values()):
            table.setdefault(str(pair[0]), pair)
    return areas, themes


def _label_lookup() -> dict[str, tuple[str, str]]:
    areas, themes = _lookups()
    return themes | areas


def _translate(value: str, lang: Lang, *, prefer: str = "area") -> str:
    """A codebook id (area, or open-answer theme) becomes its label in ``lang``; other text is unchanged."""
    areas, themes = _lookups()
    order = (areas, themes) if prefer == "area" else (themes, areas)
    key = str(value).strip()
    for table in order:
        if key in table:
            return table[key][0 if lang == "fi" else 1]
    return str(value)


_UNCODED = {"uncoded", "_uncoded", "ei_luokiteltu", "other", "muu"}
_TRAILING_NUMBER = re.compile(r"\s+[+\u2212-]?\d[\d\u00a0,.]*(?:\s?%)?$")
_LEADING_NUMBER = re.compile(r"^[+\u2212-]?\d[\d\s\u00a0,.]*(?:\s?%)?\s+(?=\w)")


def _label(rec: Mapping[str, Any], lang: Lang) -> str:
    """The key figure's label; a leading copy of the number ("20 % koki ...") is dropped: the tile shows it."""
    for key in (f"label_{lang}", "label_fi", "name"):
        v = rec.get(key)
        if isinstance(v, str) and v.strip():
            text = _TRAILING_NUMBER.sub("", _LEADING_NUMBER.sub("", v.strip()))
            return text[:1].upper() + text[1:]
    return ""


def _unit(rec: Mapping[str, Any]) -> str:
    unit = str(rec.get("unit") or "")
    return "NPS" if unit.lower().startswith("nps") else unit


# ------------------------------------------------------------------------------------------ inputs


def _read_key_figures(path: Path) -> list[dict[str, Any]]:
    import json

    if not path.exists():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = doc.get("key_figures", []) if isinstance(doc, dict) else doc
    return [dict(r) for r in rows if isinstance(r, Mapping) and r.get("name")]


def read_approved_quotes(path: Path | str | None) -> list[dict[str, str]]:
    """Approved rows of a quotes file as ``{"theme", "quote"}`` dicts (see
    :func:`sosrake_lib.quotes.load_approved_quotes`: scrubbed once more; a missing file gives ``[]``)."""
    table = load_approved_quotes(path)
    themes = table["theme"] if "theme" in table else [""] * len(table)
    return [
        {"theme": str(t).strip(), "quote": q} for t, q in zip(themes, table["quote"], strict=True)
    ]


# ------------------------------------------------------------------------------------------ page drawing


def _wrap(text: str, width: int) -> str:
    """:func:`~sosrake_lib.plots.wrap_label` that never breaks a line at a no-break space (``55,6 %``)."""
    return wrap_label(text.replace(NBSP, "\x00"), width).replace("\x00", NBSP)


class _Page:
    """A4 page: one axes in inch coordinates (origin bottom-left) and a renderer to measure text."""

    def __init__(self) -> None:
        self.fig = Figure(
            figsize=(PAGE_W, PAGE_H), dpi=DPI, layout="none"
        )  # measure as the PNG renders
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, PAGE_W)
        self.ax.set_ylim(0, PAGE_H)
        self.ax.set_axis_off()
        self.renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def extent(self, t: Text) -> tuple[float, float]:
        bb = t.get_window_extent(self.renderer)
        return bb.width / self.fig.dpi, bb.height / self.fig.dpi

    def text(
        self,
        x: float,
        y: float,
        s: str,
        *,
        width: float,
        size: float,
        min_size: float | None = None,
        max_lines: int = 99,
        height: float | None = None,
        ha: str = "left",
        va: str = "top",
        **kw: Any,
    ) -> Text:
        """Draw ``s`` so it fits ``width`` (and ``height``/``max_lines``): wrap, then shrink the font.

        Returns the text artist; if even ``min_size`` cannot fit, the smallest wrapped version is kept and
        the lines beyond ``max_lines`` are cut with "…" (never overflowing the box).
        """
        min_size = size if min_size is None else min_size
        longest = max((len(w) for w in s.split()), default=1)
        # first pass: shrink (to 80 %) before hyphenating a word; second pass: hyphenate as well
        whole = self._fit(
            x, y, s, width, size, max(min_size, 0.8 * size), max_lines, height, longest, ha, va, kw
        )
        if whole is not None:
            return whole
        fs = size
        last: Text | None = None
        while True:
            est = max(4, int(width * 72 / (fs * 0.5)) + 2)
            for chars in range(est, 3, -1):
                wrapped = _wrap(s, chars)
                t = self.ax.text(x, y, wrapped, fontsize=fs, ha=ha, va=va, **kw)
                w, h = self.extent(t)
                lines = wrapped.count("\n") + 1
                if w <= width * 0.98:
                    if lines <= max_lines and (height is None or h <= height):
                        if last is not None:
                            last.remove()
                        return t
                    if last is not None:
                        last.remove()
                    last = t
                    break
                t.remove()
            if fs - 0.5 < min_size - 1e-9:
                break
            fs -= 0.5
        assert last is not None
        lines = last.get_text().split("\n")
        keep = max_lines
        if height is not None:
            per_line = self.extent(last)[1] / len(lines)
            keep = min(keep, max(1, int(height / per_line)))
        if len(lines) > keep:
            cut = lines[:keep]
            cut[-1] = cut[-1].rstrip("-").rstrip() + " …"
            last.set_text("\n".join(cut))
        return last

    def _fit(
        self,
        x: float,
        y: float,
        s: str,
        width: float,
        size: float,
        min_size: float,
        max_lines: int,
        height: float | None,
        min_chars: int,
        ha: str,
        va: str,
        kw: Mapping[str, Any],
    ) -> Text | None:
        """Largest font in ``[min_size, size]`` whose wrap without breaking words fits; else ``None``."""
        fs = size
        while fs >= min_size - 1e-9:
            est = max(min_chars, int(width * 72 / (fs * 0.5)) + 2)
            for chars in range(est, min_chars - 1, -1):
                wrapped = _wrap(s, chars)
                t = self.ax.text(x, y, wrapped, fontsize=fs, ha=ha, va=va, **kw)
                w, h = self.extent(t)
                if w <= width * 0.98:
                    if wrapped.count("\n") + 1 <= max_lines and (height is None or h <= height):
                        return t
                    t.remove()
                    break
                t.remove()
            fs -= 0.5
        return None

    def rect(
        self, x: float, y: float, w: float, h: float, color: str, *, rounded: float = 0.0, **kw: Any
    ) -> None:
        if rounded:
            self.ax.add_patch(
                FancyBboxPatch(
                    (x, y),
                    w,
                    h,
                    boxstyle=f"round,pad=0,rounding_size={rounded}",
                    facecolor=color,
                    edgecolor="none",
                    **kw,
                )
            )
        else:
            self.ax.add_patch(Rectangle((x, y), w, h, facecolor=color, edgecolor="none", **kw))

    def line(self, x0: float, x1: float, y: float, color: str = "#b0b0b0", lw: float = 0.8) -> None:
        self.ax.plot([x0, x1], [y, y], color=color, linewidth=lw, solid_capstyle="butt")


@dataclass(frozen=True)
class _Big:
    value: str
    label: str
    sub: str
    is_text: bool


def _big_numbers(ctx: Context, spec: Mapping[str, Any], lang: Lang) -> list[_Big]:
    out: list[_Big] = []
    t = _TEXT[lang]
    for entry in spec["big"]:
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
        unit = _unit(rec)
        value = rec.get("value")
        n = _num(rec.get("n"))
        sub_parts = []
        is_text = False
        if _is_suppressed(rec):
            continue  # a hidden number is no headline: the next figure takes the tile (the chart says it is hidden)
        if isinstance(value, str) and _num(value) is None:
            shown, is_text = _translate(value, lang), True
        elif _num(value) is None:
            continue  # not known (e.g. no target group size given): leave the tile to the next figure
        else:
            v = _num(value)
            shown = fmt_value(v, unit, lang, decimals)
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
        label = ctx.label(rec)
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

    With room (rows of 0.45 in or more) each bar sits under its own full-width label, so long Finnish
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
            max_lines=2,
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
    label_w = width * 0.36 if inline else width
    track_x = x + label_w + 0.15 if inline else x
    track_w = x + width - value_w - track_x
    span = (chart.hi - chart.lo) or 1.0
    if inline:
        bar_h = min(0.2, row * 0.5)
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
        if chart.kind == "percent":
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
        color="white",
        alpha=0.85,
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
    sub = [spec[f"subtitle_{lang}"], period_label(semester, lang)]
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
        f"{t['source']}: {spec[f'source_{lang}']}, {period_label(semester, lang)}"
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
    foot_top = MARGIN + page.extent(foot)[1]
    page.line(x0, x0 + inner, foot_top + 0.12)
    if synthetic:  # a visible stamp as well, so a printout is never mistaken for real results
        page.text(
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

    # --- charts: natural height (capped rows), sharing what is left above a minimum theme/quote block
    charts = [c for c in (b(ctx) for b in spec["charts"]) if c is not None and c.bars][:2]
    c_top = tiles_top - tile_h - 0.35
    min_block = 2.35
    avail = c_top - (foot_top + 0.3 + min_block + 0.35) - 0.3 * max(len(charts) - 1, 0)
    heights = []
    if charts:
        natural = [0.45 + 0.62 * len(c.bars) + (0.25 if c.caption else 0.0) for c in charts]
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


def _save(fig: Figure, pdf: Path, png: Path) -> None:
    fontcache.install()  # the PDF's fonts are subset once per process (shared with the analysis figures)
    rc = {k: v for k, v in house_rc().items() if k.startswith(("pdf.", "ps.", "svg."))}
    with mpl.rc_context(rc):
        with atomic_path(pdf) as tmp:
            fig.savefig(tmp, format="pdf", metadata=_PDF_META)
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, metadata=_PNG_META)


def _context(
    folder: Path, analysis: str, lang: Lang, min_cell_size: int, semester: str
) -> tuple[Context, int, list[dict[str, Any]]]:
    import json

    kf_path = folder / "key_figures.json"
    if not kf_path.exists():
        raise ValueError(f"{kf_path} not found: run the analysis first")
    doc = json.loads(kf_path.read_text(encoding="utf-8"))
    n_suppressed = int(doc.get("n_suppressed", 0) or 0) if isinstance(doc, dict) else 0
    records = _read_key_figures(kf_path)
    ctx = Context(
        {str(r["name"]): r for r in records},
        lang,
        int(min_cell_size),
        semester=str(semester),
        analysis=analysis,
        folder=folder,
    )
    return ctx, n_suppressed, records


def page_charts(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    min_cell_size: int = MIN_N,
) -> list[Chart]:
    """The charts the infographic of an analysis draws, as data (for checks: the Finnish and the English page
    must carry the same numbers)."""
    ctx, _, _ = _context(Path(analysis_dir), analysis, lang, min_cell_size, semester)
    return [c for c in (build(ctx) for build in SPECS[analysis]["charts"]) if c is not None]


def make_infographic(
    analysis_dir: Path | str,
    analysis: str,
    *,
    lang: Lang = "fi",
    semester: str,
    approved_quotes: Path | str | None = None,
    min_cell_size: int = MIN_N,
    synthetic: bool | None = None,
) -> list[Path]:
    """Compose the one-page A4 infographic of an analysis and write ``infographic.pdf`` and ``.png``.

    Parameters
    ----------
    analysis_dir : path
        The analysis output folder holding ``key_figures.json``, ``tables/*.csv`` and possibly
        ``quotes_for_review.csv``. The infographic is written into it.
    analysis : {"competence", "interviews", "course"}
        Which page specification (:data:`SPECS`) to use.
    lang : {"fi", "en"}
        Language of every text on the page (Finnish by default).
    semester : str
        Period code, e.g. ``"2021-syksy"`` (shown as "Syksy 2021").
    approved_quotes : path, optional
        Quotes file to use instead of ``analysis_dir/quotes_for_review.csv``; only rows with a truthy
        ``approved`` cell are printed, otherwise a placeholder says none are approved.
    min_cell_size : int
        Disclosure threshold: suppressed values show "alle N" and the footnote says groups were hidden.
    synthetic : bool, optional
        Mark the page as synthetic sample data. ``None``: inferred from the key figures (a note or method
        mentioning synthetic data) or an ``analysis_dir`` path containing ``sample``.

    Returns
    -------
    list of Path
        ``[infographic.pdf, infographic.png]``.

    Raises
    ------
    ValueError
        For an unknown ``analysis`` or ``lang``, or when ``key_figures.json`` is missing.
    """
    if analysis not in SPECS:
        raise ValueError(f"analysis must be one of {sorted(SPECS)}, not {analysis!r}")
    if lang not in ("fi", "en"):
        raise ValueError(f"lang must be 'fi' or 'en', not {lang!r}")
    folder = Path(analysis_dir)
    ctx, n_suppressed, records = _context(folder, analysis, lang, min_cell_size, semester)
    quotes_file = (
        Path(approved_quotes) if approved_quotes is not None else folder / "quotes_for_review.csv"
    )
    quotes = read_approved_quotes(quotes_file)
    if synthetic is None:
        blob = " ".join(str(r.get(k, "")) for r in records for k in ("note", "method")).lower()
        synthetic = (
            "synteet" in blob
            or "synthetic" in blob
            or "sample" in {p.lower() for p in folder.resolve().parts}
        )
    rc = house_rc() | {
        "figure.constrained_layout.use": False
    }  # the page is laid out by hand, in inches
    with mpl.rc_context(rc):
        fig = _compose(
            ctx,
            SPECS[analysis],
            lang=lang,
            semester=semester,
            quotes=quotes,
            synthetic=bool(synthetic),
            n_suppressed=n_suppressed,
        )
        pdf, png = folder / "infographic.pdf", folder / "infographic.png"
        _save(fig, pdf, png)
    return [pdf, png]


__all__ = [
    "ANALYSES",
    "SPECS",
    "Bar",
    "Chart",
    "Context",
    "is_approved",
    "read_approved_quotes",
    "make_infographic",
    "page_charts",
    "period_label",
]
