"""clean_responses, the cleaning log and write_processed/read_processed, on the sample and on crafted files with
known numbers of empty, test and duplicate rows."""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import TEST_KEY, sha256

from sosrake_lib import synthetic
from sosrake_lib.cleaning import clean_responses, read_processed, row_accounting, write_processed
from sosrake_lib.errors import ConfigError
from sosrake_lib.io import read_export
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.pipeline import discover_exports

PSEUDONYM = re.compile(r"^ps_[0-9a-f]{16}$")
FB_H = [
    "ID",
    "Kurssin sisältö vastasi sen tavoitteita",
    "Lähipäivät tukivat oppimistani",
    "Kuinka todennäköisesti suosittelisit kurssia kollegallesi?",
    "Mitä kehittäisit kurssissa?",
]
SAMPLE_FILES = sorted(p.name for paths in discover_exports(SAMPLE_DIR).values() for p in paths)


def _instrument_of(name: str) -> str:
    return next(
        inst
        for inst, paths in discover_exports(SAMPLE_DIR).items()
        if name in [p.name for p in paths]
    )


def _hmac_pseudonym(value: str, key: str = TEST_KEY) -> str:
    """Independent re-computation: HMAC-SHA-256 of the case-folded id, 16 hex digits (RFC 2104)."""
    return (
        "ps_"
        + hmac.new(key.encode(), value.strip().casefold().encode(), hashlib.sha256).hexdigest()[:16]
    )


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_row_accounting(name: str, no_env_key: None) -> None:
    path = SAMPLE_DIR / name
    before = sha256(path)
    inst = _instrument_of(name)
    raw = read_export(path, inst)
    df = clean_responses(raw, inst)
    log = df.attrs["cleaning_log"]
    assert log["kept"] + sum(log["dropped"].values()) == log["raw_rows"] == len(raw)
    assert log["kept"] == len(df)
    assert [r["row"] for r in log["rows"]] == raw["_row"].tolist()
    assert log["pseudonym_key_is_demo"] is True  # the sample is synthetic: demo key allowed
    assert sha256(path) == before, "the raw file must stay byte-identical"


def test_sample_known_counts() -> None:
    """synthetic.write_sample adds exactly one test row, one duplicate and one blank row to these files."""
    expected = {
        "competence_2020.xlsx": 118,
        "interviews_2021-syksy.csv": 80,
        "interviews_2022-syksy.csv": 86,
        "course_enrolment_2021.csv": 63,
    }
    for name, kept in expected.items():
        inst = _instrument_of(name)
        log = clean_responses(read_export(SAMPLE_DIR / name, inst), inst).attrs["cleaning_log"]
        assert log["kept"] == kept, name
        assert log["dropped"] == {"empty": 1, "test": 1, "duplicate": 1}, name


@pytest.fixture
def crafted(write_csv) -> Path:
    rows = [FB_H]
    likert = ["Erittäin huonosti", "Huonosti", "Kohtalaisesti", "Hyvin", "Erittäin hyvin"]
    for i in range(1, 11):  # rows 2..11: ten distinct respondents
        rows.append([str(i), likert[i % 5], likert[(i * 2) % 5], str(i), f"Palaute {i}"])
    rows.append(["11", "", "", "", ""])  # row 12: empty
    rows.append(["", "", "", "", ""])  # row 13: empty (blank line)
    rows.append(["12", "Hyvin", "Hyvin", "8", "testi"])  # row 14: test answer
    rows.append(["TESTI-13", "Hyvin", "Huonosti", "6", "Kokeilen lomaketta"])  # row 15: test id
    rows.append(
        ["3", "Hyvin", "Hyvin", "10", "Korjattu vastaus"]
    )  # row 16: id 3 again -> row 4 dup
    rows.append(
        ["14", likert[5 % 5], likert[10 % 5], "5", "Palaute 5"]
    )  # row 17: same answers as id 5
    return write_csv("course_feedback_crafted.csv", rows)


