"""The entry editor's form: a date after today is confirmed before saving, "What happened" is
a few lines with the core's cap, problems are listed in a fixed area so nothing moves, and a
problem put right loses its message at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from chronology_app.core import clock
from chronology_app.core.service import Service
from chronology_app.gui.dialogs.entry_editor import EntryEditor
from chronology_app.gui.dialogs.entry_parts import future_question
from tests.gui.test_entry_editor import _fill as fill

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def editor(qtbot: Any, family_b_service: Service) -> EntryEditor:
    saved: list[dict[str, Any]] = []
    dialog = EntryEditor(family_b_service.case_data("BD-2020-0193"), lambda e, r: saved.append(e))
    dialog.saved = saved  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("12/03/2031", "12 March 2031 is more than 4 years from today; save it anyway?"),
        ("7/12/2030", "7 December 2030 is 4 years from today; save it anyway?"),
        ("March 2027", "March 2027 is more than 2 months from today; save it anyway?"),
        ("summer 2027", "Summer 2027 is more than 5 months from today; save it anyway?"),
        ("19/12/2026", "19 December 2026 is 12 days from today; save it anyway?"),
        ("8/12/2026", "8 December 2026 is tomorrow; save it anyway?"),
    ],
)
def test_a_date_after_today_is_saved_only_when_confirmed(
    editor: EntryEditor, typed: str, question: str
) -> None:
    asked: list[str] = []
    answers = iter([False, True])
    editor.confirm_future = lambda q: asked.append(q) or next(answers)
    with clock.fixed(TODAY):
        fill(editor, date=typed)
        assert editor.try_save() is False  # "Cancel": nothing saved, the dialog stays open
        assert editor.saved == []  # type: ignore[attr-defined]
        assert editor.date.text() == typed
        assert editor.try_save() is True  # "Save"
    assert asked == [question, question]
    assert len(editor.saved) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["7/12/2026", "6/12/2026", "March 2019", "before 2027"])
def test_today_and_earlier_are_not_asked_about(editor: EntryEditor, typed: str) -> None:
    editor.confirm_future = lambda q: pytest.fail(f"asked: {q}")  # type: ignore[assignment]
    with clock.fixed(TODAY):
        fill(editor, date=typed)
        assert editor.try_save() is True
    assert future_question(editor.date_read(), TODAY) is None  # type: ignore[arg-type]


def test_an_edit_that_keeps_a_future_date_is_not_asked_again(
    qtbot: Any, family_b_service: Service
) -> None:
    entry = {
        "id": "e99",
        "date": "2031-03-12",
        "kind": "note",
        "summary": "Planned review.",
        "source": {"agency": "School"},
    }
    saved: list[dict[str, Any]] = []
    editor = EntryEditor(
        family_b_service.case_data("BD-2020-0193"), lambda e, r: saved.append(e), entry=entry
    )
    qtbot.addWidget(editor)
    editor.confirm_future = lambda q: pytest.fail(f"asked: {q}")  # type: ignore[assignment]
    editor.summary.setText("Planned review moved.")
    with clock.fixed(TODAY):
        assert editor.try_save() is True
    assert saved[0]["date"] == "2031-03-12"


def test_what_happened_is_a_few_lines_and_tab_moves_on(qtbot: Any, editor: EntryEditor) -> None:
    assert isinstance(editor.summary, QPlainTextEdit)
    line = editor.summary.fontMetrics().lineSpacing()
    assert 3 * line <= editor.summary.height() < 5 * line
    editor.show()
    qtbot.waitExposed(editor)
    editor.summary.setFocus()
    qtbot.keyClicks(editor.summary, "Seen at home")
    qtbot.keyClick(editor.summary, Qt.Key.Key_Tab)
    assert editor.summary.toPlainText() == "Seen at home"  # no tab typed
    assert editor.focusWidget() is editor.detail  # the next field has the focus
    editor.summary.setText("Seen at home.\nMother present.")
    _fill_rest(editor)
    assert editor.try_save() is True
    assert editor.saved[0]["summary"] == "Seen at home.\nMother present."  # type: ignore[attr-defined]


def _fill_rest(editor: EntryEditor) -> None:
    editor.date.setText("March 2019")
    editor.agency.setText("Health visiting")


def test_a_text_over_the_cap_is_said_at_once_and_kept(editor: EntryEditor) -> None:
    _fill_rest(editor)
    editor.summary.setText("x" * 501)
    assert editor.try_save() is False
    assert editor.problem("summary") == (
        "is 501 characters long; keep it to 500 (put the rest in the detail)"
    )
    assert len(editor.summary.toPlainText()) == 501  # never cut off: nothing typed is lost
    editor.summary.setText("x" * 500)  # put right: the message goes at once
    assert editor.problem("summary") == ""
    editor.detail.setPlainText("y" * 20_001)
    assert editor.try_save() is False
    assert editor.problem("detail") == "is 20,001 characters long; keep it to 20,000 (shorten it)"
    assert editor.saved == []  # type: ignore[attr-defined]


def test_a_huge_paste_is_measured_not_copied_for_each_keystroke(editor: EntryEditor) -> None:
    editor.detail.setPlainText("z" * 400_000)
    assert editor.detail.length() == 400_000
    assert editor.detail.over_cap() == (
        "is 400,000 characters long; keep it to 20,000 (shorten it)"
    )


def _positions(editor: EntryEditor) -> dict[str, QPoint]:
    fields: dict[str, QWidget] = {
        "date": editor.date,
        "summary": editor.summary,
        "agency": editor.agency,
        "restricted_reason": editor.restricted_reason,
        "buttons": editor.problems,
    }
    return {name: field.mapTo(editor, QPoint(0, 0)) for name, field in fields.items()}


def test_the_form_does_not_move_as_problems_come_and_go(qtbot: Any, editor: EntryEditor) -> None:
    editor.show()
    qtbot.waitExposed(editor)
    before = _positions(editor)
    editor.restricted.setChecked(True)
    assert editor.try_save() is False  # four problems listed
    qtbot.wait(1)
    assert set(editor.problems.problems) == {
        "date",
        "summary",
        "source.agency",
        "restricted_reason",
    }
    assert _positions(editor) == before
    editor.date.setText("March 2019")  # put right: its message goes at once, others stay
    assert editor.problem("date") == ""
    assert editor.problem("summary") == "Say briefly what happened."
    editor.summary.setText("Seen.")
    editor.agency.setText("Police")
    editor.restricted_reason.setText("Third-party information")
    qtbot.wait(1)
    assert editor.problems.problems == {}
    assert _positions(editor) == before


def test_a_problem_names_its_field_and_takes_the_user_there(
    qtbot: Any, editor: EntryEditor
) -> None:
    editor.show()
    qtbot.waitExposed(editor)
    editor.date.setText("March 2019")
    assert editor.try_save() is False
    text = editor.problems.label.text()
    assert '<a href="summary">What happened</a>: Say briefly what happened.' in text
    assert editor.focusWidget() is editor.summary  # the first problem's field
    editor.date.setFocus()
    editor.problems.label.linkActivated.emit("source.agency")
    assert editor.focusWidget() is editor.agency
