"""Moving a case: export an encrypted bundle from the window and import it into another
workspace (the import offers case files and bundles alike)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chronology_app.core.service import Service
from chronology_app.gui.bundle_commands import BundlePassphraseDialog
from chronology_app.gui.main_window import MainWindow
from tests.conftest import PASSPHRASE

REF = "BD-2020-0193"
BUNDLE_PASSPHRASE = "a passphrase for the receiver"


def test_the_bundle_passphrase_is_checked_in_place(window: MainWindow) -> None:
    dialog = BundlePassphraseDialog(window.bundles._is_workspace_passphrase, window)
    for weak in ("short", "passwordpassword", "aaaaaaaaaaaa"):  # one policy: zxcvbn's score
        dialog.first.setText(weak)
        assert dialog.try_accept() is False and "too easy to guess" in dialog.error.text()
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    assert dialog.try_accept() is False
    assert dialog.error.text() == "Choose a passphrase different from the workspace's."
    dialog.first.setText(BUNDLE_PASSPHRASE)
    dialog.second.setText(BUNDLE_PASSPHRASE)
    assert dialog.try_accept() is True


def test_export_a_bundle_and_import_it_elsewhere(
    qtbot: Any, tmp_path: Path, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "chronology_app.gui.operations.QMessageBox.warning",
        lambda parent, title, text: shown.append(text),
    )
    target = tmp_path / "family-b.bundle"
    window.bundles.export_bundle(str(target), BUNDLE_PASSPHRASE)
    window.ops.wait()
    assert target.exists() and b"Dean" not in target.read_bytes()  # nothing in plain text

    other = Service.create(tmp_path / "other.chronology", PASSPHRASE, "Receiver")
    try:
        receiver = MainWindow(other, idle_minutes=60)
        qtbot.addWidget(receiver)
        receiver.bundles.import_file(str(target), "not the passphrase at all")
        receiver.ops.wait()
        assert receiver.service.cases() == []  # refused, nothing added
        assert shown and shown[-1].startswith("The passphrase does not open family-b.bundle")
        receiver.bundles.import_file(str(target), BUNDLE_PASSPHRASE)
        receiver.ops.wait()
        assert [c.reference for c in receiver.service.cases()] == [REF]
        assert receiver.reference == REF and receiver.model.rowCount() == window.model.rowCount()
        receiver.close()
    finally:
        other.close()
