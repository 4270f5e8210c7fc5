"""What an export holds against its codebook: absent items, unmatched columns, guesses — never silent.

:func:`~sosrake_lib.io.read_export` calls :func:`review_export` on every file it reads. Each finding becomes a
notice in ``attrs["import_notices"]`` (a dict with ``level``, ``kind``, ``item``, ``column``, ``header``,
``message``), which ``sosrake validate`` prints and a run carries into the cleaning log, the manifest and the
report. Some findings stop the read with an :class:`~sosrake_lib.errors.ExportError` instead.

Which absences stop a run, and why
----------------------------------
Stop (exit 2), because reading on would lose data the user expects to see:

- a **required** item is missing (ids that link files, the background variables every table is split by);
- an absent item's text is **close to an unmatched column's header** (similarity >= :data:`RENAMED_SIMILARITY`):
  the question was most likely renamed in the survey tool, and its answers would be dropped;
- **fewer than half** of the codebook's answer items are found while columns with answers match none: the
  header was probably misread;
- the export **declares more respondents** above its header (Webropol: "Vastaajien määrä: 60") than rows read.

Warn, because the survey may simply not have asked it this semester (the item is empty in every result, and
the report says so): any other absent answer item; an export column that holds answers but matches no item;
a statement placed in its grid by order of occurrence (Microsoft Forms has no grid titles); a generated
respondent id (Google Forms has none); an identity placeholder such as Forms' ``anonymous``.

``strict=True`` (``--strict``) makes every absent answer item and every unmatched answer column an error.

Examples
--------
>>> declared_respondents("Kysely X | Vientipäivämäärä: 12.10.2022 | Vastaajien määrä: 1 060")
1060
>>> declared_respondents("SOSRAKE osaamiskartoitus 2022") is None
True
>>> is_tool_column("Last modified time"), is_tool_column("Group(s)"), is_tool_column("Tulin kuulluksi")
(True, True, False)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .codebook import Instrument, normalise_header
from .errors import ExportError

RENAMED_SIMILARITY = 90
"""Similarity (rapidfuzz ``WRatio``, 0-100) from which an unmatched column counts as a renamed item."""

# Columns the survey tools add themselves (metadata, not answers): never reported as unmatched answers.
_TOOL_HEADERS = {
    # Microsoft Forms
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
    "aloitusaika",
    "valmistumisaika",
    "sähköposti",
    "nimi",
    "viimeksi muokattu",
    # Google Forms
    "timestamp",
    "aikaleima",
    "email address",
    "sähköpostiosoite",
    "score",
    "pisteet",
    # Moodle feedback
    "response number",
    "vastaus numero",
    "vastauksen numero",
    "userid",
    "user id",
    "käyttäjätunnus",
    "full name",
    "koko nimi",
    "course",
    "kurssi",
    "group s",
    "groups",
    "ryhmä t",
    "ryhmät",
    "date",
    "päivämäärä",
    "id number",
    "department",
    "institution",
    # Webropol
    "vastaaja",
    "vastausaika",
    "vastauspäivä",
    "vastaajan tunnus",
    "respondent",
    "response time",
    "kielen valinta",
    "language",
    "ip address",
    "ip osoite",
}
_PLACEHOLDERS = {
    "anonymous",
    "anonyymi",
    "anonym",
    "anonymt",
    "anonymous user",
    "nimetön",
    "-",
    "n/a",
}
_DECLARED = re.compile(
    r"(?<!\w)(?:vastaajien\s+(?:luku)?määrä|vastaajia(?:\s+yhteensä)?|vastanneita(?:\s+yhteensä)?|"
    r"vastausten\s+(?:luku)?määrä|vastauksia(?:\s+yhteensä)?|vastaajamäärä|(?:total\s+)?number\s+of\s+"
    r"(?:respondents|responses)|respondents|responses|n)\s*[:=]\s*(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?![\d.,])",
    re.IGNORECASE,
)


def is_tool_column(header: Any) -> bool:
    """True for a column the survey tool adds itself (times, tool ids, names, Moodle course and groups)."""
    return normalise_header(header) in _TOOL_HEADERS


def declared_respondents(meta_text: str) -> int | None:
    """The respondent count an export states above its header (Webropol), or ``None``.

    Only a label followed by ``:`` or ``=`` counts ("Vastaajien määrä: 60", "N = 31"), so a year or a date in
    a survey's name ("responses 2021", "vastauksia 12.11. asti") is never read as a count.

    >>> declared_respondents("Customer experience interviews - responses 2021 | Vastaajien määrä: 30")
    30
    >>> declared_respondents("Kysely (vastauksia 12.11. asti)") is None
    True
    >>> [declared_respondents(t) for t in ("Vastaajia yhteensä: 31", "Vastanneita: 31", "N = 31")]
    [31, 31, 31]
    """
    m = _DECLARED.search(meta_text or "")
    return int(re.sub(r"\D", "", m.group(1))) if m else None


def notice(
    level: str,
    kind: str,
    message: str,
    *,
    item: str | None = None,
    column: str | None = None,
    header: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One finding about an export (see the module docstring)."""
    return {
        "level": level,
        "kind": kind,
        "item": item,
        "column": column,
        "header": header,
        "message": message,
        **extra,
    }


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import (
        fuzz,  # C implementation of Levenshtein-based ratios (well kept, no system libraries)
    )

    return float(fuzz.WRatio(normalise_header(a), normalise_header(b)))


