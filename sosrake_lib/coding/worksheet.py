"""The coding worksheet: a seeded sample of a run's scrubbed open answers for people to code in Excel.

:func:`write_worksheet` draws ``n`` answers at random (seeded, so the same seed gives the same sample) from
the run's ``review/coding_answers.csv`` and writes ``review/coding_sample.xlsx``:

1. *Ohjeet* / *Instructions*: how to code, in the chosen language;
2. *Koodaaja 1* and *Koodaaja 2* / *Coder 1* and *Coder 2*: the same answers, one row each (answer id,
   question, answer), one column per theme to tick with ``x``, a column *Ei mikään teema* / *No theme* for
   an answer that fits no theme, and a note column. A list validation offers ``x`` in the tick cells; the
   header row and the text columns are frozen. The second sheet is for a second, independent coder;
3. *Teemat* / *Themes*: each theme's name and description from the codebook ("(ei kuvausta)" when it has
   none; never its matching stems);
4. a hidden sheet ``_meta`` the agreement step reads (codebook, theme ids of the columns, seed, run).

The codebook's own codes are **not** in the workbook: the coder must not see them.

:func:`read_worksheet` reads the ticks back. A cell counts as ticked when it holds ``x``, ``X``, ``1`` or
``kyllä`` (any case, spaces around ignored; the number 1 too) and as not ticked when empty; anything else is
an error naming the file, sheet, row, column and value. A row counts as *coded* when at least one theme or
*No theme* is ticked; rows nobody ticked are left out of every statistic and counted (the coder did not get
to them). A row with both a theme and *No theme* ticked is an error.

Examples
--------
>>> is_tick(" X "), is_tick(1), is_tick("Kyllä"), is_tick(None), is_tick("")
(True, True, True, False, False)
>>> is_tick("maybe") is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..atomic import atomic_write_bytes
from ..errors import ConfigError, ExportError
from ..fmt import Lang
from .answers import CB_PREFIX, REVIEW_DIR, read_coding_answers

__all__ = [
    "TICKS",
    "WORKSHEET_FILE",
    "Worksheet",
    "is_tick",
    "read_worksheet",
    "worksheet_codebook",
    "worksheet_bytes",
    "write_worksheet",
]

WORKSHEET_FILE = "coding_sample.xlsx"
FORMAT = "sosrake-coding-sample 1"
META_SHEET = "_meta"
#: Cell values (lower case, stripped) that count as a tick; an empty cell is no tick.
TICKS = frozenset({"x", "1", "kyllä", "kylla"})
CODERS = ("coder1", "coder2")

_WORDS: dict[str, dict[str, Any]] = {
    "fi": {
        "instructions": "Ohjeet",
        "coders": ("Koodaaja 1", "Koodaaja 2"),
        "themes_sheet": "Teemat",
        "id": "Tunniste",
        "question": "Kysymys",
        "answer": "Vastaus",
        "none": "Ei mikään teema",
        "note": "Huomio",
        "theme": "Teema",
        "description": "Kuvaus",
        "no_description": "(ei kuvausta)",
        "title": "Avovastausten koodaus: vertailu teemakoodistoon",
        "lines": [
            "Tällä lomakkeella tarkistetaan, kuinka hyvin teemakoodisto luokittelee avovastaukset. "
            "Luet otoksen vastauksia ja merkitset, mihin teemoihin kukin vastaus mielestäsi kuuluu.",
            "1. Avaa välilehti Koodaaja 1 (toinen koodaaja: Koodaaja 2). Älä katso toisen koodaajan "
            "merkintöjä ennen kuin olet valmis.",
            "2. Lue vastaus ja merkitse x jokaisen teeman sarakkeeseen, johon vastaus kuuluu. Vastaus voi "
            "kuulua useaan teemaan. Teemojen kuvaukset ovat välilehdellä Teemat.",
            "3. Jos vastaus ei kuulu mihinkään teemaan, merkitse x sarakkeeseen Ei mikään teema.",
            "4. Hyväksytyt merkinnät: x, X, 1 tai kyllä. Tyhjä solu = ei kuulu teemaan. "
            "Rivi, jolla ei ole yhtään merkintää, jätetään pois (sitä ei ole koodattu) ja lasketaan.",
            "5. Älä muuta tunnisteita, rivien järjestystä tai sarakeotsikoita. Huomio-sarakkeeseen saat "
            "kirjoittaa vapaasti.",
            "6. Tallenna ja aja: sosrake coding-agreement <tämä tiedosto>. Tulos kertoo teemoittain, "
            "kuinka hyvin koodisto ja ihminen ovat samaa mieltä (Cohenin kappa), ja listaa vastaukset, "
            "joista ne ovat eri mieltä, koodiston seuraavaa muokkausta varten.",
            "Tietosuoja: vastaukset on siivottu tunnisteista, mutta ne ovat asiakkaiden omia sanoja. "
            "Tiedosto on tarkistusaineistoa: älä jaa sitä eteenpäin.",
        ],
        "validation_title": "Merkintä",
        "validation_error": "Merkitse x (tai 1 tai kyllä), tai jätä tyhjäksi.",
    },
    "en": {
        "instructions": "Instructions",
        "coders": ("Coder 1", "Coder 2"),
        "themes_sheet": "Themes",
        "id": "Answer id",
        "question": "Question",
        "answer": "Answer",
        "none": "No theme",
        "note": "Note",
        "theme": "Theme",
        "description": "Description",
        "no_description": "(no description)",
        "title": "Coding open answers: a check of the theme codebook",
        "lines": [
            "This worksheet checks how well the theme codebook codes the open answers. You read a sample "
            "of answers and tick the themes you think each answer belongs to.",
            "1. Open the sheet Coder 1 (a second coder: Coder 2). Do not look at the other coder's ticks "
            "before you are done.",
            "2. Read the answer and put x in the column of every theme it belongs to. An answer may belong "
            "to several themes. The themes are described on the sheet Themes.",
            "3. If the answer belongs to no theme, put x in the column No theme.",
            "4. Ticks: x, X, 1 or kyllä. An empty cell = not this theme. A row with no tick at all is left "
            "out (not coded) and counted.",
            "5. Do not change the ids, the order of the rows or the headers. Write freely in Note.",
            "6. Save and run: sosrake coding-agreement <this file>. It reports per theme how well the "
            "codebook and the person agree (Cohen's kappa) and lists the answers they disagree on, for "
            "the next codebook edit.",
            "Privacy: the answers are scrubbed of identifiers but are still clients' own words. The file "
            "is review material: do not hand it on.",
        ],
        "validation_title": "Tick",
        "validation_error": "Put x (or 1 or kyllä), or leave the cell empty.",
    },
}


def is_tick(value: Any) -> bool | None:
    """True for a tick, False for an empty cell, None for anything else (an error for the caller)."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return True if value == 1 else None
    text = str(value).strip().lower()
    if not text:
        return False
    return True if text in TICKS else None


