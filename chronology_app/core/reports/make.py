"""The one way a report is made, from the command line and the desktop alike.

    report = make_report(analysis, "conference", "pdf", prepared_by="…", report_date=today())

1. The audience is checked (there is no default: the caller always says who it is for).
2. For a family-facing audience (conference, court) the shared text is checked first
   (`check.py`): a restricted name in any form stops it with `SharingRefused`, which lists one
   line per finding, and nothing is produced. Warnings to review come back with the report.
3. The report is written against the document interface (`chronology_report.py`, `court.py`)
   and rendered to PDF or Word bytes (or, for PRINT, handed back for the desktop's painter). A
   court chronology is always rendered to PDF in A4 portrait to count its pages (PD27A: at most
   10 sides), with a warning when it goes over, whether it is exported or printed.

Pure and thread-safe: no Qt, no files, no clock (the report date is an argument; callers take
it from `core.clock.today()`), so the GUI runs it off the GUI thread.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from chronology_app.core.analysis import Analysis
from chronology_app.core.errors import ChronologyError
from chronology_app.core.reports.audience import (
    COURT,
    FAMILY_FACING,
    audience_view,
    check_audience,
)
from chronology_app.core.reports.check import CheckResult, Finding, check_shared
from chronology_app.core.reports.document import DocumentModel

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx")
PRINT = "print"  # no file: the document itself, for the desktop's painter (print and preview)


class SharingRefused(ChronologyError):
    """A family-facing report would have named a restricted person: nothing was produced."""

    def __init__(self, audience: str, findings: tuple[Finding, ...]) -> None:
        count = len(findings)
        noun = "mention" if count == 1 else "mentions"
        super().__init__(
            f"The {audience} report was not made: the shared text holds {count} {noun} of a "
            "restricted person. Reword or restrict these entries, then try again:\n"
            + "\n".join(finding.line() for finding in findings)
        )
        self.audience = audience
        self.findings = findings


@dataclass(frozen=True)
class Report:
    data: bytes
    audience: str
    fmt: str
    pages: int | None  # of the PDF rendering (always counted for court, printed too)
    selected: int | None  # court: how many entries are selected
    warnings: tuple[str, ...]  # lines to show the practitioner: review before sharing
    check: CheckResult | None  # family-facing only
    document: DocumentModel | None = None  # for PRINT: what the painter draws


def check_format(fmt: str) -> None:
    if fmt not in (*FORMATS, PRINT):
        raise ChronologyError(f'"{fmt}" is not a report format: choose pdf or docx.')


def make_report(
    analysis: Analysis,
    audience: str,
    fmt: str,
    *,
    prepared_by: str,
    report_date: datetime.date,
    anchor: str | None = None,
    signed_off: Mapping[str, str] | None = None,
) -> Report:
    """The report as bytes. `anchor` is the audit chain's fingerprint for the footer;
    `signed_off` maps entry ids to the fingerprints practitioners signed them off with."""
    from chronology_app.core.reports.chronology_report import write_report
    from chronology_app.core.reports.court import PAGE_LIMIT, write_court
    from chronology_app.core.reports.pdf import page_count, render_pdf

    check_audience(audience)
    check_format(fmt)
    started = time.perf_counter()
    view = audience_view(analysis, audience)
    check: CheckResult | None = None
    warnings: list[str] = []
    if audience in FAMILY_FACING:
        assert view.masker is not None
        check = check_shared(analysis.case, signed_off, view.masker.matcher)
        if not check.passed:
            raise SharingRefused(audience, check.errors)
        warnings.extend(f"to review: {finding.line()}" for finding in check.warnings)
    document = DocumentModel()
    selected: int | None = None
    if audience == COURT:
        selected = write_court(
            document, view, prepared_by=prepared_by, report_date=report_date, anchor=anchor
        )
    else:
        write_report(
            document, view, prepared_by=prepared_by, report_date=report_date, anchor=anchor
        )
    # The court chronology's pages are counted the one way, from its PDF, whatever is made.
    pdf = render_pdf(document) if fmt == "pdf" or audience == COURT else None
    pages = page_count(pdf) if pdf is not None else None
    if audience == COURT and pages is not None and pages > PAGE_LIMIT:
        warnings.append(
            f"The court chronology runs to {pages} A4 sides, over the {PAGE_LIMIT} that "
            f"Practice Direction 27A allows in a bundle: {selected} entries are selected. "
            "Tag fewer entries 'court'."
        )
    if fmt == PRINT:
        return Report(b"", audience, fmt, pages, selected, tuple(warnings), check, document)
    if fmt == "docx":
        from chronology_app.core.reports.docx import render_docx

        data = render_docx(document, created=report_date)
    else:
        assert pdf is not None
        data = pdf
    log.info(
        "report made: audience %s, %s, %d entries, %d bytes in %.2f s",
        audience,
        fmt,
        len(analysis.case.entries),
        len(data),
        time.perf_counter() - started,
    )
    return Report(data, audience, fmt, pages, selected, tuple(warnings), check)


def timeline_png(analysis: Analysis, audience: str, report_date: datetime.date) -> bytes | None:
    """The report's timeline as a PNG picture for `audience` (None: no dated entries). For a
    family-facing audience: after the same check as a report, shared entries only, names
    masked (the drawing passes through the same masking as a report's)."""
    from chronology_app.core.reports import diagrams
    from chronology_app.core.reports.document import Figure
    from chronology_app.core.reports.masked import MaskedDocument
    from chronology_app.core.reports.picture import drawing_png

    check_audience(audience)
    view = audience_view(analysis, audience)
    if view.masker is not None:
        check = check_shared(analysis.case, None, view.masker.matcher)
        if not check.passed:
            raise SharingRefused(audience, check.errors)
    drawing = diagrams.timeline(view, report_date, 1100.0)
    if drawing is None:
        return None
    model = DocumentModel()
    target = MaskedDocument(model, view.masker) if view.masker is not None else model
    target.drawing(drawing)
    figure = model.blocks[0]
    assert isinstance(figure, Figure)
    return drawing_png(figure.drawing, dpi=150)
