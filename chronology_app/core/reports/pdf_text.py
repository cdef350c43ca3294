"""Text for the PDF renderer: the shipped font, escaping, and fast, linear word wrapping.

Text is set in the shipped DejaVu Sans (resources/fonts), so any name prints; every user string
is either escaped before it becomes reportlab Paragraph markup or drawn literally. Wrapping and
fitting cost time in proportion to the text's length, even for a 100,000-character word: a word
wider than its column is cut by running sums of character widths, never by measuring longer
and longer prefixes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from chronology_app.core.errors import ChronologyError
from chronology_app.core.reports.document import Emphasis, Paragraph, Tone
from chronology_app.resources import resource_dir

REGULAR, BOLD = "ChronologySans", "ChronologySans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
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

_registered = False


def register_fonts() -> None:
    """Register the report font once per process (call under the renderer's lock)."""
    global _registered  # noqa: PLW0603 (registered once per process, under the lock)
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
            if len(text) < 64:  # long words are measured once and not kept
                self._cache[key] = width
        return width


def char_widths(text: str, font: str, size: float) -> list[float]:
    """Running sums of character widths: the width of text[:i] is the i-th value (kerning
    aside, which the shipped font does not use here)."""
    widths = {c: pdfmetrics.stringWidth(c, font, size) for c in set(text)}
    return [0.0, *itertools.accumulate(widths[c] for c in text)]


def pieces(word: str, font: str, width: float, size: float) -> Iterator[str]:
    """A word wider than the column, in pieces that fit (linear in the word's length)."""
    sums = char_widths(word, font, size)
    start = 0
    for end in range(1, len(word) + 1):
        if end - 1 > start and sums[end] - sums[start] > width:
            yield word[start : end - 1]
            start = end - 1
    if start < len(word):
        yield word[start:]


def fit(text: str, font: str, size: float, width: float | None) -> tuple[str, float]:
    """Shrink text to `width` (not below 4.5 pt), then shorten it with an ellipsis."""
    if width is None or width <= 0:
        return text, size
    natural = pdfmetrics.stringWidth(text, font, size)
    if natural <= width:
        return text, size
    smaller = max(4.5, size * width / natural)
    if pdfmetrics.stringWidth(text, font, smaller) <= width + 0.01:
        return text, smaller
    room = width - pdfmetrics.stringWidth("…", font, smaller)
    sums = char_widths(text, font, smaller)
    keep = max(1, sum(1 for value in sums[1:] if value <= room))
    return text[:keep] + "…", smaller


# A drawn piece of a line: (x, text, font, colour).
Segment = tuple[float, str, str, Any]


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
                    for piece in pieces(word, font, width, measure.size):
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
