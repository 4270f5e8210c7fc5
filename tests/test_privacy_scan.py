"""Run every analysis on the sample and scan every output file for identifiers and small counts.

Two full runs (module fixture): the shipped sample in Finnish with the default minimum cell size 5, and a copy of
the sample with formula-like open answers planted, in English with ``--min-cell-size 10`` (so suppression must
follow the parameter, English column names are covered, and the planted answers test formula neutralisation).
Every file is read back by :mod:`sosrake_lib.scan`: CSV, XLSX, JSON, HTML, SVG text, PDF text and the executed
notebook. ``manifest.json`` and ``cleaning_log.json`` are skipped by the scanner's default: they count rows of an
export (test rows, duplicates, empty rows), operational metadata rather than published statistics about people.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import matplotlib
import openpyxl
import pytest

from sosrake_lib import load_instrument, runner
from sosrake_lib.cli import main
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.scan import (
    DEFAULT_SKIP,
    identifiers_from_exports,
    is_count_column,
    scan_file,
    scan_outputs,
)
from sosrake_lib.synthetic import FIRST_NAMES, LAST_NAMES

matplotlib.use("Agg")

notebook = pytest.mark.notebook  # the tests that need the two full runs
ANALYSES = ("competence", "interviews", "course")
SEMESTER = "scan-testi"

# Answers a spreadsheet would run as formulas (OWASP "CSV Injection"): planted in the interviews' open answers
# (no theme words, so they land in the uncoded-answers list) and in the competence "support needed" answers.
PLANTED_INTERVIEWS = [
    '=HYPERLINK("http://esimerkki.invalid/x","Klikkaa tästä")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1 plus alussa, ei mitään muuta",
    "-2+3 miinus alussa, ei mitään muuta",
    "\tsarkain alussa, ei mitään muuta",
]
PLANTED_COMPETENCE = [
    '=HYPERLINK("http://esimerkki.invalid","Koulutus rakenteellisesta työstä auttaisi")',
    "@SUM(A1) koulutus ja täydennyskoulutus auttaisivat",
    "+koulutusta ja aikaa rakenteelliselle työlle",
    "-koulutusta tilastojen käytöstä tarvitaan",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _plant_interviews(path: Path, answers: list[str]) -> None:
    """Replace open answers of the first rows of a CSV export, keeping its preamble, separator and encoding."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    inst = load_instrument("interviews")
    wanted = {
        h
        for q in ("open_good", "open_change", "open_missing")
        for h in [*inst.item(q).all_headers, inst.item(q).text("fi")]
    }
    head = next(i for i, line in enumerate(lines) if any(h in line for h in wanted))
    delim = csv.Sniffer().sniff(lines[head], delimiters=",;\t").delimiter
    rows = list(csv.reader(io.StringIO("\r\n".join(lines[head:]), newline=""), delimiter=delim))
    cols = [j for j, h in enumerate(rows[0]) if h in wanted]
    assert len(cols) == 3, rows[0]
    for k, answer in enumerate(answers):
        rows[1 + k][cols[k % 3]] = answer
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delim, lineterminator="\r\n").writerows(rows)
    out = "\r\n".join(lines[:head]) + "\r\n" + buf.getvalue()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8"))


def _plant_competence(path: Path, answers: list[str]) -> None:
    """Write answers into the support-needed column as *text* cells (a survey tool exports them as text)."""
    inst = load_instrument("competence")
    headers = {*inst.item("support_needed").all_headers, inst.item("support_needed").text("fi")}
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=1, max_row=10):
        hits = [c for c in row if c.value in headers]
        if hits:
            col, first = hits[0].column, hits[0].row + 1
            break
    else:
        raise AssertionError("support_needed column not found")
    for k, answer in enumerate(answers):
        cell = ws.cell(row=first + 2 * k, column=col)
        cell.value = answer
        cell.data_type = "s"  # text, not a formula
    wb.save(path)


