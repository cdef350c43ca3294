"""The lock screen: shown in place of everything when the workspace locks.

Nothing of the case is visible while locked. Unlocking asks for the workspace's passphrase,
which is checked by opening the encrypted file, never compared with a stored copy; on a team
server, for the user's password, checked by the server itself (a new connection as the same
user that must ask for it: a sign-in stored on the laptop never unlocks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from chronology_app.gui.colours import toned


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, check: Callable[[str], str | None], parent: Any = None) -> None:
        """`check(passphrase)` returns None when it opens the workspace, else a message."""
        super().__init__(parent)
        self._check = check
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QWidget()
        box.setFixedWidth(420)
        outer.addWidget(box)
        layout = QVBoxLayout(box)
        title = QLabel("<h2>Chronology is locked</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addWidget(QLabel("Type the workspace passphrase to carry on."))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.passphrase)
        self.error = QLabel()
        toned(self.error, "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        button = QPushButton("Unlock")
        button.clicked.connect(self.try_unlock)
        layout.addWidget(button)

    def reset(self) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.passphrase.setFocus()

    def try_unlock(self) -> bool:
        problem = self._check(self.passphrase.text())
        self.passphrase.clear()
        if problem:
            self.error.setText(problem)
            return False
        self.error.clear()
        self.unlocked.emit()
        return True
