"""The case list: every case in the workspace, searchable by name, alias or reference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel

from chronology_app.core.service import CaseSummary
from chronology_app.gui.models.base import Index, RecordTableModel

CASE_COLUMNS = (
    ("Reference", lambda c: c.reference),
    ("Family", lambda c: c.title),
    ("Authority", lambda c: c.local_authority or ""),
    ("Status", lambda c: c.status),
    ("Entries", lambda c: str(c.entries)),
    ("Last change", lambda c: c.updated_at.strftime("%d %b %Y %H:%M")),
)


class CaseListModel(RecordTableModel[CaseSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(CASE_COLUMNS, parent)
        self._names: dict[str, str] = {}

    def set_cases(self, cases: list[CaseSummary], names: Mapping[str, list[str]]) -> None:
        """`names`: per case reference, the names and aliases of its persons (for search)."""
        self._names = {ref: " ".join(found).casefold() for ref, found in names.items()}
        self.set_records(cases)

    def search_text(self, row: int) -> str:
        case = self.record(row)
        return f"{case.reference} {case.title} {self._names.get(case.reference, '')}".casefold()


class CaseListFilter(QSortFilterProxyModel):
    """Filters by a search text (reference, family name, any person's name or alias) and by
    status (open, closed or both)."""

    def __init__(self, source: CaseListModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._source = source
        self._words: list[str] = []
        self._status: str | None = "open"

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._status and self._source.record(source_row).status != self._status:
            return False
        text = self._source.search_text(source_row)
        return all(word in text for word in self._words)
