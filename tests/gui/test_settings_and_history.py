"""Settings in the window (the authority's, audited and undoable, a bad value shown beside its
field, loaded from and saved to a file; the per-user idle lock), and an entry's history and the
withdrawn entries from the table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from chronology_app.core.settings import InvalidSettings
from chronology_app.gui.dialogs.history_dialog import HistoryDialog, WithdrawnDialog
from chronology_app.gui.dialogs.settings_dialog import SettingsDialog
from chronology_app.gui.lock import idle_minutes_setting
from chronology_app.gui.main_window import MainWindow

REF = "BD-2020-0193"
FAIL = QAbstractItemModelTester.FailureReportingMode.Fatal


def _capture(monkeypatch: pytest.MonkeyPatch, cls: type, act: Any) -> list[Any]:
    seen: list[Any] = []

    def exec_(dialog: Any) -> int:
        seen.append(dialog)
        return act(dialog)

    monkeypatch.setattr(cls, "exec", exec_)
    return seen


def test_settings_are_saved_on_the_record_and_undoable(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def act(dialog: SettingsDialog) -> int:
        dialog._fields["rules.potential-escalation.min_events"].setValue(5)  # type: ignore[attr-defined]
        dialog._fields["backups_kept"].setValue(20)  # type: ignore[attr-defined]
        dialog.idle.setValue(15)
        return int(dialog.try_save())

    _capture(monkeypatch, SettingsDialog, act)
    window.actions_.settings.trigger()
    settings = window.service.authority_settings()
    assert settings.rules["potential-escalation"]["min_events"] == 5
    assert settings.backups_kept == 20
    assert idle_minutes_setting() == 15 and window.idle.interval() == 15 * 60_000
    assert window.actions_.undo.text() == "&Undo Change authority settings"
    window.actions_.undo.trigger()
    assert window.service.authority_settings().backups_kept != 20


def test_a_refused_value_is_shown_beside_its_field(window: MainWindow) -> None:
    def refuse(document: dict[str, Any]) -> None:
        raise InvalidSettings(
            ["rules.potential-escalation.min_events: must be a whole number from 1 to 10000"],
            "the new settings",
        )

    dialog = SettingsDialog({"rules": {}, "as_of": "latest_entry"}, refuse, window)
    assert dialog.try_save() is False
    error = dialog._errors["rules.potential-escalation.min_events"]
    assert not error.isHidden()
    assert error.text() == (
        "must be a whole number from 1 to 10000 (rules.potential-escalation.min_events)"
    )


def test_settings_load_from_and_save_to_a_file(tmp_path: Path, window: MainWindow) -> None:
    stored: list[dict[str, Any]] = []
    dialog = SettingsDialog({"rules": {}, "as_of": "latest_entry"}, stored.append, window)
    source = tmp_path / "authority.json"
    source.write_text(json.dumps({"rules": {"serial-perpetrator": {"min_victims": 3}}}))
    dialog.load_file(str(source))
    assert dialog._fields["rules.serial-perpetrator.min_victims"].value() == 3  # type: ignore[attr-defined]
    target = tmp_path / "shared.json"
    dialog.save_file(str(target))
    assert json.loads(target.read_text())["rules"]["serial-perpetrator"]["min_victims"] == 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": {"no-such-rule": {}}}))
    dialog.load_file(str(bad))
    assert "rules.no-such-rule: no such rule" in dialog.general.text()
    assert stored == []  # nothing stored until Save


def test_entry_history_from_the_table_and_withdrawn_entries_on_request(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = window.model.entry(0)
    document = window.service.document(REF)
    original = next(e for e in document["entries"] if e["id"] == first.id)
    window.ops.change(
        lambda: window.service.edit_entry(
            REF, first.id, {**original, "summary": "Corrected."}, reason="typo"
        )
    )
    window.select_entries([first.id])
    histories = _capture(monkeypatch, HistoryDialog, lambda d: 0)
    window.actions_.entry_history.trigger()
    (dialog,) = histories
    QAbstractItemModelTester(dialog.model, FAIL, dialog.model)  # kept alive by its model
    last = dialog.model.record(dialog.model.rowCount() - 1)
    assert (last.event, last.reason) == ("changed", "typo")
    assert "What happened:" in dialog.model.index(dialog.model.rowCount() - 1, 4).data()
    assert "→ Corrected." in dialog.model.index(dialog.model.rowCount() - 1, 4).data()

    window.ops.change(lambda: window.service.withdraw_entry(REF, first.id, "entered twice"))
    withdrawn = _capture(monkeypatch, WithdrawnDialog, lambda d: 0)
    window.actions_.show_withdrawn.trigger()
    (listing,) = withdrawn
    QAbstractItemModelTester(listing.model, FAIL, listing.model)  # kept alive by its model
    assert listing.model.rowCount() == 1
    assert listing.model.index(0, 3).data() == "entered twice"
    font = listing.model.index(0, 2).data(0x6)  # FontRole
    assert font.strikeOut()
    listing._history(window.edits.entry_history)
    assert histories[-1].model.record(histories[-1].model.rowCount() - 1).event == "withdrawn"
