"""The registry of stored object types: for each, how to read its snapshot and how to put one.

A snapshot is an object's case-file document plus where it sits (its place in the file, its entry
number, whether it is withdrawn). The service composes these: every change reads the snapshot
before, puts the new one and reads it after, and undo puts the before back through the same
`put`, so there is one way into and one way out of the tables for each type.

Types that live inside a case take the case's row; the others (a whole case file, a case's
details, a cross-case match, a workspace setting) are found by their key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from chronology_app.core.errors import NotFound
from chronology_app.core.model.tables import Case, WorkspaceMeta
from chronology_app.core.store import repository as repo

Snapshot = dict[str, Any]
ReadCase = Callable[[Session, int, str], Snapshot | None]
PutCase = Callable[[Session, Case, str, Snapshot | None], None]
ReadKey = Callable[[Session, str], Snapshot | None]
PutKey = Callable[[Session, str, Snapshot | None], Any]


@dataclass(frozen=True)
class StoredType:
    name: str
    in_case: bool  # lives inside one case (needs the case's row)
    read: Callable[[Session, Case | None, str], Snapshot | None]
    write: Callable[[Session, Case | None, str, Snapshot | None], None]

    def snapshot(self, session: Session, case: Case | None, key: str) -> Snapshot | None:
        return self.read(session, case, key)

    def put(self, session: Session, case: Case | None, key: str, state: Snapshot | None) -> None:
        self.write(session, case, key, state)


def _in_case(name: str, read: ReadCase, write: PutCase) -> StoredType:
    def snapshot(session: Session, case: Case | None, key: str) -> Snapshot | None:
        return None if case is None else read(session, repo.pk(case), key)

    def put(session: Session, case: Case | None, key: str, state: Snapshot | None) -> None:
        if case is None:
            raise NotFound("That case is not in this workspace.")
        write(session, case, key, state)

    return StoredType(name, True, snapshot, put)


def _by_key(name: str, read: ReadKey, write: PutKey) -> StoredType:
    def snapshot(session: Session, _case: Case | None, key: str) -> Snapshot | None:
        return read(session, key)

    def put(session: Session, _case: Case | None, key: str, state: Snapshot | None) -> None:
        write(session, key, state)

    return StoredType(name, False, snapshot, put)


def snapshot_setting(session: Session, key: str) -> Snapshot | None:
    row = session.get(WorkspaceMeta, key)
    return None if row is None else {"value": row.value}


def restore_setting(session: Session, key: str, state: Snapshot | None) -> None:
    row = session.get(WorkspaceMeta, key)
    if state is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(WorkspaceMeta(key=key, value=state["value"]))
    else:
        row.value = state["value"]
    session.flush()


STORED: dict[str, StoredType] = {
    stored.name: stored
    for stored in (
        _by_key("case_file", repo.snapshot_case_file, repo.restore_case_file),
        _by_key("case", repo.snapshot_case, repo.restore_case),
        _by_key("person_match", repo.snapshot_match, repo.restore_match),
        _by_key("workspace_setting", snapshot_setting, restore_setting),
        _in_case("person", repo.snapshot_person, repo.restore_person),
        _in_case("relationship", repo.snapshot_relationship, repo.restore_relationship),
        _in_case("entry", repo.snapshot_entry, repo.restore_entry),
        # entries added together (an imported chronology), keyed by their range of numbers
        _in_case("entries", repo.snapshot_entry_batch, repo.restore_entry_batch),
        _in_case("flag_review", repo.snapshot_review, repo.restore_review),
        _in_case("case_review", repo.snapshot_case_review, repo.restore_case_review),
    )
}


def stored(name: str) -> StoredType:
    try:
        return STORED[name]
    except KeyError:
        raise ValueError(f"no stored object type {name!r}") from None