def closest(text: str, candidates: Sequence[str]) -> tuple[str | None, float]:
    """The candidate most similar to ``text`` (rapidfuzz ``WRatio`` on normalised headers: a weighted mix of
    whole, partial and word-order-free Levenshtein ratios, so a question that gained or lost words still scores
    high).

    >>> closest("Tulin kuulluksi", ["Tulin kuulluksi asioidessani", "Sain apua"])
    ('Tulin kuulluksi asioidessani', 90.0)
    """
    best, score = None, 0.0
    for c in candidates:
        s = _similarity(text, c)
        if s > score:
            best, score = c, s
    return best, round(score, 1)


def _letter(j: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 27 -> AB)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _looks_like_answers(inst: Instrument, values: Sequence[str]) -> str:
    """``"labels"`` when most values are answer labels of the instrument's scales, ``"text"`` otherwise."""
    known = sum(any(sc.code_of(v) is not None for sc in inst.scales.values()) for v in values)
    return "labels" if values and known >= len(values) / 2 else "text"


def review_columns(
    inst: Instrument,
    matches: Sequence[Any],
    filled: Mapping[int, tuple[int, list[str]]],
    ignore: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], list[str]]:
    """Notices for export columns that match no item, and the tool columns passed over.

    ``filled`` maps a column index to (non-empty cells, a few distinct values).
    """
    ignored = {normalise_header(h) for h in ignore}
    notes, tool = [], []
    named = {m.column for m in matches}
    for j, (n, sample) in sorted(filled.items()):
        if j not in named and n:
            notes.append(
                notice(
                    "warning",
                    "unmatched_column",
                    f"column {_letter(j)} has no header but holds {n} "
                    f"answer(s) ({_looks_like_answers(inst, sample)}); its answers are not used",
                    column=_letter(j),
                    header=f"(column {_letter(j)}, no header)",
                    answers=n,
                    closest_item=None,
                    similarity=0.0,
                )
            )
    for m in matches:
        if m.item is not None:
            continue
        if is_tool_column(m.header):
            tool.append(m.header)
            continue
        n, sample = filled.get(m.column, (0, []))
        if normalise_header(m.header) in ignored:
            notes.append(
                notice(
                    "info",
                    "ignored_column",
                    f"column {_letter(m.column)} {m.header!r} is ignored by the codebook overlay",
                    column=_letter(m.column),
                    header=m.header,
                )
            )
            continue
        if n == 0:
            notes.append(
                notice(
                    "info",
                    "empty_column",
                    f"column {_letter(m.column)} {m.header!r} matches no "
                    "codebook item and is empty",
                    column=_letter(m.column),
                    header=m.header,
                )
            )
            continue
        named_items = {it.display_name: it.id for it in inst.items if it.kind != "pii"}
        near, score = closest(m.header, list(named_items))
        near_id = named_items.get(near) if near is not None else None
        notes.append(
            notice(
                "warning",
                "unmatched_column",
                f"column {_letter(m.column)} {m.header!r} holds {n} answer(s) ({_looks_like_answers(inst, sample)}) "
                f"but matches no codebook item (closest: {near_id} {near!r}, similarity {score:.0f}); its answers are "
                "not used",
                column=_letter(m.column),
                header=m.header,
                answers=n,
                closest_item=near_id,
                similarity=score,
            )
        )
    return notes, tool


