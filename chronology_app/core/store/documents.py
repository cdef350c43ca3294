"""Whole documents and batches: a case file written into the tables and read back out, and an
agency's imported entries written, snapshotted and restored in bulk."""

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
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from chronology_app.core.dates import parse_expression
from chronology_app.core.model.tables import (
    Case,
    Entry,
    EntryPerson,
    EntryTag,
    FlagReview,
    Person,
    PersonAlias,
    PersonNameKey,
    Relationship,
)
from chronology_app.core.model.vocabulary import FORMAT_NAME, FORMAT_VERSION
from chronology_app.core.store import filing, session_memo
from chronology_app.core.store.rows import (
    SPEC_TOP_LEVEL,
    Snapshot,
    _on_server,
    now,
    person_ids,
    pk,
    relationship_ids,
)


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
            "date_of_birth": filing.date_of_birth(p),
            "restricted": bool(p.get("restricted")),
            "doc": p,
        }
        for i, p in enumerate(persons)
    ]
    new_person_ids = _insert_returning(session, Person, person_rows)
    people = {p["id"]: row_id for p, row_id in zip(persons, new_person_ids, strict=True)}
    _insert_aliases(session, case_id, list(zip(new_person_ids, persons, strict=True)))

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


def export_document(
    session: Session, case: Case, numbers: dict[str, int] | None = None
) -> dict[str, Any]:
    """The case as a case-file document: what was imported, plus every change since. Given
    `numbers`, it is filled with the entries' numbers (E0042) by id, from the same query."""
    case_id = case.id

    def docs(table: Any, *where: Any) -> list[Any]:
        # The documents' raw JSON text, decoded in one call rather than one call a row
        # (a 5,000-entry case decodes in a third of the time).
        raw = cast(table.doc, Text) if _on_server(session) else type_coerce(table.doc, String)
        numbered = numbers is not None and table is Entry
        columns = (raw, table.key, table.number) if numbered else (raw,)
        query = select(*columns).where(table.case_id == case_id, *where).order_by(table.position)
        rows = session.execute(query).all()
        if numbered and numbers is not None:
            numbers.update((row[1], row[2]) for row in rows)
        texts = [row[0] for row in rows]
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


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """A plain executemany through the Core table (no ORM bookkeeping)."""
    if rows:
        session.connection().execute(insert(table.__table__), rows)


def _insert_aliases(
    session: Session, case_id: int, persons: Iterable[tuple[int, Mapping[str, Any]]]
) -> None:
    """The aliases and name keys of persons of one case (both derived from the document; the
    keys with what the cross-case join blocks on: core/store/filing.py)."""
    persons = list(persons)
    rows = [
        {"person_id": person_id, "alias": alias}
        for person_id, doc in persons
        for alias in doc.get("aliases") or ()
    ]
    if rows:
        _insert(session, PersonAlias, rows)
    keys = [row for person_id, doc in persons for row in filing.key_rows(person_id, case_id, doc)]
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
