"""A passphrase change that was interrupted, noticed on the next opening and finished.

A change re-encrypts the workspace (one transaction) and then each backup in turn. Before it
starts, the workspace gets a note (`passphrase_change` in its `workspace_meta` table, a time and
nothing else); the note goes when every backup is done. A program killed in between leaves the
note, and backups still under the old passphrase: the passphrase given up as known would still
open them. The next opening finds the note and lists those backups; finishing the change first
makes a backup under the current passphrase, then either re-encrypts them (given the old
passphrase) or removes them (when the user confirms), and says exactly which was done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from chronology_app.core import clock
from chronology_app.core.errors import BackupError, WrongPassphrase
from chronology_app.core.store import backup as copies
from chronology_app.core.store.engine import connect, rekey

if TYPE_CHECKING:
    from chronology_app.core.store.safekeeping import Safekeeping

log = logging.getLogger(__name__)

KEY = "passphrase_change"
LABEL = "before-finishing-passphrase-change"


@dataclass(frozen=True)
class Unfinished:
    started_at: str
    backups: tuple[Path, ...]  # backups that do not open with the current passphrase

    def describe(self, workspace: Path) -> str:
        count = len(self.backups)
        noun = "backup is" if count == 1 else "backups are"
        return (
            f"A passphrase change of {workspace.name} begun {self.started_at[:16]} UTC was "
            f"interrupted: {count} {noun} still under the old passphrase. Run chronology "
            f'passphrase "{workspace}" to re-encrypt them (you will need the old passphrase) '
            "or to remove them."
        )


@dataclass(frozen=True)
class Finished:
    backup: Path  # made under the current passphrase before anything else
    reencrypted: tuple[Path, ...]
    removed: tuple[Path, ...]
    left: tuple[Path, ...]  # open with neither passphrase: left as they are

    def describe(self) -> str:
        said = [f"Made a backup under the current passphrase first: {self.backup}."]
        if self.reencrypted:
            said.append(
                f"Re-encrypted {_count(self.reencrypted)} under the current passphrase: "
                + ", ".join(p.name for p in self.reencrypted)
                + "."
            )
        if self.removed:
            said.append(
                f"Removed {_count(self.removed)} still under the old passphrase: "
                + ", ".join(p.name for p in self.removed)
                + "."
            )
        if self.left:
            said.append(
                f"Left {_count(self.left)} as they are (they open with neither passphrase): "
                + ", ".join(str(p) for p in self.left)
                + "."
            )
        return " ".join(said)

    @property
    def summary(self) -> str:
        """For the audit trail: counts, no names."""
        return (
            f"interrupted passphrase change finished: {len(self.reencrypted)} re-encrypted, "
            f"{len(self.removed)} removed, {len(self.left)} left"
        )


def _count(paths: tuple[Path, ...]) -> str:
    return f"{len(paths)} backup" + ("" if len(paths) == 1 else "s")


def mark(workspace: Safekeeping) -> None:
    now = clock.now_utc().isoformat(timespec="seconds")
    workspace.set_meta(KEY, {"started_at": now})


def clear(workspace: Safekeeping) -> None:
    workspace.set_meta(KEY, None)


def find(workspace: Safekeeping) -> Unfinished | None:
    """The unfinished change, if the workspace carries a note of one and backups are still
    under another passphrase (a note with nothing left to do is cleared)."""
    note = workspace.meta(KEY)
    if note is None:
        return None
    _opening, other = copies.under_passphrase(workspace.path, workspace._passphrase)
    if not other:
        clear(workspace)
        return None
    started = str(note.get("started_at", "")) if isinstance(note, dict) else ""
    log.warning("found an interrupted passphrase change (%d backups)", len(other))
    return Unfinished(started or "earlier", tuple(other))


def finish(workspace: Safekeeping, current: str, old: str | None) -> Finished:
    """Back up under `current`, then re-encrypt the backups still under `old` (when given) or
    remove every backup that does not open with `current` (when `old` is None: the caller
    has asked the user to confirm)."""
    made = workspace.backup(LABEL)
    _opening, other = copies.under_passphrase(workspace.path, current)
    reencrypted: list[Path] = []
    removed: list[Path] = []
    left: list[Path] = []
    if old is not None:
        try:
            if other:
                connect(other[0], old, wal=False).close()
        except WrongPassphrase:
            raise WrongPassphrase(
                "The old passphrase does not open the backups left by the interrupted change; "
                "nothing was re-encrypted. Try again, or choose to remove them."
            ) from None
        for path in other:
            try:
                connection = connect(path, old, wal=False)
            except WrongPassphrase:
                left.append(path)
                continue
            try:
                rekey(connection, current)
            except sqlcipher.Error as err:
                raise BackupError(f"Could not re-encrypt the backup {path.name}: {err}.") from None
            finally:
                connection.close()
            reencrypted.append(path)
    else:
        for path in other:
            for leftover in (path, *copies.sidecars(path)):
                leftover.unlink(missing_ok=True)
            removed.append(path)
    clear(workspace)
    log.info("finished an interrupted passphrase change")
    return Finished(made, tuple(reencrypted), tuple(removed), tuple(left))
