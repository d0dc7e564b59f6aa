"""python -m etl {migrate | load KIND FILE... | demo [--scale F] | simulate [--rate N] |
create-admin USERNAME | unlock USERNAME | export stock --at DATE |
certificate-keys {create|rotate|list|trust-list} [--dir PATH] |
verify-certificates --trust FILE [--at TIME] < codes}."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from data.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The loading machinery (pandas, the kinds' rules) is imported when a command needs it: the
# certificate commands start in a fraction of the time (a verifier is run once per batch).


def _parser() -> argparse.ArgumentParser:
    from etl.registry import KINDS

    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply schema migrations and seed reference data")
    load = sub.add_parser("load", help="load interchange files of one kind")
    load.add_argument("kind", choices=sorted(KINDS))
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--rejects", type=Path, help="reject report path (one file only)")
    load.add_argument("--lang", choices=["vi", "en"], help="language of reject reasons")
    load.add_argument("--encoding", type=_encoding, metavar="NAME",
                      help="legacy encoding of CSV / JSON Lines files, e.g. windows-1258 "
                           "(default UTF-8, with or without BOM; TCVN3 is not supported)")
    demo = sub.add_parser("demo", help="generate and load a synthetic demo campaign")
    demo.add_argument("--scale", type=float, default=0.001,
                      help="fraction of the real campaign (0.001 ~ 265k doses)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--out", type=Path, default=Path("var/demo"))
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing when injections are already loaded")
    sim = sub.add_parser("simulate", help="run vaccination sessions at demo facilities live")
    sim.add_argument("--rate", type=float, default=60.0,
                     help="doses per minute (0: as fast as the database allows)")
    sim.add_argument("--minutes", type=float, default=0.0,
                     help="stop after this many minutes (0: run until Ctrl-C)")
    sim.add_argument("--doses", type=int, help="stop after this many doses")
    sim.add_argument("--facilities", type=int, default=4, help="how many facilities take part")
    sim.add_argument("--seed", type=int, default=2021)
    admin = sub.add_parser("create-admin", help="create a system administrator account")
    admin.add_argument("username")
    admin.add_argument("--name", default="Quản trị hệ thống", help="display name")
    admin.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input (automation)")
    unlock = sub.add_parser("unlock", help="lift the sign-in locks of an account")
    unlock.add_argument("username")
    export = sub.add_parser("export", help="write figures of the platform as CSV")
    what = export.add_subparsers(dest="what", required=True, metavar="{stock}")
    stock = what.add_parser("stock", help="every warehouse's lots at the end of a day: on hand "
                                          "and in transit towards it")
    stock.add_argument("--at", type=_day, required=True, metavar="DATE",
                       help="the day (Vietnam time), 2021-10-19 or 19/10/2021")
    stock.add_argument("--province", type=_province, metavar="CODE",
                       help="only the warehouses of this province (GSO code, e.g. 01)")
    stock.add_argument("--out", type=Path, metavar="FILE", help="write here, not to stdout")
    from etl.certificates_cli import add_certificate_commands

    add_certificate_commands(sub)
    return p


def _encoding(name: str) -> str:
    from etl.textscan import check_encoding

    try:
        check_encoding(name)
    except LookupError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return name  # as the operator wrote it: messages quote it back


def _day(value: str) -> dt.date:
    # The contract's two date forms (docs/interchange.md).
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), form).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date: {value!r} (2021-10-19 or 19/10/2021)")


def _province(value: str) -> str:
    code = value.strip()
    if not (code.isascii() and code.isdigit() and 1 <= len(code) <= 2):
        raise argparse.ArgumentTypeError(f"not a province code: {value!r} (two digits, e.g. 01)")
    return code.zfill(2)  # a spreadsheet's 1 is 01 (docs/interchange.md)


def load_files(settings: Settings, engine: Engine, kind: str, files: list[Path],
               rejects: Path | None, lang: str, encoding: str | None) -> int:
    """`load`: each file in turn; the exit code (0 loaded, 1 rows rejected, 2 file refused,
    3 the database failed a load)."""
    from data.db import database_failure
    from data.interchange.messages import message
    from etl.pipeline import load_file
    from etl.refusal import FileRefused

    rejected, refused, failed = 0, False, False
    for path in files:
        try:
            res = load_file(settings, engine, kind, path, reject_path=rejects, lang=lang,
                            progress=sys.stderr.isatty(), encoding=encoding)
        except FileRefused as exc:
            # One sentence, no traceback: the file is the problem, not the program.
            print(f"{kind} {path.name}: {exc.reason(lang)}", file=sys.stderr)
            refused = True
            continue
        except Exception as exc:
            reason = database_failure(exc)
            if reason is None:
                raise  # a bug: the traceback is for the developer
            # The database, not the file: the file's one transaction did not commit.
            print(f"{kind} {path.name}: {message('load_interrupted', lang, error=reason)}",
                  file=sys.stderr)
            failed = True
            continue
        print(res.summary())
        rejected += res.rejected
    return 3 if failed else 2 if refused else 1 if rejected else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["verify-certificates"], ["certificate-keys"]):
        from etl.certificates_cli import certificates_main  # no database: a pure tool

        return certificates_main(argv)
    args = _parser().parse_args(argv)
    from data.db import make_engine
    from data.migrate import upgrade
    from etl.priority import lower_priority

    settings = load_settings()
    engine = make_engine(settings)
    upgrade(engine)
    if args.command == "migrate":
        print("schema up to date")
        return 0
    if args.command == "load":
        if args.rejects and len(args.files) > 1:
            print("--rejects takes one input file", file=sys.stderr)
            return 2
        lower_priority(settings.etl_nice)
        return load_files(settings, engine, args.kind, args.files, args.rejects,
                          args.lang or settings.reject_lang, args.encoding)
    if args.command == "create-admin":
        from etl.accounts_cli import create_admin

        return create_admin(engine, args.username, args.name, args.password_stdin)
    if args.command == "simulate":
        from etl.simulate import simulate

        simulate(engine, settings.timezone, rate=args.rate, minutes=args.minutes,
                 doses=args.doses, seed=args.seed, facilities=args.facilities,
                 settings=settings)
        return 0
    if args.command == "unlock":
        from etl.accounts_cli import unlock_user

        return unlock_user(engine, args.username)
    if args.command == "export":
        from etl.stock_export_cli import export_stock

        return export_stock(engine, settings.timezone, args.at, args.province, args.out)
    from etl.demo_cli import run_demo

    return run_demo(settings, engine, args.scale, args.seed, args.out, args.if_empty)


if __name__ == "__main__":
    sys.exit(main())
