"""Agreement of the theme codebook with human coders: statistics, the worksheet, ticks, disclosure."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sosrake_lib import interviews as iv
from sosrake_lib.cli import main
from sosrake_lib.coding.agreement import (
    binary_agreement,
    confusion,
    kappa_from_table,
    krippendorff_alpha,
    theme_agreement,
)
from sosrake_lib.coding.answers import coding_answers, write_coding_answers
from sosrake_lib.coding.publish import agreement_table, passing_themes
from sosrake_lib.coding.suggest import suggest_terms
from sosrake_lib.coding.worksheet import is_tick, read_worksheet, write_worksheet
from sosrake_lib.errors import ConfigError, ExportError
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.synthetic import PLANTED, write_coded_worksheet

EXPORTS = {
    "2021-syksy": SAMPLE_DIR / "interviews_2021-syksy.csv",
    "2022-syksy": SAMPLE_DIR / "interviews_2022-syksy.csv",
}


def _vectors(table: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Two codings with the given 2 x 2 table (rows: reference yes/no, columns: other yes/no)."""
    (a, b), (c, d) = table
    ref = [1] * a + [1] * b + [0] * c + [0] * d
    oth = [1] * a + [0] * b + [1] * c + [0] * d
    return np.array(ref, bool), np.array(oth, bool)


# ------------------------------------------------------------------------------------------- statistics
def test_identical_codes_give_kappa_one_and_perfect_scores() -> None:
    codes = np.array([1, 0, 0, 1, 1, 0, 0, 0, 1, 0], bool)
    r = binary_agreement(codes, codes)
    assert r["kappa"] == pytest.approx(1.0)
    assert r["precision"] == r["recall"] == r["f1"] == 1.0
    assert r["human_pct"] == r["codebook_pct"] == 40.0


def test_planted_confusion_gives_the_statsmodels_and_the_textbook_kappa() -> None:
    from statsmodels.stats.inter_rater import cohens_kappa

    table = [[20, 5], [10, 15]]
    ref, oth = _vectors(table)
    assert confusion(ref, oth).tolist() == table
    r = binary_agreement(ref, oth)
    # textbook (Cohen 1960): p_o = 35/50, p_e = (25*30 + 25*20)/50**2 = 0.5, kappa = (0.7 - 0.5)/(1 - 0.5)
    n = 50
    p_o = (20 + 15) / n
    p_e = (25 * 30 + 25 * 20) / n**2
    assert r["kappa"] == pytest.approx((p_o - p_e) / (1 - p_e)) == pytest.approx(0.4)
    sm = cohens_kappa(np.array(table))
    assert r["kappa"] == pytest.approx(sm.kappa)
    assert (r["kappa_low"], r["kappa_high"]) == pytest.approx((sm.kappa_low, sm.kappa_upp))
    assert r["kappa_low"] < 0.4 < r["kappa_high"]


def test_precision_recall_f1_on_a_known_case() -> None:
    # the codebook flags 30 answers, 20 of them ticked by the human, who ticked 25
    r = binary_agreement(*_vectors([[20, 5], [10, 15]]))
    assert r["precision"] == pytest.approx(20 / 30)
    assert r["recall"] == pytest.approx(20 / 25)
    assert r["f1"] == pytest.approx(2 * (2 / 3) * 0.8 / (2 / 3 + 0.8))
    assert (r["human_count"], r["codebook_count"], r["both_count"]) == (25, 30, 20)


def test_kappa_is_not_defined_without_variation() -> None:
    k, lo, hi = kappa_from_table(np.array([[0, 0], [0, 40]]))
    assert math.isnan(k) and math.isnan(lo) and math.isnan(hi)
    r = binary_agreement([False] * 5, [False] * 5)
    assert math.isnan(r["precision"]) and math.isnan(r["recall"]) and math.isnan(r["f1"])


