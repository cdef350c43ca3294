"""The window a social worker lives in: cases, chronology, timeline, people, flags.

Every change goes through `Operations` (one service call, errors shown, what changed
announced); the window refreshes the case that changed from that announcement. Everything is
saved as it happens. The window locks after an idle time and on "Hide now".
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chronology_app import __version__
from chronology_app.core import casefile
from chronology_app.core.errors import ChronologyError
from chronology_app.core.records import CaseData
from chronology_app.core.service import OpChanges, ReviewedFlag, Service
from chronology_app.gui.actions import Actions, build_menus, create_actions
from chronology_app.gui.dialogs.entry_editor import EntryEditor
from chronology_app.gui.dialogs.forms import CaseDialog, PersonDialog, RelationshipDialog
from chronology_app.gui.models.chronology_model import (
    ENTRY_ID_ROLE,
    SUMMARY,
    ChronologyFilter,
    ChronologyModel,
)
from chronology_app.gui.operations import Operations, show_error
from chronology_app.gui.views.flags_panel import FlagsPanel
from chronology_app.gui.views.people_view import PeopleView
from chronology_app.gui.views.timeline import TimelineView
from chronology_app.gui.widgets.case_list import CaseListPanel
from chronology_app.gui.widgets.filter_bar import FilterBar
from chronology_app.gui.widgets.lock_screen import LockScreen

log = logging.getLogger(__name__)
IDLE_KEY = "security/idle_minutes"
# No., date, source, kind, (what happened stretches), impact, action, flags, child's age
COLUMN_WIDTHS = (84, 100, 118, 108, 300, 140, 120, 60, 90)
INPUT_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)


class MainWindow(QMainWindow):
    def __init__(self, service: Service, idle_minutes: int | None = None) -> None:
        super().__init__()
        self.service = service
        self.case: CaseData | None = None
        self.flags: list[ReviewedFlag] = []
        self.reference: str | None = None
        self._reviewed = ""
        self._names: dict[str, list[str]] = {}  # per case: names and aliases, for search
        self.setWindowTitle(f"Chronology: {service.workspace.path.name}")
        self.resize(1400, 860)
        self.ops = Operations(self)
        self.ops.changed.connect(self._on_changed)
        self.ops.refused.connect(self._update_actions)
        self.actions_ = create_actions(self)
        build_menus(self.menuBar(), self.actions_)
        self._build()
        self._connect(self.actions_)
        self._load_cases()
        self._update_actions()
        minutes = (
            idle_minutes if idle_minutes is not None else int(str(QSettings().value(IDLE_KEY, 5)))
        )
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(max(minutes, 1) * 60_000)
        self.idle.timeout.connect(self.lock)
        self.idle.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.cases_panel = CaseListPanel()
        self.cases_panel.case_chosen.connect(self.open_case)
        self.cases_panel.new_case_requested.connect(self.new_case)
        self.cases_dock = self._dock(
            "Cases", self.cases_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.flags_panel = FlagsPanel()
        self.flags_panel.evidence_clicked.connect(self.show_evidence)
        self.flags_panel.review_requested.connect(self._review_flag)
        self.flags_dock = self._dock(
            "Flags", self.flags_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )

        # The chronology's "What happened" column gets the room; the side panels are narrow.
        self.resizeDocks([self.cases_dock, self.flags_dock], [250, 330], Qt.Orientation.Horizontal)
        self.model = ChronologyModel(self)
        self.proxy = ChronologyFilter(self.model, self)
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self.proxy.set_filters)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        # The entries come in chronological order: no sorting (and no 5,000 Python calls to
        # compare rows) until the user clicks a column heading.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for section, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(section, width)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(
            lambda _index: None if self.in_review_mode() else self.edit_entry()
        )
        self.table.selectionModel().selectionChanged.connect(self._table_selection)
        self.timeline = TimelineView()
        self.timeline.entry_clicked.connect(
            lambda entry_id: self.select_entries([entry_id], centre=False)
        )
        self.people = PeopleView()
        tabs = QTabWidget()
        tabs.addTab(self.timeline, "Timeline")
        tabs.addTab(self.people, "People and family")
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(4, 4, 4, 0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(tabs)
        splitter.setSizes([520, 300])
        self.lock_screen = LockScreen(self._check_passphrase)
        self.lock_screen.unlocked.connect(self.unlock)
        self.stack = QStackedWidget()
        self.main_page = splitter
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        self.statusBar().showMessage("Choose a case on the left, or make a new one.")

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _connect(self, actions: Actions) -> None:
        actions.new_entry.triggered.connect(self.new_entry)
        actions.edit_entry.triggered.connect(self.edit_entry)
        actions.withdraw_entry.triggered.connect(self.withdraw_entry)
        actions.new_case.triggered.connect(self.new_case)
        actions.add_person.triggered.connect(self.add_person)
        actions.add_relationship.triggered.connect(self.add_relationship)
        actions.undo.triggered.connect(lambda: self.ops.change(self.service.undo))
        actions.redo.triggered.connect(lambda: self.ops.change(self.service.redo))
        actions.find.triggered.connect(self.focus_search)
        actions.clear_filters.triggered.connect(self.filter_bar.clear)
        actions.zoom_in.triggered.connect(lambda: self.timeline.zoom(1.5))
        actions.zoom_out.triggered.connect(lambda: self.timeline.zoom(1 / 1.5))
        actions.import_case.triggered.connect(self.import_case)
        actions.export_case.triggered.connect(self.export_case)
        actions.export_timeline.triggered.connect(self.export_timeline)
        actions.export_pdf.triggered.connect(self.export_pdf)
        actions.print_report.triggered.connect(self.print_report)
        actions.check_workspace.triggered.connect(self.check_workspace)
        actions.lock.triggered.connect(self.lock)
        actions.mark_reviewed.triggered.connect(self.mark_reviewed)
        actions.review_mode.toggled.connect(lambda _checked: self._update_actions())
        actions.close_workspace.triggered.connect(self.close)
        actions.quit.triggered.connect(QApplication.quit)
        actions.about.triggered.connect(self._about)
        actions.new_workspace.triggered.connect(self._other_workspace)
        actions.open_workspace.triggered.connect(self._other_workspace)
        for action in actions.all():
            self.addAction(action)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    # --- cases ---------------------------------------------------------------------------

    def _load_cases(self, changed: str | None = None) -> list[str]:
        """Refresh the case list; the names and aliases it searches are read in the
        background, for every case at first and afterwards only for the case that changed.
        Returns the references now in the workspace."""
        cases = self.service.cases()
        references = [c.reference for c in cases]
        refresh = references if not self._names else [r for r in references if r == changed]
        self._names = {r: self._names.get(r, []) for r in references}
        for case in cases:
            if not self._names[case.reference]:
                self._names[case.reference] = [case.title]
        self.cases_panel.model.set_cases(cases, self._names)

        def read_names() -> dict[str, list[str]]:
            return {
                reference: [
                    name
                    for person in self.service.case_data(reference).persons
                    for name in (person.name, *person.aliases)
                ]
                for reference in refresh
            }

        def done(found: dict[str, list[str]]) -> None:
            self._names.update({r: names for r, names in found.items() if r in self._names})
            self.cases_panel.model.set_cases(cases, self._names)

        if refresh:
            self.ops.in_background("Indexing names", read_names, done, show_progress=False)
        return references

    def open_case(self, reference: str) -> None:
        """Show the case at once; its flags follow from a background check."""
        try:
            case = self.service.case_data(reference)
        except ChronologyError as error:
            show_error(self, error)
            return
        known = {e for f in self.flags if f.review is None for e in f.flag.entries}
        same_case = reference == self.reference
        self.reference, self.case = reference, case
        if not same_case:
            self.flags, known = [], set()
        self.model.set_case(case, known)
        self.filter_bar.set_case(case)
        self.proxy.set_filters(self.filter_bar.filters())
        self.timeline.set_case(case, known)
        self.people.set_case(case)
        if not same_case:
            self.flags_panel.set_flags(case, [])
            self.flags_panel.summary.setText("Looking for patterns…")
        self.cases_panel.select(reference)
        self.setWindowTitle(f"Chronology: {case.case.title} ({reference})")
        self._update_actions()
        reviews = self.service.case_reviews(reference)
        self._reviewed = (
            f" Last reviewed {reviews[-1].at:%d %b %Y} by {reviews[-1].by}." if reviews else ""
        )
        self.ops.in_background(
            "Looking for patterns…",
            lambda: self.service.flags(reference, case),
            lambda flags: self._show_flags(reference, case, flags),
            show_progress=False,
        )

    def _show_flags(self, reference: str, case: CaseData, flags: list[ReviewedFlag]) -> None:
        if reference != self.reference or case is not self.case:
            return  # another case (or a newer state of this one) is on screen now
        self.flags = flags
        flagged = {e for f in flags if f.review is None for e in f.flag.entries}
        self.model.set_flagged(flagged)
        self.timeline.flagged = flagged
        self.timeline.scene().update()
        self.flags_panel.set_flags(case, flags)
        self.statusBar().showMessage(
            f"{len(case.entries)} entries, {len(case.persons)} people, "
            f"{sum(1 for f in flags if f.review is None)} flags to review. "
            f"Marking: {case.case.protective_marking}.{self._reviewed}"
        )

    def _on_changed(self, changes: OpChanges) -> None:
        references = self._load_cases(changes.case_reference)
        if changes.case_reference and changes.case_reference in references:
            selected = self.selected_entry_ids()
            self.open_case(changes.case_reference)
            self.select_entries(selected or sorted(changes.keys("entry")))
        elif changes.case_reference == self.reference:
            self._clear_case()
        self.statusBar().showMessage(f"Saved: {changes.action}", 5000)
        self._update_actions()

    def _clear_case(self) -> None:
        self.reference, self.case, self.flags = None, None, []
        self.model.set_case(None)
        self.timeline.set_case(None)
        self.people.set_case(None)
        self.flags_panel.set_flags(None, [])

    def _update_actions(self) -> None:
        for action in self.actions_.case_actions():
            action.setEnabled(self.case is not None)
        undo, redo = self.service.undo_name, self.service.redo_name
        self.actions_.undo.setEnabled(undo is not None)
        self.actions_.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.actions_.redo.setEnabled(redo is not None)
        self.actions_.redo.setText(f"&Redo {redo}" if redo else "&Redo")
        read_only = self.in_review_mode()
        if read_only:
            for action in self.actions_.editing_actions():
                action.setEnabled(False)
        self.flags_panel.set_read_only(read_only)

    def in_review_mode(self) -> bool:
        return self.actions_.review_mode.isChecked()

    def mark_reviewed(self) -> None:
        if self.reference is None:
            return
        reference = self.reference
        earlier = self.service.case_reviews(reference)
        history = "\n".join(f"{r.at:%d %b %Y} {r.by}: {r.comments}" for r in earlier[-3:])
        prompt = "Comments on this review (kept in the audit trail):"
        if history:
            prompt = f"Earlier reviews:\n{history}\n\n{prompt}"
        comments, ok = QInputDialog.getMultiLineText(self, "Mark case reviewed", prompt)
        if ok:
            self.ops.change(lambda: self.service.record_case_review(reference, comments))

    # --- selection -----------------------------------------------------------------------

    def selected_entry_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(self.proxy.data(index, ENTRY_ID_ROLE)) for index in rows]

    def select_entries(self, entry_ids: list[str], centre: bool = True) -> None:
        selection = QItemSelection()
        for entry_id in entry_ids:
            row = self.model.row_of(entry_id)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                selection.select(index, self.proxy.index(index.row(), self.proxy.columnCount() - 1))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        if not selection.isEmpty():
            self.table.scrollTo(selection.indexes()[0])
        if entry_ids:
            self.timeline.select(entry_ids[0], centre=centre)

    def show_evidence(self, entry_ids: list[str]) -> None:
        """A flag's evidence link: select its entries, clearing the filters first if they hide
        any of them (and saying so), so that a click never seems to do nothing."""
        hidden = [entry_id for entry_id in entry_ids if self._hidden_by_filters(entry_id)]
        if hidden:
            self.filter_bar.clear()
            shown = "entry" if len(hidden) == 1 else "entries"
            self.statusBar().showMessage(
                f"Filters cleared to show the flag's evidence ({len(hidden)} {shown} hidden).",
                8000,
            )
        self.select_entries(entry_ids)

    def _hidden_by_filters(self, entry_id: str) -> bool:
        row = self.model.row_of(entry_id)
        return row is not None and not self.proxy.mapFromSource(self.model.index(row, 0)).isValid()

    def _table_selection(self) -> None:
        ids = self.selected_entry_ids()
        if ids:
            self.timeline.select(ids[0])

    # --- entries, persons, cases ---------------------------------------------------------

    def new_entry(self) -> None:
        if self.case is None or self.reference is None:
            return
        reference = self.reference
        editor = EntryEditor(
            self.case,
            lambda entry, _reason: self.ops.change(
                lambda: self.service.add_entry(reference, entry), inline_validation=True
            ),
            parent=self,
            recorded_by=self.service.user,
        )
        editor.exec()

    def edit_entry(self) -> None:
        ids = self.selected_entry_ids()
        if self.case is None or self.reference is None or not ids:
            return
        reference, entry_id = self.reference, ids[0]
        document = self.service.document(reference)
        original = next((e for e in document["entries"] if e["id"] == entry_id), None)
        if original is None:
            return
        editor = EntryEditor(
            self.case,
            lambda entry, reason: self.ops.change(
                lambda: self.service.edit_entry(reference, entry_id, entry, reason=reason),
                inline_validation=True,
            ),
            entry=original,
            parent=self,
        )
        editor.exec()

    def withdraw_entry(self) -> None:
        ids = self.selected_entry_ids()
        if self.reference is None or not ids:
            return
        reference = self.reference
        reason, ok = QInputDialog.getText(
            self,
            "Withdraw entry",
            "Why is this entry being withdrawn? It is kept in the audit trail.",
        )
        if ok and reason.strip():
            self.ops.change(lambda: self.service.withdraw_entry(reference, ids[0], reason.strip()))

    def add_person(self) -> None:
        if self.reference is None:
            return
        reference = self.reference
        PersonDialog(
            lambda values: self.ops.change(
                lambda: self.service.add_person(reference, values), inline_validation=True
            ),
            self,
        ).exec()

    def add_relationship(self) -> None:
        if self.reference is None or self.case is None:
            return
        reference = self.reference
        persons = [(p.id, p.name) for p in self.case.persons]
        RelationshipDialog(
            persons,
            lambda values: self.ops.change(
                lambda: self.service.add_relationship(reference, values), inline_validation=True
            ),
            self,
        ).exec()

    def new_case(self) -> None:
        dialog = CaseDialog(
            lambda values: self.ops.change(
                lambda: self.service.create_case(values), inline_validation=True
            ),
            self,
        )
        if dialog.exec():
            self.open_case(dialog.reference.text().strip())

    def _review_flag(self, item: ReviewedFlag, decision: str, reason: str) -> None:
        if self.reference is None:
            return
        reference = self.reference
        review = {
            "rule": item.flag.rule,
            "evidence": list(item.flag.entries),
            "decision": decision,
            "reason": reason,
        }
        self.ops.change(lambda: self.service.record_flag_review(reference, review))

    # --- files ---------------------------------------------------------------------------

    def import_case(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import case file", "", "Case files (*.json)")
        if not path:
            return

        def work() -> OpChanges:
            return self.service.import_case(casefile.read(path), Path(path).name)

        self.ops.in_background("Importing the case file…", work, self.ops.changed.emit)

    def export_case(self) -> None:
        if self.reference is None:
            return
        answer = QMessageBox.warning(
            self,
            "Export case file",
            "A case file is NOT encrypted. Keep it only on protected storage, send it only by "
            "secure means, and delete it when it is no longer needed.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export case file", f"{self.reference}.json", "Case files (*.json)"
        )
        if path:
            try:
                casefile.write(self.service.document(self.reference), path)
            except ChronologyError as error:
                show_error(self, error)

    def export_pdf(self) -> None:
        from chronology_app.gui import report_printing as printing  # PDF libraries load on use

        if self.case is None:
            return
        case, flags = self.case, self.flags
        audience = printing.choose_audience(self)
        path = printing.ask_pdf_path(self, case, audience) if audience else None
        if audience is None or path is None:
            return

        def done(data: bytes) -> None:
            try:
                printing.save_pdf(path, data)
            except ChronologyError as error:
                show_error(self, error)
                return
            self.statusBar().showMessage(f"Report saved: {path.name} ({audience})", 8000)

        builder = printing.report_builder(self.service, case, flags, audience)
        self.ops.in_background("Building the report…", builder, done)

    def print_report(self) -> None:
        from chronology_app.gui import report_printing as printing

        if self.case is None:
            return
        audience = printing.choose_audience(self)
        if audience is None:
            return

        def done(data: bytes) -> None:
            printer = printing.ask_printer(self)
            if printer is not None:
                printing.print_pdf(data, printer)

        builder = printing.report_builder(self.service, self.case, self.flags, audience)
        self.ops.in_background("Building the report…", builder, done)

    def export_timeline(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export timeline", "timeline.png", "PNG images (*.png)"
        )
        if path and not self.timeline.export_png(path):
            show_error(self, ChronologyError(f"{path}: the image could not be written."))

    def check_workspace(self) -> None:
        def done(found: dict[str, list[ReviewedFlag]]) -> None:
            lines = [
                f"{reference}: {sum(1 for f in flags if f.review is None)} to review"
                for reference, flags in sorted(found.items())
            ]
            QMessageBox.information(self, "Flags in every case", "\n".join(lines) or "No cases.")

        self.ops.in_background("Checking every case…", self.service.workspace_flags, done)

    def _other_workspace(self) -> None:
        QMessageBox.information(
            self,
            "Chronology",
            "Close this workspace (File → Close workspace) to open or make another.",
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Chronology",
            f"Chronology {__version__}\n\nFlags are prompts for professional judgement, never "
            "a score or a prediction.",
        )

    # --- locking -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.stack.currentWidget() is not self.lock_screen:
            self.idle.start()
        return False

    def lock(self) -> None:
        if self.stack.currentWidget() is self.lock_screen:
            return
        self._docks_visible = [dock.isVisible() for dock in (self.cases_dock, self.flags_dock)]
        for dock in (self.cases_dock, self.flags_dock):
            dock.hide()
        self.menuBar().setEnabled(False)
        for action in self.actions_.all():
            if action is not self.actions_.quit:
                action.setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self._cover_dialogs()
        self.setWindowTitle("Chronology (locked)")
        self.statusBar().clearMessage()
        self.lock_screen.reset()
        log.info("workspace locked")

    def _cover_dialogs(self) -> None:
        """An open dialog (an entry being edited, a message) is covered by a lock screen of
        its own: hiding it would end it and lose what was typed, and while it is modal the
        window's own lock screen cannot be reached."""
        self._covers: list[LockScreen] = []
        for widget in QApplication.topLevelWidgets():
            if widget is self or not isinstance(widget, QDialog) or not widget.isVisible():
                continue
            cover = LockScreen(self._check_passphrase, widget)
            cover.setAutoFillBackground(True)
            cover.setGeometry(widget.rect())
            cover.unlocked.connect(self.unlock)
            cover.show()
            cover.raise_()
            cover.reset()
            self._covers.append(cover)

    def unlock(self) -> None:
        for cover in getattr(self, "_covers", []):
            cover.hide()
            cover.deleteLater()
        self._covers = []
        self.stack.setCurrentWidget(self.main_page)
        for dock, visible in zip(
            (self.cases_dock, self.flags_dock), self._docks_visible, strict=True
        ):
            dock.setVisible(visible)
        self.menuBar().setEnabled(True)
        for action in self.actions_.all():
            action.setEnabled(True)
        self._update_actions()
        title = (
            f"{self.case.case.title} ({self.reference})"
            if self.case
            else self.service.workspace.path.name
        )
        self.setWindowTitle(f"Chronology: {title}")
        self.idle.start()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def _check_passphrase(self, passphrase: str) -> str | None:
        try:
            self.service.check_passphrase(passphrase)  # a file's passphrase, a server's password
        except ChronologyError as error:
            return str(error)
        return None

    def closeEvent(self, event: Any) -> None:
        self.ops.wait()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
