"""The cases list and the names it searches, read in the background a moment after a change
(once the change is on screen). The names and aliases of the case on screen come from its
records when it changed; other cases' are read (every case's at first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from chronology_app.core.records import CaseData
from chronology_app.core.service import CaseSummary, Service
from chronology_app.gui.operations import Operations
from chronology_app.gui.widgets.case_list import CaseListPanel

REFRESH_AFTER_MS = 200


class CaseIndex(QObject):
    def __init__(
        self,
        service: Service,
        ops: Operations,
        panel: CaseListPanel,
        on_screen: Callable[[], str | None],
    ) -> None:
        super().__init__(panel)
        self.service = service
        self.ops = ops
        self.panel = panel
        self.on_screen = on_screen
        self.names: dict[str, list[str]] = {}  # per case: names and aliases, for search
        self._wanted: set[str] | None = None  # whose names to read; None: every case's
        self._soon = ops.soon(REFRESH_AFTER_MS, self._read)

    def refresh(self, changed: str | None = None, case: CaseData | None = None) -> None:
        if case is not None and changed is not None:
            self.names[changed] = [n for p in case.persons for n in (p.name, *p.aliases)]
        elif not self.names:
            self._wanted = None
        elif changed and self._wanted is not None:
            self._wanted.add(changed)
        self._soon.start()

    def _read(self) -> None:
        wanted, self._wanted = self._wanted, set()
        service = self.service

        def read() -> tuple[list[CaseSummary], dict[str, list[str]]]:
            cases = service.cases()
            refresh = [c.reference for c in cases if wanted is None or c.reference in wanted]
            names = {
                reference: [
                    name
                    for person in service.case_data(reference).persons
                    for name in (person.name, *person.aliases)
                ]
                for reference in refresh
            }
            return cases, names

        self.ops.in_background("Reading the cases", read, self._show, show_progress=False)

    def _show(self, found: tuple[list[Any], dict[str, list[str]]]) -> None:
        cases, names = found
        self.names = {c.reference: self.names.get(c.reference, []) for c in cases}
        self.names.update(names)
        for summary in cases:
            if not self.names[summary.reference]:
                self.names[summary.reference] = [summary.title]
        self.panel.model.set_cases(cases, self.names)
        reference = self.on_screen()
        if reference is not None:
            self.panel.select(reference)
