"""Settings: the authority's settings kept in the workspace (shared by everyone who opens it)
and, beside them, this user's own idle time before the lock.

The authority's settings are shown as a settings file holds them: the general numbers, each
rule's parameters under the rule's name, and any further setting as text or a number. Saving
goes through the service (audited, undoable); a value the core refuses is shown beside its
field with its path. They can be loaded from, and saved to, a file to share across an
authority.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import write_atomically
from chronology_app.core.rules.engine import RULE_CLASSES
from chronology_app.core.rules.working_days import NATION_NAMES
from chronology_app.core.settings import (
    NUMBERS,
    RIPA_FIELDS,
    InvalidSettings,
    load_settings,
    settings_document,
)
from chronology_app.gui import stored_settings
from chronology_app.gui.colours import toned
from chronology_app.gui.lock import IDLE_KEY, idle_minutes_setting
from chronology_app.gui.widgets.fit import fit_on_screen

log = logging.getLogger(__name__)
LABELS = {
    "edit_reason_after_hours": "Ask for a reason to change an entry older than (hours)",
    "backups_kept": "Automatic backups kept",
    "bank_holidays": "Bank holidays of",
}
RULE_TITLES = {cls.id: cls.title for cls in RULE_CLASSES}


PARAMETER_WORDS = {
    "min_entries": "At least this many entries",
    "min_events": "At least this many events",
    "min_incidents": "At least this many incidents",
    "min_victims": "At least this many victims",
    "min_views": "At least this many views",
    "months_after_birth": "Months after the birth",
    "threshold": "Risk assessment score of at least",
    "window_days": "Within (days)",
    "window_months": "Within (months)",
    "working_days": "Within (working days)",
}


def _words(name: str) -> str:
    """A parameter's name in words: window_days -> "Within (days)"."""
    if name in PARAMETER_WORDS:
        return PARAMETER_WORDS[name]
    parts = name.split("_")
    unit = parts[-1] if parts[-1] in {"days", "months", "hours", "weeks"} and len(parts) > 1 else ""
    head = " ".join(parts[:-1] if unit else parts)
    return f"{head.capitalize()} ({unit})" if unit else head.capitalize()


