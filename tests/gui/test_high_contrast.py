"""Colours follow the palette: under a high-contrast palette (black, white, yellow) and a dark
one, every colour the views draw with stands out from what it is drawn on (WCAG: 4.5 for
text, 3 for markers and bars), and View → High contrast gives that palette on request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsSimpleTextItem, QLabel

from chronology_app.gui import colours
from chronology_app.gui.colours import GRAPHIC, TEXT, contrast, high_contrast_palette, tones
from chronology_app.gui.main_window import MainWindow
from chronology_app.gui.models.chronology_model import NUMBER
from chronology_app.gui.widgets.lock_screen import LockScreen


def _dark() -> QPalette:
    palette = QPalette(QColor("#e0e0e0"), QColor("#2b2b2b"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fb4"))
    return palette


PALETTES = {"high contrast": high_contrast_palette, "dark": _dark, "light": QPalette}


@pytest.fixture(params=list(PALETTES))
def palette(request: Any, qapp: QApplication) -> Iterator[QPalette]:
    before = QPalette(qapp.palette())
    chosen = PALETTES[request.param]()
    if request.param == "light":
        chosen = QPalette(before)
    qapp.setPalette(chosen)
    yield qapp.palette()
    qapp.setPalette(before)


def _style_colour(label: QLabel) -> QColor:
    found = re.search(r"color: (#[0-9a-f]{6})", label.styleSheet())
    assert found, label.styleSheet()
    return QColor(found.group(1))


def test_the_timeline_and_tables_stand_out_on_the_palette(
    window: MainWindow, palette: QPalette
) -> None:
    colours.repaint_all()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    used = tones()
    assert used.base == base and used.text == text
    for key in ("da", "relationship", "response", "other", "flagged", "together", "separated"):
        assert contrast(used[key], base) >= GRAPHIC, key  # markers, rings and bars
    for key in ("high", "medium", "low", "reviewed"):
        assert contrast(used[key], base) >= TEXT, key  # flag severities are words
    # what the timeline's scene holds: year and relationship labels, relationship bars
    timeline = window.timeline
    items = timeline.scene().items()
    labels = [i for i in items if isinstance(i, QGraphicsSimpleTextItem)]
    bars = [i for i in items if isinstance(i, QGraphicsRectItem)]
    assert labels and bars
    for label in labels:
        assert contrast(label.brush().color(), base) >= TEXT, label.text()
    for bar in bars:
        assert contrast(bar.brush().color(), base) >= GRAPHIC
    # the chronology's tinted rows (restricted, flagged) keep the palette's text readable
    model = window.model
    tinted = 0
    for row in range(model.rowCount()):
        brush = model.data(model.index(row, NUMBER), Qt.ItemDataRole.BackgroundRole)
        if brush is not None:
            tinted += 1
            assert contrast(brush.color(), text) >= TEXT
    assert tinted
    flags = window.flags_panel.model
    for row in range(flags.rowCount()):
        brush = flags.data(flags.index(row, 0), Qt.ItemDataRole.ForegroundRole)
        assert contrast(brush.color(), base) >= TEXT
    # the legend draws its symbols in the same colours
    assert used["da"].name() in window.case_view.legend.text()


def test_problem_messages_and_the_lock_screen_stand_out(qtbot: Any, palette: QPalette) -> None:
    window_colour = palette.color(QPalette.ColorRole.Window)
    lock = LockScreen(lambda passphrase: "That passphrase does not open the workspace.")
    qtbot.addWidget(lock)
    lock.try_unlock()
    assert contrast(_style_colour(lock.error), window_colour) >= TEXT
    for key in ("error", "warning", "note", "good", "muted"):
        label = colours.toned(QLabel("x"), key)
        assert contrast(_style_colour(label), window_colour) >= TEXT, key


def test_import_problem_rows_keep_the_text_readable(palette: QPalette) -> None:
    text = palette.color(QPalette.ColorRole.Text)
    assert contrast(tones().tints["problem"], text) >= TEXT


def test_view_high_contrast_gives_black_white_and_yellow(
    window: MainWindow, qapp: QApplication
) -> None:
    before = QPalette(qapp.palette())
    action = window.actions_.high_contrast
    assert not action.isChecked()
    try:
        action.trigger()
        assert QSettings().value(colours.HIGH_CONTRAST_KEY) in (True, "true")
        current = qapp.palette()
        assert current.color(QPalette.ColorRole.Window) == QColor("#000000")
        assert current.color(QPalette.ColorRole.Text) == QColor("#ffffff")
        assert current.color(QPalette.ColorRole.Highlight) == QColor("#ffff00")
        assert tones().strong
        assert tones()["flagged"] == QColor("#ffff00")  # flagged markers ringed in yellow
        # fields framed in the text colour (the style's own frames are black on black)
        assert "border: 1px solid palette(text)" in qapp.styleSheet()
        # the timeline was drawn again in the new colours
        year = next(
            i for i in window.timeline.scene().items() if isinstance(i, QGraphicsSimpleTextItem)
        )
        assert year.brush().color() == QColor("#ffffff")
        action.trigger()
        assert qapp.palette().color(QPalette.ColorRole.Window) == before.color(
            QPalette.ColorRole.Window
        )
        assert qapp.styleSheet() == ""
    finally:
        colours.set_user_high_contrast(False)
        colours.use_palette(before)


def test_the_systems_high_contrast_preference_is_followed(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = QPalette(qapp.palette())
    monkeypatch.setattr(colours, "system_asks_high_contrast", lambda: True)
    try:
        colours.apply_palette()
        assert qapp.palette().color(QPalette.ColorRole.Base) == QColor("#000000")
        assert tones().strong
    finally:
        monkeypatch.undo()
        colours.use_palette(before)
    assert qapp.styleSheet() == ""
