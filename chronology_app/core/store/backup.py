"""Backups of a workspace: encrypted, standalone copies made with SQLite's online backup API.

Backups live in a folder beside the workspace (`family.chronology.backups/`), each a complete
workspace file encrypted with the workspace's passphrase. Their names sort by time:

    2026-11-21T101316.085625Z_opened_3a61335e1f2c.chronology-backup
    (when, in UTC)            (why)  (the state: the newest audit record's hash, 12 digits)

The state lets opening skip a backup when nothing has changed since the newest one, so a run
of openings never pushes the last distinct states out. Backups made on opening roll (only the
newest N are kept); those made before a migration, before a restore or on request are kept
until someone deletes them.

A backup is written under a hidden temporary name, synced, opened again with the passphrase
and checked, and only then given its name: a crash never leaves a half backup that looks whole.
"""

from __future__ import annotations

import datetime
import errno
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from chronology_app.core import clock
from chronology_app.core.errors import BackupError, WrongPassphrase
from chronology_app.core.store.engine import connect, create_private_file, rekey

log = logging.getLogger(__name__)

SUFFIX = ".chronology-backup"
FOLDER_SUFFIX = ".backups"
DEFAULT_KEEP = 10
ROLLING = "opened"  # the label of backups made on opening, the only ones pruned
UNKNOWN_STATE = "unknown"
STATE_DIGITS = 12
_STAMP = "%Y-%m-%dT%H%M%S.%fZ"
_NAME = re.compile(
    r"(?P<stamp>\d{4}-\d{2}-\d{2}T\d{6}\.\d{6}Z)_(?P<label>[a-z0-9-]+)_"
    r"(?P<state>[0-9a-f]{12}|unknown)" + re.escape(SUFFIX)
)
_PARTIAL = ".partial"
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")  # SQLite's files beside a database


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime.datetime
    label: str  # "opened", "manual", "before-migration-from-0002", "replaced"
    state: str  # the newest audit record's hash (first 12 digits) when it was made

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def folder_for(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + FOLDER_SUFFIX)


def list_backups(workspace: Path) -> list[Backup]:
    """The backups in the workspace's backup folder, oldest first."""
    folder = folder_for(workspace)
    found = []
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    except OSError as err:
        raise BackupError(f"{folder}: cannot read the backups ({err.strerror})") from None
    for name in names:
        match = _NAME.fullmatch(name)
        if match:
            taken = datetime.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=datetime.UTC)
            found.append(Backup(folder / name, taken, match["label"], match["state"]))
    return found


def backup_name(label: str, state: str, now: datetime.datetime | None = None) -> str:
    stamp = (now or clock.now_utc()).strftime(_STAMP)
    return f"{stamp}_{label}_{state[:STATE_DIGITS]}{SUFFIX}"


def take(
    source: Any,
    workspace: Path,
    passphrase: str,
    label: str,
    state: str,
    target: Path | None = None,
) -> Path:
    """Copy the database behind the open sqlcipher3 connection `source` into a new backup,
    encrypted with `passphrase`, and prove that it opens. Returns the backup's path."""
    if target is None:
        folder = folder_for(workspace)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as err:
            raise BackupError(f"{folder}: cannot make the backup folder ({err.strerror})") from None
        _remove_leftovers(folder)
        target = folder / backup_name(label, state)
    if target.exists():
        raise BackupError(f"{target}: a file is already there; choose another name.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder.")
    partial = target.with_name("." + target.name + _PARTIAL)
    try:
        create_private_file(partial)
        destination = connect(partial, passphrase, wal=False)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            destination.close()
        _sync(partial)
        check(partial, passphrase)
        os.replace(partial, target)
        _sync(target.parent)
    except (sqlcipher.Error, OSError) as err:
        _discard(partial)
        reason = _reason(err) if isinstance(err, OSError) else str(err)
        if "full" in reason:
            reason = "the disk is full"
        raise BackupError(f"Could not back up {workspace.name}: {reason}.") from None
    except BaseException:
        _discard(partial)
        raise
    log.info("made a backup (%s)", label)
    return target


def check(path: Path, passphrase: str) -> str:
    """Prove that a backup opens with the passphrase and is a sound Chronology workspace.
    Returns its schema revision."""
    try:
        connection = connect(path, passphrase, wal=False)
    except WrongPassphrase:
        raise WrongPassphrase(
            f"The passphrase does not open the backup {path.name} (or it is not a Chronology "
            "backup). Backups open with the passphrase the workspace had when they were made."
        ) from None
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlcipher.Error:
        raise BackupError(f"{path.name} is not a Chronology workspace backup.") from None
    finally:
        connection.close()
    if not verdict or verdict[0] != "ok" or not revision:
        raise BackupError(f"{path.name} is damaged: it cannot be used as a backup.")
    return str(revision[0])


