"""The lock screen on a team server: unlocking proves the user to the server.

A user whose sign-in is stored on the laptop (~/.pgpass, a password in the address) must not
unlock with whatever they type: the typed password is checked by a new connection to the server
as the same role, which the server must ask for a password; a server that signs the user in
without one (trust, a certificate) cannot unlock at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest

from chronology_app.core.errors import WorkspaceError, WrongPassphrase
from tests.server.pg_cluster import Cluster

PASSWORD = "carol team-server password 42"
HBA_LINE = "host all carol 127.0.0.1/32 scram-sha-256\n"


@pytest.fixture(scope="module")
def carol_signs_in_by_password(pg_cluster: Cluster) -> Iterator[None]:
    """The role `carol` must prove her password (scram-sha-256); everyone else stays on trust."""
    hba = pg_cluster.data / "pg_hba.conf"
    before = hba.read_text()
    hba.write_text(HBA_LINE + before)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_roles WHERE rolname = 'carol'").fetchone():
            connection.execute("CREATE ROLE carol LOGIN")
        connection.execute(f"ALTER ROLE carol PASSWORD '{PASSWORD}'")
        connection.execute("SELECT pg_reload_conf()")
    _wait_until_password_asked(pg_cluster)
    yield
    hba.write_text(before)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        connection.execute("SELECT pg_reload_conf()")


def _wait_until_password_asked(cluster: Cluster) -> None:
    """The reload is taken up by the server a moment later."""
    for _ in range(100):
        try:
            psycopg.connect(cluster.url("postgres", "carol", "not-it")).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    raise AssertionError("the server never asked carol for a password")


@pytest.fixture
def carol_url(
    carol_signs_in_by_password: None,
    team_db: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Carol, a practitioner in team north, whose password is stored in her ~/.pgpass."""
    from chronology_app.core.store import server_admin

    server_admin.add_user(team_db(), "carol", "practitioner", ["north"])
    url = team_db("carol")
    port = url.split(":")[-1].split("/")[0]
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{port}:*:carol:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    return url


def _window(qtbot: Any, service: Any) -> Any:
    from chronology_app.gui.main_window import MainWindow

    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    return window


def test_a_stored_sign_in_unlocks_only_with_the_password_the_server_checks(
    qtbot: Any, carol_url: str
) -> None:
    from chronology_app.core.service import Service

    service = Service.open(carol_url, "", user="ignored")  # no password typed: ~/.pgpass
    window = _window(qtbot, service)
    try:
        locker = window.locker
        locker.lock()
        assert locker.is_locked()
        for typed in ("", "x", "carol", PASSWORD.upper(), PASSWORD + " "):
            locker.screen.passphrase.setText(typed)
            assert locker.screen.try_unlock() is False, typed
            assert locker.is_locked()
            assert "password" in locker.screen.error.text()
        assert "not your password" in (locker.check_passphrase("wrong") or "")
        locker.screen.passphrase.setText(PASSWORD)
        assert locker.screen.try_unlock() is True
        assert not locker.is_locked()
    finally:
        window.close()
        service.close()


def test_a_password_in_the_address_does_not_unlock_on_its_own(
    carol_url: str,
) -> None:
    from chronology_app.core.service import Service

    stored = carol_url.replace("carol@", f"carol:{quote(PASSWORD)}@")
    service = Service.open(stored, "", user="ignored")
    try:
        with pytest.raises(WrongPassphrase, match="not your password"):
            service.check_passphrase("guess")
        service.check_passphrase(PASSWORD)
    finally:
        service.close()


def test_a_server_that_asks_no_password_cannot_unlock(
    service_as: Callable[[str], Any],
) -> None:
    """alice signs in by trust (as by a certificate): no typed text proves her."""
    service = service_as("alice")
    for typed in ("anything", "alice", "x"):
        with pytest.raises(WorkspaceError, match="without asking for a password"):
            service.check_passphrase(typed)
    with pytest.raises(WrongPassphrase, match="Type your password"):
        service.check_passphrase("")
