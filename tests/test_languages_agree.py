"""The Finnish and the English run publish the same numbers (issue: one way to publish).

The infographic used to re-read translated CSV headers and guess columns: with ``--lang en`` the interviews
chart of what clients missed mixed both questions, both semesters and uncoded answers (it looked for
``question_id`` and found the question text), and the competence MWDS chart lost its intervals
(``MWDS, CI low`` vs ``MWDS CI low``). The infographic now reads a table by its key and machine column names
(:mod:`sosrake_lib.labels`), whatever the language of the published headers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sosrake_lib import runner
from sosrake_lib.infographic import page_charts
from sosrake_lib.paths import SAMPLE_DIR

pytestmark = pytest.mark.notebook
ANALYSES = ("competence", "interviews", "course")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for lang in ("fi", "en"):
        folder = tmp_path_factory.mktemp(f"lang_{lang}")
        runner.run_semester(
            "all",
            semester="sample",
            raw=SAMPLE_DIR,
            out=folder,
            lang=lang,
            target_size=160,
            progress=False,
            processed_dir=None,
        )
        out[lang] = folder / "sample"
    return out


def _numbers(chart) -> list[tuple]:
    return [(b.value, b.ci_low, b.ci_high, b.suppressed, b.highlight) for b in chart.bars]


@pytest.mark.parametrize("analysis", ANALYSES)
def test_infographic_charts_carry_the_same_numbers_in_both_languages(runs, analysis: str) -> None:
    fi = page_charts(runs["fi"] / analysis, analysis, lang="fi", semester="sample")
    en = page_charts(runs["en"] / analysis, analysis, lang="en", semester="sample")
    assert len(fi) == len(en) == 2
    for cf, ce in zip(fi, en, strict=True):
        assert _numbers(cf) == _numbers(ce), (cf.title, ce.title)
        assert len(cf.bars) >= 3
    if analysis == "competence":  # the MWDS chart keeps its intervals in English
        assert all(b.ci_low is not None for b in en[0].bars if b.value is not None)


@pytest.mark.parametrize("analysis", ANALYSES)
def test_key_figures_carry_the_same_numbers_in_both_languages(runs, analysis: str) -> None:
    docs = {
        lang: json.loads((runs[lang] / analysis / "key_figures.json").read_text("utf-8"))
        for lang in runs
    }
    fi, en = docs["fi"]["key_figures"], docs["en"]["key_figures"]
    assert [r["name"] for r in fi] == [r["name"] for r in en]
    for a, b in zip(fi, en, strict=True):
        for key in ("value", "n", "ci_low", "ci_high", "suppressed", "unit"):
            if isinstance(a.get(key), str) and key == "value":
                continue  # a text value (an area's name) is in the run's language
            assert a.get(key) == b.get(key), (a["name"], key)


INFOGRAPHIC_TABLES = {
    "competence": ["development_needs", "area_scores", "suppression"],
    "interviews": ["open_answer_themes", "suppression"],
    "course": ["feedback_parts", "suppression"],
}


@pytest.mark.parametrize("analysis", ANALYSES)
def test_tables_read_back_by_machine_names_are_the_same_in_both_languages(
    runs, analysis: str
) -> None:
    """Every table the infographic reads comes back with the same machine columns and the same numbers from
    the Finnish and the English files (headers and file names differ: suoritussuppilo / completion_funnel)."""
    from sosrake_lib.labels import for_analysis

    labels = for_analysis(analysis)
    for key in INFOGRAPHIC_TABLES[analysis]:
        fi = labels.read_table(runs["fi"] / analysis, key, "fi")
        en = labels.read_table(runs["en"] / analysis, key, "en")
        assert fi and len(fi) == len(en), key
        numeric = [c for c in fi[0] if c in en[0] and all(_is_number(r[c]) for r in fi)]
        assert (
            {"suppressed_cells"} <= set(numeric) if key == "suppression" else len(numeric) >= 3
        ), key
        for rf, re_ in zip(fi, en, strict=True):
            assert [rf[c] for c in numeric] == [re_[c] for c in numeric], key


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text == ""
    return True


@pytest.mark.parametrize("analysis", ANALYSES)
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_key_figure_source_points_at_its_number(runs, analysis: str, lang: str) -> None:
    """A key figure's ``source`` (table, column, row) finds exactly one row of the published table, and the
    number there is the key figure's (rounded as the figure is)."""
    from sosrake_lib.labels import for_analysis

    doc = json.loads((runs[lang] / analysis / "key_figures.json").read_text("utf-8"))
    labels, checked = for_analysis(analysis), 0
    for kf in doc["key_figures"]:
        src = kf.get("source")
        if not src:
            continue
        rows = [
            r
            for r in labels.read_table(runs[lang] / analysis, src["table"], lang)
            if all(r.get(k) == str(v) for k, v in src["row"].items())
        ]
        assert len(rows) == 1, (kf["name"], src)
        cell = rows[0][src["column"]]
        if kf["suppressed"] or kf["value"] is None:
            continue
        if isinstance(kf["value"], str):
            assert cell == kf["value"], kf["name"]
        else:
            assert abs(float(cell) - kf["value"]) <= 0.5, (kf["name"], cell, kf["value"])
        checked += 1
    assert checked >= 4
