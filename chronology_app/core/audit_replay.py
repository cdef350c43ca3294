"""Does the case data equal what the audit trail says it should be?

Every change's audit record carries each object's state after it. Replaying those after-states,
oldest first, into an empty database in memory gives the workspace the trail describes; `compare`
then sets it beside the stored case tables, object by object. A change made straight to a case
table (with SQLite and the passphrase), leaving the trail alone, shows as a difference.

The replay puts each state through the registry of stored types (core/store/objects.py), as
undo and redo do, so it follows the app's own rules
for every kind of object. It holds the case data in memory only (never a temporary file), and
names objects by case reference and id, never by their content.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from chronology_app.core.model.tables import (
    Case,
    CaseReview,
    Entry,
    Person,
    PersonNameKey,
)
from chronology_app.core.store import filing, objects
from chronology_app.core.store import repository as repo

log = logging.getLogger(__name__)

MAX_NAMED = 20  # differences named one by one; the rest are counted


class ReplayFailed(Exception):
    """The trail's changes cannot be applied in order (the trail itself is inconsistent)."""

    def __init__(self, record: int) -> None:
        self.record = record
        super().__init__(f"record {record}")


def compare(stored: Session, records: Iterator[tuple[int, str | None, list[Any]]]) -> list[str]:
    """Differences between the stored case data and the trail's after-states. `records` yields
    (audit id, case reference, changes) oldest first. An empty list: they agree."""
    # in memory: the replayed cases never touch a disk
    engine = create_engine("sqlite://", hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _foreign_keys(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA foreign_keys = ON")

    SQLModel.metadata.create_all(engine)
    try:
        with Session(engine) as replay, replay.begin():
            try:
                for record_id, reference, changes in records:
                    _apply_record(replay, record_id, reference, changes)
            except ReplayFailed as failed:
                return [
                    f"the audit trail cannot be replayed at record {failed.record}: its "
                    "changes do not follow from the records before it"
                ]
            return _differences(stored, replay)
    finally:
        engine.dispose()


def _apply_record(session: Session, record_id: int, reference: str | None, changes: Any) -> None:
    if not isinstance(changes, list):
        raise ReplayFailed(record_id)
    try:
        with session.begin_nested():
            for change in changes:
                _apply(session, reference, change)
    except (SQLAlchemyError, KeyError, TypeError, ValueError, AttributeError):
        raise ReplayFailed(record_id) from None


def _case(session: Session, reference: str | None) -> Case | None:
    if reference is None:
        return None
    return session.scalars(select(Case).where(col(Case.reference) == reference)).first()


def _apply(session: Session, reference: str | None, change: Any) -> None:
    kind, key, state = change["object"], change["key"], change["after"]
    if kind not in objects.STORED:  # kept on the trail alone (a sign-off for sharing)
        return
    stored = objects.stored(kind)
    case = _case(session, reference) if stored.in_case else None
    if stored.in_case and case is None:
        raise KeyError(reference)
    stored.put(session, case, key, state)
    session.flush()


def _state(session: Session) -> dict[str, Any]:
    """Everything a trail's after-states decide, by case reference and object id."""
    state: dict[str, Any] = {}
    for case in session.scalars(select(Case).order_by(col(Case.reference))):
        case_id = repo.pk(case)
        document = repo.export_document(session, case)
        document.pop("entries", None)  # compared one by one below, withdrawn ones too
        entries = session.scalars(select(col(Entry.key)).where(col(Entry.case_id) == case_id))
        reviews = session.scalars(
            select(col(CaseReview.key)).where(col(CaseReview.case_id) == case_id)
        )
        state[case.reference] = {
            "case": {k: v for k, v in document.items() if k not in ("persons", "relationships")},
            "person": {p["id"]: p for p in document.get("persons", [])},
            "relationship": {r["id"]: r for r in document.get("relationships", [])},
            "entry": {key: repo.snapshot_entry(session, case_id, key) for key in entries},
            "case_review": {
                key: repo.snapshot_case_review(session, case_id, key) for key in reviews
            },
        }
    state["(person matches)"] = {
        "match": {f"{a} ~ {b}": decision for a, b, decision in repo.match_decisions(session)}
    }
    return state


def _differences(stored: Session, replay: Session) -> list[str]:
    have, want = _state(stored), _state(replay)
    found: list[str] = []
    for reference in sorted(set(have) | set(want)):
        if reference not in want:
            found.append(f"case {reference} is in the workspace but not in the audit trail")
            continue
        if reference not in have:
            found.append(f"case {reference} is in the audit trail but missing from the workspace")
            continue
        for kind, wanted in want[reference].items():
            present = have[reference][kind]
            if kind == "case":
                if present != wanted:
                    found.append(f"case {reference}: its details differ from the audit trail")
                continue
            for key in sorted(set(wanted) | set(present)):
                if wanted.get(key) != present.get(key):
                    what = (
                        "added"
                        if key not in wanted
                        else ("missing" if key not in present else "changed")
                    )
                    found.append(f"case {reference}: {kind} {key} {what} outside Chronology")
    if len(found) > MAX_NAMED:
        found = [*found[:MAX_NAMED], f"and {len(found) - MAX_NAMED} more differences"]
    if found:
        log.warning("the case data differs from the audit trail in %d places", len(found))
    return found


# --- what each person is filed under, against their document ----------------------------------

# A name key row as compared: the key and what the candidate join blocks on beside it (every
# column of the table but its own id and the person's, as filing.key_rows writes them).
_KEY_FIELDS = tuple(
    column.name
    for column in PersonNameKey.__table__.columns  # type: ignore[attr-defined]
    if column.name not in ("id", "person_id")
)


def filing_differences(stored: Session) -> list[str]:
    """Differences between the columns cross-case suggestions read of each stored person (the
    name and aliases, the date of birth as written, the `person_name_key` rows) and what the
    person's document gives (core/store/filing.py, as every write files a person). The trail
    replay compares documents only; these columns are derived from them, so an edit of one
    straight in the database (hiding a person from a supervisor's suggestions, say) shows here.
    Persons are named by case reference and id, never by their content."""
    keys: dict[int, Counter[tuple[Any, ...]]] = {}
    for row in stored.execute(
        select(col(PersonNameKey.person_id), *(getattr(PersonNameKey, f) for f in _KEY_FIELDS))
    ):
        keys.setdefault(row[0], Counter())[_key_row(row[1:])] += 1
    aliases: dict[int, list[Any]] = dict(repo.aliases_by_person(stored))
    persons = stored.execute(
        select(
            col(Person.id),
            col(Case.reference),
            col(Person.key),
            col(Person.case_id),
            col(Person.name),
            col(Person.date_of_birth),
            col(Person.doc),
        )
        .join(Case, col(Case.id) == col(Person.case_id))
        .order_by(col(Case.reference), col(Person.key))
    ).all()
    found: list[str] = []
    for person_id, reference, key, case_id, name, born, doc in persons:
        what = _misfiled(
            person_id,
            case_id,
            doc,
            name,
            born,
            aliases.pop(person_id, []),
            keys.pop(person_id, None),
        )
        if what:
            found.append(
                f"case {reference}: person {key}'s filing for suggestions changed outside "
                f"Chronology ({'; '.join(what)})"
            )
    stray = sum(sum(rows.values()) for rows in keys.values())
    if stray:  # rows of persons that are not there (a file whose foreign keys were switched off)
        found.append(f"{stray} name key rows belong to no person: added outside Chronology")
    if aliases:
        found.append(
            f"aliases of {len(aliases)} persons that are not there: added outside Chronology"
        )
    if len(found) > MAX_NAMED:
        found = [*found[:MAX_NAMED], f"and {len(found) - MAX_NAMED} more differences"]
    if found:
        log.warning("persons' filing differs from their documents in %d places", len(found))
    return found


def _key_row(values: Any) -> tuple[Any, ...]:
    # the flag as a truth value (SQLite keeps 0 and 1), everything else as stored
    *rest, professional = values
    return (*rest, None if professional is None else bool(professional))


def _misfiled(
    person_id: int,
    case_id: int,
    doc: Any,
    name: Any,
    born: Any,
    aliases: list[Any],
    keys: Counter[tuple[Any, ...]] | None,
) -> list[str]:
    """What of one person's filing differs from their document, in words (counts, no content)."""
    try:
        wanted_rows = filing.key_rows(person_id, case_id, doc)
        wanted_born = filing.date_of_birth(doc)
        wanted_aliases = list(doc.get("aliases") or ())
    except (KeyError, TypeError, AttributeError):
        # a document that cannot be filed is reported by the trail's compare (it never came
        # from Chronology); its columns cannot be checked against it
        return ["its document cannot be filed"]
    what = []
    if name != doc.get("name"):
        what.append("name altered")
    if aliases != wanted_aliases:
        what.append("aliases altered")
    if born != wanted_born:
        what.append("date of birth altered")
    wanted = Counter(_key_row([row[f] for f in _KEY_FIELDS]) for row in wanted_rows)
    have = keys or Counter()
    if have != wanted:
        missing, extra = wanted - have, have - wanted
        altered = sum(
            min(count, sum(n for row, n in extra.items() if row[0] == key))
            for key, count in Counter(row[0] for row in missing.elements()).items()
        )
        counts = [
            (missing.total() - altered, "missing"),
            (extra.total() - altered, "extra"),
            (altered, "altered"),
        ]
        what.append("name keys: " + ", ".join(f"{n} {word}" for n, word in counts if n))
    return what
