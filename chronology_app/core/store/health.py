"""Is a workspace file damaged, and which backup would bring it back?

SQLCipher authenticates every page with an HMAC; `PRAGMA cipher_integrity_check` checks them
all, and SQLite's `PRAGMA integrity_check` checks the database's own structure. Together they
read the whole file, so they run when asked (`audit verify`) and after a database error, not on
every open (they would cost the start-up budget on a large workspace).

A damaged first page looks exactly like a wrong passphrase (the key is checked against it). So
when a passphrase does not open a workspace but does open one of its backups, the file may be
damaged rather than the passphrase wrong, and the message says so.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from chronology_app.core.errors import WorkspaceError, WrongPassphrase
from chronology_app.core.store import backup as copies

log = logging.getLogger(__name__)

MAX_REPORTED = 5  # problems named in a message; the rest are counted


class WorkspaceDamaged(WorkspaceError):
    """The workspace file is damaged (some of its bytes were changed or lost)."""


def integrity_problems(connection: Any) -> list[str]:
    """What SQLCipher's page authentication and SQLite's structure check find wrong with the
    database behind a keyed connection (an empty list: sound)."""
    problems: list[str] = []
    try:
        problems += [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher.Error as err:
        problems.append(str(err))
    try:
        rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    except sqlcipher.Error as err:
        rows = [str(err)]
    problems += [row for row in rows if row != "ok"]
    return problems


def newest_backup_that_opens(workspace: Path, passphrase: str) -> Path | None:
    """The newest backup in the workspace's folder that opens with `passphrase` and is sound."""
    try:
        found = copies.list_backups(workspace)
    except WorkspaceError:
        return None
    for candidate in reversed(found):
        try:
            copies.check(candidate.path, passphrase)
        except WorkspaceError:
            continue
        return candidate.path
    return None


def restore_advice(workspace: Path, passphrase: str) -> str:
    """One sentence naming the newest backup to restore from, or saying there is none."""
    newest = newest_backup_that_opens(workspace, passphrase)
    if newest is None:
        return (
            "No backup in its backups folder opens with this passphrase; look for a copy "
            "made elsewhere (chronology backup -o) and keep this file as it is."
        )
    return (
        f"The newest backup that opens is {newest}: restore it with "
        f'chronology restore "{newest}" "{workspace}" --replace '
        "(the damaged file is kept in the backups folder)."
    )


def damaged(workspace: Path, passphrase: str, problems: list[str]) -> WorkspaceDamaged:
    shown = "; ".join(problems[:MAX_REPORTED])
    more = len(problems) - MAX_REPORTED
    if more > 0:
        shown += f"; and {more} more"
    log.warning("the workspace file is damaged (%d problems)", len(problems))
    return WorkspaceDamaged(
        f"{workspace.name} is damaged: part of the file was changed or lost outside Chronology "
        f"({shown}). Nothing more was written to it. {restore_advice(workspace, passphrase)}"
    )


def check_file(workspace: Path, passphrase: str) -> WorkspaceError | None:
    """Run both checks on the workspace file; the error to raise if it is damaged."""
    from chronology_app.core.store.engine import connect

    try:
        connection = connect(workspace, passphrase)
    except WrongPassphrase:
        return wrong_or_damaged(workspace, passphrase)
    except WorkspaceError as err:
        return damaged(workspace, passphrase, [str(err)])
    try:
        problems = integrity_problems(connection)
    finally:
        connection.close()
    return damaged(workspace, passphrase, problems) if problems else None


def wrong_or_damaged(workspace: Path, passphrase: str) -> WrongPassphrase | WorkspaceDamaged:
    """The passphrase did not open the workspace. If it opens one of its backups, the file's
    first page may be damaged (it looks the same as a wrong key)."""
    newest = newest_backup_that_opens(workspace, passphrase)
    if newest is None:
        return WrongPassphrase(
            f"The passphrase does not open {workspace.name} (or it is not a Chronology "
            "workspace). Check the passphrase and try again."
        )
    log.warning("the passphrase opens a backup but not the workspace")
    return WorkspaceDamaged(
        f"The passphrase does not open {workspace.name}, but it does open its backup "
        f"{newest.name}: the workspace file may be damaged (or its passphrase was changed "
        f"since that backup). {restore_advice(workspace, passphrase)}"
    )


def empty_file(workspace: Path, passphrase: str) -> WorkspaceDamaged:
    log.warning("refused an empty workspace file")
    return WorkspaceDamaged(
        f"{workspace} is empty (0 bytes): it is not a workspace any more, and Chronology will "
        f"not make a new one in its place. {restore_advice(workspace, passphrase)}"
    )


def is_disk_full(err: BaseException) -> bool:
    if isinstance(err, OSError):
        return err.errno == errno.ENOSPC
    return "database or disk is full" in str(err) or "disk is full" in str(err)
