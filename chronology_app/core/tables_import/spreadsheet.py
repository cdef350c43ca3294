"""Reading workbooks (.xlsx, .xlsm, .ods) with python-calamine, after checking them.

Why calamine and not openpyxl for reading: calamine reads .xlsx and .ods alike, many times
faster, and gives merged ranges for .xlsx; openpyxl's fast read-only mode has no merged ranges
and it cannot read .ods. openpyxl is used only to write agency templates. Merged ranges of .ods
files are taken from the scan below (calamine does not report them).

Before calamine sees a byte of data, each sheet is scanned as text (an .xlsx sheet by a
regular expression over its XML; .ods content by defusedxml's streaming parser, which refuses
entity declarations) to count its rows and cells against the caps in `limits`. Macros in an
.xlsm are never run: only cell values are read.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

from chronology_app.core.tables_import import limits
from chronology_app.core.tables_import.source import (
    Cell,
    Source,
    Table,
    clean,
    fill_merged,
    read_marker,
)

# Rows and cells, each as (rows, row numbers, cells, cell references). Elements may carry a
# namespace prefix (<x:row>); a sheet with none is scanned with patterns that begin with a
# literal "<row" or "<c", which the regular expression engine finds several times faster.
_PREFIX = rb"<(?:[A-Za-z]\w*:)?"
_PREFIXED, _PLAIN = (
    (
        re.compile(prefix + rb"row[\s>/]"),
        re.compile(prefix + rb"row\b[^>]*?\sr=\"([0-9]{1,9})\""),
        re.compile(prefix + rb"c[\s>/]"),
        re.compile(prefix + rb"c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,9})\""),
    )
    for prefix in (_PREFIX, b"<")
)
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
Spans = list[tuple[tuple[int, int], tuple[int, int]]]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _xlsx_sheet_parts(archive: zipfile.ZipFile, label: str) -> dict[str, str]:
    """Sheet name -> the zip part holding it, from the workbook and its relationships."""
    try:
        workbook = SafeET.fromstring(limits.read_part(archive, "xl/workbook.xml", label))
        rels = SafeET.fromstring(limits.read_part(archive, "xl/_rels/workbook.xml.rels", label))
    except KeyError:
        raise limits.refuse(label, "is not an Excel workbook (it has no sheets)") from None
    except SafeET.ParseError:
        raise limits.refuse(label, "is damaged (its list of sheets cannot be read)") from None
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL}}}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_OFFICE_REL}}}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            parts[sheet.get("name", "")] = posixpath.normpath(part)
    return parts


def scan_xlsx_sheet(data: bytes) -> tuple[int, int]:
    """(rows, cells) a sheet's XML declares, however its cells are numbered."""
    prefixed = b":c" in data or b":row" in data  # might any element carry a prefix?
    row, row_ref, cell, cell_ref = _PREFIXED if prefixed else _PLAIN
    refs = cell_ref.findall(data)
    max_col = max(map(_column_number, {letters for letters, _ in refs}), default=0)
    numbers = {number for _, number in refs}.union(row_ref.findall(data))
    max_row = max(map(int, numbers), default=0)
    rows = max(max_row, len(row.findall(data)))
    cells = max(max_row * max_col, len(cell.findall(data)))
    return rows, cells


def read_xlsx(path: Path) -> Source:
    label = path.name
    with limits.check_zip(path) as archive:
        limits.check_parts(archive, label)
        for sheet, part in _xlsx_sheet_parts(archive, label).items():
            if part in archive.namelist():
                rows, cells = scan_xlsx_sheet(limits.read_part(archive, part, label))
                limits.check_table_size(label, f"sheet {sheet}", rows, cells)
        marker = _core_keywords(archive, label)
    source = _calamine_source(path, {})
    source.marker = marker
    return source


def _core_keywords(archive: zipfile.ZipFile, label: str) -> dict[str, str] | None:
    if "docProps/core.xml" not in archive.namelist():
        return None
    try:
        core = SafeET.fromstring(limits.read_part(archive, "docProps/core.xml", label))
    except SafeET.ParseError:
        return None
    for element in core.iter():
        if element.tag.endswith("}keywords") and element.text:
            return read_marker(element.text)
    return None


