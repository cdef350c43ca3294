"""The visual timeline: a lane per person, relationship periods as bars, entries as markers.

Each lane is one graphics item that paints only the markers in view (found by bisection), so
a 5,000-entry case opens quickly. An uncertain date is drawn as a marker at its earliest day
with a thin line to its latest. Clicking a marker selects the entry; selecting an entry in the
table highlights and centres its marker. Wheel zooms the time axis, dragging pans.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QPushButton,
    QToolTip,
)

from chronology_app.core import clock
from chronology_app.core.case_patch import Patched
from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import write_atomically
from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.gui.colours import tones
from chronology_app.gui.views.timeline_lanes import (
    GAP,
    LANE_HEIGHT,
    MARKER,
    Lane,
    Period,
    lane_key,
    lane_order,
    relationship_periods,
    span_end,
)
from chronology_app.gui.views.timeline_marks import marker_tooltip

__all__ = ["Period", "TimelineView", "relationship_periods"]

LABEL_WIDTH = 170.0  # the least room for lane names; widened to fit the longest
MAX_LABEL_WIDTH = 280.0
# The axis ends this long after today unless the user asks to see entries dated later (a date
# years ahead is more often a mistyped year than a plan, and would squash the rest).
FUTURE_MARGIN = dt.timedelta(days=31)
AXIS_HEIGHT = 24.0
RELATIONSHIP_ROW = 22.0  # the height of a relationship's bar and its gap


class TimelineView(QGraphicsView):
    entry_clicked = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.flagged: set[str] = set()
        self.selected: str | None = None
        self.start = dt.date(2000, 1, 1)
        self.end = dt.date(2000, 12, 31)
        self.pixels_per_day = 1.0
        self.scene_width = 1000.0
        self._lanes: list[Lane] = []
        # The relationship bars' rows: where each starts, and whose it is ("Sara & Dean").
        self._relationship_rows: list[tuple[float, str]] = []
        self._case: CaseData | None = None
        self.label_width = LABEL_WIDTH
        self.setAccessibleName("Timeline")
        self.setToolTip("")  # tooltips come from the marker under the pointer (see event)
        # "1 entry after today — show": placed by the case view beside the legend; hidden
        # while every entry is on the axis.
        self.show_future = False
        self.hidden_future = 0
        self.future_button = QPushButton()
        self.future_button.hide()
        self.future_button.clicked.connect(self.toggle_future)

    # --- building ------------------------------------------------------------------------

    def set_case(
        self, case: CaseData | None, flagged: set[str] | None = None, *, keep_view: bool = False
    ) -> None:
        """Draw a case. With `keep_view` (the same case after a change) the zoom, the place
        the view is panned to and the selection stay."""
        centre = self.mapToScene(self.viewport().rect().center())
        scale, selected = self.pixels_per_day, self.selected
        self._case = case
        if flagged is not None or not keep_view:
            self.flagged = set(flagged or ())
        self.selected = selected if keep_view else None
        self.scene().clear()
        self._lanes = []
        self._relationship_rows = []  # (drawn over the view: another family's must not stay)
        if case is None or not case.entries:
            self._show_future_note(0)
            return
        days = [e.date.earliest for e in case.entries if e.date.earliest != dt.date.min]
        lates = [e.date.latest for e in case.entries if e.date.latest != dt.date.max]
        self.start = (min(days) if days else dt.date(2000, 1, 1)).replace(month=1, day=1)
        self.end = max([*lates, *days, self.start])
        cut = max(clock.today() + FUTURE_MARGIN, self.start)
        later = [e for e in case.entries if dt.date.min != e.date.earliest > cut]
        if self.end > cut and not self.show_future:
            # The axis is drawn as if the entries after today were not there (a note says
            # they are): it ends at the latest of the others, never beyond today's margin.
            ends = [
                e.date.earliest if e.date.latest == dt.date.max else min(e.date.latest, cut)
                for e in case.entries
                if not dt.date.min != e.date.earliest > cut
            ]
            self.end = max([*(d for d in ends if d != dt.date.min), self.start])
        shown = [e for e in case.entries if not self._beyond(e)]
        self._show_future_note(len(later))
        span = max((self.end - self.start).days, 30)
        self.pixels_per_day = scale if keep_view else max(900.0 / span, 0.05)
        by_person: dict[str, list[EntryRecord]] = {p.id: [] for p in case.persons}
        nobody: list[EntryRecord] = []
        for entry in shown:
            named = {link.person for link in entry.persons if link.person in by_person}
            for person in named:
                by_person[person].append(entry)
            if not named:
                nobody.append(entry)
        y = AXIS_HEIGHT
        lanes: list[tuple[str | None, str, list[EntryRecord]]] = [
            (None, "Case (no one named)", nobody)
        ] + [
            (p.id, f"{p.name}{' (restricted)' if p.restricted else ''}", by_person[p.id])
            for p in sorted(case.persons, key=lane_order)
        ]
        metrics = QFontMetrics(self.font())
        widest = max(metrics.horizontalAdvance(label) for _, label, _ in lanes)
        self.label_width = min(max(LABEL_WIDTH, widest + 16.0), MAX_LABEL_WIDTH)
        for owner, label, entries in lanes:
            lane = Lane(self, owner, label, entries, y)
            self.scene().addItem(lane)
            self._lanes.append(lane)
            y += LANE_HEIGHT
        self._relationships_top = y
        self._relayout()
        if keep_view:
            self.centerOn(centre)

    def _beyond(self, entry: EntryRecord) -> bool:
        """Dated after the end of the axis (only ever entries after today, not asked for)."""
        return entry.date.earliest != dt.date.min and entry.date.earliest > self.end

    def _show_future_note(self, later: int) -> None:
        self.hidden_future = later
        button = self.future_button
        if not later:
            button.hide()
            return
        if self.show_future:
            button.setText("Show up to today")
            button.setToolTip("End the timeline at today again")
        else:
            noun = "entry" if later == 1 else "entries"
            button.setText(f"{later} {noun} after today — show")
            button.setToolTip(
                "Entries dated after today are left off the timeline so that the rest is not "
                "squashed; check that their year is right."
            )
        button.setAccessibleName(button.text())
        button.show()

    def toggle_future(self) -> None:
        """Stretch the axis to the latest entry, or end it at today again."""
        self.show_future = not self.show_future
        self.set_case(self._case, self.flagged)

    def palette_changed(self) -> None:
        """Draw again in the colours of the palette now in use."""
        self._relayout()
        self.viewport().update()

    def apply(self, patched: Patched) -> None:
        """The same case after one change: only the lanes holding a changed entry are laid out
        again; persons changed, or a date beyond the axis, redraw it keeping the view."""
        case = patched.case
        old = self._case
        moved = patched.entries | patched.removed
        if old is None or not self._lanes or patched.people_changed or patched.many:
            self.set_case(case, keep_view=old is not None)
            return
        self._case = case
        if not moved:
            return
        changed = [case.entry_by_id[e] for e in patched.entries]
        # Drawn again whole when an entry moves off the axis or onto it, or when one left off
        # (after today) is changed or removed: the axis and the note's count may change.
        before = [old.entry_by_id.get(e) for e in moved]
        if any(not self._on_axis(entry) for entry in changed) or any(
            entry is not None and self._beyond(entry) for entry in before
        ):
            self.set_case(case, keep_view=True)
            return
        lanes = {lane.person: lane for lane in self._lanes}
        touched: set[Lane] = set()
        spots: list[tuple[Lane, QRectF]] = []  # where a marker was or now is: redrawn
        for lane in self._lanes:
            kept = [e for e in lane.entries if e.id not in moved]
            if len(kept) != len(lane.entries):
                spots += [
                    (lane, self._drawn_at(lane, e, x))
                    for e, x in zip(lane.entries, lane.xs, strict=True)
                    if e.id in moved
                ]
                lane.entries = kept
                touched.add(lane)
        for entry in changed:
            named: list[str | None] = [p.person for p in entry.persons if p.person in lanes]
            for person in named or [None]:
                lane = lanes[person]
                bisect.insort(lane.entries, entry, key=lane_key)
                touched.add(lane)
        for lane in touched:
            lane.layout()
            spots += [
                (lane, self._drawn_at(lane, e, x))
                for e, x in zip(lane.entries, lane.xs, strict=True)
                if e.id in moved
            ]
        previous = [old.entry_by_id.get(e) for e in moved]
        if any(e is not None and e.kind in RELATIONSHIP_ENTRY_KINDS for e in (*changed, *previous)):
            self._relayout()  # relationship bars follow these entries
            return
        for lane, area in spots:  # only the markers that moved or changed are painted again
            lane.update(area)

    def _drawn_at(self, lane: Lane, entry: EntryRecord, x: float) -> QRectF:
        """Where an entry's marker is painted in its lane, with the line of its span when its
        date is a range ("May 2021" reaches to the month's end)."""
        last = span_end(entry, self.end)
        end = x if last is None else max(x, self.x_of(last))
        return QRectF(x - 4 * MARKER, lane.top, end - x + 8 * MARKER, LANE_HEIGHT)

    def _on_axis(self, entry: EntryRecord) -> bool:
        earliest, latest = entry.date.earliest, entry.date.latest
        return (earliest == dt.date.min or earliest >= self.start) and (
            latest == dt.date.max or latest <= self.end
        )

    def _relayout(self) -> None:
        if self._case is None:
            return
        self.scene_width = (
            self.label_width + GAP + (self.end - self.start).days * self.pixels_per_day + 60
        )
        for lane in self._lanes:
            lane.prepareGeometryChange()  # the axis's width may have changed
            lane.layout()
        for item in list(self.scene().items()):
            if not isinstance(item, Lane):
                self.scene().removeItem(item)
        self._draw_axis()
        bottom = self._draw_relationships(self._relationships_top)
        self.scene().setSceneRect(QRectF(0, 0, self.scene_width, bottom + 10))
        self.scene().update()

    def _draw_axis(self) -> None:
        colours = tones()
        pen = QPen(colours["axis"])
        for year in range(self.start.year, self.end.year + 2):
            x = self.x_of(dt.date(year, 1, 1))
            self.scene().addLine(
                x, AXIS_HEIGHT - 4, x, AXIS_HEIGHT + LANE_HEIGHT * len(self._lanes), pen
            )
            # A simple text item: a QGraphicsTextItem is a whole text document, ten times the cost
            # to make, and the axis has one a year.
            text = self.scene().addSimpleText(str(year))
            text.setBrush(colours.text)
            text.setPos(x + 6, 4)

    def _draw_relationships(self, top: float) -> float:
        assert self._case is not None
        colours = tones()
        y = top + 6
        self._relationship_rows = []
        by_relationship: dict[str, list[Period]] = {}
        for period in relationship_periods(self._case, self.start, self.end):
            by_relationship.setdefault(period.relationship, []).append(period)
        for relationship in self._case.relationships:
            periods = by_relationship.get(relationship.id, [])
            if not periods:
                continue
            names = " & ".join(
                self._case.person_by_id[p].name.split()[0]
                for p in relationship.persons
                if p in self._case.person_by_id
            )
            self._relationship_rows.append((y, names))  # named beside the lanes' names
            for period in periods:
                x0, x1 = self.x_of(period.start), self.x_of(period.end)
                colour = colours["together" if period.together else "separated"]
                rect = self.scene().addRect(
                    QRectF(x0, y + 4, max(x1 - x0, 2), 12), QPen(colour), QBrush(colour)
                )
                rect.setToolTip(
                    ("Together" if period.together else "Separated")
                    + f" from {period.start:%d %b %Y}"
                )
            y += RELATIONSHIP_ROW
        return y

    # --- coordinates, zoom, selection ----------------------------------------------------

    def x_of(self, day: dt.date) -> float:
        if day == dt.date.max:
            day = self.end
        if day == dt.date.min:
            day = self.start
        return self.label_width + GAP + (day - self.start).days * self.pixels_per_day

    def zoom(self, factor: float) -> None:
        centre_day = self._day_at(self.mapToScene(self.viewport().rect().center()).x())
        self.pixels_per_day = min(max(self.pixels_per_day * factor, 0.02), 40.0)
        self._relayout()
        self.centerOn(
            self.x_of(centre_day), float(self.mapToScene(self.viewport().rect().center()).y())
        )

    def _day_at(self, x: float) -> dt.date:
        days = int((x - self.label_width - GAP) / self.pixels_per_day) if self.pixels_per_day else 0
        return min(max(self.start + dt.timedelta(days=days), self.start), self.end)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Lane names, and the relationship bars' names, stay at the left edge of the view
        however far the timeline is panned."""
        self._draw_names(painter, self.mapToScene(0, 0).x(), QRectF(rect))

    def _draw_names(self, painter: QPainter, left: float, rect: QRectF) -> None:
        colours = tones()
        painter.setPen(QPen(colours.text))
        behind = QColor(colours.base)
        behind.setAlpha(235)
        rows = [(lane.top, LANE_HEIGHT, lane.label) for lane in self._lanes]
        rows += [(top, RELATIONSHIP_ROW, names) for top, names in self._relationship_rows]
        for top, height, label in rows:
            box = QRectF(left, top, self.label_width - 6, height)
            if not box.intersects(rect):
                continue
            painter.fillRect(box, behind)
            painter.drawText(box.adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, label)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """The lane names stay put while the rest scrolls: the strip they were copied into
        is painted again, so no ghost of them is left behind."""
        super().scrollContentsBy(dx, dy)
        strip = int(self.label_width) + abs(dx) + 2
        self.viewport().update(QRect(0, 0, strip, self.viewport().height()))

    def entry_at(self, point: QPointF) -> EntryRecord | None:
        """The entry whose marker is at a scene point, if any."""
        for lane in self._lanes:
            if lane.top <= point.y() < lane.top + LANE_HEIGHT:
                if point.x() < self.mapToScene(0, 0).x() + self.label_width:
                    return None  # over the lane's name
                return lane.entry_at(point.x())
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            entry = self.entry_at(self.mapToScene(event.pos()))
            if entry is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), marker_tooltip(entry), self)
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)

    def select(self, entry_id: str | None, *, centre: bool = True) -> None:
        previous, self.selected = self.selected, entry_id
        if centre and entry_id is not None:
            for lane in self._lanes:
                for entry, x in zip(lane.entries, lane.xs, strict=True):
                    if entry.id == entry_id:
                        # Brought into view only if it is not there already: the picture
                        # does not jump under the user (and is not painted again whole).
                        self.ensureVisible(QRectF(x - MARKER, lane.top, 2 * MARKER, LANE_HEIGHT))
                        break
        # Only the markers that were and are selected are painted again (a whole redraw of a
        # large case's lanes took most of an edit's time, the edited entry being selected).
        self._paint_markers({previous, entry_id} - {None})

    def set_flagged(self, flagged: set[str]) -> None:
        """Ring these entries' markers: only the markers that gain or lose a ring are painted
        again (flags come back after every edit; a whole redraw of a large case's lanes each
        time cost more than the edit)."""
        before, self.flagged = self.flagged, set(flagged)
        self._paint_markers(before ^ self.flagged)

    def _paint_markers(self, entry_ids: AbstractSet[str | None]) -> None:
        if not entry_ids:
            return
        for lane in self._lanes:
            for entry, x in zip(lane.entries, lane.xs, strict=True):
                if entry.id in entry_ids:
                    lane.update(QRectF(x - 4 * MARKER, lane.top, 8 * MARKER, LANE_HEIGHT))

    def export_png(self, path: str) -> bool:
        rect = self.scene().sceneRect()
        image = QImage(int(rect.width()) + 1, int(rect.height()) + 1, QImage.Format.Format_ARGB32)
        image.fill(tones().base)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        self._draw_names(painter, 0.0, rect)  # (drawn over the view, not in the scene)
        painter.end()
        # Through the one atomic writer: readable by its owner only (it names the family).
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # (the stubs want bytes)
            return False
        target = Path(path if path.lower().endswith(".png") else path + ".png")
        try:
            write_atomically(target, bytes(buffer.data().data()))
        except ChronologyError:
            return False
        return True
