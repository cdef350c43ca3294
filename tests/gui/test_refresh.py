"""Refresh from what changed: an edit updates its row, its timeline marker and the rows naming
a changed person, without reading the case again; the models stay valid throughout."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QRectF
from PySide6.QtTest import QAbstractItemModelTester

from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.service import Service
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.models.chronology_model import COLUMNS
from chronology_app.gui.views.timeline_lanes import LANE_HEIGHT, MARKER, Lane

REF = "BD-2020-0193"


@pytest.fixture
def reads(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the case is read whole from the workspace after this point."""
    seen: list[str] = []
    original = window.service.case_data

    def counted(reference: str) -> Any:
        seen.append(reference)
        return original(reference)

    monkeypatch.setattr(window.service, "case_data", counted)
    return seen


def _lane_labels(window: MainWindow) -> list[str]:
    return [lane.label for lane in window.timeline._lanes]


def _testers(window: MainWindow) -> list[QAbstractItemModelTester]:
    mode = QAbstractItemModelTester.FailureReportingMode.Fatal
    return [
        QAbstractItemModelTester(model, mode, model)  # kept alive by its model
        for model in (window.model, window.proxy, window.flags_panel.model)
    ]


def test_editing_a_person_updates_the_table_timeline_and_people(
    window: MainWindow, reads: list[str]
) -> None:
    testers = _testers(window)
    assert window.case is not None
    person = next(p for p in window.case.persons if any(e.names(p.id) for e in window.case.entries))
    naming = {e.id for e in window.case.entries if e.names(person.id)}
    document = window.service.document(REF)
    original = next(p for p in document["persons"] if p["id"] == person.id)
    window.ops.change(
        lambda: window.service.edit_person(
            REF, person.id, {**original, "name": "Zed Renamed", "aliases": ["Zeddy"]}
        )
    )
    assert any(label.startswith("Zed Renamed") for label in _lane_labels(window))
    assert window.people.model.record(
        [p.id for p in window.people.model.records()].index(person.id)
    ).name == ("Zed Renamed")
    window.filter_bar.search.setText("zeddy")  # search finds entries by a person's alias
    shown = {
        window.model.entry(window.proxy.mapToSource(window.proxy.index(r, 0)).row()).id
        for r in range(window.proxy.rowCount())
    }
    assert shown == naming
    window.ops.wait()
    assert reads == []  # nothing read whole: the change itself said what changed
    assert window.actions_.undo.text() == "&Undo Edit person"
    window.actions_.undo.trigger()
    window.ops.wait()
    assert not any(label.startswith("Zed Renamed") for label in _lane_labels(window))
    assert len(testers) == 3


def test_an_edited_entry_moves_to_its_new_date_keeping_the_selection(
    window: MainWindow, reads: list[str]
) -> None:
    _testers(window)
    first = window.model.entry(0)
    window.select_entries([first.id])
    document = window.service.document(REF)
    original = next(e for e in document["entries"] if e["id"] == first.id)
    changed = {**original, "date": "2024-01-01", "summary": "Moved to the end."}
    window.ops.change(lambda: window.service.edit_entry(REF, first.id, changed, reason="test"))
    last = window.model.rowCount() - 1
    assert window.model.entry(last).id == first.id
    assert window.model.data(window.model.index(last, 4)) == "Moved to the end."
    assert window.selected_entry_ids() == [first.id]
    markers = [e.id for lane in window.timeline._lanes for e in lane.entries]
    assert first.id in markers
    assert window.timeline.end.year == 2024  # a date beyond the axis redraws it
    window.ops.wait()
    assert reads == []


def test_adding_and_withdrawing_entries_change_only_their_rows(
    window: MainWindow, reads: list[str]
) -> None:
    _testers(window)
    rows = window.model.rowCount()
    entry = {
        "date": "2021-03-04",
        "kind": "note",
        "summary": "A note added in the test.",
        "source": {"agency": "Children's services"},
    }
    changes = window.ops.change(lambda: window.service.add_entry(REF, entry))
    assert changes is not None and window.model.rowCount() == rows + 1
    (added,) = changes.keys("entry")
    window.ops.change(lambda: window.service.withdraw_entry(REF, added, "added by mistake"))
    assert window.model.rowCount() == rows and window.model.row_of(added) is None
    window.ops.wait()
    assert reads == []


def test_an_import_goes_through_the_one_door_in_the_background(
    qtbot: Any, service: Service, family_b: dict[str, Any]
) -> None:
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    announced: list[Any] = []
    window.ops.changed.connect(announced.append)
    window.ops.change(lambda: service.import_case(family_b), slow="Importing…")
    window.ops.wait()
    assert [c.action for c in announced] == [f"Import case {REF}"]
    qtbot.waitUntil(lambda: window.cases_panel.model.rowCount() == 1)