def _sample(answers: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    if n < 1:
        raise ConfigError(f"--n must be at least 1 (got {n})")
    rng = np.random.default_rng(seed)
    take = rng.permutation(len(answers))[: min(n, len(answers))]
    return answers.iloc[take].reset_index(drop=True)


def worksheet_bytes(
    sample: pd.DataFrame,
    themes: Sequence[tuple[str, str, str]],
    meta: dict[str, str],
    lang: Lang = "fi",
) -> bytes:
    """The worksheet ``.xlsx`` for ``sample`` (``answer_id``, ``question_label``, ``answer``).

    ``themes`` are (id, label, description) in column order. No ``cb:`` column is ever written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..outputs import safe_cell, workbook_to_bytes

    w = _WORDS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = w["instructions"]
    ws.cell(row=1, column=1, value=w["title"]).font = Font(bold=True, size=14)
    for i, line in enumerate(w["lines"], start=3):
        ws.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 110
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    headers = [w["id"], w["question"], w["answer"], *[t[1] for t in themes], w["none"], w["note"]]
    first_tick, last_tick = 4, 4 + len(themes)  # theme columns and "No theme"
    for name in w["coders"]:
        cs = wb.create_sheet(name)
        for j, h in enumerate(headers, start=1):
            c = cs.cell(row=1, column=j, value=h)
            c.font, c.alignment = bold, wrap
            if first_tick <= j <= last_tick:
                c.fill = PatternFill("solid", fgColor="E8EEF7")
        for i, row in enumerate(sample.itertuples(index=False), start=2):
            cs.cell(row=i, column=1, value=row.answer_id)
            cs.cell(row=i, column=2, value=safe_cell(row.question_label)).alignment = wrap
            cs.cell(row=i, column=3, value=safe_cell(row.answer)).alignment = wrap
        last_row = len(sample) + 1
        dv = DataValidation(
            type="list",
            formula1='"x,1,kyllä"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=w["validation_title"],
            error=w["validation_error"],
            promptTitle=w["validation_title"],
            prompt=w["validation_error"],
            showInputMessage=True,
        )
        dv.add(f"{get_column_letter(first_tick)}2:{get_column_letter(last_tick)}{max(last_row, 2)}")
        cs.add_data_validation(dv)
        widths = [13, 26, 60, *[max(10, min(16, len(t[1]) + 2)) for t in themes], 11, 30]
        for j, width in enumerate(widths, start=1):
            cs.column_dimensions[get_column_letter(j)].width = width
        cs.row_dimensions[1].height = 45
        cs.freeze_panes = "D2"
    ts = wb.create_sheet(w["themes_sheet"])
    for j, h in enumerate((w["theme"], w["description"]), start=1):
        ts.cell(row=1, column=j, value=h).font = bold
    for i, (_, label, desc) in enumerate(themes, start=2):
        ts.cell(row=i, column=1, value=label)
        ts.cell(row=i, column=2, value=desc).alignment = wrap
    ts.column_dimensions["A"].width = 30
    ts.column_dimensions["B"].width = 80
    ms = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(meta.items(), start=1):
        ms.cell(row=i, column=1, value=k)
        ms.cell(row=i, column=2, value=v)
    ms.sheet_state = "hidden"
    wb.active = 1
    wb.properties.creator = "sosrake"
    wb.properties.lastModifiedBy = "sosrake"
    return workbook_to_bytes(wb)


def _themes_of(answers: pd.DataFrame, codebook: str, lang: Lang) -> list[tuple[str, str, str]]:
    from ..text import load_theme_codebook

    cb = load_theme_codebook(codebook)
    by_id = {t.id: t for t in cb.themes}
    out = []
    for col in answers.columns:
        if col.startswith(CB_PREFIX):
            t = by_id.get(col[len(CB_PREFIX) :])
            if t is None:
                continue
            label = t.label_en if lang == "en" else t.label_fi
            desc = (t.description_en or t.description_fi) if lang == "en" else t.description_fi
            # never the matching stems: they mean nothing to staff and would show the coder the codebook
            out.append((t.id, label, desc or _WORDS[lang]["no_description"]))
    return out


def write_worksheet(
    run_dir: str | Path,
    *,
    n: int = 100,
    seed: int = 0,
    lang: Lang = "fi",
    force: bool = False,
    target: str | Path | None = None,
) -> Path:
    """Draw ``n`` answers (seeded) from a run's ``review/coding_answers.csv`` and write the worksheet.

    Writes ``<run_dir>/review/coding_sample.xlsx`` (or ``target``). An existing worksheet may already be
    ticked: it is never overwritten unless ``force`` (ConfigError, one line).
    """
    run_dir = Path(run_dir)
    answers = read_coding_answers(run_dir)
    if answers.empty:
        raise ConfigError(f"the run {run_dir} has no open answers to code")
    path = Path(target) if target is not None else run_dir / REVIEW_DIR / WORKSHEET_FILE
    if path.exists() and not force:
        raise ConfigError(
            f"{path} exists and may already be coded; give --force to replace it, or move it away first"
        )
    codebook = str(answers["codebook"].iloc[0])
    themes = _themes_of(answers, codebook, lang)
    sample = _sample(answers, n, seed)
    meta = {
        "format": FORMAT,
        "run": f"{run_dir.parent.name}/{run_dir.name}",
        "codebook": codebook,
        "themes": ",".join(t[0] for t in themes),
        "coder_sheets": "|".join(_WORDS[lang]["coders"]),
        "lang": lang,
        "seed": str(seed),
        "n": str(len(sample)),
        "n_answers": str(len(answers)),
    }
    atomic_write_bytes(path, worksheet_bytes(sample, themes, meta, lang))
    return path


@dataclass
class Worksheet:
    """A coded worksheet read back.

    ``answers``: ``answer_id``, ``question_label``, ``answer`` of every row; ``coders``: coder -> boolean
    frame (answer id x theme) of the rows that coder coded; ``uncoded``: coder -> rows left without a tick.
    """

    path: Path
    meta: dict[str, str]
    themes: list[str]
    answers: pd.DataFrame
    coders: dict[str, pd.DataFrame] = field(default_factory=dict)
    uncoded: dict[str, int] = field(default_factory=dict)


def _bad(
    path: Path,
    sheet: str,
    row: int,
    column: str,
    value: Any,
    what: str,
    hint: str = "tick with x, X, 1 or kyllä, or leave the cell empty",
    hint_fi: str = "merkitse x, X, 1 tai kyllä, tai jätä solu tyhjäksi",
) -> ExportError:
    return ExportError(
        what,
        file=f"{path.name} [{sheet}]",
        row=row,
        column=column,
        value=value,
        hint=hint,
        hint_fi=hint_fi,
    )


def worksheet_codebook(path: str | Path) -> str:
    """The theme codebook a worksheet was made with (its hidden ``_meta`` sheet); ``""`` when unknown."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
        rows = (
            list(wb[META_SHEET].iter_rows(values_only=True)) if META_SHEET in wb.sheetnames else []
        )
        wb.close()
    except Exception:
        return ""
    return next((str(r[1]) for r in rows if r and r[0] == "codebook"), "")


#: A file that is not a worksheet of ``sosrake coding-sample`` (not an xlsx, or without the ``_meta`` sheet).
_NOT_A_WORKSHEET = (
    "{name} is not an .xlsx coding worksheet made by sosrake coding-sample; give the worksheet the coders "
    "ticked (coding_sample.xlsx in the run's review/ folder)"
)


def read_worksheet(path: str | Path) -> Worksheet:
    """Read a coded worksheet written by :func:`write_worksheet` (see the module docstring for the ticks)."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"the coding worksheet does not exist: {path}")
    try:
        wb = load_workbook(path, data_only=True)
    except Exception:  # not an xlsx at all
        raise ConfigError(_NOT_A_WORKSHEET.format(name=path.name)) from None
    if META_SHEET not in wb.sheetnames:
        raise ConfigError(_NOT_A_WORKSHEET.format(name=path.name))
    meta = {
        str(r[0]): "" if r[1] is None else str(r[1])
        for r in wb[META_SHEET].iter_rows(values_only=True)
        if r[0] is not None
    }
    themes = meta.get("themes", "").split(",")
    sheets = meta.get("coder_sheets", "").split("|")
    lang: Lang = "en" if meta.get("lang") == "en" else "fi"
    w = _WORDS[lang]
    answers: pd.DataFrame | None = None
    ws = Worksheet(path=path, meta=meta, themes=themes, answers=pd.DataFrame())
    for coder, sheet in zip(CODERS, sheets, strict=False):
        if sheet not in wb.sheetnames:
            raise ConfigError(f"{path.name}: the sheet {sheet!r} is missing")
        rows = list(wb[sheet].iter_rows(values_only=True))
        header = [("" if h is None else str(h).strip()) for h in rows[0]]
        expected = [w["id"], w["question"], w["answer"]]
        if header[:3] != expected or len(header) < 3 + len(themes) + 1:
            raise ConfigError(
                f"{path.name} [{sheet}]: the header row was changed (expected {', '.join(expected)}, "
                "then the theme columns)"
            )
        tick_cols = list(range(3, 3 + len(themes) + 1))  # themes, then "No theme"
        ids, texts, questions, flags, coded = [], [], [], [], []
        for r, values in enumerate(rows[1:], start=2):
            values = list(values) + [None] * (len(header) - len(values))
            aid = values[0]
            if aid is None or str(aid).strip() == "":
                continue
            ticks = []
            for j in tick_cols:
                t = is_tick(values[j])
                if t is None:
                    raise _bad(path, sheet, r, header[j], values[j], "not a tick")
                ticks.append(t)
            if ticks[-1] and any(ticks[:-1]):
                raise _bad(
                    path,
                    sheet,
                    r,
                    header[tick_cols[-1]],
                    values[tick_cols[-1]],
                    "both a theme and 'no theme' are ticked",
                    hint="remove one of the two ticks: the theme's or the one in 'no theme'",
                    hint_fi="poista toinen kahdesta merkinnästä: teeman tai sarakkeen 'Ei mikään teema'",
                )
            ids.append(str(aid).strip())
            questions.append(values[1])
            texts.append(values[2])
            flags.append(ticks[:-1])
            coded.append(any(ticks))
        if len(set(ids)) != len(ids):
            raise ConfigError(f"{path.name} [{sheet}]: an answer id appears twice")
        frame = pd.DataFrame(flags, index=pd.Index(ids, name="answer_id"), columns=themes)
        mask = np.asarray(coded, dtype=bool)
        if answers is None:
            answers = pd.DataFrame({"answer_id": ids, "question_label": questions, "answer": texts})
        if mask.any():
            ws.coders[coder] = frame.loc[mask].astype(bool)
        ws.uncoded[coder] = int((~mask).sum())
    ws.answers = answers if answers is not None else pd.DataFrame()
    if not ws.coders:
        raise ConfigError(f"{path.name}: no row is coded yet (tick with x, X, 1 or kyllä)")
    return ws
