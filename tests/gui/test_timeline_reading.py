"""The timeline reads well: a legend, a tooltip on every marker (date as written, kind, what
happened), lane names wide enough for the longest, and no ghost of them after panning; every
lane and relationship named, however far it is panned and in the exported picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QFontMetrics, QImage

from chronology_app.gui.colours import tones
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.views.timeline import RELATIONSHIP_ROW
from chronology_app.gui.views.timeline_lanes import LANE_HEIGHT
from chronology_app.gui.views.timeline_marks import marker_tooltip


def test_every_marker_has_a_tooltip_and_names_are_not_covered(window: MainWindow) -> None:
    timeline = window.timeline
    lane = next(lane for lane in timeline._lanes if lane.entries)
    entry, x = lane.entries[0], lane.xs[0]
    timeline.horizontalScrollBar().setValue(0)
    found = timeline.entry_at(QPointF(x, lane.top + 10))
    assert found is entry
    text = marker_tooltip(entry)
    assert text.startswith(f"{entry.ref} · {entry.date_text or entry.date.expression} · ")
    assert entry.summary in text
    # the first marker sits right of the names, never under them
    assert x - 5 > timeline.label_width
    widest = max(
        QFontMetrics(timeline.font()).horizontalAdvance(each.label) for each in timeline._lanes
    )
    assert timeline.label_width >= min(widest + 16, 280)


def test_the_legend_names_every_colour(window: MainWindow) -> None:
    texts = window.case_view.legend.text()
    for words in (
        "Domestic abuse event",
        "Relationship",
        "Agency response",
        "Flagged",
        "Separated",
    ):
        assert words in texts


def test_panning_repaints_the_strip_under_the_names(window: MainWindow, qtbot: object) -> None:
    timeline = window.timeline
    window.show()
    painted: list[int] = []
    original = timeline.viewport().update

    def record(*args: object) -> None:
        if args and hasattr(args[0], "width"):
            painted.append(args[0].width())  # type: ignore[attr-defined]
        original(*args)  # type: ignore[arg-type]

    timeline.viewport().update = record  # type: ignore[method-assign]
    timeline.scrollContentsBy(-40, 0)
    assert painted and painted[-1] >= int(timeline.label_width) + 40


def _inked(image: QImage, box: QRect) -> int:
    """How many pixels in `box` are not the palette's base colour (text drawn there)."""
    base = tones().base.rgb()
    return sum(
        1
        for x in range(box.left(), box.right())
        for y in range(box.top(), box.bottom())
        if image.pixel(x, y) != base
    )


def test_the_exported_picture_names_every_lane_and_relationship(
    window: MainWindow, tmp_path: Path
) -> None:
    timeline = window.timeline
    assert timeline.export_png(str(tmp_path / "timeline.png"))
    image = QImage(str(tmp_path / "timeline.png"))
    width = int(timeline.label_width) - 10
    for lane in timeline._lanes:  # its name is written left of its line (no line there)
        assert _inked(image, QRect(2, int(lane.top) + 4, width, int(LANE_HEIGHT) - 8)) > 20
    rows = timeline._relationship_rows
    assert [names for _top, names in rows] == ["Sara & Dean"]
    top = int(rows[0][0])
    assert _inked(image, QRect(2, top + 4, width, int(RELATIONSHIP_ROW) - 8)) > 20


def test_a_relationship_keeps_its_name_when_the_timeline_is_panned(
    window: MainWindow, qtbot: Any
) -> None:
    timeline = window.timeline
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    timeline.horizontalScrollBar().setValue(timeline.horizontalScrollBar().maximum())
    qtbot.wait(50)
    assert timeline.mapToScene(0, 0).x() > timeline.label_width  # the names' place scrolled by
    image = timeline.viewport().grab().toImage()
    top = timeline.mapFromScene(QPointF(0, timeline._relationship_rows[0][0])).y()
    width = int(timeline.label_width) - 10
    assert _inked(image, QRect(2, top + 4, width, int(RELATIONSHIP_ROW) - 8)) > 20


def test_a_closed_case_leaves_no_relationship_names_behind(window: MainWindow) -> None:
    timeline = window.timeline
    assert timeline._relationship_rows  # Sara & Dean
    window.case_view.clear()  # as when the case is closed
    assert timeline._relationship_rows == []
