"""`sosrake run`: the semester runner on the sample (layout, HTML without code, infographic, manifest,
reproducibility) and its failure modes (broken export, failing notebook)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from sosrake_lib import ExportError, runner
from sosrake_lib.cli import main
from sosrake_lib.paths import SAMPLE_DIR

pytestmark = pytest.mark.notebook
ANALYSES = ("competence", "interviews", "course")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Run all analyses twice on the sample, into two output folders."""
    outs = []
    for k in range(2):
        out = tmp_path_factory.mktemp(f"run{k}")
        runner.run_semester(
            "all",
            semester="testi-syksy",
            raw=SAMPLE_DIR,
            out=out,
            progress=False,
            processed_dir=out / "processed",
        )
        outs.append(out / "testi-syksy")
    return outs


def test_layout_of_every_analysis(two_runs):
    base = two_runs[0]
    assert sorted(p.name for p in base.iterdir()) == sorted(ANALYSES)
    # The cleaned data are stored too: parquet + cleaning log per export, no names or e-mails.
    processed = base.parent / "processed" / "testi-syksy"
    assert sorted(p.name for p in processed.glob("*.parquet")) == sorted(
        p.with_suffix(".parquet").name
        for p in SAMPLE_DIR.iterdir()
        if p.suffix in (".csv", ".xlsx")
    )
    comp = pd.read_parquet(processed / "competence_2020.parquet")
    assert len(comp) == 118 and "email" not in comp and "name" not in comp
    assert comp["respondent_id"].str.fullmatch(r"ps_[0-9a-f]{16}").all()
    for analysis in ANALYSES:
        d = base / analysis
        for name in (
            "key_figures.json",
            "key_figures.csv",
            "report.html",
            "infographic.pdf",
            "infographic.png",
            "manifest.json",
            "notebook.ipynb",
            "tables/tables.xlsx",
        ):
            assert (d / name).is_file(), f"{analysis}: {name} missing"
        pngs = list((d / "figures").glob("*.png"))
        assert pngs, f"{analysis}: no figures"
        for png in pngs:
            for suffix in (".svg", ".pdf"):
                assert png.with_suffix(suffix).is_file()
        assert list((d / "tables").glob("*.csv"))
    assert (base / "interviews" / "quotes_for_review.csv").is_file()
    # No temporary folders are left beside the results.
    assert not [p for p in base.parent.rglob("*") if p.name.endswith((".partial", ".tmp"))]


def test_html_report_has_no_code_cells(two_runs):
    for analysis in ANALYSES:
        html = (two_runs[0] / analysis / "report.html").read_text(encoding="utf-8")
        assert html.count('class="jp-Cell jp-CodeCell') > 3  # the code cells' outputs are there ...
        assert "hl-ipython3" not in html and not re.search(
            r'class="[^"]*\bjp-InputPrompt\b', html
        )  # ... not code
        assert "import sosrake_lib" not in html and "from sosrake_lib" not in html
        assert "<h1" in html or "<h2" in html  # the Finnish narrative is there


def test_infographic_is_a4_portrait(two_runs):
    from PIL import Image
    from pypdf import PdfReader

    for analysis in ANALYSES:
        reader = PdfReader(two_runs[0] / analysis / "infographic.pdf")
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5
        with Image.open(two_runs[0] / analysis / "infographic.png") as img:
            assert img.size == (2480, 3508)


