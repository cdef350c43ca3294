"""Caps on what an imported file may hold, checked before any of its data is read.

A contribution from another agency is a file from outside: it may be damaged, encrypted, or
built to exhaust the machine (a zip bomb, a sheet declaring a million rows, an XML entity
bomb). Each of these is refused here with a message the practitioner can act on, before the
reader library sees the data:

- the file itself: at most `MAX_FILE_BYTES` on disk;
- a zip container (.xlsx, .xlsm, .docx, .ods): at most `MAX_ZIP_ENTRIES` parts, at most
  `MAX_UNCOMPRESSED_BYTES` uncompressed in total as its directory declares them (zipfile never
  inflates a part beyond its declared size, so the declaration binds), and no part inflating
  more than `MAX_RATIO` times unless it is small;
- no XML part with a document type declaration (Office never writes one; entity bombs need
  one);
- a table of at most `MAX_ROWS` rows and `MAX_CELLS` cells (see `spreadsheet.scan_*`).

Together these keep an import well under 500 MB of memory.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from chronology_app.core.errors import ChronologyError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_RATIO = 200
SMALL_PART = 1024 * 1024  # parts smaller than this may compress as well as they like
MAX_ROWS = 100_000
MAX_CELLS = 3_000_000

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of encrypted Office files and old .xls
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


class UnreadableFile(ChronologyError):
    """The file was refused before or while reading it; nothing was imported."""


def refuse(name: str, why: str) -> UnreadableFile:
    return UnreadableFile(f"{name} {why}; nothing was imported.")


def damaged(err: BaseException) -> str:
    return f"is damaged and cannot be read ({type(err).__name__})"


def check_file(path: Path) -> bytes:
    """The first bytes of the file, once its size is known to be within the cap."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError as err:
        raise UnreadableFile(f"{path}: cannot read the file ({err.strerror}).") from None
    if size > MAX_FILE_BYTES:
        raise refuse(
            path.name,
            f"is {size / 1024 / 1024:.0f} MB; files up to {MAX_FILE_BYTES // 1024 // 1024} MB "
            "are imported (split the chronology into several files)",
        )
    if start.startswith(_CFB):
        raise _cfb_refusal(path)
    return start


def _cfb_refusal(path: Path) -> UnreadableFile:
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES)
    if _ENCRYPTION_INFO in data:
        return refuse(
            path.name,
            "is protected with a password (encrypted). Ask the agency to send it without a "
            "password by a secure route, or open it, remove the password and save a copy",
        )
    return refuse(
        path.name,
        "is in the old Office 97-2003 format (.xls or .doc). Open it and save it as .xlsx or "
        ".docx, then import that",
    )


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip container once its directory is within the caps."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(path.name, "is damaged or not the kind of file its name says") from None
    try:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise refuse(
                path.name, f"holds {len(infos):,} parts; at most {MAX_ZIP_ENTRIES:,} are read"
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise refuse(
                path.name,
                f"unpacks to {total / 1024 / 1024:,.0f} MB; at most "
                f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB are read",
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise refuse(path.name, "is protected with a password (encrypted)")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > SMALL_PART and ratio > MAX_RATIO:
                raise refuse(
                    path.name,
                    f"has a part that unpacks {ratio:,.0f} times larger than it is stored "
                    "(a zip bomb?)",
                )
    except BaseException:
        archive.close()
        raise
    return archive


def read_part(archive: zipfile.ZipFile, name: str, label: str) -> bytes:
    """One XML part, refused if it declares a document type (how entity bombs start)."""
    try:
        data = archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refuse(label, "is damaged (a part of it cannot be unpacked)") from None
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<!ENTITY" in data:
        raise refuse(label, "contains XML declarations that Office never writes")
    return data


def check_parts(archive: zipfile.ZipFile, label: str) -> None:
    """Every XML part, checked for document type declarations."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")):
            read_part(archive, info.filename, label)


def check_table_size(label: str, where: str, rows: int, cells: int) -> None:
    if rows > MAX_ROWS:
        raise refuse(label, f"has {rows:,} rows in {where}; at most {MAX_ROWS:,} rows are imported")
    if cells > MAX_CELLS:
        raise refuse(
            label,
            f"has {cells:,} cells in {where}; at most {MAX_CELLS:,} cells are imported",
        )
