"""The case on screen: the filter bar and chronology table above, the timeline and people
below, and the flags panel (which the main window docks at the side).

A case is shown from its records at once and its flags follow from a background analysis.
After a change, `apply` brings the records up to date from what changed (`core.case_patch`):
an edited entry redraws its row, its timeline marker and the rows naming a changed person;
nothing is read again unless the change cannot be applied exactly. Flags are analysed again in
the background, off the GUI thread; a result for an older state of the case is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.analysis import Analysis, ReviewedFlag
from chronology_app.core.case_patch import Patched
from chronology_app.core.model.vocabulary import RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.records import CaseData
from chronology_app.core.service import Service
from chronology_app.gui.colours import toned
from chronology_app.gui.models.chronology_model import (
    COLUMNS,
    SUMMARY,
    ChronologyFilter,
    ChronologyModel,
)
from chronology_app.gui.operations import Operations
from chronology_app.gui.views.flags_panel import FlagsPanel
from chronology_app.gui.views.people_view import PeopleView
from chronology_app.gui.views.timeline import TimelineView
from chronology_app.gui.views.timeline_marks import TimelineLegend
from chronology_app.gui.widgets.filter_bar import FilterBar

log = logging.getLogger(__name__)
# No., date, source, kind, (what happened stretches), impact, action, flags, child's age
COLUMN_WIDTHS = (64, 96, 110, 104, 300, 120, 110, 60, 80)
SUMMARY_FLOOR = 260  # "What happened" never narrower than this by itself
NARROWEST = 48  # the other columns, when a small screen squeezes them...
KEEP = {0: 60, 1: 92}  # ...except the entry's number and date, which stay readable
ANALYSE_AFTER_MS = 150
ANALYSE_ON_OPEN_MS = 10
# A case just opened is analysed once it is painted; if nothing is painted (the window is
# minimised, say) it is analysed after this long all the same.
ANALYSE_UNPAINTED_MS = 500
WIDTHS_KEY = "case_view/column_widths"
SPLITTER_KEY = "case_view/splitter"
PEOPLE_SPLITTER_KEY = "case_view/people_splitter"  # the people list beside the diagram


class CaseView(QWidget):
    """One case's chronology, timeline, people and flags."""

    flags_shown = Signal()  # a background analysis reached the screen
    edit_requested = Signal()  # a row was double-clicked

    def __init__(self, service: Service, ops: Operations, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.ops = ops
        self.reference: str | None = None
        self.case: CaseData | None = None
        self.analysis: Analysis | None = None
        self._fitting = False
        self.preferred = list(COLUMN_WIDTHS)  # the widths the user chose
        self._fit_soon = QTimer(self)
        self._fit_soon.setSingleShot(True)
        self._fit_soon.setInterval(0)
        self._fit_soon.timeout.connect(lambda: self._give_summary_the_room(squeeze=True))
        self.model = ChronologyModel(self)
        self.proxy = ChronologyFilter(self.model, self)
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self.proxy.set_filters)
        self.table = self._table()
        self.timeline = TimelineView()
        self.timeline.entry_clicked.connect(lambda e: self.select_entries([e], centre=False))
        self.people = PeopleView()
        self.legend = TimelineLegend()
        timeline_page = QWidget()
        timeline_column = QVBoxLayout(timeline_page)
        timeline_column.setContentsMargins(0, 0, 0, 0)
        timeline_column.setSpacing(0)
        legend_row = QHBoxLayout()
        legend_row.setContentsMargins(0, 0, 0, 0)
        legend_row.addWidget(self.legend, 1)
        legend_row.addWidget(self.timeline.future_button)
        timeline_column.addLayout(legend_row)
        timeline_column.addWidget(self.timeline)
        self.tabs = QTabWidget()
        self.tabs.addTab(timeline_page, "Timeline")
        self.tabs.addTab(self.people, "People and family")
        self.flags_panel = FlagsPanel()
        self.flags_panel.evidence_clicked.connect(self.show_evidence)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(4, 4, 4, 0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([520, 300])
        self.splitter.setChildrenCollapsible(False)
        self.banner = QLabel()
        toned(self.banner, "banner")
        self.banner.setAccessibleName("Review mode")
        self.banner.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter)
        # Flags are analysed again a moment after a change, once the change is on screen (a
        # background thread holding Python's lock would otherwise slow the redraw), and
        # several quick changes (undo, undo, undo) are analysed once.
        self._analyse_soon = ops.soon(ANALYSE_AFTER_MS, self.refresh_flags)
        # A case just opened is drawn first, then analysed (the same reason, a shorter wait,
        # counted from the first paint: begun before it, the analysis took Python's lock from
        # the paint of a large case and made the case slower to appear by half).
        self._analyse_opened = ops.soon(ANALYSE_UNPAINTED_MS, self.refresh_flags)
        self._opened_unpainted = False
        self.restore_layout()

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setAccessibleName("Chronology")
        # The entries come in chronological order: no sorting (and no 5,000 Python calls to
        # compare rows) until the user clicks a column heading.
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for section, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(section, width)
        header.sectionResized.connect(self._column_resized)
        table.viewport().installEventFilter(self)
        table.doubleClicked.connect(lambda _index: self.edit_requested.emit())
        table.selectionModel().selectionChanged.connect(self._table_selection)
        return table

    def show_review_banner(self, on: bool, supervisor: bool) -> None:
        who = "Supervisor's review" if supervisor else "Review mode"
        self.banner.setText(f"{who}: read only. Nothing can be changed until it is turned off.")
        self.banner.setVisible(on)

    # --- the window's layout, remembered -------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            # After the resize is done: changing the columns inside it is not safe in Qt.
            self._fit_soon.start()
        elif event.type() == QEvent.Type.Paint and self._opened_unpainted:
            # The case just opened is being painted (the whole window in one pass): its
            # analysis starts a moment after.
            self._opened_unpainted = False
            self._analyse_opened.start(ANALYSE_ON_OPEN_MS)
        return False

    def _give_summary_the_room(self, *_args: Any, squeeze: bool = False) -> None:
        """What happened takes the width the other columns leave (every column stays
        resizable by hand: widening another narrows it, down to a readable minimum). When the
        table itself is too narrow (`squeeze`, a small laptop), the other columns give up
        width first, down to a narrow minimum each."""
        if self._fitting:
            return  # resizing a column can resize the viewport (a scroll bar comes or goes)
        self._fitting = True
        try:
            self._fit_columns(squeeze)
        finally:
            self._fitting = False

    def _fit_columns(self, squeeze: bool) -> None:
        """The columns at the widths the user chose (`preferred`), the others narrowed in
        proportion when the table is too narrow; What happened takes what is left."""
        header = self.table.horizontalHeader()
        others = [c for c in range(len(COLUMNS)) if c != SUMMARY]
        width = self.table.viewport().width()
        if width <= 0:
            return
        chosen = sum(self.preferred[c] for c in others)
        scale = 1.0
        if width - chosen < SUMMARY_FLOOR:
            if not squeeze:
                scale = sum(header.sectionSize(c) for c in others) / chosen
            else:
                scale = max(width - SUMMARY_FLOOR, 0) / chosen
        header.blockSignals(True)
        for column in others:
            shown = self.preferred[column] if scale >= 1 else int(self.preferred[column] * scale)
            least = min(KEEP.get(column, NARROWEST), self.preferred[column])
            if header.sectionSize(column) != max(shown, least):
                header.resizeSection(column, max(shown, least))
        taken = sum(header.sectionSize(c) for c in others)
        wanted = max(width - taken, SUMMARY_FLOOR)
        if header.sectionSize(SUMMARY) != wanted:
            header.resizeSection(SUMMARY, wanted)
        header.blockSignals(False)

    def _column_resized(self, section: int, _old: int, new: int) -> None:
        """A column resized by hand: its width is the user's choice from now on."""
        if self._fitting:
            return
        self.preferred[section] = new
        if section != SUMMARY:
            self._give_summary_the_room()

    def column_widths(self) -> list[int]:
        """The widths the user chose (what is remembered), not those a small screen shows."""
        return list(self.preferred)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(WIDTHS_KEY, self.column_widths())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        settings.setValue(PEOPLE_SPLITTER_KEY, self.people.splitter.saveState())

    def restore_layout(self) -> None:
        settings = QSettings()
        widths = settings.value(WIDTHS_KEY)
        if isinstance(widths, list) and len(widths) == len(COLUMNS):
            try:
                self.preferred = [min(max(int(w), NARROWEST), 2000) for w in widths]
            except (TypeError, ValueError):
                self.preferred = list(COLUMN_WIDTHS)  # a damaged setting: the defaults
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        for column, width in enumerate(self.preferred):
            header.resizeSection(column, width)
        header.blockSignals(False)
        for key, splitter in (
            (SPLITTER_KEY, self.splitter),
            (PEOPLE_SPLITTER_KEY, self.people.splitter),
        ):
            state = settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    # --- showing a case ------------------------------------------------------------------

    @property
    def flags(self) -> list[ReviewedFlag]:
        return list(self.analysis.flags) if self.analysis is not None else []

    def show_case(self, reference: str, case: CaseData) -> None:
        """Show a case at once; its flags follow from a background analysis."""
        same_case = reference == self.reference
        known = self._flagged() if same_case else set()
        self.reference, self.case = reference, case
        if not same_case:
            self.analysis = None
        self.model.set_case(case, known)
        self.filter_bar.set_case(case)
        self.proxy.set_filters(self.filter_bar.filters())
        self.timeline.set_case(case, known, keep_view=same_case)
        self.people.set_case(case)
        if not same_case:
            self.flags_panel.set_flags(case, [])
            self.flags_panel.summary.setText("Looking for patterns…")
        self._analyse_soon.stop()
        self._opened_unpainted = True
        self._analyse_opened.start(ANALYSE_UNPAINTED_MS)

    def apply(self, patched: Patched) -> None:
        """The case on screen after one change (see the module)."""
        before, case = self.case, patched.case
        self.case = case
        selected = self.selected_entry_ids() if patched.many else []
        self.model.apply(patched)  # many entries: the model is reset, the selection lost
        self.timeline.apply(patched)
        if selected:
            self.select_entries([e for e in selected if e in case.entry_by_id], centre=False)
        changed = [case.entry_by_id[e] for e in patched.entries]
        if before is not None:  # a separation withdrawn or undone changes the family diagram
            changed += [before.entry_by_id[e] for e in patched.removed if e in before.entry_by_id]
        if patched.persons or changed or patched.removed:
            self.filter_bar.set_case(case)
        if patched.people_changed or any(e.kind in RELATIONSHIP_ENTRY_KINDS for e in changed):
            self.people.set_case(case)
        if patched.case_details:
            self.flags_panel.case = case
        self._analyse_soon.start()

    def clear(self) -> None:
        self._analyse_soon.stop()
        self._analyse_opened.stop()
        self.reference, self.case, self.analysis = None, None, None
        self.model.set_case(None)
        self.filter_bar.set_case(None)
        self.timeline.set_case(None)
        self.people.set_case(None)
        self.flags_panel.set_flags(None, [])

    def refresh_flags(self) -> None:
        """Analyse the case again in the background; the newest result is shown."""
        self._analyse_soon.stop()
        self._analyse_opened.stop()
        self._opened_unpainted = False
        reference, case = self.reference, self.case
        if reference is None or case is None:
            return

        def show(analysis: Analysis) -> None:
            if reference != self.reference or case is not self.case:
                return  # another case (or a newer state of this one) is on screen now
            self.analysis = analysis
            flagged = self._flagged()
            self.model.set_flagged(flagged)
            self.timeline.set_flagged(flagged)
            self.flags_panel.set_analysis(case, analysis)
            self.flags_shown.emit()

        self.ops.in_background(
            "Looking for patterns…",
            lambda: self.service.analysis(reference, case),
            show,
            show_progress=False,
        )

    def _flagged(self) -> set[str]:
        return {e for f in self.flags if f.review is None for e in f.flag.entries}

    def open_flags(self) -> int:
        return sum(1 for f in self.flags if f.review is None)

    # --- selection -----------------------------------------------------------------------

    def selected_entry_ids(self) -> list[str]:
        """The selected entries, read from the selection's ranges of whole rows (Qt's
        selectedRows() takes seconds over thousands of rows, as after an import)."""
        last = self.proxy.columnCount() - 1
        selection = self.table.selectionModel().selection()
        spans = [selection.at(i) for i in range(selection.count())]
        rows = (
            row
            for span in spans
            if span.left() == 0 and span.right() == last
            for row in range(span.top(), span.bottom() + 1)
        )
        proxy, model = self.proxy, self.model
        return [
            model.entry(proxy.mapToSource(proxy.index(row, 0)).row()).id
            for row in dict.fromkeys(rows)
        ]

    def select_entries(self, entry_ids: Iterable[str], centre: bool = True) -> None:
        """Select entries, the first of them made current and scrolled to. Rows next to each
        other in the order given are selected as one range."""
        wanted = list(entry_ids)
        rows = []
        for entry_id in wanted:
            row = self.model.row_of(entry_id)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                rows.append(index.row())
        runs: list[list[int]] = []
        for row in rows:
            if runs and row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        last = self.proxy.columnCount() - 1
        selection = QItemSelection()
        for top, bottom in runs:
            selection.select(self.proxy.index(top, 0), self.proxy.index(bottom, last))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        if rows:
            first = self.proxy.index(rows[0], 0)
            self.table.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.table.scrollTo(first)
        if wanted:
            self.timeline.select(wanted[0], centre=centre)

    def show_evidence(self, entry_ids: list[str]) -> None:
        """A flag's evidence link: select its entries, clearing the filters first if they hide
        any of them (and saying so), so that a click never seems to do nothing."""
        hidden = [entry_id for entry_id in entry_ids if self._hidden_by_filters(entry_id)]
        if hidden:
            self.filter_bar.clear()
            shown = "entry" if len(hidden) == 1 else "entries"
            self.status(
                f"Filters cleared to show the flag's evidence ({len(hidden)} {shown} hidden)."
            )
        self.select_entries(entry_ids)

    def status(self, message: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if bar is not None:
            bar().showMessage(message, 8000)

    def _hidden_by_filters(self, entry_id: str) -> bool:
        row = self.model.row_of(entry_id)
        return row is not None and not self.proxy.mapFromSource(self.model.index(row, 0)).isValid()

    def _table_selection(self) -> None:
        ids = self.selected_entry_ids()
        if ids:
            self.timeline.select(ids[0])
