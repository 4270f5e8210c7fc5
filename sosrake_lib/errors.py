"""Errors that users see.

Every problem with an input file is an :class:`ExportError`: a ``ValueError`` that names the file, the row,
the column and the offending value, and says what to do. The CLI prints its message as one line and exits 2.

Examples
--------
>>> err = ExportError("unknown answer label", file="export.csv", row=7, column="Tulin kuulluksi",
...                   value="Melko samaa", hint="add the label to the codebook or fix the cell")
>>> str(err)
"export.csv: row 7, column 'Tulin kuulluksi', value 'Melko samaa': unknown answer label. What to do: add the label to the codebook or fix the cell."
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from typing import Any


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ExportError(ValueError):
    """A problem with an input export, located as precisely as possible.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    file, row, column, value : optional
        Where it is. ``row`` is the 1-based row number as a spreadsheet program shows it.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {_short(self.value)!r}")
        head = self.file or "<input>"
        text = f"{head}: {', '.join(where)}: {self.message}" if where else f"{head}: {self.message}"
        if self.hint:
            text += f". What to do: {self.hint}."
        return text

    def one_line(self) -> str:
        """The message on a single line, as the CLI prints it."""
        return " ".join(str(self).split())


class ConfigError(ValueError):
    """A problem with the set-up (missing pseudonym key, bad parameter), not with a data file."""


class DisclosureError(RuntimeError):
    """A table reached publishing with a group smaller than ``min_n`` that no rule hid.

    Not a problem of the input: an analysis forgot to apply :mod:`sosrake_lib.sdc`. The message names the
    table, column and row; nothing is written.
    """
