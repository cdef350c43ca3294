"""What the app makes ready while the user reads the welcome screen and types a passphrase, so
that opening a workspace then costs the key derivation and little else.

The welcome screen needs Qt alone. Meanwhile, on a thread of its own, the database layer is
imported (SQLAlchemy, SQLModel, the service, and SQLAlchemy's SQLite dialect, otherwise loaded
when the engine is made) and the stored types' mappings are put together (otherwise done at the
first query): about half a second in all. The core never imports Qt (a test keeps it so), so
nothing on that thread touches Qt. The thread starts once the welcome screen is up: begun
before, it took Python's lock from the screen being made and shown.

Then, on the GUI thread (PySide6 makes its Python types, and each Qt enum, as they are first
used, which is not safe from two threads), a step at a time so that the screen stays
responsive: the app's own fonts are registered (gui/fonts.py); the main window's modules are
imported; every class of QtCore, QtGui and QtWidgets
is looked up once, so that PySide6 makes it and its enums now rather than when the first real
window is shown and painted (the window's events reach Python, each of a new class); the main
window's kinds of widget are made and painted once, offscreen, and thrown away
(`main_window.prime`); and what start-up made is set aside from the cycle collector
(core/bulk.py). In all this takes the first window from the passphrase down by about 0.1 s.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Iterator

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from chronology_app.core.bulk import set_aside_what_startup_made
from chronology_app.gui.fonts import register_fonts

STORE_MODULES = ("chronology_app.core.service", "sqlalchemy.dialects.sqlite")
WINDOW_MODULES = ("chronology_app.gui.main_window",)
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")
CLASSES_A_STEP = 40  # a step of looking classes up takes about 15 ms
WAITING_MS = 50  # how often the timer looks whether the store's import is done


class WarmUp:
    """The warm-up under way: `done` once all of it is."""

    def __init__(self, app: QApplication) -> None:
        self.done = False
        self.thread = threading.Thread(target=_import_store, name="import the store")
        self.thread.daemon = True
        self._steps = self._gui_steps()
        self._timer = QTimer(app)
        self._timer.timeout.connect(self._tick)
        self._timer.start(WAITING_MS)  # its first tick starts the thread

    def _tick(self) -> None:
        if self.thread.ident is None:
            self.thread.start()
            return
        if self.thread.is_alive():
            return
        self._timer.setInterval(0)  # one step a turn of the event loop: input goes between
        step = next(self._steps, None)
        if step is None:
            self._timer.stop()
            self._timer.deleteLater()
            self.done = True
        else:
            step()

    def _gui_steps(self) -> Iterator[Callable[[], None]]:
        yield register_fonts
        yield _import_window
        for module in QT_MODULES:
            names = dir(importlib.import_module(module))
            for first in range(0, len(names), CLASSES_A_STEP):
                yield functools.partial(_look_up, module, names[first : first + CLASSES_A_STEP])
        yield _prime_window
        yield _set_aside


def _import_store() -> None:
    for name in STORE_MODULES:
        importlib.import_module(name)
    # Under SQLAlchemy's own lock: safe beside a workspace opened meanwhile.
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def _import_window() -> None:
    for name in WINDOW_MODULES:
        importlib.import_module(name)


def _look_up(module: str, names: list[str]) -> None:
    found = importlib.import_module(module)
    for name in names:
        getattr(found, name)


def _window_came_first() -> bool:
    """Whether a main window is open already (`--demo` opens one at once, and a passphrase
    can be typed before the warm-up is done)."""
    from chronology_app.gui.main_window import MainWindow

    return any(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())


def _prime_window() -> None:
    from chronology_app.gui.main_window import prime

    if not _window_came_first():
        prime()


def _set_aside() -> None:
    # Not once a window is open: the case it shows, and any cycles it makes, would never be
    # collected.
    if not _window_came_first():
        set_aside_what_startup_made()


def warm_up(app: QApplication) -> WarmUp:
    """Start the warm-up (see the module); the benchmark waits for `done`."""
    return WarmUp(app)
