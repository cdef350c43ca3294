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
from typing import Any

from chronology_app.cli_support import PASSPHRASE_ENV, CliContext, Register, file_only
from chronology_app.core import audit
from chronology_app.core.errors import WorkspaceError
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace

NEW_PASSPHRASE_ENV = "CHRONOLOGY_NEW_PASSPHRASE"
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
    with (
        ctx.service(ctx.args.workspace, backup_on_open=False) as service,
        service.workspace.reading() as session,
    ):
        report = audit.verify(session, ctx.args.anchor or ())
    name = getattr(service.workspace, "location", Path(ctx.args.workspace).name)
    if ctx.args.json:
        output = {
            "intact": report.intact,
            "records": report.records,
            "fingerprint": report.fingerprint,
            "problems": [
                {"kind": p.kind, "records": list(p.records), "message": p.message}
                for p in report.problems
            ],
        }
        print(json.dumps(output, indent=2), file=ctx.out)
    elif report.intact:
        print(
            f"{name}: the audit trail is intact ({report.records} records). "
            f"Fingerprint of the newest record: {report.fingerprint}",
            file=ctx.out,
        )
        for chain, head in report.heads.items():  # a team server: one chain per case
            shown = chain or "(the workspace as a whole)"
            print(f"  {shown}: fingerprint {head[: audit.FINGERPRINT_LENGTH]}", file=ctx.out)
    else:
        count = len(report.problems)
        print(
            f"{name}: the audit trail was altered outside Chronology "
            f"({count} {'problem' if count == 1 else 'problems'} in {report.records} records):",
            file=ctx.out,
        )
        for problem in report.problems:
            print(f"  {problem.message}", file=ctx.out)
    return 0 if report.intact else EXIT_TAMPERED


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
    file_only(ctx.args.workspace, "chronology backup")
    workspace = Workspace.open(ctx.args.workspace, ctx.passphrase(), backup_on_open=False)
    try:
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
    file_only(ctx.args.workspace, "chronology passphrase")
    old = secret(PASSPHRASE_ENV, "Current passphrase: ")
    service = Service(Workspace.open(ctx.args.workspace, old), ctx.user())
    try:
        new = secret(NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
        service.change_passphrase(old, new)
    finally:
        service.workspace.close()
    print(
        f"Changed the passphrase of {Path(ctx.args.workspace).name}; its backups open with the "
        "new one too. Copies made outside Chronology (exports, bundles, copied backups) keep "
        "the passphrase they were made with.",
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
