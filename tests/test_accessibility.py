"""Accessibility of the HTML reports (WCAG 2.1 AA; Finnish law 306/2019 asks it of public-sector publications).

The reports of a Finnish and an English run of the sample are checked with axe-core in the distribution's
headless Chromium (``tools/a11y/check.mjs``; ``npm ci --prefix tools/a11y`` installs axe-core and
playwright-core, pinned in its ``package-lock.json``; the browser is Debian's ``chromium`` package, never a
downloaded build). Where no browser or Node.js can be had, the axe test is skipped with the reason; the checks
that need no browser (page language, heading order) always run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sosrake_lib import runner
from sosrake_lib.paths import PROJECT_ROOT, SAMPLE_DIR

pytestmark = pytest.mark.notebook

CHECK = PROJECT_ROOT / "tools" / "a11y" / "check.mjs"
BROWSER = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """{lang: [report.html of each analysis]} for a Finnish and an English run of the sample."""
    out = {}
    for lang in ("fi", "en"):
        folder = tmp_path_factory.mktemp(f"a11y_{lang}")
        runner.run_semester(
            "all",
            semester="s",
            raw=SAMPLE_DIR,
            out=folder,
            lang=lang,
            progress=False,
            target_size=160,
            processed_dir=folder / "processed",
        )
        out[lang] = sorted((folder / "s").glob("*/report.html"))
        assert len(out[lang]) == 3
    return out


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.img_alts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.img_alts.append(dict(attrs).get("alt"))


def _outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_report_states_the_language_it_is_written_in(reports, lang: str) -> None:
    """WCAG 3.1.1: a screen reader reads a Finnish report with Finnish pronunciation only if lang="fi"."""
    assert [_outline(p).lang for p in reports[lang]] == [lang] * 3


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_report_headings_start_at_one_and_never_skip_a_level(reports, lang: str) -> None:
    for path in reports[lang]:
        levels = _outline(path).headings
        assert levels and levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_figure_has_an_alt_text_that_states_its_numbers(reports, lang: str) -> None:
    """WCAG 1.1.1: each figure's alt is its own text with its numbers (not nbconvert's placeholder)."""
    placeholder = "No description has been provided for this image"
    for path in reports[lang]:
        alts = _outline(path).img_alts
        assert len(alts) >= 4, path  # every analysis report shows figures
        for alt in alts:
            assert alt and alt != placeholder and re.search(r"\d", alt), (path, alt)
        figures = sorted((path.parent / "figures").glob("*.alt.txt"))
        texts = {f.read_text(encoding="utf-8").strip() for f in figures}
        assert len(figures) == len(alts) and set(alts) == texts, (
            path
        )  # the same text beside the files
    shown = " ".join(a or "" for p in reports[lang] for a in _outline(p).img_alts)
    hidden_word = "piilotettu" if lang == "fi" else "suppressed"
    assert hidden_word in shown  # the hidden parts are named in the text too
    assert (" tai " not in shown) if lang == "en" else (" or " not in shown)  # one language


def _axe(paths: list[Path]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js: the axe-core check needs it (Debian package nodejs)")
    if not BROWSER.exists():
        pytest.skip(
            f"no browser at {BROWSER}: install Debian's chromium (apt-get install chromium)"
        )
    if not (CHECK.parent / "node_modules" / "axe-core").is_dir():
        pytest.skip("axe-core is not installed: npm ci --prefix tools/a11y (make test does it)")
    res = subprocess.run(
        [node, str(CHECK), "--browser", str(BROWSER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if res.returncode == 3:
        pytest.skip(f"the browser cannot start here: {res.stderr.strip()}")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_axe_finds_no_serious_or_critical_violation(reports, lang: str) -> None:
    """axe-core with the WCAG 2.0/2.1 A and AA rules in headless Chromium: nothing serious or critical."""
    result = _axe(reports[lang])
    assert set(result["reports"]) == {str(p) for p in reports[lang]}  # every report was checked
    bad = {
        path: [v for v in violations if v["impact"] in ("serious", "critical")]
        for path, violations in result["reports"].items()
    }
    assert bad == {path: [] for path in bad}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_semester_is_written_one_way_on_a_page(reports, lang: str) -> None:
    """The interviews report writes "Syksy 2022" / "Autumn 2022" in titles, tables, crosstab headers and figure
    groups; the code "2022-syksy" is left only inside export file names (interviews_2022-syksy.csv)."""
    (path,) = [p for p in reports[lang] if p.parent.name == "interviews"]
    html = path.read_text(encoding="utf-8")
    codes = [m.group() for m in re.finditer(r"\b20\d\d-syksy\b(?!\.csv)", html)]
    assert codes == []
    assert html.count({"fi": "Syksy 2022", "en": "Autumn 2022"}[lang]) >= 10
