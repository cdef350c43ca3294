"""The lock: after an idle time, or on "Hide now", everything is hidden behind a passphrase.

The same watch on the user's input finds the quiet moments for the cycle collector's full walk
(core/bulk.collect_set_aside): a minute after the last input, and when the window locks.

The main window's pages sit in a stack; locking shows the lock screen instead, hides the docks,
turns off every action but Quit, and covers any open dialog with a lock screen of its own (so
what was typed in it is kept). The passphrase is checked by the service; nothing is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from chronology_app.core.bulk import collect_set_aside
from chronology_app.core.errors import ChronologyError
from chronology_app.core.service import Service
from chronology_app.gui import stored_settings
from chronology_app.gui.widgets.lock_screen import LockScreen

log = logging.getLogger(__name__)
IDLE_KEY = stored_settings.IDLE_KEY
DEFAULT_IDLE_MINUTES = stored_settings.IDLE_DEFAULT
QUIET_MS = 60_000  # no input for this long: a quiet moment for the collector
INPUT_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)


def idle_minutes_setting() -> int:
    """This user's idle time before the lock, in minutes (1 to 120; a value that is not usable
    gives the default, and the window says so: see `stored_settings`)."""
    return stored_settings.idle_minutes()[0]


class Locker(QObject):
    """Locks one main window (its `stack`, docks and actions)."""

    def __init__(
        self,
        window: QMainWindow,
        service: Service,
        stack: QStackedWidget,
        docks: Sequence[QDockWidget],
        actions: Callable[[], Sequence[QAction]],
        keep: QAction,
        on_unlock: Callable[[], None],
        idle_minutes: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.stack = stack
        self.docks = list(docks)
        self.actions = actions
        self.keep = keep  # the one action left on while locked (Quit)
        self.on_unlock = on_unlock
        self.screen = LockScreen(self.check_passphrase)
        self.screen.unlocked.connect(self.unlock)
        stack.addWidget(self.screen)
        self.covers: list[LockScreen] = []
        self._page: QWidget | None = None
        self._docks_visible: list[bool] = []
        minutes = idle_minutes if idle_minutes is not None else idle_minutes_setting()
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.set_idle_minutes(minutes)
        self.idle.timeout.connect(self.lock)
        self.idle.start()
        self.quiet = QTimer(self)
        self.quiet.setSingleShot(True)
        self.quiet.setInterval(QUIET_MS)
        self.quiet.timeout.connect(self._quiet_moment)
        self.quiet.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def restart(self) -> None:
        """Count idle time from now: the time a workspace took to open (a migration, a slow
        network folder) was not the user's."""
        self.idle.start()
        self.quiet.start()

    def set_idle_minutes(self, minutes: int) -> None:
        """Never off and never more than two hours, whatever is asked."""
        kept = min(max(minutes, stored_settings.IDLE_MIN), stored_settings.IDLE_MAX)
        self.idle.setInterval(kept * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.is_locked():
            self.idle.start()
            self.quiet.start()
        return False

    def _quiet_moment(self) -> None:
        collect_set_aside()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.screen

    def lock(self) -> None:
        if self.is_locked():
            return
        self._page = self.stack.currentWidget()
        self._docks_visible = [dock.isVisible() for dock in self.docks]
        for dock in self.docks:
            dock.hide()
        self.window.menuBar().setEnabled(False)
        for action in self.actions():
            if action is not self.keep:
                action.setEnabled(False)
        self.stack.setCurrentWidget(self.screen)
        self._cover_dialogs()
        self.window.setWindowTitle("Chronology (locked)")
        self.window.statusBar().clearMessage()
        self.screen.reset()
        log.info("workspace locked")
        self.quiet.stop()
        self._quiet_moment()

    def _cover_dialogs(self) -> None:
        """An open dialog (an entry being edited, a message) is covered by a lock screen of
        its own: hiding it would end it and lose what was typed, and while it is modal the
        window's own lock screen cannot be reached."""
        self.covers = []
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not isinstance(widget, QDialog) or not widget.isVisible():
                continue
            cover = LockScreen(self.check_passphrase, widget)
            cover.setAutoFillBackground(True)
            cover.setGeometry(widget.rect())
            cover.unlocked.connect(self.unlock)
            cover.show()
            cover.raise_()
            cover.reset()
            self.covers.append(cover)

    def unlock(self) -> None:
        for cover in self.covers:
            cover.hide()
            cover.deleteLater()
        self.covers = []
        if self._page is not None:
            self.stack.setCurrentWidget(self._page)
        for dock, visible in zip(self.docks, self._docks_visible, strict=False):
            dock.setVisible(visible)
        self.window.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self.on_unlock()
        self.idle.start()

    def docks_as_unlocked(self) -> None:
        """Show the docks as they were before the lock (for saving the window's layout: a
        lock must not be remembered as panels closed). Only while closing."""
        if self.is_locked():
            for dock, visible in zip(self.docks, self._docks_visible, strict=False):
                dock.setVisible(visible)

    def check_passphrase(self, passphrase: str) -> str | None:
        try:
            self.service.check_passphrase(passphrase)
        except ChronologyError as error:
            return str(error)
        return None

    def stop(self) -> None:
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
