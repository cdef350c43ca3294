"""Save PNGs of the main screens on the demo families (`make screenshots`).

    QT_QPA_PLATFORM=offscreen python -m chronology_app.gui.screenshots docs/screenshots

The demo workspace is made in a new temporary folder (it holds only fictional families and is
encrypted like any workspace) and removed afterwards.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from chronology_app.core.service import Service
from chronology_app.gui.app import make_application, open_demo
from chronology_app.gui.dialogs.entry_editor import EntryEditor
from chronology_app.gui.dialogs.welcome import WelcomeDialog
from chronology_app.gui.main_window import MainWindow


def grab(widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path), "PNG")
    print(f"wrote {path}")


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    make_application()
    with tempfile.TemporaryDirectory() as folder:
        workspace = open_demo(Path(folder) / "demo.chronology")
        window = MainWindow(Service(workspace, "Demo Worker"), idle_minutes=60)
        window.resize(1500, 900)
        references = [case.reference for case in window.service.cases()]
        window.open_case(references[0])
        window.ops.wait()
        grab(window, target / "main-window.png")
        window.filter_bar.search.setText("police")
        grab(window, target / "chronology-filtered.png")
        window.filter_bar.clear()
        window.select_entries([window.model.entry(12).id])
        grab(window.timeline, target / "timeline.png")
        window.people.parentWidget().parentWidget().setCurrentWidget(window.people)
        grab(window, target / "people-and-family.png")
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
        grab(WelcomeDialog(), target / "welcome.png")
        window.lock()
        grab(window, target / "locked.png")
        window.close()
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
