"""The court chronology: the Practice Direction 12A social work chronology.

Columns as PD12A asks: serial number, date, event-detail, and the witness or document
reference (the source agency and its reference). At the top, a short summary of the
authority's involvement. Only the entries selected for court: those tagged `court`; where none
is tagged, those of high significance. Practice Direction 27A limits a chronology in a court
bundle to 10 A4 sides, so the page count (from the PDF, A4 portrait) is checked by `make.py`,
which warns when it goes over.

The court version is served on the parents, so it is family-facing: written from a
family-facing `AudienceView` (restricted entries left out, withheld people masked, no flags)
through `MaskedDocument`.
"""

from __future__ import annotations

import datetime
from collections import Counter

from chronology_app.core.dates import format_day
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.records import EntryRecord
from chronology_app.core.reports.audience import AUDIENCES, AudienceView
from chronology_app.core.reports.chronology_report import footer
from chronology_app.core.reports.document import (
    Column,
    DocumentInfo,
    Emphasis,
    Paragraph,
    ReportDocument,
    Row,
    Span,
    cell,
    para,
)
from chronology_app.core.reports.masked import MaskedDocument
from chronology_app.core.wording import entry_date

COURT_TAG = "court"
PAGE_LIMIT = 10  # PD27A: a chronology in a court bundle, at most 10 A4 sides


def selected(view: AudienceView) -> tuple[tuple[EntryRecord, ...], str]:
    """The entries chosen for court, and how they were chosen (in words)."""
    tagged = tuple(e for e in view.case.entries if COURT_TAG in e.tags)
    if tagged:
        return tagged, "the entries tagged 'court'"
    return (
        tuple(e for e in view.case.entries if e.significance == "high"),
        "no entry is tagged 'court', so the entries of high significance",
    )


def involvement(view: AudienceView, entries: tuple[EntryRecord, ...]) -> str:
    """A short summary of the authority's involvement, from the record alone."""
    record = view.case.case
    authority = record.local_authority or "The local authority"
    all_entries = view.case.entries
    if not all_entries:
        return f"{authority}: no entries are recorded on this chronology."
    first = all_entries[0].date.earliest
    last = all_entries[-1].date.latest
    kinds = Counter(ENTRY_KINDS.get(e.kind, e.kind).lower() for e in entries)
    listed = ", ".join(f"{kind} ({count})" for kind, count in kinds.most_common(5))
    worker = ", ".join(x for x in (record.worker, record.team) if x)
    text = (
        f"{authority} has recorded {len(all_entries)} entries about this family between "
        f"{format_day(first)} and {format_day(last)}; the case is {record.status}."
    )
    if worker:
        text += f" Allocated: {worker}."
    if entries:
        text += f" This chronology sets out {len(entries)} of them: {listed}."
    return text


def _event(view: AudienceView, entry: EntryRecord) -> tuple[Paragraph, ...]:
    kind = ENTRY_KINDS.get(entry.kind, entry.kind)
    paragraphs: list[Paragraph] = [
        (Span(f"{kind}: ", Emphasis.STRONG), Span(view.text(entry.summary)))
    ]
    more = (("", entry.detail), ("Impact: ", entry.impact), ("Action: ", entry.action))
    for label, value in more:
        if value:
            paragraphs.append(para(label + view.text(value)))
    return tuple(paragraphs)


def _reference(view: AudienceView, entry: EntryRecord) -> tuple[Paragraph, ...]:
    paragraphs = [para(view.text(entry.source_agency))]
    if entry.source_reference:
        paragraphs.append(para(view.text(entry.source_reference), Emphasis.QUIET))
    return tuple(paragraphs)


def write_court(
    document: ReportDocument,
    view: AudienceView,
    *,
    prepared_by: str,
    report_date: datetime.date,
    anchor: str | None = None,
) -> int:
    """Write the court chronology; returns how many entries it selects."""
    assert view.masker is not None, "the court chronology is family-facing"
    doc = MaskedDocument(document, view.masker)
    record = view.case.case
    entries, how = selected(view)
    doc.set_info(
        DocumentInfo(
            title=f"{record.title} ({record.reference}): social work chronology",
            author=prepared_by,
            subject=AUDIENCES[view.audience],
            marking=record.protective_marking,
            running_footer=footer(record.reference, view.audience, anchor),
            portrait=True,
        )
    )
    doc.heading("Social work chronology", 0)
    doc.heading(f"{record.title} ({record.reference})", 2)
    doc.key_values(
        [
            ("Local authority", record.local_authority or "not recorded"),
            ("Prepared by", prepared_by),
            ("Date", format_day(report_date)),
        ]
    )
    doc.heading("Summary of the local authority's involvement", 2)
    doc.paragraph(involvement(view, entries))
    doc.paragraph(
        f"Entries in this chronology: {how}, numbered in order. Material that may not be "
        "shared with the family has been withheld.",
        "small",
    )
    columns = [
        Column("No.", 0.09),
        Column("Date", 0.14),
        Column("Event", 0.55),
        Column("Witness or document reference", 0.22),
    ]
    rows = [
        Row(
            (
                cell(str(number)),
                cell(view.text(entry_date(entry))),
                _event(view, entry),
                _reference(view, entry),
            )
        )
        for number, entry in enumerate(entries, 1)
    ]
    if rows:
        doc.table(columns, rows)
    else:
        doc.paragraph(para("No entries are selected for court.", Emphasis.STRONG))
    return len(entries)
