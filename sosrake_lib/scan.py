"""Scan an output folder for identifiers and small counts before anyone hands it on.

The last line of defence of the privacy promises (README, "Tietosuoja / data protection"): every file an
analysis wrote is read back *as a person or a program would see it* and checked for

- identifiers: henkilötunnus, phone numbers, e-mail addresses, IBANs, street addresses and car registration
  plates (the patterns of :func:`sosrake_lib.privacy.find_pii`, the same the scrubber removes), names from a
  given list (whole words, case-sensitive, and their capitalised inflected forms that cannot be an ordinary
  word: :func:`sosrake_lib.scrub.find_name_forms`), pseudonyms
  (``ps_`` + 16 hex digits: pseudonymised data are still personal data), raw respondent ids (given values or
  patterns such as the course's ``SR21-001``) and columns of the raw frame (``email``, ``name``...) in the
  tables an executed notebook displays;
- published counts below the minimum cell size: a count of people ``0 < n < min_n`` in a table column that holds
  counts (recognised by its header, Finnish or English: :func:`is_count_column`), in a cross-tabulation of counts,
  in a Likert table's answer-option counts, in a key figure (``unit = "n"`` and every ``n``), or written in text
  (``n = 3``, ``3 vastaajaa``) in a figure, PDF, HTML report or notebook output;
- spreadsheet formulas: a CSV/XLSX text cell starting with ``= + - @``, tab or CR that was not neutralised with a
  leading apostrophe, and any formula cell in a workbook (OWASP "CSV Injection").

What is read: CSV (every cell), XLSX (every sheet and cell, with :mod:`openpyxl`), JSON (every string, and
numbers with their keys), HTML (visible text and tables; scripts, styles and the base64 images inside ``<img>``
attributes are not text), SVG (``<text>`` elements), PDF (page text with :mod:`pypdf`), executed notebooks
(every output: ``text/plain``, ``text/html``, streams, errors; and the cell sources for identifiers) and plain
text files. PNG images cannot be read without OCR; each figure is also saved as SVG and PDF, which are scanned.

Operational metadata is skipped by default (:data:`DEFAULT_SKIP`): ``manifest.json`` and ``cleaning_log.json``
count *rows of an export* (test rows, duplicates, empty rows, file checksums), not people in a published cell.

The scanner is pattern based and errs on the side of reporting: every finding is worth a look, and a clean scan
is not a proof of anonymity (a described person, "the only supervisor in the TYP team", is not a pattern).

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "taulukko.csv").write_text("Ryhmä,n,%\\nEssote,52,44.1\\nMuu,3,2.5\\n", encoding="utf-8")
>>> _ = (d / "muistio.txt").write_text("Soita Ainolle 040 123 4567, kysy Aino.", encoding="utf-8")
>>> for f in scan_outputs(d, names=["Aino"]):
...     print(f)
muistio.txt: text: name 'Aino'
muistio.txt: text: name 'Ainolle'
muistio.txt: text: phone '040 123 4567'
taulukko.csv: row 3, column 'n': small_count '3'
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .privacy import find_pii
from .scrub import _find_name_forms, _names_key
from .settings import MIN_N

__all__ = [
    "DEFAULT_ID_PATTERNS",
    "DEFAULT_SKIP",
    "FORMULA_TRIGGERS",
    "Finding",
    "Identifiers",
    "identifiers_from_exports",
    "is_count_column",
    "scan_file",
    "scan_outputs",
]

#: Files that are operational metadata, not published statistics about people (see the module docstring).
DEFAULT_SKIP: tuple[str, ...] = ("manifest.json", "cleaning_log.json")
#: Identifiers that must never reach an output: pseudonyms made by :func:`sosrake_lib.privacy.pseudonymise` with
#: the ``ps_`` prefix of cleaning, and the course's participant ids (``SR21-001``; the sample's format).
DEFAULT_ID_PATTERNS: tuple[str, ...] = (
    r"(?<![0-9A-Za-z])ps_[0-9a-f]{16}(?![0-9a-f])",
    r"\bSR\d{2}-\d{3}\b",
)
#: A CSV/XLSX text cell starting with one of these is run as a formula unless neutralised with a leading ``'``.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_TEXT_SUFFIXES = (".txt", ".md", ".tex", ".log")


@dataclass(frozen=True, order=True)
class Finding:
    """One thing in one output file that should not be there.

    ``kind`` is ``"small_count"``, ``"personal_id"``, ``"phone"``, ``"email"``, ``"iban"``, ``"address"``,
    ``"plate"``, ``"name"``, ``"pseudonym"``, ``"respondent_id"``, ``"identifier_column"``, ``"formula"`` or
    ``"unreadable"``;
    ``where`` says where in the file (``row 3, column 'n'``, ``sheet 'x' B4``, ``cell 12 output 0``), ``value``
    is the offending text.
    """

    file: str
    where: str
    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.kind} {self.value!r}"


@dataclass
class Identifiers:
    """What a semester's raw exports say about the people in them: to look for in the outputs."""

    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ count columns

