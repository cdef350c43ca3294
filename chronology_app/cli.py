"""`chronology`: the command-line front end over the same service the desktop app uses.

Errors go to stderr as one clear message with a non-zero exit; never a traceback (unless
`--debug`). The passphrase comes from CHRONOLOGY_PASSPHRASE or a prompt, never an argument,
so it does not land in shell history or the process list.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from chronology_app import __version__, cli_import, cli_reports, cli_safety, cli_server
from chronology_app.cli_safety import BUNDLE_PASSPHRASE_ENV, bundle_passphrase
from chronology_app.cli_support import (
    EXIT_ERROR,
    PASSPHRASE_ENV,
    USER_ENV,
    CliContext,
    file_only,
    is_case_file,
    open_server,
)
from chronology_app.core.errors import ChronologyError, InvalidCaseFile
from chronology_app.core.hardening import harden_process

if TYPE_CHECKING:
    from chronology_app.core.crosscase import PersonRef

# Each command imports what it uses, inside its function: `--version` imports none of the core,
# and `validate` and `flags` on a case file never import the database layer (tests/test_cli_
# start.py checks this).

log = logging.getLogger("chronology_app.cli")


def _init(ctx: CliContext) -> int:
    from chronology_app.core.store.engine import check_new_passphrase
    from chronology_app.core.store.workspace import Workspace

    file_only(ctx.args.workspace, "chronology init (use `chronology server init` for a server)")
    passphrase = ctx.passphrase(confirm=True)
    check_new_passphrase(passphrase)  # as the app asks: real case data is kept under it
    workspace = Workspace.create(ctx.args.workspace, passphrase)
    workspace.close()
    print(f"Created the workspace {ctx.args.workspace}.", file=ctx.out)
    return 0


def _import(ctx: CliContext) -> int:
    from chronology_app.core import bundle

    # A case file or an encrypted case bundle: the file says which.
    document = bundle.read_case(ctx.args.file, lambda: bundle_passphrase(confirm=False))
    with ctx.service(ctx.args.workspace) as service:
        result = service.import_case(document, Path(ctx.args.file).name)
    count = len(document["entries"])
    print(f"Imported {result.case_reference}: {count} entries.", file=ctx.out)
    return 0


def _export(ctx: CliContext) -> int:
    from chronology_app.core import bundle, casefile
    from chronology_app.core.service import Service
    from chronology_app.core.store.location import is_server
    from chronology_app.core.store.workspace import Workspace

    server = is_server(ctx.args.workspace)
    workspace_passphrase = "" if server else ctx.passphrase()  # a bundle's must differ from it
    workspace = (
        open_server(ctx.args.workspace)
        if server
        else Workspace.open(ctx.args.workspace, workspace_passphrase)
    )
    service = Service(workspace, ctx.user())
    try:
        document = service.document(ctx.args.reference)
    finally:
        service.workspace.close()
    if ctx.args.bundle:
        passphrase = bundle_passphrase(confirm=True)
        if passphrase == workspace_passphrase:
            raise ChronologyError(
                "Choose a bundle passphrase different from the workspace's: the bundle's is "
                "given to whoever receives the case. Nothing was exported."
            )
        bundle.write(document, ctx.args.output, passphrase, force=ctx.args.force)
        print(
            f"Exported {ctx.args.reference} to {ctx.args.output}, encrypted. Send the "
            "passphrase separately (by phone, not in the same email).",
            file=ctx.err,
        )
        return 0
    casefile.write(document, ctx.args.output, force=ctx.args.force)
    print(
        f"Exported {ctx.args.reference} to {ctx.args.output}. "
        "This file is NOT encrypted: keep it on protected storage and delete it when done. "
        "To send a case, export an encrypted bundle instead (--bundle).",
        file=ctx.err,
    )
    return 0


def _cases(ctx: CliContext) -> int:
    with ctx.service(ctx.args.workspace) as service:
        summaries = service.cases()
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


def _validate(ctx: CliContext) -> int:
    from chronology_app.core import casefile

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


def _flags(ctx: CliContext) -> int:
    from chronology_app.core import casefile
    from chronology_app.core.analysis import Analysis, analyse_case, analysis_as_json
    from chronology_app.core.records import case_data
    from chronology_app.core.reports import flag_report
    from chronology_app.core.settings import Settings, load_settings

    # --settings overrides the authority's settings for this command only.
    settings = load_settings(ctx.args.settings) if ctx.args.settings else None
    if ctx.args.answered and not ctx.args.json:
        raise ChronologyError("--answered goes with --json.")
    results: dict[str, Analysis]
    if is_case_file(ctx.args.source):
        if ctx.args.reference:
            raise ChronologyError("A case file holds one case: give no reference with it.")
        data = case_data(casefile.read(ctx.args.source))
        # A case file on its own is analysed as of its latest entry (spec: "As of when").
        results = {data.case.reference: analyse_case(data, settings or Settings(), as_of=None)}
    else:
        with ctx.service(ctx.args.source, settings) as service:
            refs = (
                [ctx.args.reference]
                if ctx.args.reference
                else [c.reference for c in service.cases()]
            )
            results = {ref: service.analysis(ref) for ref in refs}
    if ctx.args.json:
        # One case (a file, or a workspace and a reference): the spec's list (with --answered,
        # {"flags": [...], "answered": [...]}). A whole workspace: an object keyed by case
        # reference, however many cases it holds.
        output: object
        if is_case_file(ctx.args.source) or ctx.args.reference:
            output = analysis_as_json(next(iter(results.values())), answered=ctx.args.answered)
        else:
            output = {
                ref: analysis_as_json(analysis, answered=ctx.args.answered)
                for ref, analysis in results.items()
            }
        print(json.dumps(output, ensure_ascii=False, indent=2), file=ctx.out)
        return 0
    for analysis in results.values():
        print(flag_report.render(analysis.case, analysis.flags), file=ctx.out)
    return 0


def _matches(ctx: CliContext) -> int:
    with ctx.service(ctx.args.workspace) as service:
        suggestions = service.match_suggestions()
    if not suggestions:
        print("No possible same-person matches to decide on.", file=ctx.out)
    for s in suggestions:
        print(f"{s.first} ({s.first_name})  ~  {s.second} ({s.second_name}): {s.why}", file=ctx.out)
    return 0


def _match(ctx: CliContext) -> int:
    first, second = (_person_ref(text) for text in (ctx.args.first, ctx.args.second))
    with ctx.service(ctx.args.workspace) as service:
        result = service.decide_match(first, second, ctx.args.decision, ctx.args.reason)
    print(f"{result.action}: {first} and {second}.", file=ctx.out)
    return 0


def _person_ref(text: str) -> PersonRef:
    from chronology_app.core.crosscase import PersonRef

    reference, _, person = text.rpartition("/")
    if not reference or not person:
        raise ChronologyError(f'"{text}" is not a person: write CASE-REFERENCE/PERSON-ID.')
    return PersonRef(reference, person)


def _settings(ctx: CliContext) -> int:
    """Show the authority's settings kept in the workspace, or replace them from a file."""
    from chronology_app.core.settings import load_settings, settings_document

    if ctx.args.load:
        new = load_settings(ctx.args.load)  # refused with its paths when not valid
        raw = json.loads(Path(ctx.args.load).read_text(encoding="utf-8-sig"))
        with ctx.service(ctx.args.workspace, backup_on_open=False) as service:
            result = service.set_authority_settings(raw)
        changed = ", ".join(sorted(new.rules)) or "no rule parameters"
        print(f"{result.action} (rules set: {changed}).", file=ctx.out)
        return 0
    with ctx.service(ctx.args.workspace, backup_on_open=False) as service:
        shown = settings_document(service.settings)
    print(json.dumps(shown, ensure_ascii=False, indent=2), file=ctx.out)
    return 0


