"""The chronology report (internal, review and conference audiences): cover, family,
timeline, flags (not family-facing) and the chronology table.

`write_report` writes it against the document interface (`document.py`); `make.py` renders it.
Pure: no Qt, no files, no clock (the report date is an argument). What each audience sees is
decided in `audience.py`; a family-facing report is written through `MaskedDocument`, so every
string, metadata included, passes the masking.
"""

from __future__ import annotations

import datetime
import logging

from chronology_app.core.analysis import answered_words, rule_title
from chronology_app.core.dates import format_day
from chronology_app.core.model.vocabulary import ENTRY_KINDS
from chronology_app.core.records import EntryRecord, FlagReviewRecord, PersonRecord
from chronology_app.core.reports import diagrams
from chronology_app.core.reports.audience import AUDIENCES, AudienceView
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
from chronology_app.core.reports.genogram import genogram
from chronology_app.core.reports.masked import MaskedDocument
from chronology_app.core.rules.base import Flag
from chronology_app.core.wording import age, day, entry_date

log = logging.getLogger(__name__)

RESTRICTED_NOTICE = (
    "This report includes restricted material (entries and identities that must not be "
    "shared with the family). Do not share it outside the professional network."
)
WITHHELD_NOTICE = (
    "Prepared for sharing with the family. Information that may not be shared with the family "
    "has been withheld from this report: restricted entries are left out, some people are "
    'shown as "Person A (withheld)" and so on. Entries are numbered in this report\'s own '
    "order."
)
FLAGS_NOTE = (
    "Flags are prompts for professional judgement, not scores or predictions. Each names the "
    "entries it rests on; the practitioner's recorded decision is shown where there is one."
)
RELATION_WORDS = {
    ("intimate_partner", 0): "partner of",
    ("intimate_partner", 1): "partner of",
    ("parent_child", 0): "parent of",
    ("parent_child", 1): "child of",
    ("sibling", 0): "sibling of",
    ("sibling", 1): "sibling of",
    ("relative", 0): "relative of",
    ("relative", 1): "relative of",
}
SOURCE_TYPES = {
    "observation": "observation",
    "disclosure": "disclosure",
    "third_party": "third party",
    "document": "document",
    "online_check": "online check",
    "police_record": "police record",
    "self_report": "self-report",
}


def write_report(
    document: ReportDocument,
    view: AudienceView,
    *,
    prepared_by: str,
    report_date: datetime.date,
    anchor: str | None = None,
) -> None:
    """Write the chronology for `view`'s audience (not court: see `court.py`) into
    `document`. A family-facing view is written through `MaskedDocument`."""
    doc = MaskedDocument(document, view.masker) if view.masker is not None else document
    record = view.case.case
    doc.set_info(
        DocumentInfo(
            title=f"{record.title} ({record.reference}): chronology",
            author=prepared_by,
            subject=AUDIENCES[view.audience],
            marking=record.protective_marking,
            running_footer=footer(record.reference, view.audience, anchor),
        )
    )
    _cover(doc, view, prepared_by, report_date)
    _family(doc, view, report_date)
    _timeline(doc, view, report_date)
    if not view.withholds:
        _flags(doc, view)
        _answered(doc, view)
    _chronology(doc, view)


def footer(reference: str, audience: str, anchor: str | None) -> str:
    text = f"{reference} · {audience} report"
    return f"{text} · audit fingerprint {anchor}" if anchor else text


def _cover(doc: ReportDocument, view: AudienceView, prepared_by: str, day: datetime.date) -> None:
    record = view.case.case
    doc.heading("Chronology", 0)
    doc.heading(f"{record.title} ({record.reference})", 1)
    pairs: list[tuple[str, str]] = [
        ("Case reference", record.reference),
        ("Family", record.title),
        ("Local authority", record.local_authority or "not recorded"),
        ("Allocated worker", ", ".join(x for x in (record.worker, record.team) if x) or "—"),
        ("Prepared by", prepared_by),
        ("Report date", format_day(day)),
        ("Audience", AUDIENCES[view.audience]),
        ("Protective marking", record.protective_marking),
        ("Entries", str(len(view.case.entries))),
    ]
    if not view.withholds:
        pairs.append(("Flags", str(len(view.flags))))
    if not view.withholds and record.notes:
        pairs.append(("Case notes", record.notes))
    doc.key_values(pairs)
    doc.paragraph(WITHHELD_NOTICE if view.withholds else RESTRICTED_NOTICE, "notice")
    doc.page_break()


