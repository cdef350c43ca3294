"""Data-safety commands: checking the audit trail, an entry's history, backups, passphrases.

    chronology audit verify WS [--anchor FINGERPRINT] [--json]
    chronology history WS REFERENCE ENTRY [--json]
    chronology backup WS [-o FILE] [--list]
    chronology restore BACKUP WS [--replace]
    chronology passphrase WS

New passphrases come from CHRONOLOGY_NEW_PASSPHRASE and a bundle's from
CHRONOLOGY_BUNDLE_PASSPHRASE, or are asked for (twice when new); never from an argument.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chronology_app.cli_support import EXIT_ERROR, PASSPHRASE_ENV, CliContext, Register, file_only
from chronology_app.core.errors import WorkspaceError

if TYPE_CHECKING:
    from chronology_app.core import audit
    from chronology_app.core.service import Service

# The database layer (audit, service, workspace) is imported inside each command, so that
# commands that do not open a workspace start fast.

NEW_PASSPHRASE_ENV = "CHRONOLOGY_NEW_PASSPHRASE"
OLD_PASSPHRASE_ENV = "CHRONOLOGY_OLD_PASSPHRASE"  # finishing an interrupted change
BUNDLE_PASSPHRASE_ENV = "CHRONOLOGY_BUNDLE_PASSPHRASE"
EXIT_TAMPERED = 3  # `audit verify` found the trail altered (1 is any other error)


def secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    """A passphrase from `env`, or typed at a terminal (twice when `confirm`)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise WorkspaceError(f"No passphrase: set {env} or run the command in a terminal.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise WorkspaceError("The two passphrases differ; nothing was changed.")
    return first


def bundle_passphrase(*, confirm: bool) -> str:

    return secret(BUNDLE_PASSPHRASE_ENV, "Bundle passphrase: ", confirm=confirm)


# --- audit verify and history ---------------------------------------------------------------


def _verify(ctx: CliContext) -> int:
    """The chain, the file's pages and structure, the case data against the trail, and the
    trail against the anchor this computer kept (and any given with --anchor)."""
    from chronology_app.core import audit
    from chronology_app.core.store import health
    from chronology_app.core.store.location import is_server
    from chronology_app.core.store.workspace import Workspace

    if is_server(ctx.args.workspace):
        # The server's own chains, and the case data against them, per case the user may see
        # (the pages and the anchor are the server's to keep: docs/team-server.md).
        with (
            ctx.service(ctx.args.workspace, backup_on_open=False) as service,
            service.workspace.reading() as session,
        ):
            report = audit.verify(session, ctx.args.anchor or ())
            data = audit.check_case_data(session)
        name = getattr(service.workspace, "location", ctx.args.workspace)
        return _verify_answer(ctx, name, report, [*report.problems, *data], "", server=True)
    name = Path(ctx.args.workspace).name
    try:
        with ctx.service(ctx.args.workspace, backup_on_open=False) as service:
            workspace = service.workspace
            assert isinstance(workspace, Workspace)  # a file (a server took the branch above)
            damage = workspace.integrity_problems()
            with workspace.reading() as session:
                report = audit.verify(session, ctx.args.anchor or ())
                data = [] if damage else audit.check_case_data(session)
            machine = workspace.anchor_problem()
            problems = [
                *report.problems,
                *(audit.ChainProblem("damaged", (), f"the file is damaged: {d}") for d in damage),
                *data,
                *([audit.ChainProblem("anchor", (), machine)] if machine else []),
            ]
            if ctx.args.accept and machine and not (report.problems or damage or data):
                workspace.accept_trail()
                problems = []
                print(
                    f"{name}: the trail as it is now is taken as this computer's anchor.",
                    file=ctx.out,
                )
            advice = workspace.restore_advice() if damage else ""
    except health.WorkspaceDamaged as err:
        print(f"{name}: {err}", file=ctx.out)
        return EXIT_TAMPERED
    return _verify_answer(ctx, name, report, problems, advice)


def _verify_answer(
    ctx: CliContext,
    name: str,
    report: audit.ChainReport,
    problems: list[Any],
    advice: str,
    *,
    server: bool = False,
) -> int:
    from chronology_app.core import audit

    if ctx.args.json:
        output = {
            "intact": not problems,
            "records": report.records,
            "fingerprint": report.fingerprint,
            "problems": [
                {"kind": p.kind, "records": list(p.records), "message": p.message} for p in problems
            ],
        }
        print(json.dumps(output, indent=2), file=ctx.out)
    elif not problems:
        print(
            f"{name}: the audit trail is intact ({report.records} records), "
            f"{'' if server else 'the file is sound '}and the case data matches the trail. "
            f"Fingerprint of the newest record: {report.fingerprint}",
            file=ctx.out,
        )
        for chain, head in report.heads.items():  # a team server: one chain per case
            shown = chain or "(the workspace as a whole)"
            print(f"  {shown}: fingerprint {head[: audit.FINGERPRINT_LENGTH]}", file=ctx.out)
    else:
        count = len(problems)
        print(
            f"{name}: the workspace was altered outside Chronology "
            f"({count} {'problem' if count == 1 else 'problems'} in {report.records} audit "
            "records):",
            file=ctx.out,
        )
        for problem in problems:
            print(f"  {problem.message}", file=ctx.out)
        if advice:
            print(f"  {advice}", file=ctx.out)
    return 0 if not problems else EXIT_TAMPERED


def _history(ctx: CliContext) -> int:
    with ctx.service(ctx.args.workspace, backup_on_open=False) as service:
        items = service.history(ctx.args.reference, ctx.args.entry)
    if ctx.args.json:
        print(json.dumps([_item_json(item) for item in items], indent=2), file=ctx.out)
        return 0
    number = next((item.number for item in reversed(items) if item.number), None)
    shown = f"E{number:04d} (id {items[0].entry_id})" if number else items[0].entry_id
    print(f"History of entry {shown} in {ctx.args.reference}, oldest first:", file=ctx.out)
    for item in items:
        print(file=ctx.out)
        print(f"{item.at:%Y-%m-%d %H:%M} UTC  {item.who}  {item.action}", file=ctx.out)
        if item.reason:
            print(f"  why: {item.reason}", file=ctx.out)
        print(f"  {item.event}", file=ctx.out)
        for change in item.fields:
            if item.event == "added":
                print(f"    {change.path}: {_value(change.after)}", file=ctx.out)
            else:
                print(
                    f"    {change.path}: {_value(change.before)} → {_value(change.after)}",
                    file=ctx.out,
                )
    return 0


def _value(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _item_json(item: audit.HistoryItem) -> dict[str, Any]:
    return {
        "entry_id": item.entry_id,
        "audit_id": item.audit_id,
        "at": item.at.isoformat(),
        "who": item.who,
        "action": item.action,
        "reason": item.reason,
        "event": item.event,
        "number": item.number,
        "fields": [{"path": f.path, "before": f.before, "after": f.after} for f in item.fields],
    }


# --- backups ----------------------------------------------------------------------------------


def _backup(ctx: CliContext) -> int:
    from chronology_app.core.store.workspace import Workspace

    file_only(ctx.args.workspace, "chronology backup")
    workspace = Workspace.open(ctx.args.workspace, ctx.passphrase(), backup_on_open=False)
    try:
        ctx.show_notes(workspace)
        if ctx.args.list:
            found = workspace.backups()
            if not found:
                print("No backups yet.", file=ctx.out)
            for item in found:
                print(
                    f"{item.taken_at:%Y-%m-%d %H:%M:%S} UTC  {item.label:<28} "
                    f"{item.size // 1024:>8} KiB  {item.path}",
                    file=ctx.out,
                )
            return 0
        target = workspace.backup("manual", Path(ctx.args.output) if ctx.args.output else None)
    finally:
        workspace.close()
    print(
        f"Backed up {Path(ctx.args.workspace).name} to {target}. It is encrypted and opens "
        "with the workspace's passphrase.",
        file=ctx.out,
    )
    return 0


def _restore(ctx: CliContext) -> int:
    from chronology_app.core.service import Service
    from chronology_app.core.store.workspace import Workspace

    file_only(ctx.args.workspace, "chronology restore")
    workspace, kept = Workspace.restore(
        ctx.args.backup, ctx.args.workspace, ctx.passphrase(), replace=ctx.args.replace
    )
    try:
        Service(workspace, ctx.user()).record_workspace_event(
            "Restore from backup", Path(ctx.args.backup).name
        )
    finally:
        workspace.close()
    print(f"Restored {ctx.args.workspace} from {ctx.args.backup}.", file=ctx.out)
    if kept is not None:
        print(f"The workspace that was there is kept as {kept}.", file=ctx.out)
    return 0


def _passphrase(ctx: CliContext) -> int:
    from chronology_app.core.service import Service
    from chronology_app.core.store.workspace import Workspace

    file_only(ctx.args.workspace, "chronology passphrase")
    old = secret(PASSPHRASE_ENV, "Current passphrase: ")
    workspace = Workspace.open(ctx.args.workspace, old)
    service = Service(workspace, ctx.user())
    name = Path(ctx.args.workspace).name
    try:
        if workspace.backup_problem:
            print(f"chronology: warning: {workspace.backup_problem}", file=ctx.err)
        if workspace.unfinished_passphrase_change is not None:
            return _finish_change(ctx, service, workspace.unfinished_passphrase_change)
        new = secret(NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
        service.change_passphrase(old, new)
        left = workspace.backups_left
    finally:
        service.workspace.close()
    print(f"Changed the passphrase of {name}.", file=ctx.out)
    count = len(workspace.backups()) - len(left)
    print(
        f"{count} {'backup opens' if count == 1 else 'backups open'} with the new passphrase.",
        file=ctx.out,
    )
    if left:
        print(
            f"{len(left)} {'backup was' if len(left) == 1 else 'backups were'} under yet "
            "another passphrase and left as they are: " + ", ".join(str(p) for p in left),
            file=ctx.out,
        )
    print(
        "Copies made outside Chronology (exports, bundles, copied backups) keep the passphrase "
        "they were made with.",
        file=ctx.out,
    )
    return 0


def _finish_change(ctx: CliContext, service: Service, unfinished: Any) -> int:
    """An earlier change was interrupted: back up, then re-encrypt or (confirmed) remove."""
    from chronology_app.core.store.workspace import Workspace

    workspace = service.workspace
    assert isinstance(workspace, Workspace)  # a passphrase is a workspace file's
    print(unfinished.describe(workspace.path), file=ctx.err)
    earlier = os.environ.get(OLD_PASSPHRASE_ENV)
    if not earlier and not ctx.args.remove_old_backups and sys.stdin.isatty():
        earlier = getpass.getpass(
            "The passphrase before the change (press Enter to remove those backups instead): "
        )
        if not earlier:
            answer = input(
                f"Remove {len(unfinished.backups)} backups under the old passphrase? "
                "Type yes to remove them: "
            )
            if answer.strip().lower() != "yes":
                print("Nothing was changed.", file=ctx.out)
                return EXIT_ERROR
    elif not earlier and not ctx.args.remove_old_backups:
        raise WorkspaceError(
            f"Give the old passphrase in {OLD_PASSPHRASE_ENV}, or --remove-old-backups to "
            "remove the backups under it; nothing was changed."
        )
    finished = workspace.finish_passphrase_change(earlier or None)
    service.record_workspace_event("Finish passphrase change", finished.summary)
    print(finished.describe(), file=ctx.out)
    print(
        "The passphrase was not changed again: run this command once more to change it.",
        file=ctx.out,
    )
    return 0


def register(command: Register) -> None:

    sub = command("audit", _verify, "check the audit trail")
    actions = sub.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="report any audit record edited, inserted or removed outside Chronology",
        description="Check every audit record against the hash chain. Exits 3 if the trail "
        "was altered.",
    )
    verify.set_defaults(handler=_verify)
    verify.add_argument("workspace")
    verify.add_argument(
        "--anchor",
        action="append",
        metavar="FINGERPRINT",
        help="a fingerprint noted earlier (e.g. from a report) that must still be in the trail",
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.add_argument(
        "--accept",
        action="store_true",
        help="when only this computer's anchor disagrees (you replaced the file on purpose), "
        "take the trail as it is now as the anchor",
    )

    sub = command("history", _history, "who changed an entry, when, why and what")
    sub.add_argument("workspace")
    sub.add_argument("reference", help="the case reference")
    sub.add_argument("entry", help="the entry's id, or its number such as E0042")
    sub.add_argument("--json", action="store_true", help="print the history as JSON")

    sub = command("backup", _backup, "make an encrypted backup of a workspace now")
    sub.add_argument("workspace")
    sub.add_argument("-o", "--output", help="where to write it (default: the backups folder)")
    sub.add_argument("--list", action="store_true", help="list the workspace's backups instead")

    sub = command("restore", _restore, "put a backup in place as a workspace")
    sub.add_argument("backup", help="the backup file")
    sub.add_argument("workspace", help="the workspace to restore to")
    sub.add_argument(
        "--replace",
        action="store_true",
        help="replace a workspace that is already there (it is kept in its backups folder)",
    )

    sub = command("passphrase", _passphrase, "change a workspace's passphrase (and its backups')")
    sub.add_argument("workspace")
    sub.add_argument(
        "--remove-old-backups",
        action="store_true",
        help="when an earlier change was interrupted: remove the backups still under the old "
        f"passphrase instead of re-encrypting them (the old passphrase: {OLD_PASSPHRASE_ENV})",
    )
