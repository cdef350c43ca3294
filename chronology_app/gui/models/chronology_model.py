"""The chronology table: one row per entry, over read-only records, with a fast filter.

The source model holds the case's `EntryRecord`s in chronological order and, per row, the few
things a filter asks about (a lower-case text blob, persons, tags). The proxy applies the
filters the user sets; one keystroke in the search box re-filters a 5,000-entry case well within
a tenth of a second because nothing is recomputed but the match.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from chronology_app.core.case_patch import Patched
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.records import CaseData, EntryRecord
from chronology_app.core.wording import age_from_day, entry_date
from chronology_app.gui.colours import tones

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "No.",
    "Date",
    "Source",
    "Kind",
    "What happened",
    "Impact on the child",
    "Action",
    "Flags",
    "Child's age",
)
NUMBER, DATE, SOURCE, KIND, SUMMARY, IMPACT, ACTION, FLAGS, AGE = range(len(COLUMNS))
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


# How an entry's date and a child's age read: the one wording (core/wording.py).
shown_date = entry_date
age_at = age_from_day


@dataclass
class Filters:
    """What the user has asked to see; empty values mean "any"."""

    text: str = ""
    person: str | None = None
    kind: str | None = None
    agency: str | None = None
    tag: str | None = None
    significance: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    hide_restricted: bool = False

    def active(self) -> bool:
        return self != Filters()


@dataclass
class _Row:
    entry: EntryRecord
    blob: str
    persons: frozenset[str]
    values: list[str] = field(default_factory=list)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of consecutive rows (first, last)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class ChronologyModel(QAbstractTableModel):
    """Rows are the case's entries in chronological order. What a row shows and what a filter
    searches are worked out when first asked for (a 5,000-entry case opens without building
    5,000 rows of text) and kept until the entry, or a person it names, changes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[EntryRecord] = []
        self._cache: dict[str, _Row] = {}
        self._row_of: dict[str, int] = {}
        self._flagged: set[str] = set()
        self._child_birth: dt.date | None = None
        self._age_of = ""
        self.case: CaseData | None = None

    # --- loading -------------------------------------------------------------------------

    def set_case(self, case: CaseData | None, flagged: set[str] | None = None) -> None:
        self.beginResetModel()
        self.case = case
        self._flagged = set(flagged or ())
        self._entries = [] if case is None else list(case.entries)
        self._cache = {}
        self._row_of = {entry.id: index for index, entry in enumerate(self._entries)}
        self._choose_age_child()
        self.endResetModel()

    def _choose_age_child(self) -> None:
        case = self.case
        children = [] if case is None else [p for p in case.persons if p.is_child]
        # The eldest child with an exact date of birth (an uncertain one gives no age to the
        # month); the heading says whose age it is.
        dated = sorted(
            (c for c in children if c.date_of_birth is not None and c.date_of_birth.is_exact),
            key=lambda c: c.date_of_birth.earliest if c.date_of_birth else dt.date.max,
        )
        eldest = dated[0] if dated else None
        born = eldest.date_of_birth if eldest else None
        self._child_birth = born.earliest if born else None
        self._age_of = eldest.name.split()[0] if eldest else ""

    def apply(self, patched: Patched) -> None:
        """Show the case after one change: removed rows go, changed rows are redrawn (moved
        if their date moved them), new rows come in at their place, and the rows naming a
        changed person are redrawn. Selection and filters stay."""
        case = patched.case
        if self.case is None:
            self.set_case(case, self._flagged)
            return
        if patched.many:  # an import: one reset, not thousands of inserts (rows kept cached)
            stale = patched.entries | patched.removed | patched.naming
            kept = {key: row for key, row in self._cache.items() if key not in stale}
            self.set_case(case, self._flagged)
            if not patched.persons:
                self._cache = kept
            return
        self.case = case
        for entry_id in patched.removed:
            row = self._row_of.get(entry_id)
            if row is None:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[row]
            self._cache.pop(entry_id, None)
            self._reindex(row)
            self.endRemoveRows()
        for entry_id in sorted(patched.entries):
            self._place(case.entry_by_id[entry_id])
        for entry_id in patched.naming:
            self._cache.pop(entry_id, None)
            row = self._row_of.get(entry_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        if patched.persons:
            before = (self._child_birth, self._age_of)
            self._choose_age_child()
            if before != (self._child_birth, self._age_of) and self._entries:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, AGE, AGE)
                self.dataChanged.emit(self.index(0, AGE), self.index(len(self._entries) - 1, AGE))

    def _place(self, entry: EntryRecord) -> None:
        self._cache.pop(entry.id, None)
        old = self._row_of.get(entry.id)
        new = bisect.bisect_left(_Keys(self._entries, old), entry.sort_key)
        last = len(COLUMNS) - 1
        if old is None:
            self.beginInsertRows(QModelIndex(), new, new)
            self._entries.insert(new, entry)
            self._reindex(new)
            self.endInsertRows()
        elif old == new:
            self._entries[new] = entry
            self._cache.pop(entry.id, None)
            self.dataChanged.emit(self.index(new, 0), self.index(new, last))
        else:
            # Qt's move: the row goes before `destination`, counted before the move.
            destination = new if new < old else new + 1
            self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), destination)
            del self._entries[old]
            self._entries.insert(new, entry)
            # Again: whatever listens to the move (a sorting proxy, a tester) may have read
            # the row while it still held the entry as it was, and cached that.
            self._cache.pop(entry.id, None)
            self._reindex(min(old, new))
            self.endMoveRows()
            self.dataChanged.emit(self.index(new, 0), self.index(new, last))

    def _reindex(self, start: int) -> None:
        row_of = self._row_of
        for entry_id in [e for e, row in row_of.items() if row >= start]:
            del row_of[entry_id]
        for row in range(start, len(self._entries)):
            row_of[self._entries[row].id] = row

    def set_flagged(self, flagged: set[str]) -> None:
        """Mark these entries as flagged: only the rows that gain or lose the mark are
        announced (a sorting, filtering proxy looks again at every row it is told of)."""
        before, self._flagged = self._flagged, set(flagged)
        rows = sorted(r for e in before ^ self._flagged if (r := self._row_of.get(e)) is not None)
        last = len(COLUMNS) - 1
        for first, end in _runs(rows):  # the whole row: its background says "flagged" too
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def set_age_child(self, person_id: str | None) -> None:
        """Whose age the age column shows (default: the eldest child with a date of birth)."""
        if self.case is None:
            return
        person = self.case.person_by_id.get(person_id or "")
        if person is not None and person.date_of_birth is not None:
            self._child_birth = person.date_of_birth.earliest
            self._age_of = person.name.split()[0]
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, AGE, AGE)
        if self._entries:
            self.dataChanged.emit(self.index(0, AGE), self.index(len(self._entries) - 1, AGE))

    def _row_at(self, row: int) -> _Row:
        entry = self._entries[row]
        cached = self._cache.get(entry.id)
        if cached is None:
            assert self.case is not None
            cached = self._cache[entry.id] = self._row(self.case, entry)
        return cached

    @staticmethod
    def _row(case: CaseData, entry: EntryRecord) -> _Row:
        names = [
            name
            for p in entry.persons
            if p.person in case.person_by_id
            for name in (case.person_by_id[p.person].name, *case.person_by_id[p.person].aliases)
        ]
        values = [
            entry.ref,
            shown_date(entry),
            entry.source_agency,
            ENTRY_KINDS.get(entry.kind, entry.kind),
            entry.summary,
            entry.impact or "",
            entry.action or "",
        ]
        extra = [entry.date.expression, entry.detail or "", *names, *entry.tags]
        blob = " ".join([*values, *extra]).casefold()
        return _Row(entry, blob, frozenset(p.person for p in entry.persons), values)

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == AGE and self._age_of:
                return f"Age of {self._age_of}"
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        row = self._row_at(index.row())
        entry, column = row.entry, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ENTRY_ID_ROLE:
            return entry.id
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry)
        if role == Qt.ItemDataRole.BackgroundRole:
            if entry.restricted:
                return QBrush(tones().tints["restricted"])
            if entry.id in self._flagged:
                return QBrush(tones().tints["flagged_row"])
        if role == Qt.ItemDataRole.FontRole and column == NUMBER and entry.restricted:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _display(self, row: _Row, column: int) -> str:
        entry = row.entry
        if column < len(row.values):
            value = row.values[column]
            if column == NUMBER and entry.restricted:
                return f"{value} (restricted)"
            return value
        if column == FLAGS:
            return "Flagged" if entry.id in self._flagged else ""
        if column == AGE and self._child_birth is not None:
            return (
                age_at(self._child_birth, entry.date.earliest)
                if entry.date.earliest != dt.date.min
                else ""
            )
        return ""

    def _sort_value(self, row: _Row, column: int) -> Any:
        if column in (NUMBER, DATE, AGE):
            return self._row_of[row.entry.id]  # chronological
        return self._display(row, column).casefold()

    @staticmethod
    def _tooltip(entry: EntryRecord) -> str:
        parts = [entry.summary]
        if entry.detail:
            parts.append(entry.detail)
        if entry.restricted:
            parts.append(f"Restricted: {entry.restricted_reason or ''}")
        return "\n\n".join(parts)

    # --- lookups -------------------------------------------------------------------------

    def entry(self, row: int) -> EntryRecord:
        return self._entries[row]

    def row_of(self, entry_id: str) -> int | None:
        return self._row_of.get(entry_id)

    def matches(self, row: int, filters: Filters, words: list[str]) -> bool:
        item = self._row_at(row)
        entry = item.entry
        if filters.hide_restricted and entry.restricted:
            return False
        if filters.kind and entry.kind != filters.kind:
            return False
        if filters.person and filters.person not in item.persons:
            return False
        if filters.agency and entry.source_agency != filters.agency:
            return False
        if filters.tag and filters.tag not in entry.tags:
            return False
        if filters.significance and entry.significance != filters.significance:
            return False
        if filters.date_from and entry.date.latest < filters.date_from:
            return False
        if filters.date_to and entry.date.earliest > filters.date_to:
            return False
        return all(word in item.blob for word in words)


class _Keys(Sequence[tuple[Any, ...]]):
    """The entries' sort keys, less the row at `skip`, as a sequence for bisection (no list
    of 5,000 keys built for one edit)."""

    def __init__(self, entries: list[EntryRecord], skip: int | None) -> None:
        self._entries = entries
        self._skip = len(entries) if skip is None else skip
        self._length = len(entries) - (skip is not None)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        return self._entries[index + (index >= self._skip)].sort_key


class ChronologyFilter(QSortFilterProxyModel):
    """Applies `Filters` to the chronology; sorting uses SORT_ROLE (chronological by default)."""

    def __init__(self, source: ChronologyModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self._source = source
        self._filters = Filters()
        self._active = False
        self._words: list[str] = []

    @property
    def filters(self) -> Filters:
        return self._filters

    def set_filters(self, filters: Filters) -> None:
        self.beginFilterChange()
        self._filters = filters
        self._active = filters.active()
        self._words = filters.text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._active:
            return True
        return self._source.matches(source_row, self._filters, self._words)
