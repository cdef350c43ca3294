"""The entry editor's parts: its messages, the multi-line text fields with the core's caps,
a person-and-role row, the fixed area where problems are listed, and the question asked
before saving a date after today."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core import wording
from chronology_app.core.dates import PartialDate
from chronology_app.core.model import vocabulary as words
from chronology_app.core.records import CaseData
from chronology_app.core.validation import TEXT_CAPS
from chronology_app.gui.colours import toned

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
# What each problem's key is called in the problem area.
FIELD_NAMES = {
    "date": "Date",
    "summary": "What happened",
    "detail": "Detail",
    "source.agency": "Source agency",
    "persons": "People and roles",
    "relationship": "Relationship",
    "impact": "Impact on the child",
    "action": "Action taken",
    "restricted_reason": "Why restricted",
    "reason": "Reason for change",
}
OLDEST_PLAUSIBLE = dt.date(1900, 1, 1)


def implausible(earliest: dt.date, latest: dt.date, today: dt.date) -> str:
    """A word when a date is possible but unlikely for a chronology (a mistyped year): it can
    still be saved, since the case file allows it."""
    if earliest != dt.date.min and earliest > today:
        return " (that is in the future: check the year)"
    if latest != dt.date.max and latest < OLDEST_PLAUSIBLE:
        return " (that is before 1900: check the year)"
    return ""


def future_question(date: PartialDate, today: dt.date) -> str | None:
    """The question asked before saving a date after today, or None for any other date."""
    if date.earliest == dt.date.min or date.earliest <= today:
        return None
    # A day as "12 March 2031" (however it was typed); a vaguer date as the user wrote it.
    shown = wording.day(date.earliest) if date.earliest == date.latest else wording.date_shown(date)
    shown = shown[:1].upper() + shown[1:]
    return f"{shown} is {wording.time_ahead(date.earliest, today)}; save it anyway?"


def future_box(parent: QWidget, question: str) -> QMessageBox:
    """The question in a message box: Save, or Cancel (the default) to correct the date."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "A date after today",
        question,
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).setText("Correct the date")
    return box


def ask_to_save_future(parent: QWidget, question: str) -> bool:
    return future_box(parent, question).exec() == QMessageBox.StandardButton.Save


def cap_message(field: str, length: int) -> str | None:
    """The core's words for a text over its cap (`core/validation.check_text_caps`)."""
    cap = TEXT_CAPS[field]
    if length <= cap:
        return None
    advice = "(put the rest in the detail)" if field == "summary" else "(shorten it)"
    return f"is {length:,} characters long; keep it to {cap:,} {advice}"


def combo(items: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    box = QComboBox()
    for value, label in items:
        box.addItem(label, value)
    if current is not None:
        index = box.findData(current)
        box.setCurrentIndex(max(index, 0))
    return box


class CappedText(QPlainTextEdit):
    """A few lines of text: Tab moves on to the next field rather than typing a tab, and a
    text over the core's cap for `field` is said at once (never cut off: nothing typed is
    lost). Counting uses the document's character count, so a huge paste stays quick."""

    def __init__(self, field: str, lines: int) -> None:
        super().__init__()
        self.field = field
        self.cap = TEXT_CAPS.get(field)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        metrics = QFontMetrics(self.font())
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + int(self.document().documentMargin() * 2)
        height = metrics.lineSpacing() * lines + frame + margins.top() + margins.bottom()
        self.setFixedHeight(height)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def length(self) -> int:
        return max(self.document().characterCount() - 1, 0)

    def over_cap(self) -> str | None:
        if self.cap is None:
            return None
        # The stripped text is what is saved; only a long text needs stripping to tell.
        length = self.length()
        if length > self.cap:
            length = len(self.toPlainText().strip())
        return cap_message(self.field, length)


class PersonRow(QWidget):
    changed = Signal()

    def __init__(
        self,
        case: CaseData,
        kind: str,
        person: str | None,
        role: str | None,
        on_remove: Callable[[PersonRow], None],
    ) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.person = combo(
            [("", "Choose a person…")] + [(p.id, p.name) for p in case.persons], person
        )
        self.person.setAccessibleName("Person")
        typical = words.TYPICAL_ROLES.get(kind, ())
        roles = list(typical) + [r for r in words.ENTRY_ROLES if r not in typical]
        self.role = combo([(r, words.label(r)) for r in roles], role)
        self.role.setAccessibleName("Role")
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: on_remove(self))
        self.person.currentIndexChanged.connect(self.changed)
        self.role.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.person, 3)
        layout.addWidget(self.role, 2)
        layout.addWidget(remove)


class ProblemArea(QFrame):
    """The problems that stop an entry being saved, listed in one place of fixed height
    between the form and the buttons, so the form never moves as they come and go. Each
    names its field; clicking it goes to the field."""

    LINES = 2

    def __init__(self, go_to: Callable[[str], None]) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._go_to = go_to
        self.problems: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = toned(QLabel(), "error")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.linkActivated.connect(self._go_to)
        self.label.setAccessibleName("Problems with this entry")
        self.label.setContentsMargins(4, 2, 4, 2)
        scroll = QScrollArea()  # more problems than lines: scrolled to, never cut off
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.label)
        layout.addWidget(scroll)
        lines = QFontMetrics(self.label.font()).lineSpacing() * self.LINES
        self.setFixedHeight(lines + 8)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        self._render()

    def drop(self, keys: set[str]) -> None:
        """Take away the messages of problems now put right."""
        if keys & self.problems.keys():
            self.problems = {k: v for k, v in self.problems.items() if k not in keys}
            self._render()

    def message(self, key: str) -> str:
        return self.problems.get(key, "")

    def _render(self) -> None:
        lines = []
        for key, message in self.problems.items():
            name = FIELD_NAMES.get(key) or _attribute_name(key)
            if name is None:
                lines.append(html.escape(f"{key}: {message}"))
            else:
                link = f'<a href="{html.escape(key)}">{html.escape(name)}</a>'
                lines.append(f"{link}: {html.escape(message)}")
        self.label.setText("<br>".join(lines))
        self.label.setToolTip("\n".join(self.problems.values()))


def _attribute_name(key: str) -> str | None:
    if key.startswith("attributes."):
        return words.label(key.removeprefix("attributes."))
    return None
