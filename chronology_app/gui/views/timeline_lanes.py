"""The timeline's lanes: a lane per person, whose markers are painted only where exposed
(found by bisection, so a 5,000-entry case opens quickly), and the relationship periods
drawn as bars below them."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.gui.colours import mix, tones
from chronology_app.gui.views.timeline_marks import category

if TYPE_CHECKING:
    from chronology_app.gui.views.timeline import TimelineView

LANE_HEIGHT = 26.0
MARKER = 5.0
GAP = 14.0  # between the names and the first marker


@dataclass(frozen=True)
class Period:
    """A stretch of a relationship: together or separated, from one entry to the next."""

    relationship: str
    start: dt.date
    end: dt.date
    together: bool


def relationship_periods(case: CaseData, start: dt.date, end: dt.date) -> list[Period]:
    """Together / separated / together again, from the entries that name each intimate
    relationship. A separation with no start recorded before it is drawn as together from the
    start of the chronology."""
    periods: list[Period] = []
    for relationship in case.relationships:
        if relationship.kind != "intimate_partner":
            continue
        events = [
            e
            for e in case.entries
            if e.relationship == relationship.id and e.kind in RELATIONSHIP_ENTRY_KINDS
        ]
        state: bool | None = None
        since = start
        for event in events:
            together = event.kind != "separation"
            day = event.date.earliest if event.date.earliest != dt.date.min else event.date.latest
            if state is None:
                if not together:
                    periods.append(Period(relationship.id, start, day, True))
                state, since = together, day
            elif together != state:
                periods.append(Period(relationship.id, since, day, state))
                state, since = together, day
        if state is not None:
            periods.append(Period(relationship.id, since, max(end, since), state))
    return periods


def span_end(entry: EntryRecord, axis_end: dt.date) -> dt.date | None:
    """Where the line of a range entry's span ends ("May 2021" reaches to the month's end,
    never past the axis); None for a single day or an open end."""
    latest = entry.date.latest
    if latest in (entry.date.earliest, dt.date.max):
        return None
    return min(latest, axis_end)


def lane_key(entry: EntryRecord) -> tuple[Any, ...]:
    """A lane's order: the chronology's (so a case's entries, already in it, need no sort)."""
    return entry.sort_key


class Lane(QGraphicsItem):
    def __init__(
        self,
        timeline: TimelineView,
        person: str | None,
        label: str,
        entries: list[EntryRecord],
        y: float,
    ) -> None:
        super().__init__()
        self.timeline = timeline
        self.person = person  # None: the lane of entries that name no one
        self.label = label
        self.entries = entries  # in the chronology's order (lane_key), as the case's are
        # paint() is told the exposed part, so it draws only the markers there.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.top = y
        self.xs: list[float] = []

    def layout(self) -> None:
        """Where each marker goes. The lane's rectangle is the axis's width: whoever changes
        that calls prepareGeometryChange first (a change of one entry does not, so only the
        markers it moved are painted again, not the whole lane)."""
        timeline = self.timeline
        start, end, per_day = timeline.start, timeline.end, timeline.pixels_per_day
        left, first, last = timeline.label_width + GAP, dt.date.min, dt.date.max
        self.xs = [  # timeline.x_of, for every marker at once
            left + ((start if day == first else end if day == last else day) - start).days * per_day
            for day in (e.date.earliest for e in self.entries)
        ]

    def boundingRect(self) -> QRectF:
        return QRectF(0, self.top, self.timeline.scene_width, LANE_HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        exposed = option.exposedRect
        middle = self.top + LANE_HEIGHT / 2
        colours = tones()
        painter.setPen(QPen(colours["lane_line"]))
        painter.drawLine(
            QPointF(self.timeline.label_width, middle), QPointF(self.timeline.scene_width, middle)
        )
        first = bisect.bisect_left(self.xs, exposed.left() - 200)  # spans reach from the left
        left = exposed.left() - MARKER - 6
        last = bisect.bisect_right(self.xs, exposed.right() + MARKER)
        selected = self.timeline.selected
        flagged = self.timeline.flagged
        ring = QPen(colours["flagged"], 3)
        # Pens and brushes made once a paint, a few per category, not once a marker (a lane of
        # a large case paints hundreds of markers when it is redrawn).
        looks: dict[tuple[str, bool], tuple[QColor, QPen, QBrush]] = {}
        for entry, x in zip(self.entries[first:last], self.xs[first:last], strict=True):
            kind = (category(entry), entry.restricted)
            look = looks.get(kind)
            if look is None:
                colour = colours[kind[0]]
                fill = colour if not entry.restricted else mix(colour, colours.base, 0.45)
                look = looks[kind] = (colour, QPen(colour, 1), QBrush(fill))
            colour, outline, brush = look
            end = span_end(entry, self.timeline.end)
            if end is not None:
                painter.setPen(QPen(colour, 2 if colours.strong else 1))
                painter.drawLine(QPointF(x, middle), QPointF(self.timeline.x_of(end), middle))
            if x < left:
                continue  # only its span (drawn above) can reach the part to paint
            if entry.id in flagged:
                painter.setPen(ring)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x, middle), MARKER + 3, MARKER + 3)
            # The outline: the palette's text colour for the selected marker, else the
            # marker's own colour (a darker copy vanishes on a dark background).
            if entry.id == selected:
                painter.setPen(QPen(colours.text, 2))
            else:
                painter.setPen(outline)
            painter.setBrush(brush)
            radius = MARKER + (2 if entry.id == selected else 0)
            painter.drawEllipse(QPointF(x, middle), radius, radius)

    def entry_at(self, x: float) -> EntryRecord | None:
        index = bisect.bisect_left(self.xs, x - MARKER - 2)
        best = None
        for entry, position in zip(self.entries[index:], self.xs[index:], strict=False):
            if position > x + MARKER + 2:
                break
            if best is None or abs(position - x) < abs(best[1] - x):
                best = (entry, position)
        return best[0] if best else None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        entry = self.entry_at(event.pos().x())
        if entry is not None:
            self.timeline.select(entry.id, centre=False)
            self.timeline.entry_clicked.emit(entry.id)
            event.accept()
        else:
            event.ignore()


def lane_order(person: Any) -> tuple[int, str]:
    roles = set(person.roles)
    if "child" in roles:
        rank = 0
    elif roles & {"parent", "carer", "partner"}:
        rank = 1
    elif "professional" in roles:
        rank = 3
    else:
        rank = 2
    return (rank, person.name)
