"""The questions asked before a report: who it is for (every time, family-facing first, one
line on what each includes), and the review list of what the sharing check found."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from chronology_app.core.reports.audience import AUDIENCES, FAMILY_FACING, INCLUDES
from chronology_app.core.reports.check import Finding
from chronology_app.gui.colours import toned


class AudienceDialog(QDialog):
    """Who is the report for? No choice is made in advance: OK waits for one."""

    def __init__(self, parent: QWidget | None, action: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{action}: who is it for?")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Who is this report for?"))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for audience, title in AUDIENCES.items():  # family-facing first
            button = QRadioButton(title)
            button.setObjectName(audience)
            self.group.addButton(button)
            self.buttons[audience] = button
            layout.addWidget(button)
            note = QLabel(INCLUDES[audience])
            note.setContentsMargins(24, 0, 0, 6)
            toned(note, "muted")
            layout.addWidget(note)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        self.ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.group.buttonToggled.connect(lambda *_: self.ok.setEnabled(True))
        layout.addWidget(self.box)

    @property
    def audience(self) -> str | None:
        button = self.group.checkedButton()
        return button.objectName() if button is not None else None


def ask_audience(parent: QWidget | None, action: str) -> str | None:
    dialog = AudienceDialog(parent, action)
    return dialog.audience if dialog.exec() else None


class SharingReviewDialog(QDialog):
    """What the sharing check found. Errors stop the report (reword or restrict the entry);
    warnings can be signed off, entry by entry, as checked and safe to share."""

    def __init__(
        self,
        parent: QWidget | None,
        audience: str,
        findings: Sequence[Finding],
        *,
        open_entry: Callable[[str], None] | None = None,
        sign_off: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check before sharing")
        self.open_entry, self.sign_off = open_entry, sign_off
        errors = [f for f in findings if f.stops]
        layout = QVBoxLayout(self)
        if errors:
            text = (
                f"The {audience} report was not made: the shared text names a restricted "
                "person. Reword or restrict these entries, then make the report again."
            )
        else:
            text = (
                f"The {audience} report was made. Review these before sharing it; sign off an "
                "entry when you have checked it is safe to share (editing it clears that)."
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for finding in findings:
            prefix = "Stops the report" if finding.stops else "To review"
            item = QListWidgetItem(f"{prefix}: {finding.line()}")
            item.setData(Qt.ItemDataRole.UserRole, finding)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(self._open)
        layout.addWidget(self.list)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton("Open entry")
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        box.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.sign_button = QPushButton("Checked, safe to share")
        self.sign_button.clicked.connect(self._sign)
        self.sign_button.setEnabled(False)
        box.addButton(self.sign_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.reject)
        box.accepted.connect(self.accept)
        layout.addWidget(box)
        self.list.currentItemChanged.connect(self._selected)
        self.resize(720, 360)

    def _finding(self, item: QListWidgetItem | None) -> Finding | None:
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        finding = self._finding(item)
        self.open_button.setEnabled(bool(finding and finding.entry_id and self.open_entry))
        self.sign_button.setEnabled(
            bool(finding and not finding.stops and finding.entry_id and self.sign_off)
        )

    def _open(self, item: QListWidgetItem | None) -> None:
        finding = self._finding(item)
        if finding is not None and finding.entry_id and self.open_entry is not None:
            self.open_entry(finding.entry_id)

    def _sign(self) -> None:
        item = self.list.currentItem()
        finding = self._finding(item)
        if finding is None or finding.entry_id is None or self.sign_off is None:
            return
        self.sign_off(finding.entry_id)
        for row in range(self.list.count()):
            other = self._finding(self.list.item(row))
            if other is not None and other.entry_id == finding.entry_id and not other.stops:
                self.list.item(row).setText(f"Signed off: {other.line()}")
        self.sign_button.setEnabled(False)


__all__ = ["FAMILY_FACING", "AudienceDialog", "SharingReviewDialog", "ask_audience"]
