"""A document drawing as a PNG picture (for the Word renderer): painted by the PDF renderer's
own drawing code onto a one-page PDF, then rasterised by PDFium at print resolution. Nothing is
written to disk."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.pdfgen.canvas import Canvas

from chronology_app.core.reports.document import Drawing
from chronology_app.core.reports.pdf import _LOCK
from chronology_app.core.reports.pdf_drawing import DrawingFlowable
from chronology_app.core.reports.pdf_text import register_fonts

DPI = 200


def drawing_png(drawing: Drawing, dpi: int = DPI) -> bytes:
    buffer = io.BytesIO()
    with _LOCK:
        register_fonts()
        canvas = Canvas(buffer, pagesize=(drawing.width, drawing.height), invariant=1)
        flowable = DrawingFlowable(drawing, drawing.height)
        flowable.wrap(drawing.width, drawing.height)
        flowable.drawOn(canvas, 0, 0)
        canvas.showPage()
        canvas.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        page = document[0]
        image = page.render(scale=dpi / 72).to_pil()
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
