"""Every colour the app draws with, derived from the palette in use, so none vanishes in a
dark or high-contrast palette.

Each colour has a preferred value (chosen for the light palette most laptops have); it is used
when it stands out enough from the background it is drawn on (WCAG contrast ratio: 4.5 for
text, 3 for markers, bars and lines), otherwise it is made lighter or darker, keeping its hue,
until it does, and failing that the palette's own text colour stands in. Tints behind table
rows are mixed from the palette's base colour, so the palette's text stays readable on them.

High contrast is followed when the system asks for it (Qt 6.10+: `QStyleHints.accessibility()
.contrastPreference()`) and when the user turns on View → High contrast (kept per user, for
machines that do not report it): the app then uses a black, white and yellow palette and
stricter contrast for every marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

HIGH_CONTRAST_KEY = "view/high_contrast"
TEXT, GRAPHIC = 4.5, 3.0  # the least WCAG contrast ratios for text and for shapes
STRICT = 7.0  # text in high contrast (WCAG AAA)

PREFERRED = {
    # problems and notes in dialogs
    "error": "#b71c1c",
    "warning": "#8a4b00",
    "note": "#e65100",
    "good": "#1b5e20",
    "muted": "#5f6670",
    # timeline markers by kind of entry, the ring on flagged ones, relationship bars
    "da": "#c62828",
    "relationship": "#6a1b9a",
    "response": "#1565c0",
    "other": "#78909c",
    "flagged": "#f9a825",
    "together": "#8e24aa",
    "separated": "#90a4ae",
    "axis": "#90a4ae",
    "lane_line": "#cfd8dc",
    # flag severities; a reviewed flag's row
    "high": "#c62828",
    "medium": "#ef6c00",
    "low": "#546e7a",
    "reviewed": "#757575",
}
TINTS = {"restricted": "#fbe9e7", "flagged_row": "#fff4d6", "problem": "#f8d7da"}


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(preferred: QColor, background: QColor, minimum: float, fallback: QColor) -> QColor:
    """`preferred` if it stands out from `background` by `minimum`; else the same hue made
    lighter (on a dark background) or darker until it does; else `fallback`."""
    if contrast(preferred, background) >= minimum:
        return QColor(preferred)
    hue, saturation = preferred.hslHueF(), preferred.hslSaturationF()
    lightness = preferred.lightnessF()
    lighter = luminance(background) < 0.18
    steps = 20
    for step in range(1, steps + 1):
        value = lightness + (1 - lightness if lighter else -lightness) * step / steps
        candidate = QColor.fromHslF(max(hue, 0.0), saturation, value)
        if contrast(candidate, background) >= minimum:
            return candidate
    return QColor(fallback)


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """`amount` of `second` mixed into `first`."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


def tint(hue: QColor, base: QColor, text: QColor) -> QColor:
    """A row tint: `hue` where the palette is light; on a dark one, as much of it mixed into
    the base as leaves the text readable (at least 4.5)."""
    if contrast(text, hue) >= TEXT:
        return QColor(hue)
    for amount in (0.35, 0.25, 0.18, 0.12, 0.06):
        candidate = mix(base, hue, amount)
        if contrast(text, candidate) >= TEXT:
            return candidate
    return QColor(base)


# --- high contrast ---------------------------------------------------------------------------


def system_asks_high_contrast() -> bool:
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)  # Qt 6.10 and later
    if accessibility is None:
        return False
    preference = accessibility().contrastPreference()
    return bool(preference == Qt.ContrastPreference.HighContrast)


_USER_CHOICE: dict[str, bool] = {}  # read once: colours are asked for on every paint


def user_wants_high_contrast() -> bool:
    if "on" not in _USER_CHOICE:
        value = QSettings().value(HIGH_CONTRAST_KEY, False)
        _USER_CHOICE["on"] = str(value).lower() in ("true", "1")
    return _USER_CHOICE["on"]


def set_user_high_contrast(on: bool) -> None:
    QSettings().setValue(HIGH_CONTRAST_KEY, bool(on))
    _USER_CHOICE["on"] = bool(on)
    apply_palette()


def high_contrast() -> bool:
    return user_wants_high_contrast() or system_asks_high_contrast()