def _demo(ctx: CliContext) -> int:
    from chronology_app import resources
    from chronology_app.core import casefile
    from chronology_app.core.service import Service
    from chronology_app.core.store.engine import check_new_passphrase
    from chronology_app.core.store.workspace import Workspace

    file_only(ctx.args.workspace, "chronology demo")
    target = Path(ctx.args.workspace)
    passphrase = ctx.passphrase(confirm=True)
    check_new_passphrase(passphrase)  # the same policy as init: a demo may end up holding cases
    workspace = Workspace.create(target, passphrase)
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
    parser.add_argument(
        "--user",
        help=(
            f"your name for the audit trail (default: ${USER_ENV}, else the name set in the "
            "app's Who is working, else your login name)"
        ),
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what is done (no content)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, handler: Callable[[CliContext], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", _init, "create a new, empty, encrypted workspace").add_argument("workspace")
    sub = command("import", _import, "import a case file or case bundle into a workspace")
    sub.add_argument("workspace")
    sub.add_argument("file", help=f"a case file, or a bundle (passphrase: {BUNDLE_PASSPHRASE_ENV})")
    sub = command("export", _export, "export a case from a workspace as a case file")
    sub.add_argument("workspace")
    sub.add_argument("reference")
    sub.add_argument("-o", "--output", required=True, help="the case file to write")
    sub.add_argument("--force", action="store_true", help="replace an earlier case file there")
    sub.add_argument(
        "--bundle",
        action="store_true",
        help=f"write an encrypted case bundle (passphrase: {BUNDLE_PASSPHRASE_ENV} or asked)",
    )
    command("cases", _cases, "list the cases in a workspace").add_argument("workspace")
    command("validate", _validate, "check a case file against the format").add_argument("file")
    sub = command("flags", _flags, "list the patterns found in a case file or a workspace")
    sub.add_argument("source", help="a case file (.json) or a workspace")
    sub.add_argument("reference", nargs="?", help="one case of the workspace (default: all)")
    sub.add_argument("--json", action="store_true", help="print the flags as JSON")
    sub.add_argument(
        "--answered",
        action="store_true",
        help='with --json: {"flags": [...], "answered": [...]}, what the rules found answered',
    )
    sub.add_argument("--settings", help="an authority's settings file (rule parameters)")
    command(
        "matches", _matches, "list persons in different cases who may be the same person"
    ).add_argument("workspace")
    sub = command("match", _match, "confirm or reject that two persons are the same person")
    sub.add_argument("workspace")
    sub.add_argument("first", help="CASE-REFERENCE/PERSON-ID")
    sub.add_argument("second", help="CASE-REFERENCE/PERSON-ID")
    sub.add_argument("decision", choices=("confirmed", "rejected"))
    sub.add_argument("--reason", help="why (recorded in the audit trail)")
    sub = command(
        "settings", _settings, "show or change the authority's settings kept in a workspace"
    )
    sub.add_argument("workspace")
    sub.add_argument("--load", metavar="FILE", help="replace them with a settings file's")
    cli_reports.register(command)
    cli_safety.register(command)
    cli_import.register(command)
    cli_server.register(command)
    command("demo", _demo, "create a demo workspace with fictional families").add_argument(
        "workspace"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    harden_process()  # no core dumps (decrypted case text), private files: before anything
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
        return int(args.handler(CliContext(args, out, err)))
    except ChronologyError as error:
        print(f"chronology: {error}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("chronology: interrupted; nothing half-written was kept.", file=err)
        return 130
    except BrokenPipeError:
        # The reader went away (`chronology history … | head`): nothing more to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (kept open until exit)
        return 0
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
