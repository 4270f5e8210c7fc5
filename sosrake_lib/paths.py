"""Project paths, resolved from the project root so code runs from any working directory.

Like cookiecutter-data-science's ``config.py``: notebooks and the CLI import these instead of writing
relative paths. ``SOSRAKE_ROOT`` in the environment overrides the root (useful when the package is installed
elsewhere than the checkout).

Examples
--------
>>> (PROJECT_ROOT / "sosrake_lib").is_dir()
True
>>> SAMPLE_DIR.relative_to(PROJECT_ROOT).as_posix()
'data/raw/sample'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("SOSRAKE_ROOT", PACKAGE_DIR.parent)).resolve()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
SAMPLE_DIR = RAW_DIR / "sample"
PROCESSED_DIR = DATA_DIR / "processed"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
INSTRUMENTS_DIR = PACKAGE_DIR / "instruments"
THEMES_DIR = PACKAGE_DIR / "themes"
#: The line the synthetic sample carries above its header (its infographics get a "synthetic" stamp). It says
#: nothing about the pseudonym key: only the shipped sample files themselves may use the demo key.
SAMPLE_MARKER = "SYNTEETTINEN ESIMERKKIAINEISTO – keksityt henkilöt / synthetic sample data, invented people"


def is_sample_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` lies inside the shipped synthetic sample folder ``data/raw/sample``.

    >>> is_sample_path(SAMPLE_DIR / "competence_2020.xlsx")
    True
    >>> is_sample_path("/tmp/export.csv")
    False
    """
    try:
        Path(path).resolve().relative_to(SAMPLE_DIR)
    except ValueError:
        return False
    return True
