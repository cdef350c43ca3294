"""What every `chronology` command shares: its arguments, output streams, passphrase and user."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from chronology_app.core.errors import WorkspaceError
from chronology_app.core.service import Service
from chronology_app.core.settings import Settings
from chronology_app.core.store.location import is_server
from chronology_app.core.store.workspace import Workspace

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

    @contextlib.contextmanager
    def service(
        self, path: str, settings: Settings | None = None, *, backup_on_open: bool = True
    ) -> Iterator[Service]:
        """The workspace at `path`, opened for the length of one command and closed after.
        Commands that only look pass `backup_on_open=False`: nothing will change."""
        # `settings` (from --settings) override the workspace's own for this command.
        keep = (settings or Settings()).backups_kept
        workspace: Any
        if is_server(path):
            workspace = open_server(path)
        else:
            workspace = Workspace.open(
                path, self.passphrase(), keep_backups=keep, backup_on_open=backup_on_open
            )
        try:
            yield Service(workspace, self.user(), settings)
        finally:
            workspace.close()


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
    if is_server(location):
        raise WorkspaceError(
            f"{what} is for a workspace file; a team server is looked after by the authority's "
            "database administrator with PostgreSQL's own tools (see docs/team-server.md)."
        )


def is_case_file(path: str) -> bool:
    """A case file is JSON text; a workspace is encrypted bytes (as `chronology flags` tells
    them apart)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return path.lower().endswith(".json")
    return start.startswith(b"{") or path.lower().endswith(".json")
