"""Small forms: a case's details, a person, a relationship, new or edited. Problems show next
to the field; input is kept. An edited record keeps whatever the form does not show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from chronology_app.core.dates import parse_practitioner_date
from chronology_app.core.errors import InvalidDate, InvalidInput
from chronology_app.core.model import vocabulary as words
from chronology_app.gui.colours import toned

IMMIGRATION_LABELS = {
    "not_checked": "Not checked",
    "british": "British citizen",
    "settled": "Settled status",
    "limited_leave": "Limited leave to remain",
    "nrpf": "No recourse to public funds",
    "no_leave": "No leave to remain",
    "other": "Other",
}


class _Form(QDialog):
    """A form whose `save(values)` may raise InvalidInput; messages show beside the fields."""

    def __init__(
        self, title: str, save: Callable[[dict[str, Any]], object], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.form = QFormLayout(self)
        self._errors: dict[str, QLabel] = {}

    def add(self, key: str, label: str, widget: QWidget) -> None:
        self.form.addRow(label, widget)
        error = QLabel()
        toned(error, "error")
        error.setWordWrap(True)
        error.hide()
        self._errors[key] = error
        self.form.addRow("", error)

    def finish(self) -> None:
        self.general = QLabel()
        toned(self.general, "error")
        self.general.hide()
        self.form.addRow(self.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        for label in self._errors.values():
            label.hide()
        leftover: list[str] = []
        for key, message in problems.items():
            found = self._errors.get(key)
            if found is None:
                leftover.append(f"{key}: {message}")
            else:
                found.setText(message)
                found.show()
        self.general.setText("\n".join(leftover))
        self.general.setVisible(bool(leftover))

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        raise NotImplementedError

    def try_save(self) -> bool:
        values, problems = self.values()
        if problems:
            self.show_problems(problems)
            return False
        try:
            self._save(values)
        except InvalidInput as err:
            self.show_problems(err.problems)
            return False
        self.accept()
        return True


def _merged(original: Mapping[str, Any], values: dict[str, Any], shown: set[str]) -> dict[str, Any]:
    """The original record with the form's values: a field the form shows and the user
    emptied is removed; fields the form does not show are kept as they were."""
    kept = {k: v for k, v in original.items() if k not in shown}
    return {**kept, **values}


class CaseDialog(_Form):
    """A new case, or (given `case`) its details edited; the reference cannot change."""

    TEXT_FIELDS = (
        ("local_authority", "Local authority"),
        ("worker", "Allocated worker"),
        ("team", "Team"),
        ("protective_marking", "Protective marking"),
    )

    def __init__(
        self,
        save: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        case: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__("Case details" if case else "New case", save, parent)
        self.original = dict(case or {})
        self.reference = QLineEdit(str(self.original.get("reference", "")))
        self.reference.setReadOnly(case is not None)
        self.title = QLineEdit(str(self.original.get("title", "")))
        self.title.setPlaceholderText("how the family is known, e.g. Family G")
        self.add("reference", "Case reference", self.reference)
        self.add("title", "Family", self.title)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in self.TEXT_FIELDS:
            field = QLineEdit(str(self.original.get(key) or ""))
            self.fields[key] = field
            self.add(key, label, field)
        self.authority, self.worker = self.fields["local_authority"], self.fields["worker"]
        self.notes = QPlainTextEdit(str(self.original.get("notes") or ""))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        if case is not None:
            self.add("notes", "Notes", self.notes)
        self.finish()

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        problems = {}
        if not self.reference.text().strip():
            problems["reference"] = "Give the authority's case number."
        if not self.title.text().strip():
            problems["title"] = "Say how the family is known in the case."
        values = {"reference": self.reference.text().strip(), "title": self.title.text().strip()}
        for key, field in self.fields.items():
            if field.text().strip():
                values[key] = field.text().strip()
        if self.notes.toPlainText().strip():
            values["notes"] = self.notes.toPlainText().strip()
        shown = {"reference", "title", "notes", *self.fields}
        return _merged(self.original, values, shown), problems


class PersonDialog(_Form):
    """A new person, or (given `person`) one edited."""

    def __init__(
        self,
        save: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        person: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__("Edit person" if person else "Add person", save, parent)
        self.original = dict(person or {})
        self.name = QLineEdit()
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("other names and spellings, comma separated")
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("e.g. 19/08/1994, about 1990, or leave empty")
        self.dob_reading = QLabel()
        self.date_of_birth.textChanged.connect(self._read_dob)
        self.sex = QComboBox()
        for value in words.SEXES:
            self.sex.addItem(value.capitalize(), value)
        self.sex.setCurrentIndex(self.sex.findData("unknown"))
        roles = QWidget()
        grid = QGridLayout(roles)
        grid.setContentsMargins(0, 0, 0, 0)
        self.roles = {}
        for index, role in enumerate(words.PERSON_ROLES):
            box = QCheckBox(role.capitalize())
            grid.addWidget(box, index // 4, index % 4)
            self.roles[role] = box
        self.restricted = QCheckBox("Identity not to be shared with the family")
        self.immigration = QComboBox()
        self.immigration.addItem("Not recorded", None)
        for value in words.IMMIGRATION_STATUSES:
            self.immigration.addItem(IMMIGRATION_LABELS.get(value, value.capitalize()), value)
        self.add("name", "Full name", self.name)
        self.add("aliases", "Also known as", self.aliases)
        self.add("date_of_birth", "Date of birth", self.date_of_birth)
        self.form.addRow("", self.dob_reading)
        self.add("sex", "Sex", self.sex)
        self.add("roles", "Roles", roles)
        self.add("immigration_status", "Immigration status", self.immigration)
        self.add("restricted", "", self.restricted)
        self.finish()
        self._fill(self.original)

    def _fill(self, person: Mapping[str, Any]) -> None:
        if not person:
            return
        self.name.setText(str(person.get("name", "")))
        self.aliases.setText(", ".join(person.get("aliases") or ()))
        self.date_of_birth.setText(str(person.get("date_of_birth") or ""))
        self.sex.setCurrentIndex(max(self.sex.findData(person.get("sex") or "unknown"), 0))
        for role, box in self.roles.items():
            box.setChecked(role in (person.get("roles") or ()))
        self.immigration.setCurrentIndex(
            max(self.immigration.findData(person.get("immigration_status")), 0)
        )
        self.restricted.setChecked(bool(person.get("restricted")))

    def _read_dob(self, text: str) -> None:
        if not text.strip():
            self.dob_reading.clear()
            return
        try:
            self.dob_reading.setText(f"Read as: {parse_practitioner_date(text).describe()}")
        except InvalidDate as err:
            self.dob_reading.setText(str(err))

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        problems = {}
        values: dict[str, Any] = {"name": self.name.text().strip()}
        if not values["name"]:
            problems["name"] = "Give the person's full name as known."
        aliases = [a.strip() for a in self.aliases.text().split(",") if a.strip()]
        if aliases:
            values["aliases"] = aliases
        if self.date_of_birth.text().strip():
            try:
                values["date_of_birth"] = parse_practitioner_date(
                    self.date_of_birth.text()
                ).expression
            except InvalidDate as err:
                problems["date_of_birth"] = str(err)
        values["sex"] = self.sex.currentData()
        roles = [role for role, box in self.roles.items() if box.isChecked()]
        if roles:
            values["roles"] = roles
        if self.restricted.isChecked():
            values["restricted"] = True
        if self.immigration.currentData():
            values["immigration_status"] = self.immigration.currentData()
        shown = {"name", "aliases", "date_of_birth", "sex", "roles", "restricted"}
        shown.add("immigration_status")
        return _merged(self.original, values, shown), problems


class RelationshipDialog(_Form):
    """Two people and how they are related (partners, parent and child, …). Relationship
    starts, separations and reconciliations are then entries about it."""

    def __init__(
        self,
        persons: list[tuple[str, str]],
        save: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add relationship", save, parent)
        self.kind = QComboBox()
        for value, label in (
            ("intimate_partner", "Partners (intimate relationship)"),
            ("parent_child", "Parent and child"),
            ("sibling", "Siblings"),
            ("relative", "Other relatives"),
            ("other", "Other"),
        ):
            self.kind.addItem(label, value)
        self.first = QComboBox()
        self.second = QComboBox()
        for combo in (self.first, self.second):
            combo.addItem("Choose a person…", None)
            for person_id, name in persons:
                combo.addItem(name, person_id)
        self.add("kind", "Relationship", self.kind)
        self.add("persons[0]", "First person (the parent, for parent and child)", self.first)
        self.add("persons", "Second person", self.second)
        self.finish()

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        problems = {}
        first, second = self.first.currentData(), self.second.currentData()
        if not first:
            problems["persons[0]"] = "Choose the first person."
        if not second:
            problems["persons"] = "Choose the second person."
        elif first == second:
            problems["persons"] = "Choose two different people."
        return {"kind": self.kind.currentData(), "persons": [first, second]}, problems