@pytest.fixture(scope="module")
def identifiers():
    ident = identifiers_from_exports(SAMPLE_DIR)
    # the checks must not be vacuous: the sample's raw frames do carry names, e-mails and course ids
    assert {"email", "student_name", "first_name", "participant_id"} <= set(ident.columns)
    assert "SR21-001" in ident.ids and len(ident.names) > 100
    return ident


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{min_n: output folder}: fi/5 and fi/20 on the shipped sample, en/10 on a copy with planted formula answers."""
    out5 = tmp_path_factory.mktemp("scan5")
    runner.run_semester(
        "all",
        semester=SEMESTER,
        raw=SAMPLE_DIR,
        out=out5,
        min_cell_size=5,
        lang="fi",
        progress=False,
        processed_dir=out5 / "processed",
    )
    raw = tmp_path_factory.mktemp("planted_raw")
    for p in SAMPLE_DIR.iterdir():
        if p.is_file():
            shutil.copy2(p, raw / p.name)
    _plant_interviews(raw / "interviews_2022-syksy.csv", PLANTED_INTERVIEWS)
    _plant_competence(raw / "competence_2020.xlsx", PLANTED_COMPETENCE)
    out10 = tmp_path_factory.mktemp("scan10")
    runner.run_semester(
        "all",
        semester=SEMESTER,
        raw=raw,
        out=out10,
        min_cell_size=10,
        lang="en",
        progress=False,
        processed_dir=out10 / "processed",
    )
    # a high threshold makes most cells small: partial sums, test n's and linked tables are put to the test
    out20 = tmp_path_factory.mktemp("scan20")
    runner.run_semester(
        "all",
        semester=SEMESTER,
        raw=SAMPLE_DIR,
        out=out20,
        min_cell_size=20,
        lang="fi",
        progress=False,
        processed_dir=out20 / "processed",
    )
    return {5: out5 / SEMESTER, 10: out10 / SEMESTER, 20: out20 / SEMESTER}


def _scan(folder: Path, min_n: int, ident) -> list:
    return scan_outputs(
        folder,
        min_n=min_n,
        names=[*FIRST_NAMES, *LAST_NAMES, *ident.names],
        ids=ident.ids,
        columns=ident.columns,
    )


@notebook
@pytest.mark.parametrize("min_n", [5, 10, 20])
def test_every_output_file_is_free_of_identifiers_and_small_counts(runs, identifiers, min_n):
    folder = runs[min_n]
    assert sorted(p.name for p in folder.iterdir()) == sorted(ANALYSES)
    # every kind of output is there to be scanned
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file()}
    assert {".csv", ".xlsx", ".json", ".html", ".svg", ".pdf", ".ipynb", ".png"} <= suffixes
    findings = _scan(folder, min_n, identifiers)
    assert findings == [], "\n".join(map(str, findings[:60]))


@notebook
def test_suppression_follows_min_cell_size(runs, identifiers):
    # The fi/5 outputs publish counts of 5-9 people: scanned against 10 they are findings. The en/10 run is
    # clean against 10 (previous test), so suppression followed --min-cell-size, not a hard-coded 5.
    at10 = [f for f in _scan(runs[5], 10, identifiers) if f.kind == "small_count"]
    assert at10, (
        "the threshold-5 outputs have no count of 5-9 people: this check would prove nothing"
    )
    assert {f.file.split("/")[0] for f in at10} == set(ANALYSES)
    for analysis in ANALYSES:
        doc = json.loads((runs[10] / analysis / "key_figures.json").read_text(encoding="utf-8"))
        assert doc["min_n"] == 10
        for rec in doc["key_figures"]:
            if rec["n"] is not None and rec["n"] < 10:
                assert rec["suppressed"] and rec["value"] is None, rec


@notebook
def test_scanner_sees_leaks_planted_in_real_outputs(runs, identifiers, tmp_path):
    """The zero above means something: the same scanner finds a leak planted in each kind of real output file."""
    base = tmp_path / SEMESTER
    shutil.copytree(runs[5], base)
    comp, iv, crs = base / "competence", base / "interviews", base / "course"

    items = comp / "tables" / "items.csv"  # a Likert answer count of 3
    rows = list(csv.reader(io.StringIO(items.read_text(encoding="utf-8"))))
    j = rows[0].index("Vastaus 3")
    rows[1][j] = "3"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    items.write_text(buf.getvalue(), encoding="utf-8")

    wb = openpyxl.load_workbook(
        iv / "tables" / "tables.xlsx"
    )  # promoters of a service: 2; and a formula
    ws = wb["Suositteluindeksi palveluittain"]  # title on row 1, notes on row 2, headers on row 3
    col = [c.value for c in ws[3]].index("Suosittelijat (9–10)") + 1
    ws.cell(row=4, column=col).value = 2
    ws.cell(row=5, column=1).value = "=1+1"
    wb.save(iv / "tables" / "tables.xlsx")

    kf = json.loads((crs / "key_figures.json").read_text(encoding="utf-8"))  # a key figure of n = 3
    kf["key_figures"][0]["n"] = 3
    (crs / "key_figures.json").write_text(json.dumps(kf, ensure_ascii=False), encoding="utf-8")

    html = (comp / "report.html").read_text(
        encoding="utf-8"
    )  # a name and a phone number in the report
    (comp / "report.html").write_text(
        html.replace("</body>", "<p>Kysy Laura Heiskaselta, 040 123 4567</p></body>"),
        encoding="utf-8",
    )

    svg = next((iv / "figures").glob("*.svg"))  # a henkilötunnus in a figure
    svg.write_text(
        svg.read_text(encoding="utf-8").replace("</svg>", "<text>131052-308T</text></svg>"),
        encoding="utf-8",
    )

    nb = json.loads(
        (crs / "notebook.ipynb").read_text(encoding="utf-8")
    )  # a pseudonym and an e-mail in output
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell.setdefault("outputs", []).append(
        {
            "output_type": "stream",
            "name": "stdout",
            "text": ["ps_0123456789abcdef riikka.heiskanen0@esimerkki.fi SR21-007\n"],
        }
    )
    cell["outputs"].append(
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {
                "text/html": "<table><thead><tr><th></th><th>email</th><th>n</th></tr></thead>"
                "<tbody><tr><th>0</th><td>[sähköposti]</td><td>4</td></tr></tbody></table>",
                "text/plain": "x",
            },
        }
    )
    (crs / "notebook.ipynb").write_text(json.dumps(nb), encoding="utf-8")

    import matplotlib.pyplot as plt  # a PDF page whose text says "n = 2" and names a person

    with matplotlib.rc_context(
        {"pdf.fonttype": 42}
    ):  # the house style's TrueType text, as in every figure
        fig = plt.figure()
        fig.text(0.1, 0.5, "Ryhmä n = 2, yhteyshenkilö Mikko")
        fig.savefig(crs / "figures" / "planted.pdf")
        plt.close(fig)

    found = {(f.file, f.kind, f.value) for f in _scan(base, 5, identifiers)}
    expected = {
        ("competence/tables/items.csv", "small_count", "3"),
        ("interviews/tables/tables.xlsx", "small_count", "2"),
        ("interviews/tables/tables.xlsx", "formula", "=1+1"),
        ("course/key_figures.json", "small_count", "3"),
        ("competence/report.html", "name", "Laura"),
        ("competence/report.html", "phone", "040 123 4567"),
        (f"interviews/figures/{svg.name}", "personal_id", "131052-308T"),
        ("course/notebook.ipynb", "pseudonym", "ps_0123456789abcdef"),
        ("course/notebook.ipynb", "email", "riikka.heiskanen0@esimerkki.fi"),
        ("course/notebook.ipynb", "respondent_id", "SR21-007"),
        ("course/notebook.ipynb", "identifier_column", "email"),
        ("course/notebook.ipynb", "small_count", "4"),
        ("course/figures/planted.pdf", "small_count", "n = 2"),
        ("course/figures/planted.pdf", "name", "Mikko"),
    }
    assert expected <= found, expected - found
    # the operational metadata is skipped on purpose, and only it
    assert set(DEFAULT_SKIP) == {"manifest.json", "cleaning_log.json"}
    assert not any(f.file.endswith(DEFAULT_SKIP) for f in _scan(base, 5, identifiers))


def test_count_columns_are_recognised_in_both_languages():
    counts = [
        "n",
        "n (kanta)",
        "n 2020",
        "n after",
        "Kaksi ylintä, n",
        "Top-2-box n",
        "Samaa mieltä (n)",
        "Agree (n)",
        "Haastatteluja",
        "Interviews",
        "Vastanneita",
        "Mainintoja",
        "Mentions",
        "Pareja",
        "Pairs",
        "Nousi",
        "Laski",
        "Ei muutosta",
        "Increased",
        "Decreased",
        "No change",
        "Suoritti",
        "Completed",
        "Ei suorittanut",
        "Did not complete",
        "Suosittelijat (9–10)",
        "Promoters (9–10)",
        "Arvostelijat (0–6)",
        "Detractors (0–6)",
        "Vastasi alkukyselyyn",
        "Answered pre",
        "count",
        "lkm",
        "n_answers",
        "top2_n",
        "Yhteensä",
        "Total",
        "Mukana",
        "Kept",
    ]
    not_counts = [
        "%",
        "Suorittaneita %",
        "Completed %",
        "95 % LV alaraja",
        "95% CI low",
        "Keskiarvo",
        "Mean",
        "Sija",
        "Rank",
        "Piilotettuja soluja",
        "Suppressed cells",
        "Raja (n vähintään)",
        "Threshold (n at least)",
        "Väittämiä",
        "Items",
        "Ryhmiä testissä",
        "Groups in test",
        "n_chars",
        "Haastatteluja opiskelijaa kohden",
        "Interviews per student",
        "Rivejä viennissä",
        "Raw rows",
        "Poistettu: testi",
        "Dropped: test",
        "p",
        "Vapausasteet",
        "LR df",
    ]
    assert [h for h in counts if not is_count_column(h)] == []
    assert [h for h in not_counts if is_count_column(h)] == []


@notebook
def test_free_text_in_csv_and_xlsx_is_formula_neutralised(runs):
    """Planted answers starting with = + - @ tab come out with a leading apostrophe; no cell is a formula."""
    folder = runs[10]
    texts: list[str] = []
    for path in folder.rglob("*.csv"):
        raw = path.read_text(encoding="utf-8-sig")
        delim = ";" if raw.splitlines()[0].count(";") > raw.splitlines()[0].count(",") else ","
        texts += [
            v for row in csv.reader(io.StringIO(raw, newline=""), delimiter=delim) for v in row
        ]
    for path in folder.rglob("*.xlsx"):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", f"{path.name} {ws.title}!{c.coordinate}: {c.value!r}"
                    if isinstance(c.value, str):
                        texts.append(c.value)
    unsafe = [t for t in texts if t.startswith(TRIGGERS) and not _is_number(t)]
    assert unsafe == []
    # the planted interview answers reached the uncoded-answers list, each neutralised with a leading "'"
    uncoded = (folder / "interviews" / "review" / "uncoded_answers.csv").read_text(encoding="utf-8")
    for answer in PLANTED_INTERVIEWS:
        core = answer.strip()
        assert ("'" + core) in uncoded.replace('""', '"') or (core[0] not in TRIGGERS), answer
    assert sum(("'" + a.strip()) in uncoded.replace('""', '"') for a in PLANTED_INTERVIEWS) >= 4
    # every planted competence answer that an output shows is neutralised (scan_file reports any that is not)
    competence_hits = [t for t in texts if any(a.strip()[1:20] in t for a in PLANTED_COMPETENCE)]
    assert len(competence_hits) >= 2 and all(t.startswith("'") for t in competence_hits), (
        competence_hits
    )
    for path in [*folder.rglob("*.csv"), *folder.rglob("*.xlsx")]:
        assert [f for f in scan_file(path, root=folder) if f.kind == "formula"] == []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------------- fast: the scanner itself
def test_scan_command_exit_status(tmp_path, capsys):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "t.csv").write_text("Ryhmä,n,%\nEssote,52,44.1\nMuu,0,0.0\n", encoding="utf-8")
    assert main(["scan", str(clean)]) == 0
    leaky = tmp_path / "leaky"
    leaky.mkdir()
    (leaky / "t.csv").write_text("Ryhmä,n,vastaus\nEssote,52,'=ok\nMuu,7,=cmd\n", encoding="utf-8")
    assert main(["scan", str(leaky), "--min-cell-size", "5"]) == 1  # the formula
    out = capsys.readouterr().out
    assert "formula '=cmd'" in out and "small_count" not in out
    assert main(["scan", str(leaky), "--min-cell-size", "10"]) == 1
    assert "small_count '7'" in capsys.readouterr().out
    assert main(["scan", str(tmp_path / "nope")]) == 2


def test_cross_tables_and_likert_counts_are_read_as_counts(tmp_path):
    # organisation x role (label column, then whole numbers and hidden cells); a Likert table's answer columns
    # hold counts when they hold whole numbers only; a column of percentages (18.2, 3.0) is not one
    (tmp_path / "x.csv").write_text(
        "Organisaatio,Sosiaalityöntekijä,Esihenkilö,Yhteensä\nEssote,20,,52\nKainuu,34,3,66\n",
        encoding="utf-8",
    )
    (tmp_path / "l.csv").write_text(
        "Väittämä,Täysin eri mieltä,En osaa sanoa,Keskiarvo\nA,2,0,3.4\nB,10,12,3.1\n",
        encoding="utf-8",
    )
    (tmp_path / "p.csv").write_text(
        "Väittämä,Huonosti,Hyvin,n\nA,18.2,3.0,33\nB,0.0,45.5,33\n", encoding="utf-8"
    )
    found = {(f.file, f.where, f.value) for f in scan_outputs(tmp_path)}
    assert found == {
        ("x.csv", "row 3, column 'Esihenkilö'", "3"),
        ("l.csv", "row 2, column 'Täysin eri mieltä'", "2"),
    }


def test_names_are_whole_case_sensitive_words(tmp_path):
    # "Aino" is a name; "ainoa" (the only) and "Ainoa" are ordinary Finnish words, "Laura" in "Laurakatu" is not
    # a whole word (an address is found by its own pattern when it has a number)
    (tmp_path / "a.txt").write_text(
        "Ainoa ongelma: ainoastaan Aino tiesi. Laurakatu.", encoding="utf-8"
    )
    found = [(f.kind, f.value) for f in scan_outputs(tmp_path, names=["Aino", "Laura"])]
    assert found == [("name", "Aino")]


def test_grouped_thousands_are_one_number(tmp_path):
    # Finnish groups thousands with a (no-break) space, and PDF text extraction makes it a plain one: an
    # infographic's "n = 1 500" is not "n = 1" (a false alarm on every national-size run before), while a
    # real small count after another number is still found
    (tmp_path / "a.md").write_text(
        "Vastaajia n = 1 500 (2 003 vastaajaa, 12\u00a0345 haastattelua). "
        "Vuonna 2020 3 vastaajaa; n = 4.",
        encoding="utf-8",
    )
    found = sorted(f.value for f in scan_outputs(tmp_path))
    assert found == ["3 vastaajaa", "n = 4"]
