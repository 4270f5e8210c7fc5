"""Find a semester's exports in a folder, and read, clean and store them in one step.

File names decide the instrument first (the codebooks' ``file_patterns``, e.g. ``interviews*``), header text
second (:func:`~sosrake_lib.io.detect_instrument`), so staff may keep the survey tool's own file names.

Examples
--------
>>> from sosrake_lib.paths import SAMPLE_DIR
>>> found = discover_exports(SAMPLE_DIR)
>>> sorted(found)
['competence', 'course_enrolment', 'course_feedback', 'course_selfassessment', 'interviews']
>>> [p.name for p in found["interviews"]]
['interviews_2021-syksy.csv', 'interviews_2022-syksy.csv']
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .cleaning import clean_responses, write_processed
from .codebook import available_instruments, load_instrument
from .errors import ExportError
from .io import detect_instrument, read_export
from .paths import PROCESSED_DIR

EXPORT_SUFFIXES = (
    ".xlsx",
    ".xlsm",
    ".csv",
    ".tsv",
    ".txt",
    ".xls",
    ".ods",
)  # .xls/.ods only to refuse them


def instrument_for(path: Path) -> str | None:
    """The instrument a file belongs to, by file name pattern, else by its headers."""
    name = path.name.lower()
    for inst_name in available_instruments():
        if any(
            fnmatch.fnmatch(name, pat.lower()) for pat in load_instrument(inst_name).file_patterns
        ):
            return inst_name
    return detect_instrument(path)


def discover_exports(folder: str | Path) -> dict[str, list[Path]]:
    """Map instrument name -> export files (sorted by name) found directly in ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(
            "the raw-data folder does not exist",
            file=str(folder),
            hint="give the folder that holds the semester's exports, e.g. data/raw/2023-syksy",
        )
    found: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        if (
            p.is_file()
            and p.suffix.lower() in EXPORT_SUFFIXES
            and not p.name.startswith((".", "~$"))
        ):
            inst = instrument_for(p)
            if inst:
                found.setdefault(inst, []).append(p)
    return found


@dataclass
class Prepared:
    """One export, read and cleaned."""

    path: Path
    instrument: str
    data: pd.DataFrame
    #: the ``version:`` of the codebook edition the export was read with (see :mod:`sosrake_lib.editions`)
    version: str | None = None

    @property
    def log(self) -> dict:
        return self.data.attrs["cleaning_log"]


def prepare_file(
    path: str | Path, instrument: str, *, strict: bool = False, overlay: str | Path | None = None
) -> Prepared:
    """Read and clean one export (nothing written). ``strict``: every absent item and unmatched answer column
    is an error; ``overlay``: a codebook overlay with header aliases (``sosrake map``)."""
    from .editions import pick_edition

    inst = pick_edition(path, instrument, overlay)  # the codebook version the export was asked with
    df = clean_responses(read_export(path, inst, strict=strict), inst)
    return Prepared(Path(path), instrument, df, str(inst.version))


def prepare_folder(
    folder: str | Path,
    semester: str,
    out_dir: str | Path | None = PROCESSED_DIR,
    *,
    strict: bool = False,
    overlay: str | Path | None = None,
) -> list[Prepared]:
    """Read and clean every export in ``folder``; with ``out_dir`` write each as parquet + cleaning log.

    All files are read and checked before anything is written, so a broken export leaves no partial output.
    """
    found = discover_exports(folder)
    if not found:
        raise ExportError(
            "no survey exports found in the folder",
            file=str(folder),
            hint="put the .xlsx/.csv exports there; names like competence*.xlsx, interviews*.csv help",
        )
    done = [
        prepare_file(p, inst, strict=strict, overlay=overlay)
        for inst, paths in found.items()
        for p in paths
    ]
    if out_dir is not None:
        for item in done:
            write_processed(item.data, semester, item.path.stem, out_dir)
    return done
