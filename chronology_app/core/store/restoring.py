"""Restoring a backup in place of a workspace, so that nothing is lost whatever fails.

The backup is proven to open with the passphrase, and the disk to have room for it, before
anything is touched. A workspace already at the path is replaced only when asked, is itself
kept in the backup folder first (or, if it will not open, moved there whole), and stays at its
path until the restored copy replaces it in one step; if a step fails it is put back, and the
message says where everything is. The anchor this computer keeps moves to the backup's trail.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3.dbapi2 as sqlcipher

from chronology_app.core import anchors
from chronology_app.core.errors import BackupError, WorkspaceError
from chronology_app.core.store import backup as copies
from chronology_app.core.store.engine import connect
from chronology_app.core.store.lock import OpenLock

if TYPE_CHECKING:
    from chronology_app.core.store.workspace import Workspace

log = logging.getLogger(__name__)

SPACE_MARGIN = 16 * 2**20  # what a restore wants free beyond the backup's own size


def restore(
    workspace_class: type[Workspace],
    source: str | os.PathLike[str],
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    replace: bool,
    schema_revision: str,
    state_of: Any,
) -> tuple[Workspace, Path | None]:
    """See `Workspace.restore`."""
    backup_file, typed = Path(source), Path(path)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file}: no backup there.")
    revision = copies.check(backup_file, passphrase)
    if revision > schema_revision:  # revisions are zero-padded numbers
        raise WorkspaceError(
            f"{backup_file.name} was made by a newer version of Chronology "
            f"(schema {revision}); install that version to restore it."
        )
    if typed.exists() and not replace:
        raise BackupError(
            f"{typed} is already there. Restore to a new name, or give --replace to put "
            "the backup in its place (the workspace there now is kept in its backups)."
        )
    if not typed.parent.is_dir():
        raise WorkspaceError(f"{typed.parent}: no such folder.")
    target = typed.resolve() if typed.exists() else typed.parent.resolve() / typed.name
    _check_room(backup_file, target)
    kept = None
    with OpenLock.held(target) as lock:
        if target.exists():
            kept = _keep_before_replacing(target, passphrase, state_of)
        # The anchor moves to the backup's trail first: a restore killed after the copy
        # then raises no false alarm of a shortened trail on the next opening.
        _anchor_to(backup_file, passphrase)
        try:
            copies.copy_into_place(backup_file, target)
        except BackupError as err:
            raise _put_back(err, kept, target) from None
        lock.release()
    log.info("restored a workspace from a backup")
    workspace = workspace_class.open(target, passphrase, backup_on_open=False)
    workspace.accept_trail()  # the restored trail is now the one this computer expects
    return workspace, kept


def _anchor_to(backup_file: Path, passphrase: str) -> None:
    connection = connect(backup_file, passphrase, wal=False)
    try:
        identity = connection.execute(
            "SELECT value FROM workspace_meta WHERE key = 'workspace_id'"
        ).fetchone()
        head = connection.execute(
            "SELECT hash, (SELECT count(*) FROM audit_record) FROM audit_record "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlcipher.Error:
        return  # an older schema without an id: the anchor is set after opening
    finally:
        connection.close()
    if identity and head:
        anchors.remember(json.loads(identity[0]), anchors.Anchor(str(head[0]), int(head[1])))


def _check_room(backup_file: Path, target: Path) -> None:
    """A restore needs room for the restored copy (and, when replacing, for a backup of the
    workspace it replaces) before it starts."""
    needed = backup_file.stat().st_size + SPACE_MARGIN
    if target.exists():
        needed += target.stat().st_size
    try:
        free = shutil.disk_usage(target.parent).free
    except OSError:
        return  # the copy itself will say what went wrong
    if free < needed:
        raise BackupError(
            f"There is not enough free space beside {target} to restore {backup_file.name} "
            f"({needed // 2**20 + 1} MiB needed, {free // 2**20} MiB free). Nothing was "
            "changed; free some space and try again."
        )


def _put_back(err: BackupError, kept: Path | None, target: Path) -> BackupError:
    """The restore failed after the workspace there was kept: say where everything is."""
    if kept is None:
        return BackupError(f"{err} Nothing was changed.")
    if not target.exists():
        # It was moved aside whole (it would not open): bring it back.
        try:
            copies.move_back(kept, target)
        except OSError:
            return BackupError(
                f"{err} The workspace that was at {target} is kept as {kept}; copy it back "
                "there, or restore again when there is room."
            )
        return BackupError(f"{err} The workspace at {target} was put back as it was.")
    return BackupError(
        f"{err} The workspace at {target} was left as it was; a backup of it was also kept "
        f"as {kept}."
    )


def _keep_before_replacing(target: Path, passphrase: str, state_of: Any) -> Path:
    """A backup of the workspace about to be replaced; one that will not open with the
    passphrase (it may be damaged: that is why it is being replaced) is moved aside whole."""
    try:
        connection = connect(target, passphrase)
    except WorkspaceError:
        return copies.move_aside(target)
    try:
        state = state_of(connection)
        kept = copies.take(connection, target, passphrase, "replaced", state)
    finally:
        connection.close()
    # The file stays where it is until the restored copy replaces it in one step.
    return kept
