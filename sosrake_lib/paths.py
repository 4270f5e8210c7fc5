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

import functools
import json
import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("SOSRAKE_ROOT", PACKAGE_DIR.parent)).resolve()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
SAMPLE_DIR = RAW_DIR / "sample"
#: The shipped synthetic follow-up round (2022) of the sample: a subfolder, so the sample is one folder in git
#: and a run of ``data/raw/sample`` (which reads only the files directly in it) does not see the 2022 round.
FOLLOWUP_SAMPLE_DIR = SAMPLE_DIR / "2022"
#: The folders that hold shipped sample exports (each is read on its own: files directly in it).
SAMPLE_DIRS = (SAMPLE_DIR, FOLLOWUP_SAMPLE_DIR)
PROCESSED_DIR = DATA_DIR / "processed"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
INSTRUMENTS_DIR = PACKAGE_DIR / "instruments"
THEMES_DIR = PACKAGE_DIR / "themes"
#: The line the synthetic sample carries above its header (its infographics get a "synthetic" stamp). It says
#: nothing about the pseudonym key: only the shipped sample files themselves may use the demo key.
SAMPLE_MARKER = (
    "SYNTEETTINEN ESIMERKKIAINEISTO – keksityt henkilöt / synthetic sample data, invented people"
)


def is_sample_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` lies inside the shipped synthetic sample folder ``data/raw/sample`` (its follow-up
    round ``data/raw/sample/2022`` included).

    >>> is_sample_path(SAMPLE_DIR / "competence_2020.xlsx"), is_sample_path(FOLLOWUP_SAMPLE_DIR / "x.csv")
    (True, True)
    >>> is_sample_path("/tmp/export.csv")
    False
    """
    resolved = Path(path).resolve()
    return resolved.is_relative_to(SAMPLE_DIR)


@functools.cache
def _sample_hashes() -> dict[str, str]:
    return json.loads((Path(__file__).parent / "sample_sha256.json").read_text(encoding="utf-8"))


def shipped_sample_digest(name: str) -> str | None:
    """SHA-256 of the shipped sample file ``name`` (``sosrake_lib/sample_sha256.json``), or None.

    >>> len(shipped_sample_digest("interviews_2021-syksy.csv")), shipped_sample_digest("my_export.csv")
    (64, None)
    """
    return _sample_hashes().get(name)


def overlap(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when two paths are the same or one lies inside the other (after resolving links and ``..``).

    >>> overlap("/x/raw", "/x/raw/2023"), overlap("/x/raw/2023", "/x"), overlap("/x/raw", "/x/out")
    (True, True, False)
    """
    pa, pb = Path(a).resolve(), Path(b).resolve()
    return pa == pb or pa.is_relative_to(pb) or pb.is_relative_to(pa)


def input_paths(raw: str | os.PathLike[str]) -> dict[str, Path]:
    """The raw folder and every file in it as the places they really are (links followed), for
    :func:`check_separate`: an export linked into the raw folder from inside an output folder is an input too.
    """
    folder = Path(raw)
    out: dict[str, Path] = {"--raw": folder.resolve()}
    if folder.is_dir():
        for p in sorted(folder.iterdir()):
            if p.is_file():
                out[f"--raw file {p.name}"] = p.resolve()
    return out


def check_separate(
    outputs: dict[str, str | os.PathLike[str]], inputs: dict[str, str | os.PathLike[str]]
) -> None:
    """Refuse (``ConfigError``, one line) when an output folder equals, contains or lies inside an input path.

    A run replaces its output folders whole; were an export inside one, the swap would delete it. Raw files
    are never modified, moved or deleted, whatever the arguments.

    >>> check_separate({"--out": "/x/out/2023"}, {"--raw": "/x/raw/2023"})
    >>> check_separate({"--out": "/x/2023-syksy/interviews"}, {"--raw": "/x/2023-syksy/interviews"})
    Traceback (most recent call last):
    ...
    sosrake_lib.errors.ConfigError: the output folder /x/2023-syksy/interviews (--out) would overlap the input /x/2023-syksy/interviews (--raw): a run replaces its output folder whole; give an --out outside the raw data, e.g. outputs/
    """
    from .errors import ConfigError

    for out_name, out in outputs.items():
        for in_name, inp in inputs.items():
            if inp is not None and str(inp) != "" and overlap(out, inp):
                raise ConfigError(
                    f"the output folder {Path(out).resolve()} ({out_name}) would overlap the input "
                    f"{Path(inp).resolve()} ({in_name}): a run replaces its output folder whole; "
                    "give an --out outside the raw data, e.g. outputs/"
                )


_LABEL = re.compile(r"^\w[\w.-]{0,63}$")


def check_label(label: str, what: str = "semester label") -> str:
    """A semester label that can safely name a folder, or ``ConfigError`` (one line).

    Letters (also å, ä, ö), digits, ``-``, ``_`` and ``.``; not starting with a dot or dash; no spaces, line
    breaks, path separators or ``..``; at most 64 characters.

    >>> check_label("2023-syksy")
    '2023-syksy'
    >>> check_label("../../x")
    Traceback (most recent call last):
    ...
    sosrake_lib.errors.ConfigError: the semester label '../../x' cannot be a folder name; use letters, digits and '-' only, e.g. 2023-syksy
    """
    from .errors import ConfigError

    if not isinstance(label, str) or not _LABEL.fullmatch(label) or ".." in label:
        raise ConfigError(
            f"the {what} {label!r} cannot be a folder name; use letters, digits and '-' only, "
            "e.g. 2023-syksy"
        )
    return label
