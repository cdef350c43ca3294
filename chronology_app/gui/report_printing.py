"""Reports from the desktop: export to PDF or Word, or print, for the audience asked every time.

The report is made off the GUI thread by the function the command line uses
(`core/reports/make.py`). A family-facing report is checked first: if the shared text names a
restricted person, nothing is made and the review list opens (each finding opens its entry);
warnings to review open the same list after the report is made, where an entry can be signed
off as checked and safe to share.

Printing opens a print preview painted by `report_painter.py`, the third renderer of the same
report document the PDF and Word files come from: vector, full size, in the report's own
orientation, marking and page numbers included. Nothing is written to a temporary file. A court
chronology over Practice Direction 27A's 10 sides is warned about on export and before the
preview alike, from the one page count `make_report` takes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from chronology_app.core import clock
from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import check_replaceable, is_pdf, write_atomically
from chronology_app.core.reports.document import DocumentModel
from chronology_app.core.reports.make import PRINT, Report, SharingRefused, make_report
from chronology_app.core.service import Service
from chronology_app.gui.dialogs.report_choice import SharingReviewDialog, ask_audience
from chronology_app.gui.operations import show_error

if TYPE_CHECKING:
    from chronology_app.gui.main_window import MainWindow

PRINT_DPI = 200
FILTERS = {"pdf": "PDF (*.pdf)", "docx": "Word document (*.docx)"}


def choose_audience(parent: QWidget, action: str = "Report") -> str | None:
    return ask_audience(parent, action)


def report_builder(
    service: Service, reference: str, audience: str, fmt: str = "pdf"
) -> Callable[[], Report | SharingRefused]:
    """The work to run in the background: the report, or why it was not made."""

    def build() -> Report | SharingRefused:
        analysis = service.analysis(reference)
        try:
            return make_report(
                analysis,
                audience,
                fmt,
                prepared_by=service.user,
                report_date=clock.today(),
                signed_off=service.shared_sign_offs(reference),
                anchor=service.audit_fingerprint_line(),
            )
        except SharingRefused as refused:
            return refused

    return build


def ask_report_path(parent: QWidget, reference: str, audience: str) -> tuple[Path, str] | None:
    suggested = f"{reference}-{audience}.pdf"
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export report", suggested, ";;".join(FILTERS.values())
    )
    if not path:
        return None
    fmt = "docx" if chosen == FILTERS["docx"] or path.lower().endswith(".docx") else "pdf"
    target = Path(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")
    return target, fmt


def save_report(path: Path, data: bytes, fmt: str) -> None:
    # The save dialog asked before replacing a file; a file of another kind is never replaced.
    def same_kind(start: bytes) -> bool:
        return is_pdf(start) if fmt == "pdf" else start.startswith(b"PK\x03\x04")

    check_replaceable(path, same_kind=same_kind, what=fmt.upper(), force=True)
    write_atomically(path, data)


def page_notes(report: Report) -> str:
    """What the practitioner is told besides the entries to review: the court chronology over
    Practice Direction 27A's 10 sides (counted once, by `make_report`, for export and print)."""
    return "\n\n".join(w for w in report.warnings if not w.startswith("to review: "))


def review_findings(window: MainWindow, outcome: Report | SharingRefused) -> Report | None:
    """Show what the sharing check found; the report when it was made."""
    reference = window.reference
    assert reference is not None

    def open_entry(entry_id: str) -> None:
        window.select_entries([entry_id])
        window.edits.edit_entry()

    def sign_off(entry_id: str) -> None:
        window.ops.change(lambda: window.service.sign_off_shared(reference, entry_id))

    if isinstance(outcome, SharingRefused):
        SharingReviewDialog(
            window, outcome.audience, outcome.findings, open_entry=open_entry
        ).exec()
        return None
    if outcome.check is not None and outcome.check.warnings:
        SharingReviewDialog(
            window,
            outcome.audience,
            outcome.check.warnings,
            open_entry=open_entry,
            sign_off=sign_off,
        ).exec()
    return outcome


