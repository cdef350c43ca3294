"""Writing a file the user asked for, so that a failure leaves nothing half-written.

The bytes go to a temporary file beside the target (in the folder the user chose, never a
shared temporary folder), are flushed to disk, and then replace the target in one step.
Whatever stops the write (a full disk, Ctrl+C) removes the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from chronology_app.core.errors import WorkspaceError


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
