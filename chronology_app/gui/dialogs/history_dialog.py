"""An entry's history (who changed what, when and why, field by field), and the case's
withdrawn entries, struck through with the reason, shown on request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.audit import HistoryItem
from chronology_app.core.records import entry_ref
from chronology_app.gui.models.base import RecordTableModel
from chronology_app.gui.widgets.fit import fit_on_screen

EVENTS = {
    "added": "Added",
    "changed": "Changed",
    "withdrawn": "Withdrawn",
    "restored": "Restored",
    "removed": "Removed",
}
FIELD_WORDS = {
    "summary": "What happened",
    "detail": "Detail",
    "date": "Date",
    "date_text": "Date as written",
    "kind": "Kind",
    "source.agency": "Source agency",
    "source.type": "Source type",
    "impact": "Impact on the child",
    "action": "Action taken",
    "significance": "Significance",
    "withdrawn": "Withdrawn",
}


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict | list):
        return (
            ", ".join(f"{k}: {v}" for k, v in value.items())
            if isinstance(value, dict)
            else (", ".join(map(str, value)))
        )
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


ADDED_SHOWN = ("date_text", "date", "summary")


def describe_changes(item: HistoryItem) -> str:
    """One line per field: "What happened: before → after" (for an entry added, only what it
    said and when)."""
    fields = [change for change in item.fields if change.path != "id"]
    if item.event == "added":
        fields = [change for change in fields if change.path in ADDED_SHOWN]
        return "\n".join(
            f"{FIELD_WORDS.get(change.path, change.path)}: {_value(change.after)}"
            for change in fields
        )
    return "\n".join(
        f"{FIELD_WORDS.get(change.path, change.path)}: {_value(change.before)} → "
        f"{_value(change.after)}"
        for change in fields
    )


def _when(at: dt.datetime) -> str:
    return f"{at:%d/%m/%Y %H:%M}"


class HistoryModel(RecordTableModel[HistoryItem]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                ("When", lambda i: _when(i.at)),
                ("Who", lambda i: i.who),
                ("What", lambda i: EVENTS.get(i.event, i.event)),
                ("Why", lambda i: i.reason or ""),
                ("Fields changed", describe_changes),
            ),
            parent,
        )


class WithdrawnModel(RecordTableModel[dict[str, Any]]):
    """Withdrawn entries, struck through, with who withdrew them, when and why."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                ("No.", lambda r: entry_ref(r["number"]) if r.get("number") else ""),
                ("Date", lambda r: r["doc"].get("date_text") or r["doc"]["date"]),
                ("What happened", lambda r: r["doc"]["summary"]),
                ("Why withdrawn", lambda r: (r["withdrawn"] or {}).get("reason") or ""),
                ("By", lambda r: (r["withdrawn"] or {}).get("by") or ""),
            ),
            parent,
        )

    def extra_data(self, record: dict[str, Any], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column in (1, 2):
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


def _table(model: Any) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


class HistoryDialog(QDialog):
    def __init__(
        self, title: str, items: Sequence[HistoryItem], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of {title}")
        layout = QVBoxLayout(self)
        self.model = HistoryModel(self)
        self.model.set_records(items)
        self.table = _table(self.model)
        self.table.setAccessibleName("History")
        self.table.resizeRowsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_on_screen(self, 900, 480)


class WithdrawnDialog(QDialog):
    """The case's withdrawn entries; History… shows the chosen one's history."""

    def __init__(
        self,
        entries: Sequence[dict[str, Any]],
        history: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Withdrawn entries")
        layout = QVBoxLayout(self)
        count = len(entries)
        note = QLabel(
            f"{count} withdrawn {'entry' if count == 1 else 'entries'}. Withdrawn entries are "
            "kept, with the reason, but are not part of the chronology, its flags or reports."
            if entries
            else "No entry has been withdrawn from this case."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.model = WithdrawnModel(self)
        self.model.set_records(entries)
        self.table = _table(self.model)
        self.table.setAccessibleName("Withdrawn entries")
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        show = QPushButton("History…")
        show.clicked.connect(lambda: self._history(history))
        show.setEnabled(bool(entries))
        buttons.addButton(show, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_on_screen(self, 860, 420)

    def _history(self, show: Callable[[str], None]) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if self.model.rowCount():
            show(self.model.record(row)["doc"]["id"])
