"""Write small test exports laid out as the survey tools write them, and ``expected.json`` with their truth.

Run from the project root::

    .venv/bin/python tests/data/exports/make_exports.py

Everything is deterministic (fixed numpy seeds, fixed dates, fixed .xlsx document properties and zip entry
times), so a second run gives byte-identical files. All people are invented; answers are the Finnish label
texts of the codebooks (NPS is a number 0-10).

Files (data rows):

* ``webropol_competence.xlsx`` / ``.csv`` (60): metadata rows, empty row, two-row header (numbered question
  texts; a grid's title only above its first column, merged across the grid in the .xlsx; statements on the
  second row). The CSV is cp1252, ``;``, CRLF.
* ``forms_competence_anonymous.xlsx`` (60): Microsoft Forms columns, one column per grid statement headed by
  the statement only, so the competence and importance grids repeat the same 18 headers. Same answers as the
  Webropol files. No Excel table: see ``FORMS_TABLE_NOTE``.
* ``google_interviews.csv`` / ``google_interviews_fi.csv`` (50, two of them duplicate submissions): Google
  Forms CSV download (UTF-8, ``,``, LF, every field quoted), ``Question [Statement]`` grid headers.
* ``moodle_feedback_fi.xlsx`` / ``moodle_feedback_en.csv`` (35): Moodle feedback responses download,
  ``(LABEL) Question`` headers (two items without a label). Same answers in both.
* ``webropol_interviews_deleted_column.csv`` (40): Webropol interviews export without the "Tulin kuulluksi"
  (KO2) statement column.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import sys
import types
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

OUT = Path(__file__).resolve().parent
ROOT = OUT.parents[2]
FIXED_PROPS_TIME = dt.datetime(2022, 10, 12, 9, 0, 0)
ZIP_TIME = (2022, 10, 12, 9, 0, 0)

FORMS_TABLE_NOTE = (
    "No Excel table: Excel requires a table's column names to be unique and equal to its header cells, so "
    "18 repeated statement headers cannot stand in a valid table (openpyxl would write one, Excel would "
    "'repair' it by renaming the repeats 'Text2' etc.). The header cells hold the repeated texts exactly."
)


def _load_instrument_function() -> Any:
    """``sosrake_lib.codebook.load_instrument`` (read-only use). If the package ``__init__`` does not import
    (the reader is being edited at the same time), load only the codebook module and its light siblings."""
    sys.path.insert(0, str(ROOT))
    try:
        return importlib.import_module("sosrake_lib.codebook").load_instrument
    except Exception:
        for name in [m for m in sys.modules if m == "sosrake_lib" or m.startswith("sosrake_lib.")]:
            del sys.modules[name]
        pkg = types.ModuleType("sosrake_lib")
        pkg.__path__ = [str(ROOT / "sosrake_lib")]
        sys.modules["sosrake_lib"] = pkg
        return importlib.import_module("sosrake_lib.codebook").load_instrument


load_instrument = _load_instrument_function()

# Invented people only: common Finnish first names with made-up surnames.
FIRST = ["Aino", "Eeva", "Helmi", "Iida", "Kaisa", "Laura", "Milla", "Noora", "Oona", "Pinja", "Sanni", "Veera",
         "Aleksi", "Eetu", "Janne", "Joonas", "Kalle", "Lauri", "Niko", "Otto", "Sampo", "Teemu", "Ville", "Ilmari"]
LAST = ["Testinen", "Kokeilainen", "Mallikas", "Esimerkkilä", "Harjoitusniemi", "Koeluoto", "Näytelä",
        "Luonnosmaa", "Kuvitelmanen", "Keksimäki", "Aihiola", "Harjoittelija"]

FI_WEEKDAYS = ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FI_MONTHS = ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta",
             "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

GRID_C = "Arvioi osaamistasi seuraavissa asioissa"
GRID_I = "Arvioi, kuinka tärkeitä seuraavat asiat ovat työssäsi"
GRID_ED = "Miten seuraavat väittämät kuvaavat työyhteisöäsi?"
GRID_THL = "Arvioi seuraavia väittämiä asioinnistasi"

SUPPORT_TEXTS = [
    "Koulutusta sosiaalisesta raportoinnista",
    "Aikaa ja työrauhaa; nyt kaikki aika menee asiakastyöhön",
    "Esihenkilön tukea ja selkeät raportointikanavat",
    "Vertaistukea kollegoilta, esim. yhteisiä työpajoja",
    'Konkreettisia malleja, "näin se tehdään" -tyyppisiä ohjeita',
    "Koulutusta tilastojen käytöstä.\nMyös aikaa perehtyä niihin.",
    "Selkeämmän työnjaon tiimin sisällä",
    "Johdon sitoutumista, muuten tieto ei etene",
]
GOOD_TEXTS = ["Työntekijä kuunteli ja oli ystävällinen", "Sain ajan nopeasti", "Asiat hoituivat kerralla",
              "Selkeät ohjeet, kiitos", "Sain apua myös paperitöihin; se auttoi paljon",
              "Työntekijä soitti perään.\nSe tuntui hyvältä."]
CHANGE_TEXTS = ["Puhelinaikoja pitäisi olla enemmän", "Työntekijä vaihtuu liian usein",
                "Odotusajat ovat pitkiä", "Tieto ei kulje eri palvelujen välillä", "Verkkoasiointi, kiitos"]
MISSING_TEXTS = ["Apua asunnon etsimiseen", "Tukea toimeentuloon", "Keskusteluapua", "Apua velkojen kanssa",
                 "Vertaistukiryhmää"]
MOTIVATION_TEXTS = ["Halu kehittää omaa työtä", "Esihenkilö suositteli kurssia", "Aihe kiinnosti",
                    'Työpaikan "rakenteellisen työn" kehittämishanke & verkostot', "Opintopisteet"]
DEVELOP_TEXTS = ["Enemmän lähipäiviä", "Howspace oli sekava, ohjeita lisää", "Tehtäviä oli liikaa 5 op:n kurssiin",
                 "Ei kehitettävää, hyvä kurssi!", "Palautetta tehtävistä nopeammin"]


# --------------------------------------------------------------------------------------------- helpers
def likert_column(rng: np.random.Generator, item: Any, n: int, centre: float, person: np.ndarray,
                  p_dk: float = 0.05, p_na: float = 0.0, p_blank: float = 0.0) -> list[str]:
    """Label texts of one Likert item: about ``p_dk`` "En osaa sanoa", ``p_na`` "Ei koske minua", blanks."""
    sc = item.scale
    codes = np.clip(np.rint(centre + person + rng.normal(0.0, 0.85, n)), sc.min, sc.max).astype(int)
    u = rng.random(n)
    out = []
    for i in range(n):
        if u[i] < p_blank:
            out.append("")
        elif u[i] < p_blank + p_dk:
            out.append(sc.non_substantive["dont_know"]["fi"])
        elif u[i] < p_blank + p_dk + p_na:
            out.append(sc.non_substantive["not_applicable"]["fi"])
        else:
            out.append(sc.codes[int(codes[i])]["fi"])
    return out


def category_column(rng: np.random.Generator, item: Any, n: int, probs: list[float],
                    p_blank: float = 0.0) -> list[str]:
    labels = [v["fi"] for v in item.scale.codes.values()]
    picks = rng.choice(len(labels), size=n, p=probs)
    blank = rng.random(n) < p_blank
    return ["" if blank[i] else labels[picks[i]] for i in range(n)]


def nps_column(rng: np.random.Generator, n: int, probs: list[float], p_blank: float = 0.03) -> list[Any]:
    picks = rng.choice(11, size=n, p=np.array(probs) / sum(probs))
    blank = rng.random(n) < p_blank
    return [None if blank[i] else int(picks[i]) for i in range(n)]


def text_column(rng: np.random.Generator, pool: list[str], n: int, p_answer: float) -> list[str]:
    ans = rng.random(n) < p_answer
    picks = rng.integers(0, len(pool), n)
    return [pool[picks[i]] if ans[i] else "" for i in range(n)]


def sorted_times(rng: np.random.Generator, n: int, start: dt.datetime, days: int) -> list[dt.datetime]:
    """``n`` distinct datetimes (whole seconds) between ``start`` and ``start + days``, daytime, ascending."""
    day = rng.integers(0, days, n)
    secs = rng.integers(8 * 3600, 21 * 3600, n)
    times = sorted({start + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, secs, strict=True)})
    while len(times) < n:  # pragma: no cover - a collision of seconds
        times = sorted(set(times) | {times[-1] + dt.timedelta(seconds=len(times))})
    return times


def people(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
    """``n`` distinct invented (first, last) names."""
    combos = [(f, s) for f in FIRST for s in LAST]
    idx = rng.choice(len(combos), size=n, replace=False)
    return [combos[i] for i in idx]


def ascii_mail(first: str, last: str, domain: str) -> str:
    t = str.maketrans("äöåÄÖÅ", "aoaAOA")
    return f"{first}.{last}".translate(t).lower() + "@" + domain


def statement_after(prefix: str, text: str) -> str:
    assert text.startswith(prefix), (prefix, text)
    return text[len(prefix):]


def webropol_time(t: dt.datetime) -> str:
    return f"{t.day}.{t.month}.{t.year} {t.hour}.{t.minute:02d}"


def fi_date(d: dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def col(c: int) -> str:
    return get_column_letter(c)


def counts(values: list[Any]) -> tuple[dict[str, int], int]:
    """Answer label -> count (blank answers counted apart)."""
    c = Counter("" if v is None else str(v) for v in values)
    blank = c.pop("", 0)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))), blank


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed document properties and fixed zip entry times (byte-identical reruns)."""
    wb.properties.created = FIXED_PROPS_TIME
    wb.properties.modified = FIXED_PROPS_TIME
    buf = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp properties.modified with the current time.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str, delimiter: str, lineterminator: str,
              quoting: int = csv.QUOTE_MINIMAL) -> None:
    with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def php_fputcsv_line(fields: list[Any]) -> str:
    """One line as PHP ``fputcsv`` (OpenSpout, used by Moodle) writes it: a field is quoted when it holds
    the delimiter, a quote, a line break, a tab or a space; line end LF."""
    out = []
    for v in fields:
        s = "" if v is None else str(v)
        if any(ch in s for ch in ',"\n\r\t '):
            s = '"' + s.replace('"', '""') + '"'
        out.append(s)
    return ",".join(out) + "\n"


