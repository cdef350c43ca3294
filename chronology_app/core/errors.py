"""Typed errors the core raises, each with a message a social worker can act on.

Front ends catch `ChronologyError` and show its message; anything else is a bug, which is
logged (with ids, never case content) while the user's work is kept.
"""

from __future__ import annotations


class ChronologyError(Exception):
    """Base of every error the core raises on purpose. `str(err)` is the user-facing message."""


class InvalidDate(ChronologyError):
    """A date could not be read. The message says what was typed and why it was not read."""


class InvalidCaseFile(ChronologyError):
    """A case file broke the format. `problems` holds every `JSON-path: message` line."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{where}the case file has {count} {noun}:\n" + "\n".join(problems))


class InvalidInput(ChronologyError):
    """A change was refused by validation. `problems` maps field name to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in problems.items()))


class NotFound(ChronologyError):
    """A case, person, entry or relationship that was asked for does not exist."""


class Conflict(ChronologyError):
    """A change would break the workspace's consistency (a duplicate reference, a person still
    named in entries, and so on)."""


class WorkspaceError(ChronologyError):
    """The workspace file could not be opened or written."""


class WrongPassphrase(WorkspaceError):
    """The passphrase did not open the workspace (or the file is not a workspace)."""


class WorkspaceLocked(WorkspaceError):
    """Another program has the workspace open for writing."""


class NothingToUndo(ChronologyError):
    """Undo or redo was asked for with nothing on that stack."""


class InvalidBundle(ChronologyError):
    """A case bundle (an encrypted case file) is damaged, altered or not a bundle at all."""


class BackupError(WorkspaceError):
    """A backup could not be made, read or restored."""


class NotAllowed(WorkspaceError):
    """The team server refused: the user has no access to that case or that action."""


class EditConflict(Conflict):
    """A save refused because someone else changed the same thing since the user started.
    `theirs` is what is stored now, `yours` what the user typed (kept, never lost), `changed`
    the fields that differ between the version the user started from and `theirs`."""

    def __init__(
        self, message: str, theirs: object, yours: object, changed: tuple[str, ...]
    ) -> None:
        self.theirs = theirs
        self.yours = yours
        self.changed = changed
        super().__init__(message)
