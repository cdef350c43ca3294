"""The flags on a case, most serious first within the spec's order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from chronology_app.core.service import ReviewedFlag
from chronology_app.gui.colours import tones
from chronology_app.gui.models.base import RecordTableModel


def severity_colour(severity: str) -> QColor:
    """A flag's severity in its colour (red, orange, grey), readable on the palette's base."""
    colours = tones()
    return colours[severity] if severity in colours.colours else QColor(colours.text)


def _review(item: ReviewedFlag) -> str:
    if item.review is None:
        return "To review"
    return item.review.decision.capitalize()


class FlagsModel(RecordTableModel[ReviewedFlag]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                ("Severity", lambda r: r.flag.severity.capitalize()),
                ("Flag", lambda r: r.flag.title),
                ("Review", _review),
            ),
            parent,
        )

    def extra_data(self, record: ReviewedFlag, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(severity_colour(record.flag.severity))
        if role == Qt.ItemDataRole.ForegroundRole and record.review is not None:
            return QBrush(tones()["reviewed"])
        return None

    def flagged_entries(self) -> set[str]:
        return {e for item in self.records() if item.review is None for e in item.flag.entries}
