"""`chronology import-table` and `chronology template`: agencies' chronologies in and out.

    chronology import-table WS REF FILE --agency NAME [--sheet NAME | --table N]
        [--columns MAPPING] [--save-columns FILE.json] [--duplicates separate|same-event|leave-out]
        [--dry-run] [--json] [--leave-out-bad-rows]
    chronology template WS REF --agency NAME -o FILE.xlsx|.docx [--force]

Exit status of import-table: 0 imported (with --dry-run: nothing to fix), 1 problems or
undecided possible duplicates remain (nothing written), 2 usage (a bad --columns, a sheet or
table that is not there, no table that looks like a chronology). The readers are imported only
when one of these commands runs, so the CLI starts as fast as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chronology_app.cli_support import CliContext, Register

if TYPE_CHECKING:
    from chronology_app.core.tables_import.plan import Decision, ImportPlan

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def register(command: Register) -> None:
    sub = command(
        "import-table",
        _import_table,
        "take in an agency's chronology from an Excel, Word, OpenDocument or CSV file",
    )
    sub.add_argument("workspace")
    sub.add_argument("reference", help="the case to add the entries to")
    sub.add_argument("file", help=".xlsx, .xlsm, .ods, .docx or .csv")
    sub.add_argument("--agency", required=True, help="the agency the contribution is from")
    which = sub.add_mutually_exclusive_group()
    which.add_argument("--sheet", help="the sheet to read (default: the first chronology)")
    which.add_argument("--table", type=int, help="the Word table to read, counting from 1")
    sub.add_argument(
        "--columns",
        help="our fields mapped to the file's headings, e.g. \"date=When,summary=What happened,"
        'source=Agency", or a mapping saved with --save-columns (a .json file)',
    )
    sub.add_argument("--save-columns", metavar="FILE", help="keep the mapping used, for reuse")
    sub.add_argument(
        "--duplicates",
        choices=("separate", "same-event", "leave-out"),
        help="what to do with rows that may record an entry already in the case",
    )
    sub.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    sub.add_argument("--json", action="store_true", help="print the result as one JSON object")
    sub.add_argument(
        "--leave-out-bad-rows", action="store_true", help="import the other rows; list these"
    )
    sub = command("template", _template, "write the contribution form for one agency")
    sub.add_argument("workspace")
    sub.add_argument("reference")
    sub.add_argument("--agency", required=True, help="the agency the form is for")
    sub.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.docx")
    sub.add_argument("--force", action="store_true", help="replace an earlier form there")


def _mapping(ctx: CliContext) -> dict[str, str] | None:
    from chronology_app.core.tables_import import headings

    text = ctx.args.columns
    if not text:
        return None
    if text.lower().endswith(".json") and "=" not in text:
        return headings.load_mapping(text)
    return headings.parse_mapping(text)


def _import_table(ctx: CliContext) -> int:
    from chronology_app.core.tables_import import headings, plan

    args = ctx.args
    try:
        columns = _mapping(ctx)
    except headings.MappingError as err:
        print(f"chronology: {err}", file=ctx.err)
        return EXIT_USAGE
    with ctx.service(args.workspace, backup_on_open=not args.dry_run) as service:
        document = service.document(args.reference)
        try:
            prepared = plan.prepare(
                args.file,
                document,
                args.agency,
                sheet=args.sheet,
                table=args.table,
                columns=columns,
            )
        except (plan.NoTable, headings.MappingError) as err:
            print(f"chronology: {err}", file=ctx.err)
            return EXIT_USAGE
        if args.save_columns:
            headings.save_mapping(args.save_columns, prepared.mapping())
        decisions: dict[int, Decision] = {}
        if args.duplicates:
            decisions = {pair.row: args.duplicates for pair in prepared.possible_duplicates}
        blocked = _blocked(prepared, decisions, args.leave_out_bad_rows)
        preview: dict[int, Decision] = {p.row: "separate" for p in prepared.possible_duplicates}
        entries, left_out = prepared.accepted({**preview, **decisions}, leave_out_bad_rows=True)
        imported = None
        if not args.dry_run and not blocked and entries:
            action = plan.action_name(args.agency, len(entries))
            imported = service.import_entries(args.reference, entries, action)
    if args.json:
        _print_json(ctx, prepared, entries, left_out, imported is not None)
    else:
        _print_text(ctx, prepared, entries, left_out, imported, blocked)
    return EXIT_PROBLEMS if blocked else 0


def _blocked(prepared: ImportPlan, decisions: dict[int, Decision], leave_out: bool) -> bool:
    if prepared.problems and not leave_out:
        return True
    return any(pair.row not in decisions for pair in prepared.possible_duplicates)


def _print_json(
    ctx: CliContext,
    prepared: ImportPlan,
    entries: list[dict[str, Any]],
    left_out: list[int],
    imported: bool,
) -> None:
    table = prepared.table
    where: dict[str, Any] = {}
    if table.unit == "sheet":
        where["sheet"] = table.name
    elif table.unit == "table":
        where["table"] = int(table.name)
    output = {
        "file": prepared.file,
        **where,
        "columns": prepared.mapping(),
        "imported": imported,
        "entries": entries,
        "problems": [problem.as_json() for problem in prepared.problems],
        "possible_duplicates": [pair.as_json() for pair in prepared.possible_duplicates],
        "person_links": [link.as_json() for link in prepared.person_links],
        "left_out_rows": [row for row in left_out],
        "notes": sum(1 for entry in entries if entry["kind"] == "note"),
        "warnings": prepared.warnings,
    }
    print(json.dumps(output, ensure_ascii=False, indent=2), file=ctx.out)


def _print_text(
    ctx: CliContext,
    prepared: ImportPlan,
    entries: list[dict[str, Any]],
    left_out: list[int],
    imported: Any,
    blocked: bool,
) -> None:
    out = ctx.out
    for warning in prepared.warnings:
        print(f"Note: {warning}", file=out)
    mapped = ", ".join(f"{name} = {heading!r}" for name, heading in prepared.mapping().items())
    where = f"{prepared.file}, {prepared.table.label}" if prepared.table.label else prepared.file
    print(f"Read {where}: {mapped}.", file=out)
    for problem in prepared.problems:
        print(problem.message, file=out)
    for pair in prepared.possible_duplicates:
        print(f"Row {pair.row} may record entry {pair.entry}: {pair.why}.", file=out)
    for link in prepared.person_links:
        print(f"Row {link.row} may name person {link.person} ({link.why}).", file=out)
    if blocked:
        reasons = []
        if prepared.problems:
            count = len(prepared.problems)
            reasons.append(
                f"{count} {'problem' if count == 1 else 'problems'} (fix them in the file, or "
                "add --leave-out-bad-rows)"
            )
        if prepared.possible_duplicates:
            reasons.append(
                "possible duplicates (say what to do with --duplicates "
                "separate|same-event|leave-out, or decide each in the app)"
            )
        print("Nothing was imported: " + "; ".join(reasons) + ".", file=out)
        return
    if left_out:
        print(f"Left out rows {', '.join(map(str, left_out))}.", file=out)
    if not entries:
        print("Nothing to import: no row of the table became an entry.", file=out)
        return
    notes = sum(1 for entry in entries if entry["kind"] == "note")
    verb = "Would import" if ctx.args.dry_run else "Imported"
    if imported is not None:
        print(f"{imported.action}.", file=out)
    else:
        print(f"{verb} {len(entries)} {'entry' if len(entries) == 1 else 'entries'}.", file=out)
    if notes:
        print(_notes_line(notes, len(entries)), file=out)


def _notes_line(notes: int, count: int) -> str:
    if count == 1:
        return "It is a note: give it a kind in the app."
    if notes == 1:
        return "1 of them is a note: give it a kind in the app."
    return f"{notes} of them are notes: give them a kind in the app."


def _template(ctx: CliContext) -> int:
    from chronology_app.core.tables_import.template import write_template

    with ctx.service(ctx.args.workspace, backup_on_open=False) as service:
        document = service.document(ctx.args.reference)
    write_template(document, ctx.args.agency, Path(ctx.args.output), force=ctx.args.force)
    print(
        f"Wrote the contribution form for {ctx.args.agency} to {ctx.args.output} "
        "(restricted people are not listed).",
        file=ctx.err,
    )
    return 0
