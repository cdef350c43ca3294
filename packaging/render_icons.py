"""Render the app icon's PNG, ICO and ICNS copies from resources/icons/chronology.svg.

    .venv/bin/python packaging/render_icons.py

Qt's SVG renderer draws each PNG size (offscreen, no screen needed); Pillow, which reportlab
already brings, packs the Windows .ico and the macOS .icns from those PNGs. The outputs are
committed, so a build needs neither step; run this again only after changing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "chronology.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"chronology-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data.data())))


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    # Each size is drawn from the SVG, never scaled from another; 512 is for macOS only.
    images = {size: render(renderer, size) for size in (*SIZES, 512)}
    for size in SIZES:
        images[size].save(png_path(size), optimize=True)
    ico = [images[size] for size in SIZES]
    ico[-1].save(ICONS / "chronology.ico", sizes=[(s, s) for s in SIZES], append_images=ico)
    images[512].save(ICONS / "chronology.icns", append_images=list(images.values()))
    print(f"wrote {len(SIZES)} PNGs, chronology.ico and chronology.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
