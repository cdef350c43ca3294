"""`chronology`: the command-line front end over the same service the desktop app uses.

Errors go to stderr as one clear message with a non-zero exit; never a traceback (unless
`--debug`). The passphrase comes from CHRONOLOGY_PASSPHRASE or a prompt, never an argument,
so it does not land in shell history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from chronology_app import __version__, resources
from chronology_app.core import casefile
from chronology_app.core.errors import ChronologyError, InvalidCaseFile, WorkspaceError
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace

log = logging.getLogger("chronology_app.cli")

PASSPHRASE_ENV = "CHRONOLOGY_PASSPHRASE"
USER_ENV = "CHRONOLOGY_USER"
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Context:
    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err

    def user(self) -> str:
        return str(self.args.user or os.environ.get(USER_ENV) or getpass.getuser())

    def passphrase(self, *, confirm: bool = False) -> str:
        value = os.environ.get(PASSPHRASE_ENV)
        if value:
            return value
        if not sys.stdin.isatty():
            raise WorkspaceError(
                f"No passphrase: set {PASSPHRASE_ENV} or run the command in a terminal."
            )
        first = getpass.getpass("Workspace passphrase: ")
        if confirm and getpass.getpass("Type it again: ") != first:
            raise WorkspaceError("The two passphrases differ; nothing was created.")
        return first

    def open_service(self, path: str) -> Service:
        return Service(Workspace.open(path, self.passphrase()), self.user())


def _init(ctx: _Context) -> int:
    workspace = Workspace.create(ctx.args.workspace, ctx.passphrase(confirm=True))
    workspace.close()
    print(f"Created the workspace {ctx.args.workspace}.", file=ctx.out)
    return 0


def _import(ctx: _Context) -> int:
    document = casefile.read(ctx.args.file)
    service = ctx.open_service(ctx.args.workspace)
    try:
        result = service.import_case(document, Path(ctx.args.file).name)
    finally:
        service.workspace.close()
    count = len(document["entries"])
    print(f"Imported {result.case_reference}: {count} entries.", file=ctx.out)
    return 0


def _export(ctx: _Context) -> int:
    service = ctx.open_service(ctx.args.workspace)
    try:
        document = service.document(ctx.args.reference)
    finally:
        service.workspace.close()
    casefile.write(document, ctx.args.output)
    print(
        f"Exported {ctx.args.reference} to {ctx.args.output}. "
        "This file is NOT encrypted: keep it on protected storage and delete it when done.",
        file=ctx.err,
    )
    return 0


def _cases(ctx: _Context) -> int:
    service = ctx.open_service(ctx.args.workspace)
    try:
        summaries = service.cases()
    finally:
        service.workspace.close()
    if not summaries:
        print("No cases in this workspace yet.", file=ctx.out)
    for case in summaries:
        where = f", {case.local_authority}" if case.local_authority else ""
        print(
            f"{case.reference:<16} {case.title}{where} ({case.status}): "
            f"{case.entries} entries, {case.persons} persons",
            file=ctx.out,
        )
    return 0


def _validate(ctx: _Context) -> int:
    try:
        document = casefile.read(ctx.args.file)
    except InvalidCaseFile as err:
        print(f"{ctx.args.file}: invalid", file=ctx.out)
        for problem in err.problems:
            print(problem, file=ctx.out)
        return EXIT_ERROR
    entries = len(document["entries"])
    print(f"{ctx.args.file}: valid ({entries} entries)", file=ctx.out)
    return 0


def _flags(ctx: _Context) -> int:
    from chronology_app.core.records import case_data
    from chronology_app.core.rules.engine import analyse, flags_as_json

    data = case_data(casefile.read(ctx.args.file))
    flags = analyse(data)
    if ctx.args.json:
        print(json.dumps(flags_as_json(flags, data), ensure_ascii=False, indent=2), file=ctx.out)
        return 0
    if not flags:
        print("No flags raised.", file=ctx.out)
    for flag in flags:
        print(f"[{flag.severity}] {flag.title}\n  {flag.explanation}\n", file=ctx.out)
    return 0


def _report(ctx: _Context) -> int:
    casefile.read(ctx.args.file)
    raise ChronologyError("PDF reports are not available in this version yet.")


def _demo(ctx: _Context) -> int:
    target = Path(ctx.args.workspace)
    workspace = Workspace.create(target, ctx.passphrase(confirm=True))
    service = Service(workspace, ctx.user())
    try:
        for path in resources.demo_case_files():
            service.import_case(casefile.read(path), path.name)
        summaries = service.cases()
    finally:
        workspace.close()
    print(f"Created the demo workspace {target} with {len(summaries)} cases:", file=ctx.out)
    for case in summaries:
        print(f"  {case.reference}  {case.title} ({case.entries} entries)", file=ctx.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chronology",
        description="Domestic-abuse risk chronologies for children's social work.",
        epilog=f"The passphrase is read from {PASSPHRASE_ENV} or asked for.",
    )
    parser.add_argument("--version", action="version", version=f"chronology {__version__}")
    parser.add_argument("--user", help=f"your name for the audit trail (default: ${USER_ENV})")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what is done (no content)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, handler: Callable[[_Context], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", _init, "create a new, empty, encrypted workspace").add_argument("workspace")
    sub = command("import", _import, "import a case file into a workspace")
    sub.add_argument("workspace")
    sub.add_argument("file")
    sub = command("export", _export, "export a case from a workspace as a case file")
    sub.add_argument("workspace")
    sub.add_argument("reference")
    sub.add_argument("-o", "--output", required=True, help="the case file to write")
    command("cases", _cases, "list the cases in a workspace").add_argument("workspace")
    command("validate", _validate, "check a case file against the format").add_argument("file")
    sub = command("flags", _flags, "list the patterns found in a case file")
    sub.add_argument("file")
    sub.add_argument("--json", action="store_true", help="print the flags as JSON")
    sub = command("report", _report, "print a case file's chronology to PDF")
    sub.add_argument("file")
    sub.add_argument("-o", "--output", required=True)
    sub.add_argument("--audience", choices=("internal", "conference", "review"), default="internal")
    command("demo", _demo, "create a demo workspace with fictional families").add_argument(
        "workspace"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=err,
    )
    try:
        return int(args.handler(_Context(args, out, err)))
    except ChronologyError as error:
        print(f"chronology: {error}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("chronology: interrupted; nothing half-written was kept.", file=err)
        return 130
    except Exception as error:  # a bug: say so without case content
        if args.debug:
            raise
        log.error("internal error in %s: %s", args.command, type(error).__name__)
        print(
            f"chronology: internal error ({type(error).__name__}); run with --debug for details.",
            file=err,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
