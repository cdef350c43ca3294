"""The flags on a case, most serious first within the spec's order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from chronology_app.core.service import ReviewedFlag
from chronology_app.gui.models.base import RecordTableModel

SEVERITY_COLOURS = {"high": "#c62828", "medium": "#ef6c00", "low": "#546e7a"}


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
            return QBrush(QColor(SEVERITY_COLOURS.get(record.flag.severity, "#000")))
        if role == Qt.ItemDataRole.ForegroundRole and record.review is not None:
            return QBrush(QColor("#757575"))
        return None

    def flagged_entries(self) -> set[str]:
        return {e for item in self.records() if item.review is None for e in item.flag.entries}