def test_krippendorff_alpha_equals_the_published_values() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", A: binary data, two observers
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095
    # ibid., C: nominal data, four observers, twelve units, missing values: alpha = 0.743
    n = np.nan
    c = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert round(krippendorff_alpha(c), 3) == 0.743


def test_theme_agreement_pools_and_averages() -> None:
    idx = pd.Index([f"v{i}" for i in range(8)])
    book = pd.DataFrame({"a": [1, 1, 0, 0, 1, 0, 0, 0], "b": [0, 0, 1, 1, 0, 0, 1, 0]}, idx).astype(
        bool
    )
    c1 = book.copy()
    c1.loc["v0", "a"] = False
    c2 = book.copy()
    t = theme_agreement(book, {"coder1": c1, "coder2": c2}, ["a", "b"])
    row = t.set_index(["comparison", "theme"])
    assert row.loc[("codebook~coder1", "b"), "kappa"] == pytest.approx(1.0)
    assert row.loc[("codebook~coder1", "a"), "kappa"] < 1
    pooled = binary_agreement(c1.to_numpy().ravel(), book.to_numpy().ravel())["kappa"]
    assert row.loc[("codebook~coder1", "_pooled"), "kappa"] == pytest.approx(pooled)
    mean = np.mean([row.loc[("codebook~coder1", t_), "kappa"] for t_ in "ab"])
    assert row.loc[("codebook~coder1", "_mean"), "kappa"] == pytest.approx(mean)
    assert not math.isnan(row.loc[("coder1~coder2", "a"), "alpha"])


# -------------------------------------------------------------------------------------------- worksheet
@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return iv.load_exports(EXPORTS)


