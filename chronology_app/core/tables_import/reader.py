"""Opening a file for import: the right reader by its kind, after the checks every file gets."""

from __future__ import annotations

from pathlib import Path

from chronology_app.core.tables_import import limits
from chronology_app.core.tables_import.source import Source

SUFFIXES = (".xlsx", ".xlsm", ".ods", ".docx", ".docm", ".csv", ".txt")


def open_source(path: str | Path) -> Source:
    """The tables of a file. Raises `UnreadableFile` with a message naming the file and saying
    what to do; nothing is read beyond the caps in `limits`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".doc"):
        raise limits.refuse(
            path.name,
            "is in the old Office 97-2003 format. Open it and save it as .xlsx or .docx, then "
            "import that",
        )
    if suffix not in SUFFIXES:
        raise limits.refuse(
            path.name,
            "is not a kind of file that can be imported: use an Excel workbook (.xlsx), an "
            "OpenDocument spreadsheet (.ods), a Word document (.docx) or a CSV file (.csv)",
        )
    limits.check_file(path)
    if suffix in (".xlsx", ".xlsm"):
        from chronology_app.core.tables_import.spreadsheet import read_xlsx

        return read_xlsx(path)
    if suffix == ".ods":
        from chronology_app.core.tables_import.spreadsheet import read_ods

        return read_ods(path)
    if suffix in (".docx", ".docm"):
        from chronology_app.core.tables_import.wordtables import read_docx

        return read_docx(path)
    from chronology_app.core.tables_import.csvtext import read_csv

    return read_csv(path)
