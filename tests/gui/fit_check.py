"""Run in its own process (QT_SCALE_FACTOR=1.25): print the minimum size of the main window
and of every dialog, in logical pixels, as JSON lines `{"name": ..., "width": ..., "height": ...}`.

    python -m tests.gui.fit_check WORKSPACE_FOLDER
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget


def minimum(widget: QWidget) -> tuple[int, int]:
    widget.show()
    QApplication.processEvents()
    hint, floor = widget.minimumSizeHint(), widget.minimumSize()
    return max(hint.width(), floor.width()), max(hint.height(), floor.height())


def main(folder: str) -> None:
    from chronology_app.gui.app import make_application, open_demo
    from chronology_app.gui.dialogs import forms, welcome
    from chronology_app.gui.dialogs.entry_editor import EntryEditor
    from chronology_app.gui.main_window import MainWindow
    from chronology_app.gui.user_profile import ProfileDialog

    app = make_application()
    app.setOrganizationName("Chronology-fit-check")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, folder)
    service = open_demo(Path(folder) / "demo.chronology", "Fit Check")
    window = MainWindow(service, idle_minutes=60)
    window.open_case(service.cases()[0].reference)
    window.ops.wait()
    assert window.case is not None
    case, document = window.case, service.document(service.cases()[0].reference)
    entry = document["entries"][0]
    persons = [(p.id, p.name) for p in case.persons]
    screens: dict[str, Callable[[], QWidget]] = {
        "main window": lambda: window,
        "new entry": lambda: EntryEditor(case, lambda e, r: None, parent=window),
        "edit entry": lambda: EntryEditor(case, lambda e, r: None, entry=entry, parent=window),
        "add person": lambda: forms.PersonDialog(lambda v: None, window),
        "edit person": lambda: forms.PersonDialog(
            lambda v: None, window, person=document["persons"][0]
        ),
        "new case": lambda: forms.CaseDialog(lambda v: None, window),
        "case details": lambda: forms.CaseDialog(lambda v: None, window, case=document["case"]),
        "add relationship": lambda: forms.RelationshipDialog(persons, lambda v: None, window),
        "who is working": lambda: ProfileDialog(window),
        "welcome": welcome.WelcomeDialog,
        "new workspace": welcome.CreateWorkspaceDialog,
        "passphrase": lambda: welcome.PassphraseDialog("Open workspace", "Passphrase"),
    }
    from chronology_app.core.settings import settings_document
    from chronology_app.gui.dialogs.history_dialog import HistoryDialog, WithdrawnDialog
    from chronology_app.gui.dialogs.settings_dialog import SettingsDialog

    reference = service.cases()[0].reference
    screens["settings"] = lambda: SettingsDialog(
        settings_document(service.authority_settings()), lambda d: None, window
    )
    screens["entry history"] = lambda: HistoryDialog(
        "E0001", service.history(reference, entry["id"]), window
    )
    screens["withdrawn entries"] = lambda: WithdrawnDialog([], lambda e: None, window)
    from chronology_app.gui.dialogs.workspace_care import (
        ChangePassphraseDialog,
        WorkspaceCareDialog,
    )

    screens["workspace care"] = lambda: WorkspaceCareDialog(
        service, lambda o, n: None, lambda b: False, window
    )
    screens["change passphrase"] = lambda: ChangePassphraseDialog(lambda o, n: None, window)
    from chronology_app.gui.dialogs.matches_dialog import MatchesDialog

    screens["matches"] = lambda: MatchesDialog([], lambda m, d, r: None, window)
    from chronology_app.gui.bundle_commands import BundlePassphraseDialog
    from chronology_app.gui.dialogs.help_dialog import HelpDialog

    screens["bundle passphrase"] = lambda: BundlePassphraseDialog(lambda p: False, window)
    screens["guide"] = lambda: HelpDialog(window)
    screens.update(extra_screens(window))
    for name, make in screens.items():
        widget = make()
        width, height = minimum(widget)
        print(json.dumps({"name": name, "width": width, "height": height}), flush=True)
        if widget is not window:
            widget.close()
    window.close()
    service.close()


def extra_screens(window: QWidget) -> dict[str, Callable[[], QWidget]]:
    """Dialogs added later register here (one line each)."""
    from chronology_app.gui import dialogs

    return dict(getattr(dialogs, "FIT_CHECK_SCREENS", lambda w: {})(window))


if __name__ == "__main__":
    main(sys.argv[1])
