"""Property-based tests (Hypothesis): whatever the cells hold, read_export fails only with ExportError; on
readable files, cleaning keeps the row accounting and is idempotent."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import TEST_KEY, csv_bytes
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sosrake_lib.cleaning import clean_responses
from sosrake_lib.errors import ExportError
from sosrake_lib.io import read_export

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HEADER = [
    "ID",
    "Kurssin sisältö vastasi sen tavoitteita",
    "Lähipäivät tukivat oppimistani",
    "Kuinka todennäköisesti suosittelisit kurssia kollegallesi?",
    "Osallistujaryhmä",
    "Mitä kehittäisit kurssissa?",
]
LIKERT = [
    "Erittäin huonosti",
    "Huonosti",
    "Kohtalaisesti",
    "Hyvin",
    "Erittäin hyvin",
    "En osaa sanoa",
]
GROUPS = ["Työelämän osallistuja", "Opiskelija", "Sosionomiopiskelija"]

any_cell = st.one_of(
    st.just(""), st.text(max_size=30), st.sampled_from(LIKERT + GROUPS + ["testi", "11", "9,5"])
)
separators = st.sampled_from([",", ";", "\t"])
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])


def _odd(label: str, how: int) -> str:
    return [label, label.upper(), f"  {label.lower()} ", label][how % 4]


valid_row = st.tuples(
    st.integers(1, 40).map(str),
    st.one_of(
        st.just(""), st.tuples(st.sampled_from(LIKERT), st.integers(0, 3)).map(lambda t: _odd(*t))
    ),
    st.one_of(st.just(""), st.sampled_from(LIKERT)),
    st.one_of(st.just(""), st.integers(0, 10).map(str)),
    st.one_of(st.just(""), st.sampled_from(GROUPS)),
    st.one_of(
        st.just(""), st.sampled_from(["testi", "Hyvä kurssi", "Soita 040 123 4567", "Palaute"])
    ),
)


def _read(data: bytes, name: str = "course_feedback_x.csv") -> object:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        try:
            return read_export(p, "course_feedback")
        finally:
            assert p.read_bytes() == data, "the raw file must not change"


@SETTINGS
@given(
    rows=st.lists(
        st.one_of(
            st.lists(any_cell, min_size=6, max_size=6),
            st.lists(any_cell, max_size=8),
            valid_row.map(list),
        ),
        max_size=12,
    ),
    sep=separators,
    enc=encodings,
    meta=st.integers(0, 2),
)
def test_arbitrary_cells_and_shapes_only_export_error(
    rows: list[list[str]], sep: str, enc: str, meta: int
) -> None:
    """Random text, ragged rows, blank cells, metadata lines: a frame or an ExportError, nothing else."""
    data = csv_bytes([["metatieto"]] * meta + [HEADER, *rows], sep=sep, encoding=enc)
    try:
        df = _read(data)
    except ExportError as err:
        assert err.file == "course_feedback_x.csv"
        event(f"ExportError: {err.message[:30]}")
        return
    event("read")
    assert len(df) == len(rows)
    assert df["_row"].tolist() == list(range(meta + 2, meta + 2 + len(rows)))


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_arbitrary_bytes_only_export_error(data: bytes, suffix: str) -> None:
    try:
        _read(data, "course_feedback_x" + suffix)
    except ExportError:
        pass


@SETTINGS
@given(rows=st.lists(valid_row, min_size=1, max_size=25), sep=separators, enc=encodings)
def test_cleaning_accounts_for_every_row_and_is_idempotent(
    rows: list[tuple[str, ...]], sep: str, enc: str
) -> None:
    df = _read(csv_bytes([HEADER, *rows], sep=sep, encoding=enc))
    assert len(df) == len(rows)
    clean = clean_responses(df, "course_feedback", key=TEST_KEY)
    log = clean.attrs["cleaning_log"]
    assert log["kept"] + sum(log["dropped"].values()) == log["raw_rows"] == len(rows)
    assert log["kept"] == len(clean)
    assert [r["row"] for r in log["rows"]] == list(range(2, len(rows) + 2))
    # rows without any answer to a question are exactly the "empty" ones
    n_empty = sum(
        all(r[i] == "" for i in (1, 2, 3, 5)) for r in rows
    )  # background (group) is no answer
    assert log["dropped"]["empty"] == n_empty
    again = clean_responses(clean, "course_feedback", key=TEST_KEY)
    assert again.equals(clean)
    assert again.attrs["cleaning_log"]["dropped"] == {"empty": 0, "test": 0, "duplicate": 0}
