"""The PDF font-subset cache: same text and glyphs in the PDF, one fontTools run per font, stable bytes."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backends import _backend_pdf_ps
from pypdf import PdfReader

from sosrake_lib import fontcache


def _pdf(text: str) -> bytes:
    fig, ax = plt.subplots(figsize=(3, 1))
    ax.set_axis_off()
    ax.text(0, 0.5, text)
    buf = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}):
        fig.savefig(
            buf, format="pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None}
        )
    plt.close(fig)
    return buf.getvalue()


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_install_is_idempotent_and_wraps_matplotlib() -> None:
    assert fontcache.install() is True
    first = _backend_pdf_ps.get_glyphs_subset
    assert fontcache.install() is True
    assert _backend_pdf_ps.get_glyphs_subset is first
    assert getattr(first, "sosrake_cached", False)


def test_text_survives_and_one_subset_serves_different_texts() -> None:
    fontcache.install()
    fontcache.clear()
    texts = ["Sosiaalityö – 95 %:n LV", "Ääni kuului: 4,2 ≥ 3", "Kohtaaminen parani (n = 12)"]
    for t in texts:
        assert _text(_pdf(t)) == t
    # every text is inside the Finnish superset: one cached subset of DejaVu Sans served all three PDFs
    assert len(fontcache._CACHE) == 1


def test_glyph_outside_the_superset_gets_its_own_subset() -> None:
    fontcache.install()
    fontcache.clear()
    _pdf("Alfa")
    assert _text(_pdf("Alfa α")) == "Alfa α"  # α is not in the superset
    assert len(fontcache._CACHE) == 2


def test_cold_and_warm_cache_give_the_same_bytes() -> None:
    fontcache.install()
    fontcache.clear()
    cold = _pdf("Haastattelut 2021-kevät")
    _pdf("jotain muuta ÅÄÖ")
    warm = _pdf("Haastattelut 2021-kevät")
    assert cold == warm
    assert b"CreationDate" not in cold


_SCRIPT = """
import io, sys, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
if sys.argv[1] == "cache":
    from sosrake_lib import fontcache
    fontcache.install()
for text in sys.argv[2:]:  # the last PDF is written out; earlier ones warm the cache
    fig, ax = plt.subplots(figsize=(3, 1))
    ax.set_axis_off()
    ax.text(0, 0.5, text)
    buf = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None})
    plt.close(fig)
sys.stdout.buffer.write(buf.getvalue())
"""


def _fresh(mode: str, *texts: str) -> bytes:
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode, *texts], capture_output=True, check=True
    ).stdout


def test_fresh_processes_agree_cold_warm_and_without_cache() -> None:
    """Re-runs are byte-identical whatever the cache held; without the cache the text is the same."""
    text = "Sama teksti, samat tavut – ä ö å"
    cold = _fresh("cache", text)
    assert _fresh("cache", "Muu teksti ensin: Å 1 234,5", text) == cold
    assert _fresh("cache", text) == cold
    plain = _fresh("plain", text)
    assert _text(plain) == _text(cold) == text
    assert len(plain) < len(cold)  # matplotlib's own subset holds only the glyphs used
