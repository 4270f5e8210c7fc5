"""read_export on the variants real exports come in, built in tmp_path from the synthetic frames.

Known values are written out by hand here (label -> code tables below), never read back from the codebook.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import csv_bytes, sha256

from sosrake_lib import synthetic
from sosrake_lib.errors import ExportError
from sosrake_lib.io import detect_instrument, read_export, semester_of
from sosrake_lib.paths import SAMPLE_DIR

AGREE5 = {
    "Täysin eri mieltä": 1,
    "Jokseenkin eri mieltä": 2,
    "Ei samaa eikä eri mieltä": 3,
    "Jokseenkin samaa mieltä": 4,
    "Täysin samaa mieltä": 5,
}
XAMK5 = {"Erittäin huonosti": 1, "Huonosti": 2, "Kohtalaisesti": 3, "Hyvin": 4, "Erittäin hyvin": 5}
NSA = {"En osaa sanoa": "dont_know", "Ei koske minua": "not_applicable"}
SA1 = "Sain yhteyden työntekijään riittävän nopeasti"
FB_SIS1 = "Kurssin sisältö vastasi sen tavoitteita"
FB_NPS = "Kuinka todennäköisesti suosittelisit kurssia kollegallesi?"


@pytest.fixture(scope="module")
def interviews() -> pd.DataFrame:
    df = synthetic.interviews_frame(n=30, semester="2021-syksy", seed=7)
    df.loc[1, SA1] = "En osaa sanoa"
    df.loc[2, SA1] = "Täysin samaa mieltä"
    return df


def _rows(df: pd.DataFrame) -> list[list[object]]:
    return [list(df.columns), *df.astype(object).where(df.notna(), None).to_numpy().tolist()]


def _expected_likert(labels: pd.Series) -> tuple[list[float], list[object]]:
    codes = [float(AGREE5[v]) if v in AGREE5 else np.nan for v in labels]
    nsa = [NSA.get(v, np.nan) for v in labels]
    return codes, nsa


def _strip_attrs(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.attrs = {}
    return out


# ------------------------------------------------------------------------------------------- variants


VARIANTS = {
    "comma-utf8": (",", "utf-8"),
    "semicolon-utf8-bom": (";", "utf-8-sig"),
    "tab-utf8": ("\t", "utf-8"),
    "semicolon-cp1252": (";", "cp1252"),
    "comma-cp1252": (",", "cp1252"),
    "tab-utf16-excel-unicode-text": ("\t", "utf-16"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_csv_variants_read_identically(
    variant: str, interviews: pd.DataFrame, tmp_path: Path
) -> None:
    sep, enc = VARIANTS[variant]
    ref_path = tmp_path / "ref.csv"
    ref_path.write_bytes(csv_bytes(_rows(interviews), sep=",", encoding="utf-8"))
    path = tmp_path / f"{variant}.csv"
    path.write_bytes(csv_bytes(_rows(interviews), sep=sep, encoding=enc))
    before = sha256(path)
    df = read_export(path, "interviews")
    assert sha256(path) == before, "the raw file must not change"
    pd.testing.assert_frame_equal(
        _strip_attrs(df), _strip_attrs(read_export(ref_path, "interviews"))
    )
    assert df.attrs["read_info"]["delimiter"] == sep
    # Known values: codes and the non-substantive companion, from the hand-written table.
    codes, nsa = _expected_likert(interviews[SA1])
    assert df["SA1"].tolist() == pytest.approx(codes, nan_ok=True)
    assert [v if isinstance(v, str) else None for v in df["SA1__nsa"]] == [
        v if isinstance(v, str) else None for v in nsa
    ]
    assert pd.isna(df.loc[1, "SA1"]) and df.loc[1, "SA1__nsa"] == "dont_know"
    assert df.loc[2, "SA1"] == 5.0 and pd.isna(df.loc[2, "SA1__nsa"])
    assert df["_row"].tolist() == list(range(2, 32))
    assert df["interview_id"].tolist() == [str(i) for i in range(1, 31)]
    assert df["student_name"].iloc[0] == interviews["Nimi"].iloc[0]
    assert df.attrs["semester"] == "2021-syksy"


def test_encoding_is_reported(interviews: pd.DataFrame, tmp_path: Path) -> None:
    found = {}
    for enc in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        p = tmp_path / f"{enc}.csv"
        p.write_bytes(csv_bytes(_rows(interviews), encoding=enc))
        found[enc] = read_export(p, "interviews").attrs["read_info"]["encoding"]
    assert found == {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252", "utf-16": "utf-16"}


def test_bom_does_not_break_the_first_header(write_csv) -> None:
    """A BOM glued to 'ID' must not hide the id column (Excel's CSV UTF-8)."""
    p = write_csv("fb.csv", [["ID", FB_SIS1], ["7", "Hyvin"]], encoding="utf-8-sig")
    assert p.read_bytes().startswith(b"\xef\xbb\xbfID")
    df = read_export(p, "course_feedback")
    assert df["response_id"].tolist() == ["7"]
    assert df["FB_SIS1"].tolist() == [4.0]


def test_known_labels_odd_case_spaces_and_non_substantive(write_csv) -> None:
    rows = [
        ["ID", SA1, "Sähköposti", "Haastattelupäivä", "Palvelu, jota haastattelu koskee"],
        ["1", "Täysin samaa mieltä", "a@x.fi", "1.10.2021", "Aikuissosiaalityö"],
        ["2", "  jokseenkin SAMAA mieltä ", "b@x.fi", "2.10.2021", "TYP"],
        ["3", "En osaa sanoa", "c@x.fi", "3.10.2021", " asumisen TUKI"],
        ["4", "ei koske minua", "d@x.fi", "4.10.2021", "Velkaneuvonta"],
        ["5", "", "e@x.fi", "5.10.2021", "Aikuissosiaalityö"],
        ["6", "Osittain eri mieltä", "f@x.fi", "6.10.2021", "Aikuissosiaalityö"],
    ]
    df = read_export(write_csv("iv.csv", rows), "interviews")
    assert df["SA1"].tolist() == pytest.approx([5.0, 4.0, np.nan, np.nan, np.nan, 2.0], nan_ok=True)
    assert df["SA1__nsa"].isna().tolist() == [True, True, False, False, True, True]
    assert df.loc[2, "SA1__nsa"] == "dont_know" and df.loc[3, "SA1__nsa"] == "not_applicable"
    assert df["service"].astype("str").tolist() == [
        "adult_social_work",
        "typ",
        "housing_support",
        "debt_advice",
        "adult_social_work",
        "adult_social_work",
    ]
    assert isinstance(df["service"].dtype, pd.CategoricalDtype)
    assert df["interview_date"].dt.strftime("%Y-%m-%d").tolist()[:3] == [
        "2021-10-01",
        "2021-10-02",
        "2021-10-03",
    ]
    # optional items that are not in the file come as empty columns, listed
    assert "SA2" in df.attrs["absent_items"] and df["SA2"].isna().all()


def test_decimal_comma_and_numeric_cells(write_csv, write_xlsx) -> None:
    """NPS written '9,0' (Finnish decimal comma) or stored as a number in Excel reads as 9."""
    p = write_csv(
        "fb.csv",
        [
            ["ID", FB_NPS],
            ["1", "9,0"],
            ["2", "10"],
            ["3", " 0 "],
            ["4", "7 - melko todennäköisesti"],
        ],
    )
    assert read_export(p, "course_feedback")["nps"].tolist() == [9.0, 10.0, 0.0, 7.0]
    x = write_xlsx("fb.xlsx", [["ID", FB_NPS], [1, 9.0], [2, 10], [3, None]])
    df = read_export(x, "course_feedback")
    assert df["nps"].tolist() == pytest.approx([9.0, 10.0, np.nan], nan_ok=True)
    assert df["response_id"].tolist() == ["1", "2", "3"]


def test_metadata_rows_above_header(interviews: pd.DataFrame, write_csv) -> None:
    meta = [["Asiakaskokemushaastattelut 2021-syksy"], [synthetic.MARKER], []]
    df = read_export(write_csv("iv.csv", [*meta, *_rows(interviews)]), "interviews")
    assert df.attrs["header_row"] == 4
    assert df["_row"].iloc[0] == 5 and df["_row"].iloc[-1] == 34
    assert df.attrs["synthetic"] is True
    codes, _ = _expected_likert(interviews[SA1])
    assert df["SA1"].tolist() == pytest.approx(codes, nan_ok=True)


def test_two_header_rows_with_merged_grid_title(write_xlsx, write_csv) -> None:
    """A grid title in a merged cell above the statements (blanks to its right) still finds each statement."""
    top = ["", "", "Arvioi seuraavia väittämiä", "", ""]
    low = [
        "ID",
        "Valmistumisaika",
        FB_SIS1,
        "Sisältö oli ajankohtaista rakenteellisen sosiaalityön kannalta",
        FB_NPS,
    ]
    body = [
        ["1", "12.12.2021 14.00", "Hyvin", "Erittäin hyvin", "9"],
        ["2", "12.12.2021 14.05", "Erittäin huonosti", "En osaa sanoa", "3"],
    ]
    x = write_xlsx("fb.xlsx", [top, low, *body])
    import openpyxl

    wb = openpyxl.load_workbook(x)
    wb.active.merge_cells("C1:E1")
    wb.save(x)
    c = write_csv("fb.csv", [top, low, *body])
    for path in (x, c):
        df = read_export(path, "course_feedback")
        assert df.attrs["header_row"] == 2
        assert df["FB_SIS1"].tolist() == [4.0, 1.0]
        assert df["FB_SIS2"].tolist() == pytest.approx([5.0, np.nan], nan_ok=True)
        assert df["FB_SIS2__nsa"].tolist()[1] == "dont_know"
        assert df["nps"].tolist() == [9.0, 3.0]
        assert df["_row"].tolist() == [3, 4]


def test_statement_split_across_two_header_rows(write_csv) -> None:
    """Grid title + short statement in the row below: the two together are the codebook text."""
    top = ["", "Kurssin sisältö", ""]
    low = ["ID", "vastasi sen tavoitteita", "Mitä kehittäisit kurssissa?"]
    df = read_export(
        write_csv("fb.csv", [top, low, ["1", "Hyvin", "Lisää esimerkkejä"]]), "course_feedback"
    )
    assert df["FB_SIS1"].tolist() == [4.0]
    assert df["open_develop"].tolist() == ["Lisää esimerkkejä"]


def test_shuffled_columns_and_extra_columns(interviews: pd.DataFrame, tmp_path: Path) -> None:
    ref = tmp_path / "ref.csv"
    ref.write_bytes(csv_bytes(_rows(interviews)))
    rng = np.random.default_rng(3)
    shuffled = interviews[list(rng.permutation(interviews.columns))].copy()
    shuffled.insert(4, "Kielen valinta", "suomi")
    shuffled["Pisteet yhteensä"] = "0"
    p = tmp_path / "shuffled.csv"
    p.write_bytes(csv_bytes(_rows(shuffled)))
    df = read_export(p, "interviews")
    pd.testing.assert_frame_equal(_strip_attrs(df), _strip_attrs(read_export(ref, "interviews")))
    assert sorted(df.attrs["ignored_columns"]) == ["Kielen valinta", "Pisteet yhteensä"]
    assert read_export(ref, "interviews").attrs["ignored_columns"] == []


def test_xlsx_equals_csv(interviews: pd.DataFrame, write_xlsx, write_csv) -> None:
    x = write_xlsx("iv.xlsx", _rows(interviews))
    c = write_csv("iv.csv", _rows(interviews))
    before = sha256(x)
    dx, dc = read_export(x, "interviews"), read_export(c, "interviews")
    assert sha256(x) == before
    pd.testing.assert_frame_equal(_strip_attrs(dx), _strip_attrs(dc))
    assert dx.attrs["read_info"]["format"] == "xlsx"


def test_course_frames_round_trip(write_csv) -> None:
    frames = synthetic.course_frames(n=20)
    enrol = read_export(
        write_csv("enrol.csv", _rows(frames["course_enrolment"]), sep="\t"), "course_enrolment"
    )
    assert len(enrol) == 20
    assert enrol["participant_id"].tolist() == frames["course_enrolment"]["Tunnistenumero"].tolist()
    expected = frames["course_enrolment"]["Suoritti kurssin (5 op)"].map(
        {"Kyllä": "yes", "Ei": "no"}
    )
    assert enrol["completed"].astype("str").tolist() == expected.tolist()
    pre = read_export(write_csv("pre.csv", _rows(frames["course_pre"])), "course_selfassessment")
    assert len(pre) == len(frames["course_pre"])
    fb = read_export(write_csv("fb.csv", _rows(frames["course_feedback"])), "course_feedback")
    labels = frames["course_feedback"][FB_SIS1]
    assert fb["FB_SIS1"].tolist() == pytest.approx(
        [float(XAMK5[v]) if v in XAMK5 else np.nan for v in labels], nan_ok=True
    )
    assert fb["nps"].tolist() == frames["course_feedback"][FB_NPS].astype(float).tolist()


def test_sample_files_read() -> None:
    comp = read_export(SAMPLE_DIR / "competence_2020.xlsx", "competence")
    assert (
        len(comp) == 121
    )  # 118 respondents + test row + duplicate + blank row (see synthetic.PLANTED)
    assert comp.attrs["synthetic"] is True and comp.attrs["header_row"] == 3
    assert comp.attrs["absent_items"] == []
    for name, n in (("interviews_2021-syksy.csv", 83), ("interviews_2022-syksy.csv", 89)):
        df = read_export(SAMPLE_DIR / name, "interviews")
        assert len(df) == n
        assert df.attrs["semester"] == name.removeprefix("interviews_").removesuffix(".csv")


def test_detect_instrument() -> None:
    assert detect_instrument(SAMPLE_DIR / "competence_2020.xlsx") == "competence"
    assert detect_instrument(SAMPLE_DIR / "course_pre_2021.csv") == "course_selfassessment"
    assert detect_instrument(SAMPLE_DIR / "interviews_2022-syksy.csv") == "interviews"


def test_semester_of() -> None:
    s = pd.Series(pd.to_datetime(["2021-07-31", "2021-08-01", None]))
    assert semester_of(s).tolist()[:2] == ["2021-kevät", "2021-syksy"]
    assert pd.isna(semester_of(s).iloc[2])


def test_missing_file_is_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        read_export(tmp_path / "nope.csv", "interviews")


def test_sheet_argument(write_xlsx) -> None:
    rows = [["ID", FB_SIS1], ["1", "Hyvin"]]
    x = write_xlsx("two.xlsx", {"A": rows, "B": [["ID", FB_SIS1], ["2", "Huonosti"]]})
    assert read_export(x, "course_feedback", sheet="B")["FB_SIS1"].tolist() == [2.0]
    with pytest.raises(ExportError, match="no worksheet 'C'"):
        read_export(x, "course_feedback", sheet="C")


# ------------------------------------------------------------------------------------------ Arrow fast path


def _sample_lines() -> list[bytes]:
    return (SAMPLE_DIR / "interviews_2022-syksy.csv").read_bytes().split(b"\r\n")


def _plain_last(body: list[bytes]) -> list[int]:
    """Four body rows whose last cell is not quoted (so it can be replaced after the last comma)."""
    return [i for i, r in enumerate(body) if not r.endswith(b'"')][:4]


def _variant(lines: list[bytes], case: str) -> bytes:
    """The shipped interview sample (BOM, CRLF, comma; 2 metadata rows, header on the third) changed by ``case``."""
    rows = [ln for ln in lines if ln]
    body = rows[3:]
    if case == "lf_no_bom":
        return b"\n".join([rows[0][3:], *rows[1:]]) + b"\n"
    if case == "semicolon":
        return (
            "\r\n".join(
                ";".join(r)
                for r in __import__("csv").reader(
                    b"\r\n".join(rows).decode("utf-8-sig").splitlines()
                )
            )
        ).encode("utf-8") + b"\r\n"
    if (
        case == "quoting"
    ):  # multi-line cell, doubled quote, text after a closing quote, quote inside a cell
        a, b, c, d = _plain_last(body)
        body[a] = body[a].rsplit(b",", 1)[0] + b',"Rivi yksi\r\nrivi ""kaksi"", kolme"'
        body[b] = body[b].rsplit(b",", 1)[0] + b',"Alku" ja loppu'
        body[c] = body[c].rsplit(b",", 1)[0] + b',puoli " lainausmerkki'
        body[d] = body[d].rsplit(b",", 1)[0] + b',""'
        body.insert(
            d + 2, b""
        )  # an empty line: a row of missing cells, counted by the cleaning log
        return b"\r\n".join([*rows[:3], *body]) + b"\r\n\r\n"
    if case == "unterminated":
        return (
            b"\r\n".join([*rows[:3], *body])
            + b"\r\n"
            + body[0].rsplit(b",", 1)[0]
            + b',"kesken\r\n'
        )
    if case == "short_row":
        body[10] = body[10].rsplit(b",", 3)[0]
    if case == "blank_cells_line":
        body.insert(10, b"   ")
    if case == "cp1252":
        return b"\r\n".join(rows).decode("utf-8-sig").encode("cp1252") + b"\r\n"
    if case == "unknown_label":
        body[40] = body[40].replace("samaa mieltä".encode(), b"samaa mielt", 1)
    if (
        case == "bad_utf8_late"
    ):  # one byte that is not UTF-8, deep in the body: the whole file is cp1252 then
        body[70] = body[70].rsplit(b",", 1)[0] + b",caf\xe9"
    if case == "extra_cell":
        body[50] = body[50] + b",ylim\xc3\xa4\xc3\xa4r\xc3\xa4inen"
    return b"\r\n".join([*rows[:3], *body]) + b"\r\n"


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    import sosrake_lib.io as sio

    def outcome() -> object:
        try:
            df = read_export(path, "interviews")
        except ExportError as exc:
            return ("error", str(exc), exc.row, exc.column)
        return df

    monkeypatch.setattr(sio.csv_arrow, "_ARROW_MIN_BYTES", 0)
    fast = outcome()
    monkeypatch.setattr(sio.read, "_read_csv_arrow", lambda p, inst, strict=False: None)
    slow = outcome()
    return fast, slow


@pytest.mark.parametrize(
    "case, arrow",
    [
        ("as_is", True),
        ("lf_no_bom", True),
        ("semicolon", True),
        ("quoting", True),
        ("unterminated", False),
        ("short_row", False),
        ("blank_cells_line", False),
        ("cp1252", False),
        ("unknown_label", False),
        ("extra_cell", False),
        ("bad_utf8_late", False),
    ],
)
def test_arrow_reader_same_as_pandas_reader(
    case: str, arrow: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sosrake_lib.io as sio
    from sosrake_lib.codebook import load_instrument

    path = tmp_path / f"{case}.csv"
    path.write_bytes(_variant(_sample_lines(), case))
    with monkeypatch.context() as m:
        m.setattr(sio.csv_arrow, "_ARROW_MIN_BYTES", 0)
        taken = sio._read_csv_arrow(path, load_instrument("interviews"))
    assert (taken is not None) is arrow  # the Arrow reader takes the file, or leaves it to pandas
    fast, slow = _read_both(path, monkeypatch)
    if isinstance(slow, tuple):
        assert fast == slow  # same error, same row and column
        return
    assert isinstance(fast, pd.DataFrame)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs == slow.attrs
    if case == "quoting":
        a, b, c, d = _plain_last([ln for ln in _sample_lines() if ln][3:])
        assert fast["open_missing"].iloc[a] == 'Rivi yksi\r\nrivi "kaksi", kolme'
        assert fast["open_missing"].iloc[b] == "Alku ja loppu"
        assert fast["open_missing"].iloc[c] == 'puoli " lainausmerkki'
        assert pd.isna(fast["open_missing"].iloc[d])
        # the empty line: a row of missing cells; _row counts records (the multi-line cell is one row)
        assert (
            fast.iloc[d + 2].drop(["_row"]).isna().all() and fast["_row"].iloc[d + 2] == d + 2 + 4
        )
        n_answers = len([ln for ln in _sample_lines() if ln]) - 3
        assert (
            len(fast) == n_answers + 2
        )  # the answers, the empty line inside and the one at the end


def test_vectorised_date_parsing_agrees_with_strptime(monkeypatch) -> None:
    """Big exports parse dates with pandas' vectorised strptime: the same results as datetime.strptime."""
    import random

    from sosrake_lib import io as sio

    rng = random.Random(7)
    texts = []
    for _ in range(3000):
        d, m, y, hh, mm, ss = (
            rng.randint(1, 31),
            rng.randint(1, 13),
            rng.randint(1995, 2030),
            rng.randint(0, 24),
            rng.randint(0, 60),
            rng.randint(0, 59),
        )
        texts.append(
            rng.choice(
                [
                    f"{d}.{m}.{y}",
                    f"{d:02d}.{m:02d}.{y} {hh}:{mm:02d}",
                    f"{d}.{m}.{y} {hh}.{mm:02d}.{ss:02d}",
                    f"{d}.{m}.{y} klo {hh}.{mm:02d}",
                    f" {d}.{m}.{y} {hh}:{mm:02d}:{ss:02d} ",
                    f"{y}-{m:02d}-{d:02d}",
                    f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}",
                    f"{m}/{d}/{y} {hh}:{mm:02d}",
                    f"{m}/{d}/{y % 100:02d}",
                    f"{d}.{m}.{y % 100}",
                    f"{d}.{m}.{y} {hh}:{mm:02d}x",
                    "ei päivämäärä",
                    f"{y}/{m}/{d}",
                    # Google Forms (zone already taken off) and Moodle in English
                    f"{y}/{m:02d}/{d:02d} {hh % 12 or 12}:{mm:02d}:{ss:02d} {rng.choice(['AM', 'PM'])}",
                    f"{rng.choice(['Monday', 'Friday'])}, {d} {rng.choice(['January', 'December', 'May'])} {y}, "
                    f"{hh % 12 or 12}:{mm:02d} {rng.choice(['AM', 'PM'])}",
                ]
            )
        )
    uniques = list(dict.fromkeys(texts))
    for fmts in sio._DATE_FAMILIES.values():
        monkeypatch.setattr(sio.dates, "_FAST_DATES", 10**9)
        slow = sio._parse_family(fmts, uniques)
        monkeypatch.setattr(sio.dates, "_FAST_DATES", 1)
        fast = sio._parse_family(fmts, uniques)
        assert (
            ~np.isnat(slow)
        ).sum() > 50  # every family parses a good share: the comparison is not empty
        np.testing.assert_array_equal(fast, slow)
