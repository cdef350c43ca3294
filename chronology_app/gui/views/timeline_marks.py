"""What a timeline marker means: its colour by kind of entry, its tooltip, and the legend."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QLabel

from chronology_app.core.model.vocabulary import ENTRY_KINDS, RELATIONSHIP_ENTRY_KINDS, kinds_in
from chronology_app.core.records import EntryRecord

DA_KINDS = kinds_in("harm")
RESPONSE_KINDS = kinds_in("response")
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


class TimelineLegend(QLabel):
    """What the marker colours, the ring and the relationship bars mean (wraps on a narrow
    window rather than widening it)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        parts = [
            f'<span style="color:{COLOURS[key]}">●</span>&nbsp;{html.escape(words.split(" (")[0])}'
            for key, words in CATEGORY_WORDS.items()
        ]
        parts += [
            '<span style="color:#f9a825">◯</span>&nbsp;Flagged',
            '<span style="color:#8e24aa">▬</span>&nbsp;Together',
            '<span style="color:#90a4ae">▬</span>&nbsp;Separated',
        ]
        self.setText(" &nbsp; ".join(parts))
        self.setWordWrap(True)
        self.setContentsMargins(6, 2, 6, 2)
        self.setToolTip("\n".join(CATEGORY_WORDS.values()))
        self.setAccessibleName("Timeline legend")
