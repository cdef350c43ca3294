"""The flags panel lists what was answered in time and what is due, in words."""

from __future__ import annotations

import datetime
from typing import Any

from chronology_app.core.analysis import analyse_case
from chronology_app.core.records import case_data
from chronology_app.core.settings import Settings
from tests.core.reports.test_answered_in_report import _reconciled_with_dvds


def test_the_flags_panel_lists_answered_and_due_items_in_words(qtbot: Any) -> None:
    from chronology_app.gui.views.flags_panel import FlagsPanel

    panel = FlagsPanel()
    qtbot.addWidget(panel)
    data = case_data(_reconciled_with_dvds(True))
    panel.set_analysis(data, analyse_case(data, Settings(), as_of=None))
    (line,) = [panel.answered.item(row).text() for row in range(panel.answered.count())]
    assert line.endswith(
        "E0003 (1 March 2022) answered by E0004 (22 March 2022), within the "
        "window ending 29 March 2022"
    )
    assert "Answered(" not in line
    due_case = case_data(_reconciled_with_dvds(False))
    panel.set_analysis(
        due_case, analyse_case(due_case, Settings(), as_of=datetime.date(2022, 3, 10))
    )
    (due,) = [panel.due.item(row).text() for row in range(panel.due.count())]
    assert due.startswith("DVDS to consider by 29 March 2022")
