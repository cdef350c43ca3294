"""A date years after today does not stretch the timeline: entries more than a month after
today are left off, the axis is drawn as if they were not there, and a button says how many
are left off ("1 entry after today — show"), which stretches it to them on request and back
again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chronology_app.core import clock
from chronology_app.core.service import Service
from chronology_app.gui.views.timeline import FUTURE_MARGIN, TimelineView

REF = "BD-2020-0193"
TODAY = dt.date(2026, 12, 7)


def _add(service: Service, date: str, summary: str) -> None:
    service.add_entry(
        REF, {"date": date, "kind": "note", "summary": summary, "source": {"agency": "School"}}
    )


def _markers(timeline: TimelineView) -> list[str]:
    return sorted(e.summary for lane in timeline._lanes for e in lane.entries)


def test_entries_after_today_wait_to_be_asked_for(qtbot: Any, family_b_service: Service) -> None:
    _add(family_b_service, "2031-03-12", "Typed with the wrong year.")
    _add(family_b_service, "2026-12-20", "Review meeting booked.")  # within the margin: drawn
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    with clock.fixed(TODAY):
        timeline.set_case(family_b_service.case_data(REF))
        assert timeline.end == dt.date(2026, 12, 20)  # the latest entry left on
        assert "Typed with the wrong year." not in _markers(timeline)
        assert "Review meeting booked." in _markers(timeline)
        button = timeline.future_button
        assert not button.isHidden()
        assert button.text() == "1 entry after today — show"
        button.click()  # stretch the axis to them
        assert timeline.end == dt.date(2031, 3, 12)
        assert "Typed with the wrong year." in _markers(timeline)
        assert button.text() == "Show up to today"
        button.click()  # and back
        assert timeline.end == dt.date(2026, 12, 20)
        assert button.text() == "1 entry after today — show"


def test_no_button_while_every_entry_is_on_the_axis(qtbot: Any, family_b_service: Service) -> None:
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    with clock.fixed(TODAY):
        timeline.set_case(family_b_service.case_data(REF))
    assert timeline.future_button.isHidden()
    assert timeline.end < TODAY  # a case in the past ends at its last entry, as before


def test_the_count_follows_changes_in_the_window(window: Any) -> None:
    last = window.timeline.end
    assert last < TODAY
    with clock.fixed(TODAY):
        for year in ("2030", "2031"):
            window.ops.change(
                lambda y=year: window.service.add_entry(
                    REF,
                    {
                        "date": f"{y}-01-01",
                        "kind": "note",
                        "summary": f"In {y}.",
                        "source": {"agency": "School"},
                    },
                )
            )
        window.ops.wait()
        button = window.timeline.future_button
        assert button.text() == "2 entries after today — show"
        assert not button.isHidden()
        assert window.timeline.end == last  # the axis as it was before they were added


def test_a_month_after_today_is_drawn_and_a_day_later_is_not(
    qtbot: Any, family_b_service: Service
) -> None:
    _add(family_b_service, (TODAY + FUTURE_MARGIN).isoformat(), "At the margin.")
    _add(family_b_service, (TODAY + FUTURE_MARGIN + dt.timedelta(days=1)).isoformat(), "After.")
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    with clock.fixed(TODAY):
        timeline.set_case(family_b_service.case_data(REF))
    assert "At the margin." in _markers(timeline) and "After." not in _markers(timeline)
    assert timeline.hidden_future == 1
