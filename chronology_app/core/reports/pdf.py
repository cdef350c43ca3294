"""PDF rendering of a `DocumentModel`: with pdf_text, pdf_table and pdf_drawing, the only
modules that import reportlab.

- A4 landscape, or portrait when the document asks (the court chronology).
- The protective marking is drawn at the top and bottom of every page by the page callback;
  "Page X of Y" by a canvas that holds the pages back until the total is known (one pass).
- The result is bytes; nothing is written to disk. reportlab keeps module-level state (the
  font registry, per-document font subsets), so renders take turns behind a lock.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageTemplate
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from chronology_app.core.reports.document import (
    CONTENT_WIDTH,
    PORTRAIT_WIDTH,
    DocumentInfo,
    DocumentModel,
    Emphasis,
    Figure,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    Text,
    Tone,
)
from chronology_app.core.reports.pdf_drawing import DrawingFlowable
from chronology_app.core.reports.pdf_table import GridTable, TableLayout
from chronology_app.core.reports.pdf_text import BOLD, REGULAR, TONES, Measure, markup
from chronology_app.core.reports.pdf_text import register_fonts as _register_fonts

MARGIN_TOP = MARGIN_BOTTOM = 40.0
_LOCK = threading.Lock()
# Streams are compressed and left binary: ASCII85 on top makes the file a quarter bigger and,
# without reportlab's C accelerator, costs a third of the rendering time.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Page:
    """The paper and the text frame on it."""

    width: float
    height: float
    content_width: float

    @property
    def margin_x(self) -> float:
        return (self.width - self.content_width) / 2

    @property
    def frame_height(self) -> float:
        return self.height - MARGIN_TOP - MARGIN_BOTTOM


LANDSCAPE = Page(landscape(A4)[0], landscape(A4)[1], content_width=CONTENT_WIDTH)
PORTRAIT = Page(A4[0], A4[1], content_width=PORTRAIT_WIDTH)


def page_for(document: DocumentModel) -> Page:
    return PORTRAIT if document.info.portrait else LANDSCAPE


STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=22, leading=28, spaceAfter=6),
    "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=15, leading=19, spaceBefore=4, spaceAfter=8),
    "h2": ParagraphStyle(
        "h2", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=6
    ),
    "h3": ParagraphStyle(
        "h3", fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=9, spaceAfter=3
    ),
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, spaceAfter=6),
    "small": ParagraphStyle(
        "small",
        fontName=REGULAR,
        fontSize=8,
        leading=10.5,
        textColor=TONES[Tone.MUTED],
        spaceAfter=6,
    ),
    "notice": ParagraphStyle(
        "notice",
        fontName=REGULAR,
        fontSize=10,
        leading=14,
        spaceBefore=14,
        borderWidth=0.8,
        borderColor=TONES[Tone.DANGER],
        borderPadding=8,
        backColor=colors.HexColor("#fff6f6"),
    ),
}
HEADINGS = {0: "title", 1: "h1", 2: "h2"}
# How a table block becomes a flowable (the benchmark passes reportlab's own LongTable).
TableFlowable = Callable[[Table, Sequence[float]], Flowable]


def _page_callback(info: DocumentInfo, page: Page) -> Callable[[Canvas, Any], None]:
    def on_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(TONES[Tone.DANGER])
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(page.width / 2, page.height - 24, info.marking)
        canvas.drawCentredString(page.width / 2, 16, info.marking)
        canvas.setFillColor(TONES[Tone.MUTED])
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(page.margin_x, 28, info.running_footer)
        canvas.restoreState()

    return on_page


def _numbered_canvas(page: Page) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds each page back until the end, then adds "Page X of Y" to all of them."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self.setFont(REGULAR, 7.5)
                self.setFillColor(TONES[Tone.MUTED])
                self.drawRightString(page.width - page.margin_x, 28, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def column_widths(shares: Sequence[float], content_width: float) -> list[float]:
    total = sum(shares) or 1.0
    return [content_width * share / total for share in shares]


def _strong(text: str) -> Paragraph:
    return (Span(text, Emphasis.STRONG),)


def _flowables(
    document: DocumentModel, page: Page, table_flowable: TableFlowable | None
) -> Iterator[Flowable]:
    measure, key_measure = Measure(8.0), Measure(8.5)
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            style = STYLES[HEADINGS.get(block.level, "h3")]
            if block.level:
                yield CondPageBreak(style.leading + 60)
            heading = RLParagraph(escape(block.text), style)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            # A heading stays on the page of a short key/value block or drawing after it.
            heading.keepWithNext = isinstance(following, KeyValues | Figure)
            yield heading
        elif isinstance(block, Text):
            yield RLParagraph(markup(block.paragraph), STYLES[block.style])
        elif isinstance(block, KeyValues):
            widths = column_widths([0.2, 0.8], page.content_width)
            rows = [Row(((_strong(key),), value)) for key, value in block.pairs]
            layout = TableLayout.build(
                widths, None, rows, key_measure, grid=False, frame_height=page.frame_height
            )
            yield GridTable(layout)
        elif isinstance(block, Table):
            widths = column_widths([c.width for c in block.columns], page.content_width)
            if table_flowable is not None:
                yield table_flowable(block, widths)
                continue
            header = [(_strong(c.title),) for c in block.columns]
            layout = TableLayout.build(
                widths,
                header,
                block.rows,
                measure,
                repeat_header=block.repeat_header,
                space_after=8.0,
                frame_height=page.frame_height,
            )
            yield GridTable(layout)
        elif isinstance(block, Figure):
            yield DrawingFlowable(block.drawing, page.frame_height)
        elif isinstance(block, PageBreak):
            yield RLPageBreak()


def render_pdf(document: DocumentModel, *, table_flowable: TableFlowable | None = None) -> bytes:
    """The document as PDF bytes (A4, landscape unless the document asks for portrait)."""
    info = document.info
    page = page_for(document)
    buffer = io.BytesIO()
    with _LOCK:
        _register_fonts()
        template = BaseDocTemplate(
            buffer,
            pagesize=(page.width, page.height),
            leftMargin=page.margin_x,
            rightMargin=page.margin_x,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.author,
            subject=info.subject,
            creator="Chronology",
            keywords=[],
            invariant=1,
            pageCompression=1,
        )
        frame = Frame(
            page.margin_x,
            MARGIN_BOTTOM,
            page.content_width,
            page.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        template.addPageTemplates(
            [PageTemplate("page", [frame], onPage=_page_callback(info, page))]
        )
        flowables = list(_flowables(document, page, table_flowable))
        template.build(flowables, canvasmaker=_numbered_canvas(page))
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF this module wrote."""
    return len(re.findall(rb"/Type /Page\b", pdf))


__all__ = ["LANDSCAPE", "PORTRAIT", "page_count", "render_pdf"]
