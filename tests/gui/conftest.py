"""Qt fixtures: offscreen, isolated settings, a workspace with family B open in a window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from chronology_app.core.service import Service


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, qapp: Any) -> None:
    QStandardPaths.setTestModeEnabled(True)
    qapp.setOrganizationName("Chronology-tests")
    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()
    from chronology_app.gui import colours

    colours._USER_CHOICE.clear()  # the user's high-contrast choice is read once per process


@pytest.fixture
def family_b_service(service: Service, family_b: dict[str, Any]) -> Service:
    service.import_case(family_b)
    return service


@pytest.fixture
def window(qtbot: Any, family_b_service: Service) -> Iterator[Any]:
    from chronology_app.gui.main_window import MainWindow

    win = MainWindow(family_b_service, idle_minutes=60)
    qtbot.addWidget(win)
    win.open_case("BD-2020-0193")
    win.ops.wait()  # the flags are found in the background
    yield win
    win.ops.wait()
