"""Shared fixtures for the foundation tests.

Tests never depend on the environment: every test runs with :data:`TEST_KEY` as the configured pseudonym key
(``SOSRAKE_PSEUDONYM_KEY``, set by an autouse fixture, with no key file or config folder of the machine), as a
staff member's machine would have one; tests of the no-key paths take ``no_env_key``. Only the shipped sample
files may use the demo key. Exports are built in ``tmp_path`` from the synthetic frames; the raw sample in
``data/raw/sample`` is only read.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sosrake_lib.paths import SAMPLE_DIR

TEST_KEY = "test-key-0123456789abcdef"
BAD_DIR = Path(__file__).parent / "data" / "bad"


@pytest.fixture(autouse=True, scope="session")
def _configured_test_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test runs with TEST_KEY configured, and nothing of the developer's own key set-up (session-wide,
    so module fixtures that run whole analyses have it too)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOSRAKE_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("SOSRAKE_PSEUDONYM_KEY_FILE", raising=False)
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "empty-config"))
        yield


@pytest.fixture(autouse=True, scope="session")
def _finnish_locale() -> Iterator[None]:
    """The command line speaks the locale's language when no --lang is given: tests run in a Finnish-default
    locale (C.UTF-8), whatever the developer's shell says (an English locale would make it speak English)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("LC_ALL", raising=False)
        mp.delenv("LC_MESSAGES", raising=False)
        mp.setenv("LANG", "C.UTF-8")
        yield


@pytest.fixture
def no_env_key(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hide any pseudonym key the developer's shell or config holds, so results never depend on the machine.

    Use with ``pytestmark = pytest.mark.usefixtures("no_env_key")``.
    """
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SOSRAKE_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "empty-config"))


@pytest.fixture
def key() -> str:
    """A fixed pseudonymisation key for tests."""
    return TEST_KEY


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


def sha256(path: Path) -> str:
    """Digest of a file's bytes (the raw files must stay byte-identical)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def csv_bytes(rows: Sequence[Sequence[Any]], *, sep: str = ";", encoding: str = "utf-8") -> bytes:
    """Rows written as CSV with CRLF line ends (as Excel writes them), encoded."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in r] for r in rows]
    )
    return buf.getvalue().encode(encoding)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """``write_csv(name, rows, sep=";", encoding="utf-8")`` -> path in ``tmp_path``."""

    def _write(
        name: str, rows: Sequence[Sequence[Any]], *, sep: str = ";", encoding: str = "utf-8"
    ) -> Path:
        p = tmp_path / name
        p.write_bytes(csv_bytes(rows, sep=sep, encoding=encoding))
        return p

    return _write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``write_xlsx(name, rows)`` or ``write_xlsx(name, {sheet: rows, ...})`` -> path in ``tmp_path``."""
    import openpyxl

    def _write(
        name: str, rows: Sequence[Sequence[Any]] | dict[str, Sequence[Sequence[Any]]]
    ) -> Path:
        sheets = rows if isinstance(rows, dict) else {"Sheet1": rows}
        wb = openpyxl.Workbook()
        for k, (title, body) in enumerate(sheets.items()):
            ws = wb.active if k == 0 else wb.create_sheet()
            ws.title = title
            for r in body:
                ws.append(list(r))
        p = tmp_path / name
        wb.save(p)
        return p

    return _write
