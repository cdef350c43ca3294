"""What a timeline marker means: its colour by kind of entry, its tooltip, and the legend."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QLabel

from chronology_app.core.model.vocabulary import ENTRY_KINDS, RELATIONSHIP_ENTRY_KINDS, kinds_in
from chronology_app.core.records import EntryRecord
from chronology_app.gui.colours import tones

DA_KINDS = kinds_in("harm")
RESPONSE_KINDS = kinds_in("response")


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
        self.setWordWrap(True)
        self.setContentsMargins(6, 2, 6, 2)
        self.setToolTip("\n".join(CATEGORY_WORDS.values()))
        self.setAccessibleName("Timeline legend")
        self.palette_changed()

    def palette_changed(self) -> None:
        """The symbols in the colours the timeline draws with under the palette in use."""
        colour = tones()
        parts = [
            f'<span style="color:{colour[key].name()}">●</span>&nbsp;'
            + html.escape(words.split(" (")[0])
            for key, words in CATEGORY_WORDS.items()
        ]
        parts += [
            f'<span style="color:{colour[key].name()}">{symbol}</span>&nbsp;{words}'
            for key, symbol, words in (
                ("flagged", "◯", "Flagged"),
                ("together", "▬", "Together"),
                ("separated", "▬", "Separated"),
            )
        ]
        self.setText(" &nbsp; ".join(parts))
