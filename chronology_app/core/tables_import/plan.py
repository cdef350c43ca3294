"""An import prepared but not yet written: rows, problems, possible duplicates, person links.

`prepare` reads a file, picks its table, maps its columns and turns every row into an entry or
into problems; it compares the entries with the case's and finds the persons they name. The
front ends show the plan; the GUI lets the user edit a cell (`ImportPlan.edit`), and both let
the user decide each possible duplicate. `ImportPlan.accepted` then gives the entries to write
with `Service.import_entries`, in one step.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chronology_app.core.bulk import collector_paused
from chronology_app.core.errors import ChronologyError
from chronology_app.core.tables_import import headings, rows
from chronology_app.core.tables_import.duplicates import DuplicateFinder, PossibleDuplicate
from chronology_app.core.tables_import.reader import open_source
from chronology_app.core.tables_import.source import Cell, Source, Table

Decision = Literal["separate", "same-event", "leave-out"]
DECISIONS: tuple[Decision, ...] = ("separate", "same-event", "leave-out")


class NoTable(ChronologyError):
    """No table of the file could be used (none looks like a chronology, or the one asked for
    is not there)."""


@dataclass
class RowItem:
    """One row of the table: its cells by field, and what became of it."""

    row: int
    cells: dict[str, Cell]
    extra: dict[str, Cell]
    entry: dict[str, Any] | None = None
    problems: list[rows.Problem] = field(default_factory=list)
    links: list[rows.PersonLink] = field(default_factory=list)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)


@dataclass
class ImportPlan:
    file: str
    table: Table
    columns: headings.ColumnMap
    agency: str
    items: list[RowItem]
    warnings: list[str]
    _finder: DuplicateFinder = field(repr=False)
    _persons: rows.PersonFinder = field(repr=False)
    _ids: set[str] = field(repr=False)

    @property
    def problems(self) -> list[rows.Problem]:
        return [problem for item in self.items for problem in item.problems]

    @property
    def possible_duplicates(self) -> list[PossibleDuplicate]:
        return [pair for item in self.items if item.entry for pair in item.duplicates]

    @property
    def person_links(self) -> list[rows.PersonLink]:
        return [link for item in self.items if item.entry for link in item.links]

    def mapping(self) -> dict[str, str]:
        """The mapping in use, as `--columns` takes it (to save for the next file)."""
        return {name: self.columns.heading(name) for name in self.columns.columns}

    def edit(self, item: RowItem, name: str, value: Cell) -> None:
        """Change one mapped cell of a row (the preview's edit) and read the row again."""
        item.cells[name] = value
        self._convert(item)

    def _convert(self, item: RowItem) -> None:
        item.entry, item.problems, item.links, item.duplicates = None, [], [], []
        table = self.table
        origin: dict[str, Any] = {"file": self.file}
        if table.unit == "sheet":
            origin["sheet"] = table.name
        elif table.unit == "table":
            origin["table"] = int(table.name)
        origin["row"] = item.row
        try:
            entry = rows.build_entry(item.cells, item.extra, self.agency, origin)
        except rows.CellProblem as problem:
            heading = (
                self.columns.heading(problem.field)
                if problem.field in self.columns.columns
                else None
            )
            item.problems.append(
                rows.Problem(self.file, table.unit, table.name, item.row, heading, problem.reason)
            )
            return
        entry = {"id": self._new_id(), **entry}
        item.entry = entry
        texts = {
            self.columns.heading(name): rows.as_text(item.cells.get(name))
            for name in ("summary", "detail", "people")
            if item.cells.get(name) is not None
        }
        item.links = self._persons.links(item.row, texts)
        people = [link.person for link in item.links]
        item.duplicates = self._finder.find(item.row, entry, people)

    def _new_id(self) -> str:
        while True:
            candidate = f"e-{secrets.token_hex(4)}"
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def accepted(
        self,
        decisions: Mapping[int, Decision] | None = None,
        *,
        leave_out_bad_rows: bool = False,
        links: Mapping[int, list[dict[str, str]]] | None = None,
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """(the entries to write, the rows left out). `decisions` maps a row with possible
        duplicates to what to do with it; `same-event` points the new entry at the closest
        match. Raises `Undecided` while a problem or a possible duplicate has no answer."""
        decisions = decisions or {}
        if self.problems and not leave_out_bad_rows:
            raise Undecided(f"{len(self.problems)} problems remain")
        undecided = [
            item.row
            for item in self.items
            if item.entry and item.duplicates and item.row not in decisions
        ]
        if undecided:
            raise Undecided(f"{len(undecided)} rows may duplicate entries already in the case")
        entries, left_out = [], []
        for item in self.items:
            decision = decisions.get(item.row, "separate")
            if item.entry is None or decision == "leave-out":
                left_out.append(item.row)
                continue
            entry = dict(item.entry)
            if decision == "same-event" and item.duplicates:
                entry["same_event_as"] = item.duplicates[0].entry
            if links and links.get(item.row):
                entry["persons"] = list(links[item.row])
            entries.append(entry)
        return entries, left_out


class Undecided(ChronologyError):
    """Problems or possible duplicates remain that the user has not decided on."""


def action_name(agency: str, count: int) -> str:
    noun = "entry" if count == 1 else "entries"
    return f"Import {agency} contribution, {count:,} {noun}"


def choose_table(
    source: Source,
    sheet: str | None,
    table: int | None,
    columns: Mapping[str, str] | None = None,
) -> Table:
    if sheet is not None:
        for candidate in source.tables:
            if candidate.unit == "sheet" and candidate.name.casefold() == sheet.casefold():
                return candidate
        names = ", ".join(t.name for t in source.tables if t.unit == "sheet") or "none"
        raise NoTable(f'{source.name} has no sheet "{sheet}" (its sheets: {names}).')
    if table is not None:
        tables = [t for t in source.tables if t.unit == "table"]
        if not 1 <= table <= len(tables):
            raise NoTable(f"{source.name} has {len(tables)} tables; there is no table {table}.")
        return tables[table - 1]
    for candidate in source.tables:
        if not candidate.hidden and headings.find_columns(candidate.rows, columns):
            return candidate
    raise NoTable(
        f"No table in {source.name} looks like a chronology (a row of headings with a date and "
        "what happened). Say which columns hold what, e.g. --columns "
        '"date=When,summary=What happened".'
    )


def prepare(
    path: str | Path,
    case: Mapping[str, Any],
    agency: str,
    *,
    sheet: str | None = None,
    table: int | None = None,
    columns: Mapping[str, str] | None = None,
    exact: bool = False,
) -> ImportPlan:
    """Read `path` and prepare its rows for the case (a case-file document). `columns` maps
    fields to the file's headings by hand; with `exact`, nothing else is recognised."""
    with collector_paused():
        return _prepare(path, case, agency, sheet, table, columns, exact)


def _prepare(
    path: str | Path,
    case: Mapping[str, Any],
    agency: str,
    sheet: str | None,
    table: int | None,
    columns: Mapping[str, str] | None,
    exact: bool,
) -> ImportPlan:
    source = open_source(path)
    chosen = choose_table(source, sheet, table, columns)
    column_map = headings.find_columns(chosen.rows, columns, exact=exact)
    if column_map is None:
        where = f" in {chosen.label}" if chosen.label else ""
        wanted = ", ".join(f'"{h}"' for h in (columns or {}).values())
        raise NoTable(
            f"{source.name}: no row of headings{where} gives a date and what happened"
            + (f" with the headings {wanted}" if wanted else "")
            + '. Say which columns hold what, e.g. --columns "date=When,summary=What happened".'
        )
    warnings = []
    if source.marker and source.marker.get("case") not in (None, case["case"]["reference"]):
        warnings.append(
            f"{source.name} is the contribution form for case {source.marker['case']}, "
            f"not {case['case']['reference']}."
        )
    existing = case["entries"]
    plan = ImportPlan(
        source.name,
        chosen,
        column_map,
        agency,
        [],
        warnings,
        DuplicateFinder(existing, {p["id"]: p["name"] for p in case["persons"]}),
        rows.PersonFinder(list(case["persons"])),
        {entry["id"] for entry in existing},
    )
    plan.items = _items(chosen, column_map)
    for item in plan.items:
        plan._convert(item)
    return plan


def _items(table: Table, columns: headings.ColumnMap) -> list[RowItem]:
    header = columns.header_index
    header_key = [headings.normalise(h) for h in columns.headings]
    header_first = columns.headings[0].strip().lower() if columns.headings else ""
    extra_columns = columns.unmapped()
    items = []
    for index, (number, cells) in enumerate(table.rows[header + 1 :], start=header + 1):
        if all(cell is None for cell in cells):
            continue
        if (
            isinstance(cells[0], str)
            and cells[0].strip().lower() == header_first
            and headings.normalise(cells[0]) == header_key[0]
            and [headings.normalise(c) for c in cells[: len(header_key)]] == header_key
        ):
            continue  # the headings repeated (a table continued on another page)
        row = index - header + 1 if table.unit == "table" else number
        padded = list(cells) + [None] * (len(columns.headings) - len(cells))
        mapped = {name: padded[col] for name, col in columns.columns.items()}
        extra = {
            columns.headings[col]: padded[col] for col in extra_columns if padded[col] is not None
        }
        items.append(RowItem(row, mapped, extra))
    return items