# Header words that name a count of people (Finnish and English, as the analyses write them).
_COUNT_WORDS = (
    r"count|lkm|määrä|frequency|freq|"
    r"vastaaj\w*|vastanneit\w*|vastauksia\w*|vastasi\w*|answered\w*|answers|respondents?|substantive answers|"
    r"haastatteluja|haastatelleita\w*|interviews|interviewing students|mainintoja|mentions|"
    r"pareja|pairs|pari|paired|suoritti|completed|ei suorittanut|did not complete|"
    r"nousi|laski|ei muutosta|increased|decreased|no change|"
    r"suosittelijat|passiiviset|arvostelijat|promoters|passives|detractors|"
    r"mukana|kept|enrolled|ilmoittautui\w*|aloitti\w*|started|osallistuj\w*|participants|opiskelijoita|students|"
    r"henkilöä|people|persons|vain alkukysely|vain loppukysely|pre only|post only|yhteensä|total"
)
_COUNT_RE = re.compile(
    r"^n$|^n[\s(]|^n_|_n$|[\s,(]n\)?$|^(?:" + _COUNT_WORDS + r")(?:$|[\s(,:])",
    flags=re.IGNORECASE,
)
# Headers that are not counts of people even when they look like one: percentages, ratios, interval ends,
# statistics, ranks, thresholds, and counts of cells, items, groups, rows of an export or characters.
_NOT_COUNT_RE = re.compile(
    r"%|\bper\b|kohden|\blv\b|\bci\b|keskiarvo|\bmean\b|median|mediaani|sija|\brank|\bp\b|"
    r"piilotet|suppress|raja|threshold|min_n|rivejä|raw rows|poistettu|dropped|väittämiä|\bitems\b|n_items|"
    r"ryhmiä|groups|vapausaste|\bdf\b|n_chars|n_boot|n_suppressed|cells|soluja|testissä|in test|left out",
    flags=re.IGNORECASE,
)
# Answer-option columns: "Vastaus 3" / "Answer 3" in published tables, "a3" and "nsa" (non-substantive answers)
# in the analysis frames a notebook displays.
_ANSWER_OPTION_RE = re.compile(
    r"^(?:(?:vastaus|answer|response)\s+\d+|a\d|nsa)$", flags=re.IGNORECASE
)


def is_count_column(header: Any) -> bool:
    """Whether a table column with this header holds counts of people.

    By name, Finnish or English: ``n``, ``n (kanta)``, ``n 2020``, ``Kaksi ylintä, n``, ``Samaa mieltä (n)``,
    ``n_answers``, ``top2_n``, ``count``, ``lkm``, ``Vastaajia``, ``Haastatteluja``, ``Mainintoja``,
    ``Suoritti``, ``Suosittelijat (9–10)``, ``Promoters (9–10)``, ``Yhteensä``... Percentages, CI ends,
    ratios (``... per student``), ranks and counts of cells, items or export rows are not.

    Examples
    --------
    >>> [is_count_column(h) for h in ["n", "n (kanta)", "Kaksi ylintä, n", "Haastatteluja", "Suoritti"]]
    [True, True, True, True, True]
    >>> [is_count_column(h) for h in ["Suorittaneita %", "Haastatteluja opiskelijaa kohden", "Piilotettuja soluja",
    ...                               "n_chars", "Sija", "Keskiarvo", "Raja (n vähintään)"]]
    [False, False, False, False, False, False, False]
    """
    text = " ".join(str(header).split())
    if not text or _NOT_COUNT_RE.search(text):
        return False
    return bool(_COUNT_RE.search(text))


