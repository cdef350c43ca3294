"""PDF rendering of a `DocumentModel`: the only module that imports reportlab.

- Text is set in the shipped DejaVu Sans (resources/fonts), so any name prints; every user
  string is either escaped before it becomes Paragraph markup or drawn literally.
- The protective marking is drawn at the top and bottom of every page by the page callback;
  "Page X of Y" by a canvas that holds the pages back until the total is known (one pass).
- Tables are drawn by `GridTable`, not by reportlab's Table of Paragraphs: every cell is
  wrapped once with cached word widths, row heights are summed in advance, and a page split
  is a binary search, so a 2,000-row chronology costs a fraction of a LongTable's time
  (benchmarks/bench_report.py). `render_pdf(..., tables="paragraphs")` keeps the plain
  LongTable way for that comparison. The header row is drawn again at the top of each page.
- The result is bytes; nothing is written to disk. reportlab keeps module-level state (the
  font registry, per-document font subsets), so renders take turns behind a lock.
"""

from __future__ import annotations

import bisect
import io
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from chronology_app.core.errors import ChronologyError
from chronology_app.core.reports.document import (
    CONTENT_WIDTH,
    Box,
    Cell,
    DocumentInfo,
    DocumentModel,
    Drawing,
    Emphasis,
    Figure,
    Heading,
    KeyValues,
    Label,
    Line,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    Text,
    Tone,
)
from chronology_app.resources import resource_dir

REGULAR, BOLD = "ChronologySans", "ChronologySans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
PAGE = landscape(A4)
MARGIN_X = (PAGE[0] - CONTENT_WIDTH) / 2
MARGIN_TOP = MARGIN_BOTTOM = 40.0
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1a1a1a")
TONES = {
    Tone.INK: INK,
    Tone.MUTED: colors.HexColor("#5f6670"),
    Tone.FAINT: colors.HexColor("#e3e8ef"),
    Tone.ACCENT: colors.HexColor("#1f5fa8"),
    Tone.DANGER: colors.HexColor("#b00020"),
    Tone.PARTNER: colors.HexColor("#7a3e9d"),
    Tone.PAPER: colors.white,
}
EMPHASIS = {
    Emphasis.PLAIN: (REGULAR, INK),
    Emphasis.STRONG: (BOLD, INK),
    Emphasis.WARNING: (BOLD, TONES[Tone.DANGER]),
    Emphasis.QUIET: (REGULAR, TONES[Tone.MUTED]),
}
GRID = colors.HexColor("#9aa5b1")
HEADER_FILL = colors.HexColor("#dde3ec")
HIGHLIGHT_FILL = colors.HexColor("#fbe9eb")

_LOCK = threading.Lock()
_registered = False
# Streams are compressed and left binary: ASCII85 on top makes the file a quarter bigger and,
# without reportlab's C accelerator, costs a third of the rendering time.
rl_config.useA85 = 0


def _register_fonts() -> None:
    global _registered  # noqa: PLW0603 (registered once per process, under _LOCK)
    if _registered:
        return
    folder = resource_dir() / "fonts"
    for name, file in FONT_FILES.items():
        path = folder / file
        if not path.is_file():
            raise ChronologyError(
                f"The report font {file} is missing from {folder}: reinstall Chronology."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    _registered = True


# --- text: escaping and fast wrapping ----------------------------------------------------------


def markup(paragraph: Paragraph) -> str:
    """Paragraph markup for plain spans: every character of user text is escaped."""
    parts = []
    for span in paragraph:
        text = escape(span.text).replace("\n", "<br/>")
        font, color = EMPHASIS[span.emphasis]
        if font == BOLD:
            text = f"<b>{text}</b>"
        if color is not INK:
            text = f'<font color="{color.hexval()}">{text}</font>'
        parts.append(text)
    return "".join(parts)


class Measure:
    """Word widths at one size, cached: a chronology repeats the same words thousands of
    times."""

    def __init__(self, size: float) -> None:
        self.size = size
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str) -> float:
        key = (text, font)
        width = self._cache.get(key)
        if width is None:
            width = pdfmetrics.stringWidth(text, font, self.size)
            self._cache[key] = width
        return width


# A drawn piece of a line: (x, text, font, colour).
Segment = tuple[float, str, str, Any]


def _pieces(word: str, font: str, width: float, measure: Measure) -> Iterator[str]:
    """A word wider than the column, in pieces that fit."""
    piece = ""
    for char in word:
        if piece and measure(piece + char, font) > width:
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece


