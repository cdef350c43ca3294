"""A team workspace on a PostgreSQL server: the same tables, migrations and service as a file.

Connection settings follow libpq's conventions: the URL is handed to libpq as it is, so
PGHOST, PGUSER, PGPASSWORD, PGSSLMODE, ~/.pgpass and service files all work as they do for any
PostgreSQL client. For a server that is not on this computer, unless the settings choose an
`sslmode`, the connection uses `verify-full` (libpq's own default, `prefer`, checks no
certificate). Each person signs in as their own database role; the database's row-level
security decides what they see (core/store/server_policies.py). Who made a change comes from
the server (`session_user`), not from the desktop.

Writes run at REPEATABLE READ: every change to a case also updates the case's row, so two
changes to one case at the same moment cannot both be saved; the second is refused as a
`Conflict` with nothing changed, and the other cases' writers never wait for each other.
"""

from __future__ import annotations

import configparser
import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session

from chronology_app.core.errors import Conflict, NotAllowed, WorkspaceError, WrongPassphrase
from chronology_app.core.store import session_memo
from chronology_app.core.store.server_checkout import refusal

log = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
# The sign-in methods that prove a password (libpq's `require_auth`): a server that signs the
# user in without one (trust, peer, a certificate, Kerberos) cannot check a typed password.
PASSWORD_METHODS = "scram-sha-256,md5,password"
ROLES = ("chronology_practitioner", "chronology_supervisor", "chronology_admin")


# --- connection settings -------------------------------------------------------------------


def _service_settings(name: str) -> dict[str, str]:
    """The settings of a named service in the service file libpq reads (PGSERVICEFILE,
    ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf)."""
    candidates = [os.environ.get("PGSERVICEFILE"), str(Path.home() / ".pg_service.conf")]
    if os.environ.get("PGSYSCONFDIR"):
        candidates.append(str(Path(os.environ["PGSYSCONFDIR"]) / "pg_service.conf"))
    for candidate in candidates:
        if not candidate or not Path(candidate).is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        with contextlib.suppress(configparser.Error, OSError):
            parser.read(candidate, encoding="utf-8")
            if parser.has_section(name):
                return dict(parser.items(name))
    return {}


def connection_settings(url: str, password: str | None = None) -> dict[str, Any]:
    """The libpq settings for `url`, with `sslmode=verify-full` added for a server that is not
    on this computer when nothing (the URL, PGSSLMODE, a service file) chooses one."""
    try:
        settings: dict[str, Any] = conninfo_to_dict(url)
    except psycopg.ProgrammingError as err:
        raise WorkspaceError(f"The server address is not a PostgreSQL URL ({err}).") from None
    chosen = _chosen(settings)
    if not _local(chosen) and "sslmode" not in chosen and not os.environ.get("PGSSLMODE"):
        settings["sslmode"] = "verify-full"
    if password:
        settings["password"] = password
    # Times are read and written in UTC, whatever the server's own time zone.
    settings["options"] = (str(settings.get("options") or "") + " -c TimeZone=UTC").strip()
    settings.setdefault("application_name", "chronology")
    return settings


