"""Who is working: the dialog that sets the user's name and role once per operating-system
user. The profile itself is kept by the core (`core/profile.py`), so the command line uses the
same name for "recorded by", reviews and "prepared by".

In a file workspace the role is a label, not access control: a supervisor sees that review
mode is on, and the name says who did what in the audit trail.
"""

from __future__ import annotations

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

from chronology_app.core import profile as core_profile
from chronology_app.core.errors import ChronologyError, InvalidInput
from chronology_app.core.profile import MAX_NAME, ROLES, Profile
from chronology_app.gui.colours import toned

__all__ = ["ROLES", "Profile", "ProfileDialog", "load_profile", "profile_is_set"]

# Where earlier versions kept the profile (this OS user's QSettings): moved to the core's file
# the first time it is read, so a name set before is not asked for again.
_OLD_NAME_KEY, _OLD_ROLE_KEY = "user/name", "user/role"


def _move_old_profile() -> None:
    if core_profile.profile_is_set():
        return
    settings = QSettings()
    name, role = settings.value(_OLD_NAME_KEY, ""), settings.value(_OLD_ROLE_KEY, "")
    if not isinstance(name, str) or not name.strip():
        return
    try:
        core_profile.save_profile(Profile(name, role if role in ROLES else "practitioner"))
    except ChronologyError:
        return  # a value that is not usable: the dialog asks again
    settings.remove(_OLD_NAME_KEY)
    settings.remove(_OLD_ROLE_KEY)


def load_profile() -> Profile:
    _move_old_profile()
    return core_profile.load_profile()


def profile_is_set() -> bool:
    _move_old_profile()
    return core_profile.profile_is_set()


class ProfileDialog(QDialog):
    """Set the name and role once; a problem shows under the name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is working")
        current = load_profile()
        form = QFormLayout(self)
        intro = QLabel(
            "Your name is recorded with what you add and change, and shown on reports as "
            "“prepared by” (the command line uses it too). Set it once for this computer login."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QLineEdit(current.name if profile_is_set() else "")
        self.name.setPlaceholderText("e.g. Sam Carter")
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName("Your name")
        form.addRow("Your name", self.name)
        self.error = QLabel()
        toned(self.error, "error")
        self.error.setWordWrap(True)
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
        try:
            core_profile.save_profile(Profile(self.name.text(), str(self.role.currentData())))
        except InvalidInput as err:
            self.error.setText(" ".join(err.problems.values()))
            self.error.show()
            return False
        except ChronologyError as err:
            self.error.setText(str(err))
            self.error.show()
            return False
        self.accept()
        return True