def high_contrast_palette() -> QPalette:
    """Black, white and yellow, as the operating systems' high-contrast themes are."""
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    palette = QPalette(white, black)  # button/window text white on black
    for role, colour in (
        (QPalette.ColorRole.Window, black),
        (QPalette.ColorRole.WindowText, white),
        (QPalette.ColorRole.Base, black),
        (QPalette.ColorRole.AlternateBase, QColor("#1a1a1a")),
        (QPalette.ColorRole.Text, white),
        (QPalette.ColorRole.Button, black),
        (QPalette.ColorRole.ButtonText, white),
        (QPalette.ColorRole.BrightText, yellow),
        (QPalette.ColorRole.Highlight, yellow),
        (QPalette.ColorRole.HighlightedText, black),
        (QPalette.ColorRole.ToolTipBase, black),
        (QPalette.ColorRole.ToolTipText, white),
        (QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0")),
        (QPalette.ColorRole.Link, QColor("#00ffff")),
        (QPalette.ColorRole.LinkVisited, QColor("#ff80ff")),
        (QPalette.ColorRole.Light, white),
        (QPalette.ColorRole.Midlight, QColor("#c0c0c0")),
        (QPalette.ColorRole.Mid, QColor("#808080")),
        (QPalette.ColorRole.Dark, white),
        (QPalette.ColorRole.Shadow, white),
    ):
        palette.setColor(role, colour)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#a0a0a0"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#a0a0a0"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#a0a0a0"))
    return palette


_SYSTEM_PALETTE: list[QPalette] = []  # the palette the app started with


def apply_palette() -> None:
    """The user's View → High contrast over the system's palette: on, the black, white and
    yellow palette (unless the system's own is already high contrast); off, the system's."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not _SYSTEM_PALETTE:
        _SYSTEM_PALETTE.append(QPalette(app.palette()))
    system = _SYSTEM_PALETTE[0]
    wanted = high_contrast() and not _is_strong(system)
    use_palette(high_contrast_palette() if wanted else system)


# In high contrast every field, button and check box has a frame in the text colour (a box
# ticked is filled with the highlight), and the one with the keyboard focus is marked in the
# highlight colour: the styles draw frames from shades of the window colour, which on black
# are black, so an empty field or box would not be seen at all.
FIELD_FRAMES = """
QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox {
    border: 1px solid palette(text); padding: 1px;
}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {
    border: 2px solid palette(highlight); padding: 0px;
}
QLineEdit:disabled, QPlainTextEdit:disabled { border: 1px dotted palette(mid); }
QPushButton, QToolButton { border: 1px solid palette(text); padding: 3px 10px; }
QPushButton:focus, QToolButton:focus, QPushButton:default {
    border: 2px solid palette(highlight); padding: 2px 9px;
}
QPushButton:disabled, QToolButton:disabled { border: 1px dotted palette(mid); }
QCheckBox::indicator, QRadioButton::indicator {
    width: 12px; height: 12px; border: 1px solid palette(text); background: palette(base);
}
QRadioButton::indicator { border-radius: 7px; }
QCheckBox::indicator:checked, QRadioButton::indicator:checked {
    background: palette(highlight); border: 2px solid palette(text);
}
QCheckBox:focus, QRadioButton:focus { color: palette(highlight); }
"""


def use_palette(palette: QPalette) -> None:
    """Make `palette` the application's, with frames on fields when it is high contrast."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setPalette(palette)
    app.setStyleSheet(FIELD_FRAMES if tones(app.palette()).strong else "")


def _is_strong(palette: QPalette) -> bool:
    """A high-contrast palette of its own: light text on a (near) black base."""
    return _text_contrast(palette) >= 15 and luminance(_base(palette)) < 0.05


def _base(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Base)


def _text_contrast(palette: QPalette) -> float:
    return contrast(palette.color(QPalette.ColorRole.Text), _base(palette))


# --- the colours in use ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tones:
    """The colours for one palette (see the module's docstring)."""

    base: QColor  # behind tables, the timeline and the lock screen
    window: QColor  # behind dialogs' labels
    text: QColor
    highlight: QColor
    strong: bool  # high contrast: stricter ratios, thicker lines
    colours: dict[str, QColor]  # PREFERRED's keys, made readable on their background
    tints: dict[str, QColor]  # TINTS's keys

    def __getitem__(self, key: str) -> QColor:
        return QColor(self.colours[key])

    def style(self, key: str) -> str:
        """A style sheet for a label in this tone ("plain": the palette's own)."""
        if key == "plain":
            return ""
        if key == "banner":  # review mode: a strip that must not be missed
            if self.strong:
                back, fore = (
                    self.highlight,
                    QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText),
                )
            else:
                back, fore = QColor("#fff3cd"), QColor("#5d4200")
            return f"background: {back.name()}; color: {fore.name()}; padding: 4px 8px; " + (
                "font-weight: bold;"
            )
        return f"color: {self.colours[key].name()};"


