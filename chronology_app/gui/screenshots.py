"""Save PNGs of the main screens on the demo families (`make screenshots`).

    QT_QPA_PLATFORM=offscreen python -m chronology_app.gui.screenshots docs/screenshots

The demo workspace is made in a new temporary folder (it holds only fictional families and is
encrypted like any workspace) and removed afterwards.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from chronology_app.core.settings import settings_document
from chronology_app.gui.app import make_application, open_demo
from chronology_app.gui.dialogs.entry_editor import EntryEditor
from chronology_app.gui.dialogs.forms import CaseDialog, PersonDialog
from chronology_app.gui.dialogs.help_dialog import HelpDialog
from chronology_app.gui.dialogs.history_dialog import HistoryDialog
from chronology_app.gui.dialogs.matches_dialog import MatchesDialog
from chronology_app.gui.dialogs.settings_dialog import SettingsDialog
from chronology_app.gui.dialogs.welcome import WelcomeDialog
from chronology_app.gui.dialogs.workspace_care import WorkspaceCareDialog
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.user_profile import ProfileDialog


def grab(widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path), "PNG")
    print(f"wrote {path}")


def grab_dialog(dialog: QDialog, path: Path) -> None:
    grab(dialog, path)
    dialog.close()


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    make_application()
    with tempfile.TemporaryDirectory() as folder:
        service = open_demo(Path(folder) / "demo.chronology", "Demo Worker")
        window = MainWindow(service, idle_minutes=60)
        window.resize(1500, 900)
        references = [case.reference for case in window.service.cases()]
        window.open_case(references[0])
        window.ops.wait()
        grab(window, target / "main-window.png")
        window.resize(1092, 574)  # 1366x768 at 125 % less a taskbar
        grab(window, target / "main-window-small-laptop.png")
        window.resize(1500, 900)
        window.filter_bar.search.setText("police")
        grab(window, target / "chronology-filtered.png")
        window.filter_bar.clear()
        window.select_entries([window.model.entry(12).id])
        grab(window.timeline, target / "timeline.png")
        _people_and_family(window, references, target)
        assert window.case is not None
        editor = EntryEditor(window.case, lambda entry, reason: None, parent=window)
        editor.kind.setCurrentIndex(editor.kind.findData("disclosure"))
        editor.date.setText("March 2019")
        editor.agency.setText("Health visiting")
        editor.summary.setText("Mother discloses 'a history of domestic abuse'.")
        editor.try_save()
        editor.summary.clear()
        editor.try_save()
        grab(editor, target / "entry-editor.png")
        editor.close()
        _future_dates(window, target)
        document = service.document(references[0])
        person = PersonDialog(lambda values: None, window, person=document["persons"][0])
        grab_dialog(person, target / "edit-person.png")
        grab_dialog(
            CaseDialog(lambda values: None, window, case=document["case"]),
            target / "case-details.png",
        )
        grab_dialog(ProfileDialog(window), target / "who-is-working.png")
        grab_dialog(
            SettingsDialog(settings_document(service.authority_settings()), print, window),
            target / "settings.png",
        )
        grab_dialog(
            WorkspaceCareDialog(service, lambda old, new: None, lambda backup: False, window),
            target / "workspace-care.png",
        )
        entry_id = document["entries"][0]["id"]
        grab_dialog(
            HistoryDialog("E0001", service.history(references[0], entry_id), window),
            target / "entry-history.png",
        )
        grab_dialog(
            MatchesDialog(service.match_suggestions(), lambda m, d, r: None, window),
            target / "same-person.png",
        )
        grab_dialog(HelpDialog(window), target / "guide.png")
        grab(WelcomeDialog(), target / "welcome.png")
        _import_wizard(window, Path(folder), target)
        window.lock()
        grab(window, target / "locked.png")
        window.close()
        _high_contrast(service, references[0], target)
        service.close()
    return 0


def _people_and_family(window: MainWindow, references: list[str], target: Path) -> None:
    """The people view with its family diagram (given room, as a user would drag it), and each
    demo family's diagram in its own window."""
    window.case_view.tabs.setCurrentWidget(window.people)
    sizes = window.case_view.splitter.sizes()
    window.case_view.splitter.setSizes([sum(sizes) - 520, 520])
    grab(window, target / "people-and-family.png")
    window.case_view.splitter.setSizes(sizes)
    for reference in references:
        window.open_case(reference)
        window.ops.wait()
        window.people.open_diagram_window()
        diagram = window.people.window_
        assert diagram is not None
        diagram.resize(900, 520)
        grab(diagram, target / f"family-diagram-{reference}.png")
        diagram.close()
    window.open_case(references[0])
    window.ops.wait()