def test_crafted_counts_and_statuses(crafted: Path) -> None:
    df = clean_responses(read_export(crafted, "course_feedback"), "course_feedback", key=TEST_KEY)
    log = df.attrs["cleaning_log"]
    assert log["raw_rows"] == 16
    assert log["dropped"] == {"empty": 2, "test": 2, "duplicate": 2}
    assert log["kept"] == 10 == len(df)
    status = {r["row"]: r["status"] for r in log["rows"]}
    assert [r for r, s in status.items() if s == "empty"] == [12, 13]
    assert [r for r, s in status.items() if s == "test"] == [14, 15]
    # the last submission is kept: id 3's first answer (row 4) and id 5's answers (row 6) are the duplicates
    assert sorted(r for r, s in status.items() if s == "duplicate") == [4, 6]
    assert log["pseudonym_key_is_demo"] is False
    assert "Korjattu vastaus" in df["open_develop"].tolist()
    acc = row_accounting(df)
    assert acc["rows"].tolist() == [10, 2, 2, 2, 16]


def test_ids_pseudonymised_with_known_hmac(crafted: Path) -> None:
    df = clean_responses(read_export(crafted, "course_feedback"), "course_feedback", key=TEST_KEY)
    assert df["response_id"].map(lambda v: bool(PSEUDONYM.match(v))).all()
    assert _hmac_pseudonym("1") in df["response_id"].tolist()
    other = clean_responses(
        read_export(crafted, "course_feedback"), "course_feedback", key="another-key-0123456789"
    )
    assert set(other["response_id"]).isdisjoint(df["response_id"])


def test_pseudonyms_stable_across_files(write_csv) -> None:
    frames = synthetic.course_frames(n=30)
    paths = {}
    for name, inst in (
        ("course_enrolment", "course_enrolment"),
        ("course_pre", "course_selfassessment"),
        ("course_post", "course_selfassessment"),
    ):
        f = frames[name]
        paths[name] = (write_csv(f"{name}.csv", [list(f.columns), *f.to_numpy().tolist()]), inst)
    clean = {n: clean_responses(read_export(p, i), i, key=TEST_KEY) for n, (p, i) in paths.items()}
    enrol_ids = set(clean["course_enrolment"]["participant_id"])
    for n in ("course_pre", "course_post"):
        ids = clean[n]["participant_id"]
        assert ids.map(lambda v: bool(PSEUDONYM.match(v))).all()
        assert set(ids) <= enrol_ids, f"{n} participants must match the enrolment register"
        raw_ids = frames[n]["Tunnistenumero"].tolist()
        assert ids.tolist() == [_hmac_pseudonym(v) for v in raw_ids]
    # one person: same pseudonym in all three files
    pid = frames["course_post"]["Tunnistenumero"].iloc[0]
    ps = _hmac_pseudonym(pid)
    assert all(ps in set(clean[n]["participant_id"]) for n in clean)


def test_names_and_emails_gone_text_scrubbed() -> None:
    path = SAMPLE_DIR / "interviews_2021-syksy.csv"
    raw = read_export(path, "interviews")
    df = clean_responses(raw, "interviews")
    assert "student_name" not in df.columns
    names = set(raw["student_name"].dropna())
    parts = {p for n in names for p in n.split()} - {"Testi", "Testaaja"}
    text = df.select_dtypes(include=["object", "string"]).astype("str")
    cells = [v for col in text for v in text[col].dropna()]
    assert not any("@" in v for v in cells), "no e-mail address may survive"
    assert not any(re.search(r"\b0\d{1,2}[ -]?\d{3}[ -]?\d{3,4}\b", v) for v in cells), (
        "no phone number"
    )
    words = {w for v in cells for w in re.findall(r"\w+", v)}
    assert not (words & parts), f"names left: {words & parts}"
    assert "050 123 4567" in " ".join(
        raw["open_change"].dropna()
    )  # the planted phone number was there
    assert any("[puhelinnumero]" in v for v in df["open_change"].dropna())


def test_competence_planted_identifiers_scrubbed() -> None:
    raw = read_export(SAMPLE_DIR / "competence_2020.xlsx", "competence")
    df = clean_responses(raw, "competence")
    assert {"email", "name"}.isdisjoint(df.columns)
    joined = " ".join(df["support_needed"].dropna())
    assert "040 765 4321" in " ".join(raw["support_needed"].dropna())
    assert "040 765 4321" not in joined and "@" not in joined
    assert "[puhelinnumero]" in joined and "[sähköposti]" in joined


