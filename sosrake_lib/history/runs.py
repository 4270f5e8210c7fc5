"""The completed runs under an output root, and the round (semester or year) each one describes.

A run folder is ``<root>/<label>/<analysis>/`` with ``manifest.json`` and ``key_figures.json``. A folder
that is not complete is *skipped with its reason* (:class:`Skipped`), never left out in silence: no
manifest (the run failed or is still running), no key figures, a file that is not JSON, key figures whose
hash no longer matches the manifest, or a temporary ``.….partial`` folder of an unfinished run.

The round of a run (:func:`run_round`): the run's label when it is a semester or a year (``2022-syksy``,
``2021``); otherwise it is *guessed*, and said so: from the inputs' semester (the manifest's ``inputs``),
else from a year in the export file names (``competence_2022.xlsx``, ``course_pre_2021.csv``). Inputs that
describe another round are not the run's round: the course's baseline (an earlier competence mapping) and a
follow-up run's earlier round (``sosrake run --earlier-round``).

Examples
--------
>>> run_round({"semester": "2022-syksy", "inputs": []}).round
'2022-syksy'
>>> r = run_round({"semester": "sample", "inputs": [{"file": "competence_2020.xlsx", "role": "export"}]})
>>> r.round, r.source, r.guessed
('2020', 'file_name', True)
>>> run_round({"semester": "s", "inputs": [{"file": "competence_2022.xlsx", "role": "export"},
...                                         {"file": "competence_2020.xlsx", "role": "earlier"}]}).round
'2022'
>>> is_round("2021"), is_round("2023-kevät"), is_round("sample")
(True, True, False)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fmt import fmt_semester
from ..registry import ANALYSES
from .texts import text

#: The folder the history command writes into; it is never read as a run.
HISTORY_DIR = "history"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def is_round(label: Any) -> bool:
    """True when ``label`` names a round: a year (``2021``) or a semester code (``2022-syksy``)."""
    label = str(label or "").strip()
    if re.fullmatch(r"(19|20)\d{2}", label):
        return True
    return fmt_semester(label, "fi") != label


@dataclass(frozen=True)
class Round:
    """The round of a run and how it was found (``guessed``: not from the run's own label)."""

    round: str
    source: str  # "run_label", "input_semester", "file_name"
    guessed: bool = False
    note_fi: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Skipped:
    """A folder that looked like a run but was not used, and why (in Finnish and English)."""

    folder: str
    reason_fi: str
    reason_en: str

    def reason(self, lang: str = "fi") -> str:
        return self.reason_fi if lang == "fi" else self.reason_en


@dataclass
class Run:
    """One completed run: its folder, manifest, key figures and round."""

    folder: Path
    relative: str
    analysis: str
    manifest: dict[str, Any]
    key_figures: list[dict[str, Any]]
    min_n: int
    round: Round
    key_figures_sha256: str = ""
    tables_dir: Path | None = field(default=None, repr=False)

    @property
    def lang(self) -> str:
        return str((self.manifest.get("parameters") or {}).get("lang") or "fi")

    @property
    def instrument_versions(self) -> str:
        """``"name=version"`` of the codebook of every input of the run's own round (``""`` when the manifest
        predates the field); a follow-up run's earlier round and the course's baseline are left out."""
        pairs = {
            f"{i.get('instrument')}={i['instrument_version']}"
            for i in self.manifest.get("inputs") or []
            if i.get("instrument_version") is not None and i.get("role") not in _OTHER_ROUND_ROLES
        }
        return ";".join(sorted(pairs))


def _both(key: str, **kw: Any) -> tuple[str, str]:
    return text(key, "fi", **kw), text(key, "en", **kw)


#: Input roles that describe another round than the run's own (see the module docstring).
_OTHER_ROUND_ROLES = ("baseline", "earlier")


def run_round(manifest: Mapping[str, Any]) -> Round | Skipped:
    """The round of a run from its manifest (see the module docstring); :class:`Skipped` when unknown."""
    label = str(manifest.get("semester") or "")
    if is_round(label):
        return Round(label, "run_label")
    inputs = [i for i in manifest.get("inputs") or [] if i.get("role") not in _OTHER_ROUND_ROLES]
    files = ", ".join(str(i.get("file")) for i in inputs)
    semesters = sorted({str(i["semester"]) for i in inputs if is_round(i.get("semester"))})
    if semesters:
        from ..interviews.common import semester_order

        latest = semester_order(semesters)[-1]
        fi, en = _both("note_input_semester", label=label, round=latest, files=files)
        return Round(latest, "input_semester", True, fi, en)
    years = sorted({m for i in inputs for m in _YEAR.findall(str(i.get("file") or ""))})
    if len(years) == 1:
        fi, en = _both("note_file_year", label=label, round=years[0], files=files)
        return Round(years[0], "file_name", True, fi, en)
    if len(years) > 1:
        fi, en = _both("skip_mixed_years", years=", ".join(years))
        return Skipped("", fi, en)
    fi, en = _both("skip_no_round", label=label or "–")
    return Skipped("", fi, en)


def followup_rounds(manifest: Mapping[str, Any]) -> tuple[str, str] | None:
    """The two rounds a follow-up run compares, earlier first, each found as :func:`run_round` finds a run's
    round (the earlier one from its own input, role ``"earlier"``); ``None`` for a run without an earlier
    round, or when either round cannot be told.

    Examples
    --------
    >>> followup_rounds({"semester": "sample_2022", "inputs": [
    ...     {"file": "competence_2022.xlsx", "role": "export"},
    ...     {"file": "competence_2020.xlsx", "role": "earlier"}]})
    ('2020', '2022')
    >>> followup_rounds({"semester": "2022-syksy", "inputs": [
    ...     {"file": "kartoitus.xlsx", "role": "earlier", "semester": "2020-syksy"}]})
    ('2020-syksy', '2022-syksy')
    >>> followup_rounds({"semester": "2022-syksy", "inputs": [{"file": "a.xlsx", "role": "export"}]}) is None
    True
    """
    earlier = [i for i in manifest.get("inputs") or [] if i.get("role") == "earlier"]
    if not earlier:
        return None
    before = run_round({"semester": "", "inputs": [{**i, "role": "export"} for i in earlier]})
    now = run_round(manifest)
    if isinstance(before, Skipped) or isinstance(now, Skipped):
        return None
    return before.round, now.round


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_run(
    folder: Path, root: Path, *, manifest: Mapping[str, Any] | None = None
) -> Run | Skipped:
    """Read one run folder; ``manifest`` given: the run being written now (its manifest is not on disk yet)."""
    relative = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder.name
    if folder.name.startswith(".") and manifest is None:
        return Skipped(relative, *_both("skip_partial"))
    kf_path = folder / "key_figures.json"
    if manifest is None:
        mpath = folder / "manifest.json"
        if not mpath.is_file():
            return Skipped(relative, *_both("skip_no_manifest"))
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Skipped(relative, *_both("skip_bad_json", file="manifest.json"))
        if not isinstance(manifest, dict):
            return Skipped(relative, *_both("skip_bad_json", file="manifest.json"))
    if not kf_path.is_file():
        return Skipped(relative, *_both("skip_no_key_figures"))
    digest = _sha256(kf_path)
    recorded = (manifest.get("outputs") or {}).get("key_figures.json")
    if recorded and recorded != digest:
        return Skipped(relative, *_both("skip_changed"))
    try:
        doc = json.loads(kf_path.read_text(encoding="utf-8"))
        figures = list(doc["key_figures"])
        min_n = int(doc.get("min_n") or manifest.get("parameters", {}).get("min_cell_size") or 5)
    except (OSError, ValueError, KeyError, TypeError):
        return Skipped(relative, *_both("skip_bad_json", file="key_figures.json"))
    rnd = run_round(manifest)
    if isinstance(rnd, Skipped):
        return Skipped(relative, rnd.reason_fi, rnd.reason_en)
    analysis = str(manifest.get("analysis") or folder.name)
    return Run(folder, relative, analysis, dict(manifest), figures, min_n, rnd, digest, folder)


def find_runs(
    root: str | Path,
    *,
    analysis: str | None = None,
    exclude: Iterable[Path] = (),
) -> tuple[list[Run], list[Skipped]]:
    """Every run under ``root`` (``<label>/<analysis>/``), and the folders skipped with their reasons.

    Only folders named after a known analysis count (others are not runs); ``analysis`` limits to one;
    folders in ``exclude`` (the run being replaced) are left out without a word. Sorted by folder.
    """
    root = Path(root)
    excluded = {Path(p).resolve() for p in exclude}
    runs: list[Run] = []
    skipped: list[Skipped] = []
    if not root.is_dir():
        return runs, skipped
    for label_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if label_dir.name == HISTORY_DIR:
            continue
        for folder in sorted(p for p in label_dir.iterdir() if p.is_dir()):
            name = folder.name.lstrip(".").split(".")[0]
            if name not in ANALYSES or (analysis and name != analysis):
                continue
            if folder.resolve() in excluded:
                continue
            got = read_run(folder, root)
            (runs if isinstance(got, Run) else skipped).append(got)  # type: ignore[arg-type]
    return runs, skipped


__all__ = [
    "HISTORY_DIR",
    "Round",
    "Run",
    "Skipped",
    "find_runs",
    "followup_rounds",
    "is_round",
    "read_run",
    "run_round",
]
