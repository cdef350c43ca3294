"""The store's basic queries: finding a case's rows by reference, counts, ids and positions,
and the candidate person pairs for cross-case suggestions (the stored name keys, joined)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import (
    String,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from chronology_app.core import clock
from chronology_app.core.errors import NotFound
from chronology_app.core.model.tables import (
    Case,
    Entry,
    Person,
    PersonAlias,
    PersonNameKey,
    Relationship,
)
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


def find_case(session: Session, reference: str | None) -> Case | None:
    """The case with this reference, if the workspace holds it (the one look-up by reference)."""
    if reference is None:
        return None
    remembered = session_memo.row(session, ("case", reference))
    if remembered is not session_memo.MISSING and remembered is not None:
        return remembered
    if session.info.get(session_memo.SERVER_WRITE):
        # A team server's save, in one round trip: the case's row, the head of its audit
        # chain (which the save's record will follow) and its person and relationship ids
        # (which an entry is checked against). The transaction is REPEATABLE READ, so what
        # is read now is what it would read later; and a unique index on (case, previous
        # hash) refuses a second record after the same head.
        found = session.execute(_case_for_a_save(), {"reference": reference}).first()
        row = None if found is None else found[0]
        if found is not None:
            remembered = session_memo.memo(session)
            remembered["chain_head", reference] = found[1]
            remembered["person_ids", found[0].id] = found[2]
            remembered["relationship_ids", found[0].id] = found[3]
    else:
        row = session.scalars(select(Case).where(col(Case.reference) == reference)).first()
    if row is not None:
        session_memo.memo(session)["case", reference] = row
    return row


@functools.cache
def _case_for_a_save() -> Any:
    """Built once: building a statement costs a save more than sending it."""
    reference = bindparam("reference", type_=String)
    return select(
        Case, func.chronology_chain_head(reference), _ids_of(Person), _ids_of(Relationship)
    ).where(col(Case.reference) == reference)


def _ids_of(table: Any) -> Any:
    """The case's rows of `table` as {key: row id}, one JSON object (on a team server)."""
    return (
        select(func.coalesce(func.json_object_agg(table.key, table.id), literal_column("'{}'")))
        .where(table.case_id == Case.id)
        .scalar_subquery()
    )


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


# A person as cross-case suggestions read them: case reference, the person's id in the case,
# their names (the name, then the aliases, in the document's order) and their date of birth as
# written (None when the document has none).
MatchPerson = tuple[str, str, tuple[str, ...], str | None]


def aliases_by_person(
    session: Session, persons: Collection[int] | None = None
) -> dict[int, list[str]]:
    """Each stored person's aliases (of `persons`, or of everyone), in the document's order;
    a person with none is not there."""
    query = select(col(PersonAlias.person_id), col(PersonAlias.alias))
    if persons is not None:
        query = query.where(col(PersonAlias.person_id).in_(persons))
    found: dict[int, list[str]] = {}
    for person_id, alias in session.execute(query.order_by(col(PersonAlias.id))):
        found.setdefault(person_id, []).append(alias)
    return found


def match_candidates(session: Session) -> tuple[dict[int, MatchPerson], list[tuple[int, int]]]:
    """The candidates for cross-case suggestions, found by the key index: persons in different
    cases filed under a shared name key (professionals never), as pairs of stored ids, and
    each of those persons once (stored id -> MatchPerson). On a team server, by the server
    (core/store/server_matching.py: by key and year of birth)."""
    if session.get_bind().dialect.name == "postgresql":
        from chronology_app.core.store.server_matching import match_candidates as on_server

        return on_server(session)
    first, second = aliased(PersonNameKey), aliased(PersonNameKey)
    pairs = session.execute(
        select(col(first.person_id), col(second.person_id))
        .join(
            second,
            (col(second.key) == col(first.key)) & (col(second.person_id) > col(first.person_id)),
        )
        .where(
            (col(first.case_id) != col(second.case_id))
            & ~col(first.professional)
            & ~col(second.professional)
        )
        .distinct()
    ).all()
    wanted = {person_id for pair in pairs for person_id in pair}
    aliases = aliases_by_person(session, wanted)
    people: dict[int, MatchPerson] = {}
    for stored, reference, key, name, born in session.execute(
        select(
            col(Person.id),
            col(Case.reference),
            col(Person.key),
            col(Person.name),
            col(Person.date_of_birth),
        )
        .join(Case, col(Case.id) == col(Person.case_id))
        .where(col(Person.id).in_(wanted))
    ):
        assert stored is not None  # a stored row's id
        people[stored] = (reference, key, (name, *aliases.get(stored, ())), born)
    return people, [(a, b) for a, b in pairs]


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


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _entry_snapshot(row: Entry) -> Snapshot:
    withdrawn = None
    if row.withdrawn:
        withdrawn = {
            "reason": row.withdrawn_reason,
            "by": row.withdrawn_by,
            "at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }
    return {"doc": row.doc, "position": row.position, "number": row.number, "withdrawn": withdrawn}
