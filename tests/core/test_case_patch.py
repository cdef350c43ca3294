"""A case's records patched from one change equal the case read again, for every kind of
change the app makes (and undoing it); a change that cannot be patched asks for a re-read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chronology_app.core.case_patch import patch
from chronology_app.core.records import CaseData
from chronology_app.core.service import OpChanges, Service

REF = "BD-2020-0193"


def _shape(case: CaseData) -> Any:
    """Everything a view shows of a case, comparable."""
    return (
        case.case,
        [(e.id, e.ref, e.summary, e.date.expression, e.persons, e.tags) for e in case.entries],
        case.persons,
        case.relationships,
        sorted(case.reviews, key=lambda r: (r.rule, r.evidence)),
        sorted(case.entry_by_id),
        sorted(case.person_by_id),
    )


def _first_entry(service: Service) -> dict[str, Any]:
    return dict(service.document(REF)["entries"][0])


def _edit_summary(service: Service) -> OpChanges:
    entry = _first_entry(service)
    return service.edit_entry(REF, entry["id"], {**entry, "summary": "Changed."}, reason="typo")


def _move_in_time(service: Service) -> OpChanges:
    entry = _first_entry(service)
    return service.edit_entry(REF, entry["id"], {**entry, "date": "2023-06-01"}, reason="date")


def _add_entry(service: Service) -> OpChanges:
    entry = {k: v for k, v in _first_entry(service).items() if k != "id"}
    return service.add_entry(REF, {**entry, "summary": "Another account of it."})


def _withdraw(service: Service) -> OpChanges:
    return service.withdraw_entry(REF, _first_entry(service)["id"], "entered twice")


def _rename_person(service: Service) -> OpChanges:
    person = dict(service.document(REF)["persons"][0])
    return service.edit_person(REF, person["id"], {**person, "name": "Renamed Person"})


def _add_person(service: Service) -> OpChanges:
    return service.add_person(REF, {"name": "New Neighbour", "roles": ["other"]})


def _case_details(service: Service) -> OpChanges:
    case = dict(service.document(REF)["case"])
    return service.update_case(REF, {**case, "title": "Family B (renamed)"})


def _import_entries(service: Service) -> OpChanges:
    """An agency's chronology: one change holding a batch of entries."""
    entry = {k: v for k, v in _first_entry(service).items() if k != "id"}
    entries = [
        {**entry, "id": "imp-1", "summary": "Police: the same call-out.", "date": "2021-03-04"},
        {**entry, "id": "imp-2", "summary": "Police: a later visit.", "date": "2024-01-02"},
    ]
    return service.import_entries(REF, entries, "Import Police contribution, 2 entries")


def _review_flag(service: Service) -> OpChanges:
    flag = service.flags(REF)[0].flag
    review = {
        "rule": flag.rule,
        "evidence": list(flag.entries),
        "decision": "acknowledged",
        "reason": "known",
    }
    return service.record_flag_review(REF, review)


CHANGES: list[Callable[[Service], OpChanges]] = [
    _edit_summary,
    _move_in_time,
    _add_entry,
    _withdraw,
    _rename_person,
    _add_person,
    _case_details,
    _review_flag,
    _import_entries,
]


@pytest.mark.parametrize("make_change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_a_patched_case_equals_the_case_read_again(
    service: Service, family_b: dict[str, Any], make_change: Callable[[Service], OpChanges]
) -> None:
    service.import_case(family_b)
    before = service.case_data(REF)
    changes = make_change(service)
    patched = patch(before, changes.changes)
    assert patched is not None
    assert _shape(patched.case) == _shape(service.case_data(REF))
    undone = service.undo()
    again = patch(patched.case, undone.changes)
    if again is None:  # an entry back from withdrawn is read again (its place is not known)
        assert make_change is _withdraw
        return
    assert _shape(again.case) == _shape(service.case_data(REF))


def test_what_to_redraw_is_named(service: Service, family_b: dict[str, Any]) -> None:
    service.import_case(family_b)
    before = service.case_data(REF)
    person = next(p for p in before.persons if any(e.names(p.id) for e in before.entries))
    changed = _rename_person(service) if person.id == before.persons[0].id else None
    assert changed is not None
    patched = patch(before, changed.changes)
    assert patched is not None
    assert patched.persons == {person.id}
    assert patched.naming == {e.id for e in before.entries if e.names(person.id)}
    assert not patched.entries and not patched.removed

    edited = _edit_summary(service)
    patched = patch(patched.case, edited.changes)
    assert patched is not None
    assert patched.entries == {edited.changes[0].key} and not patched.people_changed


def test_a_whole_case_imported_is_read_again(service: Service, family_b: dict[str, Any]) -> None:
    changes = service.import_case(family_b)
    assert patch(service.case_data(REF), changes.changes) is None


def test_an_import_names_the_entries_it_added_and_its_undo_those_it_removed(
    service: Service, family_b: dict[str, Any]
) -> None:
    service.import_case(family_b)
    before = service.case_data(REF)
    imported = _import_entries(service)
    (batch,) = imported.changes
    assert batch.object == "entries"  # one change for the whole import
    assert imported.keys("entry") == {"imp-1", "imp-2"}
    assert imported.added("entry") == ["imp-1", "imp-2"]
    assert [(m.object, m.key, m.before) for m in batch.members()] == [
        ("entry", "imp-1", None),
        ("entry", "imp-2", None),
    ]
    patched = patch(before, imported.changes)
    assert patched is not None
    assert patched.entries == {"imp-1", "imp-2"} and not patched.removed
    undone = service.undo()
    assert undone.keys("entry") == {"imp-1", "imp-2"} and undone.added("entry") == []
    again = patch(patched.case, undone.changes)
    assert again is not None
    assert again.removed == {"imp-1", "imp-2"} and not again.entries
    assert _edit_summary(service).added("entry") == []  # an edit adds nothing
