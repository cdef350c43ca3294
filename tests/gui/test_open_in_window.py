"""Opening a workspace from the welcome screen: the workspace opens on a thread of its own
while the main window is made (gui/app.py `open_in_window`); a workspace that does not open
leaves no window behind and is not touched."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from chronology_app.core.errors import WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.gui import app as app_module
from chronology_app.gui.dialogs.welcome import Choice
from chronology_app.gui.main_window import MainWindow
from tests.conftest import PASSPHRASE, minimal_case


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A workspace file holding the minimal case, closed."""
    path = tmp_path / "team.chronology"
    service = Service.create(path, PASSPHRASE, "Setter Up")
    service.import_case(minimal_case())
    service.close()
    return path


def _windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_the_workspace_opens_on_its_own_thread_while_the_window_is_made(
    qtbot: Any, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real_open = app_module.open_choice

    def recording_open(choice: Choice, user: str) -> Service:
        threads.append(threading.current_thread())
        return real_open(choice, user)

    monkeypatch.setattr(app_module, "open_choice", recording_open)
    service, window = app_module.open_in_window(Choice(saved, PASSPHRASE), "Alice", 60)
    qtbot.addWidget(window)
    try:
        assert threads and threads[0] is not threading.main_thread()
        # Every part that asks the workspace for anything has it now.
        assert window.service is service
        assert window.case_view.service is service
        assert window.case_index.service is service
        assert window.locker.service is service
        assert window.windowTitle() == "Chronology: team.chronology"
        assert "Alice" in window.user_label.text()
        assert not window.isVisible()  # shown by run_window, once it has its workspace
        model = window.cases_panel.model
        qtbot.waitUntil(lambda: model.rowCount() == 1)
        assert model.record(0).reference == minimal_case()["case"]["reference"]
        assert window.locker.check_passphrase(PASSPHRASE) is None
    finally:
        window.close()
        service.close()


def test_a_wrong_passphrase_leaves_no_window_and_the_file_as_it_was(
    qtbot: Any, saved: Path
) -> None:
    before = saved.read_bytes()
    windows = set(_windows())
    with pytest.raises(WrongPassphrase, match=r"does not open team\.chronology"):
        app_module.open_in_window(Choice(saved, "not the passphrase at all"), "Alice")
    qtbot.waitUntil(lambda: set(_windows()) <= windows)  # the window made meanwhile is gone
    assert saved.read_bytes() == before


def _welcome_screen_twice(monkeypatch: pytest.MonkeyPatch, choice: Choice) -> list[str]:
    """choose_workspace with the welcome screen giving `choice`, then left by the user: the
    warnings it showed (the welcome screen must have been shown the second time)."""
    choices: list[Choice | None] = [choice, None]
    warned: list[str] = []

    class Welcome:
        def __init__(self) -> None:
            self.result_choice = choices.pop(0)

        def exec(self) -> bool:
            return self.result_choice is not None

    monkeypatch.setattr(app_module, "WelcomeDialog", Welcome)
    monkeypatch.setattr(
        app_module.QMessageBox, "warning", lambda _parent, _title, text: warned.append(text)
    )
    assert app_module.choose_workspace("Alice") is None
    assert choices == []  # the welcome screen was shown again
    return warned


def test_the_welcome_screen_says_a_wrong_passphrase_and_asks_again(
    qtbot: Any, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned = _welcome_screen_twice(monkeypatch, Choice(saved, "not the passphrase at all"))
    assert len(warned) == 1 and "does not open team.chronology" in warned[0]


def test_any_workspace_that_does_not_open_brings_the_welcome_screen_back(
    qtbot: Any, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only a wrong passphrase: a workspace from a newer version is said in words and the
    welcome screen comes back (it used to end the app)."""
    from chronology_app.core.store.workspace import Workspace

    with Workspace.open(saved, PASSPHRASE) as workspace, workspace.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    warned = _welcome_screen_twice(monkeypatch, Choice(saved, PASSPHRASE))
    assert len(warned) == 1 and "newer version of Chronology" in warned[0]


def test_a_workspace_closed_to_the_welcome_screen_leaves_nothing_of_it_in_memory(
    qtbot: Any, saved: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_window, then Close workspace: the window, the workspace (which holds the
    passphrase) and the case that was on screen are all freed."""
    import gc
    import weakref

    service, window = app_module.open_in_window(Choice(saved, PASSPHRASE), "Alice", 60)
    gone = [weakref.ref(window), weakref.ref(service), weakref.ref(service.workspace)]

    shown = [window]

    def the_user_closes_the_workspace() -> int:
        shown[0].open_case(minimal_case()["case"]["reference"])
        shown[0].ops.wait()
        shown[0].close_workspace()
        return 0

    monkeypatch.setattr(qapp, "exec", the_user_closes_the_workspace)
    code, back_to_welcome, restored = app_module.run_window(qapp, service, window)
    assert (code, back_to_welcome, restored) == (0, True, None)
    shown.clear()
    del service, window
    gc.collect()
    assert [ref() for ref in gone] == [None, None, None]


def test_background_work_lets_go_of_what_it_read(qtbot: Any, saved: Path) -> None:
    """What a background task's work and delivery hold (a whole case's records, for flags) is
    not kept once it has been delivered."""
    import gc
    import weakref

    service = app_module.open_choice(Choice(saved, PASSPHRASE), "Alice")
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)

    class Read:
        pass

    kept: list[weakref.ref[Read]] = []
    delivered: list[int] = []

    def start() -> None:
        case = Read()  # as CaseView.refresh_flags's work holds the case it analyses
        kept.append(weakref.ref(case))
        window.ops.in_background(
            "Working", lambda: id(case), lambda found: delivered.append(found + 0 * id(case))
        )

    for _ in range(5):
        start()
    window.ops.wait()
    gc.collect()
    assert len(delivered) == 5
    assert [ref() for ref in kept] == [None] * 5
    window.close()
    service.close()


def test_idle_time_counts_from_when_the_workspace_has_opened(qtbot: Any, saved: Path) -> None:
    """The window is made while the workspace opens; however long opening takes (a migration,
    a slow network folder), the lock's idle time starts once it is open."""
    import time

    window = MainWindow(idle_minutes=5, name=saved.name)
    qtbot.addWidget(window)
    window.locker.idle.setInterval(300)  # as if the idle time were 0.3 s
    time.sleep(0.4)  # opening took longer than that
    service = app_module.open_choice(Choice(saved, PASSPHRASE), "Alice")
    window.attach(service)
    assert window.locker.idle.isActive() and window.locker.idle.remainingTime() > 200
    assert not window.locker.is_locked()
    window.close()
    service.close()
