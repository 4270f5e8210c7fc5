"""The analyses the workbench runs: one entry each, and everything that loops over them reads it.

An :class:`Analysis` says what a semester run needs to know about one analysis: its notebook, its report
title, which exports it reads (and in which role), which Papermill parameters its notebook takes, its
infographic (a key of :data:`sosrake_lib.infographic.SPECS`) and its usual run time. The runner
(:mod:`sosrake_lib.runner`), the command line (``sosrake run <analysis>``) and the infographic loop over
:data:`ANALYSES`; nothing else names the three analyses.

Adding an analysis: a compute module, a notebook, an infographic spec and one entry here (README, "How to add an
analysis").

Examples
--------
>>> [a.name for a in ANALYSES.values()]
['competence', 'interviews', 'course']
>>> ANALYSES["course"].notebook
'03_course_pilot.ipynb'
>>> ANALYSES["interviews"].title("en")
'Customer-experience interviews'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, ExportError

#: One input of an analysis: the export, the instrument it is read with, and its role in the analysis.
Input = tuple[Path, str, str]


@dataclass(frozen=True)
class RunContext:
    """What a semester run hands to an analysis' parameter function."""

    semester: str
    target_size: int | None = None
    approved_quotes: Path | None = None
    weak_alpha: float | None = None
    trained_areas: str = ""
    coded_worksheet: Path | None = None
    kappa_bound: float | None = None


@dataclass(frozen=True)
class Analysis:
    """One analysis of the workbench.

    Attributes
    ----------
    name : str
        Machine name: the output folder, ``sosrake run <name>``, the infographic spec.
    notebook : str
        File name in ``notebooks/``.
    titles : (str, str)
        Report title in Finnish and English.
    find_inputs : callable
        ``(found, raw, required) -> list of (path, instrument, role)``: picks the analysis' exports from those
        :func:`sosrake_lib.pipeline.discover_exports` found; raises :class:`ExportError` when ``required`` and
        something is missing, returns ``[]`` when not required and nothing is there.
    parameters : callable
        ``(inputs, context) -> dict``: the notebook parameters beyond the common ones (``semester``,
        ``output_dir``, ``lang``, ``min_cell_size``); ``inputs`` are the checked inputs (with ``path``,
        ``role`` and ``semester``).
    check_inputs : callable, optional
        ``(inputs, raw) -> None``: checks that need the cleaned inputs (two interview exports of one semester).
    run_rank : int
        Order of the usual run time, longest first: parallel runs start the longest notebook first.
    earlier_round : str, optional
        The instrument of an earlier round's export that ``sosrake run --earlier-round`` adds to the inputs
        (role ``"earlier"``) for a follow-up comparison; ``""``: the analysis takes none.
    """

    name: str
    notebook: str
    titles: tuple[str, str]
    find_inputs: Callable[[Mapping[str, list[Path]], Path, bool], list[Input]]
    parameters: Callable[[Sequence[Any], RunContext], dict[str, Any]]
    check_inputs: Callable[[Sequence[Any], Path], None] | None = None
    run_rank: int = 0
    earlier_round: str = ""

    def title(self, lang: str = "fi") -> str:
        return self.titles[0 if lang == "fi" else 1]


# ------------------------------------------------------------------------------------------ finding inputs
def one_export(
    found: Mapping[str, list[Path]], instrument: str, raw: Path, *, required: bool = True
) -> Path | None:
    """The single export of ``instrument`` in the folder (None if absent and not required)."""
    files = found.get(instrument, [])
    if len(files) > 1:
        raise ExportError(
            f"several {instrument} exports in the folder ({', '.join(p.name for p in files)})",
            file=str(raw),
            hint="keep one export per instrument in a semester folder",
        )
    if not files and required:
        raise ExportError(
            f"no {instrument} export in the folder",
            file=str(raw),
            hint=f"add the export (a name like {instrument}*.xlsx or .csv helps)",
        )
    return files[0] if files else None


def pre_post(files: list[Path], raw: Path) -> tuple[Path, Path]:
    """The course self-assessment's pre and post files, told apart by their names."""
    pre = [p for p in files if any(k in p.name.lower() for k in ("pre", "alku"))]
    post = [p for p in files if any(k in p.name.lower() for k in ("post", "loppu"))]
    if len(pre) != 1 or len(post) != 1:
        raise ExportError(
            "the course self-assessment needs one pre file and one post file",
            file=str(raw),
            hint="name them e.g. course_pre_2023.csv and course_post_2023.csv "
            "(or alkukysely… / loppukysely…)",
        )
    return pre[0], post[0]


def _competence_inputs(found: Mapping[str, list[Path]], raw: Path, required: bool) -> list[Input]:
    p = one_export(found, "competence", raw, required=required)
    return [(p, "competence", "export")] if p else []


def _interviews_inputs(found: Mapping[str, list[Path]], raw: Path, required: bool) -> list[Input]:
    files = found.get("interviews", [])
    if not files and required:
        raise ExportError(
            "no interviews export in the folder",
            file=str(raw),
            hint="add the exports, e.g. interviews_2023-syksy.csv",
        )
    return [(p, "interviews", "export") for p in files]


