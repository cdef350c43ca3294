"""The audit trail: its hash chain, checking the chain, and the history of one entry.

Every change appends one `audit_record` whose `hash` covers its content and the hash of the
record before it. `verify` walks the chain and names each record that was edited, inserted or
removed since it was written; `entry_history` reads who changed an entry, when, why, and what
changed field by field, from the before and after snapshots the records carry.

The chain shows changes made without the app; it cannot stop someone who holds the passphrase
from rewriting the whole trail consistently. A fingerprint (the newest record's hash) noted
outside the workspace, for instance on a printed report, can be checked later with `anchors`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from chronology_app.core.errors import WorkspaceError
from chronology_app.core.model.tables import AuditRecord
from chronology_app.core.store import session_memo
from chronology_app.core.validation import join_path

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
FINGERPRINT_LENGTH = 16  # hex digits shown to users; anchors need at least MIN_ANCHOR
MIN_ANCHOR = 12


def audit_hash(row: AuditRecord) -> str:
    """The hash that chains one audit record to the one before it."""
    return audit_hash_of(
        {
            "at": row.at,
            "who": row.who,
            "action": row.action,
            "case_id": row.case_id,
            "case_reference": row.case_reference,
            "reason": row.reason,
            "changes": row.changes,
            "prev_hash": row.prev_hash,
        }
    )


def audit_hash_of(values: Mapping[str, Any]) -> str:
    """`audit_hash` of a record's column values (a record written without an ORM object)."""
    content = {
        "at": values["at"].isoformat(),
        "who": values["who"],
        "action": values["action"],
        "case_id": values["case_id"],
        "case_reference": values["case_reference"],
        "reason": values["reason"],
        "changes": values["changes"],
        "prev_hash": values["prev_hash"],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def head(session: Session) -> str:
    """The hash of the newest record (GENESIS_HASH when the trail is empty)."""
    latest = session.scalar(
        select(col(AuditRecord.hash)).order_by(col(AuditRecord.id).desc()).limit(1)
    )
    return latest or GENESIS_HASH


def chain_head(session: Session, reference: str | None) -> str:
    """On a team server, one chain per case: the hash of the case's newest record (records of
    the workspace as a whole form their own chain). The server's own function reads it, as a
    case's earlier records may belong to a removed case the user can no longer see. A save
    has usually read it already, with the case's row (store/rows.py: `find_case`)."""
    latest = session_memo.memo(session).get(("chain_head", reference), session_memo.MISSING)
    if latest is session_memo.MISSING:
        latest = session.scalar(text("SELECT chronology_chain_head(:r)"), {"r": reference})
    return latest or GENESIS_HASH


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# --- checking the chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    kind: str  # "edited", "inserted", "removed", "broken", "unreadable" or "anchor"
    records: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class ChainReport:
    records: int
    head: str
    problems: tuple[ChainProblem, ...]
    heads: dict[str, str] = field(default_factory=dict)  # a server's chains: case -> hash

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def fingerprint(self) -> str:
        return self.head[:FINGERPRINT_LENGTH]


_RAW = (
    "SELECT id, at, who, action, case_id, case_reference, reason, changes, prev_hash, hash "
    "FROM audit_record"
)


_RAW_SERVER = _RAW.replace("changes,", "CAST(changes AS TEXT) AS changes,")


def _raw_rows(session: Session, reference: str | None = None) -> Iterator[Any]:
    # The stored text, not the ORM's conversion: a record altered into something the ORM
    # cannot read must be reported, not end the check with a traceback.
    raw = _RAW_SERVER if _on_server(session) else _RAW
    if reference is None:
        yield from session.execute(text(raw + " ORDER BY id"))
    else:
        query = raw + " WHERE case_reference = :reference ORDER BY id"
        yield from session.execute(text(query), {"reference": reference})


def _as_record(raw: Any) -> AuditRecord | None:
    try:
        at = raw.at  # a server gives a datetime, a file its text
        if not isinstance(at, datetime.datetime):
            at = datetime.datetime.fromisoformat(at)
        changes = json.loads(raw.changes)
    except (TypeError, ValueError):
        return None
    if at.utcoffset() is None:
        at = at.replace(tzinfo=datetime.UTC)  # stored as UTC without an offset
    return AuditRecord(
        id=raw.id,
        at=at,
        who=raw.who,
        action=raw.action,
        case_id=raw.case_id,
        case_reference=raw.case_reference,
        reason=raw.reason,
        changes=changes,
        prev_hash=raw.prev_hash,
        hash=raw.hash,
    )


def _span(first: int, last: int) -> str:
    return f"record {first}" if first == last else f"records {first} to {last}"


def verify(session: Session, anchors: Iterable[str] = ()) -> ChainReport:
    """Walk the whole trail and report every record that breaks the chain.

    `anchors` are fingerprints noted earlier; each must still be the hash of some record.
    On a team server each case has its own chain (see `chain_head`): each is walked on its
    own, over the records the user may see, and `heads` holds each case's newest hash."""
    seen: dict[str, int] = {GENESIS_HASH: 0}  # hash -> id of the record that has it
    if not _on_server(session):
        problems, count, last = _walk(_raw_rows(session), seen, numbered=True)
        heads: dict[str, str] = {}
    else:
        chains: dict[str, list[Any]] = {}
        for raw in _raw_rows(session):
            chains.setdefault(raw.case_reference or "", []).append(raw)
        problems, count, heads = [], 0, {}
        for chain, rows in sorted(chains.items()):
            # ids come from one sequence shared by every case: gaps are other cases' records.
            found, counted, heads[chain] = _walk(
                iter(rows), seen, numbered=False, start=_start_of_chain(session, rows[0])
            )
            problems += found
            count += counted
        last = max(
            ((raw.id, raw.hash) for rows in chains.values() for raw in rows[-1:]),
            default=(0, GENESIS_HASH),
        )[1]
    for anchor in anchors:
        problems.extend(_check_anchor(anchor.strip().lower(), seen))
    if problems:
        log.warning("the audit trail has %d problems", len(problems))
    return ChainReport(count, last, tuple(problems), heads)


def _start_of_chain(session: Session, first: Any) -> str:
    """Where a case's chain may start for this reader: the genesis, or (on a server) a record
    of an earlier case of the same reference that the reader may not see, if it is there."""
    if first.prev_hash == GENESIS_HASH:
        return GENESIS_HASH
    known = session.scalar(text("SELECT chronology_hash_known(:h)"), {"h": first.prev_hash})
    return str(first.prev_hash) if known else GENESIS_HASH


def _walk(
    rows: Iterator[Any],
    seen: dict[str, int],
    *,
    numbered: bool,
    start: str = GENESIS_HASH,
) -> tuple[list[ChainProblem], int, str]:
    """Check one chain: each record's hash, and that it follows the one before (and, where
    records are numbered one after another, that none is missing)."""
    problems: list[ChainProblem] = []
    previous_id, previous_hash, count = 0, start, 0
    for raw in rows:
        count += 1
        row_id = int(raw.id)
        record = _as_record(raw)
        if record is None:
            problems.append(
                ChainProblem(
                    "unreadable",
                    (row_id,),
                    f"record {row_id} was altered: it cannot be read any more",
                )
            )
        elif audit_hash(record) != record.hash:
            problems.append(
                ChainProblem(
                    "edited",
                    (row_id,),
                    f"record {row_id} was edited after it was "
                    "written: its content no longer matches its hash",
                )
            )
        if raw.prev_hash != previous_hash:
            if numbered:
                problems.append(_break(raw.prev_hash, seen, previous_id, row_id))
            else:
                problems.append(_unlinked(raw, previous_id))
        elif numbered and row_id != previous_id + 1:
            problems.append(_removed(previous_id, row_id))
        seen[str(raw.hash)] = row_id
        previous_id, previous_hash = row_id, str(raw.hash)
    return problems, count, previous_hash


def _unlinked(raw: Any, previous_id: int) -> ChainProblem:
    chain = f"case {raw.case_reference}" if raw.case_reference else "the workspace"
    if previous_id == 0:
        message = (
            f"record {raw.id} does not start the chain of {chain}: records before it were "
            "removed, or it was edited and its hash recomputed"
        )
        return ChainProblem("broken", (int(raw.id),), message)
    return ChainProblem(
        "broken",
        (previous_id, int(raw.id)),
        f"in the chain of {chain}, record {raw.id} does not follow record {previous_id}: "
        "records were removed or inserted, or one was edited and its hash recomputed",
    )


def _break(prev_hash: Any, seen: dict[str, int], previous_id: int, row_id: int) -> ChainProblem:
    """Record `row_id` does not point at the record before it: say what most likely happened."""
    target = seen.get(str(prev_hash))
    if target is not None and target < previous_id:
        inserted = tuple(i for i in seen.values() if target < i <= previous_id)
        return ChainProblem(
            "inserted",
            inserted,
            f"{_span(target + 1, previous_id)} did not come from the app: "
            f"record {row_id} follows record {target}",
        )
    if row_id != previous_id + 1:
        return _removed(previous_id, row_id)
    if previous_id == 0:
        return ChainProblem(
            "broken",
            (row_id,),
            f"record {row_id} does not start the trail: it was edited and its hash recomputed, "
            "or the records before it were removed",
        )
    return ChainProblem(
        "broken",
        (previous_id, row_id),
        f"record {row_id} does not follow record {previous_id}: record {previous_id} was edited "
        "and its hash recomputed, or records were removed and the rest renumbered",
    )


def _removed(previous_id: int, row_id: int) -> ChainProblem:
    missing = tuple(range(previous_id + 1, row_id))
    return ChainProblem("removed", missing, f"{_span(missing[0], missing[-1])} removed")


def _check_anchor(anchor: str, seen: dict[str, int]) -> list[ChainProblem]:
    if len(anchor) < MIN_ANCHOR or any(c not in "0123456789abcdef" for c in anchor):
        return [
            ChainProblem(
                "anchor",
                (),
                f'"{anchor}" is not a fingerprint: give at least {MIN_ANCHOR} of its hex digits',
            )
        ]
    if any(known.startswith(anchor) for known in seen):
        return []
    return [
        ChainProblem(
            "anchor",
            (),
            f"the fingerprint {anchor} noted earlier is no longer in the trail: records were "
            "removed or the trail was rewritten",
        )
    ]


# --- the history of one entry ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    path: str  # e.g. "summary", "persons[1].role", "withdrawn"
    before: Any  # None when the field was absent
    after: Any


@dataclass(frozen=True)
class HistoryItem:
    entry_id: str
    audit_id: int
    at: datetime.datetime
    who: str
    action: str
    reason: str | None
    event: str  # "added", "changed", "withdrawn", "restored" or "removed"
    number: int | None  # the entry's workspace number (E0042) where the record has it
    fields: tuple[FieldChange, ...]


def entry_history(session: Session, reference: str, entry_id: str) -> list[HistoryItem]:
    """Every audited change to one entry of a case, oldest first."""
    items = []
    for raw in _raw_rows(session, reference):
        row = _as_record(raw)
        if row is None:
            raise WorkspaceError(
                f"Record {raw.id} of the audit trail was altered and cannot be read; "
                "run chronology audit verify."
            )
        for change in row.changes:
            pair = _entry_states(change, reference, entry_id)
            if pair is None:
                continue
            before, after = pair
            items.append(
                HistoryItem(
                    entry_id=entry_id,
                    audit_id=row.id or 0,
                    at=row.at,
                    who=row.who,
                    action=row.action,
                    reason=row.reason,
                    event=_event(before, after),
                    number=(after or before or {}).get("number"),
                    fields=tuple(_diff(_shown(before), _shown(after), "")),
                )
            )
    return items


State = dict[str, Any] | None


def _entry_states(change: Any, reference: str, entry_id: str) -> tuple[State, State] | None:
    """The entry's snapshots before and after one recorded change, if it touched the entry."""
    if not isinstance(change, dict):
        return None
    if change.get("object") == "entry" and change.get("key") == entry_id:
        return change.get("before"), change.get("after")
    if change.get("object") == "entries":  # entries added together (an imported chronology)
        before, after = (_in_batch(change.get(side), entry_id) for side in ("before", "after"))
        return (before, after) if before != after else None
    if change.get("object") == "case_file" and change.get("key") == reference:
        # An import (or its undo) carries the whole case file.
        before, after = (_in_case_file(change.get(side), entry_id) for side in ("before", "after"))
        if before != after:
            return before, after
    return None


def _in_batch(snapshot: Any, entry_id: str) -> State:
    if not isinstance(snapshot, dict):
        return None
    for state in snapshot.get("entries", []):
        if isinstance(state, dict) and state.get("doc", {}).get("id") == entry_id:
            return dict(state)
    return None


def _in_case_file(snapshot: Any, entry_id: str) -> State:
    if not isinstance(snapshot, dict):
        return None
    for entry in snapshot.get("document", {}).get("entries", []):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            number = (snapshot.get("numbers") or {}).get(entry_id)
            return {"doc": entry, "number": number, "withdrawn": None}
    return None


def _event(before: State, after: State) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before.get("withdrawn") is None and after.get("withdrawn") is not None:
        return "withdrawn"
    if before.get("withdrawn") is not None and after.get("withdrawn") is None:
        return "restored"
    return "changed"


def _shown(state: State) -> dict[str, Any]:
    """What a reader cares about in a snapshot: the entry's fields and whether it is withdrawn
    (its place in the file and its number are the app's bookkeeping)."""
    if state is None:
        return {}
    shown = dict(state.get("doc") or {})
    if state.get("withdrawn") is not None:
        shown["withdrawn"] = state["withdrawn"]
    return shown


_ABSENT = object()


def _diff(before: Any, after: Any, path: str) -> list[FieldChange]:
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(before) + [key for key in after if key not in before]
        found = []
        for key in keys:
            found.extend(
                _diff(before.get(key, _ABSENT), after.get(key, _ABSENT), join_path(path, key))
            )
        return found
    if isinstance(before, list) and isinstance(after, list):
        found = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else _ABSENT
            new = after[index] if index < len(after) else _ABSENT
            found.extend(_diff(old, new, join_path(path, index)))
        return found
    return [
        FieldChange(
            path or "entry",
            None if before is _ABSENT else before,
            None if after is _ABSENT else after,
        )
    ]


# --- sign-offs for sharing (the check before a family-facing report) ---------------------------


def sharing_sign_offs(session: Session, reference: str, action: str) -> dict[str, str]:
    """Entry id -> the fingerprint of its latest sign-off for sharing in case `reference`."""
    found: dict[str, str] = {}
    for raw in _raw_rows(session, reference):
        if raw.action != action:
            continue
        record = _as_record(raw)
        for change in (record.changes if record is not None else None) or ():
            after = change.get("after") or {}
            if change.get("object") == "sharing_sign_off" and "fingerprint" in after:
                found[str(change["key"])] = str(after["fingerprint"])
    return found


# --- the case data against the trail ----------------------------------------------------------


def check_case_data(session: Session) -> list[ChainProblem]:
    """Compare the stored case data with the trail's latest after-states (`audit_replay`): a
    direct edit of a case table, leaving the trail alone, is a "data" problem. So is a person
    filed for cross-case suggestions otherwise than their stored document files them (the
    columns suggestions read, derived from the document: `audit_replay.filing_differences`)."""
    from chronology_app.core import audit_replay

    def records() -> Iterator[tuple[int, str | None, list[Any]]]:
        for raw in _raw_rows(session):
            record = _as_record(raw)
            if record is not None:  # an unreadable record is reported by `verify`
                yield int(raw.id), record.case_reference, record.changes

    messages = [
        *audit_replay.compare(session, records()),
        *audit_replay.filing_differences(session),
    ]
    return [ChainProblem("data", (), message) for message in messages]
