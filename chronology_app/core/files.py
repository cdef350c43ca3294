"""Writing a file the user asked for, so that a failure leaves nothing half-written.

The bytes go to a temporary file beside the target (in the folder the user chose, never a
shared temporary folder), are flushed to disk, and then replace the target in one step.
Whatever stops the write (a full disk, Ctrl+C) removes the temporary file.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from chronology_app.core.errors import WorkspaceError


def is_pdf(start: bytes) -> bool:
    return start.startswith(b"%PDF")


def is_json_text(start: bytes) -> bool:
    """Whether a file's first bytes (after any byte-order mark and whitespace) open JSON text:
    "{", then UTF-8 with no control character but whitespace (JSON allows none); or the same
    in UTF-16 or UTF-32 (`wide_encoding`), which the case-file reader then refuses by name. A
    workspace begins with random bytes (SQLCipher's salt), the first of them "{" one time in
    256: those are not text."""
    if wide_encoding(start) is not None:
        return True
    if not start.startswith(b"{"):
        return False
    try:  # (the bytes may end inside a character)
        text = codecs.getincrementaldecoder("utf-8")().decode(start)
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def wide_encoding(start: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when a file's first bytes are JSON text in it ("{" after any
    byte-order mark and whitespace, then plain ASCII, as every case file's first key is), as
    Windows tools often save text; otherwise None."""
    for mark, codec, name in _WIDE:
        if start.startswith(mark):
            try:
                text = codecs.getincrementaldecoder(codec)().decode(start)
            except UnicodeDecodeError:
                return None
            opening = text.lstrip("\ufeff \t\r\n")[:8]
            if opening.startswith("{") and all(" " <= c <= "~" or c in "\t\r\n" for c in opening):
                return name
            return None
    return None


# Byte-order marks, and the first bytes of "{" without one; longest first.
_WIDE = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
    (b"{\x00", "utf-16-le", "UTF-16"),
    (b"\x00{", "utf-16-be", "UTF-16"),
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_bundle(start: bytes) -> bool:
    return is_json_text(start) and b"chronology-bundle" in start


def is_case_file(start: bytes) -> bool:
    return is_json_text(start) and b"chronology-bundle" not in start


def check_replaceable(
    target: Path, *, same_kind: Callable[[bytes], bool], what: str, force: bool
) -> None:
    """Before writing `target`: an existing file is replaced only when asked (`force`, or a
    save dialog that already asked), and only when it is the same kind of file (judged by
    `same_kind` from its first bytes). Nothing else is ever overwritten: not a workspace,
    which a plain-text export or a PDF would destroy, nor an encrypted bundle by plain text."""
    if target.is_dir():
        raise WorkspaceError(f"{target} is a folder: give a file name.")
    if not target.exists():
        return
    try:
        with open(target, "rb") as handle:
            start = handle.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as err:
        raise WorkspaceError(f"{target}: cannot check what is there ({err.strerror})") from None
    if not same_kind(start):
        raise WorkspaceError(
            f"{target}: a file that is not a {what} is already there; nothing was written. "
            "Choose another name."
        )
    if not force:
        raise WorkspaceError(
            f"{target} already exists; nothing was written. Choose another name, or add "
            "--force to replace it."
        )


def write_atomically(target: Path, data: bytes) -> None:
    folder = target.parent
    if target.is_dir():
        raise WorkspaceError(f"{target} is a folder: give a file name.")
    if not folder.is_dir():
        raise WorkspaceError(f"Cannot write {target}: the folder {folder} does not exist.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise WorkspaceError(f"Cannot write {target}: {err.strerror}.") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise WorkspaceError(f"Cannot write {target}: {err.strerror}.") from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
