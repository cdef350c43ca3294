"""Possible same person in two cases: each suggestion with why it was made; confirm or reject
it with a reason (on the record, undoable). A confirmed match brings the other case's history
into this one's flags."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.crosscase import MatchSuggestion
from chronology_app.gui.models.base import RecordTableModel
from chronology_app.gui.widgets.fit import fit_on_screen

DATES = {
    "same": "the same date of birth",
    "compatible": "dates of birth that could be the same",
    "one or both unknown": "a date of birth unknown for one or both",
}


def why_suggested(item: MatchSuggestion) -> str:
    dates = DATES.get(item.dates_of_birth, item.dates_of_birth)
    if item.first_name.casefold() == item.second_name.casefold():
        return f"The same name, with {dates}."
    return f"Names alike (“{item.first_name}”, “{item.second_name}”), with {dates}."


class MatchesModel(RecordTableModel[MatchSuggestion]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                ("Person", lambda m: f"{m.first_name} ({m.first.case_reference})"),
                ("May be the same as", lambda m: f"{m.second_name} ({m.second.case_reference})"),
                ("Why suggested", why_suggested),
            ),
            parent,
        )


class MatchesDialog(QDialog):
    """`decide(suggestion, decision, reason)` records the decision (through the one door)."""

    def __init__(
        self,
        suggestions: Sequence[MatchSuggestion],
        decide: Callable[[MatchSuggestion, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Same person in another case?")
        self._decide = decide
        layout = QVBoxLayout(self)
        intro = QLabel(
            "These people in different cases may be the same person. Confirm only when you "
            "are sure: a confirmed match brings the other case's history into this one's "
            "flags. Each decision is kept in the audit trail with your reason."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = MatchesModel(self)
        self.model.set_records(suggestions)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Suggested matches")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 220)
        header.resizeSection(1, 220)
        layout.addWidget(self.table)
        self.empty = QLabel("No possible matches to decide on.")
        self.empty.setVisible(not suggestions)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.confirm = QPushButton("Same person…")
        self.reject_button = QPushButton("Not the same…")
        self.confirm.clicked.connect(lambda: self.decide_chosen("confirmed"))
        self.reject_button.clicked.connect(lambda: self.decide_chosen("rejected"))
        row.addWidget(self.confirm)
        row.addWidget(self.reject_button)
        row.addStretch()
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if suggestions:
            self.table.selectRow(0)
        self._enable()
        fit_on_screen(self, 820, 420)

    def _enable(self) -> None:
        has = self.model.rowCount() > 0
        self.confirm.setEnabled(has)
        self.reject_button.setEnabled(has)
        self.empty.setVisible(not has)

    def chosen(self) -> MatchSuggestion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def ask_reason(self, decision: str) -> str | None:
        verb = "the same person" if decision == "confirmed" else "not the same person"
        reason, ok = QInputDialog.getText(
            self, "Reason", f"Why are they {verb}? (kept in the audit trail)"
        )
        return reason.strip() if ok and reason.strip() else None

    def decide_chosen(self, decision: str) -> None:
        item = self.chosen()
        if item is None:
            return
        reason = self.ask_reason(decision)
        if reason is None:
            return
        if self._decide(item, decision, reason) is None:
            return  # refused: the message was shown
        left = [r for r in self.model.records() if r is not item]
        self.model.set_records(left)
        if left:
            self.table.selectRow(0)
        self._enable()
