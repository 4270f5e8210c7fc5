"""The students' worked example runs on the sample and saves its figure."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from sosrake_lib.paths import NOTEBOOKS_DIR, PROJECT_ROOT

pytestmark = pytest.mark.notebook


def test_getting_started_runs_and_finds_the_planted_difference(tmp_path):
    out = tmp_path / "gs"
    executed = tmp_path / "00.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "00_getting_started.ipynb"),
        str(executed),
        parameters={"output_dir": str(out)},
        kernel_name="sosrake",
        cwd=str(PROJECT_ROOT),
        progress_bar=False,
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "area_means.pdf",
        "area_means.png",
        "area_means.svg",
    ]
    nb = nbformat.read(executed, as_version=4)
    text = "\n".join(
        str(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    # The cleaning log accounts for every row and the comparison names its test and effect size.
    assert "Luettiin 121 riviä" in text
    assert "Mann-Whitney U" in text and "rank-biserial r" in text
    # No identifier of the synthetic people is shown anywhere in the executed notebook.
    assert "@esimerkki.fi" not in executed.read_text(encoding="utf-8")
