"""Snapshots of stored objects and the one way to restore them (`restore_*`): a person,
relationship, entry, flag review, case, whole case file, case review and person match. The
service records snapshots as the before and after of each change; undo restores one."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from chronology_app.core.crosscase import PersonRef, parse_pair_key
from chronology_app.core.errors import Conflict, NotFound
from chronology_app.core.model.tables import (
    Case,
    CaseReview,
    Entry,
    EntryPerson,
    EntryTag,
    FlagReview,
    Person,
    PersonAlias,
    PersonMatch,
    PersonNameKey,
    Relationship,
)
from chronology_app.core.store import filing, session_memo
from chronology_app.core.store.documents import (
    _entry_values,
    _insert_aliases,
    _insert_entry_children,
    export_document,
    insert_document,
)
from chronology_app.core.store.rows import (
    Snapshot,
    _entry_snapshot,
    _one,
    case_row,
    find_case,
    now,
    person_ids,
    pk,
    relationship_ids,
    review_key,
)


def _snapshot_doc(table: Any, session: Session, case_id: int, key: str) -> Snapshot | None:
    row = _one(session, table, case_id, key)
    return None if row is None else {"doc": row.doc, "position": row.position}


def snapshot_person(session: Session, case_id: int, key: str) -> Snapshot | None:
    return _snapshot_doc(Person, session, case_id, key)


def snapshot_relationship(session: Session, case_id: int, key: str) -> Snapshot | None:
    return _snapshot_doc(Relationship, session, case_id, key)


def withdrawn_entries(session: Session, case_id: int) -> list[Snapshot]:
    """The case's withdrawn entries (kept, with why), in file order."""
    query = (
        select(Entry)
        .where(col(Entry.case_id) == case_id, col(Entry.withdrawn).is_(True))
        .order_by(col(Entry.position))
    )
    return [_entry_snapshot(row) for row in session.scalars(query)]


def snapshot_entry(session: Session, case_id: int, key: str) -> Snapshot | None:
    row = _one(session, Entry, case_id, key)
    return None if row is None else _entry_snapshot(row)


def snapshot_review(session: Session, case_id: int, key: str) -> Snapshot | None:
    """Every review of one flag (a file may hold several: acknowledged, later dismissed)."""
    query = select(FlagReview).where(col(FlagReview.case_id) == case_id)
    rows = [
        {"doc": row.doc, "position": row.position}
        for row in session.scalars(query.order_by(col(FlagReview.position)))
        if review_key(row.doc) == key
    ]
    return {"rows": rows} if rows else None


def snapshot_case(session: Session, reference: str) -> Snapshot | None:
    row = find_case(session, reference)
    return None if row is None else {"doc": row.doc}


def snapshot_case_file(session: Session, reference: str) -> Snapshot | None:
    """The whole case, as undo needs it to remove or bring back an imported case."""
    row = find_case(session, reference)
    if row is None:
        return None
    numbers: dict[str, int] = {}  # of the entries in the document (not withdrawn)
    document = export_document(session, row, numbers)
    return {"document": document, "numbers": numbers}


def _restored_to_nothing(session: Session, table: Any, row: Any, state: Snapshot | None) -> bool:
    """Whether the object is restored to not being there (`state` None): its row, if any, is
    then deleted."""
    if state is not None:
        return False
    if row is not None:
        session.execute(delete(table).where(col(table.id) == row.id))
    return True


