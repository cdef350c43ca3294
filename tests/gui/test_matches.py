"""Cross-case matches in the window: the suggestions with why; confirm one with a reason and
the flags of the case on screen are worked out again with the other case's history."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from chronology_app.gui.dialogs.matches_dialog import MatchesDialog
from chronology_app.gui.main_window import MainWindow

REF = "BD-2020-0193"


def test_confirm_a_cross_case_match(
    window: MainWindow, family_b: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = copy.deepcopy(family_b)
    other["case"]["reference"] = "OT-2023-0001"
    other["case"]["title"] = "Another family"
    window.ops.change(lambda: window.service.import_case(other))
    window.ops.wait()
    shown: list[MatchesDialog] = []
    monkeypatch.setattr(MatchesDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_.matches.trigger()
    window.ops.wait()
    (dialog,) = shown
    QAbstractItemModelTester(
        dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal, dialog.model
    )  # kept alive by its model
    count = dialog.model.rowCount()
    assert count > 0
    first = dialog.model.record(0)
    assert first.first_name == "Dean Hart"  # the alleged perpetrator, in both cases
    assert dialog.model.index(0, 2).data().startswith("The same name, with ")
    before = window.case_view.analysis
    monkeypatch.setattr(dialog, "ask_reason", lambda decision: "Same DOB and address")
    dialog.decide_chosen("confirmed")
    assert dialog.model.rowCount() == count - 1
    assert window.actions_.undo.text() == "&Undo Confirm same person"
    window.ops.wait()
    assert window.case_view.analysis is not None and window.case_view.analysis is not before
    assert len(window.service.match_suggestions()) == count - 1
    explanations = [f.flag.explanation for f in window.flags]
    assert any("OT-2023-0001" in text for text in explanations)  # the flag names the other case
