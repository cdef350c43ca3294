"""Drawings (the family diagram, the timeline) for the PDF renderer: boxes, lines and labels
painted on the canvas, scaled down to the room on the page."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from chronology_app.core.reports.document import Box, Drawing, Label, Line, Symbol, Tone
from chronology_app.core.reports.pdf_text import BOLD, INK, REGULAR, TONES, fit


class DrawingFlowable(Flowable):
    def __init__(self, drawing: Drawing, frame_height: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.frame_height = frame_height
        self.scale = min(1.0, frame_height / drawing.height)
        self.spaceAfter = 10.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Shrunk to the room left on the page when that is most of a page (under its heading);
        # otherwise to a whole page, and it moves to the next one.
        room = avail_height if avail_height >= 0.6 * self.frame_height else self.frame_height
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
            elif isinstance(shape, Symbol):
                self._symbol(canvas, shape, height)
        canvas.restoreState()

    @staticmethod
    def _symbol(canvas: Canvas, shape: Symbol, height: float) -> None:
        canvas.setFillColor(TONES[shape.fill])
        canvas.setStrokeColor(TONES[shape.stroke])
        canvas.setLineWidth(1.1 if shape.stroke is Tone.DANGER else 0.9)
        canvas.setDash()
        x, y, half = shape.x, height - shape.y, shape.size / 2
        if shape.kind == "circle":
            canvas.circle(x, y, half, stroke=1, fill=1)
        elif shape.kind == "diamond":
            path = canvas.beginPath()
            path.moveTo(x, y + half)
            path.lineTo(x + half, y)
            path.lineTo(x, y - half)
            path.lineTo(x - half, y)
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)
        else:
            canvas.rect(x - half, y - half, shape.size, shape.size, stroke=1, fill=1)
        if shape.crossed:
            reach = half * 1.15
            canvas.line(x - reach, y - reach, x + reach, y + reach)
            canvas.line(x - reach, y + reach, x + reach, y - reach)

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
            text, fitted = fit(line, font, size, shape.width - 6)
            y -= size * 1.15
            canvas.setFont(font, fitted)
            canvas.drawCentredString(shape.x + shape.width / 2, y + size * 0.25, text)

    @staticmethod
    def _label(canvas: Canvas, shape: Label, height: float) -> None:
        font = BOLD if shape.bold else REGULAR
        text, size = fit(shape.text, font, shape.size, shape.max_width)
        canvas.setFont(font, size)
        canvas.setFillColor(TONES[shape.tone])
        y = height - shape.y
        draw = {
            "middle": canvas.drawCentredString,
            "end": canvas.drawRightString,
        }.get(shape.anchor, canvas.drawString)
        draw(shape.x, y, text)
