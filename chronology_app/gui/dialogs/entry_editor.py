"""The entry editor: one chronology entry, typed the way practitioners write.

The date field shows live how it read the text ("Read as: between 1 and 31 March 2019"). The
fields a kind needs appear when the kind is chosen. Problems are shown next to the field they
concern, in words a social worker can act on, and nothing typed is lost: the dialog stays open
until the entry is saved.

Two prompts from case reviews sit beside their fields without blocking the save: a disclosure
with no answer on consent to refer asks whether it was asked, and an online check shows whom
the authority names for RIPA and social-media checks (its settings' `ripa_contact`), with when
repeated viewing may need authorisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core import clock
from chronology_app.core.dates import parse_practitioner_date
from chronology_app.core.errors import InvalidDate, InvalidInput
from chronology_app.core.model import vocabulary as words
from chronology_app.core.records import CaseData
from chronology_app.core.settings import RipaContact
from chronology_app.core.validation import TEXT_CAPS
from chronology_app.gui.widgets.fit import fit_on_screen

MESSAGES = {
    "summary": "Say briefly what happened.",
    "agency": "Say which agency the information came from.",
    "restricted_reason": "Say why this entry must not be shared with the family.",
    "relationship": "Choose the relationship this entry is about.",
    "person": "Choose a person or remove the row.",
    "no_perpetrator": (
        "No one is named as alleged perpetrator. You can save, but the entry will be flagged: "
        "ask, and record who it was."
    ),
    "consent": "Was consent to refer asked? The answer is recorded with the entry.",
    "repeat_viewing": (
        "Viewing the same profile more than once may amount to directed surveillance, which "
        "needs authorisation under RIPA before looking again."
    ),
    "no_ripa_contact": (
        "No contact for RIPA and social-media checks is set: an administrator adds one as "
        "ripa_contact in the authority's settings file."
    ),
}
ERROR_STYLE = "color: #b71c1c;"
WARNING_STYLE = "color: #8a4b00;"
OLDEST_PLAUSIBLE = dt.date(1900, 1, 1)


def _implausible(earliest: dt.date, latest: dt.date, today: dt.date) -> str:
    """A word when a date is possible but unlikely for a chronology (a mistyped year): it can
    still be saved, since the case file allows it."""
    if earliest != dt.date.min and earliest > today:
        return " (that is in the future: check the year)"
    if latest != dt.date.max and latest < OLDEST_PLAUSIBLE:
        return " (that is before 1900: check the year)"
    return ""


NOTE_STYLE = "color: #e65100;"


def _combo(items: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    combo = QComboBox()
    for value, label in items:
        combo.addItem(label, value)
    if current is not None:
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
    return combo


def _label(text: str) -> str:
    return words.label(text)


class _PersonRow(QWidget):
    def __init__(
        self,
        case: CaseData,
        kind: str,
        person: str | None,
        role: str | None,
        on_remove: Callable[[_PersonRow], None],
    ) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.person = _combo(
            [("", "Choose a person…")] + [(p.id, p.name) for p in case.persons], person
        )
        typical = words.TYPICAL_ROLES.get(kind, ())
        roles = list(typical) + [r for r in words.ENTRY_ROLES if r not in typical]
        self.role = _combo([(r, _label(r)) for r in roles], role)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: on_remove(self))
        layout.addWidget(self.person, 3)
        layout.addWidget(self.role, 2)
        layout.addWidget(remove)


class EntryEditor(QDialog):
    """Add or edit one entry. `save(entry, reason)` performs the change (and raises
    InvalidInput with field paths when the service refuses it)."""

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
        self._ripa_contact = ripa_contact
        self.consent_note: QLabel | None = None  # shown for a disclosure with no answer
        self.ripa_note: QLabel | None = None  # shown for an online check
        self._save = save
        self._original = dict(entry or {})
        self._recorded_by = recorded_by
        self.setWindowTitle("Edit entry" if entry else "New entry")
        fit_on_screen(self, 640, 720)
        self._errors: dict[str, QLabel] = {}
        self._attribute_widgets: dict[str, QWidget] = {}
        self._person_rows: list[_PersonRow] = []
        self._build()
        self._load(self._original)

    # --- building ------------------------------------------------------------------------

    def _error_label(self, key: str, form: QFormLayout) -> None:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self._errors[key] = label
        form.addRow("", label)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        outer.addWidget(self.general_error)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        form = QFormLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        self.kind = _combo([(k, label) for k, label in words.ENTRY_KINDS.items()], "note")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("&Kind", self.kind)

        self.date = QLineEdit()
        self.date.setPlaceholderText("e.g. 12/03/2019, March 2019, w/c 4/3/19, summer 2016")
        self.date.textChanged.connect(self._read_date)
        form.addRow("&Date", self.date)
        self.date_reading = QLabel()
        self.date_reading.setWordWrap(True)
        form.addRow("", self.date_reading)
        self._error_label("date", form)

        self.summary = QLineEdit()
        self.summary.setMaxLength(TEXT_CAPS["summary"])  # the core's cap (files obey it too)
        form.addRow("&What happened", self.summary)
        self._error_label("summary", form)
        self.detail = QPlainTextEdit()
        self.detail.setFixedHeight(70)
        self.detail.setTabChangesFocus(True)
        form.addRow("Detail", self.detail)

        self.agency = QLineEdit()
        agencies = sorted({e.source_agency for e in self.case.entries})
        if agencies:
            from PySide6.QtWidgets import QCompleter

            completer = QCompleter(agencies, self)
            # Completed in the field itself: a popup list would take the next keystroke or
            # click meant for the field after it.
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.agency.setCompleter(completer)
        form.addRow("Source &agency", self.agency)
        self._error_label("source.agency", form)
        self.source_type = _combo(
            [("", "Not recorded")] + [(t, _label(t)) for t in words.SOURCE_TYPES]
        )
        form.addRow("Source type", self.source_type)

        self.people_box = QVBoxLayout()
        people = QWidget()
        people.setLayout(self.people_box)
        add_person = QPushButton("Add a person to this entry")
        add_person.clicked.connect(lambda: self._add_person_row(None, None))
        self.people_box.addWidget(add_person)
        form.addRow("People and roles", people)
        self._error_label("persons", form)
        self.perpetrator_note = QLabel(MESSAGES["no_perpetrator"])
        self.perpetrator_note.setStyleSheet(NOTE_STYLE)
        self.perpetrator_note.setWordWrap(True)
        form.addRow("", self.perpetrator_note)

        self.relationship = _combo(
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
        self._error_label("relationship", form)
        self.relationship.activated.connect(self._name_the_partners)  # chosen by the user

        self.attributes_form = QFormLayout()
        attributes = QWidget()
        attributes.setLayout(self.attributes_form)
        form.addRow(attributes)

        self.impact = QPlainTextEdit()
        self.impact.setFixedHeight(55)
        self.impact.setTabChangesFocus(True)
        form.addRow("Impact on the child", self.impact)
        self.action = QLineEdit()
        form.addRow("Action taken", self.action)
        self.significance = _combo(
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
        form.addRow("Why restricted", self.restricted_reason)
        self._error_label("restricted_reason", form)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("why this entry is being changed (kept in the audit trail)")
        if self._original:
            form.addRow("Reason for change", self.reason)
            self._error_label("reason", form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

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
                self._set_attribute(key, value)

    def _kind_changed(self) -> None:
        kept = {key: self._attribute_value(key) for key in self._attribute_widgets}
        while self.attributes_form.rowCount():
            self.attributes_form.removeRow(0)
        self._attribute_widgets = {}
        self.consent_note = self.ripa_note = None  # removed with their rows
        # The removed rows' message labels are gone with them.
        self._errors = {k: v for k, v in self._errors.items() if not k.startswith("attributes.")}
        kind = self.current_kind()
        for key in words.ATTRIBUTE_FIELDS.get(kind, ()):
            widget = self._attribute_widget(kind, key)
            self._attribute_widgets[key] = widget
            label = "Consent to refer asked?" if key == "consent_to_refer" else _label(key)
            self.attributes_form.addRow(label, widget)
            if (kind, key) == ("disclosure", "consent_to_refer"):
                self._add_consent_note(widget)
            elif (kind, key) == ("online_check", "authorisation"):
                self._add_ripa_note()
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            self._errors[f"attributes.{key}"] = error
            self.attributes_form.addRow("", error)
        for key, value in kept.items():
            if key in self._attribute_widgets and value is not None:
                self._set_attribute(key, value)
        self.relationship.setEnabled(kind in words.RELATIONSHIP_ENTRY_KINDS)
        self._update_perpetrator_note()
        self._update_consent_note()

    def _note(self, text: str, style: str = NOTE_STYLE) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet(style)
        label.setWordWrap(True)
        self.attributes_form.addRow("", label)
        return label

    def _add_consent_note(self, answer: QWidget) -> None:
        """Under "Consent to refer asked?": a prompt while no answer is chosen (a disclosure
        with none is flagged when no referral follows: rule consent-not-sought)."""
        self.consent_note = self._note(MESSAGES["consent"])
        assert isinstance(answer, QComboBox)
        answer.currentIndexChanged.connect(self._update_consent_note)

    def _update_consent_note(self) -> None:
        if self.consent_note is not None:
            answered = self._attribute_value("consent_to_refer") is not None
            self.consent_note.setVisible(not answered)

    def _add_ripa_note(self) -> None:
        """Beside the authorisation field: when repeated viewing may need authorisation, and
        whom the authority names to ask (or that no one is set, and where to set it)."""
        contact = self._ripa_contact
        whom = MESSAGES["no_ripa_contact"] if contact is None else contact.sentence()
        text = f"{MESSAGES['repeat_viewing']}\n{whom}"
        self.ripa_note = self._note(text, "" if contact is not None else NOTE_STYLE)

    def _attribute_widget(self, kind: str, key: str) -> QWidget:
        choices = words.ATTRIBUTE_CHOICES.get((kind, key))
        if choices is not None:
            return _combo([("", "Not recorded")] + [(c, _label(c)) for c in choices])
        if (kind, key) in words.ATTRIBUTE_BOOLEANS:
            return _combo([("", "Not recorded"), ("yes", "Yes"), ("no", "No")])
        line = QLineEdit()
        if (kind, key) in words.ATTRIBUTE_DATES:
            line.setPlaceholderText("a date, e.g. April 2020")
        return line

    def _attribute_value(self, key: str) -> Any:
        widget = self._attribute_widgets[key]
        kind = self.current_kind()
        if isinstance(widget, QComboBox):
            value = widget.currentData()
            if (kind, key) in words.ATTRIBUTE_BOOLEANS:
                return {"yes": True, "no": False}.get(value)
            return value or None
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if not text:
            return None
        if kind == "risk_assessment" and key == "score" and text.isdigit():
            return int(text)
        return text

    def _set_attribute(self, key: str, value: Any) -> None:
        widget = self._attribute_widgets.get(key)
        if isinstance(widget, QComboBox):
            data = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
            widget.setCurrentIndex(max(widget.findData(data if data is not None else ""), 0))
        elif isinstance(widget, QLineEdit) and value is not None:
            widget.setText(str(value))

    def _add_person_row(self, person: str | None, role: str | None) -> None:
        row = _PersonRow(self.case, self.current_kind(), person, role, self._remove_person_row)
        row.role.currentIndexChanged.connect(self._update_perpetrator_note)
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

    def _remove_person_row(self, row: _PersonRow) -> None:
        self._person_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update_perpetrator_note()

    def _update_perpetrator_note(self) -> None:
        named = any(r.role.currentData() == "alleged_perpetrator" for r in self._person_rows)
        self.perpetrator_note.setVisible(self.current_kind() == "disclosure" and not named)

    def _restricted_changed(self) -> None:
        self.restricted_reason.setEnabled(self.restricted.isChecked())

    def _read_date(self) -> None:
        text = self.date.text()
        if not text.strip():
            self.date_reading.setText("")
            return
        try:
            reading = parse_practitioner_date(text)
        except InvalidDate as err:
            self.date_reading.setStyleSheet(ERROR_STYLE)
            self.date_reading.setText(str(err))
            return
        check = _implausible(reading.earliest, reading.latest, clock.today())
        self.date_reading.setStyleSheet(WARNING_STYLE if check else "color: #1b5e20;")
        self.date_reading.setText(f"Read as: {reading.describe()}{check}")

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    # --- saving --------------------------------------------------------------------------

    def show_problems(self, problems: Mapping[str, str]) -> None:
        for label in self._errors.values():
            label.hide()
        self.general_error.hide()
        leftover: list[str] = []
        for path, message in problems.items():
            key = path
            if path.startswith("persons"):
                key = "persons"
            elif path == "source":
                key = "source.agency"
            found = self._errors.get(key)
            if found is None:
                leftover.append(f"{path}: {message}")
                continue
            found.setText(message)
            found.show()
        if leftover:
            self.general_error.setText("\n".join(leftover))
            self.general_error.show()

    def entry(self) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The entry as typed, or the problems that stop it being saved."""
        problems: dict[str, str] = {}
        entry: dict[str, Any] = {k: v for k, v in self._original.items() if k not in _EDITED}
        try:
            reading = parse_practitioner_date(self.date.text())
        except InvalidDate as err:
            problems["date"] = str(err)
        else:
            entry["date"] = reading.expression
            if reading.wording and reading.wording != reading.expression:
                entry["date_text"] = reading.wording
        kind = self.current_kind()
        entry["kind"] = kind
        summary = self.summary.text().strip()
        if not summary:
            problems["summary"] = MESSAGES["summary"]
        entry["summary"] = summary
        source = dict(self._original.get("source") or {})
        source["agency"] = self.agency.text().strip()
        if not source["agency"]:
            problems["source.agency"] = MESSAGES["agency"]
        source_type = self.source_type.currentData()
        if source_type:
            source["type"] = source_type
        else:
            source.pop("type", None)
        entry["source"] = source
        for key, widget in (("detail", self.detail), ("impact", self.impact)):
            text = widget.toPlainText().strip()
            if text:
                entry[key] = text
        if self.action.text().strip():
            entry["action"] = self.action.text().strip()
        if self.significance.currentData():
            entry["significance"] = self.significance.currentData()
        if self.positive.isChecked():
            entry["positive"] = True
        if self.restricted.isChecked():
            entry["restricted"] = True
            reason = self.restricted_reason.text().strip()
            if not reason:
                problems["restricted_reason"] = MESSAGES["restricted_reason"]
            entry["restricted_reason"] = reason
        persons = []
        for row in self._person_rows:
            if not row.person.currentData():
                problems["persons"] = MESSAGES["person"]
                continue
            persons.append({"person": row.person.currentData(), "role": row.role.currentData()})
        if persons:
            entry["persons"] = persons
        if kind in words.RELATIONSHIP_ENTRY_KINDS:
            if not self.relationship.currentData():
                problems["relationship"] = MESSAGES["relationship"]
            else:
                entry["relationship"] = self.relationship.currentData()
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        if tags:
            entry["tags"] = tags
        # Attributes the form does not show (unknown ones) and values the user did not touch
        # (an explicit null included) are kept as they were; a value cleared is removed.
        original = self._original.get("attributes") or {}
        before = dict(original) if self._original.get("kind") == kind else {}
        attributes = dict(before)
        for key in self._attribute_widgets:
            value = self._attribute_value(key)
            if value is not None:
                attributes[key] = value
            elif before.get(key) is not None:
                del attributes[key]
        if attributes:
            entry["attributes"] = attributes
        if not self._original and self._recorded_by:
            entry["recorded"] = {"by": self._recorded_by, "on": clock.today().isoformat()}
        return (None if problems else entry), problems

    def try_save(self) -> bool:
        entry, problems = self.entry()
        if entry is None:
            self.show_problems(problems)
            return False
        try:
            self._save(entry, self.reason.text().strip() or None)
        except InvalidInput as err:
            self.show_problems(err.problems)
            return False
        self.accept()
        return True


# Keys the editor sets itself; any other key of an edited entry (unknown ones too) is kept.
_EDITED = frozenset(
    {
        "date",
        "date_text",
        "kind",
        "summary",
        "detail",
        "source",
        "impact",
        "action",
        "significance",
        "positive",
        "restricted",
        "restricted_reason",
        "persons",
        "relationship",
        "tags",
        "attributes",
    }
)