def wrap(paragraph: Paragraph, width: float, measure: Measure) -> list[list[Segment]]:
    """Lines of a paragraph: greedy word wrap, new lines kept, words never lost."""
    lines: list[list[Segment]] = []
    current: list[Segment] = []
    x = 0.0
    for span in paragraph:
        font, color = EMPHASIS[span.emphasis]
        space = measure(" ", font)
        for number, text_line in enumerate(span.text.split("\n")):
            if number:
                lines.append(current)
                current, x = [], 0.0
            for word in text_line.split():
                w = measure(word, font)
                gap = space if current else 0.0
                if current and x + gap + w > width:
                    lines.append(current)
                    current, x, gap = [], 0.0, 0.0
                if w > width:
                    for piece in _pieces(word, font, width, measure):
                        if current:
                            lines.append(current)
                        current, x = [(0.0, piece, font, color)], measure(piece, font)
                    continue
                if current and current[-1][2] == font and current[-1][3] is color:
                    last = current[-1]
                    current[-1] = (last[0], f"{last[1]} {word}", font, color)
                else:
                    current.append((x + gap, word, font, color))
                x += gap + w
    lines.append(current)
    return lines


# --- tables ------------------------------------------------------------------------------------

PAD_X, PAD_Y, PARA_GAP = 3.0, 2.5, 1.5


# A piece of text in a row: (x, baseline below the row's top, text, font, colour).
Item = tuple[float, float, str, str, Any]


@dataclass
class LaidRow:
    height: float
    items: list[Item]
    highlight: bool = False


@dataclass
class TableLayout:
    widths: list[float]
    header: LaidRow | None
    rows: list[LaidRow]
    tops: list[float]  # tops[i]: the height of rows[:i]
    leading: float
    size: float
    grid: bool = True
    repeat_header: bool = True
    space_after: float = 0.0

    @classmethod
    def build(
        cls,
        widths: list[float],
        header: Sequence[Cell] | None,
        rows: Sequence[Row],
        measure: Measure,
        **style: Any,
    ) -> TableLayout:
        leading = measure.size * 1.22
        laid_header = (
            _lay_row(header, widths, measure, leading, False) if header is not None else None
        )
        laid = [_lay_row(row.cells, widths, measure, leading, row.highlight) for row in rows]
        return cls(widths, laid_header, laid, _tops(laid), leading, measure.size, **style)

    def with_rows(self, rows: list[LaidRow]) -> TableLayout:
        return replace(self, rows=rows, tops=_tops(rows))


def _tops(rows: Sequence[LaidRow]) -> list[float]:
    tops = [0.0]
    for row in rows:
        tops.append(tops[-1] + row.height)
    return tops


def _lay_row(
    cells: Sequence[Cell], widths: list[float], measure: Measure, leading: float, highlight: bool
) -> LaidRow:
    items: list[Item] = []
    tallest = leading
    left = 0.0
    for value, width in zip(cells, widths, strict=True):
        y = 0.0
        for index, paragraph in enumerate(value):
            if index:
                y += PARA_GAP
            for line in wrap(paragraph, width - 2 * PAD_X, measure):
                y += leading
                baseline = PAD_Y + y - leading * 0.25
                items.extend((left + PAD_X + x, baseline, t, f, c) for x, t, f, c in line)
        tallest = max(tallest, y)
        left += width
    return LaidRow(tallest + 2 * PAD_Y, items, highlight)


def _split_row(row: LaidRow, height: float, leading: float) -> tuple[LaidRow, LaidRow]:
    """A row taller than a page, cut at `height`: the lines below carry on in a second row."""
    cut = height - PAD_Y
    first = [item for item in row.items if item[1] + leading * 0.25 <= cut]
    rest = [item for item in row.items if item[1] + leading * 0.25 > cut]
    shift = min(item[1] for item in rest) - (PAD_Y + leading * 0.75) if rest else 0.0
    moved = [(x, y - shift, t, f, c) for x, y, t, f, c in rest]
    bottom = max((y for _, y, *_ in moved), default=0.0) + leading * 0.25 + PAD_Y
    return LaidRow(height, first, row.highlight), LaidRow(bottom, moved, row.highlight)


