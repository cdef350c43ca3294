"""The welcome screen offers "Connect to a team server" beside opening a file; the address is
checked in the dialog, and a good one becomes the choice the app opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chronology_app.gui.dialogs.welcome import ServerDialog, WelcomeDialog


def test_the_welcome_screen_offers_a_team_server(qtbot: Any, monkeypatch: Any) -> None:
    welcome = WelcomeDialog()
    qtbot.addWidget(welcome)
    from PySide6.QtWidgets import QPushButton

    labels = [button.text() for button in welcome.findChildren(QPushButton)]
    assert "Connect to a team server…" in labels and "Open…" in labels


@pytest.mark.parametrize(
    ("url", "user", "problem", "address"),
    [
        ("", "", "Type the server's address (your IT team gives it).", None),
        ("server.example/db", "", "A team server's address starts with postgresql://", None),
        ("postgresql://server.example/db", "", "", "postgresql://server.example/db"),
        ("postgresql://server.example/db", "asmith", "", "postgresql://asmith@server.example/db"),
        ("postgresql://bo@server.example/db", "asmith", "", "postgresql://bo@server.example/db"),
    ],
)
def test_the_server_dialog_checks_the_address(
    qtbot: Any, url: str, user: str, problem: str, address: str | None
) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.url.setText(url)
    dialog.user.setText(user)
    dialog.password.setText("typed")
    assert dialog.problem().startswith(problem) if problem else dialog.problem() == ""
    dialog._accept()
    if problem:
        assert dialog.error.text().startswith(problem)  # shown in the dialog, input kept
        assert dialog.url.text() == url
    else:
        choice = dialog.choice()
        assert (choice.url, choice.passphrase, choice.path) == (address, "typed", Path())


def test_a_team_server_chosen_on_the_welcome_screen_opens(team_db: Any) -> None:
    from chronology_app.gui.app import open_choice
    from chronology_app.gui.dialogs.welcome import Choice

    service = open_choice(Choice(Path(), "", url=team_db("alice")), "Alice")
    try:
        assert service.workspace.login == "alice"
    finally:
        service.close()


def test_the_welcome_screen_says_where_each_kind_of_workspace_keeps_the_cases(
    qtbot: Any,
) -> None:
    """Not "everything stays on this computer" when a team server is one of the choices."""
    from PySide6.QtWidgets import QLabel

    welcome = WelcomeDialog()
    qtbot.addWidget(welcome)
    words = " ".join(label.text() for label in welcome.findChildren(QLabel))
    assert "Everything stays encrypted on this computer" not in words
    assert "A workspace file stays encrypted on this computer." in words
    assert "on your authority's server, not on this computer" in words
    assert "encrypted (TLS)" in words
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    hints = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "on your authority's server" in hints and "encrypted (TLS)" in hints
    assert "encrypted on this computer" not in hints


def test_a_connection_without_tls_over_the_network_is_said_on_opening(team_db: Any) -> None:
    """The throwaway server has no TLS: on this computer that is no note; an address that is
    not this computer is one (the workspace is told its address is elsewhere)."""
    from chronology_app.core.store.server import ServerWorkspace

    with ServerWorkspace.open(team_db("alice")) as here:
        assert here.encrypted is False
        assert here.notes() == []
    with ServerWorkspace.open(team_db("alice")) as workspace:
        workspace.url = "postgresql://alice@server.example/chronology"
        (note,) = workspace.notes()
    assert "not encrypted (no TLS)" in note and "sslmode=verify-full" in note