def html_escape_like_moodle(s: str) -> str:
    """Moodle's ``s()`` (htmlspecialchars, ENT_QUOTES) applied to answer values when downloading."""
    return (s.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#039;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def item_entry(header: Any, column: int, values: list[Any], *, all_values: list[Any] | None = None,
               subheader: str | None = None) -> dict[str, Any]:
    c, blank = counts(values)
    e: dict[str, Any] = {"header": header}
    if subheader is not None:
        e["header_row2"] = subheader
    e.update({"column": column, "column_letter": col(column), "counts": c, "blank": blank})
    if all_values is not None:
        ca, ba = counts(all_values)
        e.update({"counts_all_rows": ca, "blank_all_rows": ba})
    return e


# --------------------------------------------------------------------------------------------- competence
def competence_data(n: int, seed: int) -> dict[str, Any]:
    inst = load_instrument("competence")
    rng = np.random.default_rng(seed)
    it = {i.id: i for i in inst.items}
    c_ids = [i.id for i in inst.items if i.kind == "likert" and i.role == "competence"]
    i_ids = [i.id for i in inst.items if i.kind == "likert" and i.role == "importance"]
    ed_ids = ["ED1", "ED2", "ED3", "ED4"]
    assert len(c_ids) == 18 and len(i_ids) == 18, (len(c_ids), len(i_ids))
    ans: dict[str, list[Any]] = {
        "organisation": category_column(rng, it["organisation"], n, [0.55, 0.45]),
        "role": category_column(rng, it["role"], n, [0.45, 0.35, 0.12, 0.08]),
        "work_area": category_column(rng, it["work_area"], n, [0.45, 0.25, 0.2, 0.1]),
        "experience": category_column(rng, it["experience"], n, [0.2, 0.3, 0.25, 0.25], p_blank=0.03),
    }
    person = rng.normal(0, 0.4, n)
    for k, iid in enumerate(c_ids):
        ans[iid] = likert_column(rng, it[iid], n, 2.6 + 0.06 * (k % 6), person, p_blank=0.01)
    for k, iid in enumerate(i_ids):
        ans[iid] = likert_column(rng, it[iid], n, 4.0 + 0.05 * (k % 5), person * 0.5, p_blank=0.01)
    for k, iid in enumerate(ed_ids):
        ans[iid] = likert_column(rng, it[iid], n, [3.8, 3.4, 3.9, 2.7][k], person * 0.3, p_na=0.02,
                                 p_blank=0.01)
    ans["support_needed"] = text_column(rng, SUPPORT_TEXTS, n, 0.55)
    starts = sorted_times(rng, n, dt.datetime(2022, 9, 19), 23)
    durations = rng.integers(4 * 60, 16 * 60, n)
    ends = [s + dt.timedelta(seconds=int(d)) for s, d in zip(starts, durations, strict=True)]
    statements = {
        iid: statement_after("Osaaminen: ", it[iid].headers[0]) for iid in c_ids
    }
    for c, i in zip(c_ids, i_ids, strict=True):
        imp = statement_after("Tärkeys: ", it[i].headers[0])
        assert imp == statements[c], (c, i)
        statements[i] = imp
    for iid in ed_ids:
        statements[iid] = it[iid].text_fi
    return {"inst": inst, "it": it, "n": n, "ans": ans, "starts": starts, "ends": ends, "c_ids": c_ids,
            "i_ids": i_ids, "ed_ids": ed_ids, "statements": statements}


