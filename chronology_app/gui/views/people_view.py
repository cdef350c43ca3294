"""People and relationships: the people list, and the family diagram beside it.

The diagram (`genogram_view.py`) is the reports' genogram, drawn from the same layout. Choosing
a person in either selects them in both.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.records import CaseData
from chronology_app.gui.models.people_model import PeopleModel
from chronology_app.gui.views.genogram_view import DiagramWindow, GenogramView


class PeopleView(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = PeopleModel(parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("People")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._table_selection)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.table)
        self.larger = QPushButton("Family diagram in a window…")
        self.larger.setToolTip("The family diagram at a size to read (or double-click it)")
        self.larger.clicked.connect(self.open_diagram_window)
        column.addWidget(self.larger)
        self.splitter.addWidget(left)
        self.diagram = GenogramView()
        self.diagram.person_clicked.connect(self.select_person)
        self.diagram.enlarge_requested.connect(self.open_diagram_window)
        self.window_: DiagramWindow | None = None
        self.splitter.addWidget(self.diagram)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter)

    def set_case(self, case: CaseData | None) -> None:
        chosen = self.selected_person()
        self.model.set_records(list(case.persons) if case else [])
        self.diagram.set_case(case)
        if self.window_ is not None:
            self.window_.set_case(case)
        if chosen is not None:
            self.select_person(chosen)

    def selected_person(self) -> str | None:
        """The id of the person chosen in the table, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()).id if rows else None

    def select_person(self, person_id: str) -> None:
        """Select a person in the list (and so in the diagram)."""
        for row, person in enumerate(self.model.records()):
            if person.id == person_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def open_diagram_window(self) -> None:
        """The diagram in a window of its own, kept up to date with the case."""
        if self.window_ is None:
            self.window_ = DiagramWindow(self)
            self.window_.diagram.person_clicked.connect(self.select_person)
        self.window_.set_case(self.diagram.case)
        self.window_.diagram.select(self.selected_person())
        self.window_.show()
        self.window_.raise_()

    def _table_selection(self) -> None:
        chosen = self.selected_person()
        self.diagram.select(chosen)
        if self.window_ is not None:
            self.window_.diagram.select(chosen)
