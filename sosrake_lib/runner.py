"""Semester runs: validate the exports, run the analysis notebooks with Papermill, export HTML reports and
infographics, and write a manifest — all into a temporary folder that is moved into place only when complete.

Staff do not need Papermill's flags::

    sosrake run all --semester 2023-syksy --raw data/raw/2023-syksy/ --out outputs/

gives ``outputs/2023-syksy/<analysis>/`` for every analysis whose exports are in the folder: key figures,
tables, figures, ``report.html`` (no code cells), ``infographic.pdf/.png``, ``quotes_for_review.csv``, the
executed notebook and ``manifest.json``. Quote approvals that staff made in the previous run's
``quotes_for_review.csv`` (or in the file given with ``--approved-quotes``) are carried over to the new file,
and only approved quotes reach the infographic. A broken export stops the run before any notebook starts (exit 2); a failing notebook stops
with a message naming the cell, and leaves no half-written output folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .atomic import atomic_dir, atomic_write_text, folder_lock
from .cleaning import write_processed
from .codebook import instrument_version
from .errors import ConfigError, ExportError
from .history.publish import manifest_record, place_trend_section, trend_section
from .messages import library_text, text
from .paths import (
    NOTEBOOKS_DIR,
    PROCESSED_DIR,
    PROJECT_ROOT,
    check_label,
    check_separate,
    input_paths,
)
from .pipeline import discover_exports, prepare_file
from .quotes import QUOTES_FILE, carry_over_approvals
from .registry import ANALYSES, RunContext, selected
from .settings import MIN_N

#: Notebook of each analysis (from the registry; kept for code that imported it from here).
NOTEBOOKS = {a.name: a.notebook for a in ANALYSES.values()}
KERNEL_NAME = "sosrake"
MANIFEST_PACKAGES = (
    "sosrake-lib",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "openpyxl",
    "pyarrow",
    "simplemma",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
)


# Parallel analyses run their notebooks in separate kernels, but the infographic is drawn in this process;
# matplotlib's renderers and font caches are not thread-safe (seen: "bytes must be in range(0, 256)" from two
# PDFs written at once), so drawing is serialised.
_MATPLOTLIB_LOCK = threading.Lock()


class RunError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


@dataclass
class InputFile:
    path: Path
    instrument: str
    role: str
    sha256: str
    log: dict[str, Any]
    semester: str | None = None
    synthetic: bool = False
    data: Any = field(
        default=None, repr=False
    )  # the cleaned frame (pseudonymised, no names or e-mails)
    #: the codebook edition's ``version:`` the export was read with (None: the shipped codebook's)
    version: str | None = None

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "instrument": self.instrument,
            "instrument_version": self.version or instrument_version(self.instrument),
            "role": self.role,
            "sha256": self.sha256,
            "semester": self.semester,
            "raw_rows": self.log["raw_rows"],
            "kept": self.log["kept"],
            "dropped": self.log["dropped"],
            "dropped_by_rule": self.log.get("dropped_by_rule", {}),
            "notices": self.log.get("notices", []),
        }


@dataclass
class Plan:
    """What one analysis will run on."""

    analysis: str
    inputs: list[InputFile]
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return bool(self.inputs) and all(i.synthetic for i in self.inputs)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_file(
    path: Path, instrument: str, role: str, *, strict: bool = False, overlay: Path | None = None
) -> InputFile:
    """Read and clean one export (validation); nothing is written."""
    digest = sha256_of(path)
    prepared = prepare_file(path, instrument, strict=strict, overlay=overlay)
    return InputFile(
        path=path,
        instrument=instrument,
        role=role,
        sha256=digest,
        log=prepared.log,
        semester=prepared.data.attrs.get("semester"),
        synthetic=bool(prepared.data.attrs.get("synthetic")),
        data=prepared.data,
        version=prepared.version,
    )


def plan_analyses(
    analysis: str,
    raw: Path,
    *,
    strict: bool = False,
    overlay: Path | None = None,
    skipped: list[tuple[str, ExportError]] | None = None,
    earlier_round: Path | None = None,
) -> list[Plan]:
    """Find and validate the inputs of each requested analysis. Raises ExportError before anything runs.

    For ``all``, an analysis without exports in the folder is skipped; when ``skipped`` is a list, each
    skipped analysis is appended with the error it would have raised if run alone (what is missing).
    ``earlier_round``: an earlier round's export, added with role ``"earlier"`` to each analysis whose registry
    entry takes one (:attr:`~sosrake_lib.registry.Analysis.earlier_round`).
    """
    found = discover_exports(raw)
    _check = functools.partial(_check_file, strict=strict, overlay=overlay)
    plans: list[Plan] = []
    for entry in selected(analysis):
        files = entry.find_inputs(found, raw, analysis != "all")
        if not files:
            if skipped is not None:
                skipped.append((entry.name, _why_skipped(entry.find_inputs, found, raw)))
            continue
        inputs = [_check(path, instrument, role) for path, instrument, role in files]
        if earlier_round is not None and entry.earlier_round:
            inputs.append(_check(Path(earlier_round), entry.earlier_round, "earlier"))
        if entry.check_inputs is not None:
            entry.check_inputs(inputs, raw)
        plans.append(Plan(entry.name, inputs))
    if not plans:
        raise ExportError(
            "no exports for any analysis were found in the folder",
            file=str(raw),
            hint="put the semester's .xlsx/.csv exports there",
        )
    return plans


def _why_skipped(find_inputs: Callable[..., Any], found: Any, raw: Path) -> ExportError:
    """What an analysis that ``run all`` skipped lacks: the error it raises when it is required."""
    try:
        find_inputs(found, raw, True)
    except ExportError as exc:
        return exc
    return ExportError("no exports for this analysis in the folder", file=str(raw))


def notebook_parameters(
    plan: Plan,
    *,
    semester: str,
    output_dir: Path,
    lang: str,
    min_cell_size: int,
    approved_quotes: Path | None,
    target_size: int | None,
    codebook_overlay: Path | None = None,
    weak_alpha: float | None = None,
    trained_areas: str = "",
    coded_worksheet: Path | None = None,
    kappa_bound: float | None = None,
) -> dict[str, Any]:
    """The Papermill parameters of one analysis (paths as absolute strings)."""
    common: dict[str, Any] = {
        "semester": semester,
        "output_dir": str(output_dir),
        "lang": lang,
        "min_cell_size": int(min_cell_size),
    }
    if (
        codebook_overlay is not None
    ):  # only when given: a run without one passes the notebooks' defaults
        common["codebook_overlay"] = str(Path(codebook_overlay).resolve())
    context = RunContext(
        semester=semester,
        target_size=target_size,
        approved_quotes=approved_quotes,
        weak_alpha=weak_alpha,
        trained_areas=trained_areas,
        coded_worksheet=coded_worksheet,
        kappa_bound=kappa_bound,
    )
    common.update(ANALYSES[plan.analysis].parameters(plan.inputs, context))
    return common


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME in specs:
        return KERNEL_NAME
    if "python3" in specs:
        return "python3"
    raise ConfigError(
        "no Jupyter kernel found; run `make setup` (it installs the 'sosrake' kernel)"
    )


def _cell_first_line(nb_path: Path, exec_count: int | None) -> str:
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:  # best effort: only for the message
        return ""
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and cell.get("execution_count") == exec_count:
            lines = [
                ln
                for ln in cell.source.splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")
            ]
            return lines[0].strip()[:80] if lines else ""
    return ""


def execute_notebook(
    name: str, parameters: dict[str, Any], executed_path: Path, *, timeout: int
) -> None:
    """Run one notebook with Papermill (explicit kernel, execution timeout, run from the project root)."""
    import papermill as pm

    source = NOTEBOOKS_DIR / name
    declared = pm.inspect_notebook(str(source))
    missing = [k for k in declared if k not in parameters and declared[k].get("default") is None]
    unknown = [k for k in parameters if k not in declared]
    if unknown or missing:
        raise RunError(
            f"{name}: parameters do not match the notebook (unknown: {unknown}, missing: {missing})"
        )
    from jupyter_client.manager import KernelManager

    kernel = _kernel_name()
    # Local IPC sockets in a private temporary folder: no TCP ports (and no warning about unencrypted TCP).
    sockets = Path(tempfile.mkdtemp(prefix="sosrake-kernel-"))
    km = KernelManager(kernel_name=kernel, transport="ipc", ip=str(sockets / "kernel"))
    try:
        pm.execute_notebook(
            str(source),
            str(executed_path),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(PROJECT_ROOT),
            progress_bar=False,
            execution_timeout=timeout,
            request_save_on_cell_execute=False,
            log_output=False,
            km=km,
        )
    except pm.PapermillExecutionError as exc:
        first = _cell_first_line(executed_path, exc.exec_count)
        where = f"cell {exc.exec_count}" + (f" ({first})" if first else "")
        raise RunError(
            f"{name} failed in {where}: {exc.ename}: {' '.join(str(exc.evalue).split())[:300]}"
        ) from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        km.cleanup_resources()
        shutil.rmtree(sockets, ignore_errors=True)


def strip_paths(notebook: Path, replacements: dict[Path, str]) -> None:
    """Replace absolute paths (raw exports, the temporary output folder, the project root) in an executed
    notebook by their names, so the published ``notebook.ipynb`` tells no one where the raw data live.

    >>> import tempfile, json
    >>> nb = Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = nb.write_text(json.dumps({"p": "/secure/raw/2023/interviews.csv", "q": "/work/x"}), encoding="utf-8")
    >>> strip_paths(nb, {Path("/secure/raw/2023/interviews.csv"): "interviews.csv", Path("/work"): "."})
    >>> json.loads(nb.read_text(encoding="utf-8"))
    {'p': 'interviews.csv', 'q': './x'}
    """
    text = notebook.read_text(encoding="utf-8")
    for path, name in sorted(replacements.items(), key=lambda kv: -len(str(kv[0]))):
        for form in {str(path), str(Path(path).resolve())}:
            if len(form) > 1:
                text = text.replace(json.dumps(form)[1:-1], name)
    atomic_write_text(notebook, text)


def export_html(executed: Path, target: Path, title: str, lang: str = "fi") -> None:
    """HTML report of an executed notebook without code cells (nbconvert, exclude_input).

    ``<html lang>`` is the run's language, so a screen reader reads a Finnish report with Finnish rules
    (WCAG 2.1, 3.1.1 Language of Page; nbconvert's default says "en").

    Text a cell wrote to stderr (warnings such as "key file ... is readable by other users", with a source
    line and a local path) is for the person running, who sees it on the command line and in
    ``notebook.ipynb``; the report is for its readers, so those outputs are left out of it.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.get("outputs"):
            cell["outputs"] = [
                o
                for o in cell["outputs"]
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    for cell in (
        nb.cells
    ):  # Papermill gives its injected cell a random id: the report must not change per run
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
    body, _ = exporter.from_notebook_node(nb)
    atomic_write_text(target, body)


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in MANIFEST_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def git_commit() -> str:
    try:
        res = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = res.stdout.strip()
    if res.returncode != 0 or not commit:
        return "unknown"
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout.strip()
    return commit + ("-dirty" if dirty else "")


def _file_hashes(folder: Path) -> dict[str, str]:
    skip = {"manifest.json", "notebook.ipynb", "report.html"}
    return {
        p.relative_to(folder).as_posix(): sha256_of(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def _stored_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The notebook parameters as the manifest keeps them: file names, not paths."""
    stored = {
        k: (Path(v).name if k.endswith("_path") and v else v)
        for k, v in params.items()
        if k != "output_dir"
    }
    if "exports" in stored:
        stored["exports"] = {k: Path(v).name for k, v in stored["exports"].items()}
    if stored.get("approved_quotes"):
        stored["approved_quotes"] = Path(stored["approved_quotes"]).name
    if stored.get("codebook_overlay"):
        stored["codebook_overlay"] = Path(stored["codebook_overlay"]).name
    if stored.get("coded_worksheet"):
        stored["coded_worksheet"] = Path(stored["coded_worksheet"]).name
    return stored


#: Report title of each analysis (from the registry; kept for code that imported it from here).
TITLES = {a.name: a.titles for a in ANALYSES.values()}


def run_analysis(
    plan: Plan,
    *,
    semester: str,
    out: Path,
    lang: str,
    min_cell_size: int,
    approved_quotes: Path | None,
    target_size: int | None,
    timeout: int,
    say: Callable[[str], None],
    notebook_slot: AbstractContextManager[Any] | None = None,
    codebook_overlay: Path | None = None,
    locked: bool = False,
    weak_alpha: float | None = None,
    trained_areas: str = "",
    coded_worksheet: Path | None = None,
    kappa_bound: float | None = None,
) -> Path:
    """Run one analysis into ``out/<semester>/<analysis>`` atomically; return the folder.

    ``notebook_slot`` (e.g. a semaphore shared by parallel analyses) is held only while the notebook's kernel
    runs: the HTML export and the infographic of one analysis then overlap with the next notebook.
    """
    final = out / semester / plan.analysis
    started = time.monotonic()
    say(text("running", lang, analysis=plan.analysis, notebook=ANALYSES[plan.analysis].notebook))
    with atomic_dir(final, locked=locked) as tmp:
        params = notebook_parameters(
            plan,
            semester=semester,
            output_dir=tmp,
            lang=lang,
            min_cell_size=min_cell_size,
            approved_quotes=approved_quotes,
            target_size=target_size,
            codebook_overlay=codebook_overlay,
            weak_alpha=weak_alpha,
            trained_areas=trained_areas,
            coded_worksheet=coded_worksheet,
            kappa_bound=kappa_bound,
        )
        executed = tmp / "notebook.ipynb"
        with notebook_slot if notebook_slot is not None else contextlib.nullcontext():
            execute_notebook(ANALYSES[plan.analysis].notebook, params, executed, timeout=timeout)
        strip_paths(
            executed,
            {
                tmp: final.name,
                **{i.path: i.path.name for i in plan.inputs},
                **({approved_quotes: Path(approved_quotes).name} if approved_quotes else {}),
                **({codebook_overlay: Path(codebook_overlay).name} if codebook_overlay else {}),
                **({coded_worksheet: Path(coded_worksheet).name} if coded_worksheet else {}),
                PROJECT_ROOT: ".",
            },
        )
        stored = _stored_parameters(params)
        inputs = [i.manifest_entry() for i in plan.inputs]
        # the trend section: earlier runs of this analysis under the same output root + this run
        with _MATPLOTLIB_LOCK:
            section = trend_section(
                out,
                plan.analysis,
                lang=lang,  # type: ignore[arg-type]
                current=tmp,
                manifest={
                    "analysis": plan.analysis,
                    "semester": semester,
                    "parameters": stored,
                    "inputs": inputs,
                },
                exclude=[final, tmp],
                min_n=min_cell_size,
            )
        place_trend_section(executed, section)
        title = ANALYSES[plan.analysis].title(lang) + f" – {semester}"
        export_html(executed, tmp / "report.html", title, lang)
        from .history.runs import followup_rounds
        from .infographic import make_infographic

        # Approvals from the reviewed file given and from this folder's previous run follow the quotes.
        carried = sum(
            carry_over_approvals(tmp / QUOTES_FILE, src)
            for src in (approved_quotes, final / QUOTES_FILE)
        )
        with _MATPLOTLIB_LOCK:  # matplotlib is not thread-safe: one infographic drawn at a time
            make_infographic(
                tmp,
                plan.analysis,
                lang=lang,
                semester=semester,
                approved_quotes=None,
                min_cell_size=min_cell_size,
                synthetic=plan.synthetic,
                # a follow-up run's change panel names its rounds (the manifest is written after the page)
                rounds=followup_rounds({"semester": semester, "inputs": inputs}),
            )
        _keep_worksheets(final, tmp)
        manifest = {
            "analysis": plan.analysis,
            "semester": semester,
            "notebook": ANALYSES[plan.analysis].notebook,
            "parameters": stored,
            "inputs": inputs,
            "synthetic_sample": plan.synthetic,
            "approved_quotes_carried_over": carried,
            "packages": package_versions(),
            "git_commit": git_commit(),
            "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            # the report's trend section depends on these earlier runs in the same output root
            "history": manifest_record(section),
            "outputs": _file_hashes(tmp),
            # staff work material: scrubbed but unreviewed free text, never to be forwarded as it is
            "review_material": sorted(
                p for p in _file_hashes(tmp) if p == QUOTES_FILE or p.startswith("review/")
            ),
        }
        atomic_write_text(
            tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        )
    seconds = f"{time.monotonic() - started:.0f}"
    say(text("done", lang, analysis=plan.analysis, seconds=seconds, folder=final))
    return final


def _keep_worksheets(final: Path, tmp: Path) -> list[Path]:
    """Copy the coding worksheets of the previous run (``review/coding_sample*.xlsx``, perhaps being coded
    by someone) into the new output folder: replacing the folder must never throw a person's ticks away."""
    import shutil

    kept = []
    for old in sorted((final / "review").glob("coding_sample*.xlsx")):
        new = tmp / "review" / old.name
        if not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(old, new)
            kept.append(new)
    return kept


def store_processed(plans: list[Plan], semester: str, processed_dir: Path) -> list[Path]:
    """Write each validated input's cleaned frame to ``<processed_dir>/<semester>/<file stem>.parquet`` (+ log).

    An earlier round's export (role ``"earlier"``) belongs to its own semester and is not stored here."""
    written: dict[Path, Path] = {}
    for plan in plans:
        for i in plan.inputs:
            if i.path not in written and i.data is not None and i.role != "earlier":
                written[i.path] = write_processed(i.data, semester, i.path.stem, processed_dir)
    return list(written.values())


def run_semester(
    analysis: str,
    *,
    semester: str,
    raw: Path,
    out: Path,
    lang: str = "fi",
    min_cell_size: int = MIN_N,
    approved_quotes: Path | None = None,
    target_size: int | None = None,
    timeout: int = 900,
    progress: bool = True,
    max_workers: int | None = None,
    processed_dir: Path | None = PROCESSED_DIR,
    strict: bool = False,
    codebook_overlay: Path | None = None,
    weak_alpha: float | None = None,
    earlier_round: Path | None = None,
    trained_areas: str = "",
    coded_worksheet: Path | None = None,
    kappa_bound: float | None = None,
) -> list[Path]:
    """Validate, store the cleaned data, then run the requested analyses (``all``: in parallel where cores allow).

    Every export is read and cleaned first; a broken one raises :class:`~sosrake_lib.errors.ExportError`
    before anything is written. The cleaned, pseudonymised data go to ``processed_dir/<semester>/`` as parquet
    with their cleaning logs (``None``: not stored). ``earlier_round``: an earlier round's export for a
    follow-up comparison (``sosrake run competence --earlier-round``); ``trained_areas``: comma-separated area
    ids that override the follow-up's trained areas.
    """
    if min_cell_size < 1:
        raise ConfigError(f"--min-cell-size must be at least 1 (got {min_cell_size})")
    if weak_alpha is not None and not 0 <= weak_alpha <= 1:
        raise ConfigError(f"--weak-alpha must be a number from 0 to 1 (got {weak_alpha})")
    if kappa_bound is not None and not 0 <= kappa_bound <= 1:
        raise ConfigError(f"--kappa-bound must be a number from 0 to 1 (got {kappa_bound})")
    if coded_worksheet is not None:
        from .coding.worksheet import read_worksheet, worksheet_codebook
        from .registry import CODING_CODEBOOKS

        coded_worksheet = Path(coded_worksheet).resolve()
        if not coded_worksheet.is_file():
            raise ConfigError(f"the coding worksheet does not exist: {coded_worksheet}")
        made_with = worksheet_codebook(coded_worksheet)
        if made_with not in {CODING_CODEBOOKS.get(a.name) for a in selected(analysis)}:
            raise ConfigError(
                f"the coded worksheet {coded_worksheet.name} is for the {made_with or 'unknown'} theme "
                f"codebook, which the run {analysis} does not code with; give it to the analysis it was "
                "drawn from"
            )
        read_worksheet(coded_worksheet)  # a bad tick stops the run before anything is written
    if approved_quotes is not None and not Path(approved_quotes).is_file():
        raise ConfigError(f"the approved-quotes file does not exist: {approved_quotes}")
    if earlier_round is not None and Path(earlier_round).is_dir():
        raise ConfigError(
            f"--earlier-round {earlier_round} is a folder, not a file; give the earlier round's "
            "competence export file, e.g. data/raw/sample/competence_2020.xlsx"
        )
    if earlier_round is not None and not Path(earlier_round).is_file():
        raise ConfigError(
            f"the earlier round's export does not exist: {earlier_round}; give the earlier round's "
            "competence export, e.g. data/raw/sample/competence_2020.xlsx"
        )
    if trained_areas and earlier_round is None:
        raise ConfigError(
            "--trained-areas needs --earlier-round (the areas of a follow-up comparison)"
        )
    check_label(semester)
    from .history.runs import HISTORY_DIR

    if semester.lower() == HISTORY_DIR:
        raise ConfigError(
            f"the semester label {semester!r} is reserved for the folder of sosrake history; use another label"
        )
    # Every path once, absolute, as the caller meant it (relative to the working directory); nothing is written
    # where it would overlap an input: the atomic swap of an output folder must never delete an export.
    raw, out = Path(raw).resolve(), Path(out).resolve()
    approved_quotes = Path(approved_quotes).resolve() if approved_quotes is not None else None
    codebook_overlay = Path(codebook_overlay).resolve() if codebook_overlay is not None else None
    earlier_round = Path(earlier_round).resolve() if earlier_round is not None else None
    outputs = {f"--out {a.name}": out / semester / a.name for a in selected(analysis)}
    if processed_dir is not None:
        processed_dir = Path(processed_dir).resolve()
        outputs["--processed"] = processed_dir / semester
    check_separate(
        outputs,
        {
            **input_paths(raw),
            "--codebook-overlay": codebook_overlay,
            "--earlier-round": earlier_round,
        },
    )

    def say(msg: str) -> None:
        if progress:
            print(msg, file=sys.stderr, flush=True)

    say(text("checking", lang, raw=raw))
    skipped: list[tuple[str, ExportError]] = []
    plans = plan_analyses(
        analysis,
        Path(raw),
        strict=strict,
        overlay=codebook_overlay,
        skipped=skipped,
        earlier_round=earlier_round,
    )
    for plan in plans:
        for i in plan.inputs:
            say(
                text(
                    "input_line",
                    lang,
                    file=i.path.name,
                    instrument=i.instrument,
                    role=i.role,
                    kept=i.log["kept"],
                    raw_rows=i.log["raw_rows"],
                )
            )
            for n in i.log.get("notices", []):
                if n["level"] == "warning":
                    say(text("input_warning", lang, message=n["message"]))
    # an analysis `run all` leaves out is named with its reason, also with --quiet: a missing export
    # must not pass unnoticed
    for name, why in skipped:
        reason = library_text(why.message, lang) if lang == "fi" else why.message
        print(text("skipped", lang, analysis=name, reason=reason), file=sys.stderr, flush=True)
    # Every output folder of the run is locked before anything is written: a run refused because another
    # one is writing there must not have replaced the cleaned data of that run first.
    with contextlib.ExitStack() as locks:
        for target in outputs.values():
            locks.enter_context(folder_lock(target))
        if processed_dir is not None:
            store_processed(plans, semester, Path(processed_dir))
        return _run_plans(
            plans,
            semester=semester,
            out=out,
            lang=lang,
            min_cell_size=min_cell_size,
            approved_quotes=approved_quotes,
            target_size=target_size,
            timeout=timeout,
            say=say,
            codebook_overlay=codebook_overlay,
            max_workers=max_workers,
            **({"weak_alpha": weak_alpha} if weak_alpha is not None else {}),
            **({"trained_areas": trained_areas} if trained_areas else {}),
            **({"coded_worksheet": coded_worksheet} if coded_worksheet is not None else {}),
            **({"kappa_bound": kappa_bound} if kappa_bound is not None else {}),
        )


def _run_plans(plans: list[Plan], *, max_workers: int | None, **options: Any) -> list[Path]:
    """Run the analyses of a semester whose output folders :func:`run_semester` has locked."""
    from .text import prepare_lemma_cache

    prepare_lemma_cache()  # once here (only when missing) rather than in each parallel kernel
    kwargs = dict(options, locked=True)
    workers = max_workers or default_workers(len(plans))
    if workers <= 1 or len(plans) == 1:
        return [run_analysis(p, **kwargs) for p in plans]
    # ``workers`` notebooks run at a time; each analysis has its own thread, so HTML export and infographic
    # (in this process) overlap with the next notebook instead of delaying its start. Longest notebook first.
    slot = threading.BoundedSemaphore(workers)
    ordered = sorted(plans, key=lambda p: ANALYSES[p.analysis].run_rank)
    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        futures = {
            p.analysis: pool.submit(run_analysis, p, notebook_slot=slot, **kwargs) for p in ordered
        }
        return [futures[p.analysis].result() for p in plans]


def default_workers(n_analyses: int) -> int:
    """Notebooks run at the same time: one per core, at most 3 (the benchmark's floor uses the same)."""
    return max(1, min(n_analyses, os.cpu_count() or 1, 3))