def webropol_layout(blocks: list[tuple[str, list[tuple[str, str]]]]) -> tuple[list[str], list[str], dict[str, int],
                                                                           list[tuple[int, int]]]:
    """Two header rows for Webropol: blocks are (question text, [(item id, statement or '')]). Returns
    header row 1, header row 2, item -> column (1-based) and the (first, last) column of each grid."""
    h1, h2 = ["Vastaaja", "Vastausaika"], ["", ""]
    where: dict[str, int] = {}
    grids = []
    for q, (title, members) in enumerate(blocks, start=1):
        first = len(h1) + 1
        for j, (iid, statement) in enumerate(members):
            h1.append(f"{q}. {title}" if j == 0 else "")
            h2.append(statement)
            where[iid] = len(h1)
        if len(members) > 1 or members[0][1]:
            grids.append((first, len(h1)))
    return h1, h2, where, grids


def write_webropol_competence(d: dict[str, Any], expected: dict[str, Any]) -> None:
    it, n, ans = d["it"], d["n"], d["ans"]
    blocks = [(it[c].text_fi, [(c, "")]) for c in ["organisation", "role", "work_area", "experience"]]
    blocks += [(GRID_C, [(i, d["statements"][i]) for i in d["c_ids"]]),
               (GRID_I, [(i, d["statements"][i]) for i in d["i_ids"]]),
               (GRID_ED, [(i, d["statements"][i]) for i in d["ed_ids"]]),
               (it["support_needed"].text_fi, [("support_needed", "")])]
    h1, h2, where, grids = webropol_layout(blocks)
    meta = [["SOSRAKE osaamiskartoitus 2022"], ["Vientipäivämäärä: 12.10.2022"], [f"Vastaajien määrä: {n}"], []]
    body = []
    for r in range(n):
        row: list[Any] = [r + 1, webropol_time(d["ends"][r])] + [None] * (len(h1) - 2)
        for iid, c in where.items():
            row[c - 1] = ans[iid][r] if ans[iid][r] != "" else None
        body.append(row)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    for r in meta:
        ws.append(r)
    ws.append(h1)
    ws.append([v or None for v in h2])
    for row in body:
        ws.append(row)
    for a, b in grids:
        if b > a:
            ws.merge_cells(start_row=5, start_column=a, end_row=5, end_column=b)
    save_xlsx(wb, OUT / "webropol_competence.xlsx")
    write_csv(OUT / "webropol_competence.csv", meta + [h1, h2] + body, encoding="cp1252", delimiter=";",
              lineterminator="\r\n")

    items = {}
    for iid in ["organisation", "role", "work_area", "experience", "C_TK1", "C_YS3", "I_TK1", "I_YS3", "ED1",
                "ED3"]:
        c = where[iid]
        items[iid] = item_entry(h1[c - 1] or None, c, ans[iid], subheader=h2[c - 1] or None)
        if h2[c - 1]:  # a grid statement: the title stands above the grid's first column only
            items[iid]["grid_title"] = h1[max(a for a, _ in grids if a <= c) - 1]
    common = {
        "instrument": "competence", "tool": "Webropol", "n_data_rows": n, "n_valid_respondents": n,
        "duplicates": [], "metadata_rows": [1, 2, 3], "empty_rows": [4], "header_rows": [5, 6],
        "first_data_row": 7, "last_data_row": 6 + n, "n_columns": len(h1),
        "grid_columns": {GRID_C: [col(grids[0][0]), col(grids[0][1])],
                         GRID_I: [col(grids[1][0]), col(grids[1][1])],
                         GRID_ED: [col(grids[2][0]), col(grids[2][1])]},
        "items": items,
    }
    expected["webropol_competence.xlsx"] = {
        **common, "sheet": "Vastaukset", "merged_cells": [f"{col(a)}5:{col(b)}5" for a, b in grids if b > a],
        "answered_at": "text d.m.yyyy H.MM in column B",
    }
    expected["webropol_competence.csv"] = {
        **common, "encoding": "cp1252", "bom": False, "delimiter": ";", "line_terminator": "CRLF",
        "notes": "metadata rows hold one field; row 4 is an empty line; an open answer holds a line break "
                 "inside a quoted field, so data rows are records, not physical lines",
        "same_content_as": "webropol_competence.xlsx",
    }


