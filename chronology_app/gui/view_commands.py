"""The View and Help menus' commands: the text size and high contrast (kept per user), moving
the keyboard focus to each panel, and the built-in guide (F1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from chronology_app.gui import colours

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow

TEXT_SIZE_KEY = "view/text_size_steps"
STEP_POINTS = 1.5
LOWEST, HIGHEST = -3, 8  # steps from the system's size


def text_size_steps() -> int:
    try:
        steps = int(str(QSettings().value(TEXT_SIZE_KEY, 0)))
    except ValueError:
        return 0
    return min(max(steps, LOWEST), HIGHEST)


_BASE_POINTS: list[float] = []  # the system's text size, read once


def _base_points() -> float:
    if not _BASE_POINTS:
        _BASE_POINTS.append(QApplication.font().pointSizeF() or 10.0)
    return _BASE_POINTS[0]


class ViewCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.apply_text_size(text_size_steps())

    # --- text size -----------------------------------------------------------------------

    def apply_text_size(self, steps: int) -> None:
        """Make the text larger or smaller by `steps` from the system's size, everywhere."""
        steps = min(max(steps, LOWEST), HIGHEST)
        QSettings().setValue(TEXT_SIZE_KEY, steps)
        if not isinstance(QApplication.instance(), QApplication):
            return
        font = QApplication.font()
        font.setPointSizeF(max(_base_points() + steps * STEP_POINTS, 6.0))
        QApplication.setFont(font)
        self.window.setFont(font)

    def set_high_contrast(self, on: bool) -> None:
        """View → High contrast: the black, white and yellow palette, kept for this user (the
        system's own high-contrast setting is followed without it)."""
        colours.set_user_high_contrast(on)
        colours.repaint_all()

    def larger(self) -> None:
        self.apply_text_size(text_size_steps() + 1)

    def smaller(self) -> None:
        self.apply_text_size(text_size_steps() - 1)

    def normal(self) -> None:
        self.apply_text_size(0)

    # --- keyboard focus ------------------------------------------------------------------

    def focus(self, widget: QWidget, dock: QDockWidget | None = None) -> None:
        if dock is not None:
            dock.show()
            dock.raise_()
        widget.setFocus()

    def focus_cases(self) -> None:
        window = self.window
        self.focus(window.cases_panel.table, window.cases_dock)

    def focus_chronology(self) -> None:
        self.focus(self.window.table)

    def focus_timeline(self) -> None:
        window = self.window
        window.case_view.tabs.setCurrentIndex(0)
        self.focus(window.timeline)

    def focus_flags(self) -> None:
        window = self.window
        self.focus(window.flags_panel.table, window.flags_dock)

    # --- help ----------------------------------------------------------------------------

    def help(self) -> None:
        from chronology_app.gui.dialogs.help_dialog import HelpDialog

        HelpDialog(self.window).exec()
