"""Tables for the PDF renderer, laid out once and split at page ends by a binary search.

Tables are drawn by `GridTable`, not by reportlab's Table of Paragraphs: every cell is wrapped
once with cached word widths, row heights are summed in advance, and a page split is a binary
search, so a 2,000-row chronology costs a fraction of a LongTable's time (the comparison is
benchmarks/naive_table.py). The header row is drawn again at the top of each page.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from chronology_app.core.reports.document import Cell, Row
from chronology_app.core.reports.pdf_text import Measure, wrap

GRID = colors.HexColor("#9aa5b1")
HEADER_FILL = colors.HexColor("#dde3ec")
HIGHLIGHT_FILL = colors.HexColor("#fbe9eb")
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
    frame_height: float = 515.0  # the page's text height: a taller row is cut

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
        if row.height + self._header_height() <= layout.frame_height or room < 3 * layout.leading:
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
