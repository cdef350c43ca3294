"""Models of the import wizard: the file's columns and how each is read, the rows as they will
become entries (problems highlighted, dates and text editable), and the possible duplicates
with the user's decision on each. They read and change the core's `ImportPlan`, never a copy
held in widgets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from chronology_app.core.dates import parse_expression
from chronology_app.core.tables_import.headings import FIELDS
from chronology_app.core.tables_import.plan import Decision, ImportPlan, RowItem
from chronology_app.core.tables_import.rows import as_text
from chronology_app.gui.colours import tones
from chronology_app.gui.models.base import RecordTableModel

Index = QModelIndex | QPersistentModelIndex
EDIT = Qt.ItemDataRole.EditRole
NOT_USED = "(not read)"
DECISION_LABELS: dict[Decision, str] = {
    "separate": "A separate event",
    "same-event": "The same event",
    "leave-out": "Leave this row out",
}


@dataclass
class FileColumn:
    heading: str
    first_values: str
    field: str | None  # one of headings.FIELDS, or None: kept in the detail


class MappingModel(RecordTableModel[FileColumn]):
    """One row per column of the file; the third column (how it is read) is editable."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                ("Column in the file", lambda c: c.heading),
                ("First values", lambda c: c.first_values),
                ("Read as", lambda c: FIELDS[c.field] if c.field else NOT_USED),
            ],
            parent,
        )

    def load(self, plan: ImportPlan) -> None:
        by_column = {index: name for name, index in plan.columns.columns.items()}
        rows = [cells for item in plan.items[:3] for cells in [item]]
        columns = []
        for index, heading in enumerate(plan.columns.headings):
            name = by_column.get(index)
            values = [
                as_text(row.cells.get(name) if name else row.extra.get(heading)) for row in rows
            ]
            shown = " | ".join(" ".join(v.split())[:30] for v in values if v)
            columns.append(FileColumn(heading, shown, name))
        self.set_records(columns)

    def mapping(self) -> dict[str, str]:
        return {c.field: c.heading for c in self._records if c.field and c.heading}

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 2 else base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or index.column() != 2 or not index.isValid():
            return False
        field = value if value in FIELDS else None
        for other in self._records:  # a field is read from one column only
            if field and other.field == field:
                other.field = None
        self._records[index.row()].field = field
        self.dataChanged.emit(self.index(0, 2), self.index(len(self._records) - 1, 2))
        return True


def _date_shown(item: RowItem) -> str:
    if item.entry is None:
        return as_text(item.cells.get("date"))
    return item.entry.get("date_text") or parse_expression(item.entry["date"]).describe()


class PreviewModel(RecordTableModel[RowItem]):
    """The rows as they will become entries; a row with a problem is tinted and says why.
    Date and what happened can be corrected here."""

    EDITABLE: ClassVar[dict[int, str]] = {1: "date", 2: "summary"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                ("Row", lambda i: str(i.row)),
                ("Date", _date_shown),
                ("What happened", lambda i: as_text(i.cells.get("summary"))),
                ("Agency", lambda i: i.entry["source"]["agency"] if i.entry else ""),
                ("Kind", lambda i: i.entry["kind"] if i.entry else ""),
                ("Problem", lambda i: "; ".join(p.reason for p in i.problems)),
            ],
            parent,
        )
        self.plan: ImportPlan | None = None

    def load(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.set_records(plan.items)

    def extra_data(self, record: RowItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and record.problems:
            return QBrush(tones().tints["problem"])
        if role == EDIT and column in self.EDITABLE:
            return as_text(record.cells.get(self.EDITABLE[column]))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in self.EDITABLE else base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or index.column() not in self.EDITABLE or self.plan is None:
            return False
        item = self._records[index.row()]
        self.plan.edit(item, self.EDITABLE[index.column()], str(value).strip() or None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 5))
        return True

    def problem_rows(self) -> int:
        return sum(1 for item in self._records if item.problems)


@dataclass
class Pair:
    item: RowItem
    existing: Mapping[str, Any]  # the entry already in the case
    why: str
    decision: Decision | None = None


def _entry_text(entry: Mapping[str, Any]) -> str:
    date = entry.get("date_text") or (
        parse_expression(entry["date"]).describe() if entry.get("date") else ""
    )
    agency = (entry.get("source") or {}).get("agency", "")
    return f"{date}: {entry.get('summary', '')} ({agency})"


class DuplicatesModel(RecordTableModel[Pair]):
    """Each row that may record an entry already in the case, side by side with it, why they
    matched, and the decision (editable)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                ("Row", lambda p: str(p.item.row)),
                ("From the file", lambda p: _entry_text(p.item.entry or {})),
                ("Already in the case", lambda p: _entry_text(p.existing)),
                ("Decision", lambda p: DECISION_LABELS[p.decision] if p.decision else "Decide…"),
                ("Why", lambda p: p.why),
            ],
            parent,
        )

    def load(self, plan: ImportPlan, entries: Mapping[str, Mapping[str, Any]]) -> None:
        pairs = []
        for item in plan.items:
            if item.entry and item.duplicates:
                best = item.duplicates[0]
                if best.entry in entries:
                    pairs.append(Pair(item, entries[best.entry], best.why))
        self.set_records(pairs)

    def decisions(self) -> dict[int, Decision]:
        return {p.item.row: p.decision for p in self._records if p.decision}

    def undecided(self) -> int:
        return sum(1 for p in self._records if p.decision is None)

    def decide_all(self, decision: Decision) -> None:
        for pair in self._records:
            pair.decision = decision
        if self._records:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._records) - 1, 3))

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 3 else base

    def extra_data(self, record: Pair, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and record.decision is None:
            return QBrush(tones().tints["problem"])
        if role == EDIT and column == 3:
            return record.decision
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or index.column() != 3 or value not in DECISION_LABELS:
            return False
        self._records[index.row()].decision = value
        self.dataChanged.emit(index, index)
        return True
