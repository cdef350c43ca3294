"""The flags panel: each pattern found, what it rests on, and the practitioner's decision.

A flag is a prompt for professional judgement. The panel shows its explanation, suggested
action and basis; its evidence as links that select the entries in the chronology; and lets
the worker acknowledge or dismiss it with a reason (kept in the audit trail and in exports).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.analysis import Analysis, ReviewedFlag, answered_words, rule_title
from chronology_app.core.records import CaseData
from chronology_app.gui.dialogs.help_dialog import plain
from chronology_app.gui.models.flags_model import FlagsModel, severity_colour

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def plural(count: int, noun: str) -> str:
    """ "1 flag", "2 flags"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class FlagsPanel(QWidget):
    evidence_clicked = Signal(list)  # entry ids
    review_requested = Signal(object, str, str)  # ReviewedFlag, decision, reason

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = FlagsModel(self)
        self.case: CaseData | None = None
        self._read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("No case open.")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        splitter.addWidget(self.table)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        splitter.addWidget(self.details)
        splitter.setSizes([220, 320])
        layout.addWidget(splitter)
        # What the analysis found due, and what was answered in time (shown when there is any).
        self.due_label = QLabel("<b>Due</b>")
        self.due = QListWidget()
        self.due.setAccessibleName("Due")
        self.answered_label = QLabel("<b>Answered in time</b>")
        self.answered = QListWidget()
        self.answered.setAccessibleName("Answered in time")
        for widget in (self.due_label, self.due, self.answered_label, self.answered):
            widget.hide()
            layout.addWidget(widget)
        self.table.setAccessibleName("Flags")
        self.details.setAccessibleName("About the flag")
        buttons = QHBoxLayout()
        self.acknowledge = QPushButton("Acknowledge…")
        self.dismiss = QPushButton("Dismiss…")
        self.acknowledge.clicked.connect(lambda: self._review("acknowledged"))
        self.dismiss.clicked.connect(lambda: self._review("dismissed"))
        buttons.addWidget(self.acknowledge)
        buttons.addWidget(self.dismiss)
        layout.addLayout(buttons)
        self._set_buttons(False)

    def set_analysis(self, case: CaseData, analysis: Analysis) -> None:
        self.set_flags(case, list(analysis.flags))
        due = [item.text for item in analysis.due]
        answered = [
            f"{rule_title(item.rule)}: {words}"
            for item in analysis.answered
            if (words := answered_words(item, case))
        ]
        for label, widget, lines in (
            (self.due_label, self.due, due),
            (self.answered_label, self.answered, answered),
        ):
            widget.clear()
            widget.addItems(lines)
            for row, line in enumerate(lines):
                item = widget.item(row)
                if item is not None:
                    item.setToolTip(line)  # a long line is read whole on hover
            label.setVisible(bool(lines))
            widget.setVisible(bool(lines))

    def set_flags(self, case: CaseData | None, flags: list[ReviewedFlag]) -> None:
        self.case = case
        flags = sorted(flags, key=lambda f: SEVERITY_ORDER.get(f.flag.severity, 9))
        self.model.set_records(flags)
        if case is None:
            for widget in (self.due_label, self.due, self.answered_label, self.answered):
                widget.hide()
        open_flags = sum(1 for f in flags if f.review is None)
        if case is None:
            self.summary.setText("No case open.")
        else:
            self.summary.setText(
                f"{plural(len(flags), 'flag')}, {open_flags} to review. "
                "Flags are prompts for professional judgement, not scores."
            )
        self.details.clear()
        self._set_buttons(False)
        if flags:
            self.table.selectRow(0)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._set_buttons(self.current() is not None)

    def _set_buttons(self, enabled: bool) -> None:
        enabled = enabled and not self._read_only
        self.acknowledge.setEnabled(enabled)
        self.dismiss.setEnabled(enabled)

    def current(self) -> ReviewedFlag | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def palette_changed(self) -> None:
        """The severity's colour in the details follows the palette."""
        self._show_current()

    def _show_current(self) -> None:
        item = self.current()
        self._set_buttons(item is not None)
        if item is None or self.case is None:
            self.details.clear()
            return
        flag, review = item.flag, item.review
        refs = [
            f'<a href="entry:{html.escape(e)}">{html.escape(self.case.entry_by_id[e].ref)}</a>'
            for e in flag.entries
            if e in self.case.entry_by_id
        ]
        colour = severity_colour(flag.severity).name()
        parts = [
            f"<h3>{html.escape(flag.title)}</h3>",
            f'<p><b style="color:{colour}">{flag.severity.capitalize()}</b></p>',
            f"<p>{html.escape(flag.explanation)}</p>",
            f"<p><b>Consider:</b> {html.escape(plain(flag.suggested_action))}</p>",
            f'<p><b>Evidence:</b> {", ".join(refs)} (<a href="all:">select all</a>)</p>',
            f"<p><b>Basis:</b> {html.escape(plain(flag.basis))}</p>",
        ]
        if review is not None:
            parts.append(
                f"<p><b>{html.escape(review.decision.capitalize())}</b> by "
                f"{html.escape(review.by)} "
                f"on {html.escape(review.on.expression)}: {html.escape(review.reason)}</p>"
            )
        self.details.setHtml("".join(parts))

    def _link(self, url: QUrl) -> None:
        item = self.current()
        text = url.toString()
        if text.startswith("entry:"):
            self.evidence_clicked.emit([text.removeprefix("entry:")])
        elif text == "all:" and item is not None:
            self.evidence_clicked.emit(list(item.flag.entries))

    def _review(self, decision: str) -> None:
        item = self.current()
        if item is None:
            return
        verb = "acknowledge" if decision == "acknowledged" else "dismiss"
        reason, ok = QInputDialog.getText(
            self, f"{verb.capitalize()} flag", f"Why {verb} this flag? (kept in the audit trail)"
        )
        if ok and reason.strip():
            self.review_requested.emit(item, decision, reason.strip())
