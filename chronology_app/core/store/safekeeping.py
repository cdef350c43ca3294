"""Keeping a workspace safe: its own key/value table (the workspace's id, a note of a passphrase
change under way), the audit trail's anchor outside the file, backups, and changing the
passphrase. `Workspace` has these through this class; `workspace.py` opens, reads and writes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, text

from chronology_app.core import anchors
from chronology_app.core.errors import BackupError, WorkspaceError, WrongPassphrase
from chronology_app.core.store import backup as copies
from chronology_app.core.store import passphrase_change as pending
from chronology_app.core.store.engine import (
    WRITE_OPTION,
    check_new_passphrase,
    connect,
    create_workspace_engine,
    rekey,
)

log = logging.getLogger(__name__)


class Safekeeping:
    """The safety half of `Workspace` (which sets these attributes when it opens)."""

    path: Path
    engine: Engine
    _write_engine: Engine
    _passphrase: str
    backup_problem: str | None
    trail_warning: str | None
    backups_left: tuple[Path, ...]
    _anchor_trusted: bool

    def meta(self, key: str) -> Any:
        """A value from the workspace's own key/value table (None when it is not there)."""
        with self.engine.connect() as connection:
            value = connection.execute(
                text("SELECT value FROM workspace_meta WHERE key = :key"), {"key": key}
            ).scalar()
        return None if value is None else json.loads(value)

    def set_meta(self, key: str, value: Any) -> None:
        with self._write_engine.begin() as connection:
            if value is None:
                connection.execute(text("DELETE FROM workspace_meta WHERE key = :k"), {"k": key})
            else:
                connection.execute(
                    text("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (:k, :v)"),
                    {"k": key, "v": json.dumps(value)},
                )

    # --- anchors outside the file ---------------------------------------------------------------

    def workspace_id(self) -> str | None:
        value = self.meta("workspace_id")
        return value if isinstance(value, str) and value else None

    def trail_anchor(self) -> anchors.Anchor:
        """The newest audit record's hash and the trail's length now (for a report's footer:
        `anchors.anchor_text(workspace.trail_anchor())`)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT hash, (SELECT count(*) FROM audit_record) FROM audit_record "
                    "ORDER BY id DESC LIMIT 1"
                )
            ).first()
        if row is None:
            return anchors.Anchor("0" * 64, 0)
        return anchors.Anchor(str(row[0]), int(row[1]))

    def _contains(self, head: str) -> bool:
        if head == "0" * 64:
            return True
        with self.engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM audit_record WHERE hash = :h LIMIT 1"), {"h": head}
            ).first()
        return found is not None

    def anchor_problem(self) -> str | None:
        """How the trail disagrees with the anchor this computer kept, if it does."""
        identity = self.workspace_id()
        last = anchors.seen(identity) if identity else None
        if last is None:
            return None
        now = self.trail_anchor()
        return anchors.problem(self.path.name, last, now.records, self._contains(last.head))

    def _check_anchor(self) -> None:
        self.trail_warning = self.anchor_problem()
        if self.trail_warning:
            # Keep the anchor as it was until someone looks: the evidence must not roll away.
            self._anchor_trusted = False
            log.warning("the audit trail disagrees with this computer's anchor")

    def _remember_anchor(self, *, force: bool = False) -> None:
        if not (self._anchor_trusted or force):
            return
        identity = self.workspace_id()
        if identity:
            anchors.remember(identity, self.trail_anchor())

    def accept_trail(self) -> None:
        """Take the trail as it is now as this computer's anchor (after a restore, or when
        the user has checked that a replaced file is the one they meant)."""
        self._anchor_trusted = True
        self.trail_warning = None
        self._remember_anchor(force=True)

    # --- backups ----------------------------------------------------------------------------

    def backup(self, label: str = "manual", target: Path | None = None) -> Path:
        """An encrypted copy of the workspace as it is now, made with SQLite's online backup
        API, in the backup folder (or at `target`), proven to open with the passphrase."""
        raw = self.engine.raw_connection()
        try:
            connection = raw.driver_connection
            state = _state_of(connection)
            return copies.take(connection, self.path, self._passphrase, label, state, target)
        finally:
            raw.close()

    def backups(self) -> list[copies.Backup]:
        return copies.list_backups(self.path)

    def _state(self) -> str:
        raw = self.engine.raw_connection()
        try:
            return _state_of(raw.driver_connection)
        finally:
            raw.close()

    def _backup_on_open(self, keep: int) -> None:
        """A rolling backup, unless the newest backup already holds this state. A failure is
        kept in `backup_problem` for the front end to show: it does not stop the work."""
        try:
            existing = self.backups()
            if existing and existing[-1].state == self._state():
                return
            self.backup(copies.ROLLING)
            copies.prune(self.path, keep, self._passphrase)
        except BackupError as err:
            log.warning("no backup on opening: %s", type(err).__name__)
            self.backup_problem = (
                f"{err} The workspace is open and your work is saved as usual, but there is "
                "no fresh backup. Free some space (or check the backups folder "
                f"{copies.folder_for(self.path)}); the next opening makes one, or run "
                "chronology backup now."
            )

    # --- passphrase ---------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> int:
        """Re-encrypt the workspace, then its backups, under `new`. Returns how many backups
        were re-encrypted (`backups_left` names any it could not). The old passphrase must be
        given again, as proof. Until the backups are done, the workspace carries a note of the
        change, so that one killed half-way is noticed and finished on the next opening."""
        check_new_passphrase(new)
        if new == old:
            raise WrongPassphrase("The new passphrase is the same as the old one; nothing changed.")
        try:
            connect(self.path, old).close()
        except WrongPassphrase:
            raise WrongPassphrase(
                "The current passphrase is not right; the passphrase was not changed."
            ) from None
        pending.mark(self)
        self.engine.dispose()
        key = old
        try:
            connection = connect(self.path, old)
            try:
                rekey(connection, new)
                key = new
            finally:
                connection.close()
        except sqlcipher.Error as err:
            raise WorkspaceError(
                f"{self.path.name}: the passphrase was not changed ({err})"
            ) from None
        finally:
            self.engine = create_workspace_engine(self.path, key)
            self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
            self._passphrase = key
            if key == old:
                pending.clear(self)
        log.info("changed the workspace passphrase")
        done = copies.rekey_all(self.path, old, new)
        self.backups_left = done.left
        pending.clear(self)
        return done.count

    def finish_passphrase_change(self, old: str | None) -> pending.Finished:
        """Finish a passphrase change that was interrupted (see `passphrase_change.finish`)."""
        return pending.finish(self, self._passphrase, old)


def _state_of(connection: Any) -> str:
    """The newest audit record's hash (its first digits): it changes with every change."""
    try:
        row = connection.execute(
            "SELECT hash FROM audit_record ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlcipher.Error:
        return copies.UNKNOWN_STATE
    return str(row[0] if row else "0" * copies.STATE_DIGITS)[: copies.STATE_DIGITS]
