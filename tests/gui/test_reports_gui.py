"""Reports from the desktop: built off the GUI thread, exported atomically, printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from chronology_app.gui import report_printing as printing
from chronology_app.gui.main_window import MainWindow


def test_export_pdf_builds_in_the_background_and_writes_the_file(
    tmp_path: Path, window: MainWindow, monkeypatch: Any
) -> None:
    target = tmp_path / "family-b-conference.pdf"
    monkeypatch.setattr(printing, "choose_audience", lambda parent: "conference")
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, case, audience: target)
    window.actions_.export_pdf.trigger()
    window.ops.wait()
    text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Kelly Ward" not in text  # a restricted person, masked for a conference
    assert list(tmp_path.glob(".*.part")) == []  # no temporary copy left beside it


def test_print_draws_every_page_of_the_report(
    tmp_path: Path, window: MainWindow, monkeypatch: Any
) -> None:
    printed = tmp_path / "printed.pdf"

    def printer_to_file(parent: Any) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(printing, "choose_audience", lambda parent: "internal")
    monkeypatch.setattr(printing, "ask_printer", printer_to_file)
    window.actions_.print_report.trigger()
    window.ops.wait()
    built = printing.report_builder(window.service, window.case, window.flags, "internal")()  # type: ignore[arg-type]
    assert len(PdfReader(str(printed)).pages) == len(
        PdfReader(__import__("io").BytesIO(built)).pages
    )
