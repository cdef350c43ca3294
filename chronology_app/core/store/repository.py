"""Reading and writing case-file objects in the workspace's tables.

Every object is written from a *snapshot* (its case-file document plus where it sits: its place
in the file, its entry number, whether it is withdrawn) and read back as one. The service
records snapshots as the before and after of each change, and undo restores a snapshot through
the same `restore_*` functions, so there is one way in and one way out of the tables.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    String,
    Text,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from chronology_app.core import clock
from chronology_app.core.crosscase import PersonRef, parse_pair_key
from chronology_app.core.dates import parse_expression
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
from chronology_app.core.model.vocabulary import FORMAT_NAME, FORMAT_VERSION
from chronology_app.core.name_matching import name_keys
from chronology_app.core.store import session_memo

Snapshot = dict[str, Any]
SPEC_TOP_LEVEL = (
    "format",
    "version",
    "case",
    "persons",
    "relationships",
    "entries",
    "flag_reviews",
)


def now() -> datetime.datetime:
    return clock.now_utc()


def pk(row: Any) -> int:
    """The primary key of a row that has been flushed."""
    assert row.id is not None
    return int(row.id)


def review_key(review: Mapping[str, Any]) -> str:
    """A flag review is identified by its rule and the set of evidence it was made on."""
    return review["rule"] + ":" + ",".join(sorted(review["evidence"]))


# --- finding rows ---------------------------------------------------------------------------


def find_case(session: Session, reference: str | None) -> Case | None:
    """The case with this reference, if the workspace holds it (the one look-up by reference)."""
    if reference is None:
        return None
    remembered = session_memo.row(session, ("case", reference))
    if remembered is not session_memo.MISSING and remembered is not None:
        return remembered
    row = session.scalars(select(Case).where(col(Case.reference) == reference)).first()
    if row is not None:
        session_memo.memo(session)["case", reference] = row
    return row


def case_row(session: Session, reference: str) -> Case:
    row = find_case(session, reference)
    if row is None:
        raise NotFound(f'No case with reference "{reference}" in this workspace.')
    return row


def case_rows(session: Session) -> list[Case]:
    return list(session.scalars(select(Case).order_by(col(Case.reference))))


def live_entry_counts(session: Session) -> dict[int, int]:
    """Entries not withdrawn, by case row id."""
    query = (
        select(col(Entry.case_id), func.count())
        .where(col(Entry.withdrawn).is_(False))
        .group_by(col(Entry.case_id))
    )
    return {case_id: count for case_id, count in session.execute(query)}


def person_counts(session: Session) -> dict[int, int]:
    query = select(col(Person.case_id), func.count()).group_by(col(Person.case_id))
    return {case_id: count for case_id, count in session.execute(query)}


def all_person_docs(session: Session) -> list[tuple[str, dict[str, Any]]]:
    """(case reference, person document) for every person in the workspace."""
    query = select(col(Case.reference), col(Person.doc)).join(
        Case, col(Case.id) == col(Person.case_id)
    )
    return [(reference, doc) for reference, doc in session.execute(query)]


def candidate_person_pairs(
    session: Session,
) -> list[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    """Persons in different cases filed under a shared name key, as (case reference, person
    document) pairs: the candidates for cross-case suggestions, found by the key index. On a
    team server, by the server (core/store/server_matching.py: by key and year of birth)."""
    if session.get_bind().dialect.name == "postgresql":
        from chronology_app.core.store.server_matching import candidate_person_pairs as on_server

        return on_server(session)
    first, second = aliased(PersonNameKey), aliased(PersonNameKey)
    person_a, person_b = aliased(Person), aliased(Person)
    pairs = session.execute(
        select(col(first.person_id), col(second.person_id))
        .join(
            second,
            (col(second.key) == col(first.key)) & (col(second.person_id) > col(first.person_id)),
        )
        .join(person_a, col(person_a.id) == col(first.person_id))
        .join(person_b, col(person_b.id) == col(second.person_id))
        .where(col(person_a.case_id) != col(person_b.case_id))
        .distinct()
    ).all()
    wanted = {person_id for pair in pairs for person_id in pair}
    people = {
        person_id: (reference, doc)
        for person_id, reference, doc in session.execute(
            select(col(Person.id), col(Case.reference), col(Person.doc))
            .join(Case, col(Case.id) == col(Person.case_id))
            .where(col(Person.id).in_(wanted))
        )
    }
    return [(*people[a], *people[b]) for a, b in pairs]


def same_event_links(session: Session, case_id: int) -> dict[str, object]:
    """Each live entry of a case -> the entry it records the same event as (or None). The
    database reads the one field out of each document (a case of thousands of entries is not
    decoded in Python for it)."""
    same_event_as = col(Entry.doc)["same_event_as"].as_string()
    query = select(col(Entry.key), same_event_as).where(
        col(Entry.case_id) == case_id, col(Entry.withdrawn).is_(False)
    )
    return {key: target for key, target in session.execute(query)}


def entry_key_by_number(session: Session, reference: str, number: int) -> str | None:
    """The id of the entry the app shows as E0042 in a case."""
    return session.scalar(
        select(col(Entry.key))
        .join(Case, col(Case.id) == col(Entry.case_id))
        .where(col(Case.reference) == reference, col(Entry.number) == number)
    )


def entry_created_at(session: Session, case_id: int, key: str) -> datetime.datetime | None:
    row = _one(session, Entry, case_id, key)
    return None if row is None else row.created_at


def person_ids(session: Session, case_id: int) -> dict[str, int]:
    """Person id -> row id in a case (read with the relationships', once a transaction)."""
    remembered = session_memo.memo(session)
    if ("person_ids", case_id) not in remembered:
        _read_ids(session, case_id, remembered)
    return dict(remembered["person_ids", case_id])


def relationship_ids(session: Session, case_id: int) -> dict[str, int]:
    """Relationship id -> row id in a case (read with the persons', once a transaction)."""
    remembered = session_memo.memo(session)
    if ("relationship_ids", case_id) not in remembered:
        _read_ids(session, case_id, remembered)
    return dict(remembered["relationship_ids", case_id])


def _read_ids(session: Session, case_id: int, remembered: dict[Any, Any]) -> None:
    # One query for both (a save checks an entry against both): 1 marks a relationship.
    query: Any = union_all(
        select(literal_column("0"), col(Person.key), col(Person.id)).where(
            col(Person.case_id) == case_id
        ),
        select(literal_column("1"), col(Relationship.key), col(Relationship.id)).where(
            col(Relationship.case_id) == case_id
        ),
    )
    found: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for which, key, pk_value in session.execute(query):
        if pk_value is not None:
            found[which][key] = pk_value
    remembered["person_ids", case_id], remembered["relationship_ids", case_id] = found


def _one(session: Session, table: Any, case_id: int, key: str) -> Any:
    # An entry's row is read once a transaction (a save reads it for its checks, its before
    # and after, and the write); restore_entry keeps the memo true.
    if table is not Entry:
        query = select(table).where(table.case_id == case_id, table.key == key)
        return session.scalars(query).first()
    remembered = session_memo.row(session, ("entry", case_id, key))
    if remembered is not session_memo.MISSING:
        return remembered
    row = session.scalars(
        select(Entry).where(col(Entry.case_id) == case_id, col(Entry.key) == key)
    ).first()
    session_memo.memo(session)["entry", case_id, key] = row
    return row


def next_position(session: Session, table: Any, case_id: int) -> int:
    current = session.scalar(select(func.max(table.position)).where(table.case_id == case_id))
    return 0 if current is None else current + 1


# --- snapshots ------------------------------------------------------------------------------


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


def _entry_snapshot(row: Entry) -> Snapshot:
    withdrawn = None
    if row.withdrawn:
        withdrawn = {
            "reason": row.withdrawn_reason,
            "by": row.withdrawn_by,
            "at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }
    return {"doc": row.doc, "position": row.position, "number": row.number, "withdrawn": withdrawn}


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
    numbers = dict(
        session.execute(
            select(col(Entry.key), col(Entry.number)).where(
                col(Entry.case_id) == row.id, col(Entry.withdrawn).is_(False)
            )
        ).all()
    )
    return {"document": export_document(session, row), "numbers": numbers}


# --- restoring (the one way in) -------------------------------------------------------------


def restore_person(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    session_memo.forget(session)  # the case's person ids
    row = _one(session, Person, pk(case), key)
    if state is None:
        if row is not None:
            session.execute(delete(Person).where(col(Person.id) == row.id))
        return
    doc = state["doc"]
    if row is None:
        row = Person(
            case_id=pk(case), key=key, position=state["position"], name=doc["name"], doc=doc
        )
        session.add(row)
    row.position, row.name, row.doc = state["position"], doc["name"], doc
    row.restricted = bool(doc.get("restricted"))
    session.flush()
    session.execute(delete(PersonAlias).where(col(PersonAlias.person_id) == row.id))
    session.execute(delete(PersonNameKey).where(col(PersonNameKey.person_id) == row.id))
    _insert_aliases(session, [(row.id or 0, doc)])


def restore_relationship(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    session_memo.forget(session)  # the case's relationship ids
    row = _one(session, Relationship, pk(case), key)
    if state is None:
        if row is not None:
            session.execute(delete(Relationship).where(col(Relationship.id) == row.id))
        return
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
    if state is None:
        if row is not None:
            session.execute(delete(Entry).where(col(Entry.id) == row.id))
            session_memo.memo(session)["entry", pk(case), key] = None
        return
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
    """Every recorded decision, as (first person, second person, decision)."""
    people: dict[int | None, PersonRef] = {
        row_id: PersonRef(reference, key)
        for row_id, reference, key in session.execute(
            select(col(Person.id), col(Case.reference), col(Person.key)).join(
                Case, col(Case.id) == col(Person.case_id)
            )
        )
    }
    return [
        (people[a], people[b], decision)
        for a, b, decision in session.execute(
            select(
                col(PersonMatch.person_a_id),
                col(PersonMatch.person_b_id),
                col(PersonMatch.decision),
            )
        )
    ]


# --- whole documents ------------------------------------------------------------------------


def insert_document(
    session: Session, document: Mapping[str, Any], numbers: Mapping[str, int] | None = None
) -> Case:
    """Write a validated case-file document as a new case, with bulk inserts."""
    session_memo.forget(session)
    case_doc = document["case"]
    extra = {key: value for key, value in document.items() if key not in SPEC_TOP_LEVEL}
    entries = document["entries"]
    numbering = dict(numbers or {})
    for position, entry in enumerate(entries):
        numbering.setdefault(entry["id"], position + 1)
    case = Case(
        reference=case_doc["reference"],
        title=case_doc["title"],
        status=case_doc.get("status") or "open",
        doc=case_doc,
        extra=extra,
        has_relationships="relationships" in document,
        has_flag_reviews="flag_reviews" in document,
        next_entry_number=max(numbering.values(), default=0) + 1,
    )
    session.add(case)
    session.flush()
    case_id = pk(case)

    persons = document["persons"]
    person_rows = [
        {
            "case_id": case_id,
            "key": p["id"],
            "position": i,
            "name": p["name"],
            "restricted": bool(p.get("restricted")),
            "doc": p,
        }
        for i, p in enumerate(persons)
    ]
    new_person_ids = _insert_returning(session, Person, person_rows)
    people = {p["id"]: row_id for p, row_id in zip(persons, new_person_ids, strict=True)}
    _insert_aliases(session, list(zip(new_person_ids, persons, strict=True)))

    relationships = document.get("relationships") or []
    relationship_rows = [
        {
            "case_id": case_id,
            "key": r["id"],
            "position": i,
            "kind": r["kind"],
            "person_a_id": people[r["persons"][0]],
            "person_b_id": people[r["persons"][1]],
            "doc": r,
        }
        for i, r in enumerate(relationships)
    ]
    new_relationship_ids = _insert_returning(session, Relationship, relationship_rows)
    links = {r["id"]: row_id for r, row_id in zip(relationships, new_relationship_ids, strict=True)}

    stamp = now()
    entry_rows = []
    for position, entry in enumerate(entries):
        values = _entry_values(entry, position, numbering[entry["id"]], links)
        values.update(case_id=case_id, key=entry["id"], created_at=stamp, updated_at=stamp)
        entry_rows.append(values)
    new_entry_ids = _insert_returning(session, Entry, entry_rows)
    _insert_entry_children(session, list(zip(new_entry_ids, entries, strict=True)), people)

    review_rows = [
        {"case_id": case_id, "position": i, "rule": r["rule"], "decision": r["decision"], "doc": r}
        for i, r in enumerate(document.get("flag_reviews") or [])
    ]
    _insert(session, FlagReview, review_rows)
    return case


def export_document(session: Session, case: Case) -> dict[str, Any]:
    """The case as a case-file document: what was imported, plus every change since."""
    case_id = case.id

    def docs(table: Any, *where: Any) -> list[Any]:
        # The documents' raw JSON text, decoded in one call rather than one call a row
        # (a 5,000-entry case decodes in a third of the time).
        raw = cast(table.doc, Text) if _on_server(session) else type_coerce(table.doc, String)
        query = select(raw).where(table.case_id == case_id, *where).order_by(table.position)
        texts = list(session.scalars(query))
        return list(json.loads("[" + ",".join(texts) + "]")) if texts else []

    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "case": case.doc,
        "persons": docs(Person),
    }
    relationships = docs(Relationship)
    if relationships or case.has_relationships:
        document["relationships"] = relationships
    document["entries"] = docs(Entry, col(Entry.withdrawn).is_(False))
    # A review whose evidence includes a withdrawn entry no longer matches any flag (its
    # evidence has changed); it stays in the workspace and its audit trail, not in the file,
    # which must name only entries it holds.
    live = {entry["id"] for entry in document["entries"]}
    reviews = [r for r in docs(FlagReview) if set(r["evidence"]) <= live]
    if reviews or case.has_flag_reviews:
        document["flag_reviews"] = reviews
    document.update(case.extra)
    return document


def live_entry_ids(session: Session, case_id: int) -> set[str]:
    """Entries in the chronology (not withdrawn)."""
    query = select(col(Entry.key)).where(
        col(Entry.case_id) == case_id, col(Entry.withdrawn).is_(False)
    )
    return set(session.scalars(query))


def entry_keys(session: Session, case_id: int) -> set[str]:
    """Every entry id of a case, withdrawn ones included (read from the index of ids alone,
    not from the entries' rows)."""
    return set(session.scalars(select(col(Entry.key)).where(col(Entry.case_id) == case_id)))


def entry_numbers(session: Session, case_id: int) -> dict[str, int]:
    rows = session.execute(
        select(col(Entry.key), col(Entry.number)).where(col(Entry.case_id) == case_id)
    )
    return dict(rows.all())


# --- helpers --------------------------------------------------------------------------------


def _entry_values(
    doc: Mapping[str, Any], position: int, number: int, links: Mapping[str, int]
) -> dict[str, Any]:
    date = parse_expression(doc["date"])
    relationship = doc.get("relationship")
    return {
        "number": number,
        "position": position,
        "kind": doc["kind"],
        "date": doc["date"],
        "earliest": date.earliest,
        "latest": date.latest,
        "sequence": doc.get("sequence") or 0,
        "summary": doc["summary"],
        "restricted": bool(doc.get("restricted")),
        "relationship_id": links.get(relationship) if relationship else None,
        "doc": doc,
    }


def _insert_returning(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows with primary keys allocated here, returning them in order.

    In a file workspace, safe because every write runs in a BEGIN IMMEDIATE transaction (no
    other writer), and several times faster than an ORM bulk insert with RETURNING."""
    if not rows:
        return []
    if _on_server(session):
        # Several writers at once, and rows hidden by row-level security: ids come from the
        # table's own sequence.
        name = table.__tablename__
        ids = list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": name, "n": len(rows)},
            )
        )
    else:
        first = (session.scalar(select(func.max(table.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
    for row_id, row in zip(ids, rows, strict=True):
        row["id"] = row_id
    _insert(session, table, rows)
    return ids


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """A plain executemany through the Core table (no ORM bookkeeping)."""
    if rows:
        session.connection().execute(insert(table.__table__), rows)


def _insert_aliases(session: Session, persons: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
    """A person's aliases and name keys (both derived from the document)."""
    persons = list(persons)
    rows = [
        {"person_id": person_id, "alias": alias}
        for person_id, doc in persons
        for alias in doc.get("aliases") or ()
    ]
    if rows:
        _insert(session, PersonAlias, rows)
    keys = [
        {"person_id": person_id, "key": key}
        for person_id, doc in persons
        for key in sorted(name_keys([doc["name"], *(doc.get("aliases") or ())]))
    ]
    if keys:
        _insert(session, PersonNameKey, keys)


def _insert_entry_children(
    session: Session, entries: Iterable[tuple[int, Mapping[str, Any]]], people: Mapping[str, int]
) -> None:
    link_rows: list[dict[str, Any]] = []
    tag_rows: list[dict[str, Any]] = []
    for entry_id, doc in entries:
        for index, link in enumerate(doc.get("persons") or ()):
            link_rows.append(
                {
                    "entry_id": entry_id,
                    "person_id": people[link["person"]],
                    "role": link["role"],
                    "position": index,
                }
            )
        tag_rows.extend({"entry_id": entry_id, "tag": tag} for tag in doc.get("tags") or ())
    _insert(session, EntryPerson, link_rows)
    _insert(session, EntryTag, tag_rows)


def insert_entries(session: Session, case: Case, states: Sequence[Mapping[str, Any]]) -> None:
    """Add many new entries at once (an imported chronology), each state as `snapshot_entry`
    gives it (doc, position, number, withdrawn None), with bulk inserts."""
    if not states:
        return
    session_memo.forget(session)  # rows written behind the ORM's back
    people = person_ids(session, pk(case))
    links = relationship_ids(session, pk(case))
    stamp = now()
    rows = []
    for state in states:
        values = _entry_values(state["doc"], state["position"], state["number"], links)
        values.update(case_id=pk(case), key=state["doc"]["id"], created_at=stamp, updated_at=stamp)
        rows.append(values)
    new_ids = _insert_returning(session, Entry, rows)
    docs = [state["doc"] for state in states]
    _insert_entry_children(session, list(zip(new_ids, docs, strict=True)), people)
    case.next_entry_number = max(
        case.next_entry_number, max(state["number"] for state in states) + 1
    )


def batch_key(first_number: int, last_number: int) -> str:
    """The key of a batch of entries added together (an imported chronology): the range of
    their workspace numbers, which are consecutive and never reused."""
    return f"{first_number}-{last_number}"


def _batch_numbers(key: str) -> tuple[int, int]:
    first, _, last = key.partition("-")
    return int(first), int(last)


def snapshot_entry_batch(session: Session, case_id: int, key: str) -> Snapshot | None:
    """The entries numbered in the batch's range, as `snapshot_entry` gives each, read in one
    query with the documents decoded in one call (as `export_document` does)."""
    first, last = _batch_numbers(key)
    # The documents as text (a team server's driver would decode JSON one by one).
    raw = cast(col(Entry.doc), Text) if _on_server(session) else type_coerce(col(Entry.doc), String)
    rows = session.execute(
        select(
            col(Entry.number),
            col(Entry.position),
            raw,
            col(Entry.withdrawn),
            col(Entry.withdrawn_reason),
            col(Entry.withdrawn_by),
            col(Entry.withdrawn_at),
        )
        .where(col(Entry.case_id) == case_id, col(Entry.number).between(first, last))
        .order_by(col(Entry.number))
    ).all()
    if not rows:
        return None
    docs = json.loads("[" + ",".join(row[2] for row in rows) + "]")
    states = []
    for (number, position, _text, withdrawn, reason, by, at), doc in zip(rows, docs, strict=True):
        gone = None
        if withdrawn:
            when = at if isinstance(at, datetime.datetime) or at is None else None
            gone = {"reason": reason, "by": by, "at": when.isoformat() if when else at}
        states.append({"doc": doc, "position": position, "number": number, "withdrawn": gone})
    return {"entries": states}


def restore_entry_batch(session: Session, case: Case, key: str, state: Snapshot | None) -> None:
    """Remove the batch's entries (undo), or add them all again (redo), in bulk."""
    first, last = _batch_numbers(key)
    session_memo.forget(session)  # rows removed behind the ORM's back
    session.execute(
        delete(Entry).where(col(Entry.case_id) == case.id, col(Entry.number).between(first, last))
    )
    if state is not None:
        insert_entries(session, case, state["entries"])