def restore_person(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    session_memo.forget(session)  # the case's person ids
    row = _one(session, Person, pk(case), key)
    if _restored_to_nothing(session, Person, row, state):
        return
    assert state is not None
    doc = state["doc"]
    if row is None:
        row = Person(
            case_id=pk(case), key=key, position=state["position"], name=doc["name"], doc=doc
        )
        session.add(row)
    row.position, row.name, row.doc = state["position"], doc["name"], doc
    row.date_of_birth = filing.date_of_birth(doc)
    row.restricted = bool(doc.get("restricted"))
    session.flush()
    session.execute(delete(PersonAlias).where(col(PersonAlias.person_id) == row.id))
    session.execute(delete(PersonNameKey).where(col(PersonNameKey.person_id) == row.id))
    _insert_aliases(session, pk(case), [(row.id or 0, doc)])


def restore_relationship(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    session_memo.forget(session)  # the case's relationship ids
    row = _one(session, Relationship, pk(case), key)
    if _restored_to_nothing(session, Relationship, row, state):
        return
    assert state is not None
    doc = state["doc"]
    people = person_ids(session, pk(case))
    values = {
        "position": state["position"],
        "kind": doc["kind"],
        "person_a_id": people[doc["persons"][0]],
        "person_b_id": people[doc["persons"][1]],
        "doc": doc,
    }
    if row is None:
        session.add(Relationship(case_id=pk(case), key=key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()


def restore_entry(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    row = _one(session, Entry, pk(case), key)
    if _restored_to_nothing(session, Entry, row, state):
        session_memo.memo(session)["entry", pk(case), key] = None
        return
    assert state is not None
    # The entry's persons and tags rows are derived from its document: kept as they are when
    # the document names the same ones (most edits change only the text).
    children = row is None or any(
        (row.doc or {}).get(field) != state["doc"].get(field) for field in ("persons", "tags")
    )
    people = person_ids(session, pk(case))
    links = relationship_ids(session, pk(case))
    values = _entry_values(state["doc"], state["position"], state["number"], links)
    withdrawn = state.get("withdrawn")
    values.update(
        withdrawn=withdrawn is not None,
        withdrawn_reason=withdrawn["reason"] if withdrawn else None,
        withdrawn_by=withdrawn["by"] if withdrawn else None,
        withdrawn_at=datetime.datetime.fromisoformat(withdrawn["at"])
        if withdrawn and withdrawn.get("at")
        else None,
        updated_at=now(),
    )
    new = row is None
    if row is None:
        row = Entry(case_id=pk(case), key=key, **values)
        session.add(row)
        session_memo.memo(session)["entry", pk(case), key] = row
    else:
        for name, value in values.items():
            if getattr(row, name) != value:  # each set costs the ORM's bookkeeping
                setattr(row, name, value)
    if new:
        session.flush()  # for its id; a changed row is flushed with the rest of the save
    if children:
        if not new:
            session.execute(delete(EntryPerson).where(col(EntryPerson.entry_id) == row.id))
            session.execute(delete(EntryTag).where(col(EntryTag.entry_id) == row.id))
        _insert_entry_children(session, [(row.id or 0, state["doc"])], people)
    case.next_entry_number = max(case.next_entry_number, state["number"] + 1)


def restore_review(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    for row in session.scalars(select(FlagReview).where(col(FlagReview.case_id) == case.id)):
        if review_key(row.doc) == key:
            session.delete(row)
    session.flush()
    for row in (state or {}).get("rows", ()):
        doc = row["doc"]
        session.add(
            FlagReview(
                case_id=pk(case),
                position=row["position"],
                rule=doc["rule"],
                decision=doc["decision"],
                doc=doc,
            )
        )
    session.flush()


def restore_case(session: Session, reference: str, state: Snapshot | None) -> None:
    row = case_row(session, reference)
    if state is None:
        raise Conflict("A case's details cannot be removed on their own.")
    doc = state["doc"]
    row.doc, row.title = doc, doc["title"]
    row.status = doc.get("status") or "open"
    row.updated_at = now()
    session.flush()


def restore_case_file(session: Session, reference: str, state: Snapshot | None) -> Case | None:
    existing = find_case(session, reference)
    session_memo.forget(session)  # the whole case's rows go, or come
    if existing is not None:
        # Foreign keys from relationships and entry links to persons are not cascaded, so
        # remove the case's rows child-first.
        entry_ids = select(col(Entry.id)).where(col(Entry.case_id) == existing.id)
        session.execute(delete(EntryPerson).where(col(EntryPerson.entry_id).in_(entry_ids)))
        session.execute(delete(EntryTag).where(col(EntryTag.entry_id).in_(entry_ids)))
        session.execute(delete(Entry).where(col(Entry.case_id) == existing.id))
        session.execute(delete(Relationship).where(col(Relationship.case_id) == existing.id))
        person_rows = select(col(Person.id)).where(col(Person.case_id) == existing.id)
        session.execute(delete(PersonAlias).where(col(PersonAlias.person_id).in_(person_rows)))
        session.execute(delete(PersonNameKey).where(col(PersonNameKey.person_id).in_(person_rows)))
        session.execute(delete(Person).where(col(Person.case_id) == existing.id))
        session.execute(delete(FlagReview).where(col(FlagReview.case_id) == existing.id))
        session.execute(delete(CaseReview).where(col(CaseReview.case_id) == existing.id))
        session.execute(delete(Case).where(col(Case.id) == existing.id))
        session.flush()
    if state is None:
        return None
    return insert_document(session, state["document"], state.get("numbers"))


def snapshot_case_review(session: Session, case_id: int, key: str) -> Snapshot | None:
    row = _one(session, CaseReview, case_id, key)
    if row is None:
        return None
    return {"by": row.reviewed_by, "at": row.reviewed_at.isoformat(), "comments": row.comments}


def restore_case_review(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    row = _one(session, CaseReview, pk(case), key)
    if row is not None:
        session.delete(row)
        session.flush()
    if state is not None:
        session.add(
            CaseReview(
                case_id=pk(case),
                key=key,
                reviewed_by=state["by"],
                reviewed_at=datetime.datetime.fromisoformat(state["at"]),
                comments=state["comments"],
            )
        )
        session.flush()


def case_reviews(session: Session, case_id: int) -> list[CaseReview]:
    query = select(CaseReview).where(col(CaseReview.case_id) == case_id)
    return list(session.scalars(query.order_by(col(CaseReview.reviewed_at), col(CaseReview.id))))


def _person_pk(session: Session, ref: PersonRef) -> int:
    row_id = session.scalar(
        select(col(Person.id))
        .join(Case, col(Case.id) == col(Person.case_id))
        .where(col(Case.reference) == ref.case_reference, col(Person.key) == ref.person_id)
    )
    if row_id is None:
        raise NotFound(f'No person "{ref.person_id}" in case "{ref.case_reference}".')
    return row_id


def _match_row(session: Session, key: str) -> PersonMatch | None:
    first, second = parse_pair_key(key)
    a, b = _person_pk(session, first), _person_pk(session, second)
    return session.scalars(
        select(PersonMatch).where(
            col(PersonMatch.person_a_id) == a, col(PersonMatch.person_b_id) == b
        )
    ).first()


def snapshot_match(session: Session, key: str) -> Snapshot | None:
    row = _match_row(session, key)
    if row is None:
        return None
    return {"decision": row.decision, "reason": row.reason, "by": row.decided_by}


def restore_match(session: Session, key: str, state: Snapshot | None) -> None:
    row = _match_row(session, key)
    if row is not None:
        session.delete(row)
        session.flush()
    if state is not None:
        first, second = parse_pair_key(key)
        session.add(
            PersonMatch(
                person_a_id=_person_pk(session, first),
                person_b_id=_person_pk(session, second),
                decision=state["decision"],
                reason=state.get("reason"),
                decided_by=state["by"],
            )
        )
        session.flush()


def match_decisions(session: Session) -> list[tuple[PersonRef, PersonRef, str]]:
    """Every recorded decision, as (first person, second person, decision): the two persons
    joined in the database (not every person of the workspace read to find a few)."""
    person_a, person_b = aliased(Person), aliased(Person)
    case_a, case_b = aliased(Case), aliased(Case)
    query = (
        select(
            col(case_a.reference),
            col(person_a.key),
            col(case_b.reference),
            col(person_b.key),
            col(PersonMatch.decision),
        )
        .join(person_a, col(person_a.id) == col(PersonMatch.person_a_id))
        .join(case_a, col(case_a.id) == col(person_a.case_id))
        .join(person_b, col(person_b.id) == col(PersonMatch.person_b_id))
        .join(case_b, col(case_b.id) == col(person_b.case_id))
        .order_by(col(PersonMatch.id))
    )
    return [
        (PersonRef(ref_a, key_a), PersonRef(ref_b, key_b), decision)
        for ref_a, key_a, ref_b, key_b, decision in session.execute(query)
    ]
