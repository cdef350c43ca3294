"""Daily tasks in the window: a person and the case details edited through their dialogs, a
case closed and reopened, who is working named on a report, and Close workspace."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from chronology_app.gui import report_printing as printing
from chronology_app.gui.dialogs.forms import CaseDialog, PersonDialog
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.user_profile import ProfileDialog, load_profile

REF = "BD-2020-0193"


def _run_dialog(monkeypatch: pytest.MonkeyPatch, cls: type, fill: Any) -> None:
    """Make `cls.exec` fill the dialog as a user would and press Save."""

    def exec_(dialog: Any) -> int:
        fill(dialog)
        return 1 if dialog.try_save() else 0

    monkeypatch.setattr(cls, "exec", exec_)


def test_edit_a_person_through_the_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.case_view.tabs.setCurrentWidget(window.people)
    window.people.table.selectRow(0)
    person_id = window.people.selected_person()
    assert person_id is not None

    def fill(dialog: PersonDialog) -> None:
        assert dialog.windowTitle() == "Edit person"
        dialog.name.setText("Corrected Spelling")
        dialog.immigration.setCurrentIndex(dialog.immigration.findData("settled"))

    _run_dialog(monkeypatch, PersonDialog, fill)
    window.actions_.edit_person.trigger()
    assert window.case is not None
    person = window.case.person_by_id[person_id]
    assert (person.name, person.immigration_status) == ("Corrected Spelling", "settled")
    assert window.people.selected_person() == person_id  # the choice stays
    assert window.actions_.undo.text() == "&Undo Edit person"


@pytest.mark.parametrize("anyway", [False, True])
def test_adding_someone_who_may_already_be_in_the_case_asks_first(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, anyway: bool
) -> None:
    from PySide6.QtWidgets import QMessageBox

    assert window.case is not None
    existing = window.case.persons[0]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *args: Any) -> Any:
        asked.append(text)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        return yes if anyway else no

    monkeypatch.setattr(QMessageBox, "question", question)
    shown: list[PersonDialog] = []

    def fill(dialog: PersonDialog) -> None:
        dialog.name.setText(existing.name.upper())
        shown.append(dialog)

    before = len(window.case.persons)
    _run_dialog(monkeypatch, PersonDialog, fill)
    window.actions_.add_person.trigger()
    assert asked and existing.name in asked[0] and "the same name" in asked[0]
    assert len(window.case.persons) == before + (1 if anyway else 0)
    note = shown[0]._errors["name"].text()
    assert ("may be someone already in the case" in note) is not anyway  # the form stays


def test_a_problem_in_the_person_dialog_shows_beside_the_field(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fill(dialog: PersonDialog) -> None:
        dialog.name.clear()
        dialog.try_save()
        seen.append(dialog._errors["name"].text())

    _run_dialog(monkeypatch, PersonDialog, fill)
    window.people.table.selectRow(0)
    window.actions_.edit_person.trigger()
    assert seen == ["Give the person's full name as known."]


def test_edit_the_case_details_and_close_and_reopen_the_case(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: CaseDialog) -> None:
        assert dialog.reference.isReadOnly()
        dialog.fields["team"].setText("Family Safeguarding North")
        dialog.title.setText("Family B (edited)")

    _run_dialog(monkeypatch, CaseDialog, fill)
    window.actions_.edit_case.trigger()
    assert window.case is not None and window.case.case.team == "Family Safeguarding North"
    assert "Family B (edited)" in window.windowTitle()

    monkeypatch.setattr(
        "chronology_app.gui.edit_commands.QMessageBox.question",
        lambda *args: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.StandardButton.Yes,
    )
    window.actions_.close_case.trigger()
    window.ops.wait()
    assert window.case.case.status == "closed" and "(closed)" in window.windowTitle()
    assert window.case_view.analysis is not None and window.case_view.analysis.as_of is None
    assert window.actions_.close_case.text() == "Re&open case…"
    window.actions_.close_case.trigger()
    window.ops.wait()
    assert window.case.case.status == "open"
    assert window.case_view.analysis is not None and window.case_view.analysis.as_of is not None
    window.actions_.undo.trigger()  # closing and reopening are undoable like any change
    window.ops.wait()
    assert window.case.case.status == "closed"


def test_the_users_name_is_on_the_report_as_prepared_by(
    tmp_path: Path, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: ProfileDialog) -> None:
        dialog.name.setText("  Sam   Carter ")
        dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))

    _run_dialog(monkeypatch, ProfileDialog, fill)
    window.actions_.who_is_working.trigger()
    assert load_profile().name == "Sam Carter" and load_profile().role == "supervisor"
    assert window.service.user == "Sam Carter"
    assert window.user_label.text() == "Sam Carter · Supervisor"
    window.actions_.review_mode.setChecked(True)
    assert window.case_view.banner.isVisibleTo(window)
    assert window.case_view.banner.text().startswith("Supervisor's review")
    window.actions_.review_mode.setChecked(False)

    target = tmp_path / "report.pdf"
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: "internal")
    monkeypatch.setattr(
        printing, "ask_report_path", lambda parent, reference, audience: (target, "pdf")
    )
    window.actions_.export_pdf.trigger()
    window.ops.wait()
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert "Sam Carter" in text


def test_close_workspace_asks_for_the_welcome_screen(window: MainWindow) -> None:
    asked: list[bool] = []
    window.workspace_closed.connect(lambda: asked.append(True))
    window.show()
    window.actions_.close_workspace.trigger()
    assert asked == [True] and not window.isVisible()
