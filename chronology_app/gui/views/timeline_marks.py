"""What a timeline marker means: its colour by kind of entry, its tooltip, and the legend."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from chronology_app.core.model.vocabulary import ENTRY_KINDS, RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.records import EntryRecord

DA_KINDS = frozenset({"incident", "disclosure", "police_action", "injury"})
RESPONSE_KINDS = frozenset(
    {
        "referral",
        "risk_assessment",
        "marac_referral",
        "marac_meeting",
        "dvds",
        "safety_plan",
        "court_order",
        "conference",
        "assessment",
        "information_shared",
        "information_request",
    }
)
COLOURS = {"da": "#c62828", "relationship": "#6a1b9a", "response": "#1565c0", "other": "#78909c"}


def category(entry: EntryRecord) -> str:
    if entry.kind in DA_KINDS:
        return "da"
    if entry.kind in RELATIONSHIP_ENTRY_KINDS:
        return "relationship"
    if entry.kind in RESPONSE_KINDS:
        return "response"
    return "other"


CATEGORY_WORDS = {
    "da": "Domestic abuse event (incident, disclosure, police action, injury)",
    "relationship": "Relationship (start, separation, reconciliation)",
    "response": "Agency response (referral, assessment, meeting, order…)",
    "other": "Other entry",
}


def marker_tooltip(entry: EntryRecord) -> str:
    """Date as written, kind and what happened."""
    when = entry.date_text or entry.date.expression
    kind = ENTRY_KINDS.get(entry.kind, entry.kind)
    restricted = " (restricted)" if entry.restricted else ""
    return f"{entry.ref} · {when} · {kind}{restricted}\n{entry.summary}"


class TimelineLegend(QWidget):
    """What the marker colours, the ring and the relationship bars mean."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        items = [(COLOURS[key], words, "dot") for key, words in CATEGORY_WORDS.items()]
        items += [
            ("#f9a825", "Flagged (ring)", "ring"),
            ("#8e24aa", "Together", "bar"),
            ("#cfd8dc", "Separated", "bar"),
        ]
        for colour, words, shape in items:
            swatch = QLabel()
            swatch.setPixmap(_swatch(colour, shape))
            label = QLabel(words.split(" (")[0] if shape == "dot" else words)
            label.setToolTip(words)
            row.addWidget(swatch)
            row.addWidget(label)
            row.addSpacing(8)
        row.addStretch()
        self.setAccessibleName("Timeline legend")


def _swatch(colour: str, shape: str) -> QPixmap:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if shape == "bar":
        painter.fillRect(QRectF(0, 4, 16, 8), QColor(colour))
    elif shape == "ring":
        painter.setPen(QPen(QColor(colour), 3))
        painter.drawEllipse(QPointF(8, 8), 5.5, 5.5)
    else:
        painter.setPen(QPen(QColor(colour).darker()))
        painter.setBrush(QBrush(QColor(colour)))
        painter.drawEllipse(QPointF(8, 8), 5, 5)
    painter.end()
    return pixmap
