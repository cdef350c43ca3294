"""The case list: search by name, alias or reference; open or closed cases."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.gui.models.case_list_model import CaseListFilter, CaseListModel


class CaseListPanel(QWidget):
    case_chosen = Signal(str)
    new_case_requested = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = CaseListModel(self)
        self.proxy = CaseListFilter(self.model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, alias or reference")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.status = QComboBox()
        self.status.addItem("Open cases", "open")
        self.status.addItem("Closed cases", "closed")
        self.status.addItem("All cases", None)
        self.status.currentIndexChanged.connect(
            lambda: self.proxy.set_status(self.status.currentData())
        )
        row.addWidget(self.search)
        row.addWidget(self.status)
        layout.addLayout(row)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._chosen)
        self.table.clicked.connect(self._chosen)
        layout.addWidget(self.table)
        new_case = QPushButton("New case…")
        new_case.clicked.connect(self.new_case_requested)
        layout.addWidget(new_case)

    def _chosen(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.case_chosen.emit(self.model.record(source.row()).reference)

    def select(self, reference: str) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.record(source.row()).reference == reference:
                self.table.selectRow(row)
                return
