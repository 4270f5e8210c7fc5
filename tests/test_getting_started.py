"""The students' worked example reads as Finnish teaching material, and its exercises can be checked.

The notebook is executed three times with Papermill, as a student would run it:

- as committed (Finnish, every answer still ``None``): tables with Finnish headers, numbers with a decimal
  comma, p-values as ``p < 0,001``, a "Näin luet tuloksen" paragraph after every result;
- with the right answers typed into the exercise cells: every check says "oikein";
- in English with wrong answers: every check says "not yet – hint", and the tables are in English.

The p-value formatter those sentences use (:func:`sosrake_lib.fmt.fmt_p`) is tested on known values here too.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from sosrake_lib.fmt import fmt_p
from sosrake_lib.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from sosrake_lib.report import format_cell

NOTEBOOK = NOTEBOOKS_DIR / "00_getting_started.ipynb"

#: The answers to the exercises on the sample data with the default parameters, worked out by hand:
#: 1. four roles (54 social workers, 42 counsellors, 12 supervisors, 10 others) all have >= 5 people;
#: 2. Cronbach's alpha of the planted weak area "yhteiso" is 0.374; 3. 17 "don't know" answers to C_VT1
#: in the raw export, 16 after cleaning; 4. the planted difference favours Kainuu.
RIGHT = {1: "4", 2: '"0,37"', 3: "16", 4: '"Kainuun sote"'}
#: Wrong answers, each a mistake a student could make (3 groups; the alpha of the other area; counting
#: the raw table; the other organisation).
WRONG = {1: "3", 2: "0.79", 3: "17", 4: '"Essote"'}

#: Machine names that must not reach a reader: the columns and values the library works with.
INTERNAL = {
    "kept",
    "raw total",
    "status",
    "rows",
    "group",
    "in_test",
    "effect_size",
    "effect_size_name",
    "p_value",
    "area",
    "mean",
    "median",
    "sd",
    "q1",
    "q3",
    "count",
    "std",
    "_row",
    "organisation",
    "role",
}
MACHINE_VALUES = {
    "essote",
    "kainuu",
    "social_worker",
    "social_counsellor",
    "competence",
    "True",
    "False",
}


def _run(
    tmp: Path, nb: nbformat.NotebookNode | Path, **parameters: object
) -> nbformat.NotebookNode:
    executed = tmp / "executed.ipynb"
    pm.execute_notebook(
        nb if isinstance(nb, nbformat.NotebookNode) else str(nb),
        str(executed),
        parameters={"output_dir": str(tmp / "out"), **parameters},
        kernel_name="sosrake",
        cwd=str(PROJECT_ROOT),
        progress_bar=False,
    )
    return nbformat.read(executed, as_version=4)


def _with_answers(answers: dict[int, str]) -> nbformat.NotebookNode:
    """The notebook with ``answer_<n> = None`` replaced by the answer, as a student types it."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for no, value in answers.items():
        placeholder = f"answer_{no} = None"
        cells = [c for c in nb.cells if c.cell_type == "code" and placeholder in c.source]
        assert len(cells) == 1, placeholder
        assert "exercise" in cells[0].metadata.get("tags", [])
        cells[0].source = cells[0].source.replace(placeholder, f"answer_{no} = {value}")
    return nb


@pytest.fixture(scope="module")
def as_committed(tmp_path_factory) -> tuple[nbformat.NotebookNode, Path]:
    tmp = tmp_path_factory.mktemp("gs_fi")
    return _run(tmp, NOTEBOOK), tmp


@pytest.fixture(scope="module")
def right_answers(tmp_path_factory) -> nbformat.NotebookNode:
    return _run(tmp_path_factory.mktemp("gs_right"), _with_answers(RIGHT))


@pytest.fixture(scope="module")
def wrong_answers_en(tmp_path_factory) -> nbformat.NotebookNode:
    return _run(tmp_path_factory.mktemp("gs_wrong"), _with_answers(WRONG), lang="en")


# ------------------------------------------------------------------------------------------ reading outputs
def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.metadata.get("tags", []))


def _markdown(output: nbformat.NotebookNode) -> str | None:
    return output.get("data", {}).get("text/markdown")


def _table_html(output: nbformat.NotebookNode) -> str | None:
    text = output.get("data", {}).get("text/html")
    return text if text and "<table" in text else None


