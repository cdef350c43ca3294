"""What every reader gives back: the tables of a file, each a grid of cell values.

A file holds one or more tables (the sheets of a workbook, the tables of a Word document, the
one table of a CSV file). Rows keep the number the user sees in their program (the spreadsheet
row, the CSV line, the Word table row), so every problem can say where it is.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

MARKER_PREFIX = "chronology-agency-template"
Cell = str | int | float | bool | datetime.date | datetime.datetime | datetime.time | None
Unit = Literal["sheet", "table", "csv"]


@dataclass
class Table:
    """One table of a file. `rows` are read on first use (a workbook's other sheets never are)."""

    unit: Unit
    name: str  # the sheet's name; "1", "2" for Word tables; "" for CSV
    hidden: bool = False
    loader: Callable[[], list[tuple[int, list[Cell]]]] | None = None
    _rows: list[tuple[int, list[Cell]]] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[tuple[int, list[Cell]]]:
        """(the row's number as the user sees it, its cells), blank rows included."""
        if self._rows is None:
            assert self.loader is not None
            self._rows = self.loader()
        return self._rows

    @property
    def label(self) -> str:
        """How a problem names the table: "sheet Chronology", "table 2" or nothing (CSV)."""
        if self.unit == "sheet":
            return f"sheet {self.name}"
        if self.unit == "table":
            return f"table {self.name}"
        return ""


@dataclass
class Source:
    """A file opened for import: its display name and its tables."""

    name: str
    tables: list[Table]
    marker: dict[str, str] | None = None  # set on our own agency templates


def clean(value: object) -> Cell:
    """A reader library's cell value as the importer handles it: empty text is None, whole
    numbers stored as floats are ints, text keeps its line breaks but not outer spaces."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, bool | int | datetime.date | datetime.time):
        return value
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value)


def fill_merged(
    grid: list[list[Cell]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Give every cell of a merged range the value of its top-left cell (a source written once
    for three rows belongs to all three)."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                row[c] = value


def read_marker(keywords: str) -> dict[str, str] | None:
    """Our agency templates carry `chronology-agency-template; case=REF; agency=NAME` in the
    document's keywords, so reading one back needs no column mapping."""
    if not keywords.startswith(MARKER_PREFIX):
        return None
    found = {}
    for part in keywords.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key:
            found[key] = value
    return found


def marker_text(case: str, agency: str) -> str:
    return f"{MARKER_PREFIX}; case={case.replace(';', ',')}; agency={agency.replace(';', ',')}"
