"""Packaging and repository hygiene: environment.yml in step with pyproject.toml, notebooks committed clean,
real data ignored by git, and no export-like file tracked outside the synthetic sample and the test corpus."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from sosrake_lib.errors import ExportError
from sosrake_lib.io import detect_instrument
from sosrake_lib.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")
ALLOWED_EXPORT_DIRS = ("data/raw/sample/", "tests/data/")


def _norm(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    """'pandas>=3.0  # comment' -> ('pandas', '>=3.0'); conda's 'python=3.11' -> ('python', '=3.11')."""
    req = requirement.split("#")[0].strip()
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$", req)
    assert m, requirement
    return _norm(m.group(1)), m.group(3).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_basics() -> None:
    env = _environment()
    assert env["name"] == "sosrake"
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.replace(" ", "").startswith("-e.[dev]") for line in pip), (
        "pip: -e .[dev] installs the package"
    )


def test_environment_yml_matches_pyproject_dependencies() -> None:
    """The same runtime packages with the same lower bounds in both files."""
    runtime = dict(_split(r) for r in _pyproject()["project"]["dependencies"])
    env = _environment()
    listed: dict[str, str] = {}
    for dep in env["dependencies"]:
        for line in dep["pip"] if isinstance(dep, dict) else [dep]:
            if line.strip().startswith("-"):
                continue  # -e .[dev], pip options
            name, spec = _split(line)
            assert name not in listed, f"{name} listed twice in environment.yml"
            listed[name] = spec
    listed.pop("python", None)
    listed.pop("pip", None)
    assert set(listed) == set(runtime), (
        f"only in pyproject.toml: {sorted(set(runtime) - set(listed))}; "
        f"only in environment.yml: {sorted(set(listed) - set(runtime))}"
    )
    assert listed == runtime, "version bounds differ between pyproject.toml and environment.yml"


def test_dev_extra_has_the_test_tools() -> None:
    dev = {_split(r)[0] for r in _pyproject()["project"]["optional-dependencies"]["dev"]}
    assert {"pytest", "hypothesis", "ruff"} <= dev


def test_the_four_notebooks_exist() -> None:
    assert {p.name for p in NOTEBOOKS} >= {
        "00_getting_started.ipynb",
        "01_competence_mapping.ipynb",
        "02_customer_experience.ipynb",
        "03_course_pilot.ipynb",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_committed_clean(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("outputs") == [] for c in code), "clear the outputs before committing"
    assert all(c.get("execution_count") is None for c in code), (
        "clear the execution counts before committing"
    )
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (Papermill)"
    assert tagged[0]["cell_type"] == "code"
    assert nb["metadata"]["kernelspec"]["name"] == "sosrake"


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _require_git() -> None:
    if (
        shutil.which("git") is None
        or _git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true"
    ):
        pytest.skip("not a git checkout")


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("data/raw/2023-syksy/competence_2023.xlsx", True),
        ("data/raw/export.csv", True),
        ("data/processed/2023-syksy/interviews.parquet", True),
        ("outputs/2023-syksy/competence/infographic.pdf", True),
        ("data/raw/sample/competence_2020.xlsx", False),
        ("data/raw/sample/2022/competence_2022.xlsx", False),
        ("data/raw/sample_2022/competence_2022.xlsx", True),
        ("data/raw/sample_2023/competence_2023.xlsx", True),
        ("data/raw/README.md", False),
        ("outputs/.gitkeep", False),
        ("data/processed/.gitkeep", False),
    ],
)
def test_gitignore(path: str, ignored: bool) -> None:
    _require_git()
    res = _git("check-ignore", "-q", "--no-index", path)
    assert res.returncode in (0, 1), res.stderr
    assert (res.returncode == 0) is ignored


