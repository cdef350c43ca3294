"""Commands on the workspace as a whole: the authority's settings, cross-case matches, workspace
care (passphrase, backups and restore, the audit trail) and who is working.

Changes go through the one door (`Operations.change`); restoring a backup closes the window's
workspace and hands the restored one to the app to carry on in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from chronology_app.core.errors import ChronologyError
from chronology_app.core.service import Backup, OpChanges, Service
from chronology_app.core.settings import settings_document
from chronology_app.gui.user_profile import ProfileDialog, load_profile

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow


class WorkspaceCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def open_settings(self) -> None:
        from chronology_app.gui.dialogs.settings_dialog import SettingsDialog

        current = settings_document(self.window.service.authority_settings())
        dialog = SettingsDialog(
            current,
            lambda document: self.window.ops.change(
                lambda: self.window.service.set_authority_settings(document), inline_validation=True
            ),
            self.window,
        )
        if dialog.exec():
            self.window.locker.set_idle_minutes(dialog.idle.value())
            self.window.locker.idle.start()

    def review_matches(self) -> None:
        """Suggested same-person matches across cases (read in the background)."""
        from chronology_app.gui.dialogs.matches_dialog import MatchesDialog

        service = self.window.service

        def decide(item: Any, decision: str, reason: str) -> OpChanges | None:
            return self.window.ops.change(
                lambda: service.decide_match(item.first, item.second, decision, reason)
            )

        def show(found: list[Any]) -> None:
            MatchesDialog(found, decide, self.window).exec()

        self.window.ops.in_background(
            "Looking for the same person in other cases…", service.match_suggestions, show
        )

    def workspace_care(self) -> None:
        from chronology_app.gui.dialogs.workspace_care import WorkspaceCareDialog

        WorkspaceCareDialog(
            self.window.service,
            lambda old, new: self.window.ops.change(
                lambda: self.window.service.change_passphrase(old, new), inline_errors=True
            ),
            self.restore_backup,
            self.window,
        ).exec()

    def restore_backup(self, backup: Backup) -> bool:
        """Replace the open workspace with `backup` (the one there now is kept in the backup
        folder), and carry on in the restored one."""
        from chronology_app.gui.dialogs.welcome import PassphraseDialog

        when = f"{backup.taken_at.astimezone():%d/%m/%Y %H:%M}"
        answer = QMessageBox.warning(
            self.window,
            "Restore backup",
            f"Put the backup of {when} in place of the workspace? What has changed since is "
            "not lost: the workspace as it is now is kept in the backup folder.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return False
        path, user = self.window.service.workspace.path, self.window.service.user
        restored: list[Service] = []

        def check(passphrase: str) -> str | None:
            try:
                self.window.service.check_passphrase(passphrase)
            except ChronologyError as error:
                return str(error)
            self.window.ops.wait()
            self.window.service.close()
            try:
                restored.append(Service.restore(backup.path, path, passphrase, user)[0])
            except ChronologyError as error:
                restored.append(Service.open(path, passphrase, user))
                return str(error)
            return None

        dialog = PassphraseDialog(
            "Restore backup",
            "The workspace's passphrase, to restore the backup",
            self.window,
            check,
        )
        if not dialog.exec() and not restored:
            return False
        if restored:
            self.window.next_service = restored[-1]
            self.window.closing_workspace = True
            self.window.close()
        return bool(restored)

    def ask_who_is_working(self) -> None:
        if ProfileDialog(self.window).exec():
            self.window.set_profile(load_profile())
