"""What every `chronology` command shares: its arguments, output streams, passphrase and user.

Light on purpose: every command imports this module, so it imports nothing heavy (no
database layer); the workspace and the service are imported when a command opens one.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from chronology_app.core.errors import WorkspaceError

if TYPE_CHECKING:
    from chronology_app.core.service import Service
    from chronology_app.core.settings import Settings

PASSPHRASE_ENV = "CHRONOLOGY_PASSPHRASE"
USER_ENV = "CHRONOLOGY_USER"
EXIT_ERROR = 1

# command(name, handler, help text) -> the subcommand's parser, to add its arguments to.
Register = Callable[[str, Callable[["CliContext"], int], str], argparse.ArgumentParser]


class CliContext:
    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err

    def user(self) -> str:
        """Who is working: `--user`, else $CHRONOLOGY_USER, else the name set once for this
        computer login (the app's "Who is working", `core/profile.py`), else the login name.
        On a team server the database's sign-in wins over all of these (`Service`)."""
        from chronology_app.core.profile import login_name, stored_name

        return str(self.args.user or os.environ.get(USER_ENV) or stored_name() or login_name())

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

    @contextlib.contextmanager
    def service(
        self, path: str, settings: Settings | None = None, *, backup_on_open: bool = True
    ) -> Iterator[Service]:
        """The workspace at `path`, opened for the length of one command and closed after.
        Commands that only look pass `backup_on_open=False`: nothing will change."""
        # `settings` (from --settings) override the workspace's own for this command.
        from chronology_app.core.service import Service
        from chronology_app.core.store.location import is_server

        if is_server(path):  # signed in the way libpq finds, or with a password asked for
            service = Service(open_server(path), self.user(), settings)
        else:
            service = Service.open(
                path,
                self.passphrase(),
                self.user(),
                settings=settings,
                backup_on_open=backup_on_open,
            )
        try:
            self.show_notes(service.workspace)
            yield service
        finally:
            service.close()

    def show_notes(self, workspace: Any) -> None:
        """What opening found that the user must know, in words, on stderr: a backup that
        could not be made, an audit trail shorter than this computer last saw, a passphrase
        change left unfinished (a team server keeps none of these on the laptop)."""
        notes = getattr(workspace, "notes", None)
        for note in notes() if notes is not None else ():
            print(f"chronology: warning: {note}", file=self.err)


def open_server(url: str) -> Any:
    """A team server, signed in the way libpq finds (PGPASSWORD, ~/.pgpass, a certificate),
    or with a password typed at the terminal when the server asks for one."""
    from chronology_app.core.store.server import ServerWorkspace

    try:
        return ServerWorkspace.open(url)
    except WorkspaceError as err:
        if "no password supplied" not in str(err) or not sys.stdin.isatty():
            raise
    return ServerWorkspace.open(url, getpass.getpass("Database password: "))


def file_only(location: str, what: str) -> None:
    """Refuse, with the reason, a command that only a workspace file has."""
    from chronology_app.core.store.location import is_server

    if is_server(location):
        raise WorkspaceError(
            f"{what} is for a workspace file; a team server is looked after by the authority's "
            "database administrator with PostgreSQL's own tools (see docs/team-server.md)."
        )


def is_case_file(path: str) -> bool:
    """A case file (or a case bundle) is JSON text; a workspace is encrypted bytes (as
    `chronology flags` tells them apart: core/files.py `is_json_text`)."""
    from chronology_app.core.files import is_json_text

    try:
        with open(path, "rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return path.lower().endswith(".json")
    return is_json_text(start) or path.lower().endswith(".json")
