"""File → Import chronology…: an agency's chronology into the open case, in five steps.

1. the file, the agency and (for a workbook or document) the sheet or table;
2. the columns, with their first values, and how each is read (changeable);
3. the rows as they will become entries, problems tinted and editable;
4. possible duplicates side by side with the entries already in the case, decided one by one
   (or all at once), and the persons the rows name, offered as links;
5. the import, in one step (one undo), with progress shown.

Reading and preparing the file runs off the GUI thread through `Operations.in_background`;
the import is one service call. Case → Agency template… writes the form for an agency.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.errors import ChronologyError
from chronology_app.core.service import OpChanges, Service
from chronology_app.core.tables_import import plan as import_plan
from chronology_app.core.tables_import.headings import FIELDS
from chronology_app.gui.models.import_models import (
    DECISION_LABELS,
    NOT_USED,
    DuplicatesModel,
    MappingModel,
    PreviewModel,
)
from chronology_app.gui.operations import Operations, show_error

FILES = "Chronologies (*.xlsx *.xlsm *.ods *.docx *.csv);;All files (*)"
STEPS = ("File", "Columns", "Rows", "Duplicates and people", "Import")


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of (value, label) choices for one editable column."""

    def __init__(self, choices: list[tuple[Any, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QComboBox(parent)
        for value, label in self.choices:
            editor.addItem(label, value)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _table(model: QAbstractItemModel, widths: dict[int, int]) -> QTableView:
    """A table over one of the wizard's models; the last column takes the rest of the width."""
    view = QTableView()
    view.setModel(model)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    for column, width in widths.items():
        view.setColumnWidth(column, width)
    view.setEditTriggers(
        QTableView.EditTrigger.DoubleClicked
        | QTableView.EditTrigger.SelectedClicked
        | QTableView.EditTrigger.EditKeyPressed
    )
    model.modelReset.connect(view.resizeRowsToContents)
    return view


class ImportWizard(QDialog):
    def __init__(
        self, service: Service, reference: str, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service, self.reference, self.ops = service, reference, ops
        self.plan: import_plan.ImportPlan | None = None
        self.result_: OpChanges | None = None
        self.setWindowTitle(f"Import chronology into {reference}")
        self.resize(1100, 600)
        self.mapping = MappingModel(self)
        self.preview = PreviewModel(self)
        self.duplicates = DuplicatesModel(self)
        self.steps = QStackedWidget()
        for page in (self._file_page(), self._columns_page(), self._rows_page()):
            self.steps.addWidget(page)
        self.steps.addWidget(self._duplicates_page())
        self.steps.addWidget(self._import_page())
        self.step_label = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back = QPushButton("< &Back")
        self.next = QPushButton("&Next >")
        cancel = QPushButton("Cancel")
        self.back.clicked.connect(lambda: self.go(self.steps.currentIndex() - 1))
        self.next.clicked.connect(self.next_step)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for button in (self.back, self.next, cancel):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)
        self.go(0)

    # --- pages ------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        self.agency = QLineEdit()
        self.agency.setPlaceholderText("e.g. Police (used where a row names no source)")
        form.addRow("Contribution from:", self.agency)
        self.table_choice = QComboBox()
        self.table_choice.addItem("The first that looks like a chronology", None)
        form.addRow("Sheet or table:", self.table_choice)
        self.path.editingFinished.connect(self._list_tables)
        return page

    def _columns_page(self) -> QWidget:
        view = _table(self.mapping, {1: 520})
        choices: list[tuple[Any, str]] = [(None, NOT_USED), *FIELDS.items()]
        view.setItemDelegateForColumn(2, ChoiceDelegate(choices, view))
        return self._page("Check how each column is read (double-click to change):", view)

    def _rows_page(self) -> QWidget:
        view = _table(self.preview, {1: 110, 2: 420, 3: 90, 4: 90})
        self.leave_out = QCheckBox("Leave out the rows with problems (they are listed)")
        self.leave_out.toggled.connect(lambda _on: self._say())
        return self._page(
            "The rows as they will become entries. A tinted row has a problem: double-click its "
            "date or text to correct it.",
            view,
            self.leave_out,
        )

    def _duplicates_page(self) -> QWidget:
        view = _table(self.duplicates, {1: 320, 2: 320, 3: 150})
        choices: list[tuple[Any, str]] = list(DECISION_LABELS.items())
        view.setItemDelegateForColumn(3, ChoiceDelegate(choices, view))
        row = QWidget()
        buttons = QHBoxLayout(row)
        for decision, label in DECISION_LABELS.items():
            button = QPushButton(f"All: {label.lower()}")
            button.clicked.connect(lambda _c=False, d=decision: self._decide_all(d))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.link_people = QCheckBox()
        return self._page(
            "These rows may record an event already in the case. Decide each (double-click "
            "Decision): a separate event, the same event (both accounts kept), or leave it out.",
            view,
            row,
            self.link_people,
        )

    def _import_page(self) -> QWidget:
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        return self._page("Ready to import:", self.summary)

    @staticmethod
    def _page(text: str, body: QWidget, *below: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(body, 1)
        for widget in below:
            layout.addWidget(widget)
        return page

    # --- steps ------------------------------------------------------------------------------

    def go(self, step: int) -> None:
        step = max(0, min(step, len(STEPS) - 1))
        if step == 3 and not self.duplicates.rowCount() and not self.plan_links():
            step = 4 if self.steps.currentIndex() < 3 else 2  # nothing to decide: skip it
        self.steps.setCurrentIndex(step)
        self.step_label.setText(f"<b>Step {step + 1} of {len(STEPS)}: {STEPS[step]}</b>")
        self.back.setEnabled(step > 0)
        self.next.setText("&Import" if step == 4 else "&Next >")
        if step == 4:
            self.summary.setText(self._summary())
        self._say()

    def next_step(self) -> None:
        step = self.steps.currentIndex()
        if step == 0:
            self._prepare(None)
        elif step == 1:
            self._prepare(self.mapping.mapping())
        elif step == 2 and self.preview.problem_rows() and not self.leave_out.isChecked():
            self._say("Correct the tinted rows, or leave them out, before going on.")
        elif step == 3 and self.duplicates.undecided():
            self._say(f"Decide the {self.duplicates.undecided()} rows still marked Decide….")
        elif step == 4:
            self._import()
        else:
            self.go(step + 1)

    def _say(self, text: str = "") -> None:
        if not text and self.plan is not None and self.steps.currentIndex() == 2:
            count = self.preview.problem_rows()
            text = f"{len(self.plan.items)} rows" + (
                f", {count} with problems" if count else ", no problems"
            )
        self.message.setText(text)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import chronology", "", FILES)
        if path:
            self.path.setText(path)
            self._list_tables()

    def _list_tables(self) -> None:
        from chronology_app.core.tables_import.reader import open_source

        self.table_choice.clear()
        self.table_choice.addItem("The first that looks like a chronology", None)
        path = self.path.text().strip()
        if not path or not Path(path).is_file():
            return
        try:
            source = open_source(path)
        except ChronologyError as error:
            self._say(str(error))
            return
        for table in source.tables:
            if table.label and not table.hidden:
                self.table_choice.addItem(table.label.capitalize(), (table.unit, table.name))

    def _prepare(self, columns: dict[str, str] | None) -> None:
        path, agency = self.path.text().strip(), self.agency.text().strip()
        if not path or not agency:
            self._say("Choose the file and say which agency it is from.")
            return
        choice = self.table_choice.currentData()
        sheet = choice[1] if choice and choice[0] == "sheet" else None
        table = int(choice[1]) if choice and choice[0] == "table" else None

        def work() -> import_plan.ImportPlan:
            document = self.service.document(self.reference)
            return import_plan.prepare(
                path, document, agency, sheet=sheet, table=table, columns=columns,
                exact=columns is not None,
            )  # fmt: skip

        def done(prepared: import_plan.ImportPlan) -> None:
            self.plan = prepared
            self.mapping.load(prepared)
            self.preview.load(prepared)
            entries = {e["id"]: e for e in self.service.document(self.reference)["entries"]}
            self.duplicates.load(prepared, entries)
            links = self.plan_links()
            self.link_people.setText(
                f"Link the people the rows name ({links} offered: "
                + "; ".join(f"row {link.row}: {link.why}" for link in prepared.person_links[:3])
                + ("…" if links > 3 else "")
                + ")"
            )
            self.link_people.setVisible(bool(links))
            self.link_people.setChecked(False)  # offered, never linked silently
            self.go(self.steps.currentIndex() + 1)

        self.ops.in_background("Reading the file…", work, done)

    def plan_links(self) -> int:
        return len(self.plan.person_links) if self.plan else 0

    def _decide_all(self, decision: import_plan.Decision) -> None:
        self.duplicates.decide_all(decision)
        self._say()

    def accepted_entries(self) -> tuple[list[dict[str, Any]], list[int]]:
        assert self.plan is not None
        links: dict[int, list[dict[str, str]]] = {}
        if self.link_people.isChecked():
            for link in self.plan.person_links:
                links.setdefault(link.row, []).append({"person": link.person, "role": "about"})
        return self.plan.accepted(
            self.duplicates.decisions(),
            leave_out_bad_rows=self.leave_out.isChecked(),
            links=links,
        )

    def _summary(self) -> str:
        try:
            entries, left_out = self.accepted_entries()
        except ChronologyError as error:
            return str(error)
        notes = sum(1 for entry in entries if entry["kind"] == "note")
        same = sum(1 for entry in entries if entry.get("same_event_as"))
        lines = [f"{len(entries)} entries will be added to {self.reference} in one step."]
        if same:
            lines.append(
                f"{same} of them are recorded as the same event as an entry already there."
            )
        if notes:
            lines.append(f"{notes} are notes: give them a kind afterwards.")
        if left_out:
            lines.append("Rows left out: " + ", ".join(map(str, left_out)) + ".")
        return "<br>".join(lines)

    def _import(self) -> None:
        entries, _ = self.accepted_entries()
        if not entries:
            self._say("There is nothing to import.")
            return
        action = import_plan.action_name(self.agency.text().strip(), len(entries))

        def done(result: OpChanges) -> None:
            self.result_ = result
            self.ops.changed.emit(result)
            self.accept()

        self.ops.in_background(
            f"Importing {len(entries)} entries…",
            lambda: self.service.import_entries(self.reference, entries, action),
            done,
        )


def open_wizard(window: Any) -> None:
    """File → Import chronology… (the window's service, open case and operations)."""
    if window.reference is None:
        return
    ImportWizard(window.service, window.reference, window.ops, window).open()


def agency_template(window: Any) -> None:
    """Case → Agency template…: ask for the agency and where to save, then write the form."""
    from chronology_app.core.tables_import.template import write_template

    if window.reference is None:
        return
    agency, ok = QInputDialog.getText(window, "Agency template", "The form is for (agency):")
    if not ok or not agency.strip():
        return
    name = f"{window.reference} {agency.strip()} contribution.xlsx"
    path, _ = QFileDialog.getSaveFileName(
        window, "Agency template", name, "Excel workbook (*.xlsx);;Word document (*.docx)"
    )
    if not path:
        return
    try:
        write_template(window.service.document(window.reference), agency.strip(), path, force=True)
    except ChronologyError as error:
        show_error(window, error)
