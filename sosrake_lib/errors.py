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
>>> err.one_line("fi")
"export.csv: rivi 7, sarake 'Tulin kuulluksi', arvo 'Melko samaa': unknown answer label. Mitä tehdä: add the label to the codebook or fix the cell."
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The words of an error's location in each language (the command line prints it in its language).
_WHERE = {
    "en": ("row", "column", "value", "What to do"),
    "fi": ("rivi", "sarake", "arvo", "Mitä tehdä"),
}


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
    message_fi, hint_fi : str, optional
        The same in Finnish, for the command line in Finnish (:meth:`one_line`); ``str(err)`` is English.
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
        message_fi: str | None = None,
        hint_fi: str | None = None,
    ) -> None:
        self.message = message
        self.message_fi = message_fi
        self.hint_fi = hint_fi
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._format())

    def _format(self, lang: str = "en", translate: Callable[[str, str], str] | None = None) -> str:
        row_w, col_w, val_w, todo_w = _WHERE.get(lang, _WHERE["en"])
        message, hint = self.message, self.hint
        if lang == "fi":
            message = self.message_fi or (translate(message, lang) if translate else message)
            if hint:
                hint = self.hint_fi or (translate(hint, lang) if translate else hint)
        where = []
        if self.row is not None:
            where.append(f"{row_w} {self.row}")
        if self.column is not None:
            where.append(f"{col_w} {self.column!r}")
        if self.value is not None:
            where.append(f"{val_w} {_short(self.value)!r}")
        head = self.file or "<input>"
        text = f"{head}: {', '.join(where)}: {message}" if where else f"{head}: {message}"
        if hint:
            text += f". {todo_w}: {hint}."
        return text

    def one_line(self, lang: str = "en", translate: Callable[[str, str], str] | None = None) -> str:
        """The message on a single line, as the CLI prints it, in ``lang`` ("en" or "fi").

        In Finnish the location words are Finnish, and the message and hint are ``message_fi`` /
        ``hint_fi`` when given, else ``translate(text, "fi")`` (the command line passes
        :func:`sosrake_lib.messages.library_text`), else as they are.
        """
        return " ".join(self._format(lang, translate).split())


class ConfigError(ValueError):
    """A problem with the set-up (missing pseudonym key, bad parameter), not with a data file."""


class DisclosureError(RuntimeError):
    """A table reached publishing with a group smaller than ``min_n`` that no rule hid.

    Not a problem of the input: an analysis forgot to apply :mod:`sosrake_lib.sdc`. The message names the
    table, column and row; nothing is written.
    """