def _headers(table: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r"<th[^>]*class=\"col_heading[^>]*>(.*?)</th>", table, re.S)
    ]


def _cells(table: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    ]


def _shown_text(nb: nbformat.NotebookNode) -> str:
    """Everything a reader sees as text: printed text, Markdown results, table headers and cells."""
    parts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.outputs:
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type == "error":
                parts.append(f"{o.ename}: {o.evalue}")
            elif (md := _markdown(o)) is not None:
                parts.append(md)
            elif (table := _table_html(o)) is not None:
                parts.extend(_headers(table) + _cells(table))
            elif "text/plain" in o.get("data", {}) and "image/png" not in o.data:
                parts.append(o.data["text/plain"])
    return "\n".join(parts)


def _tables(nb: nbformat.NotebookNode) -> list[str]:
    return [
        t for c in nb.cells if c.cell_type == "code" for o in c.outputs if (t := _table_html(o))
    ]


def _checks(nb: nbformat.NotebookNode) -> dict[int, str]:
    """Exercise number -> what its check said."""
    said: dict[int, str] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "exercise" in _tags(cell):
            for o in cell.outputs:
                md = _markdown(o) or ""
                if m := re.match(r"\*\*(?:Harjoitus|Exercise) (\d+):\*\* (.*)", md, re.S):
                    said[int(m.group(1))] = m.group(2)
    return said


