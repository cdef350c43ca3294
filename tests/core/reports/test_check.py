"""The check before a family-facing report: stops, warnings with the words that matched, and
the practitioner's sign-off on the audit trail, cleared by a later edit."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select

from chronology_app.core.model.tables import AuditRecord
from chronology_app.core.records import case_data
from chronology_app.core.reports.check import check_shared
from chronology_app.core.reports.make import make_report
from tests.core.reports.support import DAY, analysis_of

RESTATED = "Leo heard that Dean was cautioned for assault on a previous partner in 2017."


def restating(family_b: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(family_b)
    entries = {entry["id"]: entry for entry in doc["entries"]}
    entries["e12"]["impact"] = RESTATED
    return doc


def test_family_b_as_shipped_passes_the_check(family_b: dict[str, Any]) -> None:
    result = check_shared(case_data(family_b))
    assert result.passed and result.findings == ()


def test_a_shared_entry_restating_a_restricted_one_is_a_warning_with_the_words(
    family_b: dict[str, Any],
) -> None:
    result = check_shared(case_data(restating(family_b)))
    assert result.passed  # a warning to review, not a stop
    assert [f.line() for f in result.warnings] == [
        'E0012 impact: "dean cautioned assault previous partner 2017" (closely resembles '
        "restricted entry E0005 (85% alike))"
    ]
    report = make_report(
        analysis_of(restating(family_b)), "conference", "pdf", prepared_by="A", report_date=DAY
    )
    assert report.warnings == (f"to review: {result.warnings[0].line()}",)


def test_unrelated_shared_text_is_not_warned_about(family_b: dict[str, Any]) -> None:
    doc = copy.deepcopy(family_b)
    doc["entries"][11]["impact"] = "Dean attended the assault awareness course with a partner."
    assert check_shared(case_data(doc)).findings == ()


def test_a_sign_off_is_on_the_audit_trail_and_a_later_edit_clears_it(
    service: Any, family_b: dict[str, Any]
) -> None:
    reference = family_b["case"]["reference"]
    service.import_case(restating(family_b))
    case = service.case_data(reference)
    assert len(check_shared(case, service.shared_sign_offs(reference)).warnings) == 1

    service.sign_off_shared(reference, "e12")
    result = check_shared(case, service.shared_sign_offs(reference))
    assert result.warnings == () and [f.signed_off for f in result.findings] == [True]
    with service.workspace.reading() as session:
        record = session.scalars(
            select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)  # type: ignore[union-attr]
        ).one()
    assert (record.action, record.reason, record.who) == (
        "Sign off for sharing",
        "checked, safe to share",
        "Test Worker",
    )

    entry = service.document(reference)["entries"][11]
    edited = {**entry, "impact": RESTATED + " He was upset."}
    service.edit_entry(reference, "e12", edited, reason="added what Leo said")
    case = service.case_data(reference)
    assert len(check_shared(case, service.shared_sign_offs(reference)).warnings) == 1
