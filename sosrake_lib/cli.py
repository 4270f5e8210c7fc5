"""The ``sosrake`` command line.

``sosrake run {competence,interviews,course,all} --semester S --raw PATH --out DIR [--lang fi|en]``,
``sosrake validate PATH [--instrument NAME] [--strict] [--codebook-overlay YAML]``,
``sosrake map PATH [--instrument NAME] [--write YAML]`` (how each column maps; proposed aliases),
``sosrake prepare --raw DIR --semester S``,
``sosrake sample-data --out DIR [--rows N] [--seed N]``,
``sosrake scan DIR [--min-cell-size N] [--raw PATH]`` (check an output folder before handing it on),
``sosrake key init [--path FILE]`` (create the pseudonym key once: folder made, file mode 600).

Exit status 0 on success, 2 on bad input or set-up with one clear line on stderr and no traceback; 1 when a
notebook fails (the line names the notebook and the cell) or when ``scan`` finds something.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import ConfigError, ExportError
from .registry import ANALYSES as REGISTRY

ANALYSES = (*REGISTRY, "all")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sosrake", description="SOSRAKE research workbench")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="validate the exports and run the analysis notebooks for a semester"
    )
    run.add_argument("analysis", choices=ANALYSES)
    run.add_argument("--semester", required=True, help="semester label, e.g. 2023-syksy")
    run.add_argument("--raw", required=True, type=Path, help="folder with the semester's exports")
    run.add_argument(
        "--out", required=True, type=Path, help="output folder (a <semester>/ folder is made in it)"
    )
    run.add_argument("--lang", choices=("fi", "en"), default="fi")
    run.add_argument(
        "--min-cell-size", type=int, default=5, help="smallest published group size (default 5)"
    )
    run.add_argument(
        "--approved-quotes", type=Path, default=None, help="quotes_for_review.csv with approvals"
    )
    run.add_argument(
        "--target-size", type=int, default=None, help="size of the competence target group"
    )
    run.add_argument(
        "--weak-alpha",
        type=float,
        default=None,
        help="competence: Cronbach's alpha below this marks an area as a weak scale (default 0.6)",
    )
    run.add_argument("--timeout", type=int, default=900, help="seconds a notebook cell may run")
    run.add_argument(
        "--processed",
        type=Path,
        default=None,
        help="where the cleaned data are stored (default data/processed)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress display")

    val = sub.add_parser("validate", help="check one export against its codebook")
    val.add_argument("path", type=Path)
    val.add_argument(
        "--instrument", default=None, help="codebook name (default: detected from the file)"
    )

    prep = sub.add_parser(
        "prepare", help="read, clean and store every export of a folder in data/processed"
    )
    prep.add_argument("--raw", required=True, type=Path)
    prep.add_argument("--semester", required=True)
    prep.add_argument("--out", type=Path, default=None, help="default: data/processed")

    for sp in (run, val, prep):
        sp.add_argument(
            "--strict",
            action="store_true",
            help="every codebook item missing from an export, and every export column with answers "
            "that matches no item, is an error (default: a warning in the logs and the report)",
        )
        sp.add_argument(
            "--codebook-overlay",
            type=Path,
            default=None,
            metavar="YAML",
            help="header aliases for drifted question wordings (written by `sosrake map`)",
        )

    mp = sub.add_parser(
        "map",
        help="show how each column of an export maps to the codebook; write an overlay of "
        "proposed aliases to review",
    )
    mp.add_argument("path", type=Path, help="the export file")
    mp.add_argument(
        "--instrument", default=None, help="codebook name (default: detected from the file)"
    )
    mp.add_argument(
        "--codebook-overlay",
        type=Path,
        default=None,
        metavar="YAML",
        help="an overlay to apply first (and to extend with --write)",
    )
    mp.add_argument(
        "--write",
        type=Path,
        default=None,
        metavar="YAML",
        help="write the proposed aliases into this overlay file (kept entries are not changed)",
    )

    sample = sub.add_parser("sample-data", help="write synthetic sample exports")
    sample.add_argument("--out", required=True, type=Path)
    sample.add_argument("--rows", type=int, default=None)
    sample.add_argument("--seed", type=int, default=0)
    scan = sub.add_parser(
        "scan", help="scan an output folder for identifiers, small counts and formulas"
    )
    scan.add_argument("folder", type=Path)
    scan.add_argument(
        "--min-cell-size", type=int, default=5, help="the threshold the outputs were made with"
    )
    scan.add_argument(
        "--raw",
        type=Path,
        default=None,
        help="the semester's raw exports: their names, ids and identifier columns are looked for too",
    )
    key = sub.add_parser(
        "key",
        help="luo pseudonymisointiavain / create the pseudonymisation key (once per organisation)",
    )
    key.add_argument(
        "action",
        choices=["init"],
        help="init: luo uusi avain, jota vain omistaja voi lukea / create a new key only its owner can read",
    )
    key.add_argument(
        "--path",
        type=Path,
        default=None,
        help="minne avain kirjoitetaan / where to write it (default ~/.config/sosrake/pseudonym.key)",
    )
    return p


def _scan(folder: Path, min_n: int, raw: Path | None) -> int:
    from .scan import identifiers_from_exports, review_material, scan_outputs

    if not folder.is_dir():
        raise ConfigError(f"the output folder does not exist: {folder}")
    if min_n < 1:
        raise ConfigError(f"--min-cell-size must be at least 1 (got {min_n})")
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
            f"note: {len(review)} review file(s), scanned but not to be handed on as they are: "
            + ", ".join(review),
            file=sys.stderr,
        )
    print(f"{len(findings)} finding(s) in {folder}", file=sys.stderr)
    return 1 if findings else 0


def _instrument_of(path: Path, instrument: str | None) -> str:
    from .pipeline import instrument_for

    if instrument is not None:
        return instrument
    if not path.exists():
        raise ExportError(
            "the file does not exist", file=str(path), hint="check the path and the file name"
        )
    found = instrument_for(path)
    if found is None:
        raise ExportError(
            "no codebook matches this file's headers",
            file=path.name,
            hint="name the instrument with --instrument",
        )
    return found


def _validate(
    path: Path, instrument: str | None, *, strict: bool = False, overlay: Path | None = None
) -> str:
    """The validation report: an OK line, then every warning, note and drop rule (one per line)."""
    from .pipeline import prepare_file

    instrument = _instrument_of(path, instrument)
    res = prepare_file(path, instrument, strict=strict, overlay=overlay)
    log = res.log
    dropped = ", ".join(f"{k} {v}" for k, v in log["dropped"].items())
    notices = log.get("notices", [])
    n_warn = sum(n["level"] == "warning" for n in notices)
    lines = [
        f"OK {path.name}: {instrument}, {log['raw_rows']} rows read, {log['kept']} kept ({dropped} dropped)"
        + (f"; {n_warn} warning(s)" if n_warn else "")
    ]
    for n in sorted(notices, key=lambda n: n["level"] != "warning"):
        lines.append(f"  {'warning' if n['level'] == 'warning' else 'note'}: {n['message']}")
    for rule, count in log.get("dropped_by_rule", {}).items():
        lines.append(f"  dropped {count} row(s): {rule}")
    return "\n".join(lines)


def _map(path: Path, instrument: str | None, overlay: Path | None, write: Path | None) -> str:
    from .mapping import format_map, map_export, write_overlay

    m = map_export(path, _instrument_of(path, instrument), overlay=overlay)
    text = format_map(m)
    if write is not None:
        if not m.proposals():
            return text + "\nno aliases to propose: nothing written"
        target = write_overlay(m, write)
        text += (
            f"\nwrote {len(m.proposals())} proposed alias(es) to {target}: review them, then pass the file "
            "with --codebook-overlay"
        )
    elif m.proposals():
        text += "\nto keep these proposals: add --write <overlay.yaml>, review it, pass it with --codebook-overlay"
    return text


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """Warnings on the command line: one line, what and what to do, no source file and line."""
    return f"warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    warnings.formatwarning = _one_line_warning
    try:
        if args.command == "validate":
            print(
                _validate(
                    args.path, args.instrument, strict=args.strict, overlay=args.codebook_overlay
                )
            )
        elif args.command == "map":
            print(_map(args.path, args.instrument, args.codebook_overlay, args.write))
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
                    f"{item.path.name}: {item.instrument}, kept {log['kept']} of {log['raw_rows']} rows"
                    + (
                        f"; {n_warn} warning(s): see `sosrake validate {item.path.name}`"
                        if n_warn
                        else ""
                    )
                )
        elif args.command == "sample-data":
            from .synthetic import write_sample

            for p in write_sample(args.out, rows=args.rows, seed=args.seed):
                print(p)
        elif args.command == "key":
            from .privacy import init_key

            target = init_key(args.path)
            print(
                f"avain luotu / key created: {target} (chmod 600). Ota siitä varmuuskopio turvalliseen paikkaan "
                "ja käytä samaa avainta joka lukukausi / back it up safely and use the same key every semester"
            )
        elif args.command == "scan":
            return _scan(args.folder, args.min_cell_size, args.raw)
        elif args.command == "run":
            from .runner import run_semester

            run_semester(
                args.analysis,
                semester=args.semester,
                raw=args.raw,
                out=args.out,
                lang=args.lang,
                min_cell_size=args.min_cell_size,
                approved_quotes=args.approved_quotes,
                target_size=args.target_size,
                timeout=args.timeout,
                progress=not args.quiet,
                strict=args.strict,
                codebook_overlay=args.codebook_overlay,
                **({"processed_dir": args.processed} if args.processed else {}),
                **({"weak_alpha": args.weak_alpha} if args.weak_alpha is not None else {}),
            )
    except BrokenPipeError:  # `sosrake validate … | head`: the reader went away; nothing is wrong
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        return 0
    except (ExportError, ConfigError) as exc:
        msg = exc.one_line() if isinstance(exc, ExportError) else " ".join(str(exc).split())
        print(f"sosrake: error: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:  # a failing notebook or an unexpected error: one line, no traceback
        from .runner import RunError

        if not isinstance(exc, RunError) and "--debug" in sys.argv:
            raise
        kind = "" if isinstance(exc, RunError) else f"{type(exc).__name__}: "
        print(f"sosrake: error: {kind}{' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sosrake: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
