"""The window a social worker lives in: it lays out the cases list, the case view and the flags
panel, makes the menus, and refreshes from what each change did.

Every change goes through `Operations` (one service call, errors shown, what changed
announced). The case on screen is brought up to date from that announcement
(`core.case_patch`): an edit redraws its row, marker and the people it names, and the flags are
analysed again in the background; a case is read again only when a change cannot be applied
exactly (an import, an entry back from withdrawn). The commands live in `edit_commands` and
`file_commands`, the lock in `lock`, the case's panels in `case_view`.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from chronology_app import __version__
from chronology_app.core.analysis import ReviewedFlag
from chronology_app.core.case_patch import patch
from chronology_app.core.changes import BATCHES
from chronology_app.core.errors import ChronologyError
from chronology_app.core.records import CaseData
from chronology_app.core.service import OpChanges, Service
from chronology_app.gui import stored_settings
from chronology_app.gui.action_wiring import wire_actions
from chronology_app.gui.actions import build_menus, create_actions
from chronology_app.gui.bundle_commands import BundleCommands
from chronology_app.gui.case_index import CaseIndex
from chronology_app.gui.case_view import CaseView
from chronology_app.gui.colours import toned
from chronology_app.gui.edit_commands import EditCommands
from chronology_app.gui.file_commands import FileCommands
from chronology_app.gui.lock import IDLE_KEY, Locker
from chronology_app.gui.operations import Operations, show_error
from chronology_app.gui.user_profile import Profile, load_profile
from chronology_app.gui.view_commands import ViewCommands
from chronology_app.gui.widgets.case_list import CaseListPanel
from chronology_app.gui.widgets.fit import fit_on_screen
from chronology_app.gui.workspace_commands import WorkspaceCommands

log = logging.getLogger(__name__)
KEPT_CASES = 4  # cases whose records are kept for going back to them
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
__all__ = ["IDLE_KEY", "MainWindow", "prime"]


def prime() -> None:
    """Make the main window's kinds of widget once and paint them offscreen, then throw them
    away: Qt's first use of each (PySide6 making its enums, styles, fonts, the table's header)
    then happens while the user types a passphrase, not after (app.warm_up). Nothing is read,
    shown or saved."""
    shell = QMainWindow()
    ops = Operations(shell)
    view = CaseView(cast(Service, None), ops)  # never asked for anything: no case is shown
    shell.setCentralWidget(view)
    for title, panel, area in (
        ("Cases", CaseListPanel(), Qt.DockWidgetArea.LeftDockWidgetArea),
        ("Flags", view.flags_panel, Qt.DockWidgetArea.RightDockWidgetArea),
    ):
        dock = QDockWidget(title, shell)
        dock.setWidget(panel)
        shell.addDockWidget(area, dock)
    shell.statusBar().addPermanentWidget(QLabel("·"))
    shell.resize(1280, 800)
    shell.grab()  # painted into a pixmap, never on the screen
    shiboken6.delete(shell)  # at once, with its children (deleteLater waits for a loop)


class MainWindow(QMainWindow):
    workspace_closed = Signal()  # File → Close workspace: back to the welcome screen

    def __init__(
        self, service: Service | None = None, idle_minutes: int | None = None, name: str = ""
    ) -> None:
        """The window on `service`; or, without one, the window made while the workspace
        called `name` opens (app.open_in_window), given its service by `attach`."""
        super().__init__()
        self.service = cast(Service, service)  # (set by `attach` when made before it)
        self.closing_workspace = False
        self.next_service: Service | None = None  # a restored workspace to carry on in
        # The records of cases opened in this session, kept up to date from each change, so
        # that going back to a case shows it without reading it again.
        self._cases: dict[str, CaseData] = {}
        self._reviewed = ""
        self._imported = ""  # "143 entries imported and selected. ", until the next change
        self.setWindowTitle(f"Chronology: {name}")
        fit_on_screen(self, 1280, 800)
        self.ops = Operations(self)
        self.ops.changed.connect(self._on_changed)
        self.ops.refused.connect(self.update_actions)
        self.actions_ = create_actions(self)
        build_menus(self.menuBar(), self.actions_)
        self.edits = EditCommands(self)
        self.files = FileCommands(self)
        self.bundles = BundleCommands(self)
        self.workspace_commands = WorkspaceCommands(self)
        self.views = ViewCommands(self)
        self._build()
        self.locker = Locker(
            self,
            self.service,
            self.stack,
            [self.cases_dock, self.flags_dock],
            self.actions_.all,
            self.actions_.quit,
            self._after_unlock,
            idle_minutes,
        )
        wire_actions(self, self.actions_)
        self._restore_layout()
        if service is not None:
            self.attach(service)

    def attach(self, service: Service) -> None:
        """Show the workspace now open: its cases, what opening it found, who is working."""
        self.service = self.case_index.service = self.case_view.service = service
        self.locker.service = service
        self.locker.restart()
        self.setWindowTitle(f"Chronology: {service.workspace.path.name}")
        self.profile = Profile(service.user, load_profile().role)
        self.user_label.setText(f"{self.profile.name} · {self.profile.role_label}")
        self._show_safety_notes([*service.workspace.notes(), stored_settings.idle_minutes()[1]])
        self._load_cases()
        self.update_actions()

    def _show_safety_notes(self, notes: list[str | None]) -> None:
        """What opening found (a backup not made, an audit trail shorter than this computer
        last saw, an unfinished passphrase change, a bad stored setting): kept in the status
        bar, in words, until the window closes."""
        shown = [note for note in notes if note]
        self.safety_notice = QLabel(" ".join(shown))
        self.safety_notice.setObjectName("safety_notice")
        self.safety_notice.setWordWrap(True)
        toned(self.safety_notice, "error")
        self.safety_notice.setVisible(bool(shown))
        self.statusBar().addPermanentWidget(self.safety_notice, 1)

    # --- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.cases_panel = CaseListPanel()
        self.cases_panel.case_chosen.connect(self.open_case)
        self.cases_panel.new_case_requested.connect(self.edits.new_case)
        self.case_index = CaseIndex(
            self.service, self.ops, self.cases_panel, lambda: self.reference
        )
        self.cases_dock = self._dock(
            "Cases", self.cases_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.case_view = CaseView(self.service, self.ops)
        self.case_view.flags_shown.connect(self._status_summary)
        self.case_view.edit_requested.connect(
            lambda: None if self.in_review_mode() else self.edits.edit_entry()
        )
        self.case_view.people.table.doubleClicked.connect(
            lambda _index: None if self.in_review_mode() else self.edits.edit_person()
        )
        self.flags_panel.review_requested.connect(self.edits.review_flag)
        table = self.case_view.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._table_menu)
        self.flags_dock = self._dock(
            "Flags", self.flags_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        # The chronology's "What happened" column gets the room; the side panels are narrow.
        self.resizeDocks([self.cases_dock, self.flags_dock], [230, 320], Qt.Orientation.Horizontal)
        self.stack = QStackedWidget()
        self.main_page = self.case_view
        self.stack.addWidget(self.case_view)
        self.setCentralWidget(self.stack)
        self.statusBar().showMessage("Choose a case on the left, or make a new one.")
        self.user_label = QLabel()
        self.user_label.setAccessibleName("Who is working")
        self.statusBar().addPermanentWidget(self.user_label)
        self.profile = Profile("", "practitioner")  # until `attach`

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value(STATE_KEY)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_layout(self) -> None:
        self.locker.docks_as_unlocked()
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        self.case_view.save_layout()

    # --- the case view's parts, by their old names ---------------------------------------

    @property
    def reference(self) -> str | None:
        return self.case_view.reference

    @property
    def case(self) -> CaseData | None:
        return self.case_view.case

    @property
    def flags(self) -> list[ReviewedFlag]:
        return self.case_view.flags

    @property
    def model(self) -> Any:
        return self.case_view.model

    @property
    def proxy(self) -> Any:
        return self.case_view.proxy

    @property
    def table(self) -> Any:
        return self.case_view.table

    @property
    def filter_bar(self) -> Any:
        return self.case_view.filter_bar

    @property
    def timeline(self) -> Any:
        return self.case_view.timeline

    @property
    def people(self) -> Any:
        return self.case_view.people

    @property
    def flags_panel(self) -> Any:
        return self.case_view.flags_panel

    def selected_entry_ids(self) -> list[str]:
        return self.case_view.selected_entry_ids()

    def select_entries(self, entry_ids: list[str], centre: bool = True) -> None:
        self.case_view.select_entries(entry_ids, centre)

    def show_evidence(self, entry_ids: list[str]) -> None:
        self.case_view.show_evidence(entry_ids)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def user_name(self) -> str:
        return self.service.user

    def set_profile(self, profile: Profile) -> None:
        """The name recorded with changes from now on, and shown on reports."""
        self.profile = profile
        self.service.user = profile.name
        self.user_label.setText(f"{profile.name} · {profile.role_label}")
        self.update_actions()

    # --- cases ---------------------------------------------------------------------------

    def _load_cases(self, changed: str | None = None, case: CaseData | None = None) -> None:
        self.case_index.refresh(changed, case)

    def open_case(self, reference: str) -> None:
        """Show the case at once; its flags follow from a background analysis."""
        if reference != self.reference:
            self._imported = ""
        case = self._cases.pop(reference, None)
        if case is None:
            try:
                case = self.service.case_data(reference)
            except ChronologyError as error:
                show_error(self, error)
                return
        self._cases[reference] = case
        while len(self._cases) > KEPT_CASES:
            del self._cases[next(iter(self._cases))]
        self.case_view.show_case(reference, case)
        self.cases_panel.select(reference)
        self._refresh_title()
        self.update_actions()
        self._read_reviews()

    def _read_reviews(self) -> None:
        reference = self.reference
        self._reviewed = ""
        if reference is None:
            return

        def done(reviews: list[Any]) -> None:
            if reference == self.reference:
                last = reviews[-1] if reviews else None
                self._reviewed = f" Last reviewed {last.at:%d %b %Y} by {last.by}." if last else ""
                self._status_summary()

        service = self.service
        self.ops.in_background(
            "Reading reviews", lambda: service.case_reviews(reference), done, show_progress=False
        )

    def _on_changed(self, changes: OpChanges) -> None:
        """Bring what is on screen up to date from what one change did."""
        reference = changes.case_reference
        on_screen = reference is not None and reference == self.reference
        # Entries added in one batch (an agency's chronology imported) are selected, first
        # scrolled to, so the user sees what came in.
        imported = (
            changes.added("entry") if any(c.object in BATCHES for c in changes.changes) else []
        )
        patched = patch(self.case, changes.changes) if on_screen and self.case else None
        self._load_cases(reference, patched.case if patched else None)
        if reference is not None:
            self._cases.pop(reference, None)  # kept only while it is known to be current
        if patched is not None:
            assert reference is not None
            self._cases[reference] = patched.case
            self.case_view.apply(patched)
            if patched.case_details:
                self._refresh_title()
            if imported:
                self._select_in_order(imported)
            elif patched.entries and not self.selected_entry_ids():
                self.select_entries(sorted(patched.entries))
        elif on_screen and reference is not None and not self._case_removed(changes):
            selected = self.selected_entry_ids()
            self.open_case(reference)  # a change that cannot be applied: read it again
            if imported:
                self._select_in_order(imported)
            else:
                self.select_entries(selected or sorted(changes.keys("entry")))
        elif on_screen:
            self.case_view.clear()
            self._refresh_title()
        elif reference is None or any(c.object == "person_match" for c in changes.changes):
            self.case_view.refresh_flags()  # settings or a match: the flags may differ
        if any(c.object == "case_review" for c in changes.changes):
            self._read_reviews()
        count = len(imported) if on_screen else 0
        self._imported = (
            f"{count:,} {'entry' if count == 1 else 'entries'} imported and selected. "
            if count
            else ""
        )
        if count:  # kept at the front of the case's summary when the flags are shown
            self.statusBar().showMessage(self._imported.strip())
        else:
            self.statusBar().showMessage(f"Saved: {changes.action}", 5000)
        self.update_actions()

    def _select_in_order(self, entry_ids: list[str]) -> None:
        """Select entries, the first in the chronology scrolled to."""
        case = self.case
        wanted = set(entry_ids)
        ordered = [e.id for e in case.entries if e.id in wanted] if case else entry_ids
        self.select_entries(ordered)

    @staticmethod
    def _case_removed(changes: OpChanges) -> bool:
        """Whether the change took the whole case away (an import undone)."""
        return any(c.object == "case_file" and c.after is None for c in changes.changes)

    def _status_summary(self) -> None:
        case = self.case
        if case is None:
            return
        entries, people = len(case.entries), len(case.persons)
        flags = self.case_view.open_flags()
        status = (
            "Closed case: flags as of its latest entry. " if case.case.status == "closed" else ""
        )
        self.statusBar().showMessage(
            f"{self._imported}{entries} {'entry' if entries == 1 else 'entries'}, "
            f"{people} {'person' if people == 1 else 'people'}, "
            f"{flags} {'flag' if flags == 1 else 'flags'} to review. {status}"
            f"Marking: {case.case.protective_marking}.{self._reviewed}"
        )

    def _table_menu(self, point: Any) -> None:
        if not self.selected_entry_ids():
            return
        menu = QMenu(self)
        for action in (
            self.actions_.edit_entry,
            self.actions_.entry_history,
            self.actions_.withdraw_entry,
            None,
            self.actions_.show_withdrawn,
        ):
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.popup(self.case_view.table.viewport().mapToGlobal(point))

    def _refresh_title(self) -> None:
        case = self.case
        if case is None:
            self.setWindowTitle(f"Chronology: {self.service.workspace.path.name}")
            return
        closed = " (closed)" if case.case.status == "closed" else ""
        review = " · Review mode (read only)" if self.in_review_mode() else ""
        self.setWindowTitle(f"Chronology: {case.case.title} ({self.reference}){closed}{review}")

    def update_actions(self) -> None:
        if self.is_locked():
            return
        for action in self.actions_.case_actions():
            action.setEnabled(self.case is not None)
        undo, redo = self.service.undo_name, self.service.redo_name
        self.actions_.undo.setEnabled(undo is not None)
        self.actions_.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.actions_.redo.setEnabled(redo is not None)
        self.actions_.redo.setText(f"&Redo {redo}" if redo else "&Redo")
        closed = self.case is not None and self.case.case.status == "closed"
        self.actions_.close_case.setText("Re&open case…" if closed else "C&lose case…")
        read_only = self.in_review_mode()
        self.case_view.show_review_banner(read_only, self.profile.role == "supervisor")
        if read_only:
            for action in self.actions_.editing_actions():
                action.setEnabled(False)
        self.flags_panel.set_read_only(read_only)
        self._refresh_title()

    def in_review_mode(self) -> bool:
        return self.actions_.review_mode.isChecked()

    # --- workspace -----------------------------------------------------------------------

    def close_workspace(self) -> None:
        """Close this workspace and go back to the welcome screen."""
        self.closing_workspace = True
        self.close()

    def other_workspace(self) -> None:
        QMessageBox.information(
            self,
            "Chronology",
            "Close this workspace (File → Close workspace) to open or make another.",
        )

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Chronology",
            f"Chronology {__version__}\n\nFlags are prompts for professional judgement, never "
            "a score or a prediction.",
        )

    # --- locking -------------------------------------------------------------------------

    @property
    def lock_screen(self) -> Any:
        return self.locker.screen

    @property
    def idle(self) -> Any:
        return self.locker.idle

    def lock(self) -> None:
        self.locker.lock()

    def unlock(self) -> None:
        self.locker.unlock()

    def is_locked(self) -> bool:
        locker = getattr(self, "locker", None)
        return locker is not None and locker.is_locked()

    def _after_unlock(self) -> None:
        self.update_actions()
        self._refresh_title()

    def closeEvent(self, event: Any) -> None:
        self.ops.wait()
        self._save_layout()
        self.locker.stop()
        super().closeEvent(event)
        if self.closing_workspace:
            self.workspace_closed.emit()
