"""Refresh from what changed: an edit updates its row, its timeline marker and the rows naming
a changed person, without reading the case again; the models stay valid throughout."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from chronology_app.core.service import Service
from chronology_app.gui.main_window import MainWindow

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
