"""The name set in the app is the one the command line uses, and a profile kept by an earlier
version (in this user's Qt settings) is moved to the shared file, not asked for again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from chronology_app.core import profile
from chronology_app.gui.user_profile import ProfileDialog, load_profile, profile_is_set
from tests.conftest import EXAMPLES
from tests.conftest import run_cli as run


def test_the_name_set_in_the_app_is_the_command_lines(
    qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHRONOLOGY_USER", raising=False)
    monkeypatch.setenv("CHRONOLOGY_PASSPHRASE", "correct horse battery staple")
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("Sam Carter")
    assert dialog.try_save()
    workspace = str(tmp_path / "w.chronology")
    assert run("init", workspace)[0] == 0
    assert run("import", workspace, str(EXAMPLES / "family-b.json"))[0] == 0
    code, out, _ = run("history", workspace, "BD-2020-0193", "E0001", "--json")
    assert code == 0 and json.loads(out)[0]["who"] == "Sam Carter"


def test_an_empty_name_is_refused_in_words(qtbot: Any) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("   ")
    assert not dialog.try_save()
    assert dialog.error.text() == "Give your name as colleagues know it."
    assert not profile.profile_is_set()


def test_an_earlier_versions_profile_is_moved_over() -> None:
    settings = QSettings()
    settings.setValue("user/name", "Jo Lee")
    settings.setValue("user/role", "supervisor")
    assert profile_is_set()
    assert load_profile() == profile.Profile("Jo Lee", "supervisor")
    assert json.loads((profile.folder() / "profile.json").read_text()) == {
        "name": "Jo Lee",
        "role": "supervisor",
    }
    assert QSettings().value("user/name") is None  # kept in one place from now on