def _interviews_check(inputs: Sequence[Any], raw: Path) -> None:
    sems = [i.semester or i.path.stem for i in inputs]
    if len(set(sems)) != len(sems):
        raise ExportError(
            f"two interview exports are from the same semester ({', '.join(sems)})",
            file=str(raw),
            hint="merge them into one file or remove the extra one",
        )


def _course_inputs(found: Mapping[str, list[Path]], raw: Path, required: bool) -> list[Input]:
    present = [
        k for k in ("course_enrolment", "course_selfassessment", "course_feedback") if k in found
    ]
    if not required and not present:
        return []
    enrol = one_export(found, "course_enrolment", raw)
    pre, post = pre_post(found.get("course_selfassessment", []), raw)
    feedback = one_export(found, "course_feedback", raw)
    inputs: list[Input] = [
        (enrol, "course_enrolment", "enrolment"),
        (pre, "course_selfassessment", "pre"),
        (post, "course_selfassessment", "post"),
        (feedback, "course_feedback", "feedback"),
    ]
    base = one_export(found, "competence", raw, required=False)
    if base:
        inputs.append((base, "competence", "baseline"))
    return inputs


# -------------------------------------------------------------------------------------- notebook parameters
def _by_role(inputs: Sequence[Any]) -> dict[str, str]:
    return {i.role: str(i.path.resolve()) for i in inputs}


def _competence_parameters(inputs: Sequence[Any], ctx: RunContext) -> dict[str, Any]:
    by_role = _by_role(inputs)
    params = {"export_path": by_role["export"], "target_size": int(ctx.target_size or 0)}
    # only when given: a run without one keeps the notebook's default
    if ctx.weak_alpha is not None:
        params["weak_alpha"] = float(ctx.weak_alpha)
    if "earlier" in by_role:  # a follow-up round: the earlier round's export beside this one
        params["earlier_export_path"] = by_role["earlier"]
    if ctx.trained_areas:
        params["trained_areas"] = ctx.trained_areas
    params.update(_coding_parameters(ctx, "competence"))
    return params


def _interviews_parameters(inputs: Sequence[Any], ctx: RunContext) -> dict[str, Any]:
    exports = {(i.semester or i.path.stem): str(i.path.resolve()) for i in inputs}
    params: dict[str, Any] = {"exports": exports}
    if (
        ctx.semester not in exports
    ):  # the run's label names the output folder; headline = latest semester
        from .interviews import semester_order

        params["semester"] = semester_order(list(exports))[-1]
    params["approved_quotes"] = str(ctx.approved_quotes.resolve()) if ctx.approved_quotes else ""
    params.update(_coding_parameters(ctx, "interviews"))
    return params


#: Analysis -> the theme codebook its open answers are coded with (a coded worksheet goes to that analysis).
CODING_CODEBOOKS = {"interviews": "interviews", "competence": "competence"}


def _coding_parameters(ctx: RunContext, analysis: str) -> dict[str, Any]:
    """The coded worksheet and the kappa bound, only when a worksheet of this analysis' codebook is given:
    a run without one passes the notebook's defaults, so its outputs stay as they were."""
    if ctx.coded_worksheet is None:
        return {}
    from .coding.worksheet import worksheet_codebook

    if worksheet_codebook(ctx.coded_worksheet) != CODING_CODEBOOKS.get(analysis):
        return {}
    params: dict[str, Any] = {"coded_worksheet": str(Path(ctx.coded_worksheet).resolve())}
    if ctx.kappa_bound is not None:
        params["kappa_bound"] = float(ctx.kappa_bound)
    return params


def _course_parameters(inputs: Sequence[Any], ctx: RunContext) -> dict[str, Any]:
    by_role = _by_role(inputs)
    return {
        "enrolment_path": by_role["enrolment"],
        "pre_path": by_role["pre"],
        "post_path": by_role["post"],
        "feedback_path": by_role["feedback"],
        "baseline_path": by_role.get("baseline", ""),
    }


ANALYSES: dict[str, Analysis] = {
    a.name: a
    for a in (
        Analysis(
            "competence",
            "01_competence_mapping.ipynb",
            ("Osaamiskartoitus", "Competence mapping"),
            _competence_inputs,
            _competence_parameters,
            run_rank=0,
            earlier_round="competence",
        ),
        Analysis(
            "interviews",
            "02_customer_experience.ipynb",
            ("Asiakaskokemushaastattelut", "Customer-experience interviews"),
            _interviews_inputs,
            _interviews_parameters,
            check_inputs=_interviews_check,
            run_rank=2,
        ),
        Analysis(
            "course",
            "03_course_pilot.ipynb",
            ("Koulutuspilotin arviointi", "Course pilot evaluation"),
            _course_inputs,
            _course_parameters,
            run_rank=1,
        ),
    )
}


def selected(name: str) -> list[Analysis]:
    """The analyses ``sosrake run <name>`` runs: one, or all of them for ``"all"``.

    >>> [a.name for a in selected("all")], [a.name for a in selected("course")]
    (['competence', 'interviews', 'course'], ['course'])
    """
    if name == "all":
        return list(ANALYSES.values())
    if name not in ANALYSES:
        raise ConfigError(f"unknown analysis {name!r}; known: {', '.join(ANALYSES)} or all")
    return [ANALYSES[name]]


__all__ = [
    "ANALYSES",
    "CODING_CODEBOOKS",
    "Analysis",
    "Input",
    "RunContext",
    "one_export",
    "pre_post",
    "selected",
]
