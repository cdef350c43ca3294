"""The store on a team server: the same Alembic migrations as a file, dialect-neutral; the
connection settings follow libpq (verify-full for a server elsewhere unless chosen); ids come
from sequences while several writers insert at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from chronology_app.core.model.tables import SQLModel
from chronology_app.core.store.location import is_server
from chronology_app.core.store.server import ServerWorkspace, connection_settings, shown
from chronology_app.core.store.workspace import SCHEMA_REVISION, Workspace
from tests.server.conftest import case_for

SERVER_ONLY = {"chronology_team_member", "chronology_access_limit", "chronology_checkout"}


def columns(engine: Any) -> dict[str, set[str]]:
    found = inspect(engine)
    return {
        table: {c["name"] for c in found.get_columns(table)} for table in found.get_table_names()
    }


def test_the_same_migrations_make_the_same_schema_on_both_backends(
    team_db: Callable[[str], str], tmp_path: Path
) -> None:
    file_ws = Workspace.create(tmp_path / "w.chronology", "correct horse battery")
    server_ws = ServerWorkspace.open(team_db())
    try:
        on_file, on_server = columns(file_ws.engine), columns(server_ws.engine)
        assert server_ws.schema_revision() == file_ws.schema_revision() == SCHEMA_REVISION
    finally:
        file_ws.close()
        server_ws.close()
    assert set(on_server) - SERVER_ONLY == set(on_file)
    models = {
        table.name: {c.name for c in table.columns} for table in SQLModel.metadata.sorted_tables
    }
    for table, names in models.items():
        assert on_file[table] == names, table
        # the server adds columns of its own: the team a case is allocated to, and whether it
        # is access-limited (what the row-level security policies read)
        assert on_server[table] - {"team", "limited"} == names, table


@pytest.mark.parametrize(
    ("url", "environment", "sslmode"),
    [
        ("postgresql://db.authority.gov.uk/chronology", {}, "verify-full"),
        ("postgresql://db.authority.gov.uk/chronology?sslmode=require", {}, "require"),
        ("postgresql://db.authority.gov.uk/chronology", {"PGSSLMODE": "verify-ca"}, None),
        ("postgresql://localhost:5433/chronology", {}, None),
        ("postgresql://127.0.0.1/chronology", {}, None),
        ("postgresql:///chronology", {}, None),  # a Unix socket
        ("postgresql:///chronology", {"PGHOST": "db.example.org"}, "verify-full"),
    ],
)
def test_a_server_elsewhere_is_checked_by_its_certificate_unless_settings_say(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    environment: dict[str, str],
    sslmode: str | None,
) -> None:
    for name in ("PGSSLMODE", "PGHOST", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert connection_settings(url).get("sslmode") == sslmode


def test_a_service_file_that_chooses_an_sslmode_is_followed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    services = tmp_path / "pg_service.conf"
    services.write_text("[team]\nhost=db.example.org\nsslmode=verify-ca\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert "sslmode" not in connection_settings("postgresql:///?service=team")
    services.write_text("[team]\nhost=db.example.org\n", encoding="utf-8")
    assert connection_settings("postgresql:///?service=team")["sslmode"] == "verify-full"


def test_a_password_never_shows_in_messages() -> None:
    assert shown("postgresql://alice:s3cret@db.example.org:5433/team") == (
        "postgresql://db.example.org:5433/team"
    )
    assert is_server("postgresql://x/y") and is_server("postgres://x/y")
    assert not is_server("postgresql.chronology") and not is_server(Path("postgresql://x"))


def test_a_database_that_is_not_set_up_says_what_to_do(pg_cluster: Any) -> None:
    from chronology_app.core.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="chronology server init"):
        ServerWorkspace.open(pg_cluster.url("postgres"))


def test_bulk_imports_by_several_writers_take_ids_from_the_sequences(
    service_as: Callable[[str], Any],
) -> None:
    import threading

    writers = [service_as(name) for name in ("alice", "bob", "ann", "sam")]
    failures: list[BaseException] = []

    def work(index: int, service: Any) -> None:
        try:
            for number in range(3):
                service.import_case(case_for(f"C-{index}-{number}"))
        except BaseException as err:  # pragma: no cover - reported below
            failures.append(err)

    threads = [threading.Thread(target=work, args=pair) for pair in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(service_as("sam").cases()) == 12


def test_without_server_programs_set_up_stops_with_the_command_that_installs_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.server import pg_cluster

    monkeypatch.setattr(pg_cluster, "_bin_dir", lambda: None)
    monkeypatch.setattr(pg_cluster.os, "geteuid", lambda: 1000)  # not root: cannot install
    with pytest.raises(pg_cluster.ServerUnavailable) as caught:
        pg_cluster.find_or_install()
    assert str(caught.value).endswith(
        "Install them with: sudo apt-get install -y postgresql postgresql-contrib"
    )


def test_unlocking_a_server_session_needs_a_typed_password(
    service_as: Callable[[str], Any],
) -> None:
    from chronology_app.core.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase, match="Type your password"):
        service_as("alice").check_passphrase("")
