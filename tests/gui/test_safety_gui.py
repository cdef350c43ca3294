"""The app's part of the second safety round: stored settings checked, safety notes shown in
the status bar, and the same passphrase policy as the CLI."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from chronology_app.core.service import Service
from chronology_app.gui import stored_settings
from chronology_app.gui.dialogs.welcome import CreateWorkspaceDialog
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.widgets.dialog_parts import strength_hint


@pytest.mark.parametrize(
    ("stored", "minutes", "noted"),
    [
        (None, 5, False),
        ("7", 7, False),
        (7, 7, False),
        ("120", 120, False),
        ("abc", 5, True),
        ("1.5", 5, True),
        ("99999999", 5, True),
        ("35000", 5, True),
        ("0", 5, True),
        ("-3", 5, True),
        ("", 5, True),
        ("٣", 5, True),  # a digit, but not one a settings file means
    ],
)
def test_a_stored_idle_time_is_used_only_when_it_is_sound(
    stored: object, minutes: int, noted: bool
) -> None:
    value, note = stored_settings.idle_minutes_from(stored)
    assert value == minutes
    assert (note is not None) == noted


@pytest.mark.parametrize("stored", ["abc", "1.5", "99999999", "35000"])
def test_a_bad_stored_idle_time_opens_the_window_and_says_so(
    qtbot: Any, service: Service, stored: str
) -> None:
    QSettings().setValue(stored_settings.IDLE_KEY, stored)
    window = MainWindow(service)
    qtbot.addWidget(window)
    assert window.idle.interval() == stored_settings.IDLE_DEFAULT * 60_000
    assert window.safety_notice.isVisibleTo(window)
    assert "idle-lock time" in window.safety_notice.text()


def test_the_idle_time_given_is_kept_within_the_limits(qtbot: Any, service: Service) -> None:
    window = MainWindow(service, idle_minutes=50_000)
    qtbot.addWidget(window)
    assert window.idle.interval() == stored_settings.IDLE_MAX * 60_000
    assert not window.safety_notice.isVisibleTo(window)


def test_the_collectors_full_walk_waits_for_a_quiet_minute_or_the_lock(
    qtbot: Any, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronology_app.gui import lock

    walks: list[bool] = []
    monkeypatch.setattr(lock, "collect_set_aside", lambda: walks.append(True) or 0)
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    quiet = window.locker.quiet
    assert quiet.isActive() and quiet.interval() == lock.QUIET_MS == 60_000
    assert not walks  # nothing while the user works
    quiet.start(1)  # as if a minute had passed with no input
    qtbot.waitUntil(lambda: len(walks) == 1)
    window.locker.lock()  # the user has walked away: a quiet moment too
    assert len(walks) == 2 and not quiet.isActive()


def test_a_backup_problem_is_shown_in_the_status_bar(qtbot: Any, service: Service) -> None:
    service.workspace.backup_problem = "Could not back up test.chronology: the disk is full."
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    assert window.safety_notice.isVisibleTo(window)
    assert "the disk is full" in window.safety_notice.text()


@pytest.mark.parametrize(
    "passphrase", ["aaaaaaaaaaaa", " " * 12, "passwordpassword", "Password1234"]
)
def test_the_new_workspace_dialog_refuses_a_guessable_passphrase(
    qtbot: Any, tmp_path: Path, passphrase: str
) -> None:
    dialog = CreateWorkspaceDialog()
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "new.chronology"))
    dialog.first.setText(passphrase)
    dialog.second.setText(passphrase)
    assert "too easy to guess" in dialog.problem() or "empty" in dialog.problem()
    assert strength_hint(passphrase) == dialog.problem()
    dialog.first.setText("correct horse battery staple")
    dialog.second.setText("correct horse battery staple")
    assert dialog.problem() == ""


def test_the_timeline_image_is_readable_by_its_owner_only(tmp_path: Path, window: Any) -> None:
    old = os.umask(0o022)
    try:
        assert window.timeline.export_png(str(tmp_path / "timeline"))
    finally:
        os.umask(old)
    written = tmp_path / "timeline.png"
    assert written.read_bytes().startswith(b"\x89PNG")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