def test_a_case_just_opened_is_painted_before_it_is_analysed(
    qtbot: Any, family_b_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analysis runs on a thread that shares Python's lock with the paint: begun first, it
    made a large case slower to appear by half."""
    happened: list[str] = []
    original = family_b_service.analysis

    def analysis(*args: Any, **kwargs: Any) -> Any:
        happened.append("analysed")
        return original(*args, **kwargs)

    monkeypatch.setattr(family_b_service, "analysis", analysis)
    window = MainWindow(family_b_service, idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in happened:
                happened.append("painted")
            return False

    spy = Painted(window)
    window.case_view.table.viewport().installEventFilter(spy)
    window.open_case(REF)
    assert happened == []  # nothing analysed while the case is put on screen
    qtbot.waitUntil(lambda: "analysed" in happened)
    assert happened[:2] == ["painted", "analysed"]
    window.ops.wait()
    assert window.case_view.analysis is not None


def test_a_case_opened_but_never_painted_is_analysed_all_the_same(
    qtbot: Any, family_b_service: Service
) -> None:
    window = MainWindow(family_b_service, idle_minutes=60)  # never shown
    qtbot.addWidget(window)
    shown: list[bool] = []
    window.case_view.flags_shown.connect(lambda: shown.append(True))
    window.open_case(REF)
    qtbot.waitUntil(lambda: shown == [True], timeout=5000)
    assert window.case_view.analysis is not None


def test_flags_coming_back_paint_only_the_markers_that_gain_or_lose_a_ring(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeline = window.timeline
    updated: list[tuple[str | None, float]] = []
    monkeypatch.setattr(
        Lane, "update", lambda lane, rect=None: updated.append((lane.person, rect.width()))
    )
    rows: list[tuple[int, int, int, int]] = []
    window.model.dataChanged.connect(
        lambda first, last, *_: rows.append(
            (first.row(), first.column(), last.row(), last.column())
        )
    )
    flagged = set(timeline.flagged)
    timeline.set_flagged(flagged)
    window.model.set_flagged(flagged)
    assert updated == [] and rows == []  # the same flags again: nothing painted
    assert window.case is not None
    newly = next(e for e in window.case.entries if e.id not in flagged and e.persons)
    timeline.set_flagged(flagged | {newly.id})
    window.model.set_flagged(flagged | {newly.id})
    lanes = {lane.person for lane in timeline._lanes if newly in lane.entries}
    assert {person for person, _ in updated} == lanes
    assert all(width <= 8 * MARKER for _, width in updated)  # the marker, not the lane
    row = window.model.row_of(newly.id)
    assert rows == [(row, 0, row, len(COLUMNS) - 1)]  # its whole row: the background too


def test_an_edit_paints_again_only_the_markers_it_moved(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    widths: list[float] = []  # of the lanes of the persons the edited entry names
    named: set[str | None] = set()
    paint = Lane.paint

    def spied(lane: Lane, painter: Any, option: Any, widget: Any = None) -> None:
        if lane.person in named:
            widths.append(option.exposedRect.width())
        paint(lane, painter, option, widget)

    # Before the lanes are made: PySide looks an item's paint up once.
    monkeypatch.setattr(Lane, "paint", spied)
    timeline = window.timeline
    assert window.case is not None
    timeline.set_case(window.case, timeline.flagged)
    window.resize(1400, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.case_view.tabs.setCurrentIndex(0)  # the timeline
    qtbot.wait(50)
    seen = timeline.mapToScene(timeline.viewport().rect()).boundingRect().adjusted(60, 0, -60, 0)
    places = {  # entries in view, with where their marker is
        entry: x
        for lane in timeline._lanes
        if lane.person is not None
        for entry, x in zip(lane.entries, lane.xs, strict=True)
        if seen.left() < x < seen.right() and entry.kind not in RELATIONSHIP_ENTRY_KINDS
    }
    entry = next(iter(places))
    later = min(  # the nearest other day in view
        (e for e in places if places[e] != places[entry]),
        key=lambda e: abs(places[e] - places[entry]),
    )
    named.update(link.person for link in entry.persons)
    # The first update of an item once shown is painted whole by Qt (it has no record yet of
    # where it was painted): done before the edit.
    for lane in timeline._lanes:
        lane.update(QRectF(seen.left(), lane.top, 1, LANE_HEIGHT))
    qtbot.waitUntil(lambda: bool(widths))
    qtbot.wait(20)
    widths.clear()
    document = next(e for e in window.service.document(REF)["entries"] if e["id"] == entry.id)
    day = later.date.earliest.isoformat()
    window.ops.change(lambda: window.service.edit_entry(REF, entry.id, {**document, "date": day}))
    qtbot.waitUntil(lambda: bool(widths))
    qtbot.wait(20)
    # Where its marker was and is now, never the whole lane.
    assert max(widths) <= abs(places[later] - places[entry]) + 8 * MARKER + 6


def test_an_edit_paints_again_the_whole_span_of_a_range_entry(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "May 2021" is drawn as a line to the month's end: made a single day, the line must go."""
    painted: list[QRectF] = []
    paint = Lane.paint

    def spied(lane: Lane, painter: Any, option: Any, widget: Any = None) -> None:
        if lane.person == "p-sara":
            painted.append(QRectF(option.exposedRect))
        paint(lane, painter, option, widget)

    monkeypatch.setattr(Lane, "paint", spied)  # before the lanes are made (see above)
    timeline = window.timeline
    timeline.set_case(window.case, timeline.flagged)
    window.resize(1400, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.case_view.tabs.setCurrentIndex(0)
    timeline.pixels_per_day = 8.0
    timeline._relayout()
    start, end = timeline.x_of(dt.date(2021, 5, 1)), timeline.x_of(dt.date(2021, 5, 31))
    timeline.centerOn((start + end) / 2, 100)
    qtbot.wait(50)
    for lane in timeline._lanes:  # Qt paints an item whole at its first update once shown
        lane.update(QRectF(start, lane.top, 1, LANE_HEIGHT))
    qtbot.waitUntil(lambda: bool(painted))
    qtbot.wait(30)
    painted.clear()
    document = next(e for e in window.service.document(REF)["entries"] if e["id"] == "e19")
    assert document["date"] == "2021-05"
    day = {**document, "date": "2021-05-01"}
    window.ops.change(lambda: window.service.edit_entry(REF, "e19", day))
    qtbot.waitUntil(lambda: bool(painted))
    qtbot.wait(50)
    assert max(area.right() for area in painted) >= end  # the old line painted over
