"""Reports from the desktop: export the PDF, or print it through Qt's print dialog.

The report is built off the GUI thread by the same function the command line uses. Printing
draws each PDF page (rendered by PDFium) onto the printer, so what is printed is exactly what
would be exported, marking and page numbers included. Nothing is written to a temporary file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from chronology_app.core.files import check_replaceable, is_pdf, write_atomically
from chronology_app.core.records import CaseData
from chronology_app.core.reports.chronology_report import build_report
from chronology_app.core.service import ReviewedFlag, Service

AUDIENCES = {
    "Internal: everything": "internal",
    "Conference: family-facing, restricted material left out": "conference",
    "Review: adds who recorded what and when": "review",
}
PRINT_DPI = 200


def choose_audience(parent: QWidget) -> str | None:
    label, ok = QInputDialog.getItem(
        parent, "Chronology report", "Who is the report for?", list(AUDIENCES), 0, False
    )
    return AUDIENCES[label] if ok else None


def report_builder(
    service: Service, case: CaseData, flags: list[ReviewedFlag], audience: str
) -> Callable[[], bytes]:
    """The work to run in the background: returns the PDF bytes."""

    def build() -> bytes:
        return build_report(
            case,
            flags,
            audience,
            prepared_by=service.user,
            report_date=dt.date.today(),
            rules=service.rules,
        )

    return build


def ask_pdf_path(parent: QWidget, case: CaseData, audience: str) -> Path | None:
    suggested = f"{case.case.reference}-{audience}.pdf"
    path, _ = QFileDialog.getSaveFileName(parent, "Export PDF", suggested, "PDF (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def save_pdf(path: Path, data: bytes) -> None:
    # The save dialog asked before replacing a file; a non-PDF (a workspace) is never replaced.
    check_replaceable(path, same_kind=is_pdf, what="PDF", force=True)
    write_atomically(path, data)


def page_images(data: bytes, dpi: int = PRINT_DPI) -> list[QImage]:
    """Each page of a PDF as an image at `dpi` (for printing)."""
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


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Draw every page on the printer, each scaled to fit the printable area. Returns the
    number of pages printed."""
    images = page_images(data)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(images)


def ask_printer(parent: QWidget) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() else None
