"""The chronology's filters: free text, person, kind, agency, tag, significance and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from chronology_app.core.dates import parse_practitioner_date
from chronology_app.core.errors import InvalidDate
from chronology_app.core.model.vocabulary import ENTRY_KINDS, reading
from chronology_app.core.records import CaseData
from chronology_app.gui.colours import toned
from chronology_app.gui.models.chronology_model import Filters


class FilterBar(QWidget):
    changed = Signal(object)  # Filters

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the chronology (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.person = QComboBox()
        self.kind = QComboBox()
        self.agency = QComboBox()
        self.tag = QComboBox()
        self.significance = QComboBox()
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText("from, e.g. 2019")
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText("to, e.g. March 2021")
        self.hide_restricted = QCheckBox("Hide restricted")
        self.date_problem = QLabel()
        toned(self.date_problem, "error")
        clear = QPushButton("Clear")
        clear.clicked.connect(self.clear)
        for combo in (self.person, self.kind, self.agency, self.tag, self.significance):
            # A long name or agency must not make the window wider than a small laptop.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(5)
        for line in (self.date_from, self.date_to):
            line.setMinimumWidth(60)
        for widget, name in (
            (self.search, "Search the chronology"),
            (self.person, "Person"),
            (self.kind, "Kind of entry"),
            (self.agency, "Agency"),
            (self.tag, "Tag"),
            (self.significance, "Significance"),
            (self.date_from, "From date"),
            (self.date_to, "To date"),
        ):
            widget.setAccessibleName(name)
        grid.addWidget(self.search, 0, 0, 1, 3)
        grid.addWidget(self.person, 0, 3)
        grid.addWidget(self.kind, 0, 4)
        grid.addWidget(self.agency, 0, 5)
        grid.addWidget(self.tag, 1, 0)
        grid.addWidget(self.significance, 1, 1)
        grid.addWidget(self.date_from, 1, 2)
        grid.addWidget(self.date_to, 1, 3)
        grid.addWidget(self.hide_restricted, 1, 4)
        grid.addWidget(clear, 1, 5)
        grid.addWidget(self.date_problem, 2, 0, 1, 6)
        self.date_problem.hide()
        self.search.textChanged.connect(self._emit)
        for combo in (self.person, self.kind, self.agency, self.tag, self.significance):
            combo.currentIndexChanged.connect(self._emit)
        self.date_from.editingFinished.connect(self._emit)
        self.date_to.editingFinished.connect(self._emit)
        self.hide_restricted.toggled.connect(self._emit)
        self._loading = False
        self._choices: dict[QComboBox, list[tuple[str, str]]] = {}
        self.set_case(None)

    def set_case(self, case: CaseData | None) -> None:
        self._loading = True

        def fill(combo: QComboBox, anything: str, items: list[tuple[str, str]]) -> None:
            if self._choices.get(combo) == items:
                return  # the same choices (most edits): the list is left as it is
            self._choices[combo] = items
            current = combo.currentData()
            combo.clear()
            combo.addItem(anything, None)
            for value, label in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))

        persons = [] if case is None else [(p.id, p.name) for p in case.persons]
        entries = [] if case is None else case.entries
        fill(self.person, "Any person", persons)
        kinds = sorted({e.kind for e in entries})
        fill(self.kind, "Any kind", [(k, ENTRY_KINDS.get(k, k)) for k in kinds])
        fill(
            self.agency, "Any agency", [(a, a) for a in sorted({e.source_agency for e in entries})]
        )
        fill(
            self.tag,
            "Any tag",
            [(t, reading(t)) for t in sorted({t for e in entries for t in e.tags})],
        )
        fill(
            self.significance,
            "Any significance",
            [("high", "High"), ("medium", "Medium"), ("low", "Low")],
        )
        self._loading = False

    def filters(self) -> Filters:
        problems = []
        bounds: list[dt.date | None] = []
        for field, use_latest in ((self.date_from, False), (self.date_to, True)):
            text = field.text().strip()
            if not text:
                bounds.append(None)
                continue
            try:
                reading = parse_practitioner_date(text)
            except InvalidDate as err:
                problems.append(str(err))
                bounds.append(None)
                continue
            bounds.append(reading.latest if use_latest else reading.earliest)
        self.date_problem.setText("\n".join(problems))
        self.date_problem.setVisible(bool(problems))
        return Filters(
            text=self.search.text(),
            person=self.person.currentData(),
            kind=self.kind.currentData(),
            agency=self.agency.currentData(),
            tag=self.tag.currentData(),
            significance=self.significance.currentData(),
            date_from=bounds[0],
            date_to=bounds[1],
            hide_restricted=self.hide_restricted.isChecked(),
        )

    def clear(self) -> None:
        self._loading = True
        self.search.clear()
        for combo in (self.person, self.kind, self.agency, self.tag, self.significance):
            combo.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()
        self.hide_restricted.setChecked(False)
        self._loading = False
        self._emit()

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit(self.filters())
