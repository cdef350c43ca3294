"""Fixtures of the team-server tests: the server itself is in tests/server/fixtures.py (shared
with the store, service and audit tests that run on both backends)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import minimal_case


@pytest.fixture
def as_user(team_db: Callable[[str], str]) -> Iterator[Callable[[str], Any]]:
    """Plain SQL as one person (psycopg, not the app): `as_user("alice")` is a connection."""
    opened: list[psycopg.Connection[Any]] = []

    def connect(user: str) -> psycopg.Connection[Any]:
        connection = psycopg.connect(team_db(user), autocommit=True)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        connection.close()


@pytest.fixture
def service_as(team_db: Callable[[str], str]) -> Iterator[Callable[[str], Any]]:
    """The app's service on the team server, signed in as one person."""
    from chronology_app.core.service import Service

    opened: list[Any] = []

    def open_as(user: str) -> Any:
        service = Service.open(team_db(user), "", user="ignored: the server says who")
        opened.append(service)
        return service

    yield open_as
    for service in opened:
        service.close()


def case_for(reference: str, person: str = "Cal Other") -> dict[str, Any]:
    document = minimal_case(reference)
    document["persons"][2]["name"] = person
    return document