def _chosen(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with those of a named service file beneath them."""
    service = settings.get("service") or os.environ.get("PGSERVICE")
    return {**(_service_settings(service) if service else {}), **settings}


def _local(chosen: dict[str, Any]) -> bool:
    host = str(chosen.get("host") or os.environ.get("PGHOST") or "")
    return all(h in LOCAL_HOSTS or h.startswith("/") for h in host.split(","))


def _is_local(url: str) -> bool:
    """Whether the server is on this computer (a socket folder, localhost)."""
    try:
        return _local(_chosen(conninfo_to_dict(url)))
    except psycopg.ProgrammingError:
        return False


def shown(url: str) -> str:
    """The URL without any password in it, for messages."""
    try:
        settings = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the server"
    host = settings.get("host") or os.environ.get("PGHOST") or "localhost"
    port = settings.get("port") or os.environ.get("PGPORT") or "5432"
    dbname = settings.get("dbname") or settings.get("service") or ""
    return f"postgresql://{host}:{port}/{dbname}"


def connect(url: str, password: str | None = None, **extra: Any) -> psycopg.Connection[Any]:
    """A raw psycopg connection (administration and tests)."""
    settings = connection_settings(url, password)
    try:
        return psycopg.connect(make_conninfo(**settings), **extra)
    except psycopg.OperationalError as err:
        raise WorkspaceError(f"Cannot connect to {shown(url)}: {_first_line(err)}") from None


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or ["no reason given"])[-1].strip()


def create_server_engine(url: str, password: str | None = None, pool_size: int = 2) -> Engine:
    """The engine factory for a team server, beside the SQLCipher one (engine.py). The first
    connection is made here, so a wrong password or an unreachable server fails now."""
    conninfo = make_conninfo(**connection_settings(url, password))

    def creator() -> Any:
        try:
            return psycopg.connect(conninfo)
        except psycopg.OperationalError as err:
            raise WorkspaceError(f"Cannot connect to {shown(url)}: {_first_line(err)}") from None

    engine = create_engine(
        "postgresql+psycopg://",
        creator=creator,
        pool_size=pool_size,
        max_overflow=4,
        hide_parameters=True,  # an error's text never carries what was being written
    )
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_idle)
    with engine.connect():
        pass
    return engine


# A connection that has waited in the pool longer than this is asked whether it still works
# before it is used (a server restarted, a firewall dropping idle connections, a laptop that
# slept), and replaced if not. One used moments ago (a save, then reading the case again to
# show it) is not: that would cost a save one more round trip to the server.
PING_AFTER_IDLE_SECONDS = 10.0


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since <= PING_AFTER_IDLE_SECONDS:
        return  # new (just connected), or used moments ago
    try:  # one round trip, outside any transaction (as SQLAlchemy's own pre-ping)
        dbapi_connection.autocommit = True
        dbapi_connection.execute(";")
        dbapi_connection.autocommit = False
    except psycopg.Error:
        raise DisconnectionError("the connection to the server was lost") from None


# --- the workspace ---------------------------------------------------------------------------


class ServerWorkspace:
    """A team workspace on a server, with the same `reading()` / `writing()` sessions as a
    file workspace. `login` is the database user (what the audit trail records) and `roles`
    the Chronology groups they belong to."""

    per_case_chains = True  # one audit hash chain per case (see core/audit.py)

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.location = shown(url)
        self.engine = engine
        self._write_engine = engine.execution_options(isolation_level="REPEATABLE READ")
        self.backup_problem: str | None = None
        with self.engine.connect() as connection:
            self.login = str(connection.execute(text("SELECT session_user")).scalar())
            self.roles = tuple(
                role
                for role in ROLES
                if connection.execute(
                    text("SELECT pg_has_role(session_user, :role, 'MEMBER')"), {"role": role}
                ).scalar()
            )

    @classmethod
    def open(cls, url: str, password: str | None = None, pool_size: int = 2) -> ServerWorkspace:
        from chronology_app.core.store.workspace import SCHEMA_REVISION

        engine = create_server_engine(url, password, pool_size)
        try:
            workspace = cls(url, engine)
            current = workspace.schema_revision()
        except BaseException:
            engine.dispose()
            raise
        if current != SCHEMA_REVISION:
            engine.dispose()
            if current is None:
                raise WorkspaceError(
                    f"{shown(url)} is not set up as a Chronology team server (or you have no "
                    "access to it). Ask the authority's administrator to run "
                    "`chronology server init` and add you with `chronology server add-user`."
                )
            raise WorkspaceError(
                f"{shown(url)} has schema {current} and this version of Chronology needs "
                f"{SCHEMA_REVISION}. Ask the administrator to run `chronology server init` "
                "with the newer version (or install the version the server uses)."
            )
        return workspace

    @property
    def name(self) -> str:
        return self.location

    def notes(self) -> list[str]:
        """What opening found that the user must know: nothing is kept on the laptop for a
        server (its backups and integrity are the database administrator's); only whether the
        connection is encrypted, when it goes beyond this computer and is not."""
        if self.encrypted or _is_local(self.url):
            return []
        return [
            f"The connection to {self.location} is not encrypted (no TLS): what you read and "
            "type crosses the network as it is. Ask your IT team to set sslmode=verify-full."
        ]

    @property
    def encrypted(self) -> bool:
        """Whether the connection to the server uses TLS."""
        with self.engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            return bool(raw.pgconn.ssl_in_use)

    def check_password(self, password: str) -> None:
        """Raise unless `password` is this user's password on the server: a new connection as
        the same database role with exactly that password, which the server must ask for and
        check. A sign-in stored on the laptop (~/.pgpass, PGPASSWORD, the URL) never counts,
        and a server that does not sign in by password cannot unlock at all (the lock screen
        asks this; nothing is kept)."""
        if not password:
            raise WrongPassphrase("Type your password for the team server.")
        settings = connection_settings(self.url, password)
        settings.update(user=self.login, require_auth=PASSWORD_METHODS, connect_timeout=10)
        try:
            with psycopg.connect(make_conninfo(**settings)) as connection:
                who = connection.execute("SELECT session_user").fetchone()
        except psycopg.OperationalError as err:
            reason = _first_line(err)
            if err.sqlstate == "28P01" or "password authentication failed" in reason:
                raise WrongPassphrase(
                    "That is not your password for the team server. Chronology stays locked."
                ) from None
            if "require_auth" in reason or "authentication method requirement" in reason:
                raise WorkspaceError(
                    "The team server signs you in without asking for a password (your IT team "
                    "set it up with a certificate or a trusted connection), so a password "
                    "cannot prove it is you. Chronology stays locked: quit and open the team "
                    "workspace again."
                ) from None
            raise WorkspaceError(
                f"Your password could not be checked: cannot reach {self.location} "
                f"({reason}). Chronology stays locked; try again when the connection is back."
            ) from None
        if who is None or who[0] != self.login:
            raise WrongPassphrase("That sign-in is not yours. Chronology stays locked.")

    @property
    def path(self) -> Path:
        """The location as a path, whose `.name` is the database's name (window titles)."""
        return Path(self.location)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ServerWorkspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            exists = connection.execute(text("SELECT to_regclass('alembic_version')")).scalar()
            if exists is None:
                return None
            try:
                value = connection.execute(text("SELECT version_num FROM alembic_version"))
                return value.scalar()
            except DBAPIError:
                return None

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with (
            _translated(self.location),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: everything in the block is committed together or not at all."""
        with (
            _translated(self.location),
            Session(
                self._write_engine,
                expire_on_commit=False,
                info={session_memo.SERVER_WRITE: True},
            ) as session,
            session.begin(),
        ):
            yield session

    # What a file workspace offers and a server leaves to the authority's own tools.

    def backup(self, *_args: Any, **_kwargs: Any) -> Path:
        raise WorkspaceError(
            "A team server is backed up by the authority with PostgreSQL's own tools "
            "(pg_basebackup, pg_dump); see docs/team-server.md. Nothing was changed."
        )

    def backups(self) -> list[Any]:
        return []

    def change_passphrase(self, _old: str, _new: str) -> int:
        raise WorkspaceError(
            "A team server has no workspace passphrase: your sign-in is your own database "
            "account. Change its password with the authority's IT team (or psql's \\password)."
        )


@contextlib.contextmanager
def _translated(where: str) -> Iterator[None]:
    """The server's refusals as errors a practitioner can act on, never a driver traceback."""
    try:
        yield
    except DBAPIError as err:
        original = err.orig
        held = refusal(original)
        if held is not None:
            raise held from None
        if isinstance(original, pg_errors.InsufficientPrivilege):
            raise NotAllowed(
                "You do not have access to do that on the team server (it is for another team, "
                "limited to named people, or needs a supervisor). Nothing was changed."
            ) from None
        if isinstance(original, (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)):
            raise Conflict(
                "Someone else saved a change to this case at the same moment, so yours was "
                "not saved. Nothing was lost: look at the case again and save once more."
            ) from None
        if isinstance(original, psycopg.OperationalError) and err.connection_invalidated:
            raise WorkspaceError(
                f"The connection to {where} was lost; this change was not saved. Check the "
                "network and try again."
            ) from None
        raise


def raw_execute(workspace: ServerWorkspace, sql: str) -> list[Any]:
    """Run one read-only SQL statement (tests and diagnostics)."""
    with workspace.engine.connect() as connection:
        return list(connection.exec_driver_sql(sql).fetchall())