class GridTable(Flowable):
    """Rows start..end of a laid-out table, under the header row (on every piece when the
    header repeats)."""

    def __init__(
        self, layout: TableLayout, start: int = 0, end: int | None = None, *, first: bool = True
    ) -> None:
        super().__init__()
        self.layout = layout
        self.start = start
        self.end = len(layout.rows) if end is None else end
        self.first = first
        self.width = sum(layout.widths)
        self.height = 0.0
        self.spaceAfter = layout.space_after if self.end == len(layout.rows) else 0.0

    @property
    def header(self) -> LaidRow | None:
        return self.layout.header if self.first or self.layout.repeat_header else None

    def _header_height(self) -> float:
        return self.header.height if self.header else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        tops = self.layout.tops
        self.height = self._header_height() + tops[self.end] - tops[self.start]
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        layout, tops = self.layout, self.layout.tops
        room = avail_height - self._header_height()
        fits = bisect.bisect_right(tops, tops[self.start] + room + 1e-6, self.start, self.end + 1)
        count = fits - 1 - self.start
        if count >= self.end - self.start:
            return [self]
        if count > 0:
            middle = self.start + count
            return [
                GridTable(layout, self.start, middle, first=self.first),
                GridTable(layout, middle, self.end, first=False),
            ]
        row = layout.rows[self.start]
        if row.height + self._header_height() <= FRAME_HEIGHT or room < 3 * layout.leading:
            return []  # it fits on the next page
        # A row taller than a page: cut it, and carry the rest of its lines on.
        top_part, rest = _split_row(row, room, layout.leading)
        head = replace(layout.with_rows([top_part]), space_after=0.0)
        tail = layout.with_rows([rest, *layout.rows[self.start + 1 : self.end]])
        return [GridTable(head, first=self.first), GridTable(tail, first=False)]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        layout = self.layout
        rows: list[tuple[LaidRow, bool]] = []
        if self.header is not None:
            rows.append((self.header, True))
        rows.extend((layout.rows[i], False) for i in range(self.start, self.end))
        text = canvas.beginText()
        font_now: str | None = None
        color_now: Any = None
        y = top
        for row, is_header in rows:
            fill = HEADER_FILL if is_header else HIGHLIGHT_FILL if row.highlight else None
            if fill is not None:
                canvas.setFillColor(fill)
                canvas.rect(0, y - row.height, self.width, row.height, stroke=0, fill=1)
            for x, baseline, content, font, color in row.items:
                if font != font_now:
                    text.setFont(font, layout.size)
                    font_now = font
                if color is not color_now:
                    text.setFillColor(color)
                    color_now = color
                text.setTextOrigin(x, y - baseline)
                text.textLine(content)  # no width bookkeeping, unlike textOut
            y -= row.height
        canvas.drawText(text)
        if layout.grid:
            self._draw_grid(rows, top)

    def _draw_grid(self, rows: list[tuple[LaidRow, bool]], top: float) -> None:
        canvas = self.canv
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        bottom = top - sum(row.height for row, _ in rows)
        y = top
        lines = [(0.0, top, self.width, top)]
        for row, _ in rows:
            y -= row.height
            lines.append((0.0, y, self.width, y))
        x = 0.0
        for width in [0.0, *self.layout.widths]:
            x += width
            lines.append((x, top, x, bottom))
        canvas.lines(lines)


# --- drawings ----------------------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float | None) -> tuple[str, float]:
    """Shrink text to `width` (not below 4.5 pt), then shorten it with an ellipsis."""
    if width is None or width <= 0:
        return text, size
    natural = pdfmetrics.stringWidth(text, font, size)
    if natural <= width:
        return text, size
    smaller = max(4.5, size * width / natural)
    while len(text) > 1 and pdfmetrics.stringWidth(text, font, smaller) > width + 0.01:
        text = text[:-2] + "…"
    return text, smaller


