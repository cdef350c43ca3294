"""The plain way to print a table with reportlab, kept only for the report benchmark's
comparison: one LongTable of Paragraph cells, its header row repeated on every page.

    render_pdf(document, table_flowable=paragraph_table)
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, LongTable, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from chronology_app.core.reports.document import Table
from chronology_app.core.reports.pdf_table import GRID, HEADER_FILL
from chronology_app.core.reports.pdf_text import BOLD, REGULAR, markup


def paragraph_table(block: Table, widths: Sequence[float]) -> Flowable:
    style = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=9.8)
    head = ParagraphStyle("head", parent=style, fontName=BOLD)
    data = [[RLParagraph(escape(c.title), head) for c in block.columns]]
    data += [
        [RLParagraph("<br/>".join(markup(p) for p in value), style) for value in row.cells]
        for row in block.rows
    ]
    table = LongTable(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