def test_no_export_tracked_outside_sample_and_test_data() -> None:
    """A real export committed by mistake is personal data in git history: refuse any tracked file that reads
    like an export of one of the instruments, except the synthetic sample and the test corpus."""
    _require_git()
    res = _git("ls-files", "-z")
    assert res.returncode == 0, res.stderr
    suspicious = []
    for rel in filter(None, res.stdout.split("\0")):
        if not rel.lower().endswith(EXPORT_SUFFIXES) or rel.startswith(ALLOWED_EXPORT_DIRS):
            continue
        path = PROJECT_ROOT / rel
        if not path.is_file():
            continue
        try:
            inst = detect_instrument(path)
        except ExportError:
            continue  # not readable as an export at all
        if inst is not None:
            suspicious.append(f"{rel} ({inst})")
    assert not suspicious, f"export-like files tracked by git: {suspicious}"


def test_the_scan_would_see_an_export(tmp_path: Path) -> None:
    """The check above is not blind: a copy of a sample export is detected."""
    p = tmp_path / "misplaced.csv"
    p.write_bytes((PROJECT_ROOT / "data/raw/sample/interviews_2022-syksy.csv").read_bytes())
    assert detect_instrument(p) == "interviews"


def test_every_subpackage_is_installed() -> None:
    """A wheel carries only the packages pyproject lists: a new subpackage (sdc/) must be listed too."""
    listed = set(
        tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
            "setuptools"
        ]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(PROJECT_ROOT).parts)
        for p in (PROJECT_ROOT / "sosrake_lib").rglob("__init__.py")
    }
    assert found - listed == set()


def test_every_import_path_the_readme_names_still_works() -> None:
    """Old import paths named in the README keep working after the modules became packages."""
    import importlib
    import re

    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^from (sosrake_lib[\w.]*) import ([\w, ]+)$", text, re.M)
    dotted = set(re.findall(r"`(sosrake_lib(?:\.\w+)+)`", text))
    assert len(lines) >= 5 and len(dotted) >= 3
    for module, names in lines:
        mod = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(mod, name), f"{module}.{name}"
    for path in dotted:
        parts = path.split(".")
        for i in range(len(parts), 0, -1):  # the longest importable prefix, then attributes
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ModuleNotFoundError:
                continue
            for attr in parts[i:]:
                obj = getattr(obj, attr)
            break
        else:
            raise AssertionError(path)


def test_every_data_folder_is_a_listed_package_with_its_files() -> None:
    """setuptools warns (and a future release drops the files) when a folder of YAML is only package data of
    its parent: themes/ and labels_data/ must be packages of their own, with their files as package data."""
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    folders = {
        ".".join(p.parent.relative_to(PROJECT_ROOT).parts)
        for p in (PROJECT_ROOT / "sosrake_lib").rglob("*.yaml")
    }
    assert {"sosrake_lib.themes", "sosrake_lib.labels_data"} <= folders
    for folder in folders:
        assert folder in config["packages"], folder
        assert "*.yaml" in config["package-data"][folder], folder


def test_licence_is_an_spdx_string_and_ruff_is_pinned_to_a_minor_release() -> None:
    """No setuptools deprecation warning on install (a licence table is deprecated), and a new ruff minor
    release, which may reformat code, cannot fail `make test` on a fresh machine."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    # with the root as package dir, setuptools' editable install is a .pth file and emits no notice
    assert project["tool"]["setuptools"]["package-dir"] == {"": "."}
    (ruff,) = [
        d for d in project["project"]["optional-dependencies"]["dev"] if d.startswith("ruff")
    ]
    assert ">=" in ruff and "<" in ruff.replace("<=", "")


def test_no_reference_to_files_or_issues_outside_the_repository() -> None:
    """A newcomer reads the repository alone: no pointer to the design or domain notes (kept outside it) or to an
    issue number of the tracker, in the README, the code, the benchmarks, the notebooks or the tests."""
    import re

    pattern = re.compile(r"\b(DESIGN|DOMAIN)\.md\b|\bissue \d+\b|\(#\d+\)", re.IGNORECASE)
    roots = ["README.md", "sosrake_lib", "benchmarks", "notebooks", "tests", "Makefile"]
    found = []
    for root in roots:
        path = PROJECT_ROOT / root
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for f in files:
            if f.suffix not in {".md", ".py", ".ipynb", ".yaml", ""} or not f.is_file():
                continue
            if f.name == "results.md" or f == Path(__file__):
                continue
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{f.relative_to(PROJECT_ROOT)}:{i}: {line.strip()[:80]}")
    assert found == []
