"""The entry editor: one chronology entry, typed the way practitioners write.

The date field shows live how it read the text ("Read as: between 1 and 31 March 2019"). The
fields a kind needs appear when the kind is chosen (`entry_attributes.py`). Problems are
listed in a fixed area above the buttons, each naming its field, so the form never moves as
they appear and disappear; a problem put right loses its message at once; nothing typed is
lost: the dialog stays open until the entry is saved. A date after today is saved only once
the user confirms it ("12 March 2031 is more than 4 years from today; save it anyway?").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core import clock
from chronology_app.core.dates import PartialDate, parse_practitioner_date
from chronology_app.core.errors import InvalidDate, InvalidInput
from chronology_app.core.model import vocabulary as words
from chronology_app.core.records import CaseData
from chronology_app.core.settings import RipaContact
from chronology_app.gui.colours import toned
from chronology_app.gui.dialogs.entry_attributes import AttributeFields
from chronology_app.gui.dialogs.entry_parts import (
    MESSAGES,
    CappedText,
    PersonRow,
    ProblemArea,
    ask_to_save_future,
    combo,
    future_question,
    implausible,
)
from chronology_app.gui.widgets.fit import fit_on_screen

__all__ = ["MESSAGES", "EntryEditor"]


class EntryEditor(QDialog):
    """Add or edit one entry. `save(entry, reason)` performs the change (and raises
    InvalidInput with field paths when the service refuses it). `confirm_future(question)`
    asks before a date after today is saved (a message box; tests answer it)."""

    def __init__(
        self,
        case: CaseData,
        save: Callable[[dict[str, Any], str | None], object],
        entry: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
        recorded_by: str | None = None,
        ripa_contact: RipaContact | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self._save = save
        self._original = dict(entry or {})
        self._recorded_by = recorded_by
        self.confirm_future: Callable[[str], bool] = lambda q: ask_to_save_future(self, q)
        self.setWindowTitle("Edit entry" if entry else "New entry")
        fit_on_screen(self, 640, 720)
        self._person_rows: list[PersonRow] = []
        self._fields: dict[str, QWidget] = {}  # problem key -> the field to go to
        self.attributes = AttributeFields(ripa_contact, self._changed)
        self._build()
        self._load(self._original)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        form = QFormLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        self.kind = combo([(k, label) for k, label in words.ENTRY_KINDS.items()], "note")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("&Kind", self.kind)

        self.date = QLineEdit()
        self.date.setPlaceholderText("e.g. 12/03/2019, March 2019, w/c 4/3/19, summer 2016")
        self.date.textChanged.connect(self._read_date)
        self.date.textChanged.connect(lambda: self._changed("date"))
        form.addRow("&Date", self.date)
        self.date_reading = QLabel()
        self.date_reading.setWordWrap(True)
        # One line kept for the reading, so the form does not move when it appears.
        self.date_reading.setMinimumHeight(self.date_reading.fontMetrics().lineSpacing())
        form.addRow("", self.date_reading)

        self.summary = CappedText("summary", 3)
        self.summary.textChanged.connect(lambda: self._changed("summary"))
        form.addRow("&What happened", self.summary)
        self.detail = CappedText("detail", 4)
        self.detail.textChanged.connect(lambda: self._changed("detail"))
        form.addRow("Detail", self.detail)

        self.agency = QLineEdit()
        agencies = sorted({e.source_agency for e in self.case.entries})
        if agencies:
            completer = QCompleter(agencies, self)
            # Completed in the field itself: a popup list would take the next keystroke or
            # click meant for the field after it.
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.agency.setCompleter(completer)
        self.agency.textChanged.connect(lambda: self._changed("source.agency"))
        form.addRow("Source &agency", self.agency)
        self.source_type = combo(
            [("", "Not recorded")] + [(t, words.label(t)) for t in words.SOURCE_TYPES]
        )
        form.addRow("Source type", self.source_type)

        self.people_box = QVBoxLayout()
        self.people_box.setContentsMargins(0, 0, 0, 0)
        people = QWidget()
        people.setLayout(self.people_box)
        add_person = QPushButton("Add a person to this entry")
        add_person.clicked.connect(lambda: self._add_person_row(None, None))
        self.people_box.addWidget(add_person)
        form.addRow("People and roles", people)
        self.perpetrator_note = toned(QLabel(MESSAGES["no_perpetrator"]), "note")
        self.perpetrator_note.setWordWrap(True)
        form.addRow("", self.perpetrator_note)

        self.relationship = combo(
            [("", "Choose…")]
            + [
                (
                    r.id,
                    " & ".join(
                        self.case.person_by_id[p].name
                        for p in r.persons
                        if p in self.case.person_by_id
                    ),
                )
                for r in self.case.relationships
            ]
        )
        form.addRow("Relationship", self.relationship)
        self.relationship.activated.connect(self._name_the_partners)  # chosen by the user
        self.relationship.currentIndexChanged.connect(lambda: self._changed("relationship"))

        self.attributes.place(form, self.relationship)

        self.impact = CappedText("impact", 2)
        self.impact.textChanged.connect(lambda: self._changed("impact"))
        form.addRow("Impact on the child", self.impact)
        self.action = QLineEdit()
        self.action.textChanged.connect(lambda: self._changed("action"))
        form.addRow("Action taken", self.action)
        self.significance = combo(
            [("", "Not set"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]
        )
        form.addRow("Significance", self.significance)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma separated, e.g. physical, coercive_control")
        form.addRow("Tags", self.tags)
        self.positive = QCheckBox("A strength or protective factor")
        form.addRow("", self.positive)
        self.restricted = QCheckBox("Restricted: not to be shared with the family")
        self.restricted.toggled.connect(self._restricted_changed)
        form.addRow("", self.restricted)
        self.restricted_reason = QLineEdit()
        self.restricted_reason.textChanged.connect(lambda: self._changed("restricted_reason"))
        form.addRow("Why restricted", self.restricted_reason)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why this entry is being changed (kept in the audit trail)")
        self.reason.textChanged.connect(lambda: self._changed("reason"))
        if self._original:
            form.addRow("Reason for change", self.reason)

        self.problems = ProblemArea(self._go_to)
        outer.addWidget(self.problems)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self._fields = {
            "date": self.date,
            "summary": self.summary,
            "detail": self.detail,
            "source.agency": self.agency,
            "source": self.agency,
            "persons": people,
            "relationship": self.relationship,
            "impact": self.impact,
            "action": self.action,
            "restricted_reason": self.restricted_reason,
            "reason": self.reason,
        }

    # --- loading and reacting ------------------------------------------------------------

    def _load(self, entry: Mapping[str, Any]) -> None:
        if entry:
            self.kind.setCurrentIndex(max(self.kind.findData(entry.get("kind")), 0))
            self.date.setText(entry.get("date_text") or entry.get("date", ""))
            self.summary.setText(entry.get("summary", ""))
            self.detail.setPlainText(entry.get("detail") or "")
            source = entry.get("source") or {}
            self.agency.setText(source.get("agency", ""))
            self.source_type.setCurrentIndex(
                max(self.source_type.findData(source.get("type") or ""), 0)
            )
            for link in entry.get("persons") or ():
                self._add_person_row(link.get("person"), link.get("role"))
            self.relationship.setCurrentIndex(
                max(self.relationship.findData(entry.get("relationship") or ""), 0)
            )
            self.impact.setPlainText(entry.get("impact") or "")
            self.action.setText(entry.get("action") or "")
            self.significance.setCurrentIndex(
                max(self.significance.findData(entry.get("significance") or ""), 0)
            )
            self.tags.setText(", ".join(entry.get("tags") or ()))
            self.positive.setChecked(bool(entry.get("positive")))
            self.restricted.setChecked(bool(entry.get("restricted")))
            self.restricted_reason.setText(entry.get("restricted_reason") or "")
        self._kind_changed()
        self._read_date()
        self._restricted_changed()
        if entry:
            for key, value in (entry.get("attributes") or {}).items():
                self.attributes.set_value(key, value)

    @property
    def consent_note(self) -> QLabel | None:
        return self.attributes.consent_note

    @property
    def ripa_note(self) -> QLabel | None:
        return self.attributes.ripa_note

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.attributes.show_kind(kind)
        for key in words.ATTRIBUTE_FIELDS.get(kind, ()):
            self._fields[f"attributes.{key}"] = self.attributes.widgets[key]
        self.relationship.setEnabled(kind in words.RELATIONSHIP_ENTRY_KINDS)
        self._update_perpetrator_note()
        self._changed("kind")

    def _changed(self, key: str) -> None:
        """A field changed: the messages of problems now put right go at once (a problem
        the service found goes when its own field is changed)."""
        if not self.problems.problems:
            return
        _, still = self.entry(check_only=True)
        found_here = {k for k in self.problems.problems if k in _CHECKED_HERE}
        self.problems.drop({k for k in found_here if k not in still} | ({key} - still.keys()))

    def _add_person_row(self, person: str | None, role: str | None) -> None:
        row = PersonRow(self.case, self.current_kind(), person, role, self._remove_person_row)
        row.changed.connect(self._update_perpetrator_note)
        row.changed.connect(lambda: self._changed("persons"))
        self._person_rows.append(row)
        self.people_box.insertWidget(self.people_box.count() - 1, row)
        self._update_perpetrator_note()

    def _name_the_partners(self) -> None:
        """A relationship entry is about both partners: choosing the relationship names them
        on the entry (if not named already), so it shows in their lanes and person filters."""
        if self.current_kind() not in words.RELATIONSHIP_ENTRY_KINDS:
            return
        relationship = self.case.relationship_by_id.get(self.relationship.currentData() or "")
        if relationship is None:
            return
        named = {row.person.currentData() for row in self._person_rows}
        for person in relationship.persons:
            if person not in named and person in self.case.person_by_id:
                empty = next((r for r in self._person_rows if not r.person.currentData()), None)
                if empty is not None:
                    empty.person.setCurrentIndex(max(empty.person.findData(person), 0))
                else:
                    self._add_person_row(person, "subject")

    def _remove_person_row(self, row: PersonRow) -> None:
        self._person_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update_perpetrator_note()
        self._changed("persons")

    def _update_perpetrator_note(self) -> None:
        named = any(r.role.currentData() == "alleged_perpetrator" for r in self._person_rows)
        self.perpetrator_note.setVisible(self.current_kind() == "disclosure" and not named)

    def _restricted_changed(self) -> None:
        self.restricted_reason.setEnabled(self.restricted.isChecked())
        self._changed("restricted_reason")

    def _read_date(self) -> None:
        text = self.date.text()
        if not text.strip():
            self.date_reading.setText("")
            return
        try:
            reading = parse_practitioner_date(text)
        except InvalidDate as err:
            toned(self.date_reading, "error")
            self.date_reading.setText(str(err))
            return
        check = implausible(reading.earliest, reading.latest, clock.today())
        toned(self.date_reading, "warning" if check else "good")
        self.date_reading.setText(f"Read as: {reading.describe()}{check}")

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _go_to(self, key: str) -> None:
        field = self._fields.get(key)
        if field is not None:
            field.setFocus()

    # --- saving --------------------------------------------------------------------------

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """List the problems in the fixed area and go to the first one's field."""
        shown = {("persons" if k.startswith("persons") else k): v for k, v in problems.items()}
        self.problems.show_problems(shown)
        if shown:
            self._go_to(next(iter(shown)))

    def problem(self, key: str) -> str:
        """The message shown for a field's problem ("" when there is none)."""
        return self.problems.message(key)

    def entry(self, *, check_only: bool = False) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The entry as typed, or the problems that stop it being saved."""
        from chronology_app.gui.dialogs.entry_reading import read_entry

        return read_entry(self, check_only=check_only)

    def date_read(self) -> PartialDate | None:
        try:
            return parse_practitioner_date(self.date.text())
        except InvalidDate:
            return None

    def try_save(self) -> bool:
        entry, problems = self.entry()
        if entry is None:
            self.show_problems(problems)
            return False
        if not self._confirmed_future():
            self.date.setFocus()
            return False
        try:
            self._save(entry, self.reason.text().strip() or None)
        except InvalidInput as err:
            self.show_problems(err.problems)
            return False
        self.accept()
        return True

    def _confirmed_future(self) -> bool:
        """A date after today, new or changed, is saved only once the user says so (a date
        years ahead is most often a mistyped year)."""
        reading = self.date_read()
        if reading is None:
            return True
        unchanged = self._original and reading.expression == self._original.get("date")
        question = future_question(reading, clock.today())
        return question is None or bool(unchanged) or self.confirm_future(question)


# The problems the form finds itself (rechecked as the user types); others come from the service.
_CHECKED_HERE = frozenset(
    {
        "date",
        "summary",
        "detail",
        "impact",
        "action",
        "source.agency",
        "restricted_reason",
        "persons",
        "relationship",
    }
)
