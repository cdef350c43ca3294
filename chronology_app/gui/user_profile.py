"""Who is working: the user's name and role, set once per operating-system user (QSettings is
per OS user), used as "recorded by", on reviews and as a report's "prepared by".

In a file workspace the role is a label, not access control: a supervisor sees that review
mode is on, and the name says who did what in the audit trail.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

NAME_KEY = "user/name"
ROLE_KEY = "user/role"
ROLES = {"practitioner": "Practitioner", "supervisor": "Supervisor"}
MAX_NAME = 100


@dataclass(frozen=True)
class Profile:
    name: str
    role: str  # a key of ROLES

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, ROLES["practitioner"])


def load_profile() -> Profile:
    """This OS user's profile; their login name and "practitioner" until they set one (a bad
    stored value is ignored)."""
    settings = QSettings()
    name = settings.value(NAME_KEY, "")
    role = settings.value(ROLE_KEY, "practitioner")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        name = _login_name()
    if role not in ROLES:
        role = "practitioner"
    return Profile(name.strip(), str(role))


def profile_is_set() -> bool:
    value = QSettings().value(NAME_KEY, "")
    return isinstance(value, str) and bool(value.strip())


def save_profile(profile: Profile) -> None:
    settings = QSettings()
    settings.setValue(NAME_KEY, profile.name)
    settings.setValue(ROLE_KEY, profile.role)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


class ProfileDialog(QDialog):
    """Set the name and role once; a problem shows under the name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is working")
        current = load_profile()
        form = QFormLayout(self)
        intro = QLabel(
            "Your name is recorded with what you add and change, and shown on reports as "
            "“prepared by”. Set it once for this computer login."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QLineEdit(current.name if profile_is_set() else "")
        self.name.setPlaceholderText("e.g. Sam Carter")
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName("Your name")
        form.addRow("Your name", self.name)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.hide()
        form.addRow("", self.error)
        self.role = QComboBox()
        for key, label in ROLES.items():
            self.role.addItem(label, key)
        self.role.setCurrentIndex(max(self.role.findData(current.role), 0))
        self.role.setAccessibleName("Your role")
        form.addRow("Your role", self.role)
        note = QLabel("The role is a label here: it does not limit what you can do.")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def try_save(self) -> bool:
        name = " ".join(self.name.text().split())
        if not name:
            self.error.setText("Give your name as colleagues know it.")
            self.error.show()
            return False
        save_profile(Profile(name, str(self.role.currentData())))
        self.accept()
        return True
