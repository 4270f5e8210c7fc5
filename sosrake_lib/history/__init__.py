"""Kehitys lukukausittain: the key figures of every completed run in an output folder, as one long table
with its trend figures.

``sosrake history outputs/`` reads ``outputs/<semester>/<analysis>/`` (a completed run: ``manifest.json``
and ``key_figures.json``), says which folders it skipped and why and which rounds it had to guess, and
writes ``outputs/history/``: ``history.csv`` (machines), ``history.xlsx`` (people), the trend figures
(``figures/<analysis>_<figure>.svg/.pdf/.png`` + ``.alt.txt``) and ``summary.md``. Each report gets the
same table and figures in its section *Kehitys* / *Trend* when its analysis has two or more rounds
(:func:`~sosrake_lib.history.publish.trend_section`, called by the runner): one code path.

Modules: ``runs`` (finding runs, their round), ``table`` (the rows, series and breaks), ``figures``
(trend figure), ``publish`` (writing the history folder, the report section), ``texts`` (the texts of
``labels_data/history.yaml``).

Examples
--------
>>> import tempfile
>>> runs, skipped = find_runs(tempfile.mkdtemp())
>>> runs, skipped
([], [])
"""

from __future__ import annotations

from .runs import HISTORY_DIR, Round, Run, Skipped, find_runs, is_round, read_run, run_round
from .table import HISTORY_COLUMNS, breaks, guessed_runs, history_table, rounds_of

__all__ = [
    "HISTORY_COLUMNS",
    "HISTORY_DIR",
    "Round",
    "Run",
    "Skipped",
    "breaks",
    "find_runs",
    "guessed_runs",
    "history_table",
    "is_round",
    "read_run",
    "rounds_of",
    "run_round",
]
