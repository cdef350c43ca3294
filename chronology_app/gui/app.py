"""`chronology-app`: start the desktop app.

chronology-app                 the welcome screen (recent workspaces, new, demo)
chronology-app WORKSPACE       ask for WORKSPACE's passphrase and open it
chronology-app --demo [PATH]   open (making it first if needed) the demo workspace
chronology-app --self-test     check this installation works, offscreen, and exit
"""

from __future__ import annotations

import argparse
import datetime
import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from chronology_app import __version__, resources
from chronology_app.core import casefile
from chronology_app.core.errors import ChronologyError, WrongPassphrase
from chronology_app.core.service import Service
from chronology_app.core.store.workspace import Workspace
from chronology_app.gui.dialogs.welcome import (
    DEMO_PASSPHRASE,
    Choice,
    PassphraseDialog,
    WelcomeDialog,
    default_demo_path,
    remember_workspace,
)
from chronology_app.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName("Chronology")
    app.setApplicationName("Chronology")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resources.resource_dir() / "icons" / "chronology.svg")))
    for font in sorted((resources.resource_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
    return app


def open_demo(path: Path) -> Workspace:
    """The demo workspace (three fictional families), made on first use."""
    if path.exists():
        return Workspace.open(path, DEMO_PASSPHRASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.create(path, DEMO_PASSPHRASE)
    service = Service(workspace, "Demo")
    for case_file in resources.demo_case_files():
        service.import_case(casefile.read(case_file), case_file.name)
    return workspace


def open_choice(choice: Choice) -> Any:
    """The workspace chosen on the welcome screen (a file, or a team server)."""
    if choice.url:
        from chronology_app.core.store.server import ServerWorkspace

        return ServerWorkspace.open(choice.url, choice.passphrase or None)
    if choice.demo:
        return open_demo(choice.path)
    if choice.create:
        return Workspace.create(choice.path, choice.passphrase)
    return Workspace.open(choice.path, choice.passphrase)


def ask_passphrase(path: Path) -> Workspace | None:
    """Ask until the passphrase opens the workspace, or the user gives up."""
    opened: list[Workspace] = []

    def check(passphrase: str) -> str | None:
        try:
            opened.append(Workspace.open(path, passphrase))
        except ChronologyError as error:
            return str(error)
        return None

    dialog = PassphraseDialog("Open workspace", f"Passphrase for {path.name}", check=check)
    return opened[0] if dialog.exec() and opened else None


def self_test() -> None:
    """Check that this installation (or bundle) works, end to end and offscreen: a demo
    workspace in a fresh temporary folder, the main window on its first case, and a conference
    report rendered to PDF and drawn by PDFium. Raises on any problem."""
    from chronology_app.core.reports.chronology_report import build_report
    from chronology_app.gui.report_printing import page_images

    app = make_application()
    if app.windowIcon().pixmap(32).isNull():
        raise RuntimeError("the window icon did not load (resources or Qt's SVG plugin missing)")
    with tempfile.TemporaryDirectory(prefix="chronology-self-test-") as folder:
        workspace = open_demo(Path(folder) / "self-test.chronology")
        try:
            service = Service(workspace, "self-test")
            window = MainWindow(service, idle_minutes=60)
            reference = service.cases()[0].reference
            window.open_case(reference)
            window.ops.wait()
            window.close()
            pdf = build_report(
                service.case_data(reference),
                service.flags(reference),
                "conference",
                prepared_by="self-test",
                report_date=datetime.date.today(),
                rules=service.rules,
            )
        finally:
            workspace.close()
    if not pdf.startswith(b"%PDF-") or not page_images(pdf, dpi=20):
        raise RuntimeError("the conference report is not a readable PDF")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chronology-app", description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", help="a workspace to open")
    parser.add_argument("--demo", action="store_true", help="open the demo workspace")
    parser.add_argument("--version", action="version", version=f"chronology-app {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation works, then exit"
    )
    args = parser.parse_args(argv)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        try:
            self_test()
        except Exception as error:  # any failure is the answer: one line, non-zero
            print(f"self-test failed: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
        print("self-test ok")
        return 0
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = make_application()
    workspace: Any = None  # a Workspace, or a team server's ServerWorkspace
    try:
        if args.demo:
            workspace = open_demo(Path(args.workspace) if args.workspace else default_demo_path())
        elif args.workspace:
            workspace = ask_passphrase(Path(args.workspace))
        else:
            while workspace is None:
                welcome = WelcomeDialog()
                if not welcome.exec() or welcome.result_choice is None:
                    return 0
                try:
                    workspace = open_choice(welcome.result_choice)
                except WrongPassphrase as error:
                    QMessageBox.warning(None, "Chronology", str(error))
    except ChronologyError as error:
        QMessageBox.warning(None, "Chronology", str(error))
        return 1
    if workspace is None:
        return 0
    remember_workspace(workspace.path)
    window = MainWindow(Service(workspace, getpass.getuser()))
    window.show()
    cases = window.service.cases()
    if cases:
        window.open_case(cases[0].reference)
    code = app.exec()
    workspace.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