class SettingsDialog(QDialog):
    """`save(document)` stores the authority's settings (it may raise InvalidSettings)."""

    def __init__(
        self,
        current: Mapping[str, Any],
        save: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._save = save
        self._document = json.loads(json.dumps(dict(current)))
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self._body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self._build_personal()
        self._build_authority()
        self.general = QLabel()
        toned(self.general, "error")
        self.general.setWordWrap(True)
        self.general.hide()
        outer.addWidget(self.general)
        files = QDialogButtonBox()
        load = QPushButton("Load from file…")
        load.clicked.connect(self.load_file)
        store = QPushButton("Save to file…")
        store.clicked.connect(self.save_file)
        files.addButton(load, QDialogButtonBox.ButtonRole.ActionRole)
        files.addButton(store, QDialogButtonBox.ButtonRole.ActionRole)
        outer.addWidget(files)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        fit_on_screen(self, 620, 700)

    # --- building ------------------------------------------------------------------------

    def _build_personal(self) -> None:
        box = QGroupBox("For you on this computer")
        form = QFormLayout(box)
        self.idle = QSpinBox()
        self.idle.setRange(stored_settings.IDLE_MIN, stored_settings.IDLE_MAX)
        self.idle.setValue(idle_minutes_setting())
        self.idle.setSuffix(" minutes")
        self.idle.setAccessibleName("Lock after idle")
        form.addRow("Lock after no use for", self.idle)
        self._body.addWidget(box)

    def _build_authority(self) -> None:
        box = QGroupBox("For everyone using this workspace (the authority's settings)")
        form = QFormLayout(box)
        for name, value in self._document.items():
            if name in ("rules", "comment", "ripa_contact"):
                continue
            self._add(form, name, LABELS.get(name, _words(name)), self._field(name, value))
        contact = self._document.get("ripa_contact") or {}
        for part, words in RIPA_FIELDS.items():
            label = f"Whom to ask about online checks (RIPA): {words}"
            self._add(form, f"ripa_contact.{part}", label, QLineEdit(contact.get(part) or ""))
        self._body.addWidget(box)
        rules = self._document.get("rules") or {}
        for cls in RULE_CLASSES:
            if not cls.defaults:
                continue
            group = QGroupBox(RULE_TITLES.get(cls.id, cls.id))
            rule_form = QFormLayout(group)
            for parameter, default in cls.defaults.items():
                value = (rules.get(cls.id) or {}).get(parameter, default)
                path = f"rules.{cls.id}.{parameter}"
                self._add(rule_form, path, _words(parameter), self._number(path, value, 1, 10_000))
            self._body.addWidget(group)

    def _field(self, name: str, value: Any) -> QWidget:
        if name == "bank_holidays":
            combo = QComboBox()
            for nation, words in NATION_NAMES.items():
                combo.addItem(words, nation)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        if isinstance(value, int) and not isinstance(value, bool):
            low, high = NUMBERS.get(name, (0, 0, 1_000_000))[1:]
            return self._number(name, value, low, high)
        line = QLineEdit("" if value is None else str(value))
        return line

    @staticmethod
    def _number(_path: str, value: Any, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(int(value) if isinstance(value, int) else low)
        return spin

    def _add(self, form: QFormLayout, path: str, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label)
        form.addRow(label, widget)
        error = QLabel()
        toned(error, "error")
        error.setWordWrap(True)
        error.hide()
        form.addRow("", error)
        self._fields[path] = widget
        self._errors[path] = error

    # --- values --------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The settings as the form shows them, as a settings file holds them."""
        document = json.loads(json.dumps(self._document))
        rules: dict[str, dict[str, int]] = dict(document.get("rules") or {})
        document["ripa_contact"] = {}
        for path, widget in self._fields.items():
            if path.startswith("rules."):
                _, rule, parameter = path.split(".", 2)
                assert isinstance(widget, QSpinBox)
                rules.setdefault(rule, {})[parameter] = widget.value()
            elif isinstance(widget, QComboBox):
                document[path] = widget.currentData()
            elif isinstance(widget, QSpinBox):
                document[path] = widget.value()
            elif isinstance(widget, QLineEdit) and path.startswith("ripa_contact."):
                text = widget.text().strip()
                if text:
                    document["ripa_contact"][path.split(".", 1)[1]] = text
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
                document[path] = text or None
        document["rules"] = rules
        if not any((document.get("ripa_contact") or {}).values()):
            document.pop("ripa_contact", None)
        return document

    def show_problems(self, problems: list[str]) -> None:
        """Each problem ("path: message") beside its field; others at the foot."""
        for shown in self._errors.values():
            shown.hide()
        leftover: list[str] = []
        for problem in problems:
            path, _, message = problem.partition(": ")
            label = self._errors.get(path)
            if label is None:
                leftover.append(problem)
            else:
                label.setText(f"{message} ({path})")
                label.show()
        self.general.setText("\n".join(leftover))
        self.general.setVisible(bool(leftover))

    def try_save(self) -> bool:
        try:
            self._save(self.document())
        except InvalidSettings as error:
            self.show_problems(error.problems)
            return False
        QSettings().setValue(IDLE_KEY, self.idle.value())
        self.accept()
        return True

    # --- files ---------------------------------------------------------------------------

    def load_file(self, path: str | None = None) -> None:
        """Fill the form from a settings file (nothing is stored until Save)."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Load settings", "", "Settings (*.json)")
        if not path:
            return
        try:
            loaded = settings_document(load_settings(path))
        except InvalidSettings as error:
            self.show_problems(error.problems)
            return
        except ChronologyError as error:
            self.show_problems([str(error)])
            return
        self._document = loaded
        self._refill(loaded)

    def _refill(self, document: Mapping[str, Any]) -> None:
        rules = document.get("rules") or {}
        for path, widget in self._fields.items():
            if path.startswith("rules."):
                _, rule, parameter = path.split(".", 2)
                defaults = next((c.defaults for c in RULE_CLASSES if c.id == rule), {})
                value = (rules.get(rule) or {}).get(parameter, defaults.get(parameter))
            else:
                value = document.get(path)
            if isinstance(widget, QSpinBox) and isinstance(value, int):
                widget.setValue(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
        self.show_problems([])

    def save_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save settings", "settings.json", "Settings (*.json)"
            )
        if not path:
            return
        text = json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"
        try:
            write_atomically(Path(path), text.encode("utf-8"))
        except (ChronologyError, OSError) as error:
            self.show_problems([f"{path}: could not be written ({error})"])