def _calamine_source(path: Path, ods_spans: dict[str, Spans]) -> Source:
    from python_calamine import CalamineWorkbook

    label = path.name
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = list(workbook.sheets_metadata)
    except Exception as err:  # calamine raises its own error types for damaged files
        raise limits.refuse(label, limits.damaged(err)) from None

    def loader(name: str) -> list[tuple[int, list[Cell]]]:
        try:
            sheet = workbook.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or ods_spans.get(name) or []
            top = sheet.start[0] if sheet.start else 0
        except Exception as err:
            raise limits.refuse(
                label, f"is damaged: sheet {name} cannot be read ({type(err).__name__})"
            ) from None
        grid = [[clean(value) for value in row] for row in values]
        fill_merged(grid, [((r0 - top, c0), (r1 - top, c1)) for (r0, c0), (r1, c1) in merged])
        return [(top + index + 1, row) for index, row in enumerate(grid)]

    tables = []
    for meta in metadata:
        if "WorkSheet" not in str(meta.typ):
            continue  # chart sheets hold no cells
        tables.append(
            Table(
                "sheet",
                meta.name,
                hidden="Visible" not in str(meta.visible),
                loader=functools.partial(loader, meta.name),
            )
        )
    return Source(label, tables)


def read_ods(path: Path) -> Source:
    label = path.name
    with limits.check_zip(path) as archive:
        limits.check_parts(archive, label)
        _refuse_encrypted_ods(archive, label)
        try:
            spans = _scan_ods(archive, label)
        except SafeET.ParseError:
            raise limits.refuse(label, "is damaged (its content cannot be read)") from None
    return _calamine_source(path, spans)


def _refuse_encrypted_ods(archive: zipfile.ZipFile, label: str) -> None:
    try:
        manifest = limits.read_part(archive, "META-INF/manifest.xml", label)
    except limits.UnreadableFile:
        raise
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise limits.refuse(label, "is protected with a password (encrypted)")


def _scan_ods(archive: zipfile.ZipFile, label: str) -> dict[str, Spans]:
    """Count each table's rows and cells (repeats included, trailing empty ones not, as
    calamine reads them) and note its merged cells."""
    try:
        handle = archive.open("content.xml")
    except KeyError:
        raise limits.refuse(label, "is not an OpenDocument spreadsheet") from None
    spans: dict[str, Spans] = {}
    name, row_index, used_rows, used_cells = "", 0, 0, 0
    with handle:
        for event, element in SafeET.iterparse(handle, events=("start", "end")):
            tag = element.tag
            if event == "start" and tag == f"{{{_TABLE}}}table":
                name = element.get(f"{{{_TABLE}}}name", "")
                row_index, used_rows, used_cells = 0, 0, 0
                spans[name] = []
            elif event == "end" and tag == f"{{{_TABLE}}}table-row":
                repeat = int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1") or 1)
                width = _ods_row(element, row_index, spans[name])
                if width:
                    used_rows = row_index + repeat
                    used_cells += width * repeat
                    limits.check_table_size(label, f"sheet {name}", used_rows, used_cells)
                row_index += repeat
                element.clear()
    return spans


def _ods_row(row: object, row_index: int, spans: Spans) -> int:
    """The width up to the row's last cell with content; merged cells are noted in `spans`."""
    column = width = 0
    for cell in list(row):  # type: ignore[call-overload]
        repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1") or 1)
        has_content = cell.get(f"{{{_OFFICE}}}value-type") is not None or len(cell) > 0
        if has_content:
            width = column + repeat
        down = int(cell.get(f"{{{_TABLE}}}number-rows-spanned", "1") or 1)
        across = int(cell.get(f"{{{_TABLE}}}number-columns-spanned", "1") or 1)
        if down > 1 or across > 1:
            spans.append(((row_index, column), (row_index + down - 1, column + across - 1)))
        column += repeat
        if column > limits.MAX_CELLS:
            break
    return width