def write_forms_competence(d: dict[str, Any], expected: dict[str, Any]) -> None:
    it, n, ans = d["it"], d["n"], d["ans"]
    fixed = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    order = (["organisation", "role", "work_area", "experience"] + d["c_ids"] + d["i_ids"] + d["ed_ids"]
             + ["support_needed"])
    heads = [d["statements"][i] if i in d["statements"] else it[i].text_fi for i in order]
    header = fixed + heads
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(header)
    for r in range(n):
        ws.append([r + 1, d["starts"][r], d["ends"][r], "anonymous", None, None]
                  + [ans[i][r] if ans[i][r] != "" else None for i in order])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "m/d/yy h:mm:ss"
    save_xlsx(wb, OUT / "forms_competence_anonymous.xlsx")

    where = {iid: len(fixed) + k + 1 for k, iid in enumerate(order)}
    items = {iid: item_entry(header[where[iid] - 1], where[iid], ans[iid])
             for iid in ["organisation", "role", "experience", "C_TK1", "C_YS3", "I_TK1", "I_YS3", "ED1",
                         "ED3"]}
    dup_heads = sorted({h for h in heads if heads.count(h) > 1})
    expected["forms_competence_anonymous.xlsx"] = {
        "instrument": "competence", "tool": "Microsoft Forms", "sheet": "Form1", "excel_table": None,
        "excel_table_note": FORMS_TABLE_NOTE, "n_data_rows": n, "n_valid_respondents": n, "duplicates": [],
        "header_rows": [1], "first_data_row": 2, "last_data_row": 1 + n, "n_columns": len(header),
        "repeated_headers": len(dup_heads),
        "repeated_header_columns": {"competence": [col(where[d["c_ids"][0]]), col(where[d["c_ids"][-1]])],
                                    "importance": [col(where[d["i_ids"][0]]), col(where[d["i_ids"][-1]])]},
        "email_value": "anonymous", "same_answers_as": "webropol_competence.xlsx", "items": items,
    }


