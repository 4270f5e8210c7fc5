"""Read survey-tool exports (.xlsx, .csv) into a coded data frame, finding columns by header text.

Real exports are messy: Microsoft Forms puts fixed columns first (ID, start and completion time, name, e-mail)
and heads each Likert statement by its text only; Moodle adds identity fields and locale dates; CSVs come
comma-, semicolon- or tab-separated, in UTF-8 with or without BOM, UTF-16 or Windows-1252, with metadata rows
above the header and sometimes two header rows. :func:`read_export` copes with all of these and turns answer
labels into codes through the instrument's codebook. Anything it cannot understand raises
:class:`~sosrake_lib.errors.ExportError` naming the file, row, column and value. The raw file is only read.

Result conventions
------------------
- ``_row``: the row number in the file as a spreadsheet shows it (1-based), for error messages and the
  cleaning log.
- Likert items: float codes (1..5) with NaN for blanks *and* for non-substantive answers; the companion column
  ``<item>__nsa`` says which non-substantive answer it was (``"dont_know"``, ``"not_applicable"``), so
  "En osaa sanoa" is counted but never enters a mean.
- NPS and integer items: float; categories: pandas ``Categorical`` of codebook codes in codebook order;
  dates: ``datetime64``; ids, pseudonym sources, names, e-mails and free text: strings. The raw frame still holds
  identifiers: pass it to :func:`~sosrake_lib.cleaning.clean_responses` and never write it anywhere.
- Optional items missing from the export are added as empty columns and listed in ``attrs["absent_items"]``.

Submodules
----------
- :mod:`~sosrake_lib.io.read`: the public entry points :func:`read_export` and
  :func:`detect_instrument` (the reader by file type, the private copy of a sample file),
  :func:`normalise_labels`, :func:`header_key`.
- :mod:`~sosrake_lib.io.csv_grid`: CSV reading: encodings, separator sniffing, row width, pandas'
  C parser.
- :mod:`~sosrake_lib.io.csv_arrow`: the fast path for large UTF-8 CSVs (Arrow's reader for the
  body).
- :mod:`~sosrake_lib.io.xlsx`: .xlsx streaming and its limits (``MAX_XLSX_ROWS``, ``MAX_COLUMNS``,
  ``MAX_SHARED_STRINGS``, ...).
- :mod:`~sosrake_lib.io.columns`: which item a header column holds: the tools' header layouts
  (Webropol, Google Forms, Microsoft Forms, Moodle, Excel) and :class:`ColumnMatch`.
- :mod:`~sosrake_lib.io.header`: the header row(s), the sheet with the answers, the column mapping,
  the errors of a file that does not fit the instrument.
- :mod:`~sosrake_lib.io.values`: answer labels, numbers and free text to codes and values.
- :mod:`~sosrake_lib.io.dates`: the tools' date formats and :func:`semester_of`.
- :mod:`~sosrake_lib.io.frame`: the converted columns, checks and ``attrs`` of the result frame.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "feedback.csv"
>>> _ = p.write_text("Kyselyn nimi: palaute\\n"
...     "ID;Kurssin sisältö vastasi sen tavoitteita;Kuinka todennäköisesti suosittelisit kurssia kollegallesi?\\n"
...     "1;Erittäin hyvin;9\\n2; en osaa sanoa ;10\\n", encoding="utf-8-sig")
>>> df = read_export(p, "course_feedback")
>>> df[["_row", "response_id", "FB_SIS1", "FB_SIS1__nsa", "nps"]].to_dict("list")
{'_row': [3, 4], 'response_id': ['1', '2'], 'FB_SIS1': [5.0, nan], 'FB_SIS1__nsa': [nan, 'dont_know'], 'nps': [9.0, 10.0]}
"""

from __future__ import annotations

from .columns import ColumnMatch as ColumnMatch
from .columns import _match_columns as _match_columns
from .csv_arrow import _read_csv_arrow as _read_csv_arrow
from .dates import _DATE_FAMILIES as _DATE_FAMILIES
from .dates import _parse_family as _parse_family
from .dates import semester_of as semester_of
from .frame import _filled as _filled
from .header import HEADER_SCAN_ROWS as HEADER_SCAN_ROWS
from .header import _find_header as _find_header
from .read import _load_grids as _load_grids
from .read import detect_instrument as detect_instrument
from .read import header_key as header_key
from .read import normalise_labels as normalise_labels
from .read import read_export as read_export
from .values import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from .xlsx import MAX_BLANK_RUN as MAX_BLANK_RUN
from .xlsx import MAX_CELL_CHARS as MAX_CELL_CHARS
from .xlsx import MAX_COLUMNS as MAX_COLUMNS
from .xlsx import MAX_SHARED_STRINGS as MAX_SHARED_STRINGS
from .xlsx import MAX_SHEETS as MAX_SHEETS
from .xlsx import MAX_XLSX_ROWS as MAX_XLSX_ROWS
from .xlsx import MAX_XLSX_UNPACKED as MAX_XLSX_UNPACKED
