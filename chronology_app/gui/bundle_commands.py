"""Moving a case between workspaces: export it as an encrypted bundle, and import a bundle (the
Import dialog offers case files and bundles alike; the file itself says which it is).

The bundle's passphrase is asked on the GUI thread; sealing and opening (scrypt, deliberately
slow) and the import run off it, through the one door.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from chronology_app.core import bundle, casefile
from chronology_app.core.errors import ChronologyError
from chronology_app.core.passphrases import passphrase_problem
from chronology_app.core.service import OpChanges
from chronology_app.gui.operations import show_error
from chronology_app.gui.widgets.dialog_parts import (
    accept_unless,
    error_label,
    ok_cancel,
    secret_field,
    strength_line,
)

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow

OPEN_FILTER = (
    "Case files and bundles (*.json *.bundle);;Case bundles (*.bundle);;Case files (*.json)"
)


class BundlePassphraseDialog(QDialog):
    """A new passphrase for a bundle, typed twice; it must not be the workspace's."""

    def __init__(self, is_workspace_passphrase: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Passphrase for the bundle")
        self._is_workspace = is_workspace_passphrase
        form = QFormLayout(self)
        note = QLabel(
            "Whoever receives the case needs this passphrase. Give it to them separately "
            "(by phone, not in the same email). It must differ from this workspace's."
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.first, self.second = secret_field("Passphrase"), secret_field("Type it again")
        form.addRow("Passphrase", self.first)
        form.addRow("Type it again", self.second)
        self.hint = strength_line(self.first)
        form.addRow("", self.hint)
        self.error = error_label()
        form.addRow("", self.error)
        buttons = ok_cancel(self, self.try_accept)
        form.addRow(buttons)

    def problem(self) -> str:
        text = self.first.text()
        weak = passphrase_problem(text)  # the one policy, as for workspaces and the CLI
        if weak:
            return weak
        if text != self.second.text():
            return "The two passphrases differ; type them again."
        if self._is_workspace(text):
            return "Choose a passphrase different from the workspace's."
        return ""

    def try_accept(self) -> bool:
        return accept_unless(self, self.problem(), self.error)


class BundleCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def _is_workspace_passphrase(self, passphrase: str) -> bool:
        try:
            self.window.service.check_passphrase(passphrase)
        except ChronologyError:
            return False
        return True

    def export_bundle(self, path: str | None = None, passphrase: str | None = None) -> None:
        window = self.window
        reference = window.reference
        if reference is None:
            return
        if passphrase is None:
            dialog = BundlePassphraseDialog(self._is_workspace_passphrase, window)
            if not dialog.exec():
                return
            passphrase = dialog.first.text()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                window, "Export encrypted bundle", f"{reference}.bundle", "Case bundles (*.bundle)"
            )
        if not path:
            return
        document = window.service.document(reference)
        chosen, secret = Path(path), passphrase

        def done(_: None) -> None:
            window.statusBar().showMessage(
                f"Exported {reference} to {chosen.name}, encrypted. Send the passphrase "
                "separately.",
                10000,
            )

        window.ops.in_background(
            "Sealing the bundle…", lambda: bundle.write(document, chosen, secret), done
        )

    def import_file(self, path: str | None = None, passphrase: str | None = None) -> None:
        """Import a case file or a bundle (asking a bundle's passphrase first)."""
        window = self.window
        if path is None:
            path, _ = QFileDialog.getOpenFileName(window, "Import a case", "", OPEN_FILTER)
        if not path:
            return
        name = Path(path).name
        try:
            with open(path, "rb") as handle:
                value = casefile.parse_json(handle.read(casefile.MAX_FILE_BYTES + 1), name)
        except OSError as error:
            show_error(window, ChronologyError(f"{path}: cannot read the file ({error.strerror})"))
            return
        except ChronologyError as error:
            show_error(window, error)
            return
        if bundle.is_bundle(value):
            if passphrase is None:
                text, ok = QInputDialog.getText(
                    window,
                    "Import a bundle",
                    f"The passphrase of {name} (from whoever sent it):",
                    QLineEdit.EchoMode.Password,
                )
                if not ok:
                    return
                passphrase = text
            secret = passphrase

            def work() -> OpChanges:
                return window.service.import_case(bundle.open_bundle(value, secret, name), name)

        else:

            def work() -> OpChanges:
                return window.service.import_case(value, name)

        def opened(changes: OpChanges) -> None:
            if changes.case_reference:
                window.open_case(changes.case_reference)

        window.ops.change(work, slow=f"Importing {name}…", then=opened)
