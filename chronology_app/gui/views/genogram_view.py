"""The case's family diagram on screen, in genogram notation.

The layout is the reports' own (`core/reports/genogram.py`), painted by the report painter's
`paint_drawing`, so the app and the reports draw one diagram. The app is an internal view:
a restricted person is drawn, marked "restricted" under their name with a red outline, never
left out. The diagram is laid out for the widget's width (at a reading size), scaled down to
fit its height (in a pane too short for the key below it, the key is left out: the window a
double click opens has it), and laid out again only when the case or the width changes; a
case that is not on screen is not laid out at all. A click on a person says who
(`person_clicked`); the tooltip says who they are, their roles, and "identity restricted".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core import clock
from chronology_app.core.model.vocabulary import reading
from chronology_app.core.records import CaseData, PersonRecord
from chronology_app.core.reports.audience import INTERNAL, AudienceView
from chronology_app.core.reports.genogram import LABELS_H, SIZE, FamilyDiagram, family_diagram
from chronology_app.core.same_event import Groups
from chronology_app.core.wording import age
from chronology_app.gui.report_layout import UNIT
from chronology_app.gui.report_painter import paint_drawing

READING_SCALE = 1.6  # screen pixels to a drawing point, when the room allows
NARROWEST = 360.0  # points: the diagram is never laid out narrower than this
MARGIN = 6.0  # pixels round the diagram
SMALLEST_WITH_KEY = 1.0  # pixels a point: any smaller, and the pane leaves the key out
LISTED = "in the people list"
EMPTY = "No family members to draw yet: add people and their relationships."
SELECTED = QColor("#1f5fa8")


def internal_view(case: CaseData) -> AudienceView:
    """The case as the app shows it: nothing masked, nothing withheld."""
    return AudienceView(INTERNAL, case, (), Groups(), None)


class GenogramView(QWidget):
    """The family diagram of one case (see the module)."""

    person_clicked = Signal(str)
    enlarge_requested = Signal()  # a double click

    def __init__(self, parent: Any = None, enlargeable: bool = True) -> None:
        super().__init__(parent)
        self.setAccessibleName("Family diagram")
        self.setAccessibleDescription(
            "The family in genogram notation. The people list beside it holds the same people."
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.case: CaseData | None = None
        self.selected: str | None = None
        self._diagrams: tuple[FamilyDiagram | None, FamilyDiagram | None] = (None, None)
        self._laid_out_for: tuple[CaseData, float] | None = None
        self.enlargeable = enlargeable

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 90)

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def set_case(self, case: CaseData | None) -> None:
        self.case = case
        if case is None or self.selected not in case.person_by_id:
            self.selected = None
        self.update()

    def select(self, person_id: str | None) -> None:
        if person_id != self.selected:
            self.selected = person_id
            self.update()

    # --- layout --------------------------------------------------------------------------

    def diagram(self) -> FamilyDiagram | None:
        """The diagram laid out for the widget's width (None: nobody to draw): with its key,
        unless the key would leave the people too small to read and there is a window to
        open (the key is there, and each person's tooltip)."""
        case = self.case
        if case is None:
            return None
        width = max(NARROWEST, (self.width() - 2 * MARGIN) / READING_SCALE)
        known = self._laid_out_for
        if known is None or known[0] is not case or known[1] != width:  # not ==: a deep compare
            day = clock.today()
            ages = {p.id: age(p.date_of_birth, day) for p in case.persons}
            view = internal_view(case)
            self._diagrams = (
                family_diagram(view, ages, width, LISTED),
                family_diagram(view, ages, width, LISTED, key=False) if self.enlargeable else None,
            )
            self._laid_out_for = (case, width)
        full, compact = self._diagrams
        if full is not None and compact is not None and self._scale(full) < SMALLEST_WITH_KEY:
            return compact
        return full

    def scale_and_origin(self, diagram: FamilyDiagram) -> tuple[float, QPointF]:
        """Pixels per drawing point, and where the drawing's top left corner is (centred
        across, at the top)."""
        scale = self._scale(diagram)
        left = (self.width() - diagram.drawing.width * scale) / 2
        return scale, QPointF(left, MARGIN)

    def _scale(self, diagram: FamilyDiagram) -> float:
        drawing = diagram.drawing
        room_w, room_h = self.width() - 2 * MARGIN, self.height() - 2 * MARGIN
        return max(0.05, min(room_w / drawing.width, room_h / drawing.height, READING_SCALE))

    def person_at(self, position: QPointF) -> str | None:
        """The person whose symbol or name is at `position` (widget pixels)."""
        diagram = self.diagram()
        if diagram is None:
            return None
        scale, origin = self.scale_and_origin(diagram)
        x, y = (position.x() - origin.x()) / scale, (position.y() - origin.y()) / scale
        half = diagram.cell_width / 2
        for pid, (cx, cy) in diagram.places.items():
            if abs(x - cx) <= half and cy - SIZE / 2 <= y <= cy + SIZE / 2 + LABELS_H:
                return pid
        return None

    # --- painting and the mouse ----------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        diagram = self.diagram()
        if diagram is None:
            if self.case is not None:
                painter.setPen(QColor("#5f6670"))
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(QRectF(self.rect()).adjusted(12, 12, -12, -12), flags, EMPTY)
            painter.end()
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scale, origin = self.scale_and_origin(diagram)
        chosen = diagram.places.get(self.selected) if self.selected else None
        if chosen is not None:
            cx, cy = chosen
            half = diagram.cell_width / 2
            box = QRectF(cx - half, cy - SIZE / 2 - 3, 2 * half, SIZE + LABELS_H + 5)
            painter.setPen(QPen(SELECTED, 1.5))
            painter.setBrush(QColor(31, 95, 168, 28))
            painter.drawRoundedRect(
                QRectF(
                    origin.x() + box.x() * scale,
                    origin.y() + box.y() * scale,
                    box.width() * scale,
                    box.height() * scale,
                ),
                4,
                4,
            )
        paint_drawing(painter, diagram.drawing, origin.x() / UNIT, origin.y() / UNIT, scale / UNIT)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            person = self.person_at(event.position())
            if person is not None:
                self.select(person)
                self.person_clicked.emit(person)
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.enlargeable:
            self.enlarge_requested.emit()
        super().mouseDoubleClickEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.case is not None:
            position = event.pos()  # type: ignore[attr-defined]
            person_id = self.person_at(QPointF(position))
            person = self.case.person_by_id.get(person_id) if person_id else None
            if person is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), describe(person), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class DiagramWindow(QDialog):
    """The family diagram in a window of its own, at a size to read (not modal: it follows
    the case as it changes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Family diagram")
        self.diagram = GenogramView(enlargeable=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.diagram)
        screen = self.screen().availableGeometry()
        self.resize(min(1100, int(screen.width() * 0.8)), min(760, int(screen.height() * 0.8)))

    def set_case(self, case: CaseData | None) -> None:
        self.diagram.set_case(case)
        if case is None:  # the case closed: nothing left to show
            self.hide()
        else:
            # The reference only: the title bar shows while the window is locked.
            self.setWindowTitle(f"Family diagram: {case.case.reference}")


def describe(person: PersonRecord) -> str:
    """A person in words, for the tooltip."""
    parts = [person.name]
    if person.roles:
        parts.append(", ".join(reading(role) for role in person.roles))
    if person.restricted:
        parts.append("identity restricted: left out of family-facing reports")
    if person.date_of_death is not None:
        parts.append("died")
    return "\n".join(parts)
