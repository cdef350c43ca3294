"""The throwaway PostgreSQL server, one for the whole test session, and a fresh team database
a test: copied from a template set up once with `server init` and these fictional people.

    alice, ann    practitioners in team north
    bob           practitioner in team south
    sam           supervisor of north and south
    ada           admin (manages people and allocations; sees no case)

Imported into tests/conftest.py so any test module may ask for a server (only then is one
started). The server runs trust authentication on 127.0.0.1: a test signs in as anyone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.server.pg_cluster import Cluster, running

TEMPLATE = "chronology_template"
PEOPLE = {
    "alice": ("practitioner", ["north"]),
    "ann": ("practitioner", ["north"]),
    "bob": ("practitioner", ["south"]),
    "sam": ("supervisor", ["north", "south"]),
}
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    from chronology_app.core.store import server_admin

    with running() as cluster:
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        template = cluster.url(TEMPLATE)
        server_admin.init(template)
        for name, (role, teams) in PEOPLE.items():
            server_admin.add_user(template, name, role, teams)
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            connection.execute("CREATE ROLE ada LOGIN IN ROLE chronology_admin")
            connection.execute(f"ALTER DATABASE {TEMPLATE} WITH ALLOW_CONNECTIONS false")
        yield cluster


@pytest.fixture
def team_db(pg_cluster: Cluster) -> Iterator[Callable[[str], str]]:
    """A fresh team database; call it with a user name for the URL that user signs in with
    ("postgres" is the database administrator)."""
    name = f"team_{next(_numbers)}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")

    def url(user: str = "postgres") -> str:
        return pg_cluster.url(name, user)

    yield url
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["file", "server"])
def backend_workspace(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """A fresh workspace on each backend: an encrypted file, and a team server signed in as
    the supervisor `sam` (who may do everything a practitioner may, and review cases).
    A test module runs on both by overriding its `workspace` fixture with this one."""
    if request.param == "file":
        from chronology_app.core.store.workspace import Workspace

        workspace: Any = Workspace.create(tmp_path / "test.chronology", "correct horse battery")
    else:
        from chronology_app.core.store.server import ServerWorkspace

        url = request.getfixturevalue("team_db")
        workspace = ServerWorkspace.open(url("sam"))
    yield workspace
    workspace.close()
