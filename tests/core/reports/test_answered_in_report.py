"""The review report prints what the rules found answered in time and what is still due; no
family-facing report does."""

from __future__ import annotations

import datetime
from typing import Any

from chronology_app.core.analysis import analyse_case
from chronology_app.core.records import case_data
from chronology_app.core.reports.make import make_report
from chronology_app.core.settings import Settings
from tests.conftest import minimal_case
from tests.core.reports.support import DAY, pdf_text, squash


def _reconciled_with_dvds(dvds: bool) -> dict[str, Any]:
    """Cal has a DA history (the June incident); Ann and Cal reconcile on 1 March 2022, and a
    DVDS application follows 21 days later (or not yet)."""
    case = minimal_case()
    pair = [{"person": "p1", "role": "subject"}, {"person": "p3", "role": "subject"}]
    case["entries"] += [
        {
            "id": "e3",
            "date": "2022-03-01",
            "kind": "reconciliation",
            "summary": "Ann says Cal is back.",
            "source": {"agency": "Health visiting", "type": "self_report"},
            "relationship": "r1",
            "persons": pair,
        }
    ]
    if dvds:
        case["entries"].append(
            {
                "id": "e4",
                "date": "2022-03-22",
                "kind": "dvds",
                "summary": "Right to ask application made with Ann.",
                "source": {"agency": "Police", "type": "document"},
                "persons": [
                    {"person": "p1", "role": "victim"},
                    {"person": "p3", "role": "subject"},
                ],
                "attributes": {"route": "right_to_ask", "status": "applied"},
            }
        )
    return case


def _text(document: dict[str, Any], audience: str, as_of: datetime.date | None) -> str:
    analysis = analyse_case(case_data(document), Settings(), as_of=as_of)
    made = make_report(analysis, audience, "pdf", prepared_by="A. Worker", report_date=DAY)
    return squash(pdf_text(made.data))


def test_the_review_report_prints_a_trigger_answered_in_time() -> None:
    text = _text(_reconciled_with_dvds(True), "review", None)
    assert "Answered in time, and due" in text
    assert "E0003 (1 March 2022) answered by E0004 (22 March 2022)" in text


def test_a_response_still_due_is_printed_as_due_not_as_a_flag() -> None:
    text = _text(_reconciled_with_dvds(False), "internal", datetime.date(2022, 3, 10))
    assert "Due by 29 March 2022" in text
    assert "DVDS to consider by 29 March 2022" in text


def test_family_facing_reports_print_neither() -> None:
    for audience in ("conference", "court"):
        text = _text(_reconciled_with_dvds(True), audience, None)
        assert "Answered in time" not in text
        assert "answered by" not in text