def _likert_labels() -> frozenset[str]:
    """Answer labels of every codebook scale (Finnish and English): column headers of distribution tables."""
    from .codebook import available_instruments, load_instrument

    labels: set[str] = set()
    for name in available_instruments():
        inst = load_instrument(name)
        for item in inst.items:
            scale = getattr(item, "scale", None)
            if scale is None or scale.kind not in ("likert",):
                continue
            for spec in [*scale.codes.values(), *scale.non_substantive.values()]:
                labels.update(str(spec[lang]).casefold() for lang in ("fi", "en") if spec.get(lang))
    return frozenset(labels)


def _is_answer_option(header: str, likert: frozenset[str]) -> bool:
    text = " ".join(header.split())
    return bool(_ANSWER_OPTION_RE.match(text)) or text.casefold() in likert


# ------------------------------------------------------------------------------------------ values


def _number(value: Any) -> float | None:
    """The number a cell holds (``"3"``, ``"3.0"``, ``3``), or None for text, blanks and booleans."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("\u2212", "-")
    if not text or text.lower() in ("true", "false", "nan", "none", "<na>"):
        return None
    try:
        num = float(text)
    except ValueError:
        return None
    return num if math.isfinite(num) else None


def _integral(num: float | None) -> bool:
    return num is not None and num == int(num)


def _fmt(num: float) -> str:
    return str(int(num)) if _integral(num) else str(num)


# ------------------------------------------------------------------------------------------ the scanner


class _Scanner:
    def __init__(
        self,
        root: Path,
        *,
        min_n: int,
        names: Iterable[str],
        ids: Iterable[str],
        id_patterns: Iterable[str],
        columns: Iterable[str],
        formulas: bool,
    ) -> None:
        self.root = root
        self.min_n = int(min_n)
        names = [str(n) for n in names]
        self.name_key = _names_key(names)
        words = sorted(
            {w for n in names for w in n.split() if len(w) >= 2}, key=lambda w: (-len(w), w)
        )
        self.name_re = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
            if words
            else None
        )
        id_values = sorted(
            {str(i).strip() for i in ids if str(i).strip()}, key=lambda w: (-len(w), w)
        )
        alts = [p for p in id_patterns]
        alts += [r"(?<![\w-])" + re.escape(i) + r"(?![\w-])" for i in id_values]
        self.id_re = [
            (
                re.compile(p),
                "pseudonym"
                if p.startswith(r"(?<![0-9A-Za-z])ps_") or "ps_" in p
                else "respondent_id",
            )
            for p in alts
        ]
        self.columns = {" ".join(c.split()).casefold() for c in columns if str(c).strip()}
        self.formulas = formulas
        self.likert = _likert_labels()
        self.findings: list[Finding] = []
        self._file = ""

    # -- primitives
    def add(self, where: str, kind: str, value: Any) -> None:
        self.findings.append(Finding(self._file, where, kind, str(value)))

    def text(self, where: str, text: Any, *, counts: bool = False) -> None:
        """Identifiers in a piece of text (and, with ``counts``, counts written in words)."""
        if text is None:
            return
        text = str(text)
        if not text.strip():
            return
        for kind, match in find_pii(text):
            self.add(where, kind, match)
        if self.name_re is not None:
            for m in self.name_re.finditer(text):
                self.add(where, "name", m.group(0))
            for form in _find_name_forms(
                text, self.name_key
            ):  # Maijalle, Järven, Tuomaksen (scrub.py)
                self.add(where, "name", form)
        for rx, kind in self.id_re:
            for m in rx.finditer(text):
                self.add(where, kind, m.group(0))
        if counts:
            for rx in _TEXT_COUNT_RES:
                for m in rx.finditer(text):
                    num = float(re.sub(r"[ \u00a0\u202f]", "", m.group("n")))
                    if 0 < num < self.min_n:
                        self.add(where, "small_count", m.group(0))

    def count(self, where: str, value: Any) -> None:
        num = _number(value)
        if num is not None and _integral(num) and 0 < num < self.min_n:
            self.add(where, "small_count", _fmt(num))

    def formula(self, where: str, value: Any) -> None:
        if self.formulas and isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            if _number(value) is None:  # a negative number is a number, not a formula
                self.add(where, "formula", value[:60])

    # -- tables: header + rows of cells (CSV, XLSX, HTML)
    def table(
        self,
        where: str,
        header: Sequence[Any],
        rows: Sequence[Sequence[Any]],
        *,
        cell_name: Any = None,
    ) -> None:
        header = [" ".join(str(h if h is not None else "").split()) for h in header]
        for h in header:
            if h.casefold() in self.columns:
                self.add(f"{where}header", "identifier_column", h)
        width = len(header)
        cols = [[r[j] if j < len(r) else None for r in rows] for j in range(width)]
        nums = [[_number(v) for v in col] for col in cols]
        count_cols = {j for j, h in enumerate(header) if is_count_column(h)}
        # Likert distribution tables: answer-option columns hold counts when they hold whole numbers only
        # (the same headers over percentages, e.g. 18.2, are not counts).
        for j, h in enumerate(header):
            present = [x for x in nums[j] if x is not None]
            if present and _is_answer_option(h, self.likert) and all(_integral(x) for x in present):
                count_cols.add(j)
        # Cross-tabulations (organisation x role, category x semester): after the leading label column(s),
        # every column holds whole numbers or blanks (hidden cells), and none is excluded by name.
        first_num = next(
            (
                j
                for j in range(1, width)
                if any(x is not None for x in nums[j])
                and all(
                    _number(v) is not None or v is None or str(v).strip() == "" for v in cols[j]
                )
            ),
            None,
        )
        if first_num is not None:
            rest = range(first_num, width)
            if all(
                not _NOT_COUNT_RE.search(header[j])
                and all(x is None or _integral(x) for x in nums[j])
                and all(
                    _number(v) is not None
                    or v is None
                    or str(v).strip() in ("", "–", "-")
                    or _is_suppressed_mark(v)
                    for v in cols[j]
                )
                for j in rest
            ):
                count_cols.update(rest)
        for i, row in enumerate(rows):
            for j in range(width):
                value = row[j] if j < len(row) else None
                loc = cell_name(i, j) if cell_name else f"row {i + 2}, column {header[j]!r}"
                if j in count_cols:
                    self.count(f"{where}{loc}", value)
                if isinstance(value, str):
                    self.text(f"{where}{loc}", value)
        for h in header:
            self.text(f"{where}header", h)


def _is_suppressed_mark(value: Any) -> bool:
    text = str(value).strip().casefold()
    return bool(
        re.fullmatch(r"(?:<\s*\d+|alle \d+|fewer than \d+|piilotettu|suppressed|\.\.?)", text)
    )


# Counts written in running text: "n = 3", "3 vastaajaa", "3 interviews". Only a space (not a line break) between
# number and word, so a printed DataFrame's row number before a label ("1   Student") is not a count, and not
# after a dash, so a rule such as "1–4 henkilöä" is not one either. Finnish numbers group thousands with a
# (no-break) space, which PDF text extraction turns into a plain one: "n = 1 500" and "2 003 vastaajaa" are
# one number each, not "n = 1" or "003 vastaajaa".
_GROUPED = r"(?:[ \u00a0\u202f]\d{3})*(?!\d)"
_TEXT_COUNT_RES = (
    re.compile(r"(?<![\w.,])[nN][ \u00a0]?=[ \u00a0]?(?P<n>\d+" + _GROUPED + r")(?![.,]\d)"),
    re.compile(
        r"(?<![\w.,–-])(?:(?<!\d[ \u00a0\u202f])|(?!\d{3}(?!\d)))(?P<n>\d+"
        + _GROUPED
        + r")[ \u00a0]"
        r"(?:vastaaja(?:a|ta)?|vastannutta|henkilö(?:ä)?|haastattelua|"
        r"opiskelijaa|osallistujaa|työntekijää|asiakasta|respondents?|people|persons?|interviews?|"
        r"participants?|students?|clients?)(?!\w)",
        flags=re.IGNORECASE,
    ),
)


# ------------------------------------------------------------------------------------------ readers


def _read_csv(sc: _Scanner, path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    head = text[:4096]
    try:
        delim = csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        delim = ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    if not rows:
        return
    header, body = rows[0], rows[1:]
    for j, h in enumerate(header):
        sc.formula(f"header {j + 1}", h)
    for i, row in enumerate(body):
        for j, v in enumerate(row):
            sc.formula(f"row {i + 2}, column {header[j] if j < len(header) else j + 1!r}", v)
    sc.table("", header, body)


def _read_xlsx(sc: _Scanner, path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path, data_only=False)
    for ws in wb.worksheets:
        cells = list(ws.iter_rows())
        for row in cells:
            for c in row:
                if c.data_type == "f":
                    sc.add(f"sheet {ws.title!r} {c.coordinate}", "formula", str(c.value)[:60])
                elif c.data_type == "s":
                    sc.formula(f"sheet {ws.title!r} {c.coordinate}", c.value)
        if not cells:
            continue
        # the header row: the last frozen row (tables.xlsx has a title and a notes line above its headers,
        # and freezes the panes below the headers); the first row of a sheet without frozen rows
        top = _frozen_rows(ws.freeze_panes)
        top = top if 0 < top <= len(cells) else 1
        for row in cells[: top - 1]:  # title and notes: text, with counts written in words
            for c in row:
                if isinstance(c.value, str):
                    sc.text(f"sheet {ws.title!r} {c.coordinate}", c.value, counts=True)
                else:
                    sc.count(f"sheet {ws.title!r} {c.coordinate}", c.value)
        header = [c.value for c in cells[top - 1]]
        body = [[c.value for c in row] for row in cells[top:]]

        def cell_name(i: int, j: int, header: list[Any] = header, top: int = top) -> str:
            return f"{get_column_letter(j + 1)}{i + top + 1} ({header[j]!r})"

        sc.table(f"sheet {ws.title!r} ", header, body, cell_name=cell_name)


def _frozen_rows(freeze: Any) -> int:
    """How many rows a sheet's ``freeze_panes`` (``"A4"``) keeps in view: 3 for ``"A4"``, 0 for none.

    >>> _frozen_rows("A4"), _frozen_rows("B2"), _frozen_rows(None)
    (3, 1, 0)
    """
    m = re.fullmatch(r"[A-Z]+(\d+)", str(freeze or ""))
    return int(m.group(1)) - 1 if m else 0


_KF_COUNT_KEYS = ("n",)


def _walk_json(sc: _Scanner, obj: Any, where: str) -> None:
    if isinstance(obj, dict):
        is_count_figure = str(obj.get("unit", "")).strip() == "n"
        for key, value in obj.items():
            loc = f"{where}.{key}" if where else str(key)
            sc.text(loc, key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                if is_count_column(key) or (key == "value" and is_count_figure):
                    sc.count(loc, value)
            else:
                _walk_json(sc, value, loc)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            _walk_json(sc, value, f"{where}[{i}]")
    elif isinstance(obj, str):
        sc.text(where, obj, counts=True)


def _read_json(sc: _Scanner, path: Path) -> None:
    _walk_json(sc, json.loads(path.read_text(encoding="utf-8")), "")


class _HTMLText(HTMLParser):
    """Visible text and tables of an HTML document (no scripts, styles or attribute values such as images)."""

    _SKIP = {"script", "style", "head", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._skip = 0
        self._stack: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "table":
            self._stack.append(
                {"head": [], "body": [], "row": None, "cell": None, "in_head": False}
            )
        elif self._stack:
            t = self._stack[-1]
            if tag == "thead":
                t["in_head"] = True
            elif tag == "tr":
                t["row"] = []
            elif tag in ("td", "th"):
                t["cell"] = []
        if tag in ("br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "td", "th"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._stack:
            t = self._stack.pop()
            rows = t["head"] + t["body"]
            if rows:
                header = t["head"][0] if t["head"] else rows[0]
                body = t["body"] if t["head"] else rows[1:]
                self.tables.append((header, body))
        elif self._stack:
            t = self._stack[-1]
            if tag in ("td", "th") and t["cell"] is not None and t["row"] is not None:
                t["row"].append(" ".join("".join(t["cell"]).split()))
                t["cell"] = None
            elif tag == "tr" and t["row"] is not None:
                (t["head"] if t["in_head"] else t["body"]).append(t["row"])
                t["row"] = None
            elif tag == "thead":
                t["in_head"] = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data)
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"].append(data)


def _scan_html(sc: _Scanner, text: str, where: str) -> None:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    for k, (header, body) in enumerate(parser.tables):
        sc.table(f"{where}table {k + 1} ", header, body)
    sc.text(f"{where}text", "".join(parser.parts), counts=True)


def _read_html(sc: _Scanner, path: Path) -> None:
    _scan_html(sc, path.read_text(encoding="utf-8", errors="replace"), "")


def _read_svg(sc: _Scanner, path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "text"]
    for k, t in enumerate(texts):
        sc.text(f"text {k + 1}", t, counts=True)
    sc.text("all text", " | ".join(texts), counts=False)


def _read_pdf(sc: _Scanner, path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path)
    for k, page in enumerate(reader.pages):
        sc.text(f"page {k + 1}", page.extract_text() or "", counts=True)


def _as_text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _read_ipynb(sc: _Scanner, path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.get("cells", [])):
        sc.text(f"cell {i + 1} source", _as_text(cell.get("source", "")))
        for k, out in enumerate(cell.get("outputs", []) or []):
            where = f"cell {i + 1} output {k + 1} "
            if "text" in out:  # stream
                sc.text(f"{where}stream", _as_text(out["text"]), counts=True)
            if "traceback" in out:
                sc.text(f"{where}error", html.unescape(_as_text(out["traceback"])))
            data = out.get("data", {}) or {}
            for mime, value in data.items():
                if mime == "text/html":
                    _scan_html(sc, _as_text(value), where)
                elif mime in ("text/plain", "text/markdown", "text/latex"):
                    sc.text(f"{where}{mime}", _as_text(value), counts=True)
                elif mime == "application/json":
                    _walk_json(sc, value, f"{where}json")


def _read_text(sc: _Scanner, path: Path) -> None:
    sc.text("text", path.read_text(encoding="utf-8", errors="replace"), counts=True)


_READERS = {
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".xlsx": _read_xlsx,
    ".json": _read_json,
    ".html": _read_html,
    ".htm": _read_html,
    ".svg": _read_svg,
    ".pdf": _read_pdf,
    ".ipynb": _read_ipynb,
    **{s: _read_text for s in _TEXT_SUFFIXES},
}


# ------------------------------------------------------------------------------------------ public API


def scan_file(
    path: str | Path,
    *,
    root: str | Path | None = None,
    min_n: int = MIN_N,
    names: Iterable[str] = (),
    ids: Iterable[str] = (),
    id_patterns: Iterable[str] = DEFAULT_ID_PATTERNS,
    columns: Iterable[str] = (),
    formulas: bool = True,
) -> list[Finding]:
    """Scan one output file; the arguments are those of :func:`scan_outputs`. Unknown file types: none."""
    path = Path(path)
    sc = _Scanner(
        Path(root) if root else path.parent,
        min_n=min_n,
        names=names,
        ids=ids,
        id_patterns=id_patterns,
        columns=columns,
        formulas=formulas,
    )
    _scan_one(sc, path)
    return sorted(sc.findings)


def _scan_one(sc: _Scanner, path: Path) -> None:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        return
    try:
        sc._file = path.relative_to(sc.root).as_posix()
    except ValueError:
        sc._file = path.name
    try:
        reader(sc, path)
    except (
        Exception
    ) as exc:  # a file the scanner cannot read is itself a finding: it was not checked
        sc.add("file", "unreadable", f"{type(exc).__name__}: {exc}"[:200])


def _files(folder: Path, skip: Iterable[str]) -> Iterator[Path]:
    skip = set(skip)
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in skip and not p.name.startswith("."):
            yield p


def scan_outputs(
    folder: str | Path,
    *,
    min_n: int = MIN_N,
    names: Iterable[str] = (),
    ids: Iterable[str] = (),
    id_patterns: Iterable[str] = DEFAULT_ID_PATTERNS,
    columns: Iterable[str] = (),
    skip: Iterable[str] = DEFAULT_SKIP,
    formulas: bool = True,
) -> list[Finding]:
    """Scan every file under ``folder`` for identifiers, small counts and formulas; return the findings.

    Parameters
    ----------
    folder : path
        An output folder (``outputs/<semester>/`` or one analysis's folder); scanned recursively.
    min_n : int
        The minimum cell size the outputs were made with (``--min-cell-size``): counts ``0 < n < min_n`` of
        people are findings.
    names : iterable of str
        Names of people to look for (full names are split into words); matched as whole words,
        case-sensitively, so the Finnish word "aino" or a place name in lower case is not a name. Capitalised
        inflected forms are found too (``Maijalle``, ``Virtasen``, ``Järven`` of Järvi, ``Tuomaksen``), except
        those that are also ordinary words or compounds (``Ainoa``, ``Laurakatu``).
    ids : iterable of str
        Raw respondent ids to look for as whole tokens (purely numeric ids such as ``17`` cannot be told from
        a count and are best left out: :func:`identifiers_from_exports` does so).
    id_patterns : iterable of str
        Regular expressions of identifiers (default: pseudonyms ``ps_`` + 16 hex, course ids ``SR21-001``).
    columns : iterable of str
        Column names of the raw frame (``email``, ``name``, ``Sähköposti``...) that must not head a table.
    skip : iterable of str
        File names not scanned (default: the operational metadata in :data:`DEFAULT_SKIP`).
    formulas : bool
        Also report CSV/XLSX text cells that a spreadsheet would run as a formula.

    Returns
    -------
    list of Finding
        Sorted by file and place; empty when nothing was found.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"no such output folder: {root}")
    sc = _Scanner(
        root,
        min_n=min_n,
        names=names,
        ids=ids,
        id_patterns=id_patterns,
        columns=columns,
        formulas=formulas,
    )
    for path in _files(root, skip):
        _scan_one(sc, path)
        rel = path.relative_to(root).as_posix()
        if _UNREVIEWED.search(path.name) and not is_review_material(rel):
            sc.findings.append(
                Finding(
                    rel,
                    "file",
                    "review_material",
                    "unreviewed free text among the published outputs: move it to review/",
                )
            )
    return sorted(sc.findings)