def export_report(window: MainWindow) -> None:
    reference = window.reference
    if reference is None:
        return
    audience = choose_audience(window, "Export")
    chosen = ask_report_path(window, reference, audience) if audience else None
    if audience is None or chosen is None:
        return
    path, fmt = chosen

    def done(outcome: Report | SharingRefused) -> None:
        report = review_findings(window, outcome)
        if report is None:
            return
        try:
            save_report(path, report.data, fmt)
        except ChronologyError as error:
            show_error(window, error)
            return
        pages = f", {report.pages} pages" if report.pages else ""
        window.statusBar().showMessage(f"Report saved: {path.name} ({audience}{pages})", 8000)
        notes = page_notes(report)
        if notes:  # the court chronology over PD27A's 10 sides
            QMessageBox.warning(window, "Report saved", notes)

    builder = report_builder(window.service, reference, audience, fmt)
    window.ops.in_background("Building the report…", builder, done)


def print_report(window: MainWindow) -> None:
    """Print through the print preview: the report document painted by `report_painter`
    (vector, full size, in the report's orientation), the same model the PDF is made from."""
    reference = window.reference
    if reference is None:
        return
    audience = choose_audience(window, "Print")
    if audience is None:
        return

    def done(outcome: Report | SharingRefused) -> None:
        report = review_findings(window, outcome)
        if report is None or report.document is None:
            return
        notes = page_notes(report)
        if notes:  # the court chronology over PD27A's 10 sides: said before printing
            answer = QMessageBox.warning(
                window,
                "Before printing",
                f"{notes}\n\nPreview and print it anyway?",
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Ok,  # the preview prints nothing by itself
            )
            if answer != QMessageBox.StandardButton.Ok:
                return
        preview(window, report.document)

    builder = report_builder(window.service, reference, audience, PRINT)
    window.ops.in_background("Building the report…", builder, done)


def preview(parent: QWidget, document: DocumentModel) -> None:
    from chronology_app.gui.report_painter import paint

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print preview")
    dialog.paintRequested.connect(lambda device: paint(document, device))
    dialog.resize(1000, 760)
    dialog.exec()


def export_timeline(window: MainWindow) -> None:
    """The timeline as a PNG, for the audience asked: a family-facing picture is drawn by the
    report's own code from the shared entries, names masked; otherwise the view's picture."""
    from chronology_app.core.reports.audience import FAMILY_FACING
    from chronology_app.core.reports.make import timeline_png

    reference = window.reference
    if reference is None:
        return
    audience = choose_audience(window, "Export timeline")
    if audience is None:
        return
    path, _ = QFileDialog.getSaveFileName(
        window, "Export timeline", f"{reference}-{audience}-timeline.png", "PNG images (*.png)"
    )
    if not path:
        return
    target = Path(path if path.lower().endswith(".png") else f"{path}.png")
    if audience not in FAMILY_FACING:
        if not window.timeline.export_png(str(target)):
            show_error(window, ChronologyError(f"{target}: the image could not be written."))
        return
    service = window.service

    def build() -> bytes | SharingRefused | None:
        try:
            return timeline_png(service.analysis(reference), audience, clock.today())
        except SharingRefused as refused:
            return refused

    def done(outcome: bytes | SharingRefused | None) -> None:
        if isinstance(outcome, SharingRefused):
            review_findings(window, outcome)
        elif outcome is None:
            show_error(window, ChronologyError("There are no dated shared entries to draw."))
        else:
            try:
                check_replaceable(
                    target, same_kind=lambda b: b.startswith(b"\x89PNG"), what="PNG", force=True
                )
                write_atomically(target, outcome)
            except ChronologyError as error:
                show_error(window, error)

    window.ops.in_background("Drawing the timeline…", build, done)


def page_images(data: bytes, dpi: int = PRINT_DPI) -> list[QImage]:
    """Each page of a PDF as an image at `dpi` (the self-test draws the report with it)."""
    document = pdfium.PdfDocument(data)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            pil = page.render(scale=dpi / 72).to_pil().convert("RGB")
            raw = pil.tobytes("raw", "RGB")
            image = QImage(raw, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels: `raw` is freed after this loop
            page.close()
    finally:
        document.close()
    return images
