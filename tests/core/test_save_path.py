"""One save reads each row once (core/store/session_memo.py) and keeps an entry's persons and
tags rows when its document names the same ones: what is stored and refused stays the same."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from chronology_app.core.errors import Conflict, InvalidInput
from chronology_app.core.model.tables import Entry, EntryPerson, EntryTag

REF = "TS-2024-0001"


@pytest.fixture
def workspace(backend_workspace: Any) -> Any:
    """Every test here runs on an encrypted file and on a team server (PostgreSQL)."""
    return backend_workspace


def stored_links(workspace: Any, key: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The entry's persons rows (person row id, role) and tags rows, as the tables hold them."""
    with workspace.reading() as session:
        entry_id = session.scalar(select(Entry.id).where(Entry.key == key))
        persons = session.execute(
            select(EntryPerson.person_id, EntryPerson.role)
            .where(EntryPerson.entry_id == entry_id)
            .order_by(EntryPerson.position)
        ).all()
        tags = session.scalars(
            select(EntryTag.tag).where(EntryTag.entry_id == entry_id).order_by(EntryTag.tag)
        ).all()
    return [tuple(row) for row in persons], list(tags)  # type: ignore[misc]


def entry(service: Any, key: str) -> dict[str, Any]:
    return next(e for e in service.document(REF)["entries"] if e["id"] == key)


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "Only the text changes."},
        {"persons": [{"person": "p3", "role": "alleged_perpetrator"}]},
        {"tags": ["police", "school"]},
        {"persons": [], "tags": []},
    ],
    ids=["text", "persons", "tags", "neither"],
)
def test_an_edit_leaves_the_links_and_tags_rows_as_the_document_names_them(
    case: Any, workspace: Any, change: dict[str, Any]
) -> None:
    case.edit_entry(REF, "e2", {**entry(case, "e2"), **change}, "test")
    edited = entry(case, "e2")
    persons, tags = stored_links(workspace, "e2")
    assert [role for _, role in persons] == [p["role"] for p in edited.get("persons") or ()]
    assert tags == sorted(edited.get("tags") or ())
    case.undo()
    before = entry(case, "e2")
    persons, tags = stored_links(workspace, "e2")
    assert [role for _, role in persons] == [p["role"] for p in before.get("persons") or ()]
    assert tags == sorted(before.get("tags") or ())


@pytest.mark.parametrize("withdrawn", [False, True], ids=["live", "withdrawn"])
def test_adding_an_entry_with_an_id_already_in_the_case_is_refused(
    case: Any, withdrawn: bool
) -> None:
    if withdrawn:
        case.withdraw_entry(REF, "e1", "entered in error")
    new = {**entry(case, "e2"), "id": "e1"}
    with pytest.raises(InvalidInput) as raised:
        case.add_entry(REF, new)
    assert raised.value.problems == {"id": '"e1" is already the id of an entry'}


def test_an_added_entry_without_an_id_gets_a_new_one_and_undo_removes_it(
    case: Any, workspace: Any
) -> None:
    new = {k: v for k, v in entry(case, "e2").items() if k != "id"}
    added = case.add_entry(REF, new)
    (key,) = added.keys("entry")
    assert key.startswith("e-") and key not in {"e1", "e2"}
    assert len(stored_links(workspace, key)[0]) == len(new.get("persons") or ())
    case.undo()
    assert key not in {e["id"] for e in case.document(REF)["entries"]}
    case.redo()
    assert entry(case, key)["summary"] == new["summary"]


def test_an_edit_based_on_an_older_version_is_still_refused(case: Any) -> None:
    opened = entry(case, "e2")
    case.edit_entry(REF, "e2", {**opened, "summary": "Someone else's change."}, "test")
    with pytest.raises(Conflict):
        case.edit_entry(REF, "e2", {**opened, "summary": "Mine."}, "test", based_on=opened)
    assert entry(case, "e2")["summary"] == "Someone else's change."
