"""The contribution form one agency fills in: an Excel workbook or a Word document.

It carries the case reference and family, the people in the case by name and alias only (so
names are spelt the same; restricted people are never listed, since the form goes to another
agency; no dates of birth), the columns we read with short instructions, and drop-down lists
where Excel allows them (kind of event, people, agency). The document's keywords identify it
(`source.MARKER_PREFIX`), and its headings are our own, so reading it back needs no mapping.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chronology_app.core.errors import ChronologyError
from chronology_app.core.files import check_replaceable, write_atomically
from chronology_app.core.model.vocabulary import ENTRY_KINDS, RELATIONSHIP_ENTRY_KINDS
from chronology_app.core.tables_import.source import marker_text

# Our headings, in order, with the field each is read as (see `headings`).
TEMPLATE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Date", "date", 14),
    ("Time", "time", 8),
    ("End date", "end_date", 12),
    ("What happened", "summary", 50),
    ("Further detail", "detail", 40),
    ("Kind", "kind", 20),
    ("People involved", "people", 24),
    ("Agency", "source", 16),
    ("Agency reference", "reference", 16),
    ("Impact on the child", "impact", 30),
    ("Action taken", "action", 30),
)
BLANK_ROWS = 200
INSTRUCTIONS = (
    "One row for each event, in any order. Write the date as you would on paper "
    "(12/03/2019, March 2019, early 2018, approx. 2015); if a date is uncertain, say so. "
    "Say what happened factually in 'What happened'; keep your analysis for 'Impact on the "
    "child'. Spell people's names as listed. Put your own reference (record or document "
    "number) in 'Agency reference'. Do not add or rename columns."
)


def kind_labels() -> list[str]:
    return [label for kind, label in ENTRY_KINDS.items() if kind not in RELATIONSHIP_ENTRY_KINDS]


def listed_persons(case: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The people a form for another agency may show: never the restricted ones."""
    return [person for person in case["persons"] if not person.get("restricted")]


def _is_office_file(start: bytes) -> bool:
    return start.startswith(b"PK")


def write_template(case: Mapping[str, Any], agency: str, path: str | Path, *, force: bool) -> None:
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise ChronologyError(f"{target.name}: a template is written as .xlsx or .docx.")
    if not agency.strip():
        raise ChronologyError("Name the agency the form is for (--agency).")
    check_replaceable(target, same_kind=_is_office_file, what="template", force=force)
    data = workbook_bytes(case, agency) if suffix == ".xlsx" else document_bytes(case, agency)
    write_atomically(target, data)


def _title(case: Mapping[str, Any], agency: str) -> tuple[str, str]:
    details = case["case"]
    return (
        f"Chronology contribution from {agency}",
        f"Case {details['reference']}: {details['title']}",
    )


def workbook_bytes(case: Mapping[str, Any], agency: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    title, subtitle = _title(case, agency)
    persons = listed_persons(case)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chronology"
    sheet["A1"], sheet["A2"], sheet["A3"] = title, subtitle, INSTRUCTIONS
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(TEMPLATE_COLUMNS))
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[3].height = 60
    header = 5
    for column, (heading, _field, width) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=header, column=column, value=heading)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)

    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    for row, label in enumerate(kind_labels(), start=1):
        lists.cell(row=row, column=1, value=label)
    for row, person in enumerate(persons, start=1):
        lists.cell(row=row, column=2, value=person["name"])
    first, last = header + 1, header + BLANK_ROWS

    def drop_down(field: str, formula: str) -> None:
        column = next(i for i, c in enumerate(TEMPLATE_COLUMNS, start=1) if c[1] == field)
        letter = sheet.cell(row=1, column=column).column_letter
        # A list to choose from, but other text allowed (errorStyle information).
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.errorStyle = "information"
        sheet.add_data_validation(rule)
        rule.add(f"{letter}{first}:{letter}{last}")

    drop_down("kind", f"=Lists!$A$1:$A${len(kind_labels())}")
    if persons:
        drop_down("people", f"=Lists!$B$1:$B${len(persons)}")
    drop_down("source", f'"{agency.replace(",", " ").replace(chr(34), "")}"')

    people = book.create_sheet("People")
    for column, heading in enumerate(("Name", "Also known as"), start=1):
        people.cell(row=1, column=column, value=heading).font = Font(bold=True)
    for row, person in enumerate(persons, start=2):
        people.cell(row=row, column=1, value=person["name"])
        people.cell(row=row, column=2, value=", ".join(person.get("aliases") or []))
    people.column_dimensions["A"].width = 28
    people.column_dimensions["B"].width = 28
    book.properties.keywords = marker_text(case["case"]["reference"], agency)
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def document_bytes(case: Mapping[str, Any], agency: str) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT

    title, subtitle = _title(case, agency)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    document.add_paragraph(INSTRUCTIONS)
    kinds = ", ".join(kind_labels())
    document.add_paragraph(f"Kind is one of: {kinds}; or leave it blank.")
    persons = listed_persons(case)
    if persons:
        document.add_heading("People in the case", level=2)
        people = document.add_table(rows=1, cols=2)
        people.style = "Table Grid"
        for cell, heading in zip(people.rows[0].cells, ("Name", "Also known as"), strict=True):
            cell.text = heading
        for person in persons:
            cells = people.add_row().cells
            cells[0].text = person["name"]
            cells[1].text = ", ".join(person.get("aliases") or [])
    document.add_heading("Chronology", level=2)
    table = document.add_table(rows=1 + 20, cols=len(TEMPLATE_COLUMNS))
    table.style = "Table Grid"
    for cell, (heading, _field, _width) in zip(table.rows[0].cells, TEMPLATE_COLUMNS, strict=True):
        cell.text = heading
    document.core_properties.keywords = marker_text(case["case"]["reference"], agency)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
