"""Reading a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
(Excel's "Unicode text"), or Windows-1252, which Excel writes for "CSV (Comma delimited)" on a
UK Windows machine. Text that is valid UTF-8 is read as UTF-8 (Windows-1252 text with accented
letters is almost never valid UTF-8); anything else is tried as Windows-1252, and text that is
neither is refused. The separator (comma, semicolon or tab) is judged from the first lines.
Rows are numbered by the line of the file they start on, as a text editor shows it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from chronology_app.core.tables_import import limits
from chronology_app.core.tables_import.source import Cell, Source, Table, clean


def decode(data: bytes, label: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise limits.refuse(
            label,
            "is not text in a known encoding (UTF-8 or Windows-1252); save it from Excel as "
            '"CSV UTF-8 (Comma delimited)"',
        ) from None


def _separator(text: str) -> str:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_csv(path: Path) -> Source:
    label = path.name
    with open(path, "rb") as handle:
        data = handle.read(limits.MAX_FILE_BYTES + 1)
    text = decode(data, label)
    if "\x00" in text:
        raise limits.refuse(label, "is not a text file (it contains NUL characters)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    rows: list[tuple[int, list[Cell]]] = []
    cells = 0
    line = 1
    try:
        for record in reader:
            rows.append((line, [clean(value) for value in record]))
            cells += len(record)
            line = reader.line_num + 1
            if len(rows) > limits.MAX_ROWS or cells > limits.MAX_CELLS:
                limits.check_table_size(label, "the file", len(rows), cells)
    except csv.Error as err:
        raise limits.refuse(label, f"cannot be read as CSV at line {line} ({err})") from None
    return Source(label, [Table("csv", "", _rows=rows)])
