"""The Qt binding itself must hold up for a whole working day.

PySide6-Essentials 6.12.0 on Python 3.11 dropped one reference to `None` on every call of a Qt
method that returns nothing (`update()`, `processEvents()`, `setText()`…). `None` is not immortal
before Python 3.12, so after some thousands of such calls the interpreter aborted with "Fatal
Python error: none_dealloc", taking any typing not yet saved with it. pyproject.toml pins a
release without the fault; this test fails if a future pin brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

CALLS = 5000


def test_qt_calls_that_return_nothing_do_not_use_up_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    assert app is not None
    before = sys.getrefcount(None)
    for number in range(CALLS):
        label.update()
        label.setText(str(number % 10))
        app.processEvents()
    after = sys.getrefcount(None)
    # Other objects come and go meanwhile; a leak would show as thousands fewer.
    assert after > before - CALLS // 10, f"None lost {before - after} references"
