"""The Edit and Case menus' commands: entries, persons, relationships, the case's details, its
closing and reopening, flag reviews and supervisors' case reviews.

Each opens its dialog and hands the change to `Operations.change`, the one door; the window
refreshes from what changed. Nothing here reads the whole case again after a change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QMessageBox

from chronology_app.core.analysis import ReviewedFlag
from chronology_app.core.errors import ChronologyError, InvalidInput
from chronology_app.gui.dialogs.entry_editor import EntryEditor
from chronology_app.gui.dialogs.forms import CaseDialog, PersonDialog, RelationshipDialog
from chronology_app.gui.dialogs.history_dialog import HistoryDialog, WithdrawnDialog
from chronology_app.gui.operations import show_error

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow


class EditCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    @property
    def _service(self) -> Any:
        return self.window.service

    # --- entries -------------------------------------------------------------------------

    def new_entry(self) -> None:
        window = self.window
        if window.case is None or window.reference is None:
            return
        reference = window.reference
        editor = EntryEditor(
            window.case,
            lambda entry, _reason: window.ops.change(
                lambda: self._service.add_entry(reference, entry), inline_validation=True
            ),
            parent=window,
            recorded_by=window.user_name(),
            ripa_contact=self._service.settings.ripa_contact,
        )
        editor.exec()

    def edit_entry(self) -> None:
        window = self.window
        ids = window.selected_entry_ids()
        if window.case is None or window.reference is None or not ids:
            return
        reference, entry_id = window.reference, ids[0]
        document = self._service.document(reference)
        original = next((e for e in document["entries"] if e["id"] == entry_id), None)
        if original is None:
            return
        editor = EntryEditor(
            window.case,
            lambda entry, reason: window.ops.change(
                lambda: self._service.edit_entry(reference, entry_id, entry, reason=reason),
                inline_validation=True,
            ),
            entry=original,
            parent=window,
            ripa_contact=self._service.settings.ripa_contact,
        )
        editor.exec()

    def withdraw_entry(self) -> None:
        window = self.window
        ids = window.selected_entry_ids()
        if window.reference is None or not ids:
            return
        reference = window.reference
        reason, ok = QInputDialog.getText(
            window,
            "Withdraw entry",
            "Why is this entry being withdrawn? It is kept in the audit trail.",
        )
        if ok and reason.strip():
            window.ops.change(
                lambda: self._service.withdraw_entry(reference, ids[0], reason.strip())
            )

    def entry_history(self, entry_id: str | None = None) -> None:
        """Who changed the chosen entry (or `entry_id`), when, why and what."""
        window = self.window
        ids = [entry_id] if entry_id else window.selected_entry_ids()
        if window.reference is None or not ids:
            return
        try:
            items = self._service.history(window.reference, ids[0])
        except ChronologyError as error:
            show_error(window, error)
            return
        entry = window.case.entry_by_id.get(ids[0]) if window.case else None
        title = entry.ref if entry is not None else "a withdrawn entry"
        HistoryDialog(title, items, window).exec()

    def show_withdrawn(self) -> None:
        window = self.window
        if window.reference is None:
            return
        entries = self._service.withdrawn_entries(window.reference)
        WithdrawnDialog(entries, self.entry_history, window).exec()

    # --- persons and relationships -------------------------------------------------------

    def add_person(self) -> None:
        window = self.window
        if window.reference is None:
            return
        reference = window.reference

        def save(values: dict[str, Any]) -> object:
            self._confirm_not_already_here(reference, values)
            return window.ops.change(
                lambda: self._service.add_person(reference, values), inline_validation=True
            )

        PersonDialog(save, window).exec()

    def _confirm_not_already_here(self, reference: str, values: dict[str, Any]) -> None:
        """Warn when the person being added looks like one already in the case (the same
        matcher as across cases); going back to the form keeps what was typed."""
        try:
            alikes = self._service.look_alikes(reference, values, self.window.case)
        except InvalidInput:
            return  # the add itself shows the problems beside their fields
        if not alikes:
            return
        lines = "\n".join(f"• {person.name}: {why}" for person, why in alikes)
        answer = QMessageBox.question(
            self.window,
            "Add person",
            f"This may be someone already in the case:\n{lines}\n\nAdd as a new person anyway?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            raise InvalidInput(
                {"name": "may be someone already in the case: check the name, or save again"}
            )

    def edit_person(self, person_id: str | None = None) -> None:
        """Edit the person chosen in the people table (or `person_id`)."""
        window = self.window
        if window.reference is None:
            return
        person_id = person_id or window.case_view.people.selected_person()
        if person_id is None:
            QMessageBox.information(
                window, "Edit person", "Choose a person in People and family first."
            )
            return
        reference = window.reference
        document = self._service.document(reference)
        original = next((p for p in document["persons"] if p["id"] == person_id), None)
        if original is None:
            return
        PersonDialog(
            lambda values: window.ops.change(
                lambda: self._service.edit_person(reference, person_id, values),
                inline_validation=True,
            ),
            window,
            person=original,
        ).exec()

    def add_relationship(self) -> None:
        window = self.window
        if window.reference is None or window.case is None:
            return
        reference = window.reference
        persons = [(p.id, p.name) for p in window.case.persons]
        RelationshipDialog(
            persons,
            lambda values: window.ops.change(
                lambda: self._service.add_relationship(reference, values), inline_validation=True
            ),
            window,
        ).exec()

    # --- cases ---------------------------------------------------------------------------

    def new_case(self) -> None:
        window = self.window
        made: list[str] = []

        def save(values: dict[str, Any]) -> None:
            window.ops.change(lambda: self._service.create_case(values), inline_validation=True)
            made.append(values["reference"])

        if CaseDialog(save, window).exec() and made:
            window.open_case(made[-1])

    def edit_case(self) -> None:
        window = self.window
        if window.reference is None:
            return
        reference = window.reference
        original = self._service.document(reference)["case"]
        CaseDialog(
            lambda values: window.ops.change(
                lambda: self._service.update_case(reference, values), inline_validation=True
            ),
            window,
            case=original,
        ).exec()

    def close_or_reopen_case(self) -> None:
        """A closed case is analysed as of its latest entry; an open one as of today."""
        window = self.window
        if window.reference is None:
            return
        reference = window.reference
        original = dict(self._service.document(reference)["case"])
        closing = original.get("status") != "closed"
        verb = "Close" if closing else "Reopen"
        question = (
            "Close this case? Its flags will be worked out as of its latest entry, not today. "
            "It can be reopened."
            if closing
            else "Reopen this case? Its flags will be worked out as of today."
        )
        answer = QMessageBox.question(window, f"{verb} case", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        changed = {**original, "status": "closed" if closing else "open"}
        window.ops.change(lambda: self._service.update_case(reference, changed))

    # --- reviews -------------------------------------------------------------------------

    def review_flag(self, item: ReviewedFlag, decision: str, reason: str) -> None:
        window = self.window
        if window.reference is None:
            return
        reference = window.reference
        review = {
            "rule": item.flag.rule,
            "evidence": list(item.flag.entries),
            "decision": decision,
            "reason": reason,
        }
        window.ops.change(lambda: self._service.record_flag_review(reference, review))

    def mark_reviewed(self) -> None:
        window = self.window
        if window.reference is None:
            return
        reference = window.reference
        earlier = self._service.case_reviews(reference)
        history = "\n".join(f"{r.at:%d %b %Y} {r.by}: {r.comments}" for r in earlier[-3:])
        prompt = "Comments on this review (kept in the audit trail):"
        if history:
            prompt = f"Earlier reviews:\n{history}\n\n{prompt}"
        comments, ok = QInputDialog.getMultiLineText(window, "Mark case reviewed", prompt)
        if ok:
            window.ops.change(lambda: self._service.record_case_review(reference, comments))