# --- family ------------------------------------------------------------------------------------


# A person's age on a day reads the same in reports as in the app (core/wording.py).
age_at = age


def _relations(view: AudienceView, person: PersonRecord) -> str:
    words = []
    for relationship in view.case.relationships:
        if person.id not in relationship.persons:
            continue
        side = relationship.persons.index(person.id)
        other = relationship.persons[1 - side]
        if view.is_withheld(other):
            continue  # "sibling of Ayşe" could tell the family who a withheld person is
        verb = RELATION_WORDS.get((relationship.kind, side), "connected to")
        words.append(f"{verb} {view.name(other)}")
    return "; ".join(words)


def _professional(person: PersonRecord) -> bool:
    return person.roles == ("professional",)


def _family(doc: ReportDocument, view: AudienceView, day: datetime.date) -> None:
    doc.heading("Family composition", 1)
    detailed = not view.withholds
    columns = [
        Column("Name", 0.2),
        Column(f"Age on {format_day(day)}", 0.1),
        Column("Sex", 0.07),
        Column("Roles", 0.12),
        Column("Relationships", 0.26 if detailed else 0.51),
    ]
    if detailed:
        columns.append(Column("Notes", 0.25))
    rows = []
    ages = {
        p.id: "—" if _professional(p) else age_at(p.date_of_birth, day) for p in view.case.persons
    }
    for person in view.case.persons:
        withheld = view.is_withheld(person.id)
        name: list[Paragraph | str] = [para(view.name(person.id), Emphasis.STRONG)]
        if person.aliases and not withheld:
            name.append(para("also known as " + ", ".join(person.aliases), Emphasis.QUIET))
        if person.restricted and detailed:
            name.append(para("Identity restricted", Emphasis.WARNING))
        if withheld:  # the label only: age, sex, roles or relationships could identify them
            cells = [cell(*name), *(cell("withheld") for _ in range(4))]
        else:
            cells = [
                cell(*name),
                cell(ages[person.id]),
                cell(person.sex),
                cell(", ".join(person.roles) or "—"),
                cell(_relations(view, person) or "—"),
            ]
        if detailed:
            notes: list[str] = []
            if person.immigration_status and not (person.is_child or _professional(person)):
                notes.append(f"Immigration status: {person.immigration_status.replace('_', ' ')}")
            if person.notes:
                notes.append(person.notes)
            cells.append(cell(*notes))
        rows.append(Row(tuple(cells), highlight=person.restricted and detailed))
    doc.table(columns, rows)
    drawing = genogram(view, ages, doc.content_width)
    if drawing is not None:
        doc.heading("Family diagram", 2)
        doc.drawing(drawing)
    doc.page_break()


def _timeline(doc: ReportDocument, view: AudienceView, day: datetime.date) -> None:
    drawing = diagrams.timeline(view, day, doc.content_width)
    if drawing is None:
        return
    doc.heading("Timeline", 1)
    doc.drawing(drawing)
    doc.page_break()


# --- flags -------------------------------------------------------------------------------------


def _evidence(view: AudienceView, flag: Flag) -> str:
    refs = []
    for entry_id in flag.entries:
        entry = view.case.entry_by_id.get(entry_id)
        if entry is not None:
            refs.append(f"{entry.ref} (restricted)" if entry.restricted else entry.ref)
    return ", ".join(refs) or "no entries (the flag rests on the person records)"


def _review(view: AudienceView, review: FlagReviewRecord | None) -> str:
    if review is None:
        return "No decision recorded yet."
    if view.withholds:
        return f"{review.decision.capitalize()} (recorded {review.on.describe()})."
    return (
        f"{review.decision.capitalize()} by {review.by} on {review.on.describe()}: {review.reason}"
    )


