"""Reading the tables of a Word document (.docx) with python-docx, after checking it.

The document is checked against the caps (`limits`) and its main part parsed once with
defusedxml, which refuses entity declarations, before python-docx opens it. Merged cells come
back from python-docx with the merged cell's text in every grid position it covers, which is
what the importer wants. A macro-enabled document (.docm) is refused: python-docx will not open
it, and we never run macros; saving it as .docx keeps every table.
"""

from __future__ import annotations

import re
from pathlib import Path

from defusedxml import ElementTree as SafeET

from chronology_app.core.tables_import import limits
from chronology_app.core.tables_import.source import Cell, Source, Table, clean, read_marker

_ROW = re.compile(rb"<w:tr[\s>]")
_CELL = re.compile(rb"<w:tc[\s>]")


def read_docx(path: Path) -> Source:
    label = path.name
    with limits.check_zip(path) as archive:
        limits.check_parts(archive, label)
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise limits.refuse(label, "is not a Word document")
        content_types = limits.read_part(archive, "[Content_Types].xml", label)
        if b"macroEnabled" in content_types:
            raise limits.refuse(
                label,
                "is a macro-enabled Word document (.docm). Macros are never run here: open it, "
                "save it as a Word Document (.docx) and import that",
            )
        main = limits.read_part(archive, "word/document.xml", label)
        limits.check_table_size(
            label, "its tables", len(_ROW.findall(main)), len(_CELL.findall(main))
        )
        try:
            SafeET.fromstring(main)
        except SafeET.ParseError:
            raise limits.refuse(label, "is damaged (its text cannot be read)") from None

    import docx

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx and lxml raise many types for damaged files
        raise limits.refuse(label, limits.damaged(err)) from None
    tables = []
    for number, table in enumerate(document.tables, start=1):
        rows: list[tuple[int, list[Cell]]] = [
            (index, [clean(cell.text) for cell in row.cells])
            for index, row in enumerate(table.rows, start=1)
        ]
        tables.append(Table("table", str(number), _rows=rows))
    return Source(label, tables, read_marker(document.core_properties.keywords or ""))
