"""The ``sosrake`` command line.

``sosrake run {competence,interviews,course,all} --semester S --raw PATH --out DIR [--lang fi|en]``,
``sosrake validate PATH [--instrument NAME] [--strict] [--codebook-overlay YAML]``,
``sosrake map PATH [--instrument NAME] [--write YAML]`` (how each column maps; proposed aliases),
``sosrake prepare --raw DIR --semester S``,
``sosrake sample-data --out DIR [--rows N] [--seed N] [--followup]``,
``sosrake scan DIR [--min-cell-size N] [--raw PATH]`` (check an output folder before handing it on),
``sosrake history OUTPUTS [--out DIR]`` (the key figures of every completed run, by round, with trend figures),
``sosrake key init [--path FILE]`` (create the pseudonym key once: folder made, file mode 600),
``sosrake coding-sample RUN_FOLDER [--n N] [--seed S] [--force]`` (a worksheet for human coders),
``sosrake coding-agreement WORKSHEET [--out DIR] [--codebook NAME|YAML] [--run RUN_FOLDER]`` (codebook vs
people), ``sosrake codebook-suggest RUN_FOLDER [--top N]`` (frequent words of the answers no theme covers).

The command line speaks Finnish, or English with ``--lang en`` (every command takes it) or an English
locale (:func:`sosrake_lib.messages.cli_lang`); its help, messages and argparse's own words come from
``sosrake_lib/labels_data/cli.yaml``. For ``run``, the language is also that of the outputs.

Exit status 0 on success, 2 on bad input or set-up with one clear line on stderr ("sosrake: virhe: …" /
"sosrake: error: …") and no traceback; 1 when a notebook fails (the line names the notebook and the cell)
or when ``scan`` finds something.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ConfigError, ExportError
from .fmt import Lang
from .messages import (
    argparse_language,
    cli_lang,
    dropped_word,
    help_text,
    lang_from_argv,
    library_text,
    locale_source,
    text,
)
from .registry import ANALYSES as REGISTRY

ANALYSES = (*REGISTRY, "all")


def _parser(lang: Lang = "fi") -> argparse.ArgumentParser:
    """The argument parser, its help in ``lang`` (argparse's own words: build and use it inside
    :func:`sosrake_lib.messages.argparse_language`)."""
    h: Callable[..., str] = functools.partial(help_text, lang=lang)
    p = argparse.ArgumentParser(prog="sosrake", description=h("description"), epilog=h("epilog"))

    def with_lang(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--lang", choices=("fi", "en"), default=lang, help=h("lang"))
        return sp

    with_lang(p)
    sub = p.add_subparsers(
        dest="command", required=True, title=h("commands"), metavar=h("command_metavar")
    )

    run = with_lang(sub.add_parser("run", help=h("run"), description=h("run")))
    run.add_argument(
        "analysis",
        choices=ANALYSES,
        metavar=h("mv_analysis"),
        help=h("run_analysis", choices=", ".join(ANALYSES)),
    )
    run.add_argument("--semester", required=True, metavar=h("mv_semester"), help=h("semester"))
    run.add_argument("--raw", required=True, type=Path, metavar=h("mv_folder"), help=h("raw"))
    run.add_argument("--out", required=True, type=Path, metavar=h("mv_folder"), help=h("out"))
    run.add_argument("--min-cell-size", type=int, default=5, metavar="N", help=h("min_cell_size"))
    run.add_argument(
        "--approved-quotes", type=Path, metavar=h("mv_file"), help=h("approved_quotes")
    )
    run.add_argument("--target-size", type=int, metavar="N", help=h("target_size"))
    run.add_argument("--weak-alpha", type=float, metavar=h("mv_number"), help=h("weak_alpha"))
    run.add_argument("--earlier-round", type=Path, metavar=h("mv_file"), help=h("earlier_round"))
    run.add_argument("--trained-areas", default="", metavar="A,B,C", help=h("trained_areas"))
    run.add_argument(
        "--coded-worksheet", type=Path, metavar=h("mv_file"), help=h("coded_worksheet")
    )
    run.add_argument(
        "--kappa-bound", type=float, default=None, metavar=h("mv_number"), help=h("kappa_bound")
    )
    run.add_argument("--timeout", type=int, default=900, metavar=h("mv_seconds"), help=h("timeout"))
    run.add_argument("--processed", type=Path, metavar=h("mv_folder"), help=h("processed"))
    run.add_argument("--quiet", action="store_true", help=h("quiet"))

    val = with_lang(sub.add_parser("validate", help=h("validate"), description=h("validate")))
    val.add_argument("path", type=Path, metavar=h("mv_file"), help=h("path"))
    val.add_argument("--instrument", metavar=h("mv_name"), help=h("instrument"))

    prep = with_lang(sub.add_parser("prepare", help=h("prepare"), description=h("prepare")))
    prep.add_argument(
        "--raw", required=True, type=Path, metavar=h("mv_folder"), help=h("prepare_raw")
    )
    prep.add_argument("--semester", required=True, metavar=h("mv_semester"), help=h("semester"))
    prep.add_argument("--out", type=Path, metavar=h("mv_folder"), help=h("prepare_out"))

    for sp in (run, val, prep):
        sp.add_argument("--strict", action="store_true", help=h("strict"))
        sp.add_argument(
            "--codebook-overlay", type=Path, default=None, metavar="YAML", help=h("overlay")
        )

    mp = with_lang(sub.add_parser("map", help=h("map"), description=h("map")))
    mp.add_argument("path", type=Path, metavar=h("mv_file"), help=h("path"))
    mp.add_argument("--instrument", metavar=h("mv_name"), help=h("instrument"))
    mp.add_argument(
        "--codebook-overlay", type=Path, default=None, metavar="YAML", help=h("map_overlay")
    )
    mp.add_argument("--write", type=Path, default=None, metavar="YAML", help=h("map_write"))

    sample = with_lang(
        sub.add_parser("sample-data", help=h("sample_data"), description=h("sample_data"))
    )
    sample.add_argument(
        "--out", required=True, type=Path, metavar=h("mv_folder"), help=h("sample_out")
    )
    sample.add_argument("--rows", type=int, metavar="N", help=h("rows"))
    sample.add_argument("--seed", type=int, default=0, metavar="N", help=h("seed"))
    sample.add_argument("--followup", action="store_true", help=h("followup"))

    scan = with_lang(sub.add_parser("scan", help=h("scan"), description=h("scan")))
    scan.add_argument("folder", type=Path, metavar=h("mv_folder"), help=h("scan_folder"))
    scan.add_argument("--min-cell-size", type=int, default=5, metavar="N", help=h("scan_min"))
    scan.add_argument("--raw", type=Path, metavar=h("mv_folder"), help=h("scan_raw"))

    hist = with_lang(sub.add_parser("history", help=h("history"), description=h("history")))
    hist.add_argument("outputs", type=Path, metavar=h("mv_folder"), help=h("history_outputs"))
    hist.add_argument("--out", type=Path, metavar=h("mv_folder"), help=h("history_out"))
    cs = with_lang(
        sub.add_parser("coding-sample", help=h("coding_sample"), description=h("coding_sample"))
    )
    cs.add_argument("run_folder", type=Path, metavar=h("mv_folder"), help=h("coding_run"))
    cs.add_argument("--n", type=int, default=100, metavar="N", help=h("coding_n"))
    cs.add_argument("--seed", type=int, default=0, metavar="N", help=h("coding_seed"))
    cs.add_argument("--force", action="store_true", help=h("coding_force"))

    ca = with_lang(
        sub.add_parser(
            "coding-agreement", help=h("coding_agreement"), description=h("coding_agreement")
        )
    )
    ca.add_argument("worksheet", type=Path, metavar=h("mv_file"), help=h("coding_worksheet"))
    ca.add_argument("--out", type=Path, metavar=h("mv_folder"), help=h("coding_out"))
    ca.add_argument("--codebook", metavar="YAML", help=h("coding_codebook"))
    ca.add_argument("--run", type=Path, metavar=h("mv_folder"), help=h("coding_from_run"))

    sg = with_lang(
        sub.add_parser(
            "codebook-suggest", help=h("codebook_suggest"), description=h("codebook_suggest")
        )
    )
    sg.add_argument("run_folder", type=Path, metavar=h("mv_folder"), help=h("coding_run"))
    sg.add_argument("--top", type=int, default=30, metavar="N", help=h("suggest_top"))

    key = with_lang(sub.add_parser("key", help=h("key"), description=h("key")))
    key.add_argument("action", choices=["init"], help=h("key_action"))
    key.add_argument("--path", type=Path, metavar=h("mv_file"), help=h("key_path"))
    return p


def _scan(folder: Path, min_n: int, raw: Path | None, lang: Lang = "en") -> int:
    from .scan import identifiers_from_exports, review_material, scan_outputs

    if not folder.is_dir():
        raise ConfigError(text("scan_no_folder", lang, folder=folder))
    if min_n < 1:
        raise ConfigError(text("min_cell_size", lang, value=min_n))
    ident = identifiers_from_exports(raw) if raw is not None else None
    findings = scan_outputs(
        folder,
        min_n=min_n,
        names=ident.names if ident else (),
        ids=ident.ids if ident else (),
        columns=ident.columns if ident else (),
    )
    for f in findings:
        print(f)
    review = review_material(folder)
    if review:
        print(
            text("scan_review", lang, n=len(review), files=", ".join(review)),
            file=sys.stderr,
        )
    print(text("scan_findings", lang, n=len(findings), folder=folder), file=sys.stderr)
    return 1 if findings else 0


def _check_history_level(outputs: Path, lang: Lang) -> None:
    """Stop when ``outputs`` is a semester folder (its subfolders are runs) or a run folder itself, not the
    output root above them: name the folder to give instead."""
    if any(outputs.glob("*/*/manifest.json")):
        return  # runs where they belong: <outputs>/<semester>/<analysis>/
    if (outputs / "manifest.json").is_file():
        key, root = "history_run_folder", outputs.resolve().parent.parent
    elif any(outputs.glob("*/manifest.json")):
        key, root = "history_semester_folder", outputs.resolve().parent
    else:
        return
    if not outputs.is_absolute():  # as the user wrote it: a relative path stays relative
        root = Path(os.path.relpath(root))
    raise ConfigError(text(key, lang, folder=outputs, root=root))


def _history(outputs: Path, out: Path | None, lang: Lang = "en") -> int:
    """``sosrake history``: collect the key figures of every completed run; say what was skipped or guessed."""
    from .history.publish import write_history
    from .history.table import breaks, guessed_runs

    if not outputs.is_dir():
        raise ConfigError(text("history_no_folder", lang, folder=outputs))
    _check_history_level(outputs, lang)
    result = write_history(outputs, out, lang=lang)
    for s in result.skipped:
        print(
            text("history_skipped", lang, folder=s.folder, reason=s.reason(lang)), file=sys.stderr
        )
    if not result.runs:
        raise ConfigError(text("history_no_runs", lang, folder=outputs))
    guessed = guessed_runs(result.table)
    for run, fi, en in guessed:
        print(
            text("history_guessed", lang, run=run, note=fi if lang == "fi" else en), file=sys.stderr
        )
    if guessed:
        print(text("history_guessed_hint", lang), file=sys.stderr)
    for r in breaks(result.table).to_dict("records"):
        reason = r["break_reason_fi"] if lang == "fi" else r["break_reason_en"]
        print(
            text(
                "history_break",
                lang,
                analysis=r["analysis"],
                name=r["name"],
                round=r["round"],
                reason=reason,
            ),
            file=sys.stderr,
        )
    folder = result.paths[0].parent
    # the privacy scan of `sosrake scan` on what was written, at the lowest threshold of the runs read
    # (each run's own threshold was applied row by row when the table was made)
    from .scan import scan_outputs

    findings = scan_outputs(folder, min_n=min(r.min_n for r in result.runs))
    for f in findings:
        print(f)
    print(
        text(
            "history_done",
            lang,
            runs=len(result.runs),
            rows=len(result.table),
            files=len(result.paths),
            folder=folder,
        )
    )
    if findings:
        print(text("scan_findings", lang, n=len(findings), folder=folder), file=sys.stderr)
    return 1 if findings else 0


def _instrument_of(path: Path, instrument: str | None) -> str:
    from .pipeline import instrument_for

    if instrument is not None:
        return instrument
    if not path.exists():
        raise ExportError(
            "the file does not exist",
            file=str(path),
            hint="check the path and the file name",
            message_fi="tiedostoa ei ole",
            hint_fi="tarkista polku ja tiedoston nimi",
        )
    found = instrument_for(path)
    if found is None:
        raise ExportError(
            "no codebook matches this file's headers",
            file=path.name,
            hint="name the instrument with --instrument",
            message_fi="yksikään koodikirja ei vastaa tiedoston otsikoita",
            hint_fi="anna koodikirja valinnalla --instrument",
        )
    return found


def _validate(
    path: Path,
    instrument: str | None,
    *,
    strict: bool = False,
    overlay: Path | None = None,
    lang: Lang = "en",
) -> str:
    """The validation report: an OK line, then every warning, note and drop rule (one per line)."""
    from .pipeline import prepare_file

    instrument = _instrument_of(path, instrument)
    res = prepare_file(path, instrument, strict=strict, overlay=overlay)
    log = res.log
    dropped = ", ".join(f"{dropped_word(k, lang)} {v}" for k, v in log["dropped"].items())
    notices = log.get("notices", [])
    n_warn = sum(n["level"] == "warning" for n in notices)
    lines = [
        text(
            "validate_ok",
            lang,
            file=path.name,
            instrument=instrument,
            raw_rows=log["raw_rows"],
            kept=log["kept"],
            dropped=dropped,
        )
        + (text("validate_warnings", lang, n=n_warn) if n_warn else "")
    ]
    for n in sorted(notices, key=lambda n: n["level"] != "warning"):
        key = "notice_warning" if n["level"] == "warning" else "notice_note"
        lines.append(text(key, lang, message=n["message"]))
    for rule, count in log.get("dropped_by_rule", {}).items():
        lines.append(text("dropped_rows", lang, count=count, rule=library_text(rule, lang)))
    return "\n".join(lines)


def _map(
    path: Path,
    instrument: str | None,
    overlay: Path | None,
    write: Path | None,
    lang: Lang = "en",
) -> str:
    from .codebook import Instrument
    from .editions import pick_edition
    from .mapping import format_map, map_export, write_overlay

    name = _instrument_of(path, instrument)
    try:  # the codebook version the export was asked with (a reworded item is no unmatched column)
        inst: Instrument | str = pick_edition(path.resolve(), name, overlay)
    except ExportError:
        inst = name  # no version reads it: map_export says what it cannot find
    m = map_export(path, inst, overlay=overlay)
    out = format_map(m)
    if write is not None:
        if not m.proposals():
            return out + "\n" + text("map_nothing", lang)
        target = write_overlay(m, write)
        out += "\n" + text("map_wrote", lang, n=len(m.proposals()), target=target)
    elif m.proposals():
        out += "\n" + text("map_keep", lang)
    return out


def _one_line_warning(lang: Lang) -> Callable[..., str]:
    """Warnings on the command line: one line in ``lang``, what and what to do, no source file and line."""

    def formatwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        line: str | None = None,
    ) -> str:
        return text("warning", lang, message=message) + "\n"

    return formatwarning


def _error_line(exc: Exception, lang: Lang) -> str:
    """The one line an :class:`ExportError` or :class:`ConfigError` is shown as, in ``lang``."""
    if isinstance(exc, ExportError):
        msg = exc.one_line(lang, library_text)
    else:
        msg = library_text(" ".join(str(exc).split()), lang)
    return text("error", lang, message=msg)


def _say_language(argv: Sequence[str], lang: Lang) -> None:
    """Before a run: which language the outputs will be in, when the locale chose it (no --lang)."""
    if lang_from_argv(argv) in ("fi", "en"):
        return
    found = locale_source()
    source = text("run_language_locale", lang, var=found[0], value=found[1]) if found else ""
    print(text("run_language", lang, source=source), file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = cli_lang(argv)
    with argparse_language(lang):
        args = _parser(lang).parse_args(argv)
    lang = args.lang
    warnings.formatwarning = _one_line_warning(lang)
    try:
        if args.command == "validate":
            print(
                _validate(
                    args.path,
                    args.instrument,
                    strict=args.strict,
                    overlay=args.codebook_overlay,
                    lang=lang,
                )
            )
        elif args.command == "map":
            print(_map(args.path, args.instrument, args.codebook_overlay, args.write, lang))
        elif args.command == "prepare":
            from .paths import PROCESSED_DIR, check_label, check_separate, input_paths
            from .pipeline import prepare_folder

            target = Path(args.out or PROCESSED_DIR).resolve()
            check_separate({"--out": target / check_label(args.semester)}, input_paths(args.raw))
            for item in prepare_folder(
                args.raw.resolve(),
                args.semester,
                target,
                strict=args.strict,
                overlay=args.codebook_overlay,
            ):
                log = item.log
                n_warn = sum(n["level"] == "warning" for n in log.get("notices", []))
                print(
                    text(
                        "prepared",
                        lang,
                        file=item.path.name,
                        instrument=item.instrument,
                        kept=log["kept"],
                        raw_rows=log["raw_rows"],
                    )
                    + (
                        text("prepared_warnings", lang, n=n_warn, file=item.path.name)
                        if n_warn
                        else ""
                    )
                )
        elif args.command == "sample-data":
            from .synthetic import write_followup_sample, write_sample

            if args.followup:
                written = write_followup_sample(args.out, seed=args.seed)
            else:
                written = write_sample(args.out, rows=args.rows, seed=args.seed)
            for p in written:
                print(p)
        elif args.command == "key":
            from .privacy import init_key

            print(text("key_created", lang, path=init_key(args.path)))
        elif args.command == "history":
            return _history(args.outputs, args.out, lang)
        elif args.command == "scan":
            return _scan(args.folder, args.min_cell_size, args.raw, lang)
        elif args.command == "coding-sample":
            from .coding.worksheet import write_worksheet

            path = write_worksheet(
                args.run_folder, n=args.n, seed=args.seed, lang=lang, force=args.force
            )
            print(text("coding_sample_written", lang, path=path))
        elif args.command == "coding-agreement":
            from .coding.cli import agreement_command

            print(agreement_command(args.worksheet, args.out, args.codebook, args.run, lang))
        elif args.command == "codebook-suggest":
            from .coding.suggest import suggest_command

            print(suggest_command(args.run_folder, args.top, lang))
        elif args.command == "run":
            from .runner import run_semester

            if not args.quiet:
                _say_language(argv, lang)
            run_semester(
                args.analysis,
                semester=args.semester,
                raw=args.raw,
                out=args.out,
                lang=lang,
                min_cell_size=args.min_cell_size,
                approved_quotes=args.approved_quotes,
                target_size=args.target_size,
                timeout=args.timeout,
                progress=not args.quiet,
                strict=args.strict,
                codebook_overlay=args.codebook_overlay,
                **({"processed_dir": args.processed} if args.processed else {}),
                **({"weak_alpha": args.weak_alpha} if args.weak_alpha is not None else {}),
                **({"earlier_round": args.earlier_round} if args.earlier_round else {}),
                **({"trained_areas": args.trained_areas} if args.trained_areas else {}),
                **(
                    {"coded_worksheet": args.coded_worksheet, "kappa_bound": args.kappa_bound}
                    if args.coded_worksheet is not None
                    else {}
                ),
            )
    except BrokenPipeError:  # `sosrake validate … | head`: the reader went away; nothing is wrong
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        return 0
    except (ExportError, ConfigError) as exc:
        print(_error_line(exc, lang), file=sys.stderr)
        return 2
    except Exception as exc:  # a failing notebook or an unexpected error: one line, no traceback
        from .runner import RunError

        if not isinstance(exc, RunError) and "--debug" in sys.argv:
            raise
        kind = "" if isinstance(exc, RunError) else f"{type(exc).__name__}: "
        print(text("error", lang, message=kind + " ".join(str(exc).split())), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(text("interrupted", lang), file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
