"""The File menu's commands on cases: import and export case files, reports (PDF and print),
the timeline as an image, and a check of every case for flags.

An import is a change like any other: it goes through `Operations.change`, off the GUI thread
(`bundle_commands` reads case files and bundles alike).
Reports are built off the GUI thread by `report_printing` (loaded on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from chronology_app.core import casefile
from chronology_app.core.analysis import ReviewedFlag
from chronology_app.core.errors import ChronologyError
from chronology_app.gui.operations import show_error

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow


class FileCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def import_case(self) -> None:
        """A case file or an encrypted bundle (see `bundle_commands`)."""
        self.window.bundles.import_file()

    def export_case(self) -> None:
        window = self.window
        reference = window.reference
        if reference is None:
            return
        answer = QMessageBox.warning(
            window,
            "Export case file",
            "A case file is NOT encrypted. Keep it only on protected storage, send it only by "
            "secure means, and delete it when it is no longer needed.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            window, "Export case file", f"{reference}.json", "Case files (*.json)"
        )
        if path:
            try:
                casefile.write(window.service.document(reference), path)
            except ChronologyError as error:
                show_error(window, error)

    def export_pdf(self) -> None:
        from chronology_app.gui import report_printing  # PDF and Word libraries load on use

        report_printing.export_report(self.window)

    def print_report(self) -> None:
        from chronology_app.gui import report_printing

        report_printing.print_report(self.window)

    def export_timeline(self) -> None:
        from chronology_app.gui import report_printing

        report_printing.export_timeline(self.window)

    def check_workspace(self) -> None:
        window = self.window

        def done(found: dict[str, list[ReviewedFlag]]) -> None:
            lines = []
            for reference, flags in sorted(found.items()):
                count = sum(1 for f in flags if f.review is None)
                lines.append(f"{reference}: {count} flag{'' if count == 1 else 's'} to review")
            QMessageBox.information(window, "Flags in every case", "\n".join(lines) or "No cases.")

        window.ops.in_background("Checking every case…", window.service.workspace_flags, done)
