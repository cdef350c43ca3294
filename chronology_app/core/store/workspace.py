"""A workspace: one encrypted file holding every case, opened with a passphrase.

Only one program has a workspace open at a time: opening takes a lock (`family.chronology.lock`,
held while open, released by the system if the program dies), and a second program gets a
clear `WorkspaceLocked`. Opening makes an encrypted backup when anything has changed since the
newest one, and brings the schema up to date with Alembic after a backup of its own, so a failed
migration never costs a workspace. Sessions are short: one per service call.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from chronology_app.core.errors import BackupError, WorkspaceError, WorkspaceLocked, WrongPassphrase
from chronology_app.core.store import backup as copies
from chronology_app.core.store.engine import (
    WRITE_OPTION,
    check_new_passphrase,
    connect,
    create_workspace_engine,
    rekey,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest schema revision this version of the app writes. A test keeps it equal to the
# Alembic head; comparing against it avoids importing Alembic on every start.
SCHEMA_REVISION = "0005"
SUFFIX = ".chronology"


class Workspace:
    """An open workspace. Use `Workspace.create` or `Workspace.open`, and `close()` when done."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        passphrase: str = "",
        lock: OpenLock | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        # Kept in memory only (the engine needs it for each new connection; backups for theirs).
        self._passphrase = passphrase
        self._lock = lock
        # Why the backup on opening failed, if it did, for the front end to show.
        self.backup_problem: str | None = None

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str) -> Workspace:
        target = Path(path)
        if target.exists():
            raise WorkspaceError(f"{target}: a file is already there; choose another name.")
        if not target.parent.exists():
            raise WorkspaceError(f"{target.parent}: no such folder.")
        with OpenLock.held(target) as lock:
            engine = create_workspace_engine(target, passphrase)
            workspace = cls(target, engine, passphrase, lock)
            try:
                workspace._migrate(current=None)
            except BaseException:
                engine.dispose()
                for leftover in (target, *copies.sidecars(target)):
                    leftover.unlink(missing_ok=True)
                raise
        log.info("created a workspace")
        return workspace

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        keep_backups: int = copies.DEFAULT_KEEP,
        backup_on_open: bool = True,
    ) -> Workspace:
        target = Path(path)
        if not target.is_file():
            raise WorkspaceError(f"{target}: no workspace there.")
        with OpenLock.held(target) as lock:
            engine = create_workspace_engine(target, passphrase)
            workspace = cls(target, engine, passphrase, lock)
            try:
                current = workspace.schema_revision()
                if current != SCHEMA_REVISION:
                    workspace._migrate(current)
                elif backup_on_open:
                    workspace._backup_on_open(keep_backups)
            except BaseException:
                engine.dispose()
                raise
        return workspace

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: everything in the block is committed together or not at all."""
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as err:
            message = str(err.orig) if err.orig is not None else str(err)
            if "locked" in message or "busy" in message:
                raise WorkspaceLocked(
                    f"{self.path.name} is busy: another program is writing to it. "
                    "Nothing was changed; try again in a moment."
                ) from None
            if "full" in message or "disk I/O error" in message:
                problem = (
                    "the disk is full" if "full" in message else "the disk could not be written"
                )
                log.warning("a change was not saved: %s", problem)
                raise WorkspaceError(
                    f"{self.path.name} ({self.path.parent}): {problem}, so this change was not "
                    "saved. Everything saved before it is kept; free some space (or check the "
                    "drive) and try again."
                ) from None
            raise

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
            ).first()
            if not exists:
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def _migrate(self, current: str | None) -> None:
        from alembic import command  # imported only when a migration is due
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise WorkspaceError(
                f"{self.path.name} was made by a newer version of Chronology "
                f"(schema {current}); install that version to open it."
            )
        if current is not None:
            self.backup(label=f"before-migration-from-{current}")
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        log.info("workspace schema moved from %s to head", current)

    # --- backups ----------------------------------------------------------------------------

    def backup(self, label: str = "manual", target: Path | None = None) -> Path:
        """An encrypted copy of the workspace as it is now, made with SQLite's online backup
        API, in the backup folder (or at `target`), proven to open with the passphrase."""
        raw = self.engine.raw_connection()
        try:
            connection = raw.driver_connection
            state = _state_of(connection)
            return copies.take(connection, self.path, self._passphrase, label, state, target)
        finally:
            raw.close()

    def backups(self) -> list[copies.Backup]:
        return copies.list_backups(self.path)

    def _state(self) -> str:
        raw = self.engine.raw_connection()
        try:
            return _state_of(raw.driver_connection)
        finally:
            raw.close()

    def _backup_on_open(self, keep: int) -> None:
        """A rolling backup, unless the newest backup already holds this state. A failure is
        kept in `backup_problem` for the front end to show: it does not stop the work."""
        try:
            existing = self.backups()
            if existing and existing[-1].state == self._state():
                return
            self.backup(copies.ROLLING)
            copies.prune(self.path, keep)
        except BackupError as err:
            log.warning("no backup on opening: %s", type(err).__name__)
            self.backup_problem = str(err)

    # --- passphrase ---------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> int:
        """Re-encrypt the workspace, then its backups, under `new`. Returns how many backups
        were re-encrypted. The old passphrase must be given again, as proof."""
        check_new_passphrase(new)
        if new == old:
            raise WrongPassphrase("The new passphrase is the same as the old one; nothing changed.")
        try:
            connect(self.path, old).close()
        except WrongPassphrase:
            raise WrongPassphrase(
                "The current passphrase is not right; the passphrase was not changed."
            ) from None
        self.engine.dispose()
        key = old
        try:
            connection = connect(self.path, old)
            try:
                rekey(connection, new)
                key = new
            finally:
                connection.close()
        except sqlcipher.Error as err:
            raise WorkspaceError(
                f"{self.path.name}: the passphrase was not changed ({err})"
            ) from None
        finally:
            self.engine = create_workspace_engine(self.path, key)
            self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
            self._passphrase = key
        log.info("changed the workspace passphrase")
        return copies.rekey_all(self.path, old, new)

    # --- restoring ----------------------------------------------------------------------------

    @classmethod
    def restore(
        cls,
        source: str | os.PathLike[str],
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        replace: bool = False,
    ) -> tuple[Workspace, Path | None]:
        """Put a backup in place as the workspace at `path` and open it.

        The backup is proven to open with the passphrase before anything is touched. A
        workspace already at `path` is replaced only when asked, and is itself kept in the
        backup folder first. Returns the open workspace and where the replaced one was kept."""
        backup_file, target = Path(source), Path(path)
        if not backup_file.is_file():
            raise BackupError(f"{backup_file}: no backup there.")
        revision = copies.check(backup_file, passphrase)
        if revision > SCHEMA_REVISION:  # revisions are zero-padded numbers
            raise WorkspaceError(
                f"{backup_file.name} was made by a newer version of Chronology "
                f"(schema {revision}); install that version to restore it."
            )
        if target.exists() and not replace:
            raise BackupError(
                f"{target} is already there. Restore to a new name, or give --replace to put "
                "the backup in its place (the workspace there now is kept in its backups)."
            )
        if not target.parent.is_dir():
            raise WorkspaceError(f"{target.parent}: no such folder.")
        kept = None
        lock = OpenLock(target)
        lock.acquire()
        try:
            if target.exists():
                kept = _keep_before_replacing(target, passphrase)
            copies.copy_into_place(backup_file, target)
        finally:
            lock.release()
        log.info("restored a workspace from a backup")
        return cls.open(target, passphrase, backup_on_open=False), kept


def _keep_before_replacing(target: Path, passphrase: str) -> Path:
    """A backup of the workspace about to be replaced; one that will not open with the
    passphrase (it may be damaged: that is why it is being replaced) is moved aside whole."""
    try:
        connection = connect(target, passphrase)
    except WorkspaceError:
        return copies.move_aside(target)
    try:
        state = _state_of(connection)
        kept = copies.take(connection, target, passphrase, "replaced", state)
    finally:
        connection.close()
    target.unlink()
    return kept


def _state_of(connection: Any) -> str:
    """The newest audit record's hash (its first digits): it changes with every change."""
    try:
        row = connection.execute(
            "SELECT hash FROM audit_record ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlcipher.Error:
        return copies.UNKNOWN_STATE
    return str(row[0] if row else "0" * copies.STATE_DIGITS)[: copies.STATE_DIGITS]


class OpenLock:
    """Who has a workspace open: an exclusive lock on `<workspace>.lock`, held while open.

    The operating system releases the lock when its holder exits or is killed, so a lock file
    left behind by a crash is not a lock: the next program takes it over."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.path = workspace.with_name(workspace.name + ".lock")
        self._descriptor: int | None = None

    @classmethod
    @contextlib.contextmanager
    def held(cls, workspace: Path) -> Iterator[OpenLock]:
        """The lock, taken; released again if the block fails (the caller keeps it otherwise)."""
        lock = cls(workspace)
        lock.acquire()
        try:
            yield lock
        except BaseException:
            lock.release()
            raise

    def acquire(self) -> None:
        for _attempt in range(5):
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as err:
                raise WorkspaceError(
                    f"{self.workspace}: cannot open it from here ({err.strerror})."
                ) from None
            if not _try_lock(descriptor):
                holder = _read_holder(descriptor)
                os.close(descriptor)
                raise WorkspaceLocked(
                    f"{self.workspace.name} is already open in another Chronology window or "
                    f"command{holder}. Close it there first, then try again; nothing was changed."
                )
            if _still_at(descriptor, self.path):
                _write_holder(descriptor)
                self._descriptor = descriptor
                return
            os.close(descriptor)  # its holder removed the file as we took it: take the new one
        raise WorkspaceLocked(
            f"{self.workspace.name} is being opened and closed by another program."
        )

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        if sys.platform != "win32":
            # Removed while still held, so nobody can take a lock on a file about to vanish.
            with contextlib.suppress(OSError):
                self.path.unlink()
        _unlock(descriptor)
        os.close(descriptor)
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

    def _still_at(descriptor: int, path: Path) -> bool:
        return True  # a file held open on Windows cannot be removed

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _still_at(descriptor: int, path: Path) -> bool:
        try:
            return os.fstat(descriptor).st_ino == os.stat(path).st_ino
        except OSError:
            return False


_HOLDER_AT = 1  # the holder's note starts after the byte Windows locks


def _write_holder(descriptor: int) -> None:
    """Which process has the workspace open, for the message another one shows (no names)."""
    since = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = f"\n{os.getpid()}\t{socket.gethostname()}\t{since}\n".encode()
    with contextlib.suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, note)


def _read_holder(descriptor: int) -> str:
    try:
        os.lseek(descriptor, _HOLDER_AT, os.SEEK_SET)
        pid, host, since = os.read(descriptor, 512).decode("utf-8").split("\n")[0].split("\t")
    except (OSError, UnicodeDecodeError, ValueError):
        return ""
    where = "this computer" if host == socket.gethostname() else host
    return f" (program {pid} on {where}, since {since})"


def raw_execute(workspace: Workspace, sql: str) -> list[Any]:
    """Run one read-only SQL statement (tests and diagnostics)."""
    with workspace.engine.connect() as connection:
        return list(connection.exec_driver_sql(sql).fetchall())
