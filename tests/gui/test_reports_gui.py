"""Reports from the desktop: the audience asked every time, the sharing check's review list,
built off the GUI thread, exported atomically to PDF or Word, printed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from chronology_app.core.reports.audience import AUDIENCES, INCLUDES
from chronology_app.core.reports.make import Report
from chronology_app.gui import report_printing as printing
from chronology_app.gui.dialogs.report_choice import AudienceDialog, SharingReviewDialog
from chronology_app.gui.main_window import MainWindow


def test_the_audience_question_offers_family_facing_first_and_chooses_nothing(
    window: MainWindow,
) -> None:
    dialog = AudienceDialog(window, "Print")
    names = [button.objectName() for button in dialog.buttons.values()]
    assert names[:2] == ["conference", "court"] and set(names) == set(AUDIENCES)
    assert dialog.audience is None and not dialog.ok.isEnabled()  # Enter prints nothing
    dialog.buttons["court"].setChecked(True)
    assert dialog.audience == "court" and dialog.ok.isEnabled()
    assert all(INCLUDES[a] for a in AUDIENCES)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_export_builds_in_the_background_and_writes_the_file(
    tmp_path: Path, window: MainWindow, monkeypatch: Any, fmt: str
) -> None:
    target = tmp_path / f"family-b-internal.{fmt}"
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: "internal")
    monkeypatch.setattr(printing, "ask_report_path", lambda *args: (target, fmt))
    window.actions_.export_pdf.trigger()
    window.ops.wait()
    if fmt == "pdf":
        text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    else:
        with zipfile.ZipFile(target) as archive:
            text = archive.read("word/document.xml").decode("utf-8")
    assert "Kelly Ward" in text  # the internal version: restricted material included
    assert list(tmp_path.glob(".*.part")) == []  # no temporary copy left beside it


def test_a_family_facing_export_that_names_a_restricted_person_opens_the_review_list(
    tmp_path: Path, window: MainWindow, monkeypatch: Any
) -> None:
    # Family B's shared entries do not name Kelly Ward: make one that does.
    reference = window.reference
    assert reference is not None and window.case is not None
    entry = window.service.document(reference)["entries"][11]
    window.service.edit_entry(reference, entry["id"], {**entry, "impact": "KELLY WARD visited."})
    target = tmp_path / "conference.pdf"
    shown: list[SharingReviewDialog] = []
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: "conference")
    monkeypatch.setattr(printing, "ask_report_path", lambda *args: (target, "pdf"))
    monkeypatch.setattr(SharingReviewDialog, "exec", lambda self: shown.append(self) or 0)
    window.actions_.export_pdf.trigger()
    window.ops.wait()
    assert not target.exists()
    assert len(shown) == 1
    items = [shown[0].list.item(i).text() for i in range(shown[0].list.count())]
    assert items == ['Stops the report: E0012 impact: "KELLY WARD" (a restricted person\'s name)']


@pytest.mark.parametrize(("audience", "landscape"), [("internal", True), ("court", False)])
def test_print_paints_the_report_document_full_size_in_its_orientation(
    tmp_path: Path, window: MainWindow, monkeypatch: Any, audience: str, landscape: bool
) -> None:
    from chronology_app.gui.report_painter import paint

    printed = tmp_path / "printed.pdf"
    previewed: list[Any] = []
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: audience)
    monkeypatch.setattr(printing, "preview", lambda parent, document: previewed.append(document))
    window.actions_.print_report.trigger()
    window.ops.wait()
    (document,) = previewed
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    pages = paint(document, printer)
    assert window.reference is not None
    built = printing.report_builder(window.service, window.reference, audience)()
    assert isinstance(built, Report)
    reader = PdfReader(str(printed))
    assert pages == len(reader.pages) == len(PdfReader(io.BytesIO(built.data)).pages)
    box = reader.pages[0].mediabox
    assert (float(box.width) > float(box.height)) == landscape  # A4 in the report's orientation
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())  # vector text, not a picture
        assert text.count("OFFICIAL-SENSITIVE") >= 2 and f"Page {number} of {pages}" in text


def test_a_family_facing_timeline_picture_is_drawn_from_shared_entries(
    tmp_path: Path, window: MainWindow, monkeypatch: Any
) -> None:
    from PySide6.QtGui import QImage

    target = tmp_path / "timeline.png"
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: "conference")
    monkeypatch.setattr(
        printing.QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )
    window.files.export_timeline()
    window.ops.wait()
    image = QImage(str(target))
    assert not image.isNull() and image.width() > 1000


def court_case_over_ten_sides() -> dict[str, Any]:
    """240 shared entries of high significance, none tagged 'court': all are selected."""
    from benchmarks.generate import generate_case

    document = generate_case(240, seed=3, reference="CT-2026-0001")
    for entry in document["entries"]:
        entry["significance"] = "high"
        entry["tags"] = [tag for tag in entry.get("tags", []) if tag != "court"]
        entry.pop("restricted", None)
    for person in document["persons"]:
        person.pop("restricted", None)
    return document


@pytest.mark.parametrize("answer", ["Ok", "Cancel"])
def test_printing_a_court_chronology_over_ten_sides_warns_first_as_export_does(
    tmp_path: Path, qtbot: Any, service: Any, monkeypatch: Any, answer: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    reference = service.import_case(court_case_over_ten_sides()).case_reference
    window = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(window)
    window.open_case(reference)
    window.ops.wait()
    warned: list[tuple[str, str]] = []

    def warning(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        warned.append((title, text))
        return getattr(QMessageBox.StandardButton, answer)

    previewed: list[Any] = []
    monkeypatch.setattr(printing, "choose_audience", lambda parent, action: "court")
    monkeypatch.setattr(printing.QMessageBox, "warning", warning)
    monkeypatch.setattr(printing, "preview", lambda parent, document: previewed.append(document))
    window.actions_.print_report.trigger()
    window.ops.wait()
    # The same warning, with the page count of the PDF the export writes.
    target = tmp_path / "court.pdf"
    monkeypatch.setattr(printing, "ask_report_path", lambda *args: (target, "pdf"))
    window.actions_.export_pdf.trigger()
    window.ops.wait()
    pages = len(PdfReader(str(target)).pages)
    said = (
        f"The court chronology runs to {pages} A4 sides, over the 10 that Practice Direction "
        "27A allows in a bundle: 240 entries are selected. Tag fewer entries 'court'."
    )
    assert pages > 10
    assert warned == [
        ("Before printing", f"{said}\n\nPreview and print it anyway?"),
        ("Report saved", said),
    ]
    assert len(previewed) == (1 if answer == "Ok" else 0)  # warned before the preview opens
