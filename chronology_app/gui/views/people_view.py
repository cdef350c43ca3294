"""People and relationships: a table of the persons, and a simple family diagram.

The diagram follows genogram habits loosely: adults on the top row, children below; a square
for a male, a circle for a female, a rounded box otherwise; partners joined by a line (dashed
once they separated), parents joined to their children. Professionals are listed, not drawn.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsScene,
    QGraphicsView,
    QHeaderView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.records import CaseData, PersonRecord
from chronology_app.gui.colours import tones
from chronology_app.gui.models.people_model import PeopleModel

BOX_W, BOX_H, GAP_X, ROW_Y = 130.0, 46.0, 40.0, 150.0


def separated(case: CaseData, relationship_id: str) -> bool:
    """Whether the latest relationship entry for this relationship is a separation."""
    events = [e for e in case.entries if e.relationship == relationship_id]
    return bool(events) and events[-1].kind == "separation"


class FamilyDiagram(QGraphicsView):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._case: CaseData | None = None

    def palette_changed(self) -> None:
        """Draw again in the colours of the palette now in use."""
        self.set_case(self._case)

    def set_case(self, case: CaseData | None) -> None:
        self._case = case
        scene = self.scene()
        scene.clear()
        if case is None:
            return
        drawn = [p for p in case.persons if "professional" not in p.roles]
        adults = [p for p in drawn if not p.is_child]
        children = [p for p in drawn if p.is_child]
        where: dict[str, QRectF] = {}
        for row, people in enumerate((adults, children)):
            for column, person in enumerate(people):
                rect = QRectF(column * (BOX_W + GAP_X), row * ROW_Y, BOX_W, BOX_H)
                where[person.id] = rect
        couples = 0
        colours = tones()
        for relationship in case.relationships:
            a, b = relationship.persons
            if a not in where or b not in where:
                continue
            first, second = where[a], where[b]
            if relationship.kind == "intimate_partner":
                # Each couple's line at its own depth below the row, so lines never overlap.
                couples += 1
                drop = 8.0 + 9.0 * (couples - 1)
                dashed = separated(case, relationship.id)
                style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
                pen = QPen(colours["relationship"], 2, style)
                x1 = first.center().x() - couples * 4
                x2 = second.center().x() + couples * 4
                y = first.bottom() + drop
                scene.addLine(x1, y, x2, y, pen)
                scene.addLine(x1, first.bottom(), x1, y, pen)
                scene.addLine(x2, second.bottom(), x2, y, pen)
            elif relationship.kind == "parent_child":
                pen = QPen(colours.text, 1)
                scene.addLine(
                    first.center().x(), first.bottom(), second.center().x(), second.top(), pen
                )
            else:
                pen = QPen(colours["separated"], 1, Qt.PenStyle.DotLine)
                scene.addLine(QLineF(first.center(), second.center()), pen)
        for person in drawn:
            self._draw_person(person, where[person.id])

    def _draw_person(self, person: PersonRecord, rect: QRectF) -> None:
        scene = self.scene()
        colours = tones()
        fill = QBrush(colours.tints["restricted"] if person.restricted else colours.base)
        pen = QPen(colours.text, 2 if person.is_child else 1)
        if person.sex == "male":
            scene.addRect(rect, pen, fill)
        elif person.sex == "female":
            scene.addEllipse(rect, pen, fill)
        else:
            path_rect = scene.addRect(rect, pen, fill)
            path_rect.setOpacity(0.9)
        text = scene.addText(person.name + ("\n(restricted)" if person.restricted else ""))
        text.setDefaultTextColor(colours.text)
        text.setTextWidth(BOX_W - 8)
        text.setPos(rect.left() + 4, rect.top() + 2)
        text.setToolTip(", ".join(person.roles))


class PeopleView(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = PeopleModel(parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        splitter.addWidget(self.table)
        self.diagram = FamilyDiagram()
        splitter.addWidget(self.diagram)
        splitter.setSizes([120, 380])
        layout.addWidget(splitter)

    def set_case(self, case: CaseData | None) -> None:
        chosen = self.selected_person()
        self.model.set_records(list(case.persons) if case else [])
        self.diagram.set_case(case)
        if chosen is not None:
            for row, person in enumerate(self.model.records()):
                if person.id == chosen:
                    self.table.selectRow(row)

    def selected_person(self) -> str | None:
        """The id of the person chosen in the table, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()).id if rows else None
