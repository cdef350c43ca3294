"""The entry editor: live date reading, inline messages word for word, nothing typed lost."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from chronology_app.core.errors import InvalidInput
from chronology_app.core.service import Service
from chronology_app.core.settings import RipaContact
from chronology_app.gui.dialogs.entry_editor import MESSAGES, EntryEditor


@pytest.fixture
def editor(qtbot: Any, family_b_service: Service) -> EntryEditor:
    saved: list[tuple[dict[str, Any], str | None]] = []
    dialog = EntryEditor(
        family_b_service.case_data("BD-2020-0193"), lambda e, r: saved.append((e, r))
    )
    dialog.saved = saved  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    return dialog


def _fill(editor: EntryEditor, kind: str = "note", date: str = "March 2019") -> None:
    editor.kind.setCurrentIndex(editor.kind.findData(kind))
    editor.date.setText(date)
    editor.summary.setText("Seen at home.")
    editor.agency.setText("Health visiting")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("March 2019", "Read as: between 1 and 31 March 2019"),
        ("12/03/2019", "Read as: 12 March 2019"),
        ("w/c 4/3/19", "Read as: between 4 and 10 March 2019"),
        ("summer 2016", "Read as: between 1 June and 31 August 2016"),
        ("31/02/2019", '"31/02/2019" is not a real date (February 2019 has 28 days)'),
        ("12/03/2091", "Read as: 12 March 2091 (that is in the future: check the year)"),
        ("12/03/1891", "Read as: 12 March 1891 (that is before 1900: check the year)"),
        ("before 2019", "Read as: before 2019 (up to 31 December 2018)"),
    ],
)
def test_the_date_field_shows_live_how_it_read_the_text(
    editor: EntryEditor, typed: str, shown: str
) -> None:
    editor.date.setText(typed)
    assert editor.date_reading.text() == shown


def test_missing_fields_are_named_next_to_the_field_and_input_is_kept(editor: EntryEditor) -> None:
    editor.kind.setCurrentIndex(editor.kind.findData("separation"))
    editor.date.setText("12/03/2019")
    editor.restricted.setChecked(True)
    assert editor.try_save() is False
    assert editor.problem("summary") == "Say briefly what happened."
    assert editor.problem("source.agency") == "Say which agency the information came from."
    assert editor.problem("restricted_reason") == (
        "Say why this entry must not be shared with the family."
    )
    assert editor.problem("relationship") == "Choose the relationship this entry is about."
    assert editor.problem("date") == ""
    assert editor.date.text() == "12/03/2019"  # nothing typed is lost
    assert editor.saved == []  # type: ignore[attr-defined]


def test_an_unreadable_date_is_explained_and_not_saved(editor: EntryEditor) -> None:
    _fill(editor, date="next Tuesday")
    assert editor.try_save() is False
    assert editor.problem("date").startswith('"next Tuesday"')
    assert editor.summary.text() == "Seen at home."


def test_a_disclosure_without_a_perpetrator_is_allowed_but_visibly_marked(
    editor: EntryEditor,
) -> None:
    _fill(editor, kind="disclosure")
    assert editor.perpetrator_note.isVisibleTo(editor)
    assert editor.perpetrator_note.text() == MESSAGES["no_perpetrator"]
    editor._add_person_row("p-dean", "alleged_perpetrator")
    assert not editor.perpetrator_note.isVisibleTo(editor)
    editor._remove_person_row(editor._person_rows[0])
    assert editor.perpetrator_note.isVisibleTo(editor)
    assert editor.try_save() is True
    entry, _reason = editor.saved[0]  # type: ignore[attr-defined]
    assert entry["kind"] == "disclosure" and "persons" not in entry


def test_the_saved_entry_has_the_expression_and_the_wording(editor: EntryEditor) -> None:
    _fill(editor, kind="disclosure", date="w/c 4/3/19")
    editor._add_person_row("p-sara", "discloser")
    editor._add_person_row("p-dean", "alleged_perpetrator")
    editor.attributes.widgets["consent_to_refer"].setCurrentIndex(  # type: ignore[attr-defined]
        editor.attributes.widgets["consent_to_refer"].findData("not_asked")  # type: ignore[attr-defined]
    )
    editor.tags.setText("coercive_control, monitoring")
    assert editor.try_save() is True
    entry, _ = editor.saved[0]  # type: ignore[attr-defined]
    assert entry["date"] == "2019-03-04/2019-03-10"
    assert entry["date_text"] == "w/c 4/3/19"
    assert entry["persons"] == [
        {"person": "p-sara", "role": "discloser"},
        {"person": "p-dean", "role": "alleged_perpetrator"},
    ]
    assert entry["attributes"] == {"consent_to_refer": "not_asked"}
    assert entry["tags"] == ["coercive_control", "monitoring"]


def test_problems_from_the_service_are_shown_next_to_their_fields(
    qtbot: Any, family_b_service: Service
) -> None:
    def refuse(entry: dict[str, Any], reason: str | None) -> None:
        raise InvalidInput({"attributes.police_attended": "must be true or false", "x": "other"})

    editor = EntryEditor(family_b_service.case_data("BD-2020-0193"), refuse)
    qtbot.addWidget(editor)
    _fill(editor, kind="incident")
    assert editor.try_save() is False
    assert editor.problem("attributes.police_attended") == "must be true or false"
    assert editor.problems.label.text().endswith("<br>x: other")  # a problem with no field


def test_editing_keeps_unknown_keys_and_attributes(qtbot: Any, family_b_service: Service) -> None:
    original = dict(family_b_service.document("BD-2020-0193")["entries"][14])  # e15, online check
    original["x_local"] = {"kept": True}
    saved: list[dict[str, Any]] = []
    editor = EntryEditor(
        family_b_service.case_data("BD-2020-0193"), lambda e, r: saved.append(e), entry=original
    )
    qtbot.addWidget(editor)
    editor.summary.setText("Public profile viewed.")
    assert editor.try_save() is True
    assert saved[0]["x_local"] == {"kept": True}
    assert saved[0]["attributes"]["platform"] == "Facebook"
    assert saved[0]["attributes"]["authorisation"] is None  # an explicit null, untouched, is kept
    assert saved[0]["date"] == "2021-03-15"


def test_changing_kind_twice_still_shows_the_messages(editor: EntryEditor) -> None:
    for kind in ("incident", "disclosure", "risk_assessment"):
        editor.kind.setCurrentIndex(editor.kind.findData(kind))
    editor.date.setText("March 2019")
    editor.agency.setText("Police")
    assert editor.try_save() is False
    assert editor.problem("summary") == "Say briefly what happened."


def _choose(editor: EntryEditor, key: str, value: str) -> None:
    combo = editor.attributes.widgets[key]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


@pytest.mark.parametrize(
    ("answer", "asked"),
    [("", True), ("not_asked", False), ("given", False), ("refused", False)],
)
def test_a_disclosure_with_no_answer_on_consent_asks_inline_and_still_saves(
    editor: EntryEditor, answer: str, asked: bool
) -> None:
    _fill(editor, kind="disclosure")
    assert editor.consent_note is not None
    assert editor.consent_note.text() == (
        "Was consent to refer asked? The answer is recorded with the entry."
    )
    assert editor.consent_note.isVisibleTo(editor)
    _choose(editor, "consent_to_refer", answer)
    assert editor.consent_note.isVisibleTo(editor) is asked
    assert editor.try_save() is True  # the prompt never blocks the save
    entry, _ = editor.saved[0]  # type: ignore[attr-defined]
    assert (entry.get("attributes") or {}).get("consent_to_refer") == (answer or None)


def test_the_consent_prompt_is_only_for_disclosures(editor: EntryEditor) -> None:
    _fill(editor, kind="incident")
    assert editor.consent_note is None
    editor.kind.setCurrentIndex(editor.kind.findData("disclosure"))
    assert editor.consent_note is not None and editor.consent_note.isVisibleTo(editor)
    editor.kind.setCurrentIndex(editor.kind.findData("note"))
    assert editor.consent_note is None


def test_editing_a_disclosure_with_an_answer_shows_no_prompt(
    qtbot: Any, family_b_service: Service
) -> None:
    original = {
        "id": "dx",
        "date": "2021-03-01",
        "kind": "disclosure",
        "summary": "Told the GP.",
        "source": {"agency": "GP"},
        "attributes": {"consent_to_refer": "refused"},
    }
    editor = EntryEditor(family_b_service.case_data("BD-2020-0193"), lambda e, r: None, original)
    qtbot.addWidget(editor)
    assert editor.consent_note is not None and not editor.consent_note.isVisibleTo(editor)


REPEAT = (
    "Viewing the same profile more than once may amount to directed surveillance, which needs "
    "authorisation under RIPA before looking again."
)


@pytest.mark.parametrize(
    ("contact", "shown"),
    [
        (
            RipaContact(
                "the Information Governance team",
                "ig@council.example or 01632 960 123",
                "Intranet, Policies, Surveillance and RIPA",
            ),
            f"{REPEAT}\nAsk the Information Governance team: ig@council.example or "
            "01632 960 123. Local guidance: Intranet, Policies, Surveillance and RIPA.",
        ),
        (RipaContact("the RIPA officer"), f"{REPEAT}\nAsk the RIPA officer."),
        (
            None,
            f"{REPEAT}\nNo contact for RIPA and social-media checks is set: an administrator adds "
            "one as ripa_contact in the authority's settings file.",
        ),
    ],
)
def test_the_online_check_editor_says_whom_to_ask_about_authorisation(
    qtbot: Any, family_b_service: Service, contact: RipaContact | None, shown: str
) -> None:
    editor = EntryEditor(
        family_b_service.case_data("BD-2020-0193"), lambda e, r: None, ripa_contact=contact
    )
    qtbot.addWidget(editor)
    assert editor.ripa_note is None
    editor.kind.setCurrentIndex(editor.kind.findData("online_check"))
    assert editor.ripa_note is not None and editor.ripa_note.text() == shown
    # beside the authorisation field: the row just after it
    form = editor.attributes.form
    row, _ = form.getWidgetPosition(editor.attributes.widgets["authorisation"])
    assert form.itemAt(row + 1, form.ItemRole.FieldRole).widget() is editor.ripa_note


def test_the_agency_suggestions_never_take_the_next_keystroke(family_b_service: Any) -> None:
    from PySide6.QtWidgets import QCompleter

    editor = EntryEditor(family_b_service.case_data("BD-2020-0193"), lambda e, r: None)
    completer = editor.agency.completer()
    assert completer is not None
    assert completer.completionMode() == QCompleter.CompletionMode.InlineCompletion
    assert editor.summary.cap == 500


def test_choosing_the_relationship_names_both_partners(family_b_service: Any) -> None:
    case = family_b_service.case_data("BD-2020-0193")
    relationship = next(r for r in case.relationships if r.kind == "intimate_partner")
    saved: list[dict[str, Any]] = []
    editor = EntryEditor(case, lambda entry, reason: saved.append(entry))
    editor.kind.setCurrentIndex(editor.kind.findData("reconciliation"))
    editor.date.setText("March 2022")
    editor.agency.setText("School")
    editor.summary.setText("Back together.")
    index = editor.relationship.findData(relationship.id)
    editor.relationship.setCurrentIndex(index)
    editor.relationship.activated.emit(index)
    assert editor.try_save()
    (entry,) = saved
    assert {p["person"] for p in entry["persons"]} >= set(relationship.persons)
