"""The fields a kind of entry needs (its typed attributes, from the vocabulary), shown when the
kind is chosen, with the two prompts from case reviews that sit beside their fields without
blocking the save: a disclosure with no answer on consent to refer asks whether it was asked,
and an online check shows whom the authority names for RIPA and social-media checks (its
settings' `ripa_contact`), with when repeated viewing may need authorisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from chronology_app.core.model import vocabulary as words
from chronology_app.core.settings import RipaContact
from chronology_app.gui.colours import toned
from chronology_app.gui.dialogs.entry_parts import MESSAGES, combo


class AttributeFields:
    """The attribute rows of the entry editor's form for the kind chosen, placed in the form
    itself after `after` (so their labels line up with the others)."""

    def __init__(self, ripa_contact: RipaContact | None, on_change: Callable[[str], None]):
        self.form = QFormLayout()  # replaced by the editor's form in `place`
        self._after: QWidget | None = None
        self._rows: list[QWidget] = []  # the field widget of each row added, to remove it
        self._ripa_contact = ripa_contact
        self._on_change = on_change  # told the problem key of an attribute the user changed
        self.kind = ""
        self.widgets: dict[str, QWidget] = {}
        self.consent_note: QLabel | None = None  # shown for a disclosure with no answer
        self.ripa_note: QLabel | None = None  # shown for an online check

    def place(self, form: QFormLayout, after: QWidget) -> None:
        """Put the rows in `form`, after the row of `after`."""
        self.form, self._after = form, after

    def _add_row(self, label: str, widget: QWidget) -> None:
        assert self._after is not None
        position: Any = self.form.getWidgetPosition(self._after)  # (row, role)
        self.form.insertRow(int(position[0]) + 1 + len(self._rows), label, widget)
        self._rows.append(widget)

    def show_kind(self, kind: str) -> None:
        """The rows for `kind`; values typed for a field both kinds have are kept."""
        kept = {key: self.value(key) for key in self.widgets}
        for widget in self._rows:
            self.form.removeRow(widget)
        self._rows = []
        self.widgets = {}
        self.consent_note = self.ripa_note = None  # removed with their rows
        self.kind = kind
        for key in words.ATTRIBUTE_FIELDS.get(kind, ()):
            widget = self._widget(kind, key)
            self.widgets[key] = widget
            label = "Consent to refer asked?" if key == "consent_to_refer" else words.label(key)
            widget.setAccessibleName(label)
            self._add_row(label, widget)
            if (kind, key) == ("disclosure", "consent_to_refer"):
                self.consent_note = self._note(MESSAGES["consent"])
            elif (kind, key) == ("online_check", "authorisation"):
                self._add_ripa_note()
        for key, value in kept.items():
            if key in self.widgets and value is not None:
                self.set_value(key, value)
        self.update_consent_note()

    def _note(self, text: str, tone: str = "note") -> QLabel:
        label = QLabel(text)
        if tone:
            toned(label, tone)
        label.setWordWrap(True)
        self._add_row("", label)
        return label

    def update_consent_note(self) -> None:
        """Under "Consent to refer asked?": a prompt while no answer is chosen (a disclosure
        with none is flagged when no referral follows: rule consent-not-sought)."""
        if self.consent_note is not None:
            self.consent_note.setVisible(self.value("consent_to_refer") is None)

    def _add_ripa_note(self) -> None:
        """Beside the authorisation field: when repeated viewing may need authorisation, and
        whom the authority names to ask (or that no one is set, and where to set it)."""
        contact = self._ripa_contact
        whom = MESSAGES["no_ripa_contact"] if contact is None else contact.sentence()
        text = f"{MESSAGES['repeat_viewing']}\n{whom}"
        self.ripa_note = self._note(text, "" if contact is not None else "note")

    def _widget(self, kind: str, key: str) -> QWidget:
        problem_key = f"attributes.{key}"
        choices = words.ATTRIBUTE_CHOICES.get((kind, key))
        if choices is not None or (kind, key) in words.ATTRIBUTE_BOOLEANS:
            if choices is not None:
                box = combo([("", "Not recorded")] + [(c, words.label(c)) for c in choices])
            else:
                box = combo([("", "Not recorded"), ("yes", "Yes"), ("no", "No")])
            box.currentIndexChanged.connect(lambda: self._changed(problem_key))
            return box
        line = QLineEdit()
        if (kind, key) in words.ATTRIBUTE_DATES:
            line.setPlaceholderText("a date, e.g. April 2020")
        line.textChanged.connect(lambda: self._changed(problem_key))
        return line

    def _changed(self, problem_key: str) -> None:
        self.update_consent_note()
        self._on_change(problem_key)

    def value(self, key: str) -> Any:
        widget = self.widgets[key]
        if isinstance(widget, QComboBox):
            value = widget.currentData()
            if (self.kind, key) in words.ATTRIBUTE_BOOLEANS:
                return {"yes": True, "no": False}.get(value)
            return value or None
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if not text:
            return None
        if self.kind == "risk_assessment" and key == "score" and text.isdigit():
            return int(text)
        return text

    def set_value(self, key: str, value: Any) -> None:
        widget = self.widgets.get(key)
        if isinstance(widget, QComboBox):
            data = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
            widget.setCurrentIndex(max(widget.findData(data if data is not None else ""), 0))
        elif isinstance(widget, QLineEdit) and value is not None:
            widget.setText(str(value))