_LABEL_KEYS = {"error", "warning", "note", "good", "muted"}
_DECORATIVE = {"lane_line"}  # a faint guide: stands out only in high contrast
_TEXT_ON_BASE = {"high", "medium", "low", "reviewed"}
_cache: dict[tuple[int, bool], Tones] = {}


def tones(palette: QPalette | None = None) -> Tones:
    """The colours to draw with under `palette` (the application's by default)."""
    if palette is None:
        palette = QGuiApplication.palette()
    strong = high_contrast() or _is_strong(palette)
    key = (palette.cacheKey(), strong)
    found = _cache.get(key)
    if found is not None:
        return found
    base, window = _base(palette), palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.Text)
    window_text = palette.color(QPalette.ColorRole.WindowText)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    text_ratio = STRICT if strong else TEXT
    colours: dict[str, QColor] = {}
    for name, value in PREFERRED.items():
        if name in _LABEL_KEYS:
            colours[name] = readable(QColor(value), window, text_ratio, window_text)
        elif name in _DECORATIVE:
            colours[name] = readable(QColor(value), base, GRAPHIC if strong else 1.2, text)
        elif name in _TEXT_ON_BASE:
            colours[name] = readable(QColor(value), base, text_ratio, text)
        else:
            colours[name] = readable(QColor(value), base, TEXT if strong else GRAPHIC, text)
    if strong and contrast(highlight, base) >= GRAPHIC:
        colours["flagged"] = QColor(highlight)  # yellow, as high-contrast themes mark things
    tints = {name: tint(QColor(value), base, text) for name, value in TINTS.items()}
    if len(_cache) > 16:
        _cache.clear()
    made = _cache[key] = Tones(base, window, text, highlight, strong, colours, tints)
    return made


def style(key: str) -> str:
    return tones().style(key)


class _Restyler(QObject):
    """Gives a label its tone again when the application's palette changes."""

    def __init__(self, label: QLabel, key: str) -> None:
        super().__init__(label)
        self.key = key
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and isinstance(watched, QLabel):
            watched.setStyleSheet(style(self.key))
        return False


def toned(label: QLabel, key: str) -> QLabel:
    """Colour a label in a tone ("error", "warning", "note", "good", "muted", "banner", or
    "plain") readable on the palette in use, now and after the palette changes."""
    label.setStyleSheet(style(key))
    existing = label.findChildren(_Restyler)
    if existing:
        existing[0].key = key
    else:
        _Restyler(label, key)
    return label


def follow_the_system() -> None:
    """At start: the user's choice over the system's palette, and again whenever the system's
    contrast preference changes (Qt 6.10+)."""
    apply_palette()
    accessibility = getattr(QGuiApplication.styleHints(), "accessibility", None)
    if accessibility is not None:
        hints = accessibility()
        if not hints.property("chronology_followed"):
            hints.setProperty("chronology_followed", True)
            hints.contrastPreferenceChanged.connect(_system_contrast_changed)


def _system_contrast_changed(_preference: object) -> None:
    apply_palette()
    repaint_all()


def repaint_all() -> None:
    """After the palette changed: views that cache colours draw again."""
    for widget in QApplication.allWidgets():
        refresh = getattr(widget, "palette_changed", None)
        if callable(refresh):
            refresh()


__all__ = [
    "Tones",
    "apply_palette",
    "contrast",
    "high_contrast",
    "high_contrast_palette",
    "repaint_all",
    "set_user_high_contrast",
    "style",
    "toned",
    "tones",
    "use_palette",
]