@pytest.mark.parametrize(
    "name", ["competence_2020.xlsx", "interviews_2022-syksy.csv", "course_enrolment_2021.csv"]
)
def test_cleaning_is_idempotent(name: str) -> None:
    inst = _instrument_of(name)
    once = clean_responses(read_export(SAMPLE_DIR / name, inst), inst, key=TEST_KEY)
    twice = clean_responses(once, inst, key=TEST_KEY)
    pd.testing.assert_frame_equal(once, twice)
    log = twice.attrs["cleaning_log"]
    assert log["raw_rows"] == log["kept"] == len(once)
    assert log["dropped"] == {"empty": 0, "test": 0, "duplicate": 0}


def test_real_data_without_key_stops(tmp_path: Path, no_env_key: None) -> None:
    """A file that is neither in data/raw/sample nor marked synthetic needs a real key."""
    src = (SAMPLE_DIR / "course_pre_2021.csv").read_text(encoding="utf-8-sig").splitlines()
    p = tmp_path / "course_pre_2023.csv"
    p.write_text(
        "\n".join(line for line in src if "SYNTEETTINEN" not in line) + "\n", encoding="utf-8"
    )
    raw = read_export(p, "course_selfassessment")
    assert raw.attrs["synthetic"] is False
    with pytest.raises(ConfigError):
        clean_responses(raw, "course_selfassessment")
    df = clean_responses(raw, "course_selfassessment", key=TEST_KEY)
    assert df.attrs["cleaning_log"]["pseudonym_key_is_demo"] is False


def test_sample_copied_elsewhere_needs_a_real_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the marker line above the header proves nothing: only the shipped files themselves use the demo key
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    p = tmp_path / "competence_2020.xlsx"
    shutil.copy2(SAMPLE_DIR / p.name, p)
    with pytest.raises(ConfigError, match="pseudonym key not found"):
        clean_responses(read_export(p, "competence"), "competence")
    df = clean_responses(read_export(SAMPLE_DIR / p.name, "competence"), "competence")
    assert df.attrs["cleaning_log"]["pseudonym_key_is_demo"] is True


