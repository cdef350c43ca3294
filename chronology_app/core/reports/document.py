"""The small document interface reports are written against (after Gramps' textdoc).

A report says *what* to print: headings, paragraphs, tables, key/value blocks, drawings and
page breaks, with plain strings only. *How* it looks on paper is the renderer's business
(`pdf.py`, the only module that knows reportlab). Every string here is plain text, never
markup: the renderer escapes or draws it literally, so a summary holding `<b>` or `&` prints
as typed.

`DocumentModel` records what a report writes, as frozen blocks a renderer walks in order.
Drawings use points with the origin at the top left and y growing downwards; the renderer
scales a drawing down when the page is narrower than the drawing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# The width a drawing or table may use on an A4 page with the renderer's margins.
CONTENT_WIDTH = 770.0  # landscape
PORTRAIT_WIDTH = 515.0


class Emphasis(StrEnum):
    PLAIN = "plain"
    STRONG = "strong"  # bold
    WARNING = "warning"  # bold and red: restricted material in internal reports
    QUIET = "quiet"  # grey: secondary detail


class Tone(StrEnum):
    """Colours of a drawing, named by purpose; the renderer chooses the shades."""

    INK = "ink"
    MUTED = "muted"
    FAINT = "faint"
    ACCENT = "accent"
    DANGER = "danger"
    PARTNER = "partner"
    PAPER = "paper"


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    emphasis: Emphasis = Emphasis.PLAIN


# A paragraph is a run of spans; a table cell is a sequence of paragraphs.
Paragraph = tuple[Span, ...]
Cell = tuple[Paragraph, ...]


def para(text: str, emphasis: Emphasis = Emphasis.PLAIN) -> Paragraph:
    return (Span(text, emphasis),)


def cell(*paragraphs: Paragraph | str) -> Cell:
    return tuple(para(p) if isinstance(p, str) else p for p in paragraphs if p)


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float  # a share of the table's width; shares are scaled to fill it


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    highlight: bool = False  # shaded, e.g. a restricted entry in an internal report


# --- drawings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...] = ()  # centred text; the renderer shrinks it to fit the box
    fill: Tone = Tone.PAPER
    stroke: Tone = Tone.INK
    dashed: bool = False
    bold_first_line: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    points: tuple[tuple[float, float], ...]
    tone: Tone = Tone.INK
    width: float = 0.8
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float  # the text's baseline
    text: str
    size: float = 7.0
    anchor: str = "start"  # start, middle or end
    tone: Tone = Tone.INK
    bold: bool = False
    max_width: float | None = None  # shrink the text to fit this width


@dataclass(frozen=True, slots=True)
class Symbol:
    """A person in genogram notation: a square (male), a circle (female) or a diamond (sex not
    known), crossed when the person has died."""

    x: float  # the centre
    y: float
    size: float
    kind: str  # "square", "circle" or "diamond"
    fill: Tone = Tone.PAPER
    stroke: Tone = Tone.INK
    crossed: bool = False


Shape = Box | Line | Label | Symbol


@dataclass(frozen=True, slots=True)
class Drawing:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    description: str = ""  # what the drawing shows, printed under it


# --- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int  # 0 for the report's title, 1 a section, 2 a subsection, 3 an item


@dataclass(frozen=True, slots=True)
class Text:
    paragraph: Paragraph
    style: str = "body"  # body, small or notice (a boxed statement)


@dataclass(frozen=True, slots=True)
class KeyValues:
    pairs: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    repeat_header: bool = True  # the header row is printed again on every page


@dataclass(frozen=True, slots=True)
class Figure:
    drawing: Drawing


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Text | KeyValues | Table | Figure | PageBreak


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What every page carries and what the file's metadata says."""

    title: str
    author: str
    subject: str
    marking: str  # the protective marking, printed at the top and bottom of every page
    running_footer: str = ""
    portrait: bool = False  # A4 portrait (the court chronology); otherwise landscape


class ReportDocument(ABC):
    """What a report writer may ask of a document."""

    content_width: float = CONTENT_WIDTH

    @abstractmethod
    def set_info(self, info: DocumentInfo) -> None: ...

    @abstractmethod
    def heading(self, text: str, level: int = 1) -> None: ...

    @abstractmethod
    def paragraph(self, text: Paragraph | str, style: str = "body") -> None: ...

    @abstractmethod
    def key_values(self, pairs: Sequence[tuple[str, Cell | str]]) -> None: ...

    @abstractmethod
    def table(
        self, columns: Sequence[Column], rows: Sequence[Row], *, repeat_header: bool = True
    ) -> None: ...

    @abstractmethod
    def drawing(self, drawing: Drawing) -> None: ...

    @abstractmethod
    def page_break(self) -> None: ...


@dataclass
class DocumentModel(ReportDocument):
    """A document held as blocks, for a renderer to print."""

    info: DocumentInfo = field(default_factory=lambda: DocumentInfo("", "", "", ""))
    blocks: list[Block] = field(default_factory=list)
    content_width: float = CONTENT_WIDTH

    def set_info(self, info: DocumentInfo) -> None:
        self.info = info
        self.content_width = PORTRAIT_WIDTH if info.portrait else CONTENT_WIDTH

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: Paragraph | str, style: str = "body") -> None:
        self.blocks.append(Text(para(text) if isinstance(text, str) else text, style))

    def key_values(self, pairs: Sequence[tuple[str, Cell | str]]) -> None:
        self.blocks.append(
            KeyValues(tuple((k, cell(v) if isinstance(v, str) else v) for k, v in pairs))
        )

    def table(
        self, columns: Sequence[Column], rows: Sequence[Row], *, repeat_header: bool = True
    ) -> None:
        self.blocks.append(Table(tuple(columns), tuple(rows), repeat_header))

    def drawing(self, drawing: Drawing) -> None:
        self.blocks.append(Figure(drawing))

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def strings(self) -> Iterator[str]:
        """Every string the document would print, metadata included (for checks and tests)."""
        info = self.info
        yield from (info.title, info.author, info.subject, info.marking, info.running_footer)
        for block in self.blocks:
            yield from _block_strings(block)


def _cell_strings(value: Cell) -> Iterator[str]:
    for paragraph in value:
        for span in paragraph:
            yield span.text


def _block_strings(block: Block) -> Iterator[str]:
    if isinstance(block, Heading):
        yield block.text
    elif isinstance(block, Text):
        yield from (span.text for span in block.paragraph)
    elif isinstance(block, KeyValues):
        for key, value in block.pairs:
            yield key
            yield from _cell_strings(value)
    elif isinstance(block, Table):
        yield from (column.title for column in block.columns)
        for row in block.rows:
            for value in row.cells:
                yield from _cell_strings(value)
    elif isinstance(block, Figure):
        yield block.drawing.description
        for shape in block.drawing.shapes:
            if isinstance(shape, Box):
                yield from shape.lines
            elif isinstance(shape, Label):
                yield shape.text
