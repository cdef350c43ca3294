"""Builders of the files the import tests read: real workbooks and documents written with
openpyxl and python-docx, OpenDocument spreadsheets and hostile archives written directly."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

Rows = Sequence[Sequence[Any]]


def xlsx(path: Path, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def docx(path: Path, tables: Sequence[Rows], title: str = "Chronology") -> Path:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(title)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = "" if value is None else str(value)
        document.add_paragraph("")
    document.save(path)
    return path


_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
    "</office:document-content>"
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "{extra}</manifest:manifest>"
)


def ods_cell(value: Any, span: tuple[int, int] | None = None) -> str:
    spanned = (
        f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
        if span
        else ""
    )
    if value is None:
        return f"<table:table-cell{spanned}/>"
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"'
            f"{spanned}><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"{spanned}>'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def ods_row(cells: Sequence[Any], repeat: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attribute}>{''.join(ods_cell(c) for c in cells)}</table:table-row>"


def ods(path: Path, sheets: dict[str, str], encrypted: bool = False) -> Path:
    """`sheets`: name -> the rows' XML (see `ods_row`)."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">{rows}</table:table>'
        for name, rows in sheets.items()
    )
    extra = '<manifest:encryption-data manifest:checksum="x"/>' if encrypted else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", _ODS_CONTENT.format(tables=tables))
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST.format(extra=extra))
    return path


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of an Office file with some parts replaced (to break or poison it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as copy:
        for info in original.infolist():
            data = replace.get(info.filename, original.read(info.filename))
            copy.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name in replace.keys() - set(original.namelist()):
            copy.writestr(name, replace[name], compress_type=zipfile.ZIP_DEFLATED)
    target.write_bytes(buffer.getvalue())
    return target


def cfb(path: Path, encrypted: bool) -> Path:
    """The start of an OLE compound file: how Office stores an encrypted workbook (and how an
    old .xls is stored)."""
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    path.write_bytes(body)
    return path