class DrawingFlowable(Flowable):
    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = min(1.0, CONTENT_WIDTH / drawing.width, FRAME_HEIGHT / drawing.height)
        self.spaceAfter = 10.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Shrunk to the room left on the page when that is most of a page (under its heading);
        # otherwise to a whole page, and it moves to the next one.
        room = avail_height if avail_height >= 0.6 * FRAME_HEIGHT else FRAME_HEIGHT
        self.scale = min(1.0, avail_width / self.drawing.width, room / self.drawing.height)
        return self.drawing.width * self.scale, self.drawing.height * self.scale

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.scale, self.scale)
        height = self.drawing.height
        for shape in self.drawing.shapes:
            if isinstance(shape, Line):
                self._line(canvas, shape, height)
            elif isinstance(shape, Box):
                self._box(canvas, shape, height)
            elif isinstance(shape, Label):
                self._label(canvas, shape, height)
        canvas.restoreState()

    @staticmethod
    def _line(canvas: Canvas, shape: Line, height: float) -> None:
        canvas.setStrokeColor(TONES[shape.tone])
        canvas.setLineWidth(shape.width)
        canvas.setDash(*((2, 2) if shape.dashed else ()))
        path = canvas.beginPath()
        (x0, y0), *rest = shape.points
        path.moveTo(x0, height - y0)
        for x, y in rest:
            path.lineTo(x, height - y)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setDash()

    @staticmethod
    def _box(canvas: Canvas, shape: Box, height: float) -> None:
        canvas.setFillColor(TONES[shape.fill])
        canvas.setStrokeColor(TONES[shape.stroke])
        canvas.setLineWidth(0.9 if shape.stroke is Tone.DANGER else 0.7)
        canvas.setDash(*((3, 2) if shape.dashed else ()))
        bottom = height - shape.y - shape.height
        canvas.rect(shape.x, bottom, shape.width, shape.height, stroke=1, fill=1)
        canvas.setDash()
        if not shape.lines:
            return
        sizes = [8.0 if i == 0 else 6.5 for i in range(len(shape.lines))]
        block = sum(sizes) * 1.15
        y = bottom + shape.height / 2 + block / 2
        canvas.setFillColor(INK)
        for index, (line, size) in enumerate(zip(shape.lines, sizes, strict=True)):
            font = BOLD if index == 0 and shape.bold_first_line else REGULAR
            text, fitted = _fit(line, font, size, shape.width - 6)
            y -= size * 1.15
            canvas.setFont(font, fitted)
            canvas.drawCentredString(shape.x + shape.width / 2, y + size * 0.25, text)

    @staticmethod
    def _label(canvas: Canvas, shape: Label, height: float) -> None:
        font = BOLD if shape.bold else REGULAR
        text, size = _fit(shape.text, font, shape.size, shape.max_width)
        canvas.setFont(font, size)
        canvas.setFillColor(TONES[shape.tone])
        y = height - shape.y
        draw = {
            "middle": canvas.drawCentredString,
            "end": canvas.drawRightString,
        }.get(shape.anchor, canvas.drawString)
        draw(shape.x, y, text)


# --- the document ------------------------------------------------------------------------------

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
TableMode = Literal["fast", "paragraphs"]


def _page_callback(info: DocumentInfo) -> Callable[[Canvas, Any], None]:
    def on_page(canvas: Canvas, _doc: Any) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFillColor(TONES[Tone.DANGER])
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(width / 2, height - 24, info.marking)
        canvas.drawCentredString(width / 2, 16, info.marking)
        canvas.setFillColor(TONES[Tone.MUTED])
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(MARGIN_X, 16, info.running_footer)
        canvas.restoreState()

    return on_page


def _numbered_canvas() -> type[Canvas]:
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
                self.drawRightString(PAGE[0] - MARGIN_X, 16, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _column_widths(shares: Sequence[float]) -> list[float]:
    total = sum(shares) or 1.0
    return [CONTENT_WIDTH * share / total for share in shares]


def _paragraph_table(block: Table) -> Flowable:
    """The plain way: one LongTable of Paragraph cells (for the benchmark's comparison)."""
    style = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=9.8)
    head = ParagraphStyle("head", parent=style, fontName=BOLD)
    data = [[RLParagraph(escape(c.title), head) for c in block.columns]]
    data += [
        [RLParagraph("<br/>".join(markup(p) for p in value), style) for value in row.cells]
        for row in block.rows
    ]
    table = LongTable(
        data, colWidths=_column_widths([c.width for c in block.columns]), repeatRows=1
    )
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


def _strong(text: str) -> Paragraph:
    return (Span(text, Emphasis.STRONG),)


def _flowables(document: DocumentModel, tables: TableMode) -> Iterator[Flowable]:
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
            widths = _column_widths([0.2, 0.8])
            rows = [Row(((_strong(key),), value)) for key, value in block.pairs]
            layout = TableLayout.build(widths, None, rows, key_measure, grid=False)
            yield GridTable(layout)
        elif isinstance(block, Table):
            if tables == "paragraphs":
                yield _paragraph_table(block)
                continue
            widths = _column_widths([c.width for c in block.columns])
            header = [(_strong(c.title),) for c in block.columns]
            layout = TableLayout.build(
                widths,
                header,
                block.rows,
                measure,
                repeat_header=block.repeat_header,
                space_after=8.0,
            )
            yield GridTable(layout)
        elif isinstance(block, Figure):
            yield DrawingFlowable(block.drawing)
        elif isinstance(block, PageBreak):
            yield RLPageBreak()


def render_pdf(document: DocumentModel, *, tables: TableMode = "fast") -> bytes:
    """The document as PDF bytes (A4 landscape)."""
    info = document.info
    buffer = io.BytesIO()
    with _LOCK:
        _register_fonts()
        template = BaseDocTemplate(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
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
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            FRAME_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        template.addPageTemplates([PageTemplate("page", [frame], onPage=_page_callback(info))])
        template.build(list(_flowables(document, tables)), canvasmaker=_numbered_canvas())
    return buffer.getvalue()