# --------------------------------------------------------------------------------------------- interviews
def interview_answers(rng: np.random.Generator, inst: Any, n: int) -> dict[str, list[Any]]:
    it = {i.id: i for i in inst.items}
    ans: dict[str, list[Any]] = {
        "service": category_column(rng, it["service"], n, [0.35, 0.25, 0.2, 0.15, 0.05]),
        "age_band": category_column(rng, it["age_band"], n, [0.25, 0.35, 0.3, 0.1], p_blank=0.02),
        "gender": category_column(rng, it["gender"], n, [0.5, 0.45, 0.05]),
        "client_duration": category_column(rng, it["client_duration"], n, [0.35, 0.4, 0.25], p_blank=0.02),
    }
    person = rng.normal(0, 0.5, n)
    centres = {"SA1": 3.0, "SA2": 3.2, "KO1": 3.9, "KO2": 3.5, "KO3": 3.2, "TU1": 4.2, "TI1": 3.2, "TI2": 3.5,
               "HY1": 3.6, "HY2": 3.5}
    for iid, c in centres.items():
        ans[iid] = likert_column(rng, it[iid], n, c, person, p_na=0.03, p_blank=0.01)
    ans["nps"] = nps_column(rng, n, [2, 1, 2, 3, 4, 7, 8, 10, 12, 8, 6])
    ans["open_good"] = text_column(rng, GOOD_TEXTS, n, 0.7)
    ans["open_change"] = text_column(rng, CHANGE_TEXTS, n, 0.5)
    ans["open_missing"] = text_column(rng, MISSING_TEXTS, n, 0.4)
    return ans


INTERVIEW_SINGLE = ["service", "age_band", "gender", "client_duration"]
THL_IDS = ["SA1", "SA2", "KO1", "KO2", "KO3", "TU1", "TI1", "TI2", "HY1", "HY2"]
INTERVIEW_OPEN = ["open_good", "open_change", "open_missing"]


def helsinki_offset(t: dt.datetime) -> int:
    """UTC offset of Finland in 2021 (summer time 28 Mar 03:00 - 31 Oct 04:00 local)."""
    return 3 if dt.datetime(2021, 3, 28, 3) <= t < dt.datetime(2021, 10, 31, 4) else 2


def google_ts_en(t: dt.datetime) -> str:
    h12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return f"{t.year}/{t.month:02d}/{t.day:02d} {h12}:{t.minute:02d}:{t.second:02d} {ampm} GMT+{helsinki_offset(t)}"


def google_ts_fi(t: dt.datetime) -> str:
    return f"{t.day}.{t.month}.{t.year} {t.hour}.{t.minute:02d}.{t.second:02d}"