def review_absent(
    inst: Instrument,
    found_as: Mapping[str, str],
    unmatched: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Notices for codebook items the export does not hold (with the closest unmatched header found)."""
    headers = [u["header"] for u in unmatched if u["kind"] == "unmatched_column"]
    notes = []
    answer_kinds = ("likert", "nps", "category", "integer", "text")
    for it in inst.items:
        if it.id in found_as or it.kind == "pii":
            continue
        if it.id == inst.respondent_id and inst.generated_id:
            continue  # said by the generated-id notice
        text = it.display_name
        best = (None, 0.0)
        for h in headers:
            score = max(_similarity(t, h) for t in it.all_headers) if it.all_headers else 0.0
            if score > best[1]:
                best = (h, round(score, 1))
        level = "warning" if it.kind in answer_kinds else "info"
        near = (
            f"; closest unmatched header: {best[0]!r} (similarity {best[1]:.0f})"
            if best[0]
            else "; no unmatched column resembles it"
        )
        notes.append(
            notice(
                level,
                "absent_item",
                f"item {it.id} {text!r} is not in the export{near}",
                item=it.id,
                header=text,
                closest_header=best[0],
                similarity=best[1],
            )
        )
    return notes


def replace_placeholders(df: pd.DataFrame, inst: Instrument) -> list[dict[str, Any]]:
    """Blank out identity placeholders (Forms' ``anonymous``) in id, pseudonym and pii columns, in place.

    A placeholder is not an identity: left in, every anonymous answer would share one e-mail and be dropped
    as a duplicate of the last one, and every interview would have the same interviewer.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    notes = []
    wanted = pa.array(sorted(_PLACEHOLDERS), type=pa.large_string())
    for it in inst.items:
        if it.kind not in ("id", "pseudonym", "pii") or it.id not in df:
            continue
        col = df[it.id]
        # Arrow compute over the column (C loops): a million ids take milliseconds, not seconds in Python
        text = col if isinstance(col.dtype, pd.StringDtype) else col.astype("str")
        arr = pa.array(text.array)  # the column's own Arrow data for the usual str dtype (no copy)
        # a regex prefilter (one pass in RE2) leaves the exact comparison only the few candidate values
        cand = pc.fill_null(pc.match_substring_regex(arr, r"^\s*(?i:anony|nimet|n/a|-\s*$)"), False)
        rows = np.zeros(len(col), dtype=bool)
        if pc.any(cand).as_py():
            idx = np.flatnonzero(np.asarray(cand.to_numpy(zero_copy_only=False), dtype=bool))
            norm = pc.utf8_lower(pc.utf8_trim_whitespace(arr.take(pa.array(idx))))
            rows[idx] = np.asarray(
                pc.fill_null(pc.is_in(norm, value_set=wanted), False).to_numpy(
                    zero_copy_only=False
                ),
                dtype=bool,
            )
        if rows.any():
            df[it.id] = col.where(~rows)
            words = sorted({str(v) for v in col[rows].unique()})
            notes.append(
                notice(
                    "warning" if it.required else "info",
                    "placeholder_identity",
                    f"{int(rows.sum())} row(s) of {it.id} hold the placeholder {', '.join(words)!s} "
                    "(an anonymous form): treated as missing, never as one person",
                    item=it.id,
                    rows=int(rows.sum()),
                )
            )
    return notes


def generate_ids(df: pd.DataFrame, inst: Instrument) -> dict[str, Any]:
    """Give each row a stable respondent id when the export has none (Google Forms), in place.

    The id is the submission time (``t20211002T141936``; a second submission within the same second gets
    ``-2``), which does not change when the same answers are exported again; rows without a time get their
    file row (``r12``), which is stable only for the same file. The ids are pseudonymised like any other.
    """
    rows = df["_row"].astype("int64")
    ids = pd.Series("r" + rows.astype("str"), index=df.index, dtype="str")
    how = "its row number in the file (stable only for this file)"
    if "submitted_at" in df and df["submitted_at"].notna().any():
        when = df["submitted_at"]
        stamp = "t" + when.dt.strftime("%Y%m%dT%H%M%S")
        nth = stamp.groupby(stamp).cumcount() + 1
        stamp = stamp.where(nth == 1, stamp + "-" + nth.astype("str"))
        ids = stamp.where(when.notna(), ids).astype("str")
        how = "its submission time (stable across re-exports of the same answers)"
    df[inst.respondent_id] = ids
    return notice(
        "warning",
        "generated_id",
        f"the export has no respondent id column ({inst.respondent_id}): "
        f"each row's id was made from {how}",
        item=inst.respondent_id,
    )


def enforce(
    notes: Sequence[dict[str, Any]],
    inst: Instrument,
    found_as: Mapping[str, str],
    *,
    strict: bool,
    file: str,
    header_row: int,
    declared: int | None,
    answered_rows: int,
) -> None:
    """Raise :class:`ExportError` for the findings that stop a read (see the module docstring)."""
    for n in notes:
        # only a question (not a tool's time column) that an unmatched column resembles closely stops the read
        if (
            n["kind"] == "absent_item"
            and n["level"] == "warning"
            and n.get("closest_header")
            and n["similarity"] >= RENAMED_SIMILARITY
        ):
            raise ExportError(
                f"item {n['item']} {n['header']!r} is not in the export, but a column that matches no item looks "
                f"like it (similarity {n['similarity']:.0f})",
                file=file,
                row=header_row,
                column=n["closest_header"],
                hint=f"if it is the same question, run `sosrake map {file} --instrument {inst.name}` and pass "
                "the reviewed overlay with --codebook-overlay; otherwise add the header to the overlay's ignore list",
            )
    answer_ids = inst.answer_columns()
    found = [i for i in answer_ids if i in found_as]
    unmatched = [n for n in notes if n["kind"] == "unmatched_column"]
    if answer_ids and len(found) < len(answer_ids) / 2 and unmatched:
        raise ExportError(
            f"only {len(found)} of the {len(answer_ids)} questions of the {inst.name!r} codebook "
            f"were found, and {len(unmatched)} column(s) with answers match none: the header was "
            "probably not read right",
            file=file,
            row=header_row,
            column=unmatched[0]["header"],
            hint=f"run `sosrake map {file} --instrument {inst.name}` to see how each column maps",
        )
    if declared is not None and declared > answered_rows:
        raise ExportError(
            f"the export says it has {declared} respondents, but {answered_rows} rows with answers "
            "were read",
            file=file,
            row=header_row,
            hint="export the file again in full; if rows were deleted on purpose, delete the "
            "respondent-count line above the header too",
        )
    if strict:
        for n in notes:
            if n["level"] == "warning" and n["kind"] in (
                "absent_item",
                "unmatched_column",
                "label_only",
            ):
                hint = {
                    "absent_item": "export the survey again with the question, or, if it was renamed, map it "
                    "with `sosrake map`; run without --strict to accept it as missing",
                    "unmatched_column": "map the column to its question with `sosrake map`, or list it under "
                    "'ignore' in a codebook overlay; run without --strict to accept it",
                    "label_only": "check the question; add its header with `sosrake map` to accept it",
                }[n["kind"]]
                raise ExportError(
                    f"--strict: {n['message']}",
                    file=file,
                    row=header_row,
                    column=n["header"],
                    hint=hint,
                )


_LEVEL_FI = {"warning": "varoitus", "info": "tieto"}


def notices_frame(logs: Mapping[str, Mapping[str, Any]], lang: str = "fi") -> pd.DataFrame:
    """One table of what the import said about each file (its notices and the rules that dropped rows), for a
    report: warnings first. An empty import gives one row saying so.

    ``logs`` maps a key (file role or semester) to a cleaning log (``notices``, ``dropped_by_rule``,
    ``source_file``).

    >>> logs = {"2021-syksy": {"source_file": "a.csv", "dropped_by_rule": {"empty: no answer": 2},
    ...         "notices": [notice("warning", "absent_item", "item KO2 'Tulin kuulluksi' is not in the export")]}}
    >>> notices_frame(logs, "en").to_dict("records")[0]
    {'File': 'a.csv', 'Level': 'warning', 'Finding': "item KO2 'Tulin kuulluksi' is not in the export"}
    >>> notices_frame(logs, "fi").iloc[1].tolist()
    ['a.csv', 'tieto', '2 rivi(ä) poistettu: empty: no answer']
    """
    rows = []
    for log in logs.values():
        file = str(log.get("source_file", ""))
        for n in log.get("notices", []) or []:
            rows.append((file, n.get("level", "info"), n.get("message", "")))
        for rule, count in (log.get("dropped_by_rule") or {}).items():
            rows.append(
                (
                    file,
                    "info",
                    f"{count} rivi(ä) poistettu: {rule}"
                    if lang == "fi"
                    else f"{count} row(s) dropped: {rule}",
                )
            )
    if not rows:
        rows.append(
            (
                "",
                "info",
                "ei huomautettavaa: kaikki koodikirjan kysymykset löytyivät eikä rivejä poistettu"
                if lang == "fi"
                else "nothing to report: every codebook question was found, no row dropped",
            )
        )
    df = pd.DataFrame(rows, columns=["file", "level", "finding"])
    df = df.sort_values("level", key=lambda s: s.map({"warning": 0, "info": 1}), kind="stable")
    if lang == "fi":
        df["level"] = df["level"].map(_LEVEL_FI)
        return df.rename(
            columns={"file": "Tiedosto", "level": "Taso", "finding": "Havainto"}
        ).reset_index(drop=True)
    return df.rename(columns={"file": "File", "level": "Level", "finding": "Finding"}).reset_index(
        drop=True
    )


def notices_table(logs: Mapping[str, Mapping[str, Any]], lang: str = "fi") -> Any:
    """:func:`notices_frame` styled for a report: no index, text left-aligned (headers too)."""
    left = [("text-align", "left")]
    frame = notices_frame(logs, lang)
    # a deterministic table id: a random one would make every report differ from the last one
    digest = hashlib.sha1(repr(frame.values.tolist()).encode("utf-8")).hexdigest()[:10]
    return (
        frame.style.hide(axis="index")
        .set_uuid(f"notices{digest}")
        .set_properties(**{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": left}])
    )
