"""The timeline reads well: a legend, a tooltip on every marker (date as written, kind, what
happened), lane names wide enough for the longest, and no ghost of them after panning."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetrics

from chronology_app.gui.main_window import MainWindow
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
