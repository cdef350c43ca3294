"""Setting up and running a team server, as a database administrator: the schema (the same
Alembic migrations as a file workspace), the group roles, row-level security and its policies
(server_policies.py); people, their teams, allocations and access limits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from chronology_app.core.errors import (
    ChronologyError,
    InvalidInput,
    NotAllowed,
    NotFound,
    WorkspaceError,
)
from chronology_app.core.store import server_checkout, server_matching
from chronology_app.core.store import server_policies as policy
from chronology_app.core.store.server import connect, shown

log = logging.getLogger(__name__)

ROLE_KINDS = {"practitioner": policy.PRACTITIONER, "supervisor": policy.SUPERVISOR}
NAME = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")


def _run(url: str, work: Any) -> Any:
    """Run `work(connection)` in one transaction (a psycopg connection, driven by SQLAlchemy
    so that Alembic can share it); the server's refusals become clear errors."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect(url),
        poolclass=NullPool,
        hide_parameters=True,
    )
    try:
        with engine.begin() as bound:
            return work(bound.connection.driver_connection, bound)
    except DBAPIError as err:
        reason = _reason(err.orig or err)
        raise WorkspaceError(f"{shown(url)}: {reason}; nothing was changed.") from None
    except pg_errors.InsufficientPrivilege as err:
        raise WorkspaceError(
            f"{shown(url)}: your database account may not do that ({_reason(err)}). "
            "Run it as the database administrator."
        ) from None
    except psycopg.Error as err:
        raise WorkspaceError(f"{shown(url)}: {_reason(err)}; nothing was changed.") from None
    finally:
        engine.dispose()


def _reason(err: BaseException) -> str:
    return (str(err).strip().splitlines() or ["refused"])[0]


def _ensure_role(connection: psycopg.Connection[Any], role: str) -> None:
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


def init(url: str) -> str:
    """Create (or bring up to date) the schema, the groups and the policies. Returns the
    schema revision. Safe to run again after an upgrade of Chronology."""

    def work(connection: psycopg.Connection[Any], bound: Any) -> str:
        for role in (policy.OWNER, *policy.GROUPS):
            _ensure_role(connection, role)
        me = connection.execute("SELECT current_user").fetchone()
        is_super = connection.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        if not (is_super and is_super[0]) and me:
            connection.execute(
                sql.SQL("GRANT {} TO {}").format(
                    sql.Identifier(policy.OWNER), sql.Identifier(me[0])
                )
            )
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        connection.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {policy.OWNER}")
        for group in policy.GROUPS:
            connection.execute(f"GRANT USAGE ON SCHEMA public TO {group}")
        connection.execute(f"SET LOCAL ROLE {policy.OWNER}")
        # This release's hold on checked-out cases first, which lets the administrator's
        # migrations refile the persons of a checked-out case (server_checkout.py).
        connection.execute(server_checkout.REFUSE_CHECKED_OUT)
        _migrate(bound)
        connection.execute(policy.TABLES)
        connection.execute(policy.FIRST_FUNCTIONS)
        connection.execute(policy.CASE_TEAM)
        connection.execute(policy.FUNCTIONS)
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for statement in policy.policies(tables):
            connection.execute(statement)
        for statement in server_checkout.statements() + server_matching.statements():
            connection.execute(statement)
        # Everything on a case's row but its team and whether it is access-limited may be
        # changed by those who see it; those two only by an admin (allocate, limit).
        columns = [
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'case_record' "
                "AND column_name NOT IN ('team', 'limited') ORDER BY ordinal_position"
            )
        ]
        connection.execute(
            sql.SQL("GRANT UPDATE ({}) ON case_record TO {}, {}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                sql.Identifier(policy.PRACTITIONER),
                sql.Identifier(policy.SUPERVISOR),
            )
        )
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(revision[0]) if revision else ""

    revision = str(_run(url, work))
    log.info("team server set up at schema %s", revision)
    return revision


