"""`chronology-app`: start the desktop app.

chronology-app                 the welcome screen (recent workspaces, new, demo)
chronology-app WORKSPACE       ask for WORKSPACE's passphrase and open it
chronology-app --demo [PATH]   open (making it first if needed) the demo workspace
chronology-app --self-test     check this installation works, offscreen, and exit
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from chronology_app import __version__, resources
from chronology_app.core.bulk import keep_what_reads_make
from chronology_app.core.errors import ChronologyError
from chronology_app.core.hardening import harden_process
from chronology_app.gui import colours
from chronology_app.gui.dialogs.welcome import (
    DEMO_PASSPHRASE,
    Choice,
    PassphraseDialog,
    WelcomeDialog,
    default_demo_path,
    remember_workspace,
)
from chronology_app.gui.user_profile import load_profile
from chronology_app.gui.warm_up import warm_up

if TYPE_CHECKING:
    from chronology_app.core.service import Service
    from chronology_app.gui.main_window import MainWindow

    # A workspace open, with the window made while it opened (None: made when shown).
    Opened = tuple[Service, MainWindow | None]

log = logging.getLogger(__name__)


def _service() -> type[Service]:
    from chronology_app.core.service import Service

    return Service


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName("Chronology")
    app.setApplicationName("Chronology")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resources.resource_dir() / "icons" / "chronology.svg")))
    colours.follow_the_system()
    return app


def open_demo(path: Path, user: str = "Demo") -> Service:
    """The demo workspace (three fictional families), made on first use."""
    from chronology_app.core import casefile

    if path.exists():
        return _service().open(path, DEMO_PASSPHRASE, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    service = _service().create(path, DEMO_PASSPHRASE, user)
    for case_file in resources.demo_case_files():
        service.import_case(casefile.read(case_file), case_file.name)
    return service


def open_choice(choice: Choice, user: str) -> Service:
    """The workspace chosen on the welcome screen (a file, or a team server: the password is
    the database's, when the server asks for one)."""
    if choice.url:
        return _service().open(choice.url, choice.passphrase or "", user)
    if choice.demo:
        return open_demo(choice.path, user)
    if choice.create:
        return _service().create(choice.path, choice.passphrase, user)
    return _service().open(choice.path, choice.passphrase, user)


def ask_passphrase(path: Path, user: str) -> Service | None:
    """Ask until the passphrase opens the workspace, or the user gives up."""
    opened: list[Service] = []

    def check(passphrase: str) -> str | None:
        try:
            opened.append(_service().open(path, passphrase, user))
        except ChronologyError as error:
            return str(error)
        return None

    dialog = PassphraseDialog("Open workspace", f"Passphrase for {path.name}", check=check)
    return opened[0] if dialog.exec() and opened else None


def open_in_window(
    choice: Choice, user: str, idle_minutes: int | None = None
) -> tuple[Service, MainWindow]:
    """Open the chosen workspace and make its main window at the same time: the workspace
    opens on a thread of its own while the window is made on the GUI thread. Nearly all of
    opening is the key derivation, which runs in SQLCipher's C code without Python's lock, so
    the window costs the user no time of its own. If the workspace does not open (a wrong
    passphrase, a file that is not a workspace), the window is thrown away unshown and the
    error raised here, as `open_choice` raises it."""
    from chronology_app.gui.main_window import MainWindow

    opened: list[Service] = []
    failed: list[BaseException] = []

    def opening() -> None:
        try:
            opened.append(open_choice(choice, user))
        except BaseException as error:  # (raised again on the GUI thread, below)
            failed.append(error)

    thread = threading.Thread(target=opening, name="open the workspace", daemon=True)
    thread.start()
    window = MainWindow(idle_minutes=idle_minutes, name=choice.path.name)
    thread.join()
    if failed:
        window.close()
        window.deleteLater()
        raise failed[0]
    window.attach(opened[0])
    return opened[0], window


def choose_workspace(user: str) -> Opened | None:
    """The welcome screen, until a workspace opens or the user leaves (None). A workspace
    that does not open (a wrong passphrase, a file from a newer version, a full disk, a
    server that refuses) is said in words, and the welcome screen comes back."""
    while True:
        welcome = WelcomeDialog()
        if not welcome.exec() or welcome.result_choice is None:
            return None
        try:
            return open_in_window(welcome.result_choice, user)
        except ChronologyError as error:
            QMessageBox.warning(None, "Chronology", str(error))


def self_test() -> None:
    """Check that this installation (or bundle) works, end to end and offscreen: a demo
    workspace in a fresh temporary folder, the main window on its first case, and a conference
    report rendered to PDF and drawn by PDFium. Raises on any problem."""
    from chronology_app.gui.main_window import MainWindow
    from chronology_app.gui.report_printing import page_images, report_builder

    app = make_application()
    if app.windowIcon().pixmap(32).isNull():
        raise RuntimeError("the window icon did not load (resources or Qt's SVG plugin missing)")
    with tempfile.TemporaryDirectory(prefix="chronology-self-test-") as folder:
        service = open_demo(Path(folder) / "self-test.chronology", "self-test")
        try:
            window = MainWindow(service, idle_minutes=60)
            reference = service.cases()[0].reference
            window.open_case(reference)
            window.ops.wait()
            window.close()
            outcome = report_builder(service, reference, "conference")()
        finally:
            service.close()
    if not hasattr(outcome, "data"):
        raise RuntimeError(f"the conference report was not made: {outcome}")
    pdf = outcome.data
    if not pdf.startswith(b"%PDF-") or not page_images(pdf, dpi=20):
        raise RuntimeError("the conference report is not a readable PDF")


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()  # no core dumps (decrypted case text), private files: before anything
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
    keep_what_reads_make()  # the case on screen is kept: see core/bulk.py
    warm_up(app)
    user = load_profile().name
    opened: Opened | None
    try:
        if args.demo:
            path = Path(args.workspace) if args.workspace else default_demo_path()
            opened = (open_demo(path, user), None)
        elif args.workspace:
            service = ask_passphrase(Path(args.workspace), user)
            opened = (service, None) if service is not None else None
        else:
            opened = choose_workspace(user)
    except ChronologyError as error:
        QMessageBox.warning(None, "Chronology", str(error))
        return 1
    code = 0
    while opened is not None:
        code, back_to_welcome, restored = run_window(app, *opened)
        if restored is not None:
            opened = (restored, None)  # a backup restored: carry on in it
        else:
            opened = choose_workspace(load_profile().name) if back_to_welcome else None
    return code


def run_window(
    app: QApplication, service: Service, window: MainWindow | None = None
) -> tuple[int, bool, Service | None]:
    """Show the main window on `service` (made already, or now) until it closes. Returns the
    exit code, whether the user closed the workspace to go back to the welcome screen, and a
    restored workspace to carry on in."""
    from chronology_app.gui.main_window import MainWindow

    remember_workspace(service.workspace.path)
    if window is None:
        window = MainWindow(service)
    window.show()
    cases = service.cases()
    if cases:
        window.open_case(cases[0].reference)
    back: list[bool] = []

    def closed() -> None:
        back.append(True)
        app.quit()

    window.workspace_closed.connect(closed)
    try:
        code = int(app.exec())
    finally:
        restored = window.next_service
        if restored is None:
            service.close()  # (a restore closed it already)
        let_go(window)
    return code, bool(back), restored


def let_go(window: MainWindow) -> None:
    """Delete a closed main window now, with everything it holds: the workspace (and its
    passphrase) and the case that was on screen. Its actions' slots hold the window through
    Qt's connections, where Python's collector cannot see them, so without this a window
    closed to go back to the welcome screen would stay in memory until the app quits."""
    import shiboken6

    window.ops.wait()  # nothing left to deliver to it
    if shiboken6.isValid(window):
        shiboken6.delete(window)


if __name__ == "__main__":
    sys.exit(main())
