"""Word (.docx) rendering of a `DocumentModel`, with python-docx: the only module that
imports it.

Practitioners edit reports in Word before a conference or a filing, so this is a real Word
document, not a picture of the PDF: headings as Word headings, real tables whose header row
repeats on every page (`w:tblHeader`), the protective marking in every page header and footer,
"Page X of Y" as Word fields (`PAGE` and `NUMPAGES`, written as OXML: python-docx has no call
for them). The file's core properties carry the title, author and subject the report set (a
family-facing report sets them through the masking); nothing else is left in them. Drawings
(family diagram, timeline) are placed as pictures drawn from the same drawing the PDF paints,
with their description as the picture's alternative text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from chronology_app.core.reports.document import (
    Cell,
    DocumentInfo,
    DocumentModel,
    Emphasis,
    Figure,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Span,
    Table,
    Text,
)
from chronology_app.core.reports.picture import drawing_png

FONT = "DejaVu Sans"
RED = RGBColor(0xB0, 0x00, 0x20)
GREY = RGBColor(0x5F, 0x66, 0x70)
HIGHLIGHT = "FBE9EB"
HEADER_FILL = "DDE3EC"
FIXED_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def render_docx(document: DocumentModel, *, created: datetime.date | None = None) -> bytes:
    """The document as .docx bytes (A4, landscape unless the document asks for portrait)."""
    word = Document()
    _page_setup(word, document.info)
    _properties(word, document.info, created)
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(9)
    blocks = document.blocks
    for block in blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, min(block.level, 4))
        elif isinstance(block, Text):
            paragraph = word.add_paragraph()
            _runs(paragraph, block.paragraph, small=block.style == "small")
            if block.style == "notice":
                _shade(paragraph, "FFF6F6")
        elif isinstance(block, KeyValues):
            _key_values(word, block)
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Figure):
            _figure(word, block)
        elif isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page_setup(word: WordDocument, info: DocumentInfo) -> None:
    section = word.sections[0]
    if info.portrait:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    else:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(14))
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _marking(header, info.marking)
    footer = section.footer
    marking = footer.paragraphs[0]
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _marking(marking, info.marking)
    line = footer.add_paragraph()
    run = line.add_run(f"{info.running_footer}    Page " if info.running_footer else "Page ")
    run.font.size, run.font.color.rgb = Pt(7.5), GREY
    _field(line, "PAGE")
    run = line.add_run(" of ")
    run.font.size, run.font.color.rgb = Pt(7.5), GREY
    _field(line, "NUMPAGES")


def _marking(paragraph: DocxParagraph, marking: str) -> None:
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = RED


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as OXML: begin, instruction, separate, a result, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        run.font.size, run.font.color.rgb = Pt(7.5), GREY
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text or ""
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _properties(word: WordDocument, info: DocumentInfo, created: datetime.date | None) -> None:
    """Only what the report set: python-docx's template carries its own author and dates."""
    props = word.core_properties
    when = (
        datetime.datetime(created.year, created.month, created.day, tzinfo=datetime.UTC)
        if created
        else FIXED_TIME
    )
    props.title = info.title
    props.author = info.author
    props.last_modified_by = info.author
    props.subject = info.subject
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.language = "en-GB"
    props.revision = 1
    props.created = props.modified = when
    props.last_printed = when


def _runs(paragraph: DocxParagraph, spans: Paragraph, *, small: bool = False) -> None:
    for span in spans:
        lines = span.text.split("\n")
        for number, text in enumerate(lines):
            run = paragraph.add_run(text)
            if number < len(lines) - 1:
                run.add_break()
            if small:
                run.font.size = Pt(8)
            if span.emphasis in (Emphasis.STRONG, Emphasis.WARNING):
                run.bold = True
            if span.emphasis is Emphasis.WARNING:
                run.font.color.rgb = RED
            elif span.emphasis is Emphasis.QUIET or small:
                run.font.color.rgb = GREY


def _fill_cell(target: _Cell, value: Cell) -> None:
    paragraphs = target.paragraphs
    for index, spans in enumerate(value):
        paragraph = paragraphs[0] if index == 0 else target.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(1)
        _runs(paragraph, spans)


def _shade(paragraph_or_cell: DocxParagraph | _Cell, colour: str) -> None:
    element = paragraph_or_cell._element
    paragraph = element.tag == qn("w:p")
    properties = element.get_or_add_pPr() if paragraph else element.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_header(table: DocxTable) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _widths(table: DocxTable, shares: Sequence[float], total_mm: float) -> None:
    whole = sum(shares) or 1.0
    table.autofit = False
    widths = [Mm(total_mm * share / whole) for share in shares]
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width  # the grid Word and LibreOffice lay the table out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _text_width_mm(word_portrait: bool) -> float:
    return (210 if word_portrait else 297) - 28


def _table(word: WordDocument, block: Table) -> None:
    columns = block.columns
    table = word.add_table(rows=1 + len(block.rows), cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        _fill_cell(cell, (_bold(column.title),))
        _shade(cell, HEADER_FILL)
    if block.repeat_header:
        _repeat_header(table)
    for row, source in zip(table.rows[1:], block.rows, strict=True):
        for cell, value in zip(row.cells, source.cells, strict=True):
            _fill_cell(cell, value)
            if source.highlight:
                _shade(cell, HIGHLIGHT)
    portrait = word.sections[0].orientation == WD_ORIENT.PORTRAIT
    _widths(table, [c.width for c in columns], _text_width_mm(portrait))
    word.add_paragraph()


def _bold(text: str) -> Paragraph:
    return (Span(text, Emphasis.STRONG),)


def _key_values(word: WordDocument, block: KeyValues) -> None:
    table = word.add_table(rows=len(block.pairs), cols=2)
    for row, (key, value) in zip(table.rows, block.pairs, strict=True):
        _fill_cell(row.cells[0], (_bold(key),))
        _fill_cell(row.cells[1], value)
    portrait = word.sections[0].orientation == WD_ORIENT.PORTRAIT
    _widths(table, [0.25, 0.75], _text_width_mm(portrait))
    word.add_paragraph()


def _figure(word: WordDocument, block: Figure) -> None:
    drawing = block.drawing
    portrait = word.sections[0].orientation == WD_ORIENT.PORTRAIT
    width_mm = min(_text_width_mm(portrait), drawing.width * 25.4 / 72)
    height_mm = drawing.height * width_mm / drawing.width
    limit = (297 if portrait else 210) - 50
    if height_mm > limit:
        width_mm *= limit / height_mm
    word.add_picture(io.BytesIO(drawing_png(drawing)), width=Mm(width_mm))
    pictures = word.inline_shapes
    properties = pictures[len(pictures) - 1]._inline.docPr
    properties.set("descr", drawing.description)
    properties.set("name", "Diagram")
    if drawing.description:
        caption = word.add_paragraph()
        _runs(caption, (Span(drawing.description, Emphasis.QUIET),), small=True)