def _future_dates(window: MainWindow, target: Path) -> None:
    """A date years ahead: the editor's question, and the timeline's note."""
    from chronology_app.core import clock
    from chronology_app.gui.dialogs.entry_parts import future_box, future_question

    assert window.case is not None and window.reference is not None
    editor = EntryEditor(window.case, lambda entry, reason: None, parent=window)
    editor.date.setText("12/03/2031")
    editor.kind.setCurrentIndex(editor.kind.findData("conference"))
    editor.summary.setText("Review child protection conference.")
    editor.agency.setText("Children's social care")
    grab(editor, target / "entry-editor-future-date.png")
    reading = editor.date_read()
    assert reading is not None
    question = future_question(reading, clock.today())
    assert question is not None
    grab_dialog(future_box(editor, question), target / "future-date-question.png")
    editor.close()
    reference = window.reference
    entry = {
        "date": "2031-03-12",
        "kind": "conference",
        "summary": "Review child protection conference.",
        "source": {"agency": "Children's social care"},
    }
    window.ops.change(lambda: window.service.add_entry(reference, entry))
    window.ops.wait()
    window.case_view.tabs.setCurrentIndex(0)
    grab(window.case_view.tabs, target / "timeline-future-entry.png")
    window.actions_.undo.trigger()
    window.ops.wait()


def _high_contrast(service: Any, reference: str, target: Path) -> None:
    """The main window, the entry editor and the lock screen under a high-contrast palette
    (the system's, as a machine that reports it would give; the user's setting is not
    touched)."""
    from chronology_app.gui import colours

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    colours.use_palette(colours.high_contrast_palette())
    try:
        window = MainWindow(service, idle_minutes=60)
        window.resize(1500, 900)
        window.open_case(reference)
        window.ops.wait()
        window.select_entries([window.model.entry(12).id])
        grab(window, target / "main-window-high-contrast.png")
        assert window.case is not None
        editor = EntryEditor(window.case, lambda entry, reason: None, parent=window)
        editor.kind.setCurrentIndex(editor.kind.findData("disclosure"))
        editor.date.setText("March 2019")
        editor.try_save()
        grab(editor, target / "entry-editor-high-contrast.png")
        editor.close()
        window.case_view.tabs.setCurrentWidget(window.people)
        grab(window.case_view.tabs, target / "people-high-contrast.png")
        window.lock()
        window.lock_screen.try_unlock()
        grab(window, target / "locked-high-contrast.png")
        window.close()
    finally:
        colours.use_palette(before)


def _import_wizard(window: MainWindow, folder: Path, target: Path) -> None:
    """The import wizard's rows and duplicates on a small fictional police contribution."""
    from chronology_app.gui.dialogs.import_wizard import ImportWizard

    assert window.reference is not None and window.case is not None
    entry = next(e for e in window.case.entries if e.kind == "incident")
    day = entry.date.earliest
    rows = [
        "Date,Significant event,Document reference,Officer",
        f'{day:%d/%m/%Y},"{entry.summary.rstrip(".")} (police log)",CAD 1182,PC 4410',
        "31/02/2021,Officers attend after a neighbour reports shouting,CAD 2291,PC 4410",
        "early 2022,Harassment warning issued,PIN 77,PC 1203",
    ]
    path = folder / "police-contribution.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wizard = ImportWizard(window.service, window.reference, window.ops, window)
    wizard.resize(1200, 520)
    wizard.path.setText(str(path))
    wizard.agency.setText("Police")
    for _ in range(2):
        wizard.next_step()
        window.ops.wait()
    grab(wizard, target / "import-wizard.png")
    wizard.preview.setData(wizard.preview.index(1, 1), "28/02/2021")
    wizard.next_step()
    window.ops.wait()
    grab(wizard, target / "import-duplicates.png")
    wizard.duplicates.setData(wizard.duplicates.index(0, 3), "same-event")
    wizard.next_step()  # to the summary
    wizard.next_step()  # the import
    window.ops.wait()
    grab(window, target / "import-done.png")  # the imported rows selected
    window.service.undo()  # the demo case as it was, for the screens after this one
    window.open_case(window.reference)
    window.ops.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
