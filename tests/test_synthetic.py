"""The shipped sample is exactly what the generator writes, and it carries the documented messiness."""

from __future__ import annotations

import hashlib

import pytest

from sosrake_lib import clean_responses, read_export
from sosrake_lib.paths import SAMPLE_DIR
from sosrake_lib.synthetic import FIRST_NAMES, LAST_NAMES, PLANTED, interviews_frame, write_sample


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_sample_is_reproducible_byte_for_byte(tmp_path):
    paths = write_sample(tmp_path)
    assert len(paths) == 7
    for p in [*paths, tmp_path / "README.md"]:
        assert _digest(p) == _digest(SAMPLE_DIR / p.name), (
            f"{p.name} differs from the shipped sample"
        )


@pytest.mark.parametrize(
    ("name", "instrument", "raw", "kept"),
    [
        ("competence_2020.xlsx", "competence", 121, PLANTED["competence"]["n_respondents"]),
        (
            "interviews_2021-syksy.csv",
            "interviews",
            83,
            PLANTED["interviews"]["n_interviews"]["2021-syksy"],
        ),
        (
            "interviews_2022-syksy.csv",
            "interviews",
            89,
            PLANTED["interviews"]["n_interviews"]["2022-syksy"],
        ),
        ("course_enrolment_2021.csv", "course_enrolment", 66, PLANTED["course"]["enrolled"]),
    ],
)
def test_sample_has_one_test_row_one_duplicate_and_one_blank_row(name, instrument, raw, kept):
    df = clean_responses(read_export(SAMPLE_DIR / name, instrument), instrument)
    log = df.attrs["cleaning_log"]
    assert (log["raw_rows"], log["kept"]) == (raw, kept)
    assert log["dropped"] == {"empty": 1, "test": 1, "duplicate": 1}


def test_course_register_has_the_pilot_numbers():
    df = clean_responses(
        read_export(SAMPLE_DIR / "course_enrolment_2021.csv", "course_enrolment"),
        "course_enrolment",
    )
    assert len(df) == 63
    assert (df["completed"] == "yes").sum() == 35
    assert (df["started"] == "yes").sum() == PLANTED["course"]["started"]


def test_interviews_per_student_match_the_planted_counts():
    for semester, students in PLANTED["interviews"]["students"].items():
        raw = interviews_frame(PLANTED["interviews"]["n_interviews"][semester], semester)
        assert raw["Sähköposti"].nunique() == students


def test_sample_names_are_invented():
    seeds_people = {"Tuikka", "Hirvonen", "Kilpeläinen", "Piirainen", "Surakka", "Tanttu"}
    assert not seeds_people & (set(FIRST_NAMES) | set(LAST_NAMES))
    assert "Anne" not in FIRST_NAMES  # the contact person named in the seeds


def test_every_shipped_sample_file_is_listed_by_its_hash():
    # only these files may use the public demo key (privacy.is_shipped_sample); after a deliberate change of the
    # sample, write the new digests into sosrake_lib/sample_sha256.json
    from sosrake_lib.paths import SAMPLE_DIRS, _sample_hashes
    from sosrake_lib.privacy import is_shipped_sample

    files = sorted(p for d in SAMPLE_DIRS for p in d.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert sorted(_sample_hashes()) == sorted(p.name for p in files)
    assert all(is_shipped_sample(p) for p in files)


def test_followup_round_is_reproducible_byte_for_byte(tmp_path):
    from sosrake_lib.paths import FOLLOWUP_SAMPLE_DIR
    from sosrake_lib.synthetic import write_followup_sample

    paths = write_followup_sample(tmp_path)
    assert [p.name for p in paths] == [
        "competence_2022.xlsx",
        "course_enrolment_2022.csv",
        "course_pre_2022.csv",
        "course_post_2022.csv",
        "course_feedback_2022.xlsx",
    ]
    for p in [*paths, tmp_path / "README.md"]:
        assert _digest(p) == _digest(FOLLOWUP_SAMPLE_DIR / p.name), f"{p.name} differs"


def test_followup_round_links_40_percent_of_2020_and_has_the_course_numbers():
    from sosrake_lib.competence import load_responses
    from sosrake_lib.paths import FOLLOWUP_SAMPLE_DIR

    p = PLANTED["competence_2022"]
    early = load_responses(SAMPLE_DIR / "competence_2020.xlsx")
    late = load_responses(FOLLOWUP_SAMPLE_DIR / "competence_2022.xlsx")
    assert len(late) == p["n_respondents"]
    linked = set(early["person_key"]) & set(late["person_key"])
    assert len(linked) == p["linked"]
    assert 0.35 <= len(linked) / len(early) <= 0.45
    assert "C_VT2b" in late and "C_VT2" not in late and "C_YS3" not in late
    enrol = clean_responses(
        read_export(FOLLOWUP_SAMPLE_DIR / "course_enrolment_2022.csv", "course_enrolment"),
        "course_enrolment",
    )
    k = PLANTED["course_2022"]
    assert len(enrol) == k["enrolled"]
    assert (enrol["completed"] == "yes").sum() == k["completed"]
    assert k["completed"] / k["enrolled"] > 35 / 63
