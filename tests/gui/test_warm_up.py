"""The app's start: the welcome screen needs Qt alone; the store, the main window's modules and
its kinds of widget are made ready while the passphrase is typed (gui/app.py WarmUp)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from typing import Any

from PySide6.QtWidgets import QApplication

from chronology_app.gui import fonts
from chronology_app.gui.warm_up import STORE_MODULES, WINDOW_MODULES, warm_up

WELCOME_ONLY = """
import json, sys
from chronology_app.gui.dialogs.welcome import WelcomeDialog
import chronology_app.gui.app
print(json.dumps(sorted(m for m in ("sqlalchemy", "sqlmodel", "chronology_app.core.service",
                                    "chronology_app.gui.main_window") if m in sys.modules)))
"""


def test_the_welcome_screen_loads_no_database_layer_and_no_main_window() -> None:
    found = subprocess.run(
        [sys.executable, "-c", WELCOME_ONLY], capture_output=True, text=True, check=True
    )
    assert json.loads(found.stdout) == []


FONTS = """
import os
from chronology_app.gui import fonts
from chronology_app.gui.app import make_application
app = make_application()
print(fonts._Registered.done)
from chronology_app.gui.report_layout import font
from PySide6.QtGui import QFontInfo
drawn = QFontInfo(font(9.0)).family()
print(fonts._Registered.done, drawn)
"""


def test_the_apps_fonts_wait_for_the_warm_up_or_the_first_report() -> None:
    """Not read before the welcome screen; a report preview drawn before the warm-up ends
    (`--demo` opens straight away) still draws with DejaVu Sans, as its PDF does."""
    import os

    found = subprocess.run(
        [sys.executable, "-c", FONTS],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert found.stdout.split("\n")[:2] == ["False", "True DejaVu Sans"]


def test_the_warm_up_imports_the_store_then_primes_the_window_and_leaves_nothing_behind(
    qtbot: Any, qapp: QApplication, monkeypatch: Any, request: Any
) -> None:
    request.addfinalizer(gc.unfreeze)  # the rest of the test run collected as before
    from PySide6.QtCore import QSettings

    written: list[str] = []
    monkeypatch.setattr(QSettings, "setValue", lambda _self, key, _value: written.append(key))
    before = set(qapp.topLevelWidgets())
    shown = {widget for widget in before if widget.isVisible()}  # (other tests' leftovers)
    warming = warm_up(qapp)
    qtbot.waitUntil(lambda: warming.done, timeout=20_000)
    assert all(name in sys.modules for name in (*STORE_MODULES, *WINDOW_MODULES))
    assert fonts._Registered.done
    assert gc.get_freeze_count() > 10_000  # what start-up made, set aside from the collector
    qtbot.waitUntil(lambda: set(qapp.topLevelWidgets()) <= before)  # the shell is gone
    assert {widget for widget in qapp.topLevelWidgets() if widget.isVisible()} <= shown
    assert written == []  # nothing of the window's layout saved from the throwaway shell


class _Node:
    other: _Node


def test_a_warm_up_that_ends_after_a_window_opened_sets_nothing_aside(
    qtbot: Any, qapp: QApplication, window: Any, request: Any
) -> None:
    """`--demo` opens the window before the event loop runs, so the warm-up ends after it: what
    the window holds must stay within the cycle collector's reach."""
    request.addfinalizer(gc.unfreeze)
    first, second = _Node(), _Node()
    first.other, second.other = second, first  # a cycle, as Qt wrappers and closures make
    window.held = first
    gone = weakref.ref(first)
    del first, second
    warming = warm_up(qapp)
    qtbot.waitUntil(lambda: warming.done, timeout=30_000)
    del window.held
    gc.collect()
    assert gone() is None
