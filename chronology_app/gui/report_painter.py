"""The third renderer of a report document (beside PDF and Word): painted with QPainter onto a
printer or the print preview, so print and PDF come from one model. Vector output, at full
size, in the paper's orientation (A4 landscape, or portrait for the court chronology).

Two passes: `report_layout.lay_out` places the blocks on pages, then `paint` draws them, each
page with the marking at top and bottom and "Page X of Y" (the total is known by then).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from chronology_app.core.reports.document import (
    Box,
    DocumentModel,
    Drawing,
    Label,
    Line,
    Symbol,
    Tone,
)
from chronology_app.gui.report_layout import (
    TONES,
    UNIT,
    Fonts,
    Layout,
    PageOps,
    Run,
    font,
    lay_out,
)


def paint(document: DocumentModel, device: QPagedPaintDevice) -> int:
    """Paint the document on a printer (or the preview's device); returns the page count."""
    pages = lay_out(document)
    info = document.info
    orientation = (
        QPageLayout.Orientation.Portrait if info.portrait else QPageLayout.Orientation.Landscape
    )
    device.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))
    )
    painter = QPainter()
    if not painter.begin(device):
        return 0
    try:
        paper = device.pageLayout().fullRectPoints()
        printable = device.pageLayout().paintRectPoints()
        scale = device.logicalDpiX() / 72.0 / UNIT
        for number, ops in enumerate(pages, 1):
            if number > 1:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(
                -(printable.left() - paper.left()) * UNIT, -(printable.top() - paper.top()) * UNIT
            )
            _paint_page(painter, ops, document, number, len(pages))
            painter.restore()
    finally:
        painter.end()
    return len(pages)


def _paint_page(
    painter: QPainter, ops: PageOps, document: DocumentModel, number: int, total: int
) -> None:
    layout = Layout(document)  # the page's geometry
    for rect, fill, stroke in ops.rects:
        painter.setPen(QPen(QColor(stroke), 0.8 * UNIT) if stroke else Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(fill)) if fill else Qt.BrushStyle.NoBrush)
        painter.drawRect(_scaled(rect))
    for x1, y1, x2, y2, colour in ops.lines:
        painter.setPen(QPen(QColor(colour), 0.4 * UNIT))
        painter.drawLine(QPointF(x1 * UNIT, y1 * UNIT), QPointF(x2 * UNIT, y2 * UNIT))
    _texts(painter, ops.texts)
    for drawing, x, y, scale in ops.drawings:
        paint_drawing(painter, drawing, x, y, scale)
    info = document.info
    w, h = layout.page_w, layout.page_h
    marking = [
        (w / 2 - layout.fonts.width(info.marking, 9, True) / 2, 24 + 9 * 0.75, info.marking,
         9.0, True, TONES[Tone.DANGER]),
        (w / 2 - layout.fonts.width(info.marking, 9, True) / 2, h - 16, info.marking, 9.0, True,
         TONES[Tone.DANGER]),
        (layout.left, h - 28, info.running_footer, 7.5, False, TONES[Tone.MUTED]),
    ]  # fmt: skip
    label = f"Page {number} of {total}"
    right = w - layout.left - layout.fonts.width(label, 7.5, False)
    marking.append((right, h - 28, label, 7.5, False, TONES[Tone.MUTED]))
    _texts(painter, marking)


def _scaled(rect: QRectF) -> QRectF:
    return QRectF(rect.x() * UNIT, rect.y() * UNIT, rect.width() * UNIT, rect.height() * UNIT)


def _texts(painter: QPainter, runs: Sequence[Run]) -> None:
    current: tuple[float, bool, str] | None = None
    for x, y, text, size, bold, colour in runs:
        if current != (size, bold, colour):
            painter.setFont(font(size, bold))
            painter.setPen(QColor(colour))
            current = (size, bold, colour)
        painter.drawText(QPointF(x * UNIT, y * UNIT), text)


def paint_drawing(painter: QPainter, drawing: Drawing, x: float, y: float, scale: float) -> None:
    """A document drawing at (x, y) points, scaled."""
    painter.save()
    painter.translate(x * UNIT, y * UNIT)
    painter.scale(scale * UNIT, scale * UNIT)  # drawing units are points
    fonts = Fonts()
    for shape in drawing.shapes:
        if isinstance(shape, Line):
            pen = QPen(QColor(TONES[shape.tone]), shape.width)
            if shape.dashed:
                pen.setDashPattern([2 / shape.width, 2 / shape.width])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF([QPointF(px, py) for px, py in shape.points]))
        elif isinstance(shape, Box):
            pen = QPen(QColor(TONES[shape.stroke]), 0.7)
            if shape.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(QColor(TONES[shape.fill]))
            painter.drawRect(QRectF(shape.x, shape.y, shape.width, shape.height))
            for index, text in enumerate(shape.lines):
                size = 8.0 if index == 0 else 6.5
                bold = index == 0 and shape.bold_first_line
                middle = shape.y + shape.height / 2 + (index - 0.3) * 9
                centre = shape.x + shape.width / 2
                label = Label(centre, middle, text, size, "middle", Tone.INK, bold, shape.width - 6)
                _label(painter, fonts, label)
        elif isinstance(shape, Label):
            _label(painter, fonts, shape)
        elif isinstance(shape, Symbol):
            _symbol(painter, shape)
    painter.restore()


def _label(painter: QPainter, fonts: Fonts, shape: Label) -> None:
    text, size = shape.text, shape.size
    width = fonts.width(text, size, shape.bold)
    if shape.max_width and width > shape.max_width:
        size = max(4.5, size * shape.max_width / width)
        width = fonts.width(text, size, shape.bold)
        while len(text) > 1 and width > shape.max_width:
            text = text[: max(1, int(len(text) * shape.max_width / width) - 1)] + "…"
            width = fonts.width(text, size, shape.bold)
    x = shape.x - (width / 2 if shape.anchor == "middle" else width if shape.anchor == "end" else 0)
    painter.save()
    painter.scale(1 / UNIT, 1 / UNIT)  # fonts are sized in tenths of a point
    painter.setFont(font(size, shape.bold))
    painter.setPen(QColor(TONES[shape.tone]))
    painter.drawText(QPointF(x * UNIT, shape.y * UNIT), text)
    painter.restore()


def _symbol(painter: QPainter, shape: Symbol) -> None:
    painter.setPen(QPen(QColor(TONES[shape.stroke]), 1.1 if shape.stroke is Tone.DANGER else 0.9))
    painter.setBrush(QColor(TONES[shape.fill]))
    half = shape.size / 2
    box = QRectF(shape.x - half, shape.y - half, shape.size, shape.size)
    if shape.kind == "circle":
        painter.drawEllipse(box)
    elif shape.kind == "diamond":
        path = QPainterPath(QPointF(shape.x, shape.y - half))
        for px, py in (
            (shape.x + half, shape.y),
            (shape.x, shape.y + half),
            (shape.x - half, shape.y),
        ):
            path.lineTo(px, py)
        path.closeSubpath()
        painter.drawPath(path)
    else:
        painter.drawRect(box)
    if shape.crossed:
        reach = half * 1.15
        painter.drawLine(
            QPointF(shape.x - reach, shape.y - reach), QPointF(shape.x + reach, shape.y + reach)
        )
        painter.drawLine(
            QPointF(shape.x - reach, shape.y + reach), QPointF(shape.x + reach, shape.y - reach)
        )


__all__ = ["lay_out", "paint", "paint_drawing"]
