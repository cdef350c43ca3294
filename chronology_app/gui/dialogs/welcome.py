"""The welcome screen: recent workspaces, a new workspace, or the demo workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.passphrases import passphrase_problem
from chronology_app.gui.widgets.dialog_parts import (
    accept_unless,
    error_label,
    ok_cancel,
    secret_field,
    strength_line,
)

DEMO_PASSPHRASE = "demo-passphrase-not-secret"
RECENT_KEY = "workspaces/recent"
# Where each kind of workspace keeps the cases, said truly for each.
FILE_WORDS = "A workspace file stays encrypted on this computer."
SERVER_WORDS = (
    "A team server holds the cases on your authority's server, not on this computer; the "
    "connection to it is encrypted (TLS), and Chronology tells you if a connection over the "
    "network is not."
)


@dataclass(frozen=True)
class Choice:
    path: Path
    passphrase: str
    create: bool = False
    demo: bool = False
    url: str = ""  # a team server (postgresql://host:port/dbname); passphrase: its password


def default_demo_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return folder / "demo.chronology"


def recent_workspaces() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [str(p) for p in items if Path(str(p)).exists()]


def remember_workspace(path: Path) -> None:
    items = [str(path)] + [p for p in recent_workspaces() if p != str(path)]
    QSettings().setValue(RECENT_KEY, items[:8])


class PassphraseDialog(QDialog):
    """Ask for a workspace's passphrase; `check` may refuse it and the message shows inline."""

    def __init__(
        self, title: str, prompt: str, parent: QWidget | None = None, check: Any = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.passphrase)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = ok_cancel(self, self._accept)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self._check is not None:
            problem = self._check(self.passphrase.text())
            if problem:
                self.error.setText(problem)
                self.passphrase.selectAll()
                return
        self.accept()


class CreateWorkspaceDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workspace")
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        form.addRow("File", row)
        self.first = secret_field("Passphrase")
        self.hint = strength_line(self.first)
        form.addRow("Passphrase", self.first)
        form.addRow("", self.hint)
        self.second = secret_field("Type it again")
        form.addRow("Type it again", self.second)
        self.error = error_label()
        form.addRow("", self.error)
        buttons = ok_cancel(self, self._accept)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", "", "Chronology workspace (*.chronology)"
        )
        if path:
            self.path.setText(path if path.endswith(".chronology") else path + ".chronology")

    def problem(self) -> str:
        if not self.path.text().strip():
            return "Choose where to keep the workspace."
        if Path(self.path.text()).exists():
            return "A file is already there; choose another name."
        weak = passphrase_problem(self.first.text())  # as the CLI asks: one policy
        if weak:
            return weak
        if self.first.text() != self.second.text():
            return "The two passphrases differ."
        return ""

    def _accept(self) -> None:
        accept_unless(self, self.problem(), self.error)

    def choice(self) -> Choice:
        return Choice(Path(self.path.text()), self.first.text(), create=True)


class ServerDialog(QDialog):
    """Connect to a team server: its address, and a password unless the authority's IT team
    set up sign-in another way (~/.pgpass, a certificate, Kerberos)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a team server")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://server.example/chronology")
        form.addRow("Server", self.url)
        self.user = QLineEdit()
        self.user.setPlaceholderText("your sign-in name, if not in the address")
        form.addRow("Sign in as", self.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Password", self.password)
        hint = QLabel("Leave the password empty if your IT team set up your sign-in for you.")
        hint.setWordWrap(True)
        form.addRow("", hint)
        where = QLabel(SERVER_WORDS)
        where.setWordWrap(True)
        where.setMinimumHeight(where.heightForWidth(380))
        form.addRow("", where)
        self.error = error_label()
        form.addRow("", self.error)
        buttons = ok_cancel(self, self._accept)
        form.addRow(buttons)

    def address(self) -> str:
        url = self.url.text().strip()
        user = self.user.text().strip()
        if user and "@" not in url.split("://", 1)[-1].split("/", 1)[0]:
            scheme, _, rest = url.partition("://")
            url = f"{scheme}://{user}@{rest}"
        return url

    def problem(self) -> str:
        url = self.url.text().strip()
        if not url:
            return "Type the server's address (your IT team gives it)."
        if not url.lower().startswith(("postgresql://", "postgres://")):
            return "A team server's address starts with postgresql:// (for example " + (
                "postgresql://server.example/chronology)."
            )
        return ""

    def _accept(self) -> None:
        accept_unless(self, self.problem(), self.error)

    def choice(self) -> Choice:
        return Choice(Path(), self.password.text(), url=self.address())


class WelcomeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Chronology")
        self.resize(560, 420)
        self.result_choice: Choice | None = None
        layout = QVBoxLayout(self)
        title = QLabel(
            "<h2>Chronology</h2><p>Domestic-abuse risk chronologies for children's "
            f"social work.</p><p>{FILE_WORDS}<br>{SERVER_WORDS}</p>"
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(QLabel("Recent workspaces"))
        self.recent = QListWidget()
        for path in recent_workspaces():
            QListWidgetItem(path, self.recent)
        self.recent.itemDoubleClicked.connect(lambda item: self._open(Path(item.text())))
        layout.addWidget(self.recent)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Open…", self._open_other),
            ("New workspace…", self._create),
            ("Open the demo workspace", self._demo),
            ("Connect to a team server…", self._server),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        demo = QLabel(
            f"The demo workspace holds three fictional families. Its passphrase is "
            f"<b>{DEMO_PASSPHRASE}</b>."
        )
        demo.setWordWrap(True)
        layout.addWidget(demo)

    def _open_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", "", "Chronology workspace (*.chronology)"
        )
        if path:
            self._open(Path(path))

    def _open(self, path: Path) -> None:
        dialog = PassphraseDialog("Open workspace", f"Passphrase for {path.name}", self)
        if dialog.exec():
            self.result_choice = Choice(path, dialog.passphrase.text())
            self.accept()

    def _create(self) -> None:
        dialog = CreateWorkspaceDialog(self)
        if dialog.exec():
            self.result_choice = dialog.choice()
            self.accept()

    def _server(self) -> None:
        dialog = ServerDialog(self)
        if dialog.exec():
            self.result_choice = dialog.choice()
            self.accept()

    def _demo(self) -> None:
        self.result_choice = Choice(default_demo_path(), DEMO_PASSPHRASE, demo=True)
        self.accept()
