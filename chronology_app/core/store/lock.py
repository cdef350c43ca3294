"""Who has a workspace open: exclusive locks, held while it is open.

The lock is keyed by the workspace's real file (its path with every symlink resolved), so a
second path to the same file (a symlink, a folder reached two ways) does not get in; and by its
backups folder, which a restore or a prune changes. The operating system releases a lock when
its holder exits or is killed, so a lock file left behind by a crash is not a lock: the next
program takes it over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from chronology_app.core import clock
from chronology_app.core.errors import WorkspaceError, WorkspaceLocked
from chronology_app.core.store.engine import FILE_MODE

FOLDER_LOCK = ".chronology.lock"  # inside the backups folder


class OpenLock:
    """The locks that say a workspace is open: one beside its real file (`<file>.lock`) and
    one in its backups folder. Taken together or not at all; released together."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace.resolve()
        self.path = self.workspace.with_name(self.workspace.name + ".lock")
        folder = self.workspace.with_name(self.workspace.name + ".backups")
        self._locks = [_LockFile(self.path, workspace), _LockFile(folder / FOLDER_LOCK, workspace)]

    @classmethod
    @contextlib.contextmanager
    def held(cls, workspace: Path) -> Iterator[OpenLock]:
        """The lock, taken; released again if the block fails (the caller keeps it otherwise)."""
        lock = cls(workspace)
        lock.acquire()
        try:
            yield lock
        except BaseException:
            lock.release()
            raise

    def acquire(self) -> None:
        beside, in_folder = self._locks
        beside.acquire()
        try:
            # The backups folder (through whatever path it is reached) is locked when it is
            # there; one made later is made under the lock beside the file.
            if in_folder.path.parent.is_dir():
                in_folder.acquire()
        except BaseException:
            beside.release()
            raise

    def release(self) -> None:
        for lock in reversed(self._locks):
            lock.release()


class _LockFile:
    """An exclusive lock on one file, noting which program holds it (no names)."""

    def __init__(self, path: Path, workspace: Path) -> None:
        self.path = path
        self.workspace = workspace
        self._descriptor: int | None = None

    def acquire(self) -> None:
        for _attempt in range(5):
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            except OSError as err:
                if err.errno == errno.ENOSPC:
                    raise WorkspaceError(
                        f"{self.workspace}: the disk is full, so the workspace cannot be opened "
                        "(it needs a small lock file). Nothing was changed; free some space "
                        "and try again."
                    ) from None
                raise WorkspaceError(
                    f"{self.workspace}: cannot open it from here ({err.strerror})."
                ) from None
            if not _try_lock(descriptor):
                holder = _read_holder(descriptor)
                os.close(descriptor)
                raise WorkspaceLocked(
                    f"{self.workspace.name} is already open in another Chronology window or "
                    f"command{holder}. Close it there first, then try again; nothing was changed."
                )
            if _still_at(descriptor, self.path):
                _write_holder(descriptor)
                self._descriptor = descriptor
                return
            os.close(descriptor)  # its holder removed the file as we took it: take the new one
        raise WorkspaceLocked(
            f"{self.workspace.name} is being opened and closed by another program."
        )

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        if sys.platform != "win32":
            # Removed while still held, so nobody can take a lock on a file about to vanish.
            with contextlib.suppress(OSError):
                self.path.unlink()
        _unlock(descriptor)
        os.close(descriptor)
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

    def _still_at(descriptor: int, path: Path) -> bool:
        return True  # a file held open on Windows cannot be removed

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _still_at(descriptor: int, path: Path) -> bool:
        try:
            return os.fstat(descriptor).st_ino == os.stat(path).st_ino
        except OSError:
            return False


_HOLDER_AT = 1  # the holder's note starts after the byte Windows locks


def _write_holder(descriptor: int) -> None:
    """Which process has the workspace open, for the message another one shows (no names)."""
    since = clock.now_utc().strftime("%Y-%m-%d %H:%M UTC")
    note = f"\n{os.getpid()}\t{socket.gethostname()}\t{since}\n".encode()
    with contextlib.suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, note)


def _read_holder(descriptor: int) -> str:
    try:
        os.lseek(descriptor, _HOLDER_AT, os.SEEK_SET)
        pid, host, since = os.read(descriptor, 512).decode("utf-8").split("\n")[0].split("\t")
    except (OSError, UnicodeDecodeError, ValueError):
        return ""
    where = "this computer" if host == socket.gethostname() else host
    return f" (program {pid} on {where}, since {since})"
