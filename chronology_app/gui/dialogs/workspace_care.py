"""Workspace care, in the window: change the passphrase; see the backups (when, why, size),
make one now or restore one; check the audit trail and note its fingerprint.

Restoring replaces the open workspace: the window closes it, puts the backup in place (the
workspace that was there is kept in the backup folder) and opens the restored one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.errors import ChronologyError
from chronology_app.core.passphrases import passphrase_problem
from chronology_app.core.service import Backup, Service
from chronology_app.gui.colours import toned
from chronology_app.gui.models.base import RecordTableModel
from chronology_app.gui.operations import show_error
from chronology_app.gui.widgets.dialog_parts import (
    error_label,
    ok_cancel,
    secret_field,
    strength_line,
)
from chronology_app.gui.widgets.fit import fit_on_screen

WHY = {
    "opened": "When the workspace was opened",
    "manual": "Made by hand",
    "replaced": "The workspace before a restore",
}


def why(label: str) -> str:
    if label.startswith("before-migration"):
        return "Before the workspace was updated"
    return WHY.get(label, label.replace("-", " ").capitalize())


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


class BackupsModel(RecordTableModel[Backup]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                ("When", lambda b: f"{b.taken_at.astimezone():%d/%m/%Y %H:%M}"),
                ("Why", lambda b: why(b.label)),
                ("Size", lambda b: size_text(b.size)),
            ),
            parent,
        )


class ChangePassphraseDialog(QDialog):
    """`change(old, new)` may raise; its message shows in the dialog."""

    def __init__(self, change: Callable[[str, str], object], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self._change = change
        form = QFormLayout(self)
        labels = ("Current passphrase", "New passphrase", "New passphrase again")
        self.old, self.new, self.again = (secret_field(label) for label in labels)
        for field, label in zip((self.old, self.new, self.again), labels, strict=True):
            form.addRow(label, field)
        self.hint = strength_line(self.new)
        form.addRow("", self.hint)
        self.error = error_label()
        form.addRow("", self.error)
        note = QLabel(
            "The workspace and its backups are re-encrypted. Copies made outside Chronology "
            "(exports, bundles, copied backups) keep the passphrase they were made with."
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = ok_cancel(self, self.try_change)
        form.addRow(buttons)

    def try_change(self) -> bool:
        new = self.new.text()
        weak = passphrase_problem(new)  # the one policy, as for new workspaces and the CLI
        if weak:
            self.error.setText(weak)
            return False
        if new != self.again.text():
            self.error.setText("The two new passphrases differ; type them again.")
            return False
        try:
            self._change(self.old.text(), new)
        except ChronologyError as error:
            self.error.setText(str(error))
            return False
        self.accept()
        return True


class WorkspaceCareDialog(QDialog):
    """`restore(backup)` is the window's: it closes and replaces the open workspace."""

    def __init__(
        self,
        service: Service,
        change_passphrase: Callable[[str, str], object],
        restore: Callable[[Backup], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workspace care")
        self.service = service
        self._change_passphrase = change_passphrase
        self._restore = restore
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{service.workspace.path.name}</b>"))

        passphrase = QGroupBox("Passphrase")
        row = QHBoxLayout(passphrase)
        change = QPushButton("Change passphrase…")
        change.clicked.connect(self.change_passphrase)
        row.addWidget(change)
        row.addStretch()
        layout.addWidget(passphrase)

        backups = QGroupBox("Backups (encrypted; they open with the workspace's passphrase)")
        column = QVBoxLayout(backups)
        self.model = BackupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        now = QPushButton("Back up now")
        now.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("Restore this backup…")
        self.restore_button.clicked.connect(self.restore_chosen)
        buttons.addWidget(now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        column.addLayout(buttons)
        layout.addWidget(backups)

        trail = QGroupBox("Audit trail")
        rows = QVBoxLayout(trail)
        verify = QPushButton("Check the audit trail")
        verify.clicked.connect(self.verify)
        self.verdict = QLabel("Checks that no record of who changed what was altered.")
        self.verdict.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName("Fingerprint of the newest record")
        self.fingerprint.setPlaceholderText("the fingerprint to note down appears here")
        rows.addWidget(verify)
        rows.addWidget(self.verdict)
        rows.addWidget(self.fingerprint)
        layout.addWidget(trail)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()
        fit_on_screen(self, 640, 560)

    def refresh(self) -> None:
        try:
            found = list(reversed(self.service.backups()))  # newest first
        except ChronologyError as error:
            show_error(self, error)
            found = []
        self.model.set_records(found)
        self.restore_button.setEnabled(bool(found))
        if found:
            self.table.selectRow(0)

    def change_passphrase(self) -> None:
        ChangePassphraseDialog(self._change_passphrase, self).exec()

    def backup_now(self) -> None:
        try:
            self.service.backup_now()
        except ChronologyError as error:
            show_error(self, error)
        self.refresh()

    def chosen(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is not None and self._restore(backup):
            self.accept()

    def verify(self) -> None:
        report = self.service.verify_audit()
        if report.intact:
            self.verdict.setText(
                f"The audit trail is intact ({report.records} records). Note the fingerprint "
                "of the newest record; a later check can prove nothing before it changed."
            )
            toned(self.verdict, "plain")
        else:
            count = len(report.problems)
            lines = "\n".join(p.message for p in report.problems[:5])
            self.verdict.setText(
                f"The audit trail was altered outside Chronology ({count} "
                f"{'problem' if count == 1 else 'problems'}):\n{lines}"
            )
            toned(self.verdict, "error")
        self.fingerprint.setText(report.fingerprint)
