"""Faster PDF/PS export: subset each embedded font once per process instead of once per file.

Why this exists: with ``pdf.fonttype = 42`` (TrueType fonts, so text in a PDF stays editable for a designer) matplotlib subsets
the font with fontTools for every PDF it writes (``matplotlib.backends._backend_pdf_ps.get_glyphs_subset``).
For DejaVu Sans that takes 0.1-0.15 s per font per file, mostly spent decompiling and pruning the font's
OpenType layout tables — more than drawing the figure. A semester run writes some 40 PDFs with two or three
fonts each, so the same work was repeated about a hundred times.

:func:`install` wraps that function: the font is subset to a fixed *superset* of glyphs (every glyph that
Finnish, Swedish and English text and our number formatting use: Basic Latin, Latin-1, the dashes, quotes,
NBSP and narrow NBSP, minus sign, ≤ ≥ …) plus whatever a figure asks beyond it, and the subset is kept in
memory, keyed by font file, face and glyph set. Every later file reuses it, so the key is the same and
fontTools runs once per font and process. A PDF then carries ~300 glyphs of each font instead of the dozens it
uses (a few tens of kB more per file); the text, widths and ``ToUnicode`` map are exactly as before, because
matplotlib still maps only the glyphs it uses into the subset.

The wrapper touches a private matplotlib function, so it is defensive: it is installed only when the
function and ``SubsetResults`` look as in matplotlib 3.10+ (glyph-index API); otherwise nothing changes and
export is just slower. Results are returned as fresh fontTools objects, so callers may close or change them.

Examples
--------
>>> install()
True
>>> import io, matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.set_title("Äänestys – 5 %")
>>> buf = io.BytesIO()
>>> with plt.rc_context({"pdf.fonttype": 42}):
...     fig.savefig(buf, format="pdf")
>>> buf.getvalue()[:5]
b'%PDF-'
>>> plt.close(fig)
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Iterable
from typing import Any

_SUPERSET_TEXT = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2030"
    + "\u2032\u2033\u2039\u203a\u20ac\u2122\u2190\u2192\u2191\u2193\u2212\u2248\u2260\u2264\u2265\u00b2\u00b3"
    + "\u0160\u0161\u017d\u017e\u0152\u0153\u2116\u25cf\u25cb\u25a0\u2713\u2715"
)
"""Characters every cached subset holds (Finnish/Swedish/English text, our numbers and symbols)."""

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, frozenset[int]], tuple[bytes, dict[int, int]]] = {}


@functools.cache
def _superset_glyphs(path: str, face_index: int) -> frozenset[int]:
    """Glyph indices of :data:`_SUPERSET_TEXT` in the font (characters the font lacks are skipped)."""
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(path, face_index=face_index).get_charmap()
    return frozenset(charmap[ord(ch)] for ch in _SUPERSET_TEXT if ord(ch) in charmap)


def _wrap(original: Any, results_cls: Any) -> Any:
    from fontTools.ttLib import TTFont

    @functools.wraps(original)
    def get_glyphs_subset(fontfile: Any, glyphs: Iterable[int]) -> Any:
        path = str(fontfile)
        face = int(getattr(fontfile, "face_index", 0) or 0)
        wanted = frozenset(int(g) for g in glyphs)
        key = (path, face, _superset_glyphs(path, face) | wanted)
        with _LOCK:
            hit = _CACHE.get(key)
        if hit is None:
            with original(fontfile, set(key[2])) as res:
                buf = io.BytesIO()
                res.font.save(buf, reorderTables=False)
                hit = (buf.getvalue(), dict(res.glyph_index_map))
            with _LOCK:
                _CACHE[key] = hit
        data, index_map = hit
        # recalcTimestamp=False: saving the font again must not stamp the current time into the PDF.
        font = TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)
        return results_cls(font, dict(index_map))._as_cm()

    get_glyphs_subset.sosrake_cached = True  # type: ignore[attr-defined]
    return get_glyphs_subset


def install() -> bool:
    """Install the subset cache in matplotlib's PDF/PS backends (idempotent); ``True`` if it is active.

    Returns ``False`` (and changes nothing) on a matplotlib whose private font-subsetting function does not
    look as expected.
    """
    try:
        from matplotlib.backends import _backend_pdf_ps as shared
    except ImportError:  # pragma: no cover - matplotlib without PDF support
        return False
    original = getattr(shared, "get_glyphs_subset", None)
    results_cls = getattr(shared, "SubsetResults", None)
    if original is None or results_cls is None or not hasattr(results_cls, "_as_cm"):
        return False
    if getattr(original, "sosrake_cached", False):
        return True
    shared.get_glyphs_subset = _wrap(original, results_cls)
    return True


def clear() -> None:
    """Forget the cached subsets (tests)."""
    with _LOCK:
        _CACHE.clear()


__all__ = ["clear", "install"]