def test_manifest_contents(two_runs):
    for analysis in ANALYSES:
        m = json.loads((two_runs[0] / analysis / "manifest.json").read_text(encoding="utf-8"))
        assert m["analysis"] == analysis and m["semester"] == "testi-syksy"
        assert m["synthetic_sample"] is True
        assert {"pandas", "statsmodels", "papermill", "python"} <= set(m["packages"])
        assert m["git_commit"]
        assert m["created_utc"].endswith("+00:00")
        for entry in m["inputs"]:
            assert entry["sha256"] == runner.sha256_of(SAMPLE_DIR / entry["file"])
            assert entry["kept"] + sum(entry["dropped"].values()) == entry["raw_rows"]
        assert "key_figures.json" in m["outputs"]
        assert "output_dir" not in m["parameters"]
    comp = json.loads((two_runs[0] / "competence" / "manifest.json").read_text(encoding="utf-8"))
    assert comp["inputs"][0] == {
        **comp["inputs"][0],
        "file": "competence_2020.xlsx",
        "raw_rows": 121,
        "kept": 118,
    }
    course = json.loads((two_runs[0] / "course" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["role"] for e in course["inputs"]} == {
        "enrolment",
        "pre",
        "post",
        "feedback",
        "baseline",
    }


def test_second_run_gives_identical_results(two_runs):
    first, second = two_runs
    compared = 0
    for analysis in ANALYSES:
        m1 = json.loads((first / analysis / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        m2 = json.loads((second / analysis / "manifest.json").read_text(encoding="utf-8"))[
            "outputs"
        ]
        assert m1.keys() == m2.keys()
        differ = [k for k in m1 if m1[k] != m2[k]]
        assert differ == [], f"{analysis}: files differ between runs: {differ}"
        compared += len(m1)
        # the report too (papermill's random cell id and pandas' random table ids once made it differ)
        assert (first / analysis / "report.html").read_bytes() == (
            second / analysis / "report.html"
        ).read_bytes()
    assert compared > 30


def test_broken_export_stops_before_any_output(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_DIR, raw)
    bad = raw / "interviews_2022-syksy.csv"
    text = bad.read_text(encoding="utf-8-sig")
    bad.write_text(
        text.replace("Täysin samaa mieltä", "Melkein samaa mieltä", 1), encoding="utf-8-sig"
    )
    before = bad.read_bytes()
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="unknown answer label") as info:
        runner.run_semester(
            "all", semester="s", raw=raw, out=out, progress=False, processed_dir=tmp_path / "p"
        )
    assert info.value.file == "interviews_2022-syksy.csv" and info.value.row is not None
    assert not out.exists() and not (tmp_path / "p").exists()
    assert bad.read_bytes() == before


def test_cli_run_broken_export_exits_2_with_one_line(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_DIR / "competence_2020.xlsx", raw / "competence_2020.xlsx")
    (raw / "competence_2020.xlsx").write_bytes(b"PK\x03\x04 truncated")
    code = main(
        [
            "run",
            "competence",
            "--semester",
            "s",
            "--raw",
            str(raw),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--processed",
            str(tmp_path / "p"),
            "--lang",
            "en",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "competence_2020.xlsx" in err[0] and "What to do" in err[0]
    assert not (tmp_path / "out").exists()


def test_failing_notebook_names_the_cell_and_leaves_nothing(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'export_path: str = ""\nsemester: str = ""\noutput_dir: str = ""\n'
        'lang: str = "fi"\nmin_cell_size: int = 5\ntarget_size: int = 0'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("# compute the rate\nrate = 1 / 0"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "sosrake",
        "display_name": "Python (sosrake)",
        "language": "python",
    }
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    nbformat.write(nb, nb_dir / runner.NOTEBOOKS["competence"])
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", nb_dir)
    out = tmp_path / "out"
    with pytest.raises(
        runner.RunError, match=r"failed in cell \d+ \(rate = 1 / 0\): ZeroDivisionError"
    ):
        runner.run_semester(
            "competence",
            semester="s",
            raw=SAMPLE_DIR,
            out=out,
            progress=False,
            processed_dir=tmp_path / "p",
        )
    assert not (out / "s" / "competence").exists()
    assert not list(out.rglob("*.partial"))


def test_approved_quote_reaches_the_infographic_on_rerun(two_runs):
    """Staff approve a quote in the run's quotes_for_review.csv (Excel re-saves it) and run again."""
    from pypdf import PdfReader

    from sosrake_lib.quotes import load_approved_quotes, read_quotes_file

    folder = two_runs[1] / "interviews"
    assert (
        "Lainauksia ei ole vielä hyväksytty"
        in PdfReader(folder / "infographic.pdf").pages[0].extract_text()
    )
    table = read_quotes_file(folder / "quotes_for_review.csv")
    chosen = table["quote"].iloc[0]
    table.loc[0, "approved"] = "kyllä"
    table.to_csv(folder / "quotes_for_review.csv", index=False)
    runner.run_semester(
        "interviews",
        semester="testi-syksy",
        raw=SAMPLE_DIR,
        out=two_runs[1].parent,
        progress=False,
        processed_dir=two_runs[1].parent / "processed",
    )
    assert load_approved_quotes(folder / "quotes_for_review.csv")["quote"].tolist() == [chosen]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["approved_quotes_carried_over"] == 1
    text = " ".join(PdfReader(folder / "infographic.pdf").pages[0].extract_text().split())
    assert " ".join(chosen.split()[:3]) in text
    assert "Lainauksia ei ole vielä hyväksytty" not in text
    unapproved = table["quote"].iloc[1:].tolist()
    assert not [q for q in unapproved if q in text]


def test_real_data_without_a_key_stops_with_instructions(tmp_path, capsys, monkeypatch):
    """An export that is not the synthetic sample is never pseudonymised with the demo key."""
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    raw = tmp_path / "2023-syksy"
    raw.mkdir()
    text = (SAMPLE_DIR / "interviews_2022-syksy.csv").read_text(encoding="utf-8-sig")
    real_like = "\n".join(ln for ln in text.splitlines() if "SYNTEETTINEN" not in ln) + "\n"
    (raw / "interviews_2022-syksy.csv").write_text(real_like, encoding="utf-8")
    code = main(
        [
            "run",
            "interviews",
            "--semester",
            "2023-syksy",
            "--raw",
            str(raw),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--processed",
            str(tmp_path / "p"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "pseudonym" in err[0].lower() and "sosrake key init" in err[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "p").exists()
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", "a-long-enough-secret-key-for-the-test")
    assert main(["validate", str(raw / "interviews_2022-syksy.csv")]) == 0


def test_report_leaves_out_what_cells_wrote_to_stderr(tmp_path: Path) -> None:
    """A warning a cell printed (with a source line and a local path) reaches the command line and
    notebook.ipynb, never the report its readers get; what the cell showed to readers stays."""
    import nbformat

    from sosrake_lib.runner import export_html

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="./sosrake_lib/cleaning.py:553: UserWarning: key file /home/kirsi/k is readable\n",
        ),
        nbformat.v4.new_output("stream", name="stdout", text="Vastaajia 42\n"),
    ]
    nb.cells = [cell]
    executed = tmp_path / "executed.ipynb"
    nbformat.write(nb, executed)
    export_html(executed, tmp_path / "report.html", "Raportti")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Vastaajia 42" in html
    assert "UserWarning" not in html and "/home/kirsi" not in html
    assert "UserWarning" in executed.read_text(encoding="utf-8")  # the notebook itself keeps it