def write_google(expected: dict[str, Any], n_rows: int = 50, n_students: int = 24, seed: int = 2021) -> None:
    inst = load_instrument("interviews")
    it = {i.id: i for i in inst.items}
    rng = np.random.default_rng(seed)
    n = n_rows - 2  # unique interviews; two duplicate submissions are added
    ans = interview_answers(rng, inst, n)
    students = [ascii_mail(f, s, "edu.example.fi") for f, s in people(rng, n_students)]
    per = np.full(n_students, n // n_students)
    per[: n - per.sum()] += 1
    for a, b in [(0, 1), (2, 3), (4, 5)]:  # some students interview 1 or 3 clients
        per[a] += 1
        per[b] -= 1
    who = rng.permutation(np.repeat(np.arange(n_students), per))
    times = sorted_times(rng, n, dt.datetime(2021, 9, 20), 57)  # crosses the end of summer time
    idate = [(t - dt.timedelta(days=int(k))).date() for t, k in zip(times, rng.integers(0, 4, n), strict=True)]

    # records: (timestamp, original index); duplicates re-submit identical answers later
    dup_src = [9, 30]
    recs = [(times[i], i, False) for i in range(n)]
    recs.append((times[dup_src[0]] + dt.timedelta(seconds=4), dup_src[0], True))      # double click
    recs.append((times[dup_src[1]] + dt.timedelta(minutes=37, seconds=12), dup_src[1], True))  # later resend
    recs.sort(key=lambda r: r[0])
    assert len({r[0] for r in recs}) == len(recs)

    q_heads = ([it["interview_date"].text_fi] + [it[i].text_fi for i in INTERVIEW_SINGLE]
               + [f"{GRID_THL} [{it[i].text_fi}]" for i in THL_IDS] + [it["nps"].text_fi]
               + [it[i].text_fi for i in INTERVIEW_OPEN])
    order = INTERVIEW_SINGLE + THL_IDS + ["nps"] + INTERVIEW_OPEN

    def body(ts_fmt: Any, date_fmt: Any) -> list[list[Any]]:
        rows = []
        for t, i, _ in recs:
            rows.append([ts_fmt(t), students[who[i]], date_fmt(idate[i])] + [ans[k][i] for k in order])
        return rows

    files = {
        "google_interviews.csv": (["Timestamp", "Email address"], google_ts_en, lambda d: d.isoformat()),
        "google_interviews_fi.csv": (["Aikaleima", "Sähköpostiosoite"], google_ts_fi, fi_date),
    }
    dup_rows = [k + 2 for k, r in enumerate(recs) if r[2]]
    dup_of = [[k + 2 for k, r in enumerate(recs) if r[1] == recs[d - 2][1] and not r[2]][0] for d in dup_rows]
    valid = [r[1] for r in recs if not r[2]]
    every = [r[1] for r in recs]
    for name, (fixed, ts_fmt, date_fmt) in files.items():
        header = fixed + q_heads
        write_csv(OUT / name, [header] + body(ts_fmt, date_fmt), encoding="utf-8", delimiter=",",
                  lineterminator="\n", quoting=csv.QUOTE_ALL)
        where = {iid: 4 + k for k, iid in enumerate(order)}
        items = {}
        for iid in ["service", "age_band", "KO1", "KO2", "TU1", "nps"]:
            items[iid] = item_entry(header[where[iid] - 1], where[iid], [ans[iid][i] for i in valid],
                                    all_values=[ans[iid][i] for i in every])
        expected[name] = {
            "instrument": "interviews", "tool": "Google Forms", "encoding": "utf-8", "bom": False,
            "delimiter": ",", "line_terminator": "LF", "quoting": "every field quoted",
            "header_rows": [1], "first_data_row": 2, "last_data_row": 1 + len(recs), "n_columns": len(header),
            "n_data_rows": len(recs), "n_valid_respondents": n, "duplicates": dup_rows, "duplicate_of": dup_of,
            "duplicates_note": "same e-mail and identical answers, later timestamp; counts are over the "
                               "valid rows (duplicates dropped), counts_all_rows over every data row",
            "n_students": len(set(students[w] for w in who)), "respondent_id_column": None,
            "timestamp_example": ts_fmt(recs[0][0]), "interview_date_example": date_fmt(idate[recs[0][1]]),
            "same_answers_as": "google_interviews.csv" if name.endswith("_fi.csv") else None,
            "items": items,
        }
        if expected[name]["same_answers_as"] is None:
            del expected[name]["same_answers_as"]


def write_webropol_interviews_deleted(expected: dict[str, Any], n: int = 40, seed: int = 2022) -> None:
    inst = load_instrument("interviews")
    it = {i.id: i for i in inst.items}
    rng = np.random.default_rng(seed)
    ans = interview_answers(rng, inst, n)
    students = [ascii_mail(f, s, "edu.example.fi") for f, s in people(rng, 18)]
    ans["student"] = [students[k] for k in rng.integers(0, len(students), n)]
    times = sorted_times(rng, n, dt.datetime(2021, 9, 20), 60)
    ans["interview_date"] = [fi_date((t - dt.timedelta(days=int(k))).date())
                             for t, k in zip(times, rng.integers(0, 4, n), strict=True)]
    blocks = ([("Haastattelijan sähköposti", [("student", "")]), (it["interview_date"].text_fi,
                                                                  [("interview_date", "")])]
              + [(it[i].text_fi, [(i, "")]) for i in INTERVIEW_SINGLE]
              + [(GRID_THL, [(i, it[i].text_fi) for i in THL_IDS])]
              + [(it["nps"].text_fi, [("nps", "")])] + [(it[i].text_fi, [(i, "")]) for i in INTERVIEW_OPEN])
    h1, h2, where, _ = webropol_layout(blocks)
    meta = [["SOSRAKE asiakashaastattelut syksy 2021"], ["Vientipäivämäärä: 15.12.2021"],
            [f"Vastaajien määrä: {n}"], []]
    body = []
    for r in range(n):
        row: list[Any] = [r + 1, webropol_time(times[r])] + [None] * (len(h1) - 2)
        for iid, c in where.items():
            row[c - 1] = ans[iid][r] if ans[iid][r] != "" else None
        body.append(row)
    drop = where["KO2"] - 1  # the "Tulin kuulluksi" column is deleted from every row
    assert h2[drop] == "Tulin kuulluksi" and h1[drop] == ""
    rows = meta + [[v for k, v in enumerate(r) if k != drop] for r in [h1, h2] + body]
    write_csv(OUT / "webropol_interviews_deleted_column.csv", rows, encoding="cp1252", delimiter=";",
              lineterminator="\r\n")
    new_col = {iid: c - (1 if c - 1 > drop else 0) for iid, c in where.items() if iid != "KO2"}
    h1d, h2d = rows[4], rows[5]
    items = {iid: item_entry(h1d[new_col[iid] - 1] or None, new_col[iid], ans[iid],
                             subheader=h2d[new_col[iid] - 1] or None)
             for iid in ["service", "SA1", "KO1", "KO3", "HY2", "nps"]}
    first_thl = new_col["SA1"]
    for iid in ["SA1", "KO1", "KO3", "HY2"]:
        items[iid]["grid_title"] = h1d[first_thl - 1]
    expected["webropol_interviews_deleted_column.csv"] = {
        "instrument": "interviews", "tool": "Webropol", "encoding": "cp1252", "bom": False, "delimiter": ";",
        "line_terminator": "CRLF", "metadata_rows": [1, 2, 3], "empty_rows": [4], "header_rows": [5, 6],
        "first_data_row": 7, "last_data_row": 6 + n, "n_columns": len(h1d), "n_data_rows": n,
        "n_valid_respondents": n, "duplicates": [], "missing_items": ["KO2"],
        "missing_item_header": "Tulin kuulluksi",
        "grid_columns": {GRID_THL: [col(first_thl), col(new_col["HY2"])]},
        "items": items,
    }


# --------------------------------------------------------------------------------------------- course feedback
def moodle_date(t: dt.datetime, lang: str) -> str:
    if lang == "fi":
        return f"{FI_WEEKDAYS[t.weekday()]}, {t.day}. {FI_MONTHS[t.month - 1]} {t.year}, {t.hour}.{t.minute:02d}"
    h12 = t.hour % 12 or 12
    return (f"{EN_WEEKDAYS[t.weekday()]}, {t.day} {EN_MONTHS[t.month - 1]} {t.year}, {h12}:{t.minute:02d} "
            f"{'AM' if t.hour < 12 else 'PM'}")


def write_moodle(expected: dict[str, Any], n: int = 35, seed: int = 1210) -> None:
    inst = load_instrument("course_feedback")
    it = {i.id: i for i in inst.items}
    rng = np.random.default_rng(seed)
    fb_ids = [i.id for i in inst.items if i.kind == "likert"]
    ans: dict[str, list[Any]] = {
        "group": category_column(rng, it["group"], n, [0.7, 0.3]),
    }
    campus_labels = [v["fi"] for v in it["campus"].scale.codes.values()]  # Kuopio, Kajaani, Mikkeli
    home = rng.choice(3, size=n, p=[0.4, 0.25, 0.35])
    moved = rng.random(n) < 0.1  # a few attended contact days on another campus than their Moodle group
    ans["campus"] = [campus_labels[(h + 1) % 3] if m else campus_labels[h] for h, m in zip(home, moved, strict=True)]
    person = rng.normal(0, 0.45, n)
    centres = dict(zip(fb_ids, [4.1, 4.0, 3.2, 3.1, 4.4, 4.3, 2.8, 4.2, 4.1, 3.8, 3.9], strict=True))
    for iid in fb_ids:
        ans[iid] = likert_column(rng, it[iid], n, centres[iid], person)
    ans["nps"] = nps_column(rng, n, [0, 0, 1, 1, 2, 4, 5, 9, 12, 9, 6], p_blank=0.0)
    ans["open_motivation"] = text_column(rng, MOTIVATION_TEXTS, n, 0.6)
    ans["open_develop"] = text_column(rng, DEVELOP_TEXTS, n, 0.5)
    names = people(rng, n)
    userids = sorted(int(u) for u in rng.choice(np.arange(2100, 2900), size=n, replace=False))
    times = sorted_times(rng, n, dt.datetime(2021, 12, 6), 15)
    groups = [campus_labels[h] for h in home]
    groups[3] = ""                        # a user in no course group
    groups[7] = "Kajaani Kuopio"          # a user in two groups: Moodle joins names with a space
    order = ["group", "campus"] + fb_ids + ["nps", "open_motivation", "open_develop"]
    unlabelled = {"group", "FB_LAH2"}
    heads = [it[i].text_fi if i in unlabelled else f"({i}) {it[i].text_fi}" for i in order]
    fixed = {"fi": ["Vastaus numero", "Userid", "Koko nimi", "Päivämäärä", "Kurssi", "Ryhmä(t)"],
             "en": ["Response number", "Userid", "Full name", "Date", "Course", "Group(s)"]}
    course = "Rakenteellinen sosiaalityö (5 op) syksy 2021"
    # Moodle sorts the download by last name; the response number is the order of submission.
    rows_order = sorted(range(n), key=lambda r: (names[r][1], names[r][0]))

    def body(lang: str) -> list[list[str]]:
        out = []
        for r in rows_order:
            vals = ["" if ans[i][r] is None else html_escape_like_moodle(str(ans[i][r])) for i in order]
            out.append([str(r + 1), str(userids[r]), f"{names[r][0]} {names[r][1]}", moodle_date(times[r], lang),
                        course, groups[r]] + vals)
        return out

    # .xlsx (Finnish UI): OpenSpout writes the table's string values as text cells, numbers included.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    ws.append(fixed["fi"] + heads)
    for row in body("fi"):
        ws.append([v if v != "" else None for v in row])
    save_xlsx(wb, OUT / "moodle_feedback_fi.xlsx")
    # .csv (English UI): UTF-8 with BOM, comma, PHP fputcsv quoting, LF.
    with open(OUT / "moodle_feedback_en.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        for row in [fixed["en"] + heads] + body("en"):
            fh.write(php_fputcsv_line(row))

    where = {iid: 7 + k for k, iid in enumerate(order)}
    sorted_vals = {iid: [ans[iid][r] for r in rows_order] for iid in order}
    for name, lang in [("moodle_feedback_fi.xlsx", "fi"), ("moodle_feedback_en.csv", "en")]:
        header = fixed[lang] + heads
        items = {iid: item_entry(header[where[iid] - 1], where[iid], sorted_vals[iid])
                 for iid in ["group", "campus", "FB_SIS1", "FB_LAH2", "FB_KUO1", "nps"]}
        e: dict[str, Any] = {
            "instrument": "course_feedback", "tool": "Moodle feedback (responses download)",
            "header_rows": [1], "first_data_row": 2, "last_data_row": 1 + n, "n_columns": len(header),
            "n_data_rows": n, "n_valid_respondents": n, "duplicates": [],
            "unlabelled_items": sorted(unlabelled), "moodle_groups_column": fixed[lang][5],
            "moodle_groups_counts": counts(groups)[0], "moodle_groups_blank": counts(groups)[1],
            "date_example": moodle_date(times[rows_order[0]], lang),
            "row_order": "by last name (Moodle's default sort); response numbers are not in row order",
            "html_escaped_answers": "open answers pass Moodle's s(): '\"' -> '&quot;', '&' -> '&amp;'",
            "items": items,
        }
        if lang == "fi":
            e.update({"sheet": "Vastaukset", "cell_types": "every non-empty cell is text (numbers too)"})
        else:
            e.update({"encoding": "utf-8", "bom": True, "delimiter": ",", "line_terminator": "LF",
                      "quoting": "PHP fputcsv: fields with a comma, quote, space, tab or line break are quoted",
                      "same_answers_as": "moodle_feedback_fi.xlsx"})
        expected[name] = e


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Any] = {
        "_about": "Truth of the exports written by make_exports.py. Row numbers are as a spreadsheet shows "
                  "them (1-based over the whole file, a CSV record with a line break inside a quoted field "
                  "is one row). 'counts' are answer label -> count over the valid rows (duplicates "
                  "dropped), 'blank' the unanswered cells; columns are 1-based.",
    }
    comp = competence_data(60, seed=20221012)
    write_webropol_competence(comp, expected)
    write_forms_competence(comp, expected)
    write_google(expected)
    write_moodle(expected)
    write_webropol_interviews_deleted(expected)
    with open(OUT / "expected.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(expected, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    for name in sorted(k for k in expected if not k.startswith("_")):
        print(f"{name}: {expected[name]['n_data_rows']} data rows")


if __name__ == "__main__":
    main()
