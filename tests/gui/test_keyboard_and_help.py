"""Keyboard and reading: every panel reachable by a key, the text size larger and smaller
(remembered), accessible names on the controls, and F1 opens the built-in guide."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from chronology_app.core.rules.engine import RULE_CLASSES
from chronology_app.gui.dialogs.help_dialog import HelpDialog, guide_html
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.view_commands import text_size_steps


@pytest.mark.parametrize(
    ("action", "widget"),
    [
        ("go_cases", lambda w: w.cases_panel.table),
        ("go_chronology", lambda w: w.table),
        ("go_timeline", lambda w: w.timeline),
        ("go_flags", lambda w: w.flags_panel.table),
    ],
)
def test_every_panel_is_reachable_by_a_key(
    qtbot: Any, window: MainWindow, action: str, widget: Any
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    getattr(window.actions_, action).trigger()
    qtbot.waitUntil(lambda: widget(window).hasFocus(), timeout=2000)
    assert getattr(window.actions_, action).shortcut().toString().startswith("Ctrl+")


def test_text_size_larger_smaller_and_remembered(window: MainWindow) -> None:
    normal = QApplication.font().pointSizeF()
    window.actions_.text_larger.trigger()
    window.actions_.text_larger.trigger()
    assert QApplication.font().pointSizeF() == normal + 3
    assert text_size_steps() == 2
    window.actions_.text_smaller.trigger()
    assert QApplication.font().pointSizeF() == normal + 1.5
    window.actions_.text_normal.trigger()
    assert QApplication.font().pointSizeF() == normal and text_size_steps() == 0


def test_controls_have_accessible_names(window: MainWindow) -> None:
    names = {
        window.table.accessibleName(),
        window.timeline.accessibleName(),
        window.flags_panel.table.accessibleName(),
        window.filter_bar.search.accessibleName(),
        window.filter_bar.person.accessibleName(),
    }
    assert names == {"Chronology", "Timeline", "Flags", "Search the chronology", "Person"}


def test_f1_opens_the_guide_with_every_flag_in_plain_words(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[HelpDialog] = []
    monkeypatch.setattr(HelpDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    assert "F1" in [s.toString() for s in window.actions_.help.shortcuts()]
    window.actions_.help.trigger()
    (dialog,) = opened
    text = dialog.browser.toPlainText()
    for heading in ("A tour of the window", "Dates", "Flags", "Reports", "Keeping the workspace"):
        assert heading in text
    for rule in RULE_CLASSES:
        assert rule.title in text
        assert rule.id not in guide_html()  # no rule ids: the user has not met them
