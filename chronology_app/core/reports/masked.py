"""A family-facing document: every string passes the masking on its way to the renderer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chronology_app.core.reports.audience import Masker
from chronology_app.core.reports.document import (
    Box,
    Cell,
    Column,
    DocumentInfo,
    Drawing,
    Label,
    Paragraph,
    ReportDocument,
    Row,
    Shape,
    Span,
    cell,
)


class MaskedDocument(ReportDocument):
    """Passes everything on to another document with restricted names masked: the last line of
    defence for a conference report, so no table, drawing or metadata string escapes masking."""

    def __init__(self, inner: ReportDocument, masker: Masker) -> None:
        self.inner = inner
        self.content_width = inner.content_width
        self._mask = masker.text

    def _paragraph(self, value: Paragraph) -> Paragraph:
        return tuple(Span(self._mask(span.text), span.emphasis) for span in value)

    def _cell(self, value: Cell | str) -> Cell:
        if isinstance(value, str):
            return cell(self._mask(value))
        return tuple(self._paragraph(p) for p in value)

    def set_info(self, info: DocumentInfo) -> None:
        m = self._mask
        self.inner.set_info(
            replace(
                info,
                title=m(info.title),
                author=m(info.author),
                subject=m(info.subject),
                marking=m(info.marking),
                running_footer=m(info.running_footer),
            )
        )
        self.content_width = self.inner.content_width

    def heading(self, text: str, level: int = 1) -> None:
        self.inner.heading(self._mask(text), level)

    def paragraph(self, text: Paragraph | str, style: str = "body") -> None:
        value = self._mask(text) if isinstance(text, str) else self._paragraph(text)
        self.inner.paragraph(value, style)

    def key_values(self, pairs: Sequence[tuple[str, Cell | str]]) -> None:
        self.inner.key_values([(self._mask(k), self._cell(v)) for k, v in pairs])

    def table(
        self, columns: Sequence[Column], rows: Sequence[Row], *, repeat_header: bool = True
    ) -> None:
        self.inner.table(
            [Column(self._mask(c.title), c.width) for c in columns],
            [Row(tuple(self._cell(v) for v in row.cells), row.highlight) for row in rows],
            repeat_header=repeat_header,
        )

    def drawing(self, drawing: Drawing) -> None:
        shapes: list[Shape] = []
        for shape in drawing.shapes:
            if isinstance(shape, Box):
                shapes.append(replace(shape, lines=tuple(self._mask(t) for t in shape.lines)))
            elif isinstance(shape, Label):
                shapes.append(replace(shape, text=self._mask(shape.text)))
            else:
                shapes.append(shape)
        self.inner.drawing(
            replace(drawing, shapes=tuple(shapes), description=self._mask(drawing.description))
        )

    def page_break(self) -> None:
        self.inner.page_break()
