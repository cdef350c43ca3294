"""Parts every small dialog has: the line that shows a problem in words, OK / Cancel, and the
fields of a new passphrase with the line that says how strong it is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit

from chronology_app.core.passphrases import passphrase_problem
from chronology_app.gui.colours import toned


def error_label() -> QLabel:
    """An empty line for a problem, in red, wrapped so a long message is never cut off."""
    label = toned(QLabel(), "error")
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, on_ok: Callable[[], object]) -> QDialogButtonBox:
    """OK runs `on_ok` (which accepts the dialog when all is well); Cancel rejects it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def accept_unless(dialog: QDialog, problem: str, error: QLabel) -> bool:
    """Accept the dialog, or, when there is a problem, show it on the problem line and stay."""
    error.setText(problem)
    if problem:
        return False
    dialog.accept()
    return True


def strength_hint(passphrase: str) -> str:
    """A plain hint from the same judge (zxcvbn) the core applies to every new passphrase."""
    if not passphrase:
        return ""
    problem = passphrase_problem(passphrase)
    if problem:
        return problem
    return "Good: hard to guess. Keep it somewhere safe; it cannot be recovered."


def secret_field(label: str) -> QLineEdit:
    """A field whose text is never shown (a passphrase), named for screen readers."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(label)
    return field


def strength_line(field: QLineEdit) -> QLabel:
    """The line under a new passphrase that says, as it is typed, how strong it is."""
    hint = QLabel()
    hint.setWordWrap(True)
    field.textChanged.connect(lambda text: hint.setText(strength_hint(text)))
    return hint
