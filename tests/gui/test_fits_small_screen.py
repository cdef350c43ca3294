"""The main window and every dialog fit a 1366x768 laptop at 125 % scaling, less a taskbar:
1092x574 logical pixels. Checked in a process of its own, since QT_SCALE_FACTOR must be set
before Qt starts (pytest-qt's application already exists)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1092, 574


def test_every_screen_fits_a_small_laptop_at_125_percent(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_SCALE_FACTOR": "1.25",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.fit_check", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    sizes = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert {"main window", "edit person", "case details", "new entry"} <= {s["name"] for s in sizes}
    too_big = [s for s in sizes if s["width"] > WIDTH or s["height"] > HEIGHT]
    assert too_big == []


def test_the_window_remembers_its_size_splitters_and_columns(qtbot: Any, service: Any) -> None:
    from chronology_app.gui.main_window import MainWindow

    first = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(first)
    first.resize(1000, 550)
    first.show()
    first.case_view.splitter.setSizes([300, 200])
    first.table.setColumnWidth(1, 177)
    first.case_view.tabs.setCurrentWidget(first.people)
    first.people.splitter.setSizes([300, 150])  # the people list beside the family diagram
    sizes = first.case_view.splitter.sizes()
    people = first.people.splitter.sizes()
    first.close()
    again = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(again)
    again.show()
    # The offscreen screen is 800 pixels wide, less than the window's minimum: only the
    # height can be compared there.
    assert again.size().height() == 550
    assert again.case_view.splitter.sizes() == sizes
    again.case_view.tabs.setCurrentWidget(again.people)
    assert again.people.splitter.sizes() == people
    assert again.case_view.column_widths()[1] == 177  # shown narrower if the screen is small
    again.close()


def test_what_happened_takes_the_spare_width_and_every_column_resizes(window: Any) -> None:
    from PySide6.QtWidgets import QApplication, QHeaderView

    from chronology_app.gui.models.chronology_model import SUMMARY

    view = window.case_view
    view.setParent(None)  # on its own, so that its width is the test's to set
    view.resize(1800, 600)
    view.show()
    QApplication.processEvents()
    header = window.table.horizontalHeader()
    modes = {header.sectionResizeMode(c) for c in range(header.count())}
    assert modes == {QHeaderView.ResizeMode.Interactive}
    wide = header.sectionSize(SUMMARY)
    assert wide > 300  # the spare width went to "What happened"
    view.resize(1300, 600)
    QApplication.processEvents()
    assert 260 <= header.sectionSize(SUMMARY) < wide  # it gives width back, down to a floor
    view.resize(760, 600)  # a small laptop: the other columns give way first
    QApplication.processEvents()
    assert header.sectionSize(SUMMARY) >= 260
    assert (
        header.sectionSize(SUMMARY)
        + sum(header.sectionSize(c) for c in range(header.count()) if c != SUMMARY)
        <= window.table.viewport().width() + 8 * 56
    )
    window.table.setColumnWidth(SUMMARY, 900)  # and can be widened by hand
    assert header.sectionSize(SUMMARY) == 900


def test_closing_while_locked_does_not_remember_the_panels_as_closed(
    qtbot: Any, service: Any
) -> None:
    from chronology_app.gui.main_window import MainWindow

    first = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(first)
    first.show()
    first.lock()
    first.close()
    again = MainWindow(service, idle_minutes=60)
    qtbot.addWidget(again)
    again.show()
    assert again.cases_dock.isVisible() and again.flags_dock.isVisible()
    again.close()
