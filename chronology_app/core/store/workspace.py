"""A workspace: one encrypted file holding every case, opened with a passphrase.

Opening brings the schema up to date with Alembic, after copying the file aside first, so a
failed migration never costs a workspace. Sessions are short: one per service call.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from chronology_app.core.errors import WorkspaceError, WorkspaceLocked
from chronology_app.core.store.engine import WRITE_OPTION, create_workspace_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest schema revision this version of the app writes. A test keeps it equal to the
# Alembic head; comparing against it avoids importing Alembic on every start.
SCHEMA_REVISION = "0003"
SUFFIX = ".chronology"


class Workspace:
    """An open workspace. Use `Workspace.create` or `Workspace.open`, and `close()` when done."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str) -> Workspace:
        target = Path(path)
        if target.exists():
            raise WorkspaceError(f"{target}: a file is already there; choose another name.")
        if not target.parent.exists():
            raise WorkspaceError(f"{target.parent}: no such folder.")
        engine = create_workspace_engine(target, passphrase)
        workspace = cls(target, engine)
        try:
            workspace._migrate(current=None)
        except BaseException:
            engine.dispose()
            for leftover in (target, *_sidecars(target)):
                leftover.unlink(missing_ok=True)
            raise
        log.info("created a workspace")
        return workspace

    @classmethod
    def open(cls, path: str | os.PathLike[str], passphrase: str) -> Workspace:
        target = Path(path)
        if not target.is_file():
            raise WorkspaceError(f"{target}: no workspace there.")
        engine = create_workspace_engine(target, passphrase)
        workspace = cls(target, engine)
        try:
            current = workspace.schema_revision()
            if current != SCHEMA_REVISION:
                workspace._migrate(current)
        except BaseException:
            engine.dispose()
            raise
        return workspace

    def close(self) -> None:
        self.engine.dispose()

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
            if "locked" in str(err) or "busy" in str(err):
                raise WorkspaceLocked(
                    f"{self.path.name} is busy: another program is writing to it. "
                    "Nothing was changed; try again in a moment."
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

    def backup(self, label: str) -> Path:
        """Copy the (still encrypted) file aside after folding the WAL into it."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.{label}-{stamp}.bak")
        shutil.copy2(self.path, target)
        log.info("backed up the workspace before a change of schema")
        return target


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def raw_execute(workspace: Workspace, sql: str) -> list[Any]:
    """Run one read-only SQL statement (tests and diagnostics)."""
    with workspace.engine.connect() as connection:
        return list(connection.exec_driver_sql(sql).fetchall())
