"""Team-server commands: setting a server up and offline check-out (which the server holds:
nobody else changes a checked-out case until it is checked in or released).

    chronology server init URL                    (as a database administrator)
    chronology server add-user URL NAME --role practitioner|supervisor --team TEAM [--team ...]
    chronology server allocate URL REF --team TEAM
    chronology server limit URL REF --users NAME,...   (an empty --users "" lifts the limit)
    chronology server release URL REF             (a supervisor or admin: lift a check-out)
    chronology checkout URL REF -o FILE
    chronology checkin URL FILE

Connection settings and credentials follow libpq's conventions (PGHOST, PGUSER, PGPASSWORD,
~/.pgpass, service files). Everything heavy is imported inside the handlers, so the CLI still
starts fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chronology_app.cli_support import CliContext, Register, open_server


def _init(ctx: CliContext) -> int:
    from chronology_app.core.store import server_admin

    revision = server_admin.init(ctx.args.url)
    print(
        f"The team server is set up (schema {revision}): groups chronology_practitioner, "
        "chronology_supervisor and chronology_admin, row-level security forced on every "
        "table. Add people with `chronology server add-user`.",
        file=ctx.out,
    )
    return 0


def _add_user(ctx: CliContext) -> int:
    from chronology_app.core.store import server_admin

    server_admin.add_user(ctx.args.url, ctx.args.name, ctx.args.role, ctx.args.team)
    teams = ", ".join(ctx.args.team)
    print(
        f"{ctx.args.name} is a {ctx.args.role} in {teams}. They sign in as {ctx.args.name}; "
        "set how (a password with psql's \\password, or a certificate) in pg_hba.conf.",
        file=ctx.out,
    )
    return 0


def _allocate(ctx: CliContext) -> int:
    from chronology_app.core.store import server_admin

    server_admin.allocate(ctx.args.url, ctx.args.reference, ctx.args.team)
    print(f"{ctx.args.reference} is allocated to {ctx.args.team}.", file=ctx.out)
    return 0


def _limit(ctx: CliContext) -> int:
    from chronology_app.core.store import server_admin

    users = [name.strip() for name in ctx.args.users.split(",") if name.strip()]
    server_admin.limit(ctx.args.url, ctx.args.reference, users)
    if users:
        print(f"{ctx.args.reference} is seen only by {', '.join(users)}.", file=ctx.out)
    else:
        print(f"{ctx.args.reference} is no longer access-limited.", file=ctx.out)
    return 0


def _release(ctx: CliContext) -> int:
    from chronology_app.core.store import server_admin

    holder = server_admin.release(ctx.args.url, ctx.args.reference)
    if holder is None:
        print(f"{ctx.args.reference} was not checked out; nothing was changed.", file=ctx.out)
    else:
        print(
            f"{ctx.args.reference} is released: it was checked out by {holder}, and the server "
            f"takes changes to it again. {holder}'s check-in will be checked against them "
            "(what clashes is refused and shown).",
            file=ctx.out,
        )
    return 0


def _checkout(ctx: CliContext) -> int:
    from chronology_app.core import checkout
    from chronology_app.core.service import Service
    from chronology_app.core.store.engine import check_new_passphrase

    passphrase = ctx.passphrase(confirm=True)
    check_new_passphrase(passphrase)
    service = Service(open_server(ctx.args.url), ctx.user())
    try:
        checkout.checkout(service, ctx.args.reference, ctx.args.output, passphrase)
    finally:
        service.close()
    print(
        f"Checked {ctx.args.reference} out to {ctx.args.output} (encrypted). Work on it with "
        f"no network, then `chronology checkin URL {Path(ctx.args.output).name}`. Until then "
        "the server refuses others' changes to it.",
        file=ctx.out,
    )
    return 0


def _checkin(ctx: CliContext) -> int:
    from chronology_app.core import checkout
    from chronology_app.core.service import Service

    passphrase = ctx.passphrase()
    service = Service(open_server(ctx.args.url), ctx.user())
    try:
        count = checkout.checkin(service, ctx.args.file, passphrase)
    finally:
        service.close()
    noun = "change" if count == 1 else "changes"
    print(
        f"Checked in {count} {noun}. {ctx.args.file} is marked checked in; delete it when "
        "you no longer need it on this laptop.",
        file=ctx.out,
    )
    return 0


def register(command: Register) -> None:
    sub = command("server", _init, "set up and run a team server (PostgreSQL)")
    actions = sub.add_subparsers(dest="server_action", required=True, metavar="ACTION")

    def action(name: str, handler: object, text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text, description=text)
        parser.set_defaults(handler=handler)
        parser.add_argument("url", help="postgresql://host:port/dbname")
        return parser

    action("init", _init, "create the schema, the groups and the access policies (as a DBA)")
    parser = action("add-user", _add_user, "add a practitioner or supervisor to teams")
    parser.add_argument("name", help="their database user name")
    parser.add_argument("--role", required=True, choices=("practitioner", "supervisor"))
    parser.add_argument("--team", required=True, action="append", help="a team (repeatable)")
    parser = action("allocate", _allocate, "allocate a case to a team")
    parser.add_argument("reference")
    parser.add_argument("--team", required=True)
    parser = action("limit", _limit, "let only the named people see a case")
    parser.add_argument("reference")
    parser.add_argument("--users", required=True, help="NAME,NAME,... (empty: lift the limit)")

    parser = action("release", _release, "lift the hold of a check-out on a case")
    parser.add_argument("reference")

    text = "copy a case from a team server to a file, to work offline"
    sub = command("checkout", _checkout, text)
    sub.add_argument("url", help="postgresql://host:port/dbname")
    sub.add_argument("reference")
    sub.add_argument("-o", "--output", required=True, help="the new workspace file")
    sub = command("checkin", _checkin, "apply a checked-out file's changes to the team server")
    sub.add_argument("url", help="postgresql://host:port/dbname")
    sub.add_argument("file", help="the checked-out workspace file")