def _flags(doc: ReportDocument, view: AudienceView) -> None:
    doc.heading("Flags", 1)
    doc.paragraph(FLAGS_NOTE, "small")
    if not view.flags:
        doc.paragraph("No flags are raised on this chronology.")
    for number, shown in enumerate(view.flags, 1):
        flag = shown.flag
        doc.heading(f"{number}. {flag.title} ({flag.severity})", 3)
        doc.key_values(
            [
                ("What the entries show", view.text(flag.explanation)),
                ("Evidence", _evidence(view, flag)),
                ("Consider", flag.suggested_action),
                ("Basis", flag.basis),
                ("Decision", _review(view, shown.review)),
            ]
        )
    doc.page_break()


def _answered(doc: ReportDocument, view: AudienceView) -> None:
    """What the rules checked and found answered in time, and what is still due: so a
    supervisor sees why a rule stayed quiet, not only what it raised."""
    if not view.answered and not view.due:
        return
    doc.heading("Answered in time, and due", 1)
    doc.paragraph(
        "Triggers the rules checked and found answered within their window, and responses whose "
        "window is still open. Neither is a flag.",
        "small",
    )
    rows = [
        (f"Checked, and answered: {rule_title(item.rule).lower()}", words)
        for item in view.answered
        if (words := answered_words(item, view.case))
    ]
    for due in view.due:
        rows.append((f"Due by {day(due.deadline)}", view.text(due.text)))
    if rows:
        doc.key_values(rows)


# --- the chronology ----------------------------------------------------------------------------


def _what_happened(view: AudienceView, entry: EntryRecord) -> tuple[Paragraph, ...]:
    kind = ENTRY_KINDS.get(entry.kind, entry.kind)
    paragraphs: list[Paragraph] = [
        (Span(f"{kind}: ", Emphasis.STRONG), Span(view.text(entry.summary)))
    ]
    if entry.detail:
        paragraphs.append(para(view.text(entry.detail)))
    notes = []
    if entry.positive:
        notes.append("strength or protective factor")
    if entry.significance:
        notes.append(f"significance {entry.significance}")
    if notes:
        paragraphs.append(para("; ".join(notes).capitalize(), Emphasis.QUIET))
    if entry.restricted and not view.withholds:
        reason = entry.restricted_reason or "no reason recorded"
        paragraphs.append(para(f"Restricted: {reason}", Emphasis.WARNING))
    return tuple(paragraphs)


def _source(view: AudienceView, entry: EntryRecord) -> tuple[Paragraph, ...]:
    paragraphs = [para(view.text(entry.source_agency))]
    if entry.source_type:
        paragraphs.append(
            para(SOURCE_TYPES.get(entry.source_type, entry.source_type), Emphasis.QUIET)
        )
    if entry.source_reference:
        paragraphs.append(para(view.text(entry.source_reference), Emphasis.QUIET))
    # Internal audiences only: a family-facing view has no groups (it never says who else
    # recorded an event).
    others = [
        view.case.entry_by_id[other].ref
        for other in view.groups.others(entry.id)
        if other in view.case.entry_by_id
    ]
    if others:
        paragraphs.append(para("Same event as " + ", ".join(others), Emphasis.QUIET))
    return tuple(paragraphs)


def _chronology(doc: ReportDocument, view: AudienceView) -> None:
    doc.heading("Chronology", 1)
    columns = [
        Column("No.", 0.06),
        Column("Date", 0.09),
        Column("Source", 0.12),
        Column("What happened", 0.37),
        Column("Impact on the child", 0.17),
        Column("Action taken", 0.17),
    ]
    if view.shows_recorded:
        columns.append(Column("Recorded", 0.1))
    rows = []
    for entry in view.case.entries:
        cells = [
            cell(view.number(entry)),
            cell(view.text(entry_date(entry))),
            _source(view, entry),
            _what_happened(view, entry),
            cell(view.text(entry.impact)),
            cell(view.text(entry.action)),
        ]
        if view.shows_recorded:
            on = entry.recorded_on.describe() if entry.recorded_on else ""
            cells.append(
                cell(entry.recorded_by or "not recorded", para(on, Emphasis.QUIET) if on else "")
            )
        rows.append(Row(tuple(cells), highlight=entry.restricted and not view.withholds))
    if rows:
        doc.table(columns, rows)
    else:
        doc.paragraph("No entries.")


__all__ = ["age_at", "footer", "write_report"]
