"""Sizes that fit the screen the window is on (a small laptop at 125 % has 1092x574 to give)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SHARE = 0.92  # of the available screen, leaving the title bar and a margin in view


def fit_on_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to width x height, or less where the screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * SHARE))
        height = min(height, int(room.height() * SHARE))
    widget.resize(max(width, widget.minimumSizeHint().width()), height)
