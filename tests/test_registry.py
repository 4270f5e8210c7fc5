"""The registry of analyses: one entry per analysis, and the runner, CLI and infographic agree with it."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

from sosrake_lib import infographic, registry, runner
from sosrake_lib.cli import _parser
from sosrake_lib.errors import ConfigError, ExportError
from sosrake_lib.paths import NOTEBOOKS_DIR, SAMPLE_DIR
from sosrake_lib.pipeline import discover_exports


def test_every_analysis_has_a_notebook_an_infographic_and_a_command() -> None:
    names = list(registry.ANALYSES)
    assert names == ["competence", "interviews", "course"]
    assert set(infographic.SPECS) == set(names)
    choices = next(
        a
        for a in _parser()._subparsers._group_actions[0].choices["run"]._actions  # type: ignore[union-attr]
        if a.dest == "analysis"
    ).choices
    assert list(choices) == [*names, "all"]
    for a in registry.ANALYSES.values():
        assert (NOTEBOOKS_DIR / a.notebook).is_file(), a.notebook
        assert a.title("fi") and a.title("en") and a.title("fi") != a.title("en")


@pytest.mark.parametrize("name", list(registry.ANALYSES))
def test_parameters_of_each_analysis_are_the_notebooks_parameters(name: str) -> None:
    """The registry's parameter function and the notebook's parameter cell name the same parameters."""
    plans = runner.plan_analyses(name, SAMPLE_DIR)
    params = runner.notebook_parameters(
        plans[0],
        semester="s",
        output_dir=Path("/tmp/x"),
        lang="fi",
        min_cell_size=5,
        approved_quotes=None,
        target_size=160,
    )
    declared = pm.inspect_notebook(str(NOTEBOOKS_DIR / registry.ANALYSES[name].notebook))
    assert set(params) <= set(declared)
    required = {k for k, v in declared.items() if v.get("default") is None}
    assert required <= set(params)


def test_inputs_found_in_the_sample_by_role() -> None:
    found = discover_exports(SAMPLE_DIR)
    course = registry.ANALYSES["course"].find_inputs(found, SAMPLE_DIR, True)
    assert [(p.name, role) for p, _, role in course] == [
        ("course_enrolment_2021.csv", "enrolment"),
        ("course_pre_2021.csv", "pre"),
        ("course_post_2021.csv", "post"),
        ("course_feedback_2021.xlsx", "feedback"),
        ("competence_2020.xlsx", "baseline"),
    ]
    assert registry.ANALYSES["course"].find_inputs({}, SAMPLE_DIR, False) == []
    with pytest.raises(ExportError, match="no interviews export"):
        registry.ANALYSES["interviews"].find_inputs({}, SAMPLE_DIR, True)


def test_unknown_analysis_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown analysis 'kurssi'"):
        registry.selected("kurssi")


def test_parallel_runs_start_the_longest_notebook_first() -> None:
    ranks = sorted(registry.ANALYSES.values(), key=lambda a: a.run_rank)
    assert [a.name for a in ranks] == ["competence", "course", "interviews"]


def test_one_min_n_default_everywhere() -> None:
    """Every function that hides small groups defaults to settings.MIN_N: no literal 5 of its own."""
    import inspect
    import re

    from sosrake_lib import settings

    lib = Path(settings.__file__).parent
    literal = re.compile(
        r"\b(min_n|min_cell_size): int = 5\b"
    )  # (1 in the tests of stats: no rule)
    offenders = [
        f"{p.name}:{i}"
        for p in lib.rglob("*.py")
        if p.name != "settings.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line) and not line.lstrip().startswith((">>>", "..."))
    ]
    assert offenders == []
    from sosrake_lib.interviews import theme_top2
    from sosrake_lib.sdc import suppress_small_cells

    for fn in (theme_top2, suppress_small_cells):
        assert inspect.signature(fn).parameters["min_n"].default == settings.MIN_N


@pytest.mark.parametrize("name", list(registry.ANALYSES))
def test_every_published_header_reads_back_to_its_machine_name(name: str) -> None:
    from sosrake_lib.labels import for_analysis

    labels = for_analysis(name)
    assert len(labels.columns) > 20
    for column in labels.columns:
        for lang in ("fi", "en"):
            assert column in labels.machine_names(labels.header(column, lang), lang), (column, lang)
    assert labels.machine_names("not a header", "fi") == ["not a header"]


@pytest.mark.parametrize("name", list(registry.ANALYSES))
def test_notebooks_take_their_helpers_from_the_package(name: str) -> None:
    """save / show / say come from sosrake_lib.notebook.NotebookPage, not from a copy in each notebook."""
    import json

    nb = json.loads((NOTEBOOKS_DIR / registry.ANALYSES[name].notebook).read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "NotebookPage(" in code
    for helper in ("def save(", "def show(", "def say("):
        assert helper not in code, helper
    # tables are written by the one publish step (labels from sosrake_lib/labels_data), never directly
    assert "publish_tables(" in code and "write_tables(" not in code


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")))
def test_notebooks_choose_their_language_through_one_helper(notebook: str) -> None:
    """No ``"…" if lang == "fi" else "…"`` in a notebook: text in two languages goes through tr / say."""
    import json
    import re

    nb = json.loads((NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not re.search(r"\bif\s+lang\s*==", code), notebook