@pytest.fixture(scope="module")
def coded(sample: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return iv.code_open_answers(sample)


@pytest.fixture
def run_dir(tmp_path: Path, sample: pd.DataFrame, coded: dict[str, pd.DataFrame]) -> Path:
    """A run folder holding what the interviews notebook leaves for coding (review/coding_answers.csv),
    with identifiers planted in two answers."""
    df = sample.copy()
    df["open_good"] = df["open_good"].astype(object)
    df.loc[df.index[0], "open_good"] = (
        "Soitin Maijalle 040 123 4567 ja maija.virtanen@example.fi auttoi."
    )
    df.loc[df.index[1], "open_good"] = "Henkilötunnukseni 131052-308T kysyttiin turhaan."
    folder = tmp_path / "sample" / "interviews"
    iv.write_coding_answers(df, coded, folder)
    return folder


def _cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [
        str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


def test_worksheet_has_no_codebook_codes_and_no_identifiers(run_dir: Path) -> None:
    path = write_worksheet(run_dir, n=500, seed=1)  # every answer, so the planted ones are in it
    assert path == run_dir / "review" / "coding_sample.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ohjeet", "Koodaaja 1", "Koodaaja 2", "Teemat", "_meta"]
    assert wb["_meta"].sheet_state == "hidden"
    for name in ("Koodaaja 1", "Koodaaja 2"):
        ws = wb[name]
        assert ws.freeze_panes == "D2"
        header = [c.value for c in ws[1]]
        assert header[:3] == ["Tunniste", "Kysymys", "Vastaus"] and header[-2:] == [
            "Ei mikään teema",
            "Huomio",
        ]
        # the coder is blind: every tick cell is empty, no codebook code anywhere
        ticks = [c.value for row in ws.iter_rows(min_row=2, min_col=4) for c in row]
        assert set(ticks) == {None}
        dv = ws.data_validations.dataValidation
        assert len(dv) == 1 and dv[0].formula1 == '"x,1,kyllä"'
        assert str(dv[0].sqref).startswith("D2:")
    text = "\n".join(_cells(path))
    assert "cb:" not in text
    for identifier in ("040 123 4567", "maija.virtanen@example.fi", "131052-308T", "ps_"):
        assert identifier not in text
    assert "[puhelinnumero]" in text and "[sähköposti]" in text
    # names are scrubbed on import with the names the export holds: the scanner finds none of them
    from sosrake_lib.scan import identifiers_from_exports, scan_file

    ident = identifiers_from_exports(SAMPLE_DIR)
    assert "[nimi]" in text  # the sample's planted "Työntekijä <first name> oli mukava"
    found = scan_file(path, names=ident.names, ids=ident.ids, columns=ident.columns)
    assert not found, found


def test_worksheet_is_seeded_and_never_overwritten_without_force(
    run_dir: Path, tmp_path: Path
) -> None:
    a = write_worksheet(run_dir, n=20, seed=5, target=tmp_path / "a.xlsx")
    b = write_worksheet(run_dir, n=20, seed=5, target=tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    c = write_worksheet(run_dir, n=20, seed=6, target=tmp_path / "c.xlsx")
    assert _cells(a) != _cells(c)
    with pytest.raises(ConfigError, match="--force"):
        write_worksheet(run_dir, n=20, seed=5, target=a)
    write_worksheet(run_dir, n=20, seed=6, target=a, force=True)
    assert _cells(a) == _cells(c)


def test_tick_reading() -> None:
    assert [is_tick(v) for v in ("x", "X", " x ", "1", 1, 1.0, "kyllä", "KYLLÄ", True)] == [
        True
    ] * 9
    assert [is_tick(v) for v in (None, "", "  ", False)] == [False] * 4
    assert [is_tick(v) for v in ("y", "?", 2, "xx", "ei")] == [None] * 5


def _tick(path: Path, sheet: str, row: int, col: int, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet].cell(row=row, column=col, value=value)
    wb.save(path)


def test_a_bad_tick_names_file_sheet_row_column_and_value(run_dir: Path) -> None:
    path = write_worksheet(run_dir, n=10, seed=0)
    _tick(path, "Koodaaja 1", 2, 4, "x")
    _tick(path, "Koodaaja 1", 3, 5, "ehkä")
    with pytest.raises(ExportError) as err:
        read_worksheet(path)
    msg = str(err.value)
    assert "coding_sample.xlsx [Koodaaja 1]" in msg
    assert "row 3" in msg and "column 'Toimeentulo ja talous'" in msg and "value 'ehkä'" in msg
    assert "x, X, 1 or kyllä" in msg
    fi = err.value.one_line("fi")
    assert "rivi 3" in fi and "merkitse x, X, 1 tai kyllä" in fi


def test_theme_and_no_theme_together_is_an_error(run_dir: Path) -> None:
    path = write_worksheet(run_dir, n=10, seed=0)
    _tick(path, "Koodaaja 1", 2, 4, "x")
    wb = load_workbook(path)
    none_col = [c.value for c in wb["Koodaaja 1"][1]].index("Ei mikään teema") + 1
    _tick(path, "Koodaaja 1", 2, none_col, "x")
    with pytest.raises(ExportError, match="no theme") as err:
        read_worksheet(path)
    # the advice is to remove one of the two ticks, not how to write a tick
    en, fi = err.value.one_line("en"), err.value.one_line("fi")
    assert "remove one of the two ticks" in en and "x, X, 1" not in en
    assert "poista toinen kahdesta merkinnästä" in fi and "x, X, 1" not in fi


def test_rows_nobody_coded_are_left_out_and_counted(run_dir: Path) -> None:
    path = write_worksheet(run_dir, n=10, seed=0)
    _tick(path, "Koodaaja 1", 2, 4, "X")
    _tick(path, "Koodaaja 1", 3, 4 + 12, 1)  # "Ei mikään teema": coded, no theme
    ws = read_worksheet(path)
    assert list(ws.coders) == ["coder1"]  # the second coder coded nothing: one coder
    assert len(ws.coders["coder1"]) == 2 and ws.uncoded == {"coder1": 8, "coder2": 10}
    assert ws.coders["coder1"].iloc[1].sum() == 0


# ------------------------------------------------------------------------ the planted sample coding
@pytest.fixture
def coded_sheet(run_dir: Path, tmp_path: Path) -> Path:
    return write_coded_worksheet(run_dir, tmp_path / "coded.xlsx")


def test_the_planted_low_kappa_theme_is_recovered(
    coded_sheet: Path, run_dir: Path, sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    p = PLANTED["coding"]
    table = iv.coding_agreement(sample, coded, coded_sheet, min_n=5)
    by = table.set_index("theme")
    low = p["low_kappa_theme"]
    assert by.loc[low, "kappa"] < p["kappa_bound"] and by.loc[low, "uncertain"]
    assert (
        by.loc[low, "kappa_coders"] > 0.8
    )  # the coders agree with each other: the ceiling is high
    defined = by.drop(index=low)["kappa"].dropna()
    assert len(defined) >= 4 and (defined >= 0.75).all()
    assert passing_themes(table) == set(by.index[~by["uncertain"]])
    assert table.attrs["n_uncoded"] == {"coder1": 0, "coder2": p["n"] - p["coder2_rows"]}
    assert table.attrs["source"] == "run"


def test_published_agreement_hides_small_counts(
    coded_sheet: Path, sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    answers = coding_answers(sample, coded, id_column="interview_id", codebook="interviews")
    at5 = agreement_table(answers, coded_sheet, min_n=5).set_index("theme")
    at20 = agreement_table(answers, coded_sheet, min_n=20).set_index("theme")
    ws = read_worksheet(coded_sheet)
    human = ws.coders["coder1"].sum()
    book = answers.set_index("answer_id").loc[ws.coders["coder1"].index]
    for theme in ws.themes:
        counts = (int(human[theme]), int(book[f"cb:{theme}"].sum()))
        for table, min_n in ((at5, 5), (at20, 20)):
            small = any(0 < c < min_n for c in counts)
            shown = table.loc[theme, ["codebook_pct", "human_pct", "kappa", "kappa_ci_low"]]
            assert shown.isna().all() if small else shown.notna().all() or counts[0] == 0, theme
    # the mark is kept where the figures are hidden
    assert bool(at20.loc[PLANTED["coding"]["low_kappa_theme"], "uncertain"])
    assert (
        at20[["codebook_pct", "kappa"]].isna().sum().sum()
        > at5[["codebook_pct", "kappa"]].isna().sum().sum()
    )


def test_headline_skips_an_uncertain_theme_or_says_none_passes(
    coded_sheet: Path, sample: pd.DataFrame, coded: dict[str, pd.DataFrame]
) -> None:
    parts = dict(
        counts=iv.interview_counts(sample),
        top2=iv.theme_top2(sample),
        nps_sem=iv.nps_table(sample),
        comparison=iv.compare_semesters(sample),
        open_freq=iv.open_theme_frequencies(sample, coded),
        semester="2022-syksy",
    )
    agreement = iv.coding_agreement(sample, coded, coded_sheet)
    kf = iv.build_key_figures(**parts, agreement=agreement)
    assert kf["top_missing_theme"].value == "asuminen"  # passes: stays the headline
    assert "apu arkeen" in kf["coding_agreement"].label_fi
    assert kf["coding_agreement"].value == pytest.approx(agreement.attrs["mean_kappa"])
    # the label says over how many themes the mean is (the kappas the table shows), so it is not read as
    # the mean over every theme that `sosrake coding-agreement` prints
    shown = int(agreement["kappa"].notna().sum())
    assert f"({shown} teeman keskiarvo, " in kf["coding_agreement"].label_fi
    assert f"(mean over {shown} themes, " in kf["coding_agreement"].label_en
    # mark the headline theme uncertain: the next most frequent theme that passes is the headline
    marked = agreement.copy()
    marked.loc[marked["theme"] == "asuminen", "uncertain"] = True
    kf = iv.build_key_figures(**parts, agreement=marked)
    f = parts["open_freq"]
    f = f[(f["question"] == "open_missing") & (f["semester"] == "2022-syksy")].dropna(
        subset=["pct"]
    )
    f = f[f["theme"].isin(passing_themes(marked))].sort_values(
        ["pct", "theme"], ascending=[False, True]
    )
    expected = f.iloc[0]
    assert kf["top_missing_theme"].value == expected["theme"] != "asuminen"
    assert kf["top_missing_theme_pct"].value == round(expected["pct"])
    # nothing passes: the figure says so and names no theme
    marked["uncertain"] = True
    kf = iv.build_key_figures(**parts, agreement=marked)
    assert kf["top_missing_theme"].value is None
    assert "Yksikään" in kf["top_missing_theme"].label_fi
    assert "top_missing_theme_pct" not in {k.name for k in kf}
    # without a worksheet nothing changes
    assert iv.build_key_figures(**parts)["top_missing_theme"].value == "asuminen"


def test_shipped_coded_worksheet_is_the_generators_output(no_env_key: None, tmp_path: Path) -> None:
    """data/raw/sample/coding/interviews_coded.xlsx is write_coded_worksheet's output for the sample run
    (the sample's demo key; reproducible byte for byte), and the run's export discovery ignores it."""
    from sosrake_lib.pipeline import discover_exports

    df = iv.load_exports(EXPORTS)
    folder = tmp_path / "sample" / "interviews"
    write_coding_answers(
        coding_answers(
            df,
            iv.code_open_answers(df),
            id_column="interview_id",
            codebook="interviews",
            question_label=lambda q: iv.question_label(q, "fi"),
        ),
        folder,
    )
    again = write_coded_worksheet(folder, tmp_path / "again.xlsx")
    shipped = SAMPLE_DIR / PLANTED["coding"]["worksheet"]
    assert again.read_bytes() == shipped.read_bytes()
    found = [p for files in discover_exports(SAMPLE_DIR).values() for p in files]
    assert shipped not in found and all(p.parent == SAMPLE_DIR for p in found)


# ------------------------------------------------------------------------------------ command line
def test_cli_coding_sample_and_agreement_exit_codes(
    run_dir: Path, coded_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coding-sample", str(run_dir), "--n", "30", "--seed", "3"]) == 0
    assert "coding_sample.xlsx" in capsys.readouterr().out
    assert main(["coding-sample", str(run_dir), "--n", "30"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--force" in err and err.startswith("sosrake: virhe:")
    assert main(["coding-sample", str(run_dir), "--n", "30", "--force"]) == 0
    assert main(["coding-sample", str(tmp_path / "nothing")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1

    out = tmp_path / "agreement"
    assert main(["coding-agreement", str(coded_sheet), "--out", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "apu_arkeen" in printed and "Krippendorff's alpha" in printed
    assert "coder 2: 10 rows without any tick were left out" in printed
    table = pd.read_csv(out / "coding_agreement.csv")
    low = table[(table["theme"] == "apu_arkeen") & (table["comparison"] == "codebook~coder1")]
    assert float(low["kappa"].iloc[0]) < 0.6
    dis = pd.read_csv(out / "coding_disagreements.csv")
    assert set(dis["theme"]) >= {"apu_arkeen"} and dis["answer"].notna().all()
    # the run's own codes give the same result here (the text was coded the same way)
    assert (
        main(["coding-agreement", str(coded_sheet), "--out", str(out), "--run", str(run_dir)]) == 0
    )
    capsys.readouterr()

    # outside a run's review/ folder (e.g. under data/raw) nothing is written without --out
    assert main(["coding-agreement", str(coded_sheet)]) == 2
    assert "--out" in capsys.readouterr().err

    _tick(coded_sheet, "Koodaaja 1", 4, 5, "joo")
    assert main(["coding-agreement", str(coded_sheet), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        len(err.splitlines()) == 1 and "[Koodaaja 1]" in err and "rivi 4" in err and "'joo'" in err
    )
    assert main(["coding-agreement", str(tmp_path / "missing.xlsx")]) == 2


def test_codebook_suggestions_count_answers_and_drop_stop_words() -> None:
    texts = pd.Series(
        [
            "Vertaisryhmä olisi hyvä ja tukihenkilö.",
            "Tukihenkilö puuttuu, vertaisryhmä myös.",
            "Tukihenkilö.",
            "En osaa sanoa.",
        ]
    )
    t = suggest_terms(texts, min_count=2)
    got = dict(zip(t["term"], t["answers"], strict=True))
    assert got["tukihenkilö"] == 3 and got["vertaisryhmä"] == 2
    assert not {"ja", "olla", "osata", "sanoa", "ei"} & set(got)


def test_review_material_scan_treats_the_worksheet_like_quotes(run_dir: Path) -> None:
    from sosrake_lib.scan import is_review_material, scan_outputs

    write_worksheet(run_dir, n=10, seed=0)
    assert is_review_material("interviews/review/coding_sample.xlsx")
    assert not [f for f in scan_outputs(run_dir) if f.kind == "review_material"]
    moved = run_dir / "tables"
    moved.mkdir()
    (run_dir / "review" / "coding_sample.xlsx").rename(moved / "coding_sample.xlsx")
    assert [f for f in scan_outputs(run_dir) if f.kind == "review_material"]


def test_a_rerun_keeps_a_worksheet_being_coded(tmp_path: Path) -> None:
    from sosrake_lib.runner import _keep_worksheets

    final, tmp = tmp_path / "final", tmp_path / "tmp"
    (final / "review").mkdir(parents=True)
    (final / "review" / "coding_sample.xlsx").write_bytes(b"ticked")
    assert _keep_worksheets(final, tmp) == [tmp / "review" / "coding_sample.xlsx"]
    assert (tmp / "review" / "coding_sample.xlsx").read_bytes() == b"ticked"


def test_the_scanner_flags_coding_material_outside_review(tmp_path: Path) -> None:
    from sosrake_lib.scan import scan_outputs

    for name in ("coding_answers.csv", "coding_disagreements.csv", "codebook_suggestions.csv"):
        (tmp_path / "tables").mkdir(exist_ok=True)
        (tmp_path / "tables" / name).write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "tables" / "coding_agreement.csv").write_text("a\n1\n", encoding="utf-8")
    flagged = {f.file for f in scan_outputs(tmp_path, min_n=1) if f.kind == "review_material"}
    assert flagged == {
        "tables/coding_answers.csv",
        "tables/coding_disagreements.csv",
        "tables/codebook_suggestions.csv",
    }


def _competence_worksheet(tmp_path: Path) -> Path:
    from sosrake_lib.text import code_themes

    df = pd.DataFrame(
        {
            "respondent_id": [f"ps_{i:016x}" for i in range(12)],
            "support_needed": ["Tarvitsen koulutusta raportointiin.", "Aikaa ei ole."] * 6,
        }
    )
    folder = tmp_path / "sample" / "competence"
    write_coding_answers(
        coding_answers(
            df,
            {"support_needed": code_themes(df["support_needed"], "competence")},
            id_column="respondent_id",
            codebook="competence",
        ),
        folder,
    )
    return write_worksheet(folder, n=10, seed=0)


def test_a_worksheet_goes_to_the_analysis_of_its_codebook(
    coded_sheet: Path, tmp_path: Path
) -> None:
    from sosrake_lib.coding.worksheet import worksheet_codebook
    from sosrake_lib.registry import RunContext, _coding_parameters
    from sosrake_lib.runner import run_semester

    comp_sheet = _competence_worksheet(tmp_path)
    assert (worksheet_codebook(coded_sheet), worksheet_codebook(comp_sheet)) == (
        "interviews",
        "competence",
    )
    ctx = RunContext(semester="s", coded_worksheet=coded_sheet, kappa_bound=0.7)
    assert _coding_parameters(ctx, "interviews") == {
        "coded_worksheet": str(coded_sheet.resolve()),
        "kappa_bound": 0.7,
    }
    assert _coding_parameters(ctx, "competence") == {}  # `run all`: only interviews gets it
    assert _coding_parameters(RunContext(semester="s"), "interviews") == {}
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match="competence theme codebook"):
        run_semester(
            "interviews",
            semester="s",
            raw=SAMPLE_DIR,
            out=out,
            coded_worksheet=comp_sheet,
            processed_dir=None,
            progress=False,
        )
    with pytest.raises(ConfigError, match="--kappa-bound"):
        run_semester(
            "interviews",
            semester="s",
            raw=SAMPLE_DIR,
            out=out,
            coded_worksheet=coded_sheet,
            kappa_bound=1.5,
            processed_dir=None,
            progress=False,
        )
    assert not out.exists()  # refused before anything was written


@pytest.mark.parametrize(("lang", "none"), [("fi", "(ei kuvausta)"), ("en", "(no description)")])
def test_themes_sheet_shows_labels_and_descriptions_never_the_matching_stems(
    run_dir: Path, tmp_path: Path, lang: str, none: str
) -> None:
    from sosrake_lib.text import load_theme_codebook

    path = write_worksheet(run_dir, n=20, seed=1, lang=lang, target=tmp_path / f"w_{lang}.xlsx")
    wb = load_workbook(path)
    ws = wb["Themes" if lang == "en" else "Teemat"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    descs = [r[1] for r in rows if r[0]]
    assert descs
    stems = {s for t in load_theme_codebook("interviews").themes for s in t.stems}
    written = "\n".join(str(d) for d in descs)
    assert not any(s in written for s in stems if any(ch in s for ch in "^=$|"))
    cb = {
        t.label_en if lang == "en" else t.label_fi: t
        for t in load_theme_codebook("interviews").themes
    }
    for label, desc in ((r[0], r[1]) for r in rows if r[0] in cb):
        t = cb[label]
        plain = (t.description_en or t.description_fi) if lang == "en" else t.description_fi
        assert desc == (plain or none)
    assert none in descs  # the sample codebook has themes without a description


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_agreement_on_a_file_that_is_no_worksheet_says_so_in_the_run_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    csv = tmp_path / "some.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["coding-agreement", str(csv), "--lang", lang]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "some.csv" in err and "sosrake coding-sample" in err
    assert "Exception" not in err and "Excel workbook" not in err
    if lang == "fi":
        assert "ei ole" in err and ".xlsx-koodauslomake" in err
    else:
        assert "is not an .xlsx coding worksheet" in err


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_codebook_suggest_without_suggestions_says_so_and_prints_no_template(
    run_dir: Path, lang: str
) -> None:
    from sosrake_lib.coding.suggest import suggest_command

    # the sample's uncoded answers share no word in two answers: nothing reaches the minimum count
    out = suggest_command(run_dir, lang=lang)
    assert ("ei ehdotuksia:" if lang == "fi" else "no suggestions:") in out
    assert "- id: new_theme" not in out and "stems:" not in out and "  –" not in out
    assert (run_dir / "review" / "codebook_suggestions.csv").is_file()


def test_codebook_suggest_with_suggestions_prints_the_template(run_dir: Path) -> None:
    from sosrake_lib.coding.answers import REVIEW_DIR
    from sosrake_lib.coding.suggest import suggest_command

    path = run_dir / REVIEW_DIR / "coding_answers.csv"
    answers = pd.read_csv(path, dtype=str, keep_default_na=False)
    flags = [c for c in answers.columns if c.startswith("cb:")]
    ticked = answers[flags].apply(lambda c: c.str.strip().str.lower().eq("x")).sum(axis=1)
    uncoded = answers.index[ticked == 0][:2]
    answers.loc[uncoded, "answer"] = "Vertaisryhmä puuttui kokonaan."
    answers.to_csv(path, index=False)
    out = suggest_command(run_dir, lang="fi")
    assert "vertaisryhmä" in out and "- id: new_theme" in out and "ei ehdotuksia" not in out