def test_real_export_mentioning_synthetic_never_gets_the_demo_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sosrake_lib import privacy

    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    p = tmp_path / "interviews.csv"
    text = (SAMPLE_DIR / "interviews_2022-syksy.csv").read_text(encoding="utf-8-sig")
    p.write_text(
        text.replace(
            "Asiakaskokemushaastattelut", "Kysely synteettisistä huumeista / synthetic drugs"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError):
        clean_responses(read_export(p, "interviews"), "interviews")
    # even a file placed in the sample folder (simulated) is refused unless its bytes are a shipped file
    from sosrake_lib import io as sio

    monkeypatch.setattr(privacy, "is_sample_path", lambda path: True)
    monkeypatch.setattr(sio.read, "is_sample_path", lambda path: True)
    assert not privacy.is_shipped_sample(p)
    raw = read_export(p, "interviews")
    assert raw.attrs["shipped_sample"] is False
    with pytest.raises(ConfigError):
        clean_responses(raw, "interviews")


def test_the_demo_key_decision_uses_the_bytes_that_were_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """read_export hashes the bytes it parses (a private copy); cleaning does not look at the file again, so
    swapping the file between reading and cleaning (or pointing source_path at the sample) changes nothing."""
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    sample = read_export(SAMPLE_DIR / "interviews_2022-syksy.csv", "interviews")
    assert sample.attrs["shipped_sample"] is True
    assert sample.attrs["source_path"] == str(SAMPLE_DIR / "interviews_2022-syksy.csv")
    real = sample.copy()
    real.attrs = {
        **sample.attrs,
        "shipped_sample": False,
    }  # as read from a real file, path pointing at the sample
    with pytest.raises(ConfigError, match="pseudonym key not found"):
        clean_responses(real, "interviews")
    assert (
        clean_responses(sample, "interviews").attrs["cleaning_log"]["pseudonym_key_is_demo"] is True
    )


@pytest.mark.parametrize(
    "weak",
    [
        "k" * 32,
        "abababababababababab",
        "sosrake-DEMO-key-for-synthetic-sample-data-only",
        "1234567812345678",
    ],
)
def test_weak_keys_are_refused(weak: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_export(SAMPLE_DIR / "interviews_2022-syksy.csv", "interviews")
    with pytest.raises(ConfigError, match="refused"):
        clean_responses(raw, "interviews", key=weak)
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", weak)
    with pytest.raises(ConfigError, match="refused"):
        clean_responses(raw, "interviews")


def test_weak_key_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sosrake_lib.cli import main

    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY", "x" * 40)
    assert main(["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "one repeated character" in err and "sosrake key init" in err


def test_write_processed_atomic_and_round_trip(tmp_path: Path) -> None:
    df = clean_responses(
        read_export(SAMPLE_DIR / "interviews_2021-syksy.csv", "interviews"),
        "interviews",
        key=TEST_KEY,
    )
    out = tmp_path / "processed"
    target = write_processed(df, "2021-syksy", "interviews", out)
    assert target == out / "2021-syksy" / "interviews.parquet"
    assert sorted(p.name for p in out.rglob("*")) == [
        "2021-syksy",
        "interviews.cleaning_log.json",
        "interviews.parquet",
    ]
    back = read_processed("2021-syksy", "interviews", out)
    pd.testing.assert_frame_equal(back, df, check_dtype=False, check_categorical=False)
    for col in ("service", "age_band"):
        assert back[col].astype("str").tolist() == df[col].astype("str").tolist()
    assert back.attrs["cleaning_log"]["kept"] == 80
    assert back.attrs["cleaning_log"]["rows"] == df.attrs["cleaning_log"]["rows"]
    log_text = (out / "2021-syksy" / "interviews.cleaning_log.json").read_text(encoding="utf-8")
    assert "@" not in log_text and "SR21" not in log_text
    # writing again replaces the files without leaving temporary ones behind
    write_processed(df, "2021-syksy", "interviews", out)
    assert sorted(p.name for p in (out / "2021-syksy").iterdir()) == [
        "interviews.cleaning_log.json",
        "interviews.parquet",
    ]


def test_clean_requires_read_export_frame() -> None:
    with pytest.raises(ValueError, match="_row"):
        clean_responses(pd.DataFrame({"a": [1]}), "interviews", key=TEST_KEY)


def test_register_rows_with_identical_categories_are_different_people(write_csv) -> None:
    """Two participants with the same group, UAS and progress are not a double submission."""
    head = [
        "Etunimi",
        "Sukunimi",
        "Tunnistenumero",
        "Sähköpostiosoite",
        "Osallistujaryhmä",
        "Ammattikorkeakoulu",
        "Lähipäivien kampus",
        "Aloitti kurssin",
        "Suoritti kurssin (5 op)",
    ]
    same = ["Opiskelija", "Xamk", "Mikkeli", "Kyllä", "Kyllä"]
    p = write_csv(
        "course_enrolment_x.csv",
        [
            head,
            ["Aino", "Aaltonen", "SR-1", "a@x.fi", *same],
            ["Eetu", "Kettunen", "SR-2", "e@x.fi", *same],
            ["Aino", "Aaltonen", "SR-1", "a@x.fi", *same],
        ],
    )
    df = clean_responses(read_export(p, "course_enrolment"), "course_enrolment", key=TEST_KEY)
    assert df.attrs["cleaning_log"]["dropped"] == {"empty": 0, "test": 0, "duplicate": 1}
    assert df["participant_id"].tolist() == [_hmac_pseudonym("SR-2"), _hmac_pseudonym("SR-1")]
    again = clean_responses(df, "course_enrolment", key=TEST_KEY)
    assert again.attrs["cleaning_log"]["kept"] == 2


def test_submission_order_matches_stable_sort() -> None:
    # missing times first, ties in time broken by _row, equal (time, _row) pairs kept in frame order
    from sosrake_lib.cleaning import _submission_order

    when = pd.to_datetime(
        ["2022-10-02 10:00", None, "2022-10-01 09:00", "2022-10-02 10:00", None, "2022-10-01 09:00"]
    ).astype("datetime64[s]")
    df = pd.DataFrame({"_row": [7, 9, 5, 3, 2, 5], "submitted_at": when})
    expected = [4, 1, 2, 5, 3, 0]
    assert _submission_order(df).tolist() == expected
    ref = df.sort_values(
        ["submitted_at", "_row"], na_position="first", kind="stable"
    ).index.tolist()
    assert ref == expected
    # other dtypes take pandas' sort: the same order
    assert _submission_order(df.astype({"_row": "float64"})).tolist() == expected
    assert _submission_order(df.assign(submitted_at=pd.NaT)).tolist() == list(range(6))


def test_duplicate_keys_normalised_on_distinct_values() -> None:
    # ids equal after strip + casefold are one respondent; blanks never match each other
    from sosrake_lib.cleaning import _normalised_codes

    codes = _normalised_codes(
        pd.Series([" A1", "a1", None, "", "STRASSE", "straße", "b", "  "], dtype="str")
    )
    assert codes[0] == codes[1] and codes[4] == codes[5]
    assert codes[2] == codes[3] == codes[7] == -1
    assert len({codes[0], codes[4], codes[6]}) == 3


def _reference_duplicates(df: pd.DataFrame, inst, candidates: pd.Series) -> pd.Series:
    """The duplicate rule written directly with pandas (sorted copy, normalised text, DataFrame.duplicated)."""
    from sosrake_lib.cleaning import _str_key

    order = df.sort_values(["submitted_at", "_row"], na_position="first", kind="stable").index
    dup = pd.Series(False, index=df.index)
    live = df.loc[order[candidates.loc[order].to_numpy(dtype=bool)]]
    sub = live.loc[~dup[live.index]]
    norm = sub[inst.respondent_id].astype("str").str.strip().str.casefold()
    d = norm[norm.notna() & (norm != "")].duplicated(keep="last")
    dup[d[d].index] = True
    ignore = {
        "_row",
        inst.respondent_id,
        "started_at",
        "submitted_at",
        *inst.duplicate_key,
    }  # identities compared
    content = [c for c in df.columns if c not in ignore]
    sub = live.loc[~dup[live.index], content]
    d = pd.DataFrame({c: _str_key(sub[c]) for c in content}, index=sub.index).duplicated(
        keep="last"
    )
    dup[d[d].index] = True
    return dup


@pytest.mark.parametrize("seed", range(6))
def test_duplicate_rows_same_as_reference(seed: int) -> None:
    # random frames full of duplicates: ids equal up to case/space, item codes with NaN, -0.0 and non-integers,
    # categories, dates with and without time, ties in submission time
    import numpy as np

    from sosrake_lib.cleaning import _duplicate_rows
    from sosrake_lib.codebook import load_instrument

    inst = load_instrument("interviews")
    rng = np.random.default_rng(seed)
    n = 300
    df = pd.DataFrame({"_row": rng.permutation(n) + 5 if seed % 2 else rng.integers(1, 5, n)})
    few = seed < 3  # few distinct answers: many identical answer rows under different ids
    for it in inst.items:
        if it.id == inst.respondent_id:
            df[it.id] = pd.Series(
                [f"{'R' if k % 2 else 'r'}-{k % 200}" for k in rng.integers(0, 400, n)], dtype="str"
            )
        elif it.kind in ("likert", "nps"):
            df[it.id] = rng.choice(
                ([1.0, np.nan] if it.id in ("SA1", "nps") else [2.0])
                if few
                else [1.0, 2.0, np.nan, 0.0, -0.0, 3.5],
                n,
            )
        elif it.kind == "category":
            codes = list(it.scale.codes)
            df[it.id] = pd.Categorical(
                rng.choice(codes[:1] if few else [*codes, None], n), categories=codes
            )
        elif it.kind in ("date", "datetime"):
            when = (
                ["2022-10-01 10:00:00"]
                if few and it.id == "interview_date"
                else ["2022-10-01 10:00:00", "2022-10-01 10:00:30", None]
            )
            df[it.id] = pd.Series(pd.to_datetime(rng.choice(when, n))).astype("datetime64[s]")
        else:
            df[it.id] = pd.Series(
                rng.choice(["a", "A"] if few else ["a", "A ", "b", "ß", "SS", "", None], n),
                dtype="str",
            )
        if it.kind == "likert":
            df[f"{it.id}__nsa"] = pd.Series(
                rng.choice([None] if few else ["dont_know", None], n), dtype="str"
            )
    candidates = pd.Series(rng.random(n) < 0.8, index=df.index)
    found = _duplicate_rows(df, inst, candidates)
    dropped = np.zeros(n, dtype=bool)
    for _, rows, _ in found:
        assert not (dropped & rows).any(), "each row is dropped by one rule"
        dropped |= rows
    got = pd.Series(dropped, index=df.index)
    assert got.sum() > 20  # the case is not trivial
    pd.testing.assert_series_equal(got, _reference_duplicates(df, inst, candidates))
    if (
        seed % 2
    ):  # unique file rows: each dropped row names another candidate row (the later submission)
        candidate_rows = set(df.loc[candidates, "_row"])
        for _, rows, kept in found:
            assert set(kept[rows].tolist()) <= candidate_rows
            assert not (kept[rows] == df["_row"].to_numpy()[rows]).any()


def test_scrubbed_rows_equal_scrubbing_the_kept_rows() -> None:
    # each distinct text scrubbed once and taken to the kept rows == scrubbing the filtered column
    import numpy as np

    from sosrake_lib.cleaning import _scrubbed_rows
    from sosrake_lib.privacy import scrub_pii_series

    texts = ["Soita 040 123 4567", "Kiitos Maijalle!", None, "ok", "", "hetu 131052-308T", "ok"]
    col = pd.Series([texts[i % len(texts)] for i in range(40)], dtype="str", name="open_good")
    keep = np.array([0, 1, 2, 5, 9, 13, 20, 39])
    kept_index = pd.Index(keep)
    got = _scrubbed_rows(col, ["Maija Virtanen"], keep, kept_index)
    expected = scrub_pii_series(col.iloc[keep].astype("str"), names=["Maija Virtanen"]).astype(
        "str"
    )
    pd.testing.assert_series_equal(got, expected, check_names=False)
    assert got.iloc[0] == "Soita [puhelinnumero]" and got.iloc[1] == "Kiitos [nimi]!"
    whole = _scrubbed_rows(col, ["Maija Virtanen"], None, col.index)
    pd.testing.assert_series_equal(
        whole, scrub_pii_series(col, names=["Maija Virtanen"]), check_names=False
    )


def test_row_log_is_columnar_and_reads_as_the_list_of_dicts() -> None:
    import copy

    from sosrake_lib.cleaning import RowLog

    raw = read_export(SAMPLE_DIR / "interviews_2021-syksy.csv", "interviews")
    df = clean_responses(raw, "interviews")
    rows = df.attrs["cleaning_log"]["rows"]
    assert isinstance(rows, RowLog) and len(rows) == len(raw)
    as_list = rows.to_list()
    assert (
        rows == as_list
        and as_list == list(rows)
        and rows[-1] == as_list[-1]
        and rows[1:3] == as_list[1:3]
    )
    assert rows.status_counts() == {"kept": 80, "empty": 1, "test": 1, "duplicate": 1}
    assert copy.deepcopy(df.attrs)["cleaning_log"]["rows"] is rows  # shared, never copied
    assert df[["service"]].attrs["cleaning_log"]["rows"] is rows
    assert rows != as_list[:-1] and rows != [
        *as_list[:-1],
        {"row": as_list[-1]["row"], "status": "test"},
    ]
    with pytest.raises(ValueError, match="unknown row status 'lost'"):
        RowLog([2], ["lost"])


@pytest.mark.parametrize(
    "weak",
    [
        "\ufeffsosrake-DEMO-key-for-synthetic-sample-data-only\r\n",
        "SOSRAKE-DEMO-KEY-FOR-SYNTHETIC-SAMPLE-DATA-ONLY",
        "sosrake-DEMO-key-for-synthetic-sample-data-only.",
        "0123456789abcdef",
        "abcdefghijklmnop",
        "changeme-changeme-changeme-changeme",
        "1111111122222222333333334444444455555555",
    ],
)
def test_demo_key_variants_and_predictable_keys_are_refused(weak: str) -> None:
    from sosrake_lib.privacy import key_problem

    assert key_problem(weak) is not None


@pytest.mark.parametrize("what", ["fifo", "big", "text"])
def test_key_files_that_are_no_keys_exit_2(
    what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from sosrake_lib.cli import main

    key = tmp_path / "pseudonym.key"
    if what == "fifo":
        os.mkfifo(key)  # reading it would hang for ever
    elif what == "big":
        key.write_bytes(b"x" * 100_000)
    else:  # a public text, e.g. /etc/passwd, given as the key file
        key.write_text(
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
            "utf-8",
        )
        key.chmod(0o600)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(key))
    assert main(["validate", str(SAMPLE_DIR / "interviews_2022-syksy.csv")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_byte_order_mark_does_not_change_the_pseudonyms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sosrake_lib.privacy import load_pseudonym_key

    key = tmp_path / "pseudonym.key"
    key.write_bytes(("\ufeff" + TEST_KEY + "\r\n").encode("utf-8"))
    key.chmod(0o600)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY")
    monkeypatch.setenv("SOSRAKE_PSEUDONYM_KEY_FILE", str(key))
    assert load_pseudonym_key() == (TEST_KEY.encode(), False)
