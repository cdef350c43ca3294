"""The main window end to end: a case, a disclosure naming a partner, a reconciliation with
him later, and the flag appears; undo and redo by name; filters, selection and locking."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from chronology_app.core.service import Service
from chronology_app.gui.main_window import MainWindow


def flag_rules(window: MainWindow) -> list[str]:
    window.ops.wait()  # flags are found in the background after each change
    model = window.flags_panel.model
    return [model.record(row).flag.rule for row in range(model.rowCount())]


def test_a_returning_partner_raises_the_flag_end_to_end(qtbot: Any, service: Service) -> None:
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    window.ops.change(lambda: service.create_case({"reference": "E2E-1", "title": "Family E"}))
    window.open_case("E2E-1")
    for person in (
        {"id": "mum", "name": "Erin East", "roles": ["parent"]},
        {"id": "ex", "name": "Frank Fell", "roles": ["partner"], "date_of_birth": "1985"},
    ):
        window.ops.change(lambda person=person: service.add_person("E2E-1", person))
    window.ops.change(
        lambda: service.add_relationship(
            "E2E-1", {"id": "r", "kind": "intimate_partner", "persons": ["mum", "ex"]}
        )
    )
    assert flag_rules(window) == ["unseen-adult"]  # Frank is a partner never checked

    window.ops.change(
        lambda: service.add_entry(
            "E2E-1",
            {
                "date": "2020-05-01",
                "kind": "disclosure",
                "summary": "Erin says Frank hit her.",
                "source": {"agency": "GP", "type": "disclosure"},
                "persons": [
                    {"person": "mum", "role": "victim"},
                    {"person": "ex", "role": "alleged_perpetrator"},
                ],
            },
        )
    )
    window.ops.change(
        lambda: service.add_entry(
            "E2E-1",
            {
                "date": "2021-02-01",
                "kind": "reconciliation",
                "summary": "Erin and Frank are back together.",
                "source": {"agency": "School"},
                "relationship": "r",
                "persons": [
                    {"person": "mum", "role": "subject"},
                    {"person": "ex", "role": "subject"},
                ],
            },
        )
    )
    titles = flag_rules(window)
    assert "returning-perpetrator" in titles
    assert window.model.rowCount() == 2
    assert window.actions_.undo.text() == "&Undo Add reconciliation"
    window.actions_.undo.trigger()
    assert window.model.rowCount() == 1
    assert window.actions_.redo.text() == "&Redo Add reconciliation"
    window.actions_.redo.trigger()
    assert window.model.rowCount() == 2


def test_evidence_links_select_the_entries_and_the_timeline(window: MainWindow) -> None:
    flag = window.flags_panel.model.record(0).flag
    window.select_entries(list(flag.entries))
    assert sorted(window.selected_entry_ids()) == sorted(flag.entries)
    assert window.timeline.selected == flag.entries[0]
    window.timeline.entry_clicked.emit("e10")
    assert window.selected_entry_ids() == ["e10"]


def test_evidence_hidden_by_a_filter_clears_the_filters_and_says_so(
    qtbot: Any, window: MainWindow
) -> None:
    flag = window.flags_panel.model.record(0).flag
    qtbot.keyClicks(window.filter_bar.search, "no entry says this")
    assert window.proxy.rowCount() == 0
    window.flags_panel.evidence_clicked.emit(list(flag.entries))
    assert window.filter_bar.search.text() == ""
    assert sorted(window.selected_entry_ids()) == sorted(flag.entries)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Filters cleared to show the flag's evidence")
    )


def test_one_filter_keystroke_filters_the_table(qtbot: Any, window: MainWindow) -> None:
    qtbot.keyClicks(window.filter_bar.search, "facebook")
    assert window.proxy.rowCount() == 3
    window.actions_.clear_filters.trigger()
    assert window.proxy.rowCount() == 19


def test_reviewing_a_flag_keeps_it_with_the_decision(window: MainWindow) -> None:
    item = window.flags_panel.model.record(0)
    window.edits.review_flag(item, "acknowledged", "Risk assessment re-run on 20 April")
    window.ops.wait()
    reviewed = window.flags_panel.model.record(0)
    assert (
        reviewed.review is not None
        and reviewed.review.reason == "Risk assessment re-run on 20 April"
    )
    assert window.actions_.undo.text() == "&Undo Acknowledge flag"


def test_locking_hides_the_case_and_the_passphrase_unlocks(qtbot: Any, window: MainWindow) -> None:
    window.show()
    window.actions_.lock.trigger()
    assert window.is_locked()
    assert not window.cases_dock.isVisible() and not window.flags_dock.isVisible()
    assert window.windowTitle() == "Chronology (locked)"
    assert not window.actions_.new_entry.isEnabled()
    window.lock_screen.passphrase.setText("wrong")
    assert window.lock_screen.try_unlock() is False
    assert window.lock_screen.error.text().startswith("The passphrase does not open")
    from tests.conftest import PASSPHRASE

    window.lock_screen.passphrase.setText(PASSPHRASE)
    assert window.lock_screen.try_unlock() is True
    assert not window.is_locked() and window.flags_dock.isVisible()


def test_the_window_locks_after_the_idle_time(qtbot: Any, window: MainWindow) -> None:
    window.idle.setInterval(50)
    window.idle.start()
    qtbot.waitUntil(window.is_locked, timeout=2000)


def test_keyboard_shortcuts_exist_for_the_daily_actions(window: MainWindow) -> None:
    assert window.actions_.new_entry.shortcut().toString() == "Ctrl+N"
    assert window.actions_.find.shortcut().toString() == "Ctrl+F"
    assert window.actions_.lock.shortcut().toString() == "Ctrl+L"
    window.actions_.find.trigger()


def test_withdrawing_asks_for_a_reason(qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        "chronology_app.gui.edit_commands.QInputDialog.getText",
        lambda *args, **kwargs: ("Entered on the wrong family's file", True),
    )
    window.select_entries(["e16"])
    window.actions_.withdraw_entry.trigger()
    assert window.model.row_of("e16") is None
    assert window.actions_.undo.text() == "&Undo Withdraw entry"


def test_the_timeline_exports_a_png(tmp_path: Any, window: MainWindow) -> None:
    path = tmp_path / "timeline.png"
    assert window.timeline.export_png(str(path))
    assert path.read_bytes().startswith(b"\x89PNG")
    window.timeline.zoom(2.0)
    window.timeline.zoom(0.5)
    _ = Qt


def test_review_mode_is_read_only_and_a_case_can_be_marked_reviewed(
    window: MainWindow, monkeypatch: Any
) -> None:
    window.actions_.review_mode.setChecked(True)
    assert window.in_review_mode()
    for action in window.actions_.editing_actions():
        assert not action.isEnabled(), action.text()
    assert not window.flags_panel.acknowledge.isEnabled()
    monkeypatch.setattr(
        "chronology_app.gui.edit_commands.QInputDialog.getMultiLineText",
        lambda *args, **kwargs: ("Seen in supervision: plan agreed.", True),
    )
    window.actions_.mark_reviewed.trigger()
    window.ops.wait()
    assert (
        window.service.case_reviews("BD-2020-0193")[0].comments
        == "Seen in supervision: plan agreed."
    )
    assert "Last reviewed" in window.statusBar().currentMessage()
    assert not window.actions_.new_entry.isEnabled()  # still read only after the review
    window.actions_.review_mode.setChecked(False)
    assert window.actions_.new_entry.isEnabled()


def test_locking_covers_an_open_dialog_and_keeps_what_was_typed(
    qtbot: Any, window: MainWindow
) -> None:
    from chronology_app.gui.dialogs.entry_editor import EntryEditor
    from tests.conftest import PASSPHRASE

    assert window.case is not None
    editor = EntryEditor(window.case, lambda entry, reason: None, parent=window)
    qtbot.addWidget(editor)
    editor.show()
    editor.summary.setText("Sensitive words typed before the lock")
    window.lock()
    (cover,) = window.locker.covers
    assert cover.isVisible() and cover.geometry() == editor.rect()
    cover.passphrase.setText(PASSPHRASE)
    assert cover.try_unlock() is True
    assert not window.is_locked() and window.locker.covers == []
    assert editor.summary.text() == "Sensitive words typed before the lock"


def test_a_new_case_with_a_reference_already_used_keeps_the_form_open(
    qtbot: Any, window: MainWindow
) -> None:
    from chronology_app.gui.dialogs.forms import CaseDialog

    dialog = CaseDialog(
        lambda values: window.ops.change(
            lambda: window.service.create_case(values), inline_validation=True
        ),
        window,
    )
    qtbot.addWidget(dialog)
    dialog.reference.setText("BD-2020-0193")
    dialog.title.setText("Family Z")
    assert dialog.try_save() is False
    assert dialog._errors["reference"].text().startswith('A case with reference "BD-2020-0193"')
    assert dialog.title.text() == "Family Z"


def test_a_relationship_added_in_the_app_can_be_named_by_a_separation(
    qtbot: Any, service: Service
) -> None:
    from chronology_app.gui.dialogs.entry_editor import EntryEditor
    from chronology_app.gui.dialogs.forms import RelationshipDialog

    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    service.create_case({"reference": "R-1", "title": "Family R"})
    service.add_person("R-1", {"id": "amy", "name": "Amy Rowe", "roles": ["parent"]})
    service.add_person("R-1", {"id": "lee", "name": "Lee Rowe", "roles": ["partner"]})
    window.open_case("R-1")
    window.ops.wait()
    assert window.case is not None
    persons = [(p.id, p.name) for p in window.case.persons]
    dialog = RelationshipDialog(
        persons,
        lambda values: window.ops.change(
            lambda: service.add_relationship("R-1", values), inline_validation=True
        ),
        window,
    )
    qtbot.addWidget(dialog)
    assert dialog.try_save() is False
    assert dialog._errors["persons[0]"].text() == "Choose the first person."
    dialog.first.setCurrentIndex(1)
    dialog.second.setCurrentIndex(2)
    assert dialog.try_save() is True
    window.ops.wait()
    assert window.case is not None
    editor = EntryEditor(window.case, lambda entry, reason: None, parent=window)
    qtbot.addWidget(editor)
    assert editor.relationship.count() == 2
    assert editor.relationship.itemText(1) == "Amy Rowe & Lee Rowe"


def test_the_case_list_finds_a_person_added_since_by_name(window: MainWindow) -> None:
    window.ops.change(lambda: window.service.add_person("BD-2020-0193", {"name": "Zoltan Quayle"}))
    window.ops.wait()
    window.cases_panel.search.setText("quayle")
    assert window.cases_panel.proxy.rowCount() == 1
    window.cases_panel.search.setText("dean harte")  # an alias, indexed at start
    assert window.cases_panel.proxy.rowCount() == 1


def test_an_undo_refused_as_changed_since_leaves_the_menu_with_the_step_before(
    window: MainWindow, monkeypatch: Any
) -> None:
    from chronology_app.gui import operations

    shown: list[str] = []
    monkeypatch.setattr(operations.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    reference = "BD-2020-0193"
    service = window.service
    window.ops.change(
        lambda: service.add_person(reference, {"id": "gran", "name": "Gail Test", "roles": []})
    )
    entry = {"date": "2021-01-05", "kind": "note", "summary": "Seen.", "source": {"agency": "GP"}}
    (entry_id,) = window.ops.change(lambda: service.add_entry(reference, entry)).keys("entry")
    other = Service(service.workspace, "Another Worker")
    other.edit_entry(reference, entry_id, {**entry, "summary": "Edited elsewhere."})
    window.actions_.undo.trigger()
    assert shown and "has been changed since" in shown[0]
    assert window.actions_.undo.text() == "&Undo Add person"
