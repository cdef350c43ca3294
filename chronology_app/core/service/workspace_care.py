"""The workspace as a whole: backups and restore, the audit trail's check and fingerprint, a new
passphrase, and the authority's settings, each on the record."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Self

from sqlalchemy.orm import Session

from chronology_app.core import audit
from chronology_app.core.changes import Change, OpChanges, copy_input
from chronology_app.core.service.base import SETTINGS_KEY, ServiceBase
from chronology_app.core.settings import parse_settings
from chronology_app.core.store.backup import Backup
from chronology_app.core.store.workspace import Workspace


class WorkspaceCare(ServiceBase):
    """Backups, restore, the audit trail, the passphrase and the authority's settings."""

    def backups(self) -> list[Backup]:
        """The workspace's backups (when, why, size), oldest first."""
        return self.workspace.backups()

    def backup_now(self) -> Path:
        """An encrypted copy of the workspace as it is now, in its backup folder."""
        return self.workspace.backup("manual")

    def audit_fingerprint_line(self) -> str | None:
        """The audit trail's newest fingerprint and length, for a report's footer ("audit
        fingerprint 884be954… (after record 5)"), so the printed page anchors the trail too.
        None on a team server, where each case has its own chain."""
        if not isinstance(self.workspace, Workspace):
            return None
        anchor = self.workspace.trail_anchor()
        return f"{anchor.fingerprint} (after record {anchor.records})"

    def verify_audit(self, anchors: Iterable[str] = ()) -> audit.ChainReport:
        """Whether the audit trail is as Chronology wrote it, and the newest record's
        fingerprint to note down (`anchors`: fingerprints noted before)."""
        with self.workspace.reading() as session:
            return audit.verify(session, anchors)

    @classmethod
    def restore(
        cls,
        backup: str | os.PathLike[str],
        path: str | os.PathLike[str],
        passphrase: str,
        user: str,
    ) -> tuple[Self, Path | None]:
        """Put `backup` in place as the workspace at `path` (closed first by the caller) and
        open it, on the record. The workspace that was there is kept in the backup folder;
        returns the service and where it was kept."""
        workspace, kept = Workspace.restore(backup, path, passphrase, replace=True)
        try:
            service = cls(workspace, user)
            service.record_workspace_event("Restore from backup", Path(backup).name)
        except BaseException:
            workspace.close()
            raise
        return service, kept

    def change_passphrase(self, old: str, new: str) -> OpChanges:
        """Re-encrypt the workspace (and its backups) under a new passphrase, on the record."""
        rekeyed = self.workspace.change_passphrase(old, new)
        noun = "backup" if rekeyed == 1 else "backups"
        return self.record_workspace_event(
            "Change passphrase", f"the workspace and {rekeyed} {noun} re-encrypted"
        )

    def record_workspace_event(self, action: str, reason: str | None = None) -> OpChanges:
        """Put something done to the workspace as a whole (a new passphrase, a restore from a
        backup) on the audit trail. It changes no case and is not undoable."""
        return self._run(action, None, lambda _session: [], reason=reason, record=False)

    def set_authority_settings(self, data: Mapping[str, Any]) -> OpChanges:
        """Replace the authority's settings (as a settings file holds them), on the record."""
        value = copy_input(data)
        settings = parse_settings(value, "the new settings")

        def body(session: Session) -> list[Change]:
            state = {"value": value}
            return [self._apply(session, None, "workspace_setting", SETTINGS_KEY, state)]

        result = self._run("Change authority settings", None, body)
        self.settings = settings
        return result
