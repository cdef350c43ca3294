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
from collections.abc import Iterator
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from chronology_app.core.model.tables import Case, CaseReview, Entry
from chronology_app.core.store import objects
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