# --------------------------------------------------------------------------------------------------- tests
@pytest.mark.notebook
def test_runs_saves_its_figure_and_finds_the_planted_difference(as_committed):
    nb, tmp = as_committed
    assert sorted(p.name for p in (tmp / "out").iterdir()) == [
        "area_means.alt.txt",  # the figure's text alternative, beside it
        "area_means.pdf",
        "area_means.png",
        "area_means.svg",
    ]
    text = _shown_text(nb)
    assert "Luettiin 121 riviä; otsikkorivi oli tiedoston rivillä 3." in text
    assert "*Rivejä viennissä* = *Mukana* + poistetut: 121 = 118 + 3." in text
    assert (
        "Mann–Whitneyn U-testi: p < 0,001. Vaikutuksen suuruus rank-biserial r = 0,79: vastaajat "
        in text
    )
    assert (
        "organisaatiossa Kainuun sote arvioivat yhteistyöosaamisensa korkeammaksi kuin vastaajat "
        in text
    )
    assert (
        "Cronbachin alfa, alue ”Monialainen yhteistyö ja HYTE-työ”: 0,79 (95 %:n luottamusväli "
        in text
    )
    assert not any(
        o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    # no identifier of the synthetic people is shown anywhere
    assert "@esimerkki.fi" not in nbformat.writes(nb)


@pytest.mark.notebook
def test_every_table_has_finnish_headers_and_readable_values(as_committed):
    nb, _ = as_committed
    tables = _tables(nb)
    assert len(tables) == 5  # codebook, raw rows, cleaning log, area scores, the two groups
    headers = [h for t in tables for h in _headers(t)]
    assert not [h for h in headers if h in INTERNAL or re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]
    assert {
        "Tunnus",
        "Väittämä",
        "Rivi tiedostossa",
        "Rivejä viennissä",
        "Mukana",
        "Vastaajia",
        "Keskihajonta",
        "Organisaatio",
        "Mukana testissä",
    } <= set(headers)
    values = {v for t in tables for v in _cells(t)}
    assert not values & MACHINE_VALUES
    assert {"Kainuun sote", "Sosiaalityöntekijä", "kyllä", "3,70"} <= values
    # every table goes through the display machinery (no DataFrame printed as it is)
    plain = [
        o.data["text/plain"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/plain" in o.get("data", {})
        and not ({"text/html", "image/png", "text/markdown"} & set(o.data))
    ]
    assert plain == []


@pytest.mark.notebook
def test_numbers_and_p_values_are_written_as_a_reader_expects(as_committed):
    nb, _ = as_committed
    text = _shown_text(nb)
    assert "p < 0,001" in text
    # every p is "p < 0,001" or "p = 0,xxx"
    ps = re.findall(r"\bp\s*[=<>≤]\s*\S+", text)
    assert ps and all(re.fullmatch(r"p (< 0,001|= [01],\d{3})[.,;:]?", p) for p in ps), ps
    assert not re.search(r"\d[eE][-+]?\d", text), "scientific notation"
    assert not re.search(r"\d\.\d", text), "a decimal point in Finnish text"
    # the effect size is named and read in Finnish, never the library's English name
    assert "higher than" not in text and "rank-biserial r (>" not in text
    assert "Vaikutuksen suuruus rank-biserial r = 0,79" in text


@pytest.mark.notebook
def test_every_result_is_followed_by_how_to_read_it(as_committed):
    nb, _ = as_committed
    result_cells = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.outputs
        and not {"exercise", "checker", "parameters", "injected-parameters"} & set(_tags(c))
    ]
    assert len(result_cells) == 8
    for cell in result_cells:
        readings = [
            i for i, o in enumerate(cell.outputs) if (_markdown(o) or "").startswith("**Näin luet")
        ]
        # one reading per result cell, after every result it shows
        assert readings == [len(cell.outputs) - 1], cell.source[:80]
        reading = _markdown(cell.outputs[-1])
        assert reading.startswith("**Näin luet tuloksen:** ")
        # one part says what the number means, one what it does not mean
        assert re.search(r"\b(ei|eivät|eikä)\b", reading), reading


@pytest.mark.notebook
def test_unanswered_exercises_run_and_ask_for_an_answer(as_committed):
    nb, _ = as_committed
    said = _checks(nb)
    assert sorted(said) == [1, 2, 3, 4]
    assert all(s.startswith("ei vielä vastausta") for s in said.values()), said


@pytest.mark.notebook
def test_the_checks_accept_the_right_answers(right_answers):
    said = _checks(right_answers)
    assert sorted(said) == [1, 2, 3, 4]
    assert all(s.startswith("oikein!") for s in said.values()), said


@pytest.mark.notebook
def test_the_checks_reject_wrong_answers_with_a_hint_in_english_too(wrong_answers_en):
    said = _checks(wrong_answers_en)
    assert sorted(said) == [1, 2, 3, 4]
    assert all(s.startswith("not yet – hint: ") for s in said.values()), said
    assert "raw table" in said[3]  # counted before cleaning
    assert "alpha of `yhteistyo`" in said[2]  # the other area's alpha
    # the English run: English headers, decimal points, p as "p < 0.001", reading paragraphs in English
    text = _shown_text(wrong_answers_en)
    headers = {h for t in _tables(wrong_answers_en) for h in _headers(t)}
    assert {"Respondents", "In the test", "Raw rows", "Statement"} <= headers
    assert "Mann–Whitney U test: p < 0.001. Effect size rank-biserial r = 0.79" in text
    assert "**How to read it:** " in text and "Näin luet" not in text
    assert not re.search(r"\d[eE][-+]?\d", text)


# ------------------------------------------------------------------------------------------------- fmt_p
@pytest.mark.parametrize(
    ("p", "lang", "expected"),
    [
        (2.3e-13, "fi", "p < 0,001"),
        (2.3e-13, "en", "p < 0.001"),
        (0.0, "fi", "p < 0,001"),
        (0.000999, "fi", "p < 0,001"),
        (0.001, "fi", "p = 0,001"),
        (0.0014999, "en", "p = 0.001"),
        (0.0125, "fi", "p = 0,013"),  # half away from zero, not half to even
        (0.01234, "fi", "p = 0,012"),
        (0.0496, "fi", "p = 0,050"),
        (0.5, "en", "p = 0.500"),
        (1.0, "fi", "p = 1,000"),
    ],
)
def test_fmt_p_known_values(p, lang, expected):
    assert fmt_p(p, lang) == expected


def test_fmt_p_missing_and_out_of_range():
    assert fmt_p(None) == fmt_p(math.nan) == "–"
    for bad in (-0.01, 1.2):
        with pytest.raises(ValueError, match="between 0 and 1"):
            fmt_p(bad)
    with pytest.raises(ValueError, match="lang"):
        fmt_p(0.5, "sv")  # type: ignore[arg-type]


@pytest.mark.parametrize("p", [0.0, 1e-5, 0.000999, 0.001, 0.0125, 0.04567, 0.0496, 0.5, 1.0])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_fmt_p_and_the_table_cell_follow_one_rule(p, lang):
    """A sentence and a table cell write the same p the same way (the cell without the ``p``)."""
    assert fmt_p(p, lang, with_p=False) == format_cell(p, "p", lang)
    assert fmt_p(p, lang).removeprefix("p = ").removeprefix("p ") == format_cell(p, "p", lang)
