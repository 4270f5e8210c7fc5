"""The language the command line speaks, and its texts in Finnish and English.

The texts are data (``sosrake_lib/labels_data/cli.yaml``), like the labels of the published tables: ``help:``
for the ``--help`` of every command and argument, ``text:`` for the lines the command line and a semester
run print, ``argparse:`` for argparse's own words ("usage:", "error:", "the following arguments are
required"), and ``library:`` for the most common messages of the library (a missing file, a missing
pseudonym key) in the chosen language.

The language is ``--lang`` when given, else the locale: ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (the first
one set) starting with ``en`` is English, anything else Finnish.

Examples
--------
>>> cli_lang(["run", "all", "--lang", "en"], {})
'en'
>>> cli_lang(["validate", "x.csv"], {"LANG": "en_GB.UTF-8"}), cli_lang([], {"LANG": "fi_FI.UTF-8"})
('en', 'fi')
>>> text("checking", "fi", raw="data/raw/2023-syksy")
'Tarkistetaan aineistot kansiossa data/raw/2023-syksy …'
>>> library_text("no course_enrolment export in the folder", "fi")
'kansiossa ei ole course_enrolment-aineistoa'
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .fmt import Lang

CLI_TEXTS = Path(__file__).parent / "labels_data" / "cli.yaml"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_source(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """``(variable, value)`` of the locale setting in force (the first of :data:`LOCALE_VARS` set), or None.

    >>> locale_source({"LANG": "en_US.UTF-8", "LC_ALL": ""})
    ('LANG', 'en_US.UTF-8')
    """
    env = os.environ if environ is None else environ
    for var in LOCALE_VARS:
        if env.get(var):
            return var, env[var]
    return None


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (``--lang en`` or ``--lang=en``), or None.

    >>> lang_from_argv(["run", "--lang=en"]), lang_from_argv(["scan", "x"])
    ('en', None)
    """
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def cli_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Lang:
    """The language of the command line: ``--lang`` if valid, else the locale, else Finnish."""
    given = lang_from_argv(argv)
    if given in ("fi", "en"):
        return given  # type: ignore[return-value]
    found = locale_source(environ)
    return "en" if found and found[1].lower().startswith("en") else "fi"


@functools.cache
def _table() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(CLI_TEXTS.read_text(encoding="utf-8")) or {}


def help_text(key: str, lang: Lang, **values: Any) -> str:
    """The ``--help`` text of ``key`` in ``lang`` (``KeyError`` for an unknown key: a typo must show)."""
    return str(_table()["help"][key][lang]).format(**values)


def text(key: str, lang: Lang, **values: Any) -> str:
    """A line of the command line or of a run, in ``lang``, with ``values`` filled in."""
    return str(_table()["text"][key][lang]).format(**values)


def dropped_word(reason: str, lang: Lang) -> str:
    """The word for a reason rows were dropped (``empty`` -> ``tyhjä``); unknown reasons as they are."""
    return str(_table().get("dropped", {}).get(reason, {}).get(lang, reason))


@functools.cache
def _library() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    return [
        (re.compile(entry["match"], re.S), {k: v for k, v in entry.items() if k in ("fi", "en")})
        for entry in _table().get("library", [])
    ]


def library_text(message: str, lang: Lang) -> str:
    """A library message in ``lang`` when ``library:`` of the texts knows it, else as it is.

    >>> library_text("the file does not exist", "en"), library_text("some other text", "fi")
    ('the file does not exist', 'some other text')
    """
    for pattern, out in _library():
        m = pattern.fullmatch(message.strip())
        if m and lang in out:
            return out[lang].format(*m.groups())
    return message


@contextlib.contextmanager
def argparse_language(lang: Lang) -> Iterator[None]:
    """argparse's own words in ``lang`` while the parser is built and used (its gettext calls, overridden).

    >>> with argparse_language("fi"):
    ...     argparse.ArgumentParser(prog="x").format_usage()
    'käyttö: x [-h]\\n'
    """
    if lang != "fi":
        yield
        return
    words: dict[str, str] = _table().get("argparse", {})
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def _(msgid: str) -> str:
        return words.get(msgid, msgid)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return _(singular if n == 1 else plural)

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


__all__ = [
    "CLI_TEXTS",
    "argparse_language",
    "cli_lang",
    "dropped_word",
    "help_text",
    "lang_from_argv",
    "library_text",
    "locale_source",
    "text",
]
