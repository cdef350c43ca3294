"""A workspace: one encrypted file holding every case, opened with a passphrase.

Only one program has a workspace open at a time: opening takes a lock (see `lock.py`), and a
second program gets a clear `WorkspaceLocked`. Opening never makes a workspace: an empty or
damaged file is refused, naming the newest backup that opens. Opening makes an encrypted backup
when anything has changed since the newest one, and brings the schema up to date with Alembic
after a backup of its own, so a failed migration never costs a workspace. It compares the audit
trail with the anchor this computer kept (`core/anchors.py`) and notices a passphrase change
that was interrupted (`passphrase_change.py`). Sessions are short: one per service call.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from chronology_app.core.errors import (
    ChronologyError,
    WorkspaceError,
    WorkspaceLocked,
    WrongPassphrase,
)
from chronology_app.core.store import backup as copies
from chronology_app.core.store import health, restoring
from chronology_app.core.store import passphrase_change as pending
from chronology_app.core.store.engine import (
    WRITE_OPTION,
    create_private_file,
    create_workspace_engine,
)
from chronology_app.core.store.lock import OpenLock
from chronology_app.core.store.safekeeping import Safekeeping, _state_of

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest schema revision this version of the app writes. A test keeps it equal to the
# Alembic head; comparing against it avoids importing Alembic on every start.
SCHEMA_REVISION = "0006"
SUFFIX = ".chronology"


class Workspace(Safekeeping):
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
        # The audit trail is shorter than, or lost, the newest record this computer saw.
        self.trail_warning: str | None = None
        # A passphrase change was interrupted: some backups are under the old passphrase.
        self.unfinished_passphrase_change: pending.Unfinished | None = None
        # Backups the last passphrase change could not re-encrypt (under yet another one).
        self.backups_left: tuple[Path, ...] = ()
        self._anchor_trusted = True  # False when the trail did not contain the anchor

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str) -> Workspace:
        target = Path(path)
        if target.exists() or target.is_symlink():
            raise WorkspaceError(f"{target}: a file is already there; choose another name.")
        if not target.parent.exists():
            raise WorkspaceError(f"{target.parent}: no such folder.")
        target = target.parent.resolve() / target.name
        with OpenLock.held(target) as lock:
            try:
                create_private_file(target)
            except FileExistsError:
                raise WorkspaceError(
                    f"{target}: a file is already there; choose another name."
                ) from None
            except OSError as err:
                raise WorkspaceError(f"{target}: cannot create it ({err.strerror}).") from None
            try:
                engine = create_workspace_engine(target, passphrase)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            workspace = cls(target, engine, passphrase, lock)
            try:
                workspace._migrate(current=None)
            except BaseException:
                engine.dispose()
                for leftover in (target, *copies.sidecars(target)):
                    leftover.unlink(missing_ok=True)
                raise
        workspace._remember_anchor()
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
        typed = Path(path)
        if not typed.is_file():
            raise WorkspaceError(f"{typed}: no workspace there.")
        target = typed.resolve()
        with OpenLock.held(target) as lock:
            if target.stat().st_size == 0:
                raise health.empty_file(target, passphrase)
            try:
                engine = create_workspace_engine(target, passphrase)
            except WrongPassphrase:
                raise health.wrong_or_damaged(target, passphrase) from None
            except WorkspaceError:
                raise health.check_file(target, passphrase) or WorkspaceError(
                    f"{target.name}: cannot open the workspace."
                ) from None
            workspace = cls(target, engine, passphrase, lock)
            updating = False
            try:
                current = workspace._revision_on_open()
                if current != SCHEMA_REVISION:
                    updating = True
                    workspace._migrate(current)
                elif backup_on_open:
                    workspace._backup_on_open(keep_backups)
                workspace._check_anchor()
                workspace.unfinished_passphrase_change = pending.find(workspace)
            except DatabaseError as err:
                engine.dispose()
                raise workspace._opening_error(err, updating=updating) from None
            except BaseException:
                engine.dispose()
                raise
        return workspace

    def _opening_error(self, err: DatabaseError, *, updating: bool) -> Exception:
        """A database error while opening (or updating the schema): said in words, always a
        WorkspaceError (never the driver's text, which may carry the statement's values)."""
        found = self._database_error(err, writing=False, updating=updating)
        if isinstance(found, ChronologyError):
            return found
        reason = str(err.orig).splitlines()[0] if err.orig is not None else type(err).__name__
        return WorkspaceError(
            f"{self.path.name} ({self.path.parent}) could not be opened: {reason}. Nothing was "
            "changed."
        )

    def _revision_on_open(self) -> str:
        try:
            current = self.schema_revision()
        except DatabaseError:
            raise self._damage_or(WorkspaceError(f"{self.path.name} cannot be read.")) from None
        if current is None:
            # A database with none of our tables: never turned into a workspace on opening.
            raise WorkspaceError(
                f"{self.path} is not a Chronology workspace (it holds no cases and no schema); "
                "nothing was changed. " + health.restore_advice(self.path, self._passphrase)
            )
        return current

    def close(self) -> None:
        with contextlib.suppress(WorkspaceError, DatabaseError):
            self._remember_anchor()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()

    def notes(self) -> list[str]:
        """What opening found that the user must be told, in words, with what to do: a backup
        that could not be made, an audit trail that disagrees with this computer's anchor, a
        passphrase change left unfinished. Front ends show every one (the CLI on stderr, the
        app in its status bar)."""
        found = [self.backup_problem, self.trail_warning]
        if self.unfinished_passphrase_change is not None:
            found.append(self.unfinished_passphrase_change.describe(self.path))
        return [note for note in found if note]

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DatabaseError as err:
            raise self._database_error(err, writing=False) from None

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: everything in the block is committed together or not at all."""
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DatabaseError as err:
            raise self._database_error(err, writing=True) from None

    def _database_error(
        self, err: DatabaseError, *, writing: bool, updating: bool = False
    ) -> Exception:
        """The error to raise for a database error: busy, disk full, damaged, or as it was.
        `updating`: the schema was being updated for this version on opening."""
        message = str(err.orig) if err.orig is not None else str(err)
        if isinstance(err, OperationalError) and ("locked" in message or "busy" in message):
            return WorkspaceLocked(
                f"{self.path.name} is busy: another program is writing to it. "
                "Nothing was changed; try again in a moment."
            )
        where = f"{self.path.name} ({self.path.parent})"
        if "full" in message:
            log.warning("the disk is full")
            if updating:
                return WorkspaceError(
                    f"{where}: the disk is full, so the workspace could not be updated for "
                    "this version of Chronology. Nothing was changed; free some space and open "
                    "it again."
                )
            if writing:
                return WorkspaceError(
                    f"{where}: the disk is full, so this change was not saved. Everything "
                    "saved before it is kept; free some space and try again."
                )
            return WorkspaceError(
                f"{where}: the disk is full, so the workspace could not be read (SQLite needs "
                "a little space even to read). Nothing was changed; free some space and try "
                "again."
            )
        if "disk I/O error" in message:
            log.warning("the disk could not be %s", "written" if writing else "read")
            done = "this change was not saved" if writing else "nothing was changed"
            return WorkspaceError(
                f"{where}: the disk could not be {'written' if writing else 'read'}, so {done}. "
                "Everything saved before is kept; check the drive and try again."
            )
        return self._damage_or(err)

    def _damage_or(self, err: Exception) -> Exception:
        """After an unexpected database error: the file is checked, and if it is damaged that
        is what the user is told (with the backup to restore); otherwise the error stands."""
        found = health.check_file(self.path, self._passphrase)
        return found if found is not None else err

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
            ).first()
            if not exists:
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def integrity_problems(self) -> list[str]:
        """SQLCipher's page authentication and SQLite's integrity check over the whole file
        (slow on a large workspace: for `audit verify`, not for every opening)."""
        raw = self.engine.raw_connection()
        try:
            return health.integrity_problems(raw.driver_connection)
        finally:
            raw.close()

    def restore_advice(self) -> str:
        """Which backup to restore from (the newest that opens), in one sentence."""
        return health.restore_advice(self.path, self._passphrase)

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
        """Put a backup in place as the workspace at `path` and open it (`restoring.py`).
        Returns the open workspace and where a workspace it replaced was kept."""
        return restoring.restore(
            cls,
            source,
            path,
            passphrase,
            replace=replace,
            schema_revision=SCHEMA_REVISION,
            state_of=_state_of,
        )


def raw_execute(workspace: Workspace, sql: str) -> list[Any]:
    """Run one read-only SQL statement (tests and diagnostics)."""
    with workspace.engine.connect() as connection:
        return list(connection.exec_driver_sql(sql).fetchall())
