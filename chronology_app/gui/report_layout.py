"""Page layout for the desktop's report painter: a report document's blocks placed on A4
pages as drawing operations, in points, measured with the report font (Qt's font metrics).

The layout follows the PDF renderer's: the same margins, sizes and column shares, header rows
repeated on every page, rows taller than a page carried on, drawings shrunk to the room left.
`report_painter.py` paints the pages.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
)

from chronology_app.core.reports.document import (
    CONTENT_WIDTH,
    PORTRAIT_WIDTH,
    Cell,
    DocumentModel,
    Drawing,
    Emphasis,
    Figure,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Span,
    Table,
    Text,
    Tone,
)
from chronology_app.gui.fonts import register_fonts

FAMILY = "DejaVu Sans"
UNIT = 10.0  # the painter works in tenths of a point, so that font sizes are whole pixels
MARGIN_Y = 40.0
TONES = {
    Tone.INK: "#1a1a1a",
    Tone.MUTED: "#5f6670",
    Tone.FAINT: "#e3e8ef",
    Tone.ACCENT: "#1f5fa8",
    Tone.DANGER: "#b00020",
    Tone.PARTNER: "#7a3e9d",
    Tone.PAPER: "#ffffff",
}
GRID, HEADER_FILL, HIGHLIGHT_FILL = "#9aa5b1", "#dde3ec", "#fbe9eb"
HEADINGS = {0: (22.0, 28.0), 1: (15.0, 19.0), 2: (11.5, 15.0)}  # size, leading
STYLES = {"body": (9.0, 12.0), "small": (8.0, 10.5), "notice": (10.0, 14.0)}
PAD_X, PAD_Y = 3.0, 2.5


def font(size: float, bold: bool = False) -> QFont:
    register_fonts()
    value = QFont(FAMILY)
    value.setPixelSize(max(1, round(size * UNIT)))
    value.setBold(bold)
    return value


class Fonts:
    """Word widths in points, cached per font."""

    def __init__(self) -> None:
        self._metrics: dict[tuple[float, bool], QFontMetricsF] = {}
        self._widths: dict[tuple[str, float, bool], float] = {}

    def width(self, text: str, size: float, bold: bool) -> float:
        key = (text, size, bold)
        value = self._widths.get(key)
        if value is None:
            metrics = self._metrics.get((size, bold))
            if metrics is None:
                metrics = self._metrics[(size, bold)] = QFontMetricsF(font(size, bold))
            value = metrics.horizontalAdvance(text) / UNIT
            if len(text) < 64:
                self._widths[key] = value
        return value


# A piece of text: (x, baseline, text, size, bold, colour).
Run = tuple[float, float, str, float, bool, str]


@dataclass
class PageOps:
    texts: list[Run] = field(default_factory=list)
    rects: list[tuple[QRectF, str | None, str | None]] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    drawings: list[tuple[Drawing, float, float, float]] = field(default_factory=list)


def _style(emphasis: Emphasis) -> tuple[bool, str]:
    return {
        Emphasis.PLAIN: (False, TONES[Tone.INK]),
        Emphasis.STRONG: (True, TONES[Tone.INK]),
        Emphasis.WARNING: (True, TONES[Tone.DANGER]),
        Emphasis.QUIET: (False, TONES[Tone.MUTED]),
    }[emphasis]


def wrap(
    paragraph: Paragraph, width: float, size: float, fonts: Fonts
) -> list[list[tuple[float, str, bool, str]]]:
    """Greedy word wrap: lines of (x, text, bold, colour); new lines kept, long words cut."""
    lines: list[list[tuple[float, str, bool, str]]] = []
    current: list[tuple[float, str, bool, str]] = []
    x = 0.0
    for span in paragraph:
        bold, colour = _style(span.emphasis)
        space = fonts.width(" ", size, bold)
        for number, text_line in enumerate(span.text.split("\n")):
            if number:
                lines.append(current)
                current, x = [], 0.0
            for word in text_line.split():
                w = fonts.width(word, size, bold)
                gap = space if current else 0.0
                if current and x + gap + w > width:
                    lines.append(current)
                    current, x, gap = [], 0.0, 0.0
                if w > width:
                    for piece in _pieces(word, width, size, bold, fonts):
                        if current:
                            lines.append(current)
                        current, x = [(0.0, piece, bold, colour)], fonts.width(piece, size, bold)
                    continue
                if current and current[-1][2] == bold and current[-1][3] == colour:
                    last = current[-1]
                    current[-1] = (last[0], f"{last[1]} {word}", bold, colour)
                else:
                    current.append((x + gap, word, bold, colour))
                x += gap + w
    lines.append(current)
    return lines


def _pieces(word: str, width: float, size: float, bold: bool, fonts: Fonts) -> list[str]:
    widths = {c: fonts.width(c, size, bold) for c in set(word)}
    sums = [0.0, *itertools.accumulate(widths[c] for c in word)]
    pieces, start = [], 0
    for end in range(1, len(word) + 1):
        if end - 1 > start and sums[end] - sums[start] > width:
            pieces.append(word[start : end - 1])
            start = end - 1
    pieces.append(word[start:])
    return pieces


class Layout:
    """Blocks placed on pages."""

    def __init__(self, document: DocumentModel) -> None:
        self.document = document
        portrait = document.info.portrait
        self.page_w, self.page_h = (595.2756, 841.8898) if portrait else (841.8898, 595.2756)
        self.content_w = PORTRAIT_WIDTH if portrait else CONTENT_WIDTH
        self.left = (self.page_w - self.content_w) / 2
        self.frame_h = self.page_h - 2 * MARGIN_Y
        self.fonts = Fonts()
        self.pages: list[PageOps] = [PageOps()]
        self.y = 0.0  # used height of the frame on the current page

    @property
    def page(self) -> PageOps:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(PageOps())
        self.y = 0.0

    def room(self) -> float:
        return self.frame_h - self.y

    def run(self) -> list[PageOps]:
        blocks = self.document.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                size, leading = HEADINGS.get(block.level, (9.5, 12.0))
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                keep = 60.0 + (90.0 if isinstance(following, KeyValues | Figure) else 0.0)
                if block.level and self.y and self.room() < leading + keep:
                    self.new_page()
                self.paragraph((Span(block.text, Emphasis.STRONG),), size, leading, 6.0)
            elif isinstance(block, Text):
                size, leading = STYLES.get(block.style, STYLES["body"])
                self.paragraph(block.paragraph, size, leading, 6.0, notice=block.style == "notice")
            elif isinstance(block, KeyValues):
                pairs: list[tuple[Sequence[Cell], bool]] = [
                    ((((Span(key, Emphasis.STRONG),),), value), False) for key, value in block.pairs
                ]
                self.table([0.2, 0.8], None, pairs, 8.5, grid=False)
            elif isinstance(block, Table):
                header = tuple(((Span(c.title, Emphasis.STRONG),),) for c in block.columns)
                rows: list[tuple[Sequence[Cell], bool]] = [
                    (row.cells, row.highlight) for row in block.rows
                ]
                self.table([c.width for c in block.columns], header, rows, 8.0, grid=True)
            elif isinstance(block, Figure):
                self.figure(block.drawing)
            elif isinstance(block, PageBreak) and self.y:
                self.new_page()
        return self.pages

    def paragraph(
        self, spans: Paragraph, size: float, leading: float, after: float, *, notice: bool = False
    ) -> None:
        pad = 8.0 if notice else 0.0
        lines = wrap(spans, self.content_w - 2 * pad, size, self.fonts)
        height = len(lines) * leading + 2 * pad
        if height > self.room() and self.y:
            self.new_page()
        top = self.y + pad
        if notice:
            box = QRectF(self.left, MARGIN_Y + self.y, self.content_w, height)
            self.page.rects.append((box, "#fff6f6", TONES[Tone.DANGER]))
        for number, line in enumerate(lines):
            baseline = MARGIN_Y + top + number * leading + size
            for x, text, bold, colour in line:
                self.page.texts.append((self.left + pad + x, baseline, text, size, bold, colour))
        self.y += height + after

    def _lay_row(
        self, cells: Sequence[Cell], widths: list[float], size: float
    ) -> tuple[float, list[Run]]:
        leading = size * 1.22
        runs: list[Run] = []
        tallest = leading
        left = 0.0
        for value, width in zip(cells, widths, strict=True):
            y = 0.0
            for index, paragraph in enumerate(value):
                if index:
                    y += 1.5
                for line in wrap(paragraph, width - 2 * PAD_X, size, self.fonts):
                    y += leading
                    for x, text, bold, colour in line:
                        runs.append((left + PAD_X + x, PAD_Y + y - leading * 0.25, text, size,
                                     bold, colour))  # fmt: skip
            tallest = max(tallest, y)
            left += width
        return tallest + 2 * PAD_Y, runs

    def table(
        self,
        shares: Sequence[float],
        header: Sequence[Cell] | None,
        rows: Sequence[tuple[Sequence[Cell], bool]],
        size: float,
        *,
        grid: bool,
    ) -> None:
        total = sum(shares) or 1.0
        widths = [self.content_w * share / total for share in shares]
        head = self._lay_row(header, widths, size) if header is not None else None
        head_h = head[0] if head else 0.0
        if self.y and self.room() < head_h + 3 * size:
            self.new_page()
        if head:
            self._place_row(head, widths, HEADER_FILL, grid)
        for cells, highlight in rows:
            height, runs = self._lay_row(cells, widths, size)
            fill = HIGHLIGHT_FILL if highlight else None
            while height > self.room():
                if height <= self.frame_h - head_h or self.room() < 3 * size:
                    self.new_page()
                    if head:
                        self._place_row(head, widths, HEADER_FILL, grid)
                    if height <= self.room():
                        break
                    continue
                # A row taller than a page: what fits here, the rest on the next page.
                cut = self.room() - PAD_Y
                now = [r for r in runs if r[1] + size * 0.3 <= cut]
                rest = [r for r in runs if r[1] + size * 0.3 > cut]
                self._place_row((self.room(), now), widths, fill, grid)
                shift = min(r[1] for r in rest) - (PAD_Y + size * 0.9) if rest else 0.0
                runs = [(x, y - shift, t, s, b, c) for x, y, t, s, b, c in rest]
                height = max((r[1] for r in runs), default=0.0) + size * 0.3 + PAD_Y
                self.new_page()
                if head:
                    self._place_row(head, widths, HEADER_FILL, grid)
            self._place_row((height, runs), widths, fill, grid)
        self.y += 8.0 if grid else 2.0

    def _place_row(
        self, row: tuple[float, list[Run]], widths: list[float], fill: str | None, grid: bool
    ) -> None:
        height, runs = row
        top = MARGIN_Y + self.y
        if fill is not None:
            self.page.rects.append((QRectF(self.left, top, sum(widths), height), fill, None))
        for x, y, text, size, bold, colour in runs:
            self.page.texts.append((self.left + x, top + y, text, size, bold, colour))
        if grid:
            x = self.left
            for width in [0.0, *widths]:
                x += width
                self.page.lines.append((x, top, x, top + height, GRID))
            right = self.left + sum(widths)
            self.page.lines.append((self.left, top, right, top, GRID))
            self.page.lines.append((self.left, top + height, right, top + height, GRID))
        self.y += height

    def figure(self, drawing: Drawing) -> None:
        room = self.room() if self.room() >= 0.6 * self.frame_h else self.frame_h
        scale = min(1.0, self.content_w / drawing.width, room / drawing.height)
        if drawing.height * scale > self.room():
            self.new_page()
        self.page.drawings.append((drawing, self.left, MARGIN_Y + self.y, scale))
        self.y += drawing.height * scale + 10.0


def lay_out(document: DocumentModel) -> list[PageOps]:
    return Layout(document).run()
