"""Parts every small dialog has: the line that shows a problem in words, and OK / Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

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