def prune(workspace: Path, keep: int, passphrase: str) -> list[Path]:
    """Remove the oldest automatic backups beyond the newest `keep`; others are left alone.

    The newest backup that opens with `passphrase` is never removed, whatever its age: rolling
    backups of a workspace gone wrong must not push out the last good copy."""
    found = list_backups(workspace)
    rolling = [b for b in found if b.label == ROLLING]
    doomed = rolling[: max(0, len(rolling) - keep)]
    if not doomed:
        return []
    last_good = _newest_that_opens(found, passphrase)
    removed = []
    for old in doomed:
        if old.path == last_good:
            log.info("kept an old backup: it is the newest that opens")
            continue
        try:
            old.path.unlink()
        except OSError as err:
            log.warning("could not remove an old backup (%s)", err.strerror)
            continue
        removed.append(old.path)
    return removed


def _newest_that_opens(found: list[Backup], passphrase: str) -> Path | None:
    for candidate in reversed(found):
        try:
            check(candidate.path, passphrase)
        except (WrongPassphrase, BackupError):
            continue
        return candidate.path
    return None


@dataclass(frozen=True)
class Rekeyed:
    """What re-encrypting the backups did: how many were re-encrypted, and which were left
    under yet another passphrase (they open with neither)."""

    count: int
    left: tuple[Path, ...]


def under_passphrase(workspace: Path, passphrase: str) -> tuple[list[Path], list[Path]]:
    """The backups that open with `passphrase`, and those that do not."""
    opening, other = [], []
    for found in list_backups(workspace):
        try:
            connect(found.path, passphrase, wal=False).close()
        except WrongPassphrase:
            other.append(found.path)
        else:
            opening.append(found.path)
    return opening, other


def rekey_all(workspace: Path, old: str, new: str) -> Rekeyed:
    """Re-encrypt every backup made under `old` with `new`, so that a passphrase given up as
    known leaves no copy it still opens."""
    count = 0
    left = []
    for found in list_backups(workspace):
        try:
            connection = connect(found.path, old, wal=False)
        except WrongPassphrase:
            try:
                connect(found.path, new, wal=False).close()
            except WrongPassphrase:
                log.warning("a backup is under another passphrase; left as it is")
                left.append(found.path)
            continue
        try:
            rekey(connection, new)
        except sqlcipher.Error as err:
            raise BackupError(
                f"Could not re-encrypt the backup {found.path.name}: {err}."
            ) from None
        finally:
            connection.close()
        count += 1
    return Rekeyed(count, tuple(left))


def copy_into_place(backup: Path, target: Path) -> None:
    """Put a copy of a backup at `target` (which must not be open), atomically: until the copy
    is whole and synced, a workspace already at `target` stays there untouched."""
    temporary = target.with_name("." + target.name + ".restoring")
    try:
        _discard(temporary)  # left by a restore that was killed
        create_private_file(temporary)
        with open(backup, "rb") as source, open(temporary, "r+b") as destination:
            shutil.copyfileobj(source, destination, 1024 * 1024)
        _sync(temporary)
        for sidecar in sidecars(target):
            # A write-ahead log left beside the old file would be replayed onto the new one.
            sidecar.unlink(missing_ok=True)
        os.replace(temporary, target)
        _sync(target.parent)
    except OSError as err:
        _discard(temporary)
        raise BackupError(f"Could not restore to {target}: {_reason(err)}.") from None


def _reason(err: OSError) -> str:
    return "the disk is full" if err.errno == errno.ENOSPC else str(err.strerror or err)


def move_back(kept: Path, workspace: Path) -> None:
    """Undo `move_aside`: put a workspace (and its write-ahead log) back where it was."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = kept.with_name(kept.name + suffix)
        if sidecar.exists():
            os.replace(sidecar, workspace.with_name(workspace.name + suffix))
    os.replace(kept, workspace)
    _sync(workspace.parent)


def move_aside(workspace: Path) -> Path:
    """Keep a workspace that cannot be opened (before it is replaced) in its backup folder,
    with its write-ahead log beside it, as it is."""
    folder = folder_for(workspace)
    target = folder / backup_name("replaced", UNKNOWN_STATE)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        for suffix in SIDECAR_SUFFIXES:
            sidecar = workspace.with_name(workspace.name + suffix)
            if sidecar.exists():
                os.replace(sidecar, target.with_name(target.name + suffix))
        os.replace(workspace, target)
        _sync(folder)
    except OSError as err:
        raise BackupError(f"Could not keep {workspace.name} aside: {err.strerror}.") from None
    return target


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]


def _remove_leftovers(folder: Path) -> None:
    """Half-made backups of a process that died while writing one (the workspace is locked
    while a backup is made, so none of these is in progress)."""
    for leftover in folder.glob(f".*{_PARTIAL}*"):
        leftover.unlink(missing_ok=True)


def _discard(path: Path) -> None:
    for leftover in (path, *sidecars(path)):
        leftover.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk (a folder cannot be synced on Windows)."""
    if path.is_dir() and os.name == "nt":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
