"""The one engine factory: an SQLCipher-encrypted SQLite file, opened with a passphrase.

Every connection is keyed before anything else is read, then switched to WAL with foreign keys
on. A wrong passphrase (or a file that is not a workspace) becomes `WrongPassphrase` with one
clear sentence, never a driver traceback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from chronology_app.core.errors import WorkspaceError, WrongPassphrase
from chronology_app.core.passphrases import passphrase_problem

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "chronology_write"
FILE_MODE = 0o600  # every file the tool creates holds case content: its owner only


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that no workspace can have, with one clear sentence."""
    if not passphrase:
        raise WrongPassphrase("A passphrase is needed to open a workspace.")
    if "\x00" in passphrase:
        raise WrongPassphrase("A passphrase cannot contain a NUL character.")
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        # e.g. bytes in an environment variable that are not UTF-8
        raise WrongPassphrase(
            "The passphrase is not valid text (it has bytes that are not UTF-8); type it again."
        ) from None


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a new passphrase that is empty, impossible, or too easy to guess."""
    check_passphrase(passphrase)
    problem = passphrase_problem(passphrase)
    if problem:
        raise WrongPassphrase(problem)


def create_private_file(path: Path) -> None:
    """Make an empty file readable and writable by its owner only, failing if one is there.
    SQLite gives a database's write-ahead log and journals the mode of the database file."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)


def _key_pragma(passphrase: str, pragma: str = "key") -> str:
    # PRAGMA takes no bound parameters; a quoted string literal with quotes doubled is safe.
    return f"PRAGMA {pragma} = '" + passphrase.replace("'", "''") + "'"


def rekey(connection: Any, passphrase: str) -> None:
    """Re-encrypt the whole file behind a keyed connection under a new passphrase. SQLCipher
    does it in one transaction: a crash leaves the file wholly under the old key or the new."""
    check_passphrase(passphrase)
    connection.execute(_key_pragma(passphrase, "rekey"))


def connect(path: Path, passphrase: str, *, wal: bool = True) -> Any:
    """A raw, keyed sqlcipher3 connection, proven to decrypt the file.

    `wal=False` leaves the journal mode alone: for backups, which are single standalone files."""
    check_passphrase(passphrase)
    try:
        connection = sqlcipher.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except sqlcipher.Error as err:
        raise WorkspaceError(f"{path}: cannot open the workspace ({err})") from None
    try:
        # SQLCipher logs decryption failures to stderr itself; a wrong passphrase is an
        # expected event here, reported once as WrongPassphrase.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(_key_pragma(passphrase))
        # The first read proves the key: with a wrong one SQLCipher reports "not a database".
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if wal:
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
        connection.execute("PRAGMA synchronous = FULL")
    except sqlcipher.DatabaseError as err:
        connection.close()
        if "not a database" in str(err) or "encrypted" in str(err):
            raise WrongPassphrase(
                f"The passphrase does not open {path.name} (or it is not a Chronology "
                "workspace). Check the passphrase and try again."
            ) from None
        raise WorkspaceError(f"{path}: cannot open the workspace ({err})") from None
    return connection


def create_workspace_engine(path: str | os.PathLike[str], passphrase: str) -> Engine:
    """An engine whose connections are all keyed with `passphrase`.

    The first connection is made here, so a wrong passphrase fails now, not at first use."""
    resolved = Path(path).resolve()
    first = connect(resolved, passphrase)
    pending = [first]

    def creator() -> Any:
        return pending.pop() if pending else connect(resolved, passphrase)

    engine = create_engine(
        "sqlite://",
        creator=creator,
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,  # an error's text never carries what was being written
    )

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself so each service call is one real transaction.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writing transaction takes the write lock at once (BEGIN IMMEDIATE), so two writers
        # queue on the busy timeout instead of failing half-way through a change.
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine
