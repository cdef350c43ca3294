"""Reading a workspace: its cases, a case as a document, an entry's history, withdrawn entries."""

from __future__ import annotations

from typing import Any

from chronology_app.core import audit
from chronology_app.core.changes import CaseSummary
from chronology_app.core.errors import NotFound
from chronology_app.core.service.base import ServiceBase
from chronology_app.core.store import repository as repo


class Reading(ServiceBase):
    """Reading a workspace (no change made)."""

    def cases(self) -> list[CaseSummary]:
        with self.workspace.reading() as session:
            entries = repo.live_entry_counts(session)
            persons = repo.person_counts(session)
            return [
                CaseSummary(
                    reference=row.reference,
                    title=row.title,
                    status=row.status,
                    local_authority=row.doc.get("local_authority"),
                    entries=entries.get(repo.pk(row), 0),
                    persons=persons.get(repo.pk(row), 0),
                    updated_at=row.updated_at,
                )
                for row in repo.case_rows(session)
            ]

    def document(self, reference: str) -> dict[str, Any]:
        """The case as a case-file document (what export writes)."""
        with self.workspace.reading() as session:
            return repo.export_document(session, repo.case_row(session, reference))

    def history(self, reference: str, entry_id: str) -> list[audit.HistoryItem]:
        """Who changed an entry, when, why and what, oldest first (kept after the case is
        removed: the trail outlives it)."""
        with self.workspace.reading() as session:
            items = audit.entry_history(session, reference, entry_id)
            number = entry_id.upper().removeprefix("E")
            if not items and number.isascii() and number.isdigit() and len(number) < 10:
                # the entry's number as the app shows it, such as E0042
                key = repo.entry_key_by_number(session, reference, int(number))
                items = audit.entry_history(session, reference, key) if key else []
        if not items:
            raise NotFound(f'No entry "{entry_id}" has ever been in case "{reference}".')
        return items

    def withdrawn_entries(self, reference: str) -> list[dict[str, Any]]:
        """The case's withdrawn entries, each {"doc", "number", "withdrawn": {reason, by, at}}
        (they are kept, out of the chronology, with the reason)."""
        with self.workspace.reading() as session:
            case = repo.case_row(session, reference)
            return repo.withdrawn_entries(session, repo.pk(case))
