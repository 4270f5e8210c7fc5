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

Modules
-------
- :mod:`.render`: :func:`make_infographic` and :func:`page_charts` (the entry points), reading the
  key figures and approved quotes (:func:`read_approved_quotes`), saving the PDF and PNG.
- :mod:`.compose`: the whole page (header band, tiles, footnote, charts, themes, quotes).
- :mod:`.page`: page size and colours, :class:`_Page` (text fitted into a box, rectangles, rules).
- :mod:`.chart_drawing`: one horizontal bar chart on the page.
- :mod:`.key_figures`: the big-number tiles, the theme list, whether groups were hidden.
- :mod:`.chart_data`: :class:`Bar`, :class:`Chart`, :class:`Context`; bars from key figures or
  a table.
- :mod:`.texts`: the page's fixed texts, :func:`period_label`, codebook labels of areas and themes.
- :mod:`.specs`: :data:`SPECS`, assembled from :mod:`.competence`, :mod:`.interviews` and
  :mod:`.course` (each holding its analysis' spec and chart builders).

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
['infographic.pdf', 'infographic.png', 'infographic.txt']
>>> text = PdfReader(d / "infographic.pdf").pages[0].extract_text().replace("\\u00a0", " ")
>>> "55,6 %" in text and "Synteettinen esimerkkiaineisto" in text
True
"""

from __future__ import annotations

from pathlib import Path  # the docstring's example uses it

from sosrake_lib.quotes import is_approved

# also re-exported though not in __all__: ChartBuilder, INTERVIEW_THEMES, the page constants, and
# _bars_from_table (tests/test_infographic.py imports it)
from .chart_data import Bar, Chart, ChartBuilder, Context, _bars_from_table
from .interviews import INTERVIEW_THEMES
from .page import BLUE, DARK, DPI, MARGIN, PAGE_H, PAGE_W, TILE_BG, TRACK
from .render import make_infographic, page_charts, read_approved_quotes
from .specs import ANALYSES, SPECS
from .texts import period_label

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
