"""Workspace care in the window: change the passphrase, back up and restore, check the audit
trail and see its fingerprint."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox

from chronology_app.gui.dialogs import welcome
from chronology_app.gui.dialogs.workspace_care import ChangePassphraseDialog, WorkspaceCareDialog
from chronology_app.gui.main_window import MainWindow
from tests.conftest import PASSPHRASE

REF = "BD-2020-0193"
NEW_PASSPHRASE = "a new and longer passphrase"


def _care(window: MainWindow) -> WorkspaceCareDialog:
    return WorkspaceCareDialog(
        window.service,
        lambda old, new: window.ops.change(
            lambda: window.service.change_passphrase(old, new), inline_errors=True
        ),
        window.workspace_commands.restore_backup,
        window,
    )


def test_change_the_passphrase_with_problems_shown_in_place(window: MainWindow) -> None:
    care = _care(window)
    dialog = ChangePassphraseDialog(care._change_passphrase, care)
    dialog.old.setText("not the passphrase")
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.again.setText(NEW_PASSPHRASE)
    assert dialog.try_change() is False
    assert dialog.error.text() == (
        "The current passphrase is not right; the passphrase was not changed."
    )
    dialog.old.setText(PASSPHRASE)
    for weak in ("passwordpassword", "            "):  # long enough, easy to guess
        dialog.new.setText(weak)
        dialog.again.setText(weak)
        assert dialog.try_change() is False and "passphrase" in dialog.error.text()
        assert "too easy to guess" in dialog.error.text() or "empty" in dialog.error.text()
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.again.setText("something else entirely")
    assert dialog.try_change() is False and "differ" in dialog.error.text()
    dialog.again.setText(NEW_PASSPHRASE)
    assert dialog.try_change() is True
    assert window.locker.check_passphrase(NEW_PASSPHRASE) is None
    assert window.locker.check_passphrase(PASSPHRASE) is not None


def test_back_up_then_restore_a_backup(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    care = _care(window)
    QAbstractItemModelTester(
        care.model, QAbstractItemModelTester.FailureReportingMode.Fatal, care.model
    )  # kept alive by its model
    before = care.model.rowCount()
    care.backup_now()
    assert care.model.rowCount() == before + 1
    assert care.model.index(0, 1).data() == "Made by hand"
    entries = window.model.rowCount()
    window.ops.change(
        lambda: window.service.add_entry(
            REF,
            {
                "date": "2022-01-01",
                "kind": "note",
                "summary": "After the backup.",
                "source": {"agency": "School"},
            },
        )
    )
    monkeypatch.setattr(
        "chronology_app.gui.workspace_commands.QMessageBox.warning",
        lambda *args: QMessageBox.StandardButton.Ok,
    )

    def give_passphrase(dialog: Any) -> int:
        dialog.passphrase.setText(PASSPHRASE)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(welcome.PassphraseDialog, "exec", give_passphrase)
    care.table.selectRow(0)
    care.restore_chosen()
    restored = window.next_service
    assert restored is not None and window.closing_workspace
    try:
        assert restored.case_data(REF).entries.__len__() == entries
        assert any("replaced" in b.label for b in restored.backups())  # the later state kept
    finally:
        restored.close()


def test_check_the_audit_trail_and_note_its_fingerprint(window: MainWindow) -> None:
    care = _care(window)
    care.verify()
    assert care.verdict.text().startswith("The audit trail is intact")
    assert care.fingerprint.text() == window.service.verify_audit().fingerprint
    assert len(care.fingerprint.text()) >= 8