def _migrate(bound: Any) -> None:
    """The same Alembic migrations as a file workspace, in this connection's transaction."""
    from alembic import command
    from alembic.config import Config

    from chronology_app.core.store.workspace import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = bound
    command.upgrade(config, "head")


def _check_name(name: str, what: str) -> None:
    if not NAME.match(name):
        raise InvalidInput(
            {
                what: f'"{name}" cannot be used: use lower-case letters, digits, ".", "-" or '
                '"_", starting with a letter (at most 63 characters)'
            }
        )


def add_user(url: str, name: str, role: str, teams: Sequence[str]) -> None:
    """A person who signs in as their own database role `name`, in a group, in teams. How
    they prove who they are (password, certificate, Kerberos) is the authority's choice, set
    in pg_hba.conf; a password can be set with psql's \\password."""
    if role not in ROLE_KINDS:
        raise InvalidInput({"role": "must be practitioner or supervisor"})
    _check_name(name, "name")
    for team in teams:
        if not team.strip():
            raise InvalidInput({"team": "a team needs a name"})
    if not teams:
        raise InvalidInput({"team": "give the person's team (--team)"})

    def work(connection: psycopg.Connection[Any], _bound: Any) -> None:
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(ROLE_KINDS[role]), sql.Identifier(name))
        )
        for team in teams:
            connection.execute(
                "INSERT INTO chronology_team_member (role_name, team, kind) VALUES (%s, %s, %s) "
                "ON CONFLICT (role_name, team) DO UPDATE SET kind = excluded.kind",
                (name, team.strip(), role),
            )

    _run(url, work)
    log.info("added a %s to %d team(s)", role, len(teams))


def allocate(url: str, reference: str, team: str) -> None:
    """Give a case to a team (its practitioners and supervisors then see it)."""
    if not team.strip():
        raise InvalidInput({"team": "a team needs a name"})

    def work(connection: psycopg.Connection[Any], _bound: Any) -> None:
        try:
            connection.execute("SELECT chronology_allocate(%s, %s)", (reference, team.strip()))
        except pg_errors.NoDataFound:
            raise NotFound(f'No case with reference "{reference}" on the server.') from None

    _run(url, work)


def release(url: str, reference: str) -> str | None:
    """Lift the server's hold on a checked-out case (a supervisor who sees it, or an admin;
    for example when the laptop holding it is lost). Returns who had it checked out."""

    def work(connection: psycopg.Connection[Any], _bound: Any) -> str | None:
        try:
            row = connection.execute("SELECT chronology_release(%s)", (reference,)).fetchone()
        except pg_errors.NoDataFound:
            raise NotFound(f'No case with reference "{reference}" that you can see.') from None
        except pg_errors.InsufficientPrivilege as err:
            raise NotAllowed(
                f"{_reason(err).removeprefix('ERROR:').strip()}. Nothing was changed."
            ) from None
        return str(row[0]) if row and row[0] is not None else None

    return _run(url, work)


def limit(url: str, reference: str, users: Sequence[str]) -> None:
    """Make a case access-limited: only the named people see it (an empty list lifts it)."""
    for user in users:
        _check_name(user, "users")

    def work(connection: psycopg.Connection[Any], _bound: Any) -> None:
        known = {
            row[0]
            for row in connection.execute(
                "SELECT role_name FROM chronology_team_member WHERE role_name = ANY(%s)",
                (list(users),),
            )
        }
        unknown = sorted(set(users) - known)
        if unknown:
            raise InvalidInput(
                {"users": "not a practitioner or supervisor on this server: " + ", ".join(unknown)}
            )
        try:
            connection.execute("SELECT chronology_limit(%s, %s)", (reference, list(users)))
        except pg_errors.NoDataFound:
            raise NotFound(f'No case with reference "{reference}" on the server.') from None

    _run(url, work)


__all__ = ["ChronologyError", "add_user", "allocate", "init", "limit"]
