"""The service facade: one transaction per use case, audited, undoable, returning its changes."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from sqlalchemy import select

from chronology_app.core import casefile
from chronology_app.core.errors import Conflict, InvalidInput, NotFound, NothingToUndo
from chronology_app.core.model.tables import AuditRecord
from chronology_app.core.service import GENESIS_HASH, Service, audit_hash
from tests.conftest import minimal_case

REF = "TS-2024-0001"

DISCLOSURE = {
    "id": "e3",
    "date": "2021-08-10",
    "kind": "disclosure",
    "summary": "Ann tells the health visitor about 'a history of domestic abuse'.",
    "source": {"agency": "Health visiting", "type": "disclosure"},
    "persons": [{"person": "p1", "role": "discloser"}],
    "attributes": {"consent_to_refer": "not_asked"},
}


def audit_rows(workspace: Any) -> list[AuditRecord]:
    with workspace.reading() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


@pytest.fixture
def workspace(backend_workspace: Any) -> Any:
    """Every test here runs on an encrypted file and on a team server (PostgreSQL)."""
    return backend_workspace


def test_create_case_then_add_people_and_entries(service: Any) -> None:
    service.create_case({"reference": "NW-1", "title": "Family N", "local_authority": "Leeds"})
    added = service.add_person("NW-1", {"name": "Nia N", "roles": ["parent"]})
    (person_id,) = added.keys("person")
    assert person_id.startswith("p-")
    entry = {
        "date": "2022-01-05",
        "kind": "note",
        "summary": "Case opened.",
        "source": {"agency": "Children's social care"},
        "persons": [{"person": person_id, "role": "subject"}],
    }
    result = service.add_entry("NW-1", entry)
    assert result.action == "Add note"
    data = service.case_data("NW-1")
    assert [e.summary for e in data.entries] == ["Case opened."]
    assert data.entries[0].ref == "E0001"
    assert [c.reference for c in service.cases()] == ["NW-1"]


def test_each_change_writes_one_audit_record_with_before_and_after(
    case: Any, workspace: Any
) -> None:
    result = case.add_entry(REF, DISCLOSURE)
    assert result.action == "Add disclosure"
    assert result.keys("entry") == {"e3"}
    record = audit_rows(workspace)[-1]
    # On a team server the name is the database user's (`sam`), whatever the desktop says.
    who = "sam" if getattr(workspace, "per_case_chains", False) else "Test Worker"
    assert case.user == who
    assert (record.id, record.who, record.action) == (result.audit_id, who, "Add disclosure")
    (change,) = record.changes
    assert change["object"] == "entry" and change["before"] is None
    assert change["after"]["doc"] == DISCLOSURE


def test_edit_entry_records_before_after_and_reason(case: Any, workspace: Any) -> None:
    edited = {**minimal_case()["entries"][1], "summary": "Police called: Cal pushed Ann twice."}
    case.edit_entry(REF, "e2", edited, reason="Police log corrected")
    record = audit_rows(workspace)[-1]
    assert record.action == "Edit entry" and record.reason == "Police log corrected"
    (change,) = record.changes
    assert change["before"]["doc"]["summary"] == "Police called: Cal pushed Ann."
    assert change["after"]["doc"]["summary"] == "Police called: Cal pushed Ann twice."


def test_the_audit_trail_is_hash_chained(case: Any, workspace: Any) -> None:
    case.add_entry(REF, DISCLOSURE)
    case.link_person(REF, "e3", "p3", "alleged_perpetrator")
    rows = audit_rows(workspace)
    assert rows[0].prev_hash == GENESIS_HASH
    for previous, row in itertools.pairwise(rows):
        assert row.prev_hash == previous.hash
    assert all(row.hash == audit_hash(row) for row in rows)


def test_link_person_names_the_alleged_perpetrator(case: Any) -> None:
    case.add_entry(REF, DISCLOSURE)
    result = case.link_person(REF, "e3", "p3", "alleged_perpetrator")
    assert result.keys("entry") == {"e3"}
    entry = case.case_data(REF).entry_by_id["e3"]
    assert entry.persons_in("alleged_perpetrator") == ("p3",)


def test_withdrawing_keeps_the_entry_out_of_the_chronology_with_its_reason(
    case: Any, workspace: Any
) -> None:
    with pytest.raises(InvalidInput) as caught:
        case.withdraw_entry(REF, "e2", "  ")
    assert caught.value.problems == {"reason": "say why the entry is withdrawn"}
    case.withdraw_entry(REF, "e2", "Entered on the wrong family's file")
    assert [e["id"] for e in case.document(REF)["entries"]] == ["e1"]
    assert audit_rows(workspace)[-1].reason == "Entered on the wrong family's file"
    with pytest.raises(Conflict, match="withdrawn"):
        case.edit_entry(REF, "e2", minimal_case()["entries"][1])


def test_new_entries_get_the_next_number_and_numbers_are_never_reused(case: Any) -> None:
    case.withdraw_entry(REF, "e2", "duplicate")
    case.add_entry(REF, DISCLOSURE)
    assert case.case_data(REF).entry_by_id["e3"].ref == "E0003"


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({"date": "31/02/2021"}, {"date": '"31/02/2021" is not a date expression'}),
        ({"summary": ""}, {"summary": "must not be empty"}),
        ({"source": {}}, {"source.agency": "required"}),
        ({"kind": "separation"}, {"relationship": "required for a separation entry"}),
        (
            {"restricted": True},
            {
                "restricted_reason": "required when the entry is restricted: say why it is not to "
                "be shared"
            },
        ),
        (
            {"persons": [{"person": "p9", "role": "victim"}]},
            {"persons[0].person": 'no person with id "p9"'},
        ),
        (
            {"attributes": {"consent_to_refer": "maybe"}},
            {"attributes.consent_to_refer": "must be one of: given, refused, not_asked"},
        ),
    ],
)
def test_invalid_entries_are_refused_field_by_field(
    case: Any, workspace: Any, change: dict[str, Any], problems: dict[str, str]
) -> None:
    before = len(audit_rows(workspace))
    with pytest.raises(InvalidInput) as caught:
        case.add_entry(REF, {**DISCLOSURE, **change})
    for field, message in problems.items():
        assert caught.value.problems[field].startswith(message)
    assert len(audit_rows(workspace)) == before
    assert "e3" not in case.case_data(REF).entry_by_id


def test_undo_and_redo_have_readable_names(case: Any) -> None:
    case.add_entry(REF, DISCLOSURE)
    assert case.undo_name == "Add disclosure"
    result = case.undo()
    assert result.action == "Undo: Add disclosure"
    assert "e3" not in case.case_data(REF).entry_by_id
    assert case.redo_name == "Add disclosure"
    case.redo()
    assert "e3" in case.case_data(REF).entry_by_id
    assert case.undo_name == "Add disclosure" and case.redo_name is None


def test_undo_restores_an_edit_and_a_withdrawal(case: Any) -> None:
    original = case.document(REF)
    case.edit_entry(REF, "e2", {**original["entries"][1], "summary": "Changed."})
    case.withdraw_entry(REF, "e1", "wrong family")
    case.undo()
    case.undo()
    assert case.document(REF) == original


def test_undo_of_an_import_removes_the_case_and_redo_brings_it_back(service: Any) -> None:
    service.import_case(minimal_case())
    service.undo()
    assert service.cases() == []
    service.redo()
    assert service.document(REF) == minimal_case()


def test_undo_is_refused_when_the_object_changed_since(case: Any, workspace: Any) -> None:
    from chronology_app.core.service import Service

    case.add_person(REF, {"id": "gran", "name": "Gail Test", "roles": ["relative"]})
    case.add_entry(REF, DISCLOSURE)
    other = Service(workspace, "Another Worker")
    other.edit_entry(REF, "e3", {**DISCLOSURE, "summary": "Edited elsewhere."})
    with pytest.raises(Conflict, match=r"has been changed since\. It is no longer offered"):
        case.undo()
    assert case.case_data(REF).entry_by_id["e3"].summary == "Edited elsewhere."
    # The refused step leaves the list, so the change before it can still be undone.
    assert case.undo_name == "Add person"
    case.undo()
    assert "gran" not in case.case_data(REF).person_by_id


def test_undo_with_nothing_to_undo_says_so(service: Any) -> None:
    with pytest.raises(NothingToUndo, match="nothing to undo"):
        service.undo()


def test_a_new_change_clears_redo(case: Any) -> None:
    case.add_entry(REF, DISCLOSURE)
    case.undo()
    case.add_person(REF, {"name": "Dee Other"})
    assert case.redo_name is None


def test_a_person_named_in_entries_cannot_be_removed_by_undo(case: Any) -> None:
    added = case.add_person(REF, {"id": "p4", "name": "Dee Other"})
    assert added.keys("person") == {"p4"}
    case.add_entry(REF, {**DISCLOSURE, "persons": [{"person": "p4", "role": "discloser"}]})
    case.undo()  # the entry
    case.add_entry(REF, {**DISCLOSURE, "id": "e4", "persons": [{"person": "p4", "role": "about"}]})
    case._history.undo.pop()  # leave "Add person" on top, with the entry still naming p4
    with pytest.raises(Conflict, match="other records still depend"):
        case.undo()
    assert "p4" in case.case_data(REF).person_by_id


def test_flag_reviews_are_recorded_replaced_and_exported(case: Any) -> None:
    review = {
        "rule": "potential-escalation",
        "evidence": ["e2"],
        "decision": "dismissed",
        "reason": "Single incident",
        "by": "A. Worker",
        "on": "2024-01-02",
    }
    assert case.record_flag_review(REF, review).action == "Dismiss flag"
    case.record_flag_review(REF, {**review, "decision": "acknowledged", "reason": "MARAC"})
    assert case.document(REF)["flag_reviews"] == [
        {**review, "decision": "acknowledged", "reason": "MARAC"}
    ]
    with pytest.raises(InvalidInput) as caught:
        case.record_flag_review(REF, {**review, "evidence": ["e99"]})
    assert caught.value.problems == {"evidence[0]": 'no entry with id "e99"'}


def test_relationships_and_person_edits(case: Any) -> None:
    case.add_person(REF, {"id": "p4", "name": "Dee Other"})
    case.add_relationship(REF, {"id": "r2", "kind": "sibling", "persons": ["p2", "p4"]})
    case.edit_person(REF, "p4", {"name": "Dee Other-Smith", "aliases": ["Dee O"]})
    document = case.document(REF)
    assert document["relationships"][-1] == {"id": "r2", "kind": "sibling", "persons": ["p2", "p4"]}
    assert document["persons"][-1] == {"id": "p4", "name": "Dee Other-Smith", "aliases": ["Dee O"]}
    with pytest.raises(InvalidInput) as caught:
        case.add_relationship(REF, {"kind": "sibling", "persons": ["p2", "p2"]})
    assert caught.value.problems == {"persons": "must name two different persons"}


def test_update_case_details_and_missing_things(case: Any) -> None:
    case.update_case(REF, {"reference": REF, "title": "Family T", "status": "closed"})
    assert case.cases()[0].status == "closed"
    with pytest.raises(InvalidInput):
        case.update_case(REF, {"reference": "OTHER", "title": "x"})
    with pytest.raises(NotFound, match='No case with reference "NOPE"'):
        case.document("NOPE")
    with pytest.raises(NotFound):
        case.edit_entry(REF, "e404", DISCLOSURE)


def test_a_supervisor_review_is_recorded_audited_and_undoable(case: Any, workspace: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        case.record_case_review(REF, "  ")
    assert caught.value.problems == {"comments": "Say what the review found or decided."}
    result = case.record_case_review(REF, "Chronology up to date; DVDS to be considered.")
    assert result.action == "Mark case reviewed"
    (review,) = case.case_reviews(REF)
    assert (review.by, review.comments) == (
        case.user,
        "Chronology up to date; DVDS to be considered.",
    )
    assert audit_rows(workspace)[-1].reason == "Chronology up to date; DVDS to be considered."
    assert "review" not in json.dumps(case.document(REF))  # not part of the case file
    case.undo()
    assert case.case_reviews(REF) == []


def test_reviews_citing_a_withdrawn_entry_leave_the_export_and_cannot_be_made(case: Any) -> None:
    review = {
        "rule": "coercive-control",
        "evidence": ["e1", "e2"],
        "decision": "dismissed",
        "reason": "x",
        "by": "A",
        "on": "2024-01-01",
    }
    case.record_flag_review(REF, review)
    case.withdraw_entry(REF, "e2", "wrong family")
    exported = case.document(REF)
    assert exported.get("flag_reviews", []) == []
    assert casefile.validate(exported) == []
    with pytest.raises(InvalidInput):
        case.record_flag_review(REF, {**review, "evidence": ["e2"]})


def test_several_reviews_of_one_flag_are_all_kept_by_undo(service: Any) -> None:
    document = minimal_case()
    first = {
        "rule": "r",
        "evidence": ["e1"],
        "decision": "acknowledged",
        "reason": "a",
        "by": "A",
        "on": "2020-01-05",
    }
    document["flag_reviews"] = [first, {**first, "decision": "dismissed", "on": "2020-03-01"}]
    service.import_case(document)
    service.record_flag_review(REF, {**first, "reason": "new", "on": "2021-01-01"})
    assert [r["reason"] for r in service.document(REF)["flag_reviews"]] == ["new"]
    service.undo()
    assert service.document(REF)["flag_reviews"] == document["flag_reviews"]


def test_undoing_an_import_that_a_match_depends_on_is_refused(service: Any) -> None:
    from chronology_app.core.crosscase import PersonRef

    service.import_case(minimal_case("A-1"))
    service.import_case(minimal_case("B-1"))
    other = Service(service.workspace, "Manager")
    other.decide_match(PersonRef("A-1", "p3"), PersonRef("B-1", "p3"), "confirmed")
    with pytest.raises(Conflict, match="other records still depend"):
        service.undo()
    assert [c.reference for c in service.cases()] == ["A-1", "B-1"]


def test_an_import_checks_same_event_links_and_names_its_entries_on_both_backends(
    case: Any,
) -> None:
    """The same-event check reads the case's links in the database (a JSON field), on an
    encrypted file and on a team server alike; the import names every entry it added."""
    row = {"date": "2021-06-01", "kind": "note", "summary": "Seen.", "source": {"agency": "GP"}}
    bad = [{**row, "id": "n1", "same_event_as": "e404"}]
    with pytest.raises(InvalidInput) as refused:
        case.import_entries(REF, bad, "Import GP contribution, 1 entry")
    assert refused.value.problems == {"entries[0].same_event_as": 'no entry with id "e404"'}
    good = [{**row, "id": "n1", "same_event_as": "e2"}, {**row, "id": "n2"}]
    result = case.import_entries(REF, good, "Import GP contribution, 2 entries")
    assert result.keys("entry") == {"n1", "n2"} and result.added("entry") == ["n1", "n2"]
    entries = {e["id"]: e for e in case.document(REF)["entries"]}
    assert entries["n1"]["same_event_as"] == "e2"
    chain = [{**row, "id": "n3", "same_event_as": "n1"}]
    case.import_entries(REF, chain, "Import GP contribution, 1 entry")  # n3 -> n1 -> e2
    assert case.undo().keys("entry") == {"n3"}