_UNREVIEWED = re.compile(
    r"uncoded|luokittelemattom|coding_sample|coding_answers|coding_disagreements|codebook_suggestions|review",
    re.IGNORECASE,
)


def is_review_material(relative: str) -> bool:
    """True for an output that is staff work material, not for handing on: ``quotes_for_review.csv`` and
    everything under a ``review/`` folder (e.g. ``review/uncoded_answers.csv``).

    >>> is_review_material("interviews/review/uncoded_answers.csv"), is_review_material("quotes_for_review.csv")
    (True, True)
    >>> is_review_material("interviews/tables/uncoded_answers.csv")
    False
    """
    parts = Path(relative).parts
    return "review" in parts[:-1] or Path(relative).name == "quotes_for_review.csv"


def review_material(folder: str | Path) -> list[str]:
    """The review material under an output folder (relative paths): scanned like everything else, but never to
    be handed on as it is (scrubbed, not yet reviewed by a person)."""
    root = Path(folder)
    return [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*"))
        if p.is_file() and is_review_material(p.relative_to(root).as_posix())
    ]


def identifiers_from_exports(raw: str | Path) -> Identifiers:
    """Collect the names, non-numeric ids and identifier column names of the exports in a raw-data folder.

    Reads every export :func:`sosrake_lib.pipeline.discover_exports` finds with its codebook: the values of
    ``pii`` items that are not e-mail addresses become names (e-mails are found by pattern anyway), the values
    of ``id``/``pseudonym`` items become ids unless they are plain numbers, and the item ids of all three kinds
    (the raw frame's column names) become identifier column names.

    Examples
    --------
    >>> from sosrake_lib.paths import SAMPLE_DIR
    >>> ident = identifiers_from_exports(SAMPLE_DIR)
    >>> "SR21-001" in ident.ids, "email" in ident.columns, any(n.endswith("Heiskanen") for n in ident.names)
    (True, True, True)
    """
    from .codebook import load_instrument
    from .io import read_export
    from .outputs import KEY_FIGURE_COLUMNS
    from .pipeline import discover_exports

    names: set[str] = set()
    ids: set[str] = set()
    columns: set[str] = set()
    for inst_name, paths in discover_exports(raw).items():
        inst = load_instrument(inst_name)
        items = inst.items_of("id", "pseudonym", "pii")
        # the raw frame's column names; "name" is also the key-figure schema's own column, so it is left out
        columns.update(it.id for it in items if it.id not in KEY_FIGURE_COLUMNS)
        for path in paths:
            frame = read_export(path, inst)
            for it in items:
                if it.id not in frame.columns:
                    continue
                values = frame[it.id].dropna().astype(str).str.strip()
                values = values[values != ""]
                if it.kind == "pii":
                    # e-mails are found by pattern; a test row's "Testi Testaaja" names nobody (cleaning drops
                    # it) and "Testi" is the ordinary word for a statistical test in the tables
                    names.update(
                        v
                        for v in values
                        if "@" not in v and not v.isdigit() and not _TEST_NAME.search(v)
                    )
                else:
                    ids.update(v for v in values if not v.isdigit())
    return Identifiers(names=sorted(names), ids=sorted(ids), columns=sorted(columns))


_TEST_NAME = re.compile(r"(?i)(?<![a-zåäö])(?:test|testi|testaaja|testaus)(?![a-zåäö])")
